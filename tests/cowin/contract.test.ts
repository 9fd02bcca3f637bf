/**
 * One contract test per endpoint of the Co-WIN compatible API: each answer is validated against the schemas
 * written from the contract document (contract-schemas.ts), and the quirks partner apps depend on are checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay, insertSite, PUNE, uniqueMobile } from '../support/fixtures.js';
import { aadhaar, latestOtp } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { cowinClient, cowinDate, cowinLogin, sha256, type CowinClient } from './client.js';
import * as contract from './contract-schemas.js';

let platform: TestPlatform;
let client: CowinClient;
let site: { id: number };
let paidSite: { id: number };
let today: { id: string };
let later: { id: string };
let paidToday: { id: string };

const isoDaysAhead = (days: number) => cowinDate(days).split('-').reverse().join('-');
const maxAge = (cacheControl: unknown) => Number(/max-age=(\d+)/.exec(String(cacheControl))?.[1]);

beforeAll(async () => {
  platform = await startTestPlatform();
  client = cowinClient(platform.app, '10.55.0.1');
  const { db } = platform;
  site = await insertSite(db, PUNE);
  // A position of its own, so other tests' centres at the default spot never crowd it out of findByLatLong.
  await db.updateTable('site').set({ lat: 18.6543, lng: 73.9876 }).where('id', '=', site.id).execute();
  paidSite = await insertSite(db, PUNE);
  await db.updateTable('site').set({ ownership: 'PRIVATE', fee_inr: 780 }).where('id', '=', paidSite.id).execute();
  today = await insertSessionDay(db, {
    siteId: site.id,
    vaccine: 'COVAXIN',
    dose1: 4,
    dose2: 2,
    opensAt: '00:00:00',
    closesAt: '23:59:00',
    slotMinutes: 480,
  });
  later = await insertSessionDay(db, {
    siteId: site.id,
    vaccine: 'COVAXIN',
    date: isoDaysAhead(3),
    dose1: 3,
    dose2: 0,
    opensAt: '09:00:00',
    closesAt: '17:00:00',
    slotMinutes: 120,
  });
  paidToday = await insertSessionDay(db, { siteId: paidSite.id, vaccine: 'COVISHIELD', dose1: 5, dose2: 5 });
});
afterAll(() => platform.close());

describe('metadata', () => {
  it('GET /v2/admin/location/states', async () => {
    const response = await client.get('/v2/admin/location/states');
    expect(response.statusCode).toBe(200);
    contract.expectContract(contract.states, response.json());
    expect(response.json().states).toContainEqual({ state_id: PUNE.stateId, state_name: 'Maharashtra' });
    expect(response.headers['cache-control']).toMatch(/public/);
    expect(maxAge(response.headers['cache-control'])).toBeLessThanOrEqual(300);
  });

  it('GET /v2/admin/location/districts/{state_id}', async () => {
    const response = await client.get(`/v2/admin/location/districts/${PUNE.stateId}`);
    expect(response.statusCode).toBe(200);
    contract.expectContract(contract.districts, response.json());
    expect(response.json().districts).toContainEqual({ district_id: PUNE.districtId, district_name: 'Pune' });
    const unknown = await client.get('/v2/admin/location/districts/98');
    expect(unknown.json()).toEqual({ districts: [], ttl: 24 });
  });

  it('GET /v2/registration/beneficiary/idTypes and /genders', async () => {
    const types = await client.get('/v2/registration/beneficiary/idTypes');
    contract.expectContract(contract.idTypes, types.json());
    const byId = new Map(types.json().types.map((t: { id: number; type: string }) => [t.id, t.type]));
    expect(byId.get(1)).toMatch(/Aadhaar/);
    expect(byId.get(6)).toMatch(/PAN/);
    expect(byId.get(12)).toMatch(/Voter/);
    expect(byId.get(13)).toBe('Others');
    const genders = await client.get('/v2/registration/beneficiary/genders');
    contract.expectContract(contract.genders, genders.json());
    expect(genders.json().genders).toEqual([
      { id: 1, gender: 'Male' },
      { id: 2, gender: 'Female' },
      { id: 3, gender: 'Others' },
    ]);
  });
});

describe('public availability', () => {
  it('GET findByPin: flat sessions, pincode a number, fee a string, slots strings, DD-MM-YYYY dates', async () => {
    const response = await client.get(
      `/v2/appointment/sessions/public/findByPin?pincode=${PUNE.pincode}&date=${cowinDate()}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    contract.expectContract(contract.sessions, response.json());
    const mine = response.json().sessions.find((s: { session_id: string }) => s.session_id === today.id);
    expect(mine).toMatchObject({
      center_id: site.id,
      pincode: PUNE.pincode,
      fee: '0',
      fee_type: 'Free',
      date: cowinDate(),
      vaccine: 'COVAXIN',
      available_capacity: 6,
      available_capacity_dose1: 4,
      available_capacity_dose2: 2,
      min_age_limit: 18,
      allow_all_age: true,
      from: '00:00:00',
      to: '23:59:00',
      district_name: 'Pune',
      state_name: 'Maharashtra',
    });
    expect(mine.slots).toEqual(['12:00AM-08:00AM', '08:00AM-04:00PM', '04:00PM-11:59PM']);
    expect(mine).not.toHaveProperty('max_age_limit');
    const paid = response.json().sessions.find((s: { session_id: string }) => s.session_id === paidToday.id);
    expect(paid).toMatchObject({ fee: '780', fee_type: 'Paid', vaccine: 'COVISHIELD' });
    expect(response.headers['cache-control']).toMatch(/public/);
    expect(maxAge(response.headers['cache-control'])).toBeLessThanOrEqual(300);
  });

  it('accepts DD-MM-YY dates too', async () => {
    const [d, m, y] = cowinDate().split('-');
    const short = await client.get(
      `/v2/appointment/sessions/public/findByPin?pincode=${PUNE.pincode}&date=${d}-${m}-${y.slice(2)}`,
    );
    expect(short.statusCode).toBe(200);
    expect(short.json().sessions.map((s: { session_id: string }) => s.session_id)).toContain(today.id);
  });

  it('refuses a bad pincode with 400 APPOIN0018, a missing parameter with 400 USRRES0001, an impossible date with 400', async () => {
    const badPin = await client.get(`/v2/appointment/sessions/public/findByPin?pincode=12345&date=${cowinDate()}`);
    expect(badPin.statusCode).toBe(400);
    contract.expectContract(contract.error, badPin.json());
    expect(badPin.json()).toEqual({ errorCode: 'APPOIN0018', error: 'Invalid Pincode' });

    const missing = await client.get(`/v2/appointment/sessions/public/findByDistrict?district_id=${PUNE.districtId}`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual({ errorCode: 'USRRES0001', error: 'Input parameter missing' });

    const impossible = await client.get(
      `/v2/appointment/sessions/public/findByDistrict?district_id=${PUNE.districtId}&date=31-02-2031`,
    );
    expect(impossible.statusCode).toBe(400);
    contract.expectContract(contract.error, impossible.json());
  });

  it('GET findByDistrict', async () => {
    const response = await client.get(
      `/v2/appointment/sessions/public/findByDistrict?district_id=${PUNE.districtId}&date=${cowinDate()}`,
    );
    expect(response.statusCode).toBe(200);
    contract.expectContract(contract.sessions, response.json());
    const ids = response.json().sessions.map((s: { session_id: string }) => s.session_id);
    expect(ids).toContain(today.id);
    expect(ids).not.toContain(later.id);
  });

  it('GET calendarByPin and calendarByDistrict: centres with 7 days of sessions, paid ones with vaccine_fees', async () => {
    for (const url of [
      `/v2/appointment/sessions/public/calendarByPin?pincode=${PUNE.pincode}&date=${cowinDate()}`,
      `/v2/appointment/sessions/public/calendarByDistrict?district_id=${PUNE.districtId}&date=${cowinDate()}`,
    ]) {
      const response = await client.get(url);
      expect(response.statusCode, url).toBe(200);
      contract.expectContract(contract.centers, response.json(), url);
      const centre = response.json().centers.find((c: { center_id: number }) => c.center_id === site.id);
      expect(centre.sessions.map((s: { session_id: string; date: string }) => [s.session_id, s.date])).toEqual([
        [today.id, cowinDate()],
        [later.id, cowinDate(3)],
      ]);
      expect(centre).not.toHaveProperty('vaccine_fees');
      const paid = response.json().centers.find((c: { center_id: number }) => c.center_id === paidSite.id);
      expect(paid.vaccine_fees).toEqual([{ vaccine: 'COVISHIELD', fee: '780' }]);
    }
  });

  it('GET calendarByCenter: one centre object', async () => {
    const response = await client.get(
      `/v2/appointment/sessions/public/calendarByCenter?center_id=${site.id}&date=${cowinDate(1)}`,
    );
    expect(response.statusCode).toBe(200);
    contract.expectContract(contract.oneCenter, response.json());
    expect(response.json().centers.center_id).toBe(site.id);
    expect(response.json().centers.sessions.map((s: { session_id: string }) => s.session_id)).toEqual([later.id]);
    const slots = response.json().centers.sessions[0].slots;
    expect(slots).toEqual(['09:00AM-11:00AM', '11:00AM-01:00PM', '01:00PM-03:00PM', '03:00PM-05:00PM']);

    const unknown = await client.get(
      `/v2/appointment/sessions/public/calendarByCenter?center_id=999999999&date=${cowinDate()}`,
    );
    expect(unknown.statusCode).toBe(404);
    contract.expectContract(contract.error, unknown.json());
  });

  it('GET findByLatLong: pincode, lat and long as strings', async () => {
    const response = await client.get('/v2/appointment/centers/public/findByLatLong?lat=18.6543&long=73.9876');
    expect(response.statusCode).toBe(200);
    contract.expectContract(contract.nearbyCenters, response.json());
    const mine = response.json().centers.find((c: { center_id: number }) => c.center_id === site.id);
    expect(mine).toMatchObject({
      pincode: String(PUNE.pincode),
      lat: '18.6543',
      long: '73.9876',
      district_name: 'Pune',
    });
  });
});

describe('login, beneficiaries and appointments', () => {
  it('the logged-in availability endpoints answer a missing or bad token with a plain-text 401', async () => {
    for (const path of [
      'findByPin?pincode=411001',
      'findByDistrict?district_id=27024',
      'calendarByPin?pincode=411001',
      'calendarByDistrict?district_id=27024',
    ]) {
      const url = `/v2/appointment/sessions/${path}&date=${cowinDate()}`;
      for (const token of [undefined, 'not-a-token']) {
        const response = await client.get(url, { token });
        expect(response.statusCode, url).toBe(401);
        expect(response.headers['content-type']).toMatch(/^text\/plain/);
        expect(response.body).toBe('Unauthenticated access!');
      }
    }
  });

  it('both OTP pairs, then the logged-in endpoints, every answer in the contract', async () => {
    const { app } = platform;
    const mobile = uniqueMobile();

    // The portal pair, with a `secret` that is accepted and ignored; a wrong OTP is USRAUT0014.
    const sent = await client.post('/v2/auth/generateMobileOTP', {
      mobile,
      secret: 'U2FsdGVkX1+anything-a-client-sends',
    });
    expect(sent.statusCode, sent.body).toBe(200);
    contract.expectContract(contract.txn, sent.json());
    const wrong = await client.post('/v2/auth/validateMobileOtp', { otp: sha256('000000x'), txnId: sent.json().txnId });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual({ errorCode: 'USRAUT0014', error: 'Invalid OTP' });
    const validated = await client.post('/v2/auth/validateMobileOtp', {
      otp: sha256(await latestOtp(app, mobile)),
      txnId: sent.json().txnId,
    });
    expect(validated.statusCode, validated.body).toBe(200);
    contract.expectContract(contract.token, validated.json());

    // The public pair.
    const token = await cowinLogin(app, client, mobile);
    const auth = { token };

    const registered = await client.post(
      '/v2/registration/beneficiary/new',
      {
        name: 'Asha Kulkarni',
        birth_year: '1975',
        gender_id: 2,
        photo_id_type: 1,
        photo_id_number: aadhaar(),
        comorbidity_ind: 'Y',
        consent_version: 'V1',
      },
      auth,
    );
    expect(registered.statusCode, registered.body).toBe(200);
    contract.expectContract(contract.newBeneficiary, registered.json());
    const referenceId = registered.json().beneficiary_reference_id;

    const booked = await client.post(
      '/v2/appointment/schedule',
      { dose: 1, session_id: today.id, slot: '08:00AM-04:00PM', beneficiaries: [referenceId] },
      auth,
    );
    expect(booked.statusCode, booked.body).toBe(200);
    contract.expectContract(contract.scheduled, booked.json());
    const appointmentId = booked.json().appointment_confirmation_no;

    const listed = await client.get('/v2/appointment/beneficiaries', auth);
    expect(listed.statusCode).toBe(200);
    contract.expectContract(contract.beneficiaries, listed.json());
    const person = listed
      .json()
      .beneficiaries.find((b: { beneficiary_reference_id: string }) => b.beneficiary_reference_id === referenceId);
    expect(person).toMatchObject({
      name: 'Asha Kulkarni',
      birth_year: '1975',
      gender: 'Female',
      mobile_number: `******${mobile.slice(-4)}`,
      photo_id_type: 'Aadhaar Card',
      comorbidity_ind: 'Y',
      vaccination_status: 'Not Vaccinated',
      vaccine: '',
      dose1_date: '',
      dose2_date: '',
    });
    expect(person.photo_id_number).toMatch(/^X+\d{4}$/);
    expect(person.appointments).toEqual([
      expect.objectContaining({
        appointment_id: appointmentId,
        center_id: site.id,
        session_id: today.id,
        dose: 1,
        date: cowinDate(),
        slot: '08:00AM-04:00PM',
        pincode: PUNE.pincode,
      }),
    ]);

    const slip = await client.get(`/v2/appointment/appointmentslip/download?appointment_id=${appointmentId}`, auth);
    expect(slip.statusCode).toBe(200);
    expect(slip.headers['content-type']).toBe('application/pdf');
    expect(slip.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const moved = await client.post(
      '/v2/appointment/reschedule',
      { appointment_id: appointmentId, session_id: later.id, slot: '11:00AM-01:00PM' },
      auth,
    );
    expect(moved.statusCode, moved.body).toBe(204);
    const afterMove = (await client.get('/v2/appointment/beneficiaries', auth)).json().beneficiaries[0];
    expect(afterMove.appointments).toEqual([
      expect.objectContaining({ session_id: later.id, date: cowinDate(3), slot: '11:00AM-01:00PM' }),
    ]);

    const noSuchSlot = await client.post(
      '/v2/appointment/reschedule',
      { appointment_id: afterMove.appointments[0].appointment_id, session_id: today.id, slot: '07:00PM-09:00PM' },
      auth,
    );
    expect(noSuchSlot.statusCode).toBe(400);
    contract.expectContract(contract.error, noSuchSlot.json());

    const cancelled = await client.post(
      '/v2/appointment/cancel',
      { appointment_id: afterMove.appointments[0].appointment_id, beneficiariesToCancel: [referenceId] },
      auth,
    );
    expect(cancelled.statusCode, cancelled.body).toBe(204);
    expect((await client.get('/v2/appointment/beneficiaries', auth)).json().beneficiaries[0].appointments).toEqual([]);

    const certificate = await client.get(
      `/v2/registration/certificate/public/download?beneficiary_reference_id=${referenceId}`,
      auth,
    );
    expect(certificate.statusCode).toBe(404);
    expect(certificate.json()).toEqual({ errorCode: 'CERT0001', error: 'No certificate issued' });

    const deleted = await client.post(
      '/v2/registration/beneficiary/delete',
      { beneficiary_reference_id: referenceId },
      auth,
    );
    expect(deleted.statusCode, deleted.body).toBe(204);
    const afterDelete = await client.get('/v2/appointment/beneficiaries', auth);
    contract.expectContract(contract.beneficiaries, afterDelete.json());
    expect(afterDelete.json().beneficiaries).toEqual([]);

    const loggedIn = await client.get(
      `/v2/appointment/sessions/calendarByPin?pincode=${PUNE.pincode}&date=${cowinDate()}`,
      auth,
    );
    expect(loggedIn.statusCode).toBe(200);
    contract.expectContract(contract.centers, loggedIn.json());
    expect(loggedIn.headers['cache-control']).toMatch(/private/);
  });

  it('answers each refusal with its Co-WIN error code and status', async () => {
    const token = await cowinLogin(platform.app, client, uniqueMobile());
    const auth = { token };
    const idNumber = aadhaar();
    const person = {
      name: 'Ravi Patil',
      birth_year: '1990',
      gender_id: 1,
      photo_id_type: 1,
      photo_id_number: idNumber,
      consent_version: 'V1',
    };
    const first = await client.post('/v2/registration/beneficiary/new', person, auth);
    expect(first.statusCode).toBe(200);

    const again = await client.post('/v2/registration/beneficiary/new', person, auth);
    expect(again.statusCode).toBe(409);
    contract.expectContract(contract.error, again.json());
    expect(again.json().errorCode).toBe('BENEFI9003');

    const badId = await client.post(
      '/v2/registration/beneficiary/new',
      { ...person, photo_id_number: '123412341234' },
      auth,
    );
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errorCode).toBe('BENEFI9001');

    const referenceId = first.json().beneficiary_reference_id;
    const wrongDose = await client.post(
      '/v2/appointment/schedule',
      { dose: 2, session_id: today.id, slot: '08:00AM-04:00PM', beneficiaries: [referenceId] },
      auth,
    );
    expect(wrongDose.statusCode).toBe(400);
    expect(wrongDose.json().errorCode).toBe('APPOIN9003');

    const notMine = await client.post(
      '/v2/appointment/schedule',
      { dose: 1, session_id: today.id, slot: '08:00AM-04:00PM', beneficiaries: ['12345678901234'] },
      auth,
    );
    expect(notMine.statusCode).toBe(404);
    expect(notMine.json().errorCode).toBe('BENEFI9005');

    const wrongCentre = await client.post(
      '/v2/appointment/schedule',
      { dose: 1, session_id: today.id, center_id: paidSite.id, slot: '08:00AM-04:00PM', beneficiaries: [referenceId] },
      auth,
    );
    expect(wrongCentre.statusCode).toBe(400);
    expect(wrongCentre.json().errorCode).toBe('APPOIN9012');

    const ok = await client.post(
      '/v2/appointment/schedule',
      { dose: 1, session_id: today.id, slot: '04:00PM-11:59PM', beneficiaries: [referenceId], captcha: 'ignored' },
      auth,
    );
    expect(ok.statusCode, ok.body).toBe(200);

    const missingField = await client.post(
      '/v2/appointment/schedule',
      { dose: 1, session_id: today.id, beneficiaries: [referenceId] },
      auth,
    );
    expect(missingField.statusCode).toBe(400);
    expect(missingField.json()).toEqual({ errorCode: 'USRRES0001', error: 'Input parameter missing' });

    const unknownPath = await client.get('/v2/appointment/nothing-here', auth);
    expect(unknownPath.statusCode).toBe(404);
    contract.expectContract(contract.error, unknownPath.json());
  });
});

describe('public dashboard figures', () => {
  it('GET /api/v1/reports/v2/getPublicReports for the country, a state and a district', async () => {
    for (const query of [
      'state_id=&district_id=&date=',
      `state_id=${PUNE.stateId}&district_id=`,
      `state_id=${PUNE.stateId}&district_id=${PUNE.districtId}&date=${isoDaysAhead(0)}`,
    ]) {
      const response = await platform.app.inject({
        method: 'GET',
        url: `/api/v1/reports/v2/getPublicReports?${query}`,
        remoteAddress: '10.55.0.1',
      });
      expect(response.statusCode, query).toBe(200);
      contract.expectContract(contract.publicReports, response.json(), query);
      expect(response.json().topBlock.sites.total).toBeGreaterThanOrEqual(2);
      expect(response.json().topBlock.vaccination).toHaveProperty('covaxin');
      expect(maxAge(response.headers['cache-control'])).toBeLessThanOrEqual(300);
    }
    const district = await platform.app.inject({
      method: 'GET',
      url: `/api/v1/reports/v2/getPublicReports?state_id=${PUNE.stateId}&district_id=${PUNE.districtId}`,
      remoteAddress: '10.55.0.1',
    });
    expect(district.json().getBeneficiariesGroupBy).toEqual([
      expect.objectContaining({
        id: PUNE.districtId,
        state_id: PUNE.stateId,
        title: 'Pune',
        state_name: 'Maharashtra',
      }),
    ]);
    const badDate = await platform.app.inject({
      method: 'GET',
      url: '/api/v1/reports/v2/getPublicReports?date=2021-02-30',
      remoteAddress: '10.55.0.1',
    });
    expect(badDate.statusCode).toBe(400);
    contract.expectContract(contract.error, badDate.json());
  });
});
