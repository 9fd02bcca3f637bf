/**
 * A partner app, written the way a third party writes one: only against the published Co-WIN contract, over
 * HTTP with fetch, to a listening server. It logs in with an OTP (SHA-256 of the digits, read from the
 * development SMS outbox where a real app would read the phone), registers and lists people, finds a session
 * by district and by pincode, books, reschedules, cancels, and after a dose recorded at the centre (by our
 * vaccinator API) downloads the certificate.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay, insertSite, PUNE, uniqueMobile } from '../support/fixtures.js';
import { aadhaar, vaccinatorFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

// ---- the partner's own client: base URL, JSON in and out, a Bearer token once logged in ----

class CowinPartnerClient {
  private token?: string;
  constructor(private readonly baseUrl: string) {}

  async call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; type: string; json: any; text: string; bytes: Buffer }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    const text = type.startsWith('application/pdf') ? '' : bytes.toString('utf8');
    return { status: response.status, type, json: type.includes('json') ? JSON.parse(text) : undefined, text, bytes };
  }

  async login(mobile: string, readOtpFromPhone: () => Promise<string>) {
    const sent = await this.call('POST', '/v2/auth/public/generateOTP', { mobile });
    expect(sent.status, sent.text).toBe(200);
    const otp = await readOtpFromPhone();
    const confirmed = await this.call('POST', '/v2/auth/public/confirmOTP', {
      otp: createHash('sha256').update(otp).digest('hex'),
      txnId: sent.json.txnId,
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    this.token = confirmed.json.token;
  }
}

const ddmmyyyy = (days = 0) => {
  const [y, m, d] = new Date(Date.now() + 330 * 60_000 + days * 86_400_000).toISOString().slice(0, 10).split('-');
  return `${d}-${m}-${y}`;
};

// ---- the platform: a listening server, two centres in Pune with sessions today ----

let platform: TestPlatform;
let baseUrl: string;
const centreA = `Partner Test Centre A ${Date.now().toString(36)}`;
const centreB = `Partner Test Centre B ${Date.now().toString(36)}`;
let sessionA: { id: string };
let sessionB: { id: string };

beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 864_000 });
  const address = await platform.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `${address}/api`;
  const siteA = await insertSite(platform.db, PUNE, centreA);
  const siteB = await insertSite(platform.db, PUNE, centreB);
  sessionA = await insertSessionDay(platform.db, {
    siteId: siteA.id,
    vaccine: 'COVAXIN',
    dose1: 10,
    dose2: 0,
    opensAt: '00:00:00',
    closesAt: '23:59:00',
    slotMinutes: 720,
  });
  sessionB = await insertSessionDay(platform.db, {
    siteId: siteB.id,
    vaccine: 'COVAXIN',
    dose1: 10,
    dose2: 0,
    opensAt: '00:00:00',
    closesAt: '23:59:00',
    slotMinutes: 720,
  });
});
afterAll(() => platform.close());

describe('a partner app against the Co-WIN contract', () => {
  it('logs in, registers, finds, books, reschedules, cancels, and downloads the certificate after the dose', async () => {
    const client = new CowinPartnerClient(baseUrl);
    const mobile = uniqueMobile();
    // Where a real app reads the phone's SMS, this one reads the development outbox.
    const readOtpFromPhone = async () => {
      const outbox = await fetch(`${baseUrl}/v1/dev/sms?mobile=${mobile}`).then((r) => r.json());
      return /\b(\d{6})\b/.exec(outbox.messages.find((m: { template: string }) => m.template === 'OTP').body)![1];
    };
    await client.login(mobile, readOtpFromPhone);

    // Register two people of the family and list them.
    const ids = await client.call('GET', '/v2/registration/beneficiary/idTypes');
    const aadhaarType = ids.json.types.find((t: { type: string }) => /aadhaar/i.test(t.type)).id;
    const genders = (await client.call('GET', '/v2/registration/beneficiary/genders')).json.genders;
    const female = genders.find((g: { gender: string }) => g.gender === 'Female').id;
    const people: string[] = [];
    for (const name of ['Lata Shinde', 'Mohan Shinde']) {
      const registered = await client.call('POST', '/v2/registration/beneficiary/new', {
        name,
        birth_year: '1970',
        gender_id: female,
        photo_id_type: aadhaarType,
        photo_id_number: aadhaar(),
        comorbidity_ind: 'N',
        consent_version: 'V1',
      });
      expect(registered.status, registered.text).toBe(200);
      people.push(registered.json.beneficiary_reference_id);
    }
    const [lata, mohan] = people;
    let family = (await client.call('GET', '/v2/appointment/beneficiaries')).json.beneficiaries;
    expect(family.map((b: { name: string; vaccination_status: string }) => [b.name, b.vaccination_status])).toEqual([
      ['Lata Shinde', 'Not Vaccinated'],
      ['Mohan Shinde', 'Not Vaccinated'],
    ]);

    // Find the state and district by name, then today's sessions there; the same centre by its pincode.
    const states = (await client.call('GET', '/v2/admin/location/states')).json.states;
    const maharashtra = states.find((s: { state_name: string }) => s.state_name === 'Maharashtra').state_id;
    const districts = (await client.call('GET', `/v2/admin/location/districts/${maharashtra}`)).json.districts;
    const pune = districts.find((d: { district_name: string }) => d.district_name === 'Pune').district_id;
    const byDistrict = await client.call(
      'GET',
      `/v2/appointment/sessions/public/findByDistrict?district_id=${pune}&date=${ddmmyyyy()}`,
    );
    expect(byDistrict.status).toBe(200);
    const found = byDistrict.json.sessions.find(
      (s: { name: string; available_capacity_dose1: number }) => s.name === centreA && s.available_capacity_dose1 >= 2,
    );
    expect(found).toBeDefined();
    const byPin = await client.call(
      'GET',
      `/v2/appointment/sessions/public/findByPin?pincode=${found.pincode}&date=${ddmmyyyy()}`,
    );
    expect(byPin.json.sessions.map((s: { session_id: string }) => s.session_id)).toContain(found.session_id);

    // Book both in one call, at the first slot.
    const booked = await client.call('POST', '/v2/appointment/schedule', {
      dose: 1,
      session_id: found.session_id,
      slot: found.slots[0],
      beneficiaries: [lata, mohan],
      center_id: found.center_id,
    });
    expect(booked.status, booked.text).toBe(200);
    const confirmation = booked.json.appointment_confirmation_no;
    family = (await client.call('GET', '/v2/appointment/beneficiaries')).json.beneficiaries;
    expect(
      family.map((b: { appointments: Array<{ session_id: string }> }) => b.appointments.map((a) => a.session_id)),
    ).toEqual([[found.session_id], [found.session_id]]);

    const slip = await client.call('GET', `/v2/appointment/appointmentslip/download?appointment_id=${confirmation}`);
    expect(slip.status).toBe(200);
    expect(slip.type).toBe('application/pdf');
    expect(slip.bytes.subarray(0, 5).toString()).toBe('%PDF-');

    // Mohan cannot come: cancel him on the confirmation. Lata moves to the other centre, second slot.
    const cancelled = await client.call('POST', '/v2/appointment/cancel', {
      appointment_id: confirmation,
      beneficiariesToCancel: [mohan],
    });
    expect(cancelled.status, cancelled.text).toBe(204);
    const other = (
      await client.call(
        'GET',
        `/v2/appointment/sessions/public/calendarByDistrict?district_id=${pune}&date=${ddmmyyyy()}`,
      )
    ).json.centers.find((c: { name: string }) => c.name === centreB);
    const lataAppointment = family.find(
      (b: { beneficiary_reference_id: string }) => b.beneficiary_reference_id === lata,
    ).appointments[0].appointment_id;
    const moved = await client.call('POST', '/v2/appointment/reschedule', {
      appointment_id: lataAppointment,
      session_id: other.sessions[0].session_id,
      slot: other.sessions[0].slots[1],
    });
    expect(moved.status, moved.text).toBe(204);
    family = (await client.call('GET', '/v2/appointment/beneficiaries')).json.beneficiaries;
    const lataNow = family.find((b: { beneficiary_reference_id: string }) => b.beneficiary_reference_id === lata);
    expect(lataNow.appointments).toEqual([
      expect.objectContaining({
        name: centreB,
        session_id: sessionB.id,
        slot: other.sessions[0].slots[1],
        date: ddmmyyyy(),
        dose: 1,
      }),
    ]);
    expect(
      family.find((b: { beneficiary_reference_id: string }) => b.beneficiary_reference_id === mohan).appointments,
    ).toEqual([]);
    expect(sessionA.id).toBe(found.session_id);

    // No certificate before a dose.
    const early = await client.call(
      'GET',
      `/v2/registration/certificate/public/download?beneficiary_reference_id=${lata}`,
    );
    expect(early.status).toBe(404);
    expect(early.json).toEqual({ errorCode: 'CERT0001', error: 'No certificate issued' });

    // At the centre: the vaccinator records Lata's dose with the secret code from her slip.
    const { db, app } = platform;
    const { secret_code: secretCode } = await db
      .selectFrom('beneficiary')
      .select('secret_code')
      .where('reference_id', '=', lata)
      .executeTakeFirstOrThrow();
    const vaccinator = await vaccinatorFor(app, db, sessionB.id);
    const dose = await fetch(`${baseUrl}/v1/doses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${vaccinator.token}` },
      body: JSON.stringify({
        referenceId: lata,
        secretCode,
        sessionDayId: sessionB.id,
        vaccineCode: 'COVAXIN',
        batch: 'CVX-2041',
      }),
    });
    expect(dose.status, await dose.clone().text()).toBe(201);

    family = (await client.call('GET', '/v2/appointment/beneficiaries')).json.beneficiaries;
    expect(family.find((b: { beneficiary_reference_id: string }) => b.beneficiary_reference_id === lata)).toMatchObject(
      {
        vaccination_status: 'Partially Vaccinated',
        vaccine: 'COVAXIN',
        dose1_date: ddmmyyyy(),
        dose2_date: '',
      },
    );

    // The certificate is issued by the journey shortly after the dose; a partner app polls for it.
    let certificate = await client.call(
      'GET',
      `/v2/registration/certificate/public/download?beneficiary_reference_id=${lata}`,
    );
    for (let tries = 0; certificate.status === 404 && tries < 150; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      certificate = await client.call(
        'GET',
        `/v2/registration/certificate/public/download?beneficiary_reference_id=${lata}`,
      );
    }
    expect(certificate.status, certificate.text).toBe(200);
    expect(certificate.type).toBe('application/pdf');
    expect(certificate.bytes.subarray(0, 5).toString()).toBe('%PDF-');

    // Someone else's person is not reachable, and a stale token is a plain-text 401.
    expect(
      (await client.call('GET', '/v2/registration/certificate/public/download?beneficiary_reference_id=12345678901234'))
        .status,
    ).toBe(404);
    const stranger = new CowinPartnerClient(baseUrl);
    const refused = await stranger.call('GET', '/v2/appointment/beneficiaries');
    expect(refused.status).toBe(401);
    expect(refused.text).toBe('Unauthenticated access!');
  });
});
