/**
 * OTP challenges: 6 digits by SMS, valid for a few minutes, a bounded number of tries each, and a cap on
 * how many a mobile (and an IP) may request per hour. Only a keyed hash of the OTP's SHA-256 is stored.
 * Each challenge has a purpose, checked on use: an OTP a person reads out to the vaccinator (DESK_CHECK) can never
 * log anyone in, and a login OTP verifies no desk check.
 */
import { sql } from 'kysely';
import { Refusal } from '../../domain/refusals.js';
import { constantTimeEqual, newOtp, otpStoredHash, sha256Hex } from '../../domain/codes.js';
import { DomainRefusal, refuse } from '../../domain/errors.js';
import type { OtpPurpose } from '../schema.js';
import type { Executor } from './audit.js';

export interface OtpLimits {
  lifetimeMs: number;
  maxAttempts: number;
  perMobilePerHour: number;
  /** 0 = no per-IP cap (RATE_LIMITS=off). */
  perIpPerHour: number;
}

export const DEFAULT_OTP_LIMITS: OtpLimits = {
  lifetimeMs: 3 * 60_000,
  maxAttempts: 3,
  perMobilePerHour: 5,
  perIpPerHour: 30,
};

export async function createOtpChallenge(
  db: Executor,
  request: { mobile: string; ip: string | null; secret: string; limits: OtpLimits; purpose: OtpPurpose },
): Promise<{ txnId: string; otp: string; expiresAt: Date }> {
  const since = sql<Date>`now() - interval '1 hour'`;
  const { count: forMobile } = await db
    .selectFrom('otp_challenge')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('mobile', '=', request.mobile)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  if (forMobile >= request.limits.perMobilePerHour) {
    refuse(Refusal.TOO_MANY_OTPS, `too many OTPs requested for this mobile; try again within the hour`);
  }
  if (request.ip && request.limits.perIpPerHour > 0) {
    const { count: forIp } = await db
      .selectFrom('otp_challenge')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('requester_ip', '=', request.ip)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    if (forIp >= request.limits.perIpPerHour)
      refuse(Refusal.TOO_MANY_OTPS, 'too many OTPs requested from this network; try again later');
  }
  const otp = newOtp();
  const expiresAt = new Date(Date.now() + request.limits.lifetimeMs);
  const { id } = await db
    .insertInto('otp_challenge')
    .values({
      mobile: request.mobile,
      code_hash: otpStoredHash(request.secret, sha256Hex(otp)),
      purpose: request.purpose,
      expires_at: expiresAt,
      max_attempts: request.limits.maxAttempts,
      requester_ip: request.ip,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { txnId: id, otp, expiresAt };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Spends one try of a challenge and verifies it. The try is counted in the same statement that checks the
 * challenge is live, so parallel guesses cannot exceed the limit. Throws DomainRefusal when it fails — so inside
 * a transaction use `checkOtpChallenge`, or the refusal rolls the counted try back.
 */
export async function verifyOtpChallenge(
  db: Executor,
  request: {
    txnId: string;
    otpSha256: string;
    secret: string;
    /** What the caller uses it for: a challenge made for anything else is answered as unknown, and no try is spent. */
    purpose: OtpPurpose;
    mobile?: string;
  },
): Promise<{ mobile: string }> {
  if (!UUID.test(request.txnId))
    return refuse(Refusal.OTP_UNKNOWN, 'unknown or expired transaction; request a new OTP');
  const spent = await db
    .updateTable('otp_challenge')
    .set({ attempts: sql`attempts + 1` })
    .where('id', '=', request.txnId)
    .where('purpose', '=', request.purpose)
    .where('verified_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .where(sql<boolean>`attempts < max_attempts`)
    .$if(request.mobile !== undefined, (qb) => qb.where('mobile', '=', request.mobile!))
    .returning(['code_hash', 'attempts', 'max_attempts', 'mobile'])
    .executeTakeFirst();
  if (!spent) {
    const challenge = await db
      .selectFrom('otp_challenge')
      .select(['verified_at', 'expires_at', 'attempts', 'max_attempts', 'mobile'])
      .where('id', '=', request.txnId)
      .where('purpose', '=', request.purpose)
      .executeTakeFirst();
    if (!challenge || (request.mobile !== undefined && challenge.mobile !== request.mobile))
      return refuse(Refusal.OTP_UNKNOWN, 'unknown transaction; request a new OTP');
    if (challenge.verified_at) return refuse(Refusal.OTP_USED, 'this OTP has already been used; request a new one');
    if (challenge.attempts >= challenge.max_attempts)
      return refuse(Refusal.OTP_LOCKED, 'too many wrong tries; request a new OTP');
    return refuse(Refusal.OTP_EXPIRED, 'this OTP has expired; request a new one');
  }
  if (!constantTimeEqual(spent.code_hash, otpStoredHash(request.secret, request.otpSha256))) {
    const attemptsLeft = spent.max_attempts - spent.attempts;
    return refuse(
      Refusal.OTP_INVALID,
      attemptsLeft > 0
        ? `wrong OTP; ${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left`
        : 'wrong OTP; no tries left, request a new OTP',
      { attemptsLeft },
    );
  }
  await db.updateTable('otp_challenge').set({ verified_at: new Date() }).where('id', '=', request.txnId).execute();
  return { mobile: spent.mobile };
}

export type OtpCheck = { ok: true; mobile: string } | { ok: false; refusal: DomainRefusal };

/**
 * `verifyOtpChallenge` for callers inside a transaction: a refusal is returned instead of thrown, so the caller
 * commits the counted try and refuses after the commit. A refusal thrown inside the transaction would roll the
 * try back and give a guesser unlimited tries.
 */
export async function checkOtpChallenge(
  trx: Executor,
  request: Parameters<typeof verifyOtpChallenge>[1],
): Promise<OtpCheck> {
  try {
    return { ok: true, ...(await verifyOtpChallenge(trx, request)) };
  } catch (error) {
    if (error instanceof DomainRefusal) return { ok: false, refusal: error };
    throw error;
  }
}
