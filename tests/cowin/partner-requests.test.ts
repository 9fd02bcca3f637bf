/**
 * The Co-WIN API as partner apps in the wild call it: JSON bodies with no Content-Type (Go's http.Post with an
 * empty type, python-requests with data=) or labelled text/plain; getRecaptcha before scheduling; the appointment
 * id the app holds after a reschedule that answered 204 with no body; consent_version; the protected certificate
 * download. Requests go through app.inject with the body as raw text, headers exactly as such a client sends them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay, insertSite, PUNE, uniqueMobile } from '../support/fixtures.js';
import { aadhaar, latestOtp, vaccinatorFor, waitFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { cowinClient, cowinDate, cowinLogin, sha256, type CowinClient } from './client.js';

let platform: TestPlatform;
let client: CowinClient;
let site: { id: number };
let today: { id: string };
let later: { id: string };
const IP = '10.57.0.1';

beforeAll(async () => {
  platform = await startTestPlatform();
  client = cowinClient(platform.app, IP);
  site = await insertSite(platform.db, PUNE);
  today = await insertSessionDay(platform.db, {
    siteId: site.id,
    vaccine: 'COVAXIN',
    dose1: 10,
    opensAt: '00:00:00',
    closesAt: '23:59:00',
    slotMinutes: 480,
  });
  later = await insertSessionDay(platform.db, {
    siteId: site.id,
    vaccine: 'COVAXIN',
    date: cowinDate(2).split('-').reverse().join('-'),
    dose1: 10,
    opensAt: '09:00:00',
    closesAt: '17:00:00',
    slotMinutes: 120,
  });
});
afterAll(() => platform.close());

/** A POST whose body is raw text, with only the headers given: no Content-Type unless one is named. */
const post = (path: string, body: string | undefined, headers: Record<string, string> = {}) =>
  platform.app.inject({ method: 'POST', url: `/api${path}`, payload: body, headers, remoteAddress: IP });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The slot labels of a session, as the public calendar shows them. */
async function slotsOf(sessionId: string): Promise<string[]> {
  const calendar = await client.get(
    `/v2/appointment/sessions/public/calendarByCenter?center_id=${site.id}&date=${cowinDate()}`,
  );
  expect(calendar.statusCode, calendar.body).toBe(200);
  return calendar.json().centers.sessions.find((s: { session_id: string }) => s.session_id === sessionId).slots;
}

async function register(token: string, name: string, consentVersion = 'V1'): Promise<string> {
  const registered = await client.post(
    '/v2/registration/beneficiary/new',
    {
      name,
      birth_year: '1984',
      gender_id: 2,
      photo_id_type: 1,
      photo_id_number: aadhaar(),
      consent_version: consentVersion,
    },
    { token },
  );
  expect(registered.statusCode, registered.body).toBe(200);
  return registered.json().beneficiary_reference_id;
}

describe('partner requests as they arrive', () => {
  it('reads JSON sent with no Content-Type or as text/plain: a partner logs in, registers with its consent version and books a slot', async () => {
    const mobile = uniqueMobile();
    const sent = await post('/v2/auth/public/generateOTP', JSON.stringify({ mobile }));
    expect(sent.statusCode, sent.body).toBe(200);
    const confirmed = await post(
      '/v2/auth/public/confirmOTP',
      JSON.stringify({ otp: sha256(await latestOtp(platform.app, mobile)), txnId: sent.json().txnId }),
      { 'content-type': 'text/plain' },
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const token: string = confirmed.json().token;

    const registered = await post(
      '/v2/registration/beneficiary/new',
      JSON.stringify({
        name: 'Rekha Pawar',
        birth_year: '1979',
        gender_id: 2,
        photo_id_type: 1,
        photo_id_number: aadhaar(),
        comorbidity_ind: 'N',
        consent_version: 'V2.1',
      }),
      bearer(token),
    );
    expect(registered.statusCode, registered.body).toBe(200);
    const referenceId: string = registered.json().beneficiary_reference_id;
    // The consent the person gave is kept with the registration, and said in its audit entry.
    const person = await platform.db
      .selectFrom('beneficiary')
      .select(['id', 'consent_version'])
      .where('reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();
    expect(person.consent_version).toBe('V2.1');
    const audit = await platform.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'BENEFICIARY_REGISTERED')
      .where('entity_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ consentVersion: 'V2.1' });

    const [slot] = await slotsOf(today.id);
    const booked = await post(
      '/v2/appointment/schedule',
      JSON.stringify({ dose: 1, session_id: today.id, slot, beneficiaries: [referenceId], captcha: 'xK4pQ' }),
      { ...bearer(token), 'content-type': 'text/plain; charset=utf-8' },
    );
    expect(booked.statusCode, booked.body).toBe(200);
    const appointment = await platform.db
      .selectFrom('appointment')
      .select(['id', 'status', 'channel', 'session_day_id'])
      .where('beneficiary_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(appointment).toEqual({
      id: booked.json().appointment_confirmation_no,
      status: 'BOOKED',
      channel: 'PARTNER',
      session_day_id: today.id,
    });

    // A body that is not JSON is still refused the Co-WIN way, not with 415.
    const garbled = await post('/v2/appointment/schedule', 'dose=1&session_id=x', bearer(token));
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json()).toEqual({ errorCode: expect.any(String), error: expect.any(String) });
    const empty = await post('/v2/appointment/schedule', undefined, { ...bearer(token), 'content-type': 'text/plain' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({ errorCode: expect.any(String), error: expect.any(String) });

    // Only /api/v2 reads bodies that way: Teeka's own API keeps to application/json.
    const v1 = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: JSON.stringify({ mobile: uniqueMobile() }),
      headers: { 'content-type': 'text/plain' },
      remoteAddress: IP,
    });
    expect([400, 415]).toContain(v1.statusCode);
  });

  it('keeps an appointment_id across reschedules: the id the app holds moves it again, prints its slip and cancels it', async () => {
    const token = await cowinLogin(platform.app, client, uniqueMobile());
    const referenceId = await register(token, 'Imran Shaikh');
    const [firstSlot] = await slotsOf(today.id);
    const laterSlots = await slotsOf(later.id);
    const booked = await client.post(
      '/v2/appointment/schedule',
      { dose: 1, session_id: today.id, slot: firstSlot, beneficiaries: [referenceId] },
      { token },
    );
    expect(booked.statusCode, booked.body).toBe(200);
    const appointmentId: string = booked.json().appointment_confirmation_no;
    const listed = async () =>
      (await client.get('/v2/appointment/beneficiaries', { token })).json().beneficiaries[0].appointments;

    // Reschedule answers 204 and no body: the app has only the id it had.
    const moved = await client.post(
      '/v2/appointment/reschedule',
      { appointment_id: appointmentId, session_id: later.id, slot: laterSlots[1] },
      { token },
    );
    expect(moved.statusCode, moved.body).toBe(204);
    expect(moved.body).toBe('');
    expect(await listed()).toEqual([
      expect.objectContaining({ appointment_id: appointmentId, session_id: later.id, slot: laterSlots[1] }),
    ]);

    // The same id moves it again, with no Content-Type this time.
    const back = await post(
      '/v2/appointment/reschedule',
      JSON.stringify({ appointment_id: appointmentId, session_id: today.id, slot: firstSlot }),
      bearer(token),
    );
    expect(back.statusCode, back.body).toBe(204);
    expect(await listed()).toEqual([
      expect.objectContaining({ appointment_id: appointmentId, session_id: today.id, slot: firstSlot }),
    ]);

    const slip = await client.get(`/v2/appointment/appointmentslip/download?appointment_id=${appointmentId}`, {
      token,
    });
    expect(slip.statusCode, slip.body).toBe(200);
    expect(slip.headers['content-type']).toBe('application/pdf');
    expect(slip.headers['content-disposition']).toContain(appointmentId);

    const cancelled = await client.post(
      '/v2/appointment/cancel',
      { appointment_id: appointmentId, beneficiariesToCancel: [referenceId] },
      { token },
    );
    expect(cancelled.statusCode, cancelled.body).toBe(204);
    expect(await listed()).toEqual([]);

    // In the database: each move a row of its own, every later row naming the first, the seat given back each time.
    const rows = await platform.db
      .selectFrom('appointment')
      .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
      .select(['appointment.id', 'appointment.origin_id', 'appointment.status', 'appointment.session_day_id'])
      .where('beneficiary.reference_id', '=', referenceId)
      .orderBy('appointment.booked_at')
      .execute();
    expect(rows).toEqual([
      { id: appointmentId, origin_id: null, status: 'RESCHEDULED', session_day_id: today.id },
      { id: expect.any(String), origin_id: appointmentId, status: 'RESCHEDULED', session_day_id: later.id },
      { id: expect.any(String), origin_id: appointmentId, status: 'CANCELLED', session_day_id: today.id },
    ]);

    // Another mobile cannot reach it by that id.
    const stranger = await cowinLogin(platform.app, client, uniqueMobile());
    const refused = await client.post(
      '/v2/appointment/cancel',
      { appointment_id: appointmentId, beneficiariesToCancel: [referenceId] },
      { token: stranger },
    );
    expect(refused.statusCode).toBe(404);
    expect(refused.json().errorCode).toBe('APPOIN9008');
  });

  it('answers getRecaptcha as Co-WIN did: an SVG captcha 150×50, posted with no body, {} or an empty JSON body', async () => {
    const token = await cowinLogin(platform.app, client, uniqueMobile());
    for (const [body, headers] of [
      [undefined, {}],
      ['{}', { 'content-type': 'application/json' }],
      ['', { 'content-type': 'application/json' }],
    ] as const) {
      const answer = await post('/v2/auth/getRecaptcha', body, { ...bearer(token), ...headers });
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      const { captcha } = answer.json();
      // Clients enlarge it by replacing exactly this text.
      expect(captcha).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="150" height="50"[^>]*>/);
      expect(captcha).toMatch(/<\/svg>$/);
      expect(captcha).not.toMatch(/<script|on\w+=/i);
    }
    const anonymous = await post('/v2/auth/getRecaptcha', '{}');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).toBe('Unauthenticated access!');
  });

  it('downloads the certificate from the protected path as from the public one', async () => {
    const token = await cowinLogin(platform.app, client, uniqueMobile());
    const referenceId = await register(token, 'Sunita Jadhav');
    const [slot] = await slotsOf(today.id);
    const booked = await client.post(
      '/v2/appointment/schedule',
      { dose: 1, session_id: today.id, slot, beneficiaries: [referenceId] },
      { token },
    );
    expect(booked.statusCode, booked.body).toBe(200);
    const paths = ['/v2/registration/certificate/download', '/v2/registration/certificate/public/download'];
    for (const path of paths) {
      const early = await client.get(`${path}?beneficiary_reference_id=${referenceId}`, { token });
      expect(early.statusCode).toBe(404);
      expect(early.json()).toEqual({ errorCode: 'CERT0001', error: 'No certificate issued' });
      expect((await client.get(`${path}?beneficiary_reference_id=${referenceId}`)).statusCode).toBe(401);
    }

    const { secret_code: secretCode } = await platform.db
      .selectFrom('beneficiary')
      .select('secret_code')
      .where('reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();
    const vaccinator = await vaccinatorFor(platform.app, platform.db, today.id);
    const dose = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: bearer(vaccinator.token),
      payload: { referenceId, secretCode, sessionDayId: today.id, vaccineCode: 'COVAXIN', batch: 'CVX-2041' },
    });
    expect(dose.statusCode, dose.body).toBe(201);

    // The journey issues the certificate shortly after the dose.
    const certificate = await waitFor(async () => {
      const answer = await client.get(`${paths[0]}?beneficiary_reference_id=${referenceId}`, { token });
      return answer.statusCode === 200 && answer;
    }, 'the certificate');
    expect(certificate.headers['content-type']).toBe('application/pdf');
    expect(certificate.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const publicOne = await client.get(`${paths[1]}?beneficiary_reference_id=${referenceId}`, { token });
    expect(publicOne.statusCode).toBe(200);
    expect(publicOne.headers['content-disposition']).toBe(certificate.headers['content-disposition']);
  });
});
