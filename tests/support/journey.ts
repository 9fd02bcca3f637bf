/** Steps a person or a vaccinator takes through the HTTP API, for tests. */
import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Db } from '../../db/connection.js';
import { verhoeffCheckDigit } from '../../domain/identity.js';
import { PUNE } from './fixtures.js';
import { staffWithToken, TEST_STAFF_PASSWORD } from './staff.js';
import { registerSuiteBatches } from './suite-batches.js';

/** A valid, unique Aadhaar number (12 digits, first 2–9, Verhoeff check digit). */
export function aadhaar(): string {
  let body = String(randomInt(2, 10));
  for (let i = 0; i < 10; i++) body += String(randomInt(0, 10));
  return body + verhoeffCheckDigit(body);
}

export async function readSms(
  app: FastifyInstance,
  mobile: string,
): Promise<Array<{ template: string; body: string; status: string }>> {
  const response = await app.inject({ method: 'GET', url: `/api/v1/dev/sms?mobile=${mobile}` });
  expect(response.statusCode).toBe(200);
  return response.json().messages;
}

export async function latestOtp(app: FastifyInstance, mobile: string): Promise<string> {
  const otp = (await readSms(app, mobile)).find((m) => m.template === 'OTP');
  const match = otp?.body.match(/\b(\d{6})\b/);
  if (!match) throw new Error(`no OTP SMS for ${mobile}`);
  return match[1];
}

export async function loginBeneficiary(app: FastifyInstance, mobile: string, ip?: string): Promise<string> {
  return (await loginTokens(app, mobile, ip)).token;
}

/** A private address of its own: the per-IP OTP cap of one test never counts another test's requests. */
export function uniqueIp(): string {
  return `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

export async function requestOtp(app: FastifyInstance, mobile: string, ip?: string) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/otp',
    payload: { mobile },
    ...(ip ? { remoteAddress: ip } : {}),
  });
}

/** Logs in with a fresh OTP; both tokens. */
export async function loginTokens(
  app: FastifyInstance,
  mobile: string,
  ip?: string,
): Promise<{ token: string; refreshToken: string }> {
  const sent = await requestOtp(app, mobile, ip);
  expect(sent.statusCode, sent.body).toBe(200);
  const verified = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/otp/verify',
    payload: { txnId: sent.json().txnId, otp: await latestOtp(app, mobile) },
  });
  expect(verified.statusCode, verified.body).toBe(200);
  return verified.json();
}

/** Six digits that are not the given OTP. */
export function wrongOtp(otp: string): string {
  return String((Number(otp) + 1) % 1_000_000).padStart(6, '0');
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function book(
  app: FastifyInstance,
  token: string,
  referenceId: string,
  sessionDayId: string,
  slotId?: number,
) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/appointments',
    headers: bearer(token),
    payload: { referenceId, sessionDayId, ...(slotId ? { slotId } : {}) },
  });
}

/** Templates of the SMS sent to a mobile, oldest first. */
export async function smsTemplates(app: FastifyInstance, mobile: string): Promise<string[]> {
  return (await readSms(app, mobile)).map((m) => m.template).reverse();
}

export async function seatsOf(db: Db, sessionDayId: string) {
  return db
    .selectFrom('session_day')
    .select(['dose1_booked', 'dose2_booked', 'no_shows', 'walkin_used'])
    .where('id', '=', sessionDayId)
    .executeTakeFirstOrThrow();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function registerPerson(
  app: FastifyInstance,
  token: string,
  person: Partial<{ name: string; birthYear: number; gender: string; idType: number; idNumber: string }> = {},
) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/beneficiaries',
    headers: { authorization: `Bearer ${token}` },
    payload: { name: 'Meera Joshi', birthYear: 1985, gender: 'F', idType: 1, idNumber: aadhaar(), ...person },
  });
  return response;
}

export { TEST_STAFF_PASSWORD };

/** A vaccinator assigned to the session day, logged in. */
export async function vaccinatorFor(
  app: FastifyInstance,
  db: Db,
  sessionDayId: string,
  district = PUNE,
): Promise<{ token: string; staffId: string }> {
  const { token, staffId } = await staffWithToken(db, undefined, 'VACCINATOR', district, {
    sessionDayId,
    login: { app },
  });
  return { token, staffId };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stageOf(db: Db, referenceId: string): Promise<string> {
  const row = await db
    .selectFrom('beneficiary')
    .select('stage')
    .where('reference_id', '=', referenceId)
    .executeTakeFirstOrThrow();
  return row.stage;
}

/** A two-dose vaccine whose dose-2 window opens at once, so a whole journey runs in one test. */
export async function ensureTestVaccine(db: Db, code = 'TESTVAX', minDays = 0, maxDays = 2): Promise<string> {
  await db
    .insertInto('vaccine')
    .values({ code, name: code, doses: 2, min_interval_days: minDays, max_interval_days: maxDays })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  await registerSuiteBatches(db);
  return code;
}
