/**
 * Bad input on every journey route: missing fields, wrong types, extra fields, oversized strings, markup and SQL
 * in names, malformed ids. Always a 4xx JSON answer with a message, never a 5xx, and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import {
  aadhaar,
  bearer,
  book,
  loginBeneficiary,
  registerPerson,
  uniqueIp,
  vaccinatorFor,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 86_400_000 });
});
afterAll(() => platform.close());

const NOBODY = '00000000-0000-4000-8000-000000000000';
const NO_REF = '99999999999999';
const HOSTILE_NAMES = [
  '<script>alert(1)</script>',
  "Robert'); drop table beneficiary;--",
  "'; drop table beneficiary; --",
  'Meera" OR "1"="1',
  'Meera\u0000Joshi',
  'x'.repeat(5_000),
  '',
];
const HOSTILE_STRINGS = [
  "' or 1=1 --",
  '<img src=x onerror=alert(1)>',
  '../../etc/passwd',
  '%00',
  'x'.repeat(10_000),
  '9'.repeat(400),
  '',
  ' ',
  '\u202e',
];

const validPerson = () => ({ name: 'Meera Joshi', birthYear: 1985, gender: 'F', idType: 1, idNumber: aadhaar() });

/** People, appointments and doses the test's account, person and sessions hold: none may appear from a refused write. */
async function footprint(scope: {
  accountIds: string[];
  beneficiaryIds: string[];
  sessionDayIds: string[];
  mobiles: string[];
}) {
  const { db } = platform;
  const count = async (q: Promise<Array<unknown>>) => (await q).length;
  return {
    people: await count(
      db.selectFrom('beneficiary').select('id').where('account_id', 'in', scope.accountIds).execute(),
    ),
    peopleByMobile: await count(
      db
        .selectFrom('beneficiary')
        .innerJoin('account', 'account.id', 'beneficiary.account_id')
        .select('beneficiary.id')
        .where('account.mobile', 'in', scope.mobiles)
        .execute(),
    ),
    appointments: await count(
      db
        .selectFrom('appointment')
        .select('id')
        .where((eb) =>
          eb.or([eb('beneficiary_id', 'in', scope.beneficiaryIds), eb('session_day_id', 'in', scope.sessionDayIds)]),
        )
        .execute(),
    ),
    doses: await count(
      db
        .selectFrom('dose')
        .select('id')
        .where((eb) =>
          eb.or([eb('beneficiary_id', 'in', scope.beneficiaryIds), eb('session_day_id', 'in', scope.sessionDayIds)]),
        )
        .execute(),
    ),
    seats: await db
      .selectFrom('session_day')
      .select(['dose1_booked', 'dose2_booked', 'walkin_used'])
      .where('id', 'in', scope.sessionDayIds)
      .orderBy('id')
      .execute(),
    hostileNames: await count(
      db
        .selectFrom('beneficiary')
        .select('id')
        .where((eb) =>
          eb.or([
            eb('name', 'like', '%<script>%'),
            eb('name', 'ilike', '%drop table%'),
            eb('name', 'like', '%"1"="1%'),
          ]),
        )
        .execute(),
    ),
  };
}

/** Sends the request and checks the answer is a clear refusal: a 4xx JSON body with a message. */
async function refused(request: InjectOptions, expected?: number) {
  const response = await platform.app.inject(request);
  const what = `${request.method} ${request.url} ${JSON.stringify(request.payload ?? '').slice(0, 120)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
  expect(response.statusCode, what).toBeGreaterThanOrEqual(400);
  expect(response.statusCode, what).toBeLessThan(500);
  if (expected) expect(response.statusCode, what).toBe(expected);
  expect(response.headers['content-type'], what).toMatch(/application\/json/);
  const body = response.json();
  expect(typeof body.message, what).toBe('string');
  expect(body.message.length, what).toBeGreaterThan(0);
  // The answer never echoes the hostile input back whole (no reflected markup).
  expect(response.body, what).not.toContain('<script>');
  return response;
}

describe('bad input on the journey routes', () => {
  let token: string;
  let staffToken: string;
  let person: { referenceId: string; secretCode: string; beneficiaryId: string };
  let appointmentId: string;
  let session: { id: string };
  let later: { id: string };
  let scope: Parameters<typeof footprint>[0];
  let before: Awaited<ReturnType<typeof footprint>>;
  const mobile = uniqueMobile();
  const freshMobile = uniqueMobile();

  beforeAll(async () => {
    const { app, db } = platform;
    session = await insertSessionDay(db, { district: PUNE, dose1: 5, walkin: 0 });
    later = await insertSessionDay(db, { district: PUNE, date: addDays(indiaDate(), 1), dose1: 5 });
    token = await loginBeneficiary(app, mobile, uniqueIp());
    const registered = await registerPerson(app, token);
    expect(registered.statusCode, registered.body).toBe(201);
    const row = await db
      .selectFrom('beneficiary')
      .select(['id', 'account_id'])
      .where('reference_id', '=', registered.json().referenceId)
      .executeTakeFirstOrThrow();
    person = { ...registered.json(), beneficiaryId: row.id };
    const booked = await book(app, token, person.referenceId, session.id);
    expect(booked.statusCode, booked.body).toBe(201);
    appointmentId = booked.json().appointmentId;
    staffToken = (await vaccinatorFor(app, db, session.id)).token;
    scope = {
      accountIds: [row.account_id],
      beneficiaryIds: [row.id],
      sessionDayIds: [session.id, later.id],
      mobiles: [mobile, freshMobile],
    };
    before = await footprint(scope);
    expect(before).toMatchObject({ people: 1, appointments: 1, doses: 0, hostileNames: 0 });
  });

  it('POST /auth/otp', async () => {
    const url = '/api/v1/auth/otp';
    for (const payload of [
      {},
      { mobile: 12345 },
      { mobile: '12345' },
      { mobile: '5876543210' },
      { mobile: freshMobile, extra: true },
      { mobile: [freshMobile, freshMobile] },
      { mobile: { value: freshMobile } },
      { mobile: null },
      [],
    ]) {
      await refused({ method: 'POST', url, payload: payload as object, remoteAddress: uniqueIp() }, 400);
    }
    for (const mobile of HOSTILE_STRINGS)
      await refused({ method: 'POST', url, payload: { mobile }, remoteAddress: uniqueIp() }, 400);
    await refused(
      {
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: '{"mobile":',
        remoteAddress: uniqueIp(),
      },
      400,
    );
    await refused(
      {
        method: 'POST',
        url,
        headers: { 'content-type': 'text/plain' },
        payload: freshMobile,
        remoteAddress: uniqueIp(),
      },
      400,
    );
    await refused(
      {
        method: 'POST',
        url,
        headers: { 'content-type': 'application/xml' },
        payload: `<mobile>${freshMobile}</mobile>`,
        remoteAddress: uniqueIp(),
      },
      415,
    );
    await refused(
      {
        method: 'POST',
        url,
        payload: { mobile: freshMobile, padding: 'x'.repeat(300 * 1024) },
        remoteAddress: uniqueIp(),
      },
      413,
    );
    const challenges = await platform.db
      .selectFrom('otp_challenge')
      .select('id')
      .where('mobile', '=', freshMobile)
      .execute();
    expect(challenges).toEqual([]);
  });

  it('POST /auth/otp/verify', async () => {
    const url = '/api/v1/auth/otp/verify';
    for (const payload of [
      {},
      { txnId: NOBODY },
      { otp: '123456' },
      { txnId: 'not-a-uuid', otp: '123456' },
      { txnId: NOBODY, otp: 12345 },
      { txnId: NOBODY, otp: '12345' },
      { txnId: NOBODY, otp: '12345a' },
      { txnId: NOBODY, otp: '123456', mobile },
      { txnId: `${NOBODY}' or 1=1 --`, otp: '123456' },
    ]) {
      await refused({ method: 'POST', url, payload }, 400);
    }
    const unknown = await refused({ method: 'POST', url, payload: { txnId: NOBODY, otp: '123456' } }, 401);
    expect(unknown.json().code).toBe('OTP_UNKNOWN');
  });

  it('POST /auth/refresh', async () => {
    const url = '/api/v1/auth/refresh';
    for (const payload of [
      {},
      { refreshToken: 12345 },
      { refreshToken: 'short' },
      { refreshToken: 'x'.repeat(5_000) },
      { refreshToken: 'x'.repeat(40), extra: 1 },
    ]) {
      await refused({ method: 'POST', url, payload }, 400);
    }
    for (const refreshToken of [
      'x'.repeat(40),
      `${'a'.repeat(20)}.${'b'.repeat(20)}.${'c'.repeat(20)}`,
      token,
      "' or 1=1 -- padding padding padding",
    ]) {
      await refused({ method: 'POST', url, payload: { refreshToken } }, 401);
    }
  });

  it('POST /registrations', async () => {
    const url = '/api/v1/registrations';
    const send = (payload: unknown, expected = 400) =>
      refused({ method: 'POST', url, payload: payload as object, remoteAddress: uniqueIp() }, expected);
    await send({});
    await send({ mobile: freshMobile });
    await send({ person: validPerson() });
    await send({ mobile: freshMobile, person: validPerson(), extra: 1 });
    await send({ mobile: freshMobile, person: { ...validPerson(), extra: 1 } });
    await send({ mobile: 'abc', person: validPerson() });
    for (const name of HOSTILE_NAMES) await send({ mobile: freshMobile, person: { ...validPerson(), name } });
    const id = aadhaar();
    await send({
      mobile: freshMobile,
      person: { ...validPerson(), idNumber: id.slice(0, 11) + String((Number(id[11]) + 1) % 10) },
    });
    await send({ mobile: freshMobile, person: { ...validPerson(), birthYear: 2099 } });
    // Nothing stored and no OTP sent for any of them.
    const challenges = await platform.db
      .selectFrom('otp_challenge')
      .select('id')
      .where('mobile', '=', freshMobile)
      .execute();
    expect(challenges).toEqual([]);
  });

  it('GET, POST and DELETE /beneficiaries', async () => {
    const auth = bearer(token);
    await refused({ method: 'GET', url: '/api/v1/beneficiaries' }, 401);
    await refused(
      { method: 'GET', url: '/api/v1/beneficiaries', headers: { authorization: 'Bearer not.a.token' } },
      401,
    );
    await refused(
      {
        method: 'GET',
        url: '/api/v1/beneficiaries',
        headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      },
      401,
    );
    await refused({ method: 'GET', url: '/api/v1/beneficiaries', headers: bearer(staffToken) }, 403);
    for (const ref of [
      'abc',
      '1234',
      `${NO_REF}0`,
      encodeURIComponent("1' or '1'='1"),
      encodeURIComponent('<script>'),
    ]) {
      await refused({ method: 'GET', url: `/api/v1/beneficiaries/${ref}`, headers: auth }, 400);
      await refused({ method: 'DELETE', url: `/api/v1/beneficiaries/${ref}`, headers: auth }, 400);
    }
    await refused({ method: 'GET', url: `/api/v1/beneficiaries/${NO_REF}`, headers: auth }, 404);
    await refused({ method: 'DELETE', url: `/api/v1/beneficiaries/${NO_REF}`, headers: auth }, 404);

    const post = (payload: unknown, expected: number | undefined = 400) =>
      refused({ method: 'POST', url: '/api/v1/beneficiaries', headers: auth, payload: payload as object }, expected);
    await post({});
    await post([validPerson()]);
    for (const name of HOSTILE_NAMES) await post({ ...validPerson(), name });
    for (const idNumber of HOSTILE_STRINGS) await post({ ...validPerson(), idNumber });
    for (const birthYear of ['abc', 1985.5, 1800, 2099, null, -1, 1e20]) await post({ ...validPerson(), birthYear });
    for (const gender of ['X', 'male', '', 1, null]) await post({ ...validPerson(), gender });
    for (const idType of [0, 14, 'one', 1.5, null, -1]) await post({ ...validPerson(), idType });
    await post({ ...validPerson(), comorbidity: 'sometimes' });
    await post({ ...validPerson(), referenceId: NO_REF });
    await post({ ...validPerson(), stage: 'FULLY_VACCINATED' });
    const { name: _name, ...nameless } = validPerson();
    await post(nameless);
    await post({ ...validPerson(), idType: 6, idNumber: '12345' });
    await refused(
      { method: 'POST', url: '/api/v1/beneficiaries', headers: bearer(staffToken), payload: validPerson() },
      403,
    );
  });

  it('POST /beneficiaries/:referenceId/verify', async () => {
    const url = (ref: string) => `/api/v1/beneficiaries/${ref}/verify`;
    for (const payload of [
      {},
      { txnId: NOBODY },
      { txnId: 'nope', otp: '123456' },
      { txnId: NOBODY, otp: 'abcdef' },
      { txnId: NOBODY, otp: '123456', extra: 1 },
    ]) {
      await refused({ method: 'POST', url: url(person.referenceId), payload }, 400);
    }
    await refused({ method: 'POST', url: url('abc'), payload: { txnId: NOBODY, otp: '123456' } }, 400);
    await refused(
      { method: 'POST', url: url(encodeURIComponent("1' or 1=1 --")), payload: { txnId: NOBODY, otp: '123456' } },
      400,
    );
    await refused({ method: 'POST', url: url(NO_REF), payload: { txnId: NOBODY, otp: '123456' } }, 404);
    // Already verified: refused whatever OTP is sent.
    const verified = await refused(
      { method: 'POST', url: url(person.referenceId), payload: { txnId: NOBODY, otp: '123456' } },
      409,
    );
    expect(verified.json()).toMatchObject({
      code: 'NOT_ALLOWED_AT_STAGE',
      message: 'this registration is already verified',
    });
  });

  it('GET /sessions', async () => {
    const get = (query: string, expected = 400) =>
      refused({ method: 'GET', url: `/api/v1/sessions?${query}` }, expected);
    await get('');
    await get('date=2026-01-01');
    await get('districtId=abc');
    await get('districtId=0');
    await get(`districtId=${encodeURIComponent('27024 or 1=1')}`);
    await get('pincode=12');
    await get('pincode=4110011');
    await get(`districtId=${PUNE.districtId}&days=0`);
    await get(`districtId=${PUNE.districtId}&days=99`);
    await get(`districtId=${PUNE.districtId}&extra=1`);
    for (const date of [
      '2026-13-45',
      '2026-02-30',
      '0000-00-00',
      '9999-99-99',
      'today',
      encodeURIComponent("2026-01-01' or 1=1"),
    ]) {
      await get(`districtId=${PUNE.districtId}&date=${date}`);
    }
  });

  it('POST /appointments, reschedule and cancel', async () => {
    const auth = bearer(token);
    const post = (payload: unknown, expected: number | undefined = 400) =>
      refused({ method: 'POST', url: '/api/v1/appointments', headers: auth, payload: payload as object }, expected);
    await refused(
      {
        method: 'POST',
        url: '/api/v1/appointments',
        payload: { referenceId: person.referenceId, sessionDayId: later.id },
      },
      401,
    );
    await post({});
    await post({ referenceId: person.referenceId });
    await post({ sessionDayId: later.id });
    await post({ referenceId: 'abc', sessionDayId: later.id });
    await post({ referenceId: person.referenceId, sessionDayId: 'not-a-uuid' });
    await post({ referenceId: person.referenceId, sessionDayId: `${later.id}' or 1=1 --` });
    await post({ referenceId: person.referenceId, sessionDayId: later.id, extra: 1 });
    for (const slotId of [0, -1, 1.5, 'abc', 2 ** 31, 1e20, null])
      await post({ referenceId: person.referenceId, sessionDayId: later.id, slotId });
    await post({ referenceId: NO_REF, sessionDayId: later.id }, 404);
    // Already booked, and a slot of another session: refused by the journey, clearly.
    expect((await post({ referenceId: person.referenceId, sessionDayId: later.id }, 409)).json().code).toBe(
      'ALREADY_BOOKED',
    );

    const reschedule = (id: string, payload: unknown, expected: number | undefined = 400) =>
      refused(
        { method: 'POST', url: `/api/v1/appointments/${id}/reschedule`, headers: auth, payload: payload as object },
        expected,
      );
    await reschedule('not-a-uuid', { sessionDayId: later.id });
    await reschedule(encodeURIComponent("1' or 1=1 --"), { sessionDayId: later.id });
    await reschedule(appointmentId, {});
    await reschedule(appointmentId, { sessionDayId: 'x' });
    await reschedule(appointmentId, { sessionDayId: later.id, extra: 1 });
    await reschedule(appointmentId, { sessionDayId: later.id, slotId: 2 ** 31 });
    await reschedule(NOBODY, { sessionDayId: later.id }, 404);
    await reschedule(appointmentId, { sessionDayId: NOBODY }, 409);
    const otherSlot = await platform.db
      .selectFrom('session_slot')
      .select('id')
      .where('session_day_id', '=', session.id)
      .executeTakeFirstOrThrow();
    const wrongSlot = await reschedule(appointmentId, { sessionDayId: later.id, slotId: otherSlot.id }, 422);
    expect(wrongSlot.json().message).toBe('that time slot is not part of this session day');

    await refused({ method: 'POST', url: '/api/v1/appointments/not-a-uuid/cancel', headers: auth }, 400);
    await refused({ method: 'POST', url: `/api/v1/appointments/${NOBODY}/cancel`, headers: auth }, 404);
    await refused({ method: 'POST', url: `/api/v1/appointments/${appointmentId}/cancel` }, 401);
    // Someone else's appointment is not found for me.
    const stranger = await loginBeneficiary(platform.app, uniqueMobile(), uniqueIp());
    await refused(
      { method: 'POST', url: `/api/v1/appointments/${appointmentId}/cancel`, headers: bearer(stranger) },
      404,
    );
    await refused(
      {
        method: 'POST',
        url: `/api/v1/appointments/${appointmentId}/reschedule`,
        headers: bearer(stranger),
        payload: { sessionDayId: later.id },
      },
      404,
    );
  });

  it('POST /doses', async () => {
    const valid = {
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      sessionDayId: session.id,
      vaccineCode: 'COVAXIN',
      batch: 'BAD-1',
    };
    const post = (payload: unknown, expected: number | undefined = 400, headers = bearer(staffToken)) =>
      refused({ method: 'POST', url: '/api/v1/doses', headers, payload: payload as object }, expected);
    await post(valid, 401, {} as ReturnType<typeof bearer>);
    await post(valid, 403, bearer(token));
    await post({});
    for (const [field, value] of [
      ['referenceId', 'abc'],
      ['secretCode', 'abcd'],
      ['secretCode', '12a4'],
      ['secretCode', 12345],
      ['sessionDayId', 'x'],
      ['vaccineCode', 'covaxin'],
      ['vaccineCode', '<script>'],
      ['batch', '<script>alert(1)</script>'],
      ['batch', "'; drop table dose; --"],
      ['batch', 'x'.repeat(100)],
      ['clientEventId', 'short'],
      ['clientEventId', "'; drop table dose;--"],
      ['extra', 1],
    ] as const) {
      await post({ ...valid, [field]: value });
    }
    await post({ ...valid, secretCode: person.secretCode === '0000' ? '1111' : '0000' }, 403);
    await post({ ...valid, referenceId: NO_REF }, 404);
    await post({ ...valid, sessionDayId: later.id }, 403);
    await post({ ...valid, sessionDayId: NOBODY }, 404);
    await post({ ...valid, vaccineCode: 'COVISHIELD' }, 422);
  });

  it('POST /staff/login and GET /dev/sms', async () => {
    const login = (payload: unknown, expected = 400) =>
      refused({ method: 'POST', url: '/api/v1/staff/login', payload: payload as object }, expected);
    await login({});
    await login({ username: 'someone' });
    await login({ password: 'x' });
    await login({ username: 'a'.repeat(100), password: 'x' });
    await login({ username: 'someone', password: 'x'.repeat(300) });
    await login({ username: "admin' --", password: 'x' });
    await login({ username: '<script>', password: 'x' });
    await login({ username: 'someone', password: 'x', role: 'NATIONAL_ADMIN' });
    await login({ username: 12345, password: 'x' }, 401);
    await login({ username: 'nobody.here', password: 'wrong' }, 401);

    for (const query of [
      '',
      'mobile=abc',
      `mobile=${encodeURIComponent("9876543210' or 1=1")}`,
      `mobile=${mobile}&extra=1`,
      `mobile=${'9'.repeat(400)}`,
    ]) {
      await refused({ method: 'GET', url: `/api/v1/dev/sms?${query}` }, 400);
    }
  });

  it('changed nothing: no person, appointment, dose or seat came from a refused request', async () => {
    expect(await footprint(scope)).toEqual(before);
    // The tables the hostile strings named are still there.
    const { db } = platform;
    await db.selectFrom('beneficiary').select('id').limit(1).execute();
    await db.selectFrom('dose').select('id').limit(1).execute();
  });
});
