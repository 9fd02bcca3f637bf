import { sql } from 'kysely';
/**
 * Registering people: one registration per photo ID whatever mobile tries, ID shapes checked, at most 4 people
 * per mobile, ID numbers never stored or shown in full; and registration from a mobile not yet verified,
 * which waits for its OTP (verified, refused, expired, or verified by a later login).
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import {
  aadhaar,
  bearer,
  book,
  latestOtp,
  loginBeneficiary,
  readSms,
  registerPerson,
  requestOtp,
  stageOf,
  uniqueIp,
  waitFor,
  wrongOtp,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
/** Same database and Temporal, but OTPs (and so unverified registrations) live 1.5 s. */
let shortLived: TestPlatform;
/** OTPs that outlive registering four people on a busy machine, then lapse. */
let slowLapse: TestPlatform;
beforeAll(async () => {
  [platform, shortLived, slowLapse] = await Promise.all([
    startTestPlatform({ dayMs: 864_000 }),
    startTestPlatform({ dayMs: 864_000, otpLifetimeMs: 1_500 }),
    startTestPlatform({ dayMs: 864_000, otpLifetimeMs: 8_000 }),
  ]);
});
afterAll(async () => {
  await Promise.all([platform?.close(), shortLived?.close(), slowLapse?.close()]);
});

const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(65 + randomInt(0, 26))).join('');
const digits = (n: number) => Array.from({ length: n }, () => String(randomInt(0, 10))).join('');
const pan = () => `${letters(5)}${digits(4)}${letters(1)}`;
const passport = () => `${letters(1)}${digits(7)}`;

const person = (idNumber: string, idType = 1) => ({
  name: 'Asha Patil',
  birthYear: 1980,
  gender: 'F',
  idType,
  idNumber,
});

function registerUnverified(app: TestPlatform['app'], mobile: string, idNumber = aadhaar()) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/registrations',
    remoteAddress: uniqueIp(),
    payload: { mobile, person: person(idNumber) },
  });
}

async function historyOf(referenceId: string) {
  const rows = await platform.db
    .selectFrom('journey_stage_history')
    .innerJoin('beneficiary', 'beneficiary.id', 'journey_stage_history.beneficiary_id')
    .select(['to_stage'])
    .where('beneficiary.reference_id', '=', referenceId)
    .orderBy('journey_stage_history.id')
    .execute();
  return rows.map((r) => r.to_stage);
}

describe('identity rules', () => {
  it('refuses a photo ID already registered from another mobile, however the number is typed', async () => {
    const { app } = platform;
    const id = aadhaar();
    const first = await registerPerson(app, await loginBeneficiary(app, uniqueMobile(), uniqueIp()), { idNumber: id });
    expect(first.statusCode, first.body).toBe(201);

    const other = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    const spaced = `${id.slice(0, 4)} ${id.slice(4, 8)} ${id.slice(8)}`;
    const dashed = `${id.slice(0, 4)}-${id.slice(4, 8)}-${id.slice(8)}`;
    for (const typed of [id, spaced, dashed]) {
      const again = await registerPerson(app, other, { idNumber: typed, name: 'Someone Else' });
      expect(again.statusCode, typed).toBe(409);
      expect(again.json()).toMatchObject({
        code: 'IDENTITY_ALREADY_REGISTERED',
        message: expect.stringContaining('this photo ID is already registered; one person can be registered only once'),
      });
    }
    // Nor from a mobile not yet verified; that mobile is sent no OTP, but the refusal counts against its OTP cap
    // (tests/security/request-budgets.test.ts) with a challenge that can never be verified.
    const unverifiedMobile = uniqueMobile();
    const unverified = await registerUnverified(app, unverifiedMobile, dashed);
    expect(unverified.statusCode).toBe(409);
    expect(unverified.json().code).toBe('IDENTITY_ALREADY_REGISTERED');
    expect(await readSms(app, unverifiedMobile)).toEqual([]);
    const retired = await platform.db
      .selectFrom('otp_challenge')
      .select(sql<boolean>`expires_at <= now()`.as('expired'))
      .where('mobile', '=', unverifiedMobile)
      .execute();
    expect(retired).toEqual([{ expired: true }]);
  });

  it('refuses an Aadhaar number that fails its checksum', async () => {
    const { app } = platform;
    const token = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    const good = aadhaar();
    const bad = good.slice(0, 11) + String((Number(good[11]) + 1) % 10);
    const answer = await registerPerson(app, token, { idNumber: bad });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({
      code: 'INVALID_ID_NUMBER',
      message: 'that Aadhaar number fails its checksum; please check the digits',
    });
    const short = await registerPerson(app, token, { idNumber: good.slice(0, 11) });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({
      code: 'INVALID_ID_NUMBER',
      message: 'that is not a valid Aadhaar Card number',
    });
  });

  it('checks PAN and passport shapes', async () => {
    const { app } = platform;
    const token = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    const okPan = await registerPerson(app, token, { idType: 6, idNumber: pan().toLowerCase() });
    expect(okPan.statusCode, okPan.body).toBe(201);
    const badPan = await registerPerson(app, token, { idType: 6, idNumber: `${letters(4)}${digits(5)}${letters(1)}` });
    expect(badPan.statusCode).toBe(400);
    expect(badPan.json()).toMatchObject({ code: 'INVALID_ID_NUMBER', message: 'that is not a valid PAN Card number' });

    const okPassport = await registerPerson(app, token, { idType: 8, idNumber: passport() });
    expect(okPassport.statusCode, okPassport.body).toBe(201);
    const badPassport = await registerPerson(app, token, { idType: 8, idNumber: digits(8) });
    expect(badPassport.statusCode).toBe(400);
    expect(badPassport.json()).toMatchObject({
      code: 'INVALID_ID_NUMBER',
      message: 'that is not a valid Passport number',
    });
  });

  it('registers at most 4 people on one mobile', async () => {
    const { app, db } = platform;
    const mobile = uniqueMobile();
    const token = await loginBeneficiary(app, mobile, uniqueIp());
    for (let i = 0; i < 4; i++) expect((await registerPerson(app, token)).statusCode).toBe(201);
    const fifth = await registerPerson(app, token);
    expect(fifth.statusCode).toBe(409);
    expect(fifth.json()).toMatchObject({
      code: 'TOO_MANY_PEOPLE',
      message: 'a mobile number can register at most 4 people',
    });
    const account = await db.selectFrom('account').select('id').where('mobile', '=', mobile).executeTakeFirstOrThrow();
    const people = await db.selectFrom('beneficiary').select('id').where('account_id', '=', account.id).execute();
    expect(people).toHaveLength(4);
  });

  it('shows masked ID numbers only, and stores no ID number in full', async () => {
    const { app, db } = platform;
    const id = aadhaar();
    const passportNumber = passport();
    const token = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    const registered = await registerPerson(app, token, { idNumber: id });
    expect(registered.statusCode).toBe(201);
    expect(registered.body).not.toContain(id.slice(0, 8));
    const second = await registerPerson(app, token, { idType: 8, idNumber: passportNumber });
    expect(second.statusCode).toBe(201);

    const list = await app.inject({ method: 'GET', url: '/api/v1/beneficiaries', headers: bearer(token) });
    expect(list.json().beneficiaries.map((b: { idNumberMasked: string }) => b.idNumberMasked)).toEqual([
      `XXXXXXXX${id.slice(-4)}`,
      `XXXXXXXX${passportNumber.slice(-4)}`,
    ]);
    expect(list.body).not.toContain(id.slice(0, 8));
    expect(list.body).not.toContain(passportNumber);
    const one = await app.inject({
      method: 'GET',
      url: `/api/v1/beneficiaries/${registered.json().referenceId}`,
      headers: bearer(token),
    });
    expect(one.json().idNumberMasked).toBe(`XXXXXXXX${id.slice(-4)}`);
    expect(one.body).not.toContain(id.slice(0, 8));

    for (const referenceId of [registered.json().referenceId, second.json().referenceId]) {
      const row = await db
        .selectFrom('beneficiary')
        .selectAll()
        .where('reference_id', '=', referenceId)
        .executeTakeFirstOrThrow();
      const stored = JSON.stringify(Object.values(row));
      expect(stored).not.toContain(id);
      expect(stored).not.toContain(id.slice(0, 8));
      expect(stored).not.toContain(passportNumber);
      const audits = await db.selectFrom('audit_log').select('details').where('entity_id', '=', row.id).execute();
      expect(audits.length).toBeGreaterThan(0);
      expect(JSON.stringify(audits)).not.toContain(id.slice(0, 8));
      expect(JSON.stringify(audits)).not.toContain(passportNumber);
    }
  });
});

describe('registration from a mobile not yet verified', () => {
  it('waits as REGISTERED until the OTP sent to the mobile is verified, then is VERIFIED and logged in', async () => {
    const { app, db } = platform;
    const mobile = uniqueMobile();
    const registered = await registerUnverified(app, mobile);
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId, txnId, stage } = registered.json();
    expect(stage).toBe('REGISTERED');
    expect(await stageOf(db, referenceId)).toBe('REGISTERED');

    const verified = await app.inject({
      method: 'POST',
      url: `/api/v1/beneficiaries/${referenceId}/verify`,
      payload: { txnId, otp: await latestOtp(app, mobile) },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({
      stage: 'VERIFIED',
      tokens: { token: expect.any(String), refreshToken: expect.any(String) },
    });
    expect(await stageOf(db, referenceId)).toBe('VERIFIED');
    expect(await historyOf(referenceId)).toEqual(['REGISTERED', 'VERIFIED']);

    const mine = await app.inject({
      method: 'GET',
      url: '/api/v1/beneficiaries',
      headers: bearer(verified.json().tokens.token),
    });
    expect(mine.json().beneficiaries).toEqual([expect.objectContaining({ referenceId, stage: 'VERIFIED' })]);
    const account = await db
      .selectFrom('account')
      .select('verified_at')
      .where('mobile', '=', mobile)
      .executeTakeFirstOrThrow();
    expect(account.verified_at).toBeInstanceOf(Date);

    // Verified once: the same step again is refused clearly.
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/beneficiaries/${referenceId}/verify`,
      payload: { txnId, otp: await latestOtp(app, mobile) },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      code: 'NOT_ALLOWED_AT_STAGE',
      message: 'this registration is already verified',
    });
  });

  it('refuses a wrong OTP with the tries left and stays REGISTERED; the third wrong try locks it', async () => {
    const { app, db } = platform;
    const mobile = uniqueMobile();
    const registered = await registerUnverified(app, mobile);
    const { referenceId, txnId } = registered.json();
    const otp = await latestOtp(app, mobile);
    const url = `/api/v1/beneficiaries/${referenceId}/verify`;

    const first = await app.inject({ method: 'POST', url, payload: { txnId, otp: wrongOtp(otp) } });
    expect(first.statusCode).toBe(401);
    expect(first.json()).toMatchObject({
      code: 'OTP_INVALID',
      message: 'wrong OTP; 2 tries left',
      details: { attemptsLeft: 2 },
    });
    expect(await stageOf(db, referenceId)).toBe('REGISTERED');
    const second = await app.inject({ method: 'POST', url, payload: { txnId, otp: wrongOtp(otp) } });
    expect(second.json()).toMatchObject({ code: 'OTP_INVALID', message: 'wrong OTP; 1 try left' });
    await app.inject({ method: 'POST', url, payload: { txnId, otp: wrongOtp(otp) } });
    const locked = await app.inject({ method: 'POST', url, payload: { txnId, otp } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'OTP_LOCKED', message: 'too many wrong tries; request a new OTP' });
    expect(await stageOf(db, referenceId)).toBe('REGISTERED');
  });

  it('expires when the OTP is not verified in time: the stage says so, and booking is refused', async () => {
    const { db } = platform;
    const mobile = uniqueMobile();
    const id = aadhaar();
    const registered = await registerUnverified(shortLived.app, mobile, id);
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId, txnId } = registered.json();
    const otp = await latestOtp(platform.app, mobile);
    await waitFor(async () => (await stageOf(db, referenceId)) === 'EXPIRED', 'EXPIRED', 15_000);
    expect(await historyOf(referenceId)).toEqual(['REGISTERED', 'EXPIRED']);
    const late = await platform.app.inject({
      method: 'POST',
      url: `/api/v1/beneficiaries/${referenceId}/verify`,
      payload: { txnId, otp },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('REGISTRATION_EXPIRED');

    const session = await insertSessionDay(db, { district: PUNE });
    const token = await loginBeneficiary(platform.app, mobile, uniqueIp());
    expect(await stageOf(db, referenceId)).toBe('EXPIRED');
    const booking = await book(platform.app, token, referenceId, session.id);
    expect(booking.statusCode).toBe(409);
    expect(booking.json()).toMatchObject({
      code: 'REGISTRATION_EXPIRED',
      message: 'this registration lapsed because its OTP was not verified in time; register the person again',
    });
    expect(await db.selectFrom('appointment').select('id').where('session_day_id', '=', session.id).execute()).toEqual(
      [],
    );

    // The lapsed registration does not hold the photo ID: the person registers again.
    const again = await registerPerson(platform.app, token, { idNumber: id });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().stage).toBe('VERIFIED');
    const mine = await platform.app.inject({ method: 'GET', url: '/api/v1/beneficiaries', headers: bearer(token) });
    expect(mine.json().beneficiaries.map((b: { referenceId: string }) => b.referenceId)).toEqual([
      again.json().referenceId,
    ]);
  });

  it('lets lapsed registrations free their places among the 4 people of a mobile', async () => {
    const { db } = platform;
    const mobile = uniqueMobile();
    const lapsed: string[] = [];
    for (let i = 0; i < 4; i++) {
      const registered = await registerUnverified(shortLived.app, mobile);
      expect(registered.statusCode, registered.body).toBe(201);
      lapsed.push(registered.json().referenceId);
    }
    expect((await registerUnverified(shortLived.app, mobile)).json().code).toBe('TOO_MANY_PEOPLE');
    for (const referenceId of lapsed)
      await waitFor(async () => (await stageOf(db, referenceId)) === 'EXPIRED', 'EXPIRED', 15_000);
    const token = await loginBeneficiary(platform.app, mobile, uniqueIp());
    const fresh = await registerPerson(platform.app, token);
    expect(fresh.statusCode, fresh.body).toBe(201);
    const released = await db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'BENEFICIARY_LAPSED_RELEASED')
      .where(
        'entity_id',
        'in',
        (await db.selectFrom('beneficiary').select('id').where('reference_id', 'in', lapsed).execute()).map(
          (r) => r.id,
        ),
      )
      .execute();
    expect(released).toHaveLength(4);
  });

  it('stores nobody when the mobile has used up its OTPs for the hour', async () => {
    const { app, db } = platform;
    const mobile = uniqueMobile();
    for (let i = 0; i < 5; i++) expect((await requestOtp(app, mobile, uniqueIp())).statusCode).toBe(200);
    const id = aadhaar();
    const refused = await registerUnverified(app, mobile, id);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'TOO_MANY_OTPS', message: expect.stringContaining('too many OTPs') });
    const stored = await db
      .selectFrom('beneficiary')
      .innerJoin('account', 'account.id', 'beneficiary.account_id')
      .select('beneficiary.id')
      .where('account.mobile', '=', mobile)
      .execute();
    expect(stored).toEqual([]);
    // The photo ID is still free.
    expect(
      (await registerPerson(app, await loginBeneficiary(app, uniqueMobile(), uniqueIp()), { idNumber: id })).statusCode,
    ).toBe(201);
  });

  it('is verified by a later OTP login on the same mobile', async () => {
    const { app, db } = platform;
    const mobile = uniqueMobile();
    const registered = await registerUnverified(app, mobile);
    const { referenceId } = registered.json();
    expect(await stageOf(db, referenceId)).toBe('REGISTERED');

    const token = await loginBeneficiary(app, mobile, uniqueIp());
    await waitFor(async () => (await stageOf(db, referenceId)) === 'VERIFIED', 'VERIFIED after login');
    expect(await historyOf(referenceId)).toEqual(['REGISTERED', 'VERIFIED']);
    const mine = await app.inject({
      method: 'GET',
      url: `/api/v1/beneficiaries/${referenceId}`,
      headers: bearer(token),
    });
    expect(mine.json()).toMatchObject({ referenceId, stage: 'VERIFIED' });
    expect((await readSms(app, mobile)).filter((m) => m.template === 'OTP')).toHaveLength(2);
  });
});
