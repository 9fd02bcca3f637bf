/** Beneficiary OTP login, shared by /api/v1 and the Co-WIN compatible /api/v2. */
import type { AccountLanguage } from '../../db/schema.js';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import {
  checkOtpChallenge,
  createOtpChallenge,
  DEFAULT_OTP_LIMITS,
  type OtpLimits,
} from '../../db/repositories/otp.js';
import type { OtpPurpose } from '../../db/schema.js';
import { sendSms } from '../../messaging/sms-outbox.js';
import { enqueueSignal } from '../../workflows/workflow-outbox.js';
import { accountVerifiedSignal, workflowIds } from '../../workflows/shared.js';
import { issueBeneficiaryTokens } from '../auth/tokens.js';
import { clientAddressKey } from '../client-address.js';
import { deliverAfterCommit } from './workflow-commands.js';

export function otpLimits(app: FastifyInstance): OtpLimits {
  return {
    ...DEFAULT_OTP_LIMITS,
    lifetimeMs: app.config.otpLifetimeMs,
    perIpPerHour: app.config.rateLimitsEnabled ? app.config.otpPerIpPerHour : 0,
  };
}

/** Creates a challenge (within the per-mobile and per-IP caps) and sends its OTP by SMS. */
export async function requestOtp(
  app: FastifyInstance,
  mobile: string,
  ip: string | null,
  purpose: OtpPurpose,
  language?: AccountLanguage,
) {
  return sendOtp(app, await createOtp(app, mobile, ip, purpose), language);
}

export type CreatedOtp = Awaited<ReturnType<typeof createOtp>>;

/** Creates a challenge within the per-mobile and per-IP caps (TOO_MANY_OTPS otherwise); nothing is sent yet. */
export async function createOtp(app: FastifyInstance, mobile: string, clientIp: string | null, purpose: OtpPurpose) {
  const limits = otpLimits(app);
  // Counted per address key: an IPv6 client's whole /64 is one address here.
  const ip = clientIp === null ? null : clientAddressKey(clientIp);
  const challenge = await app.db.transaction().execute(async (trx) => {
    // One request at a time per mobile, and per address when it is capped, so the hourly caps hold under
    // concurrency (tests/security/auth.test.ts). Always mobile first, then address: two requests never wait on
    // each other's second lock.
    await sql`select pg_advisory_xact_lock(hashtext(${`otp:${mobile}`}))`.execute(trx);
    if (ip && limits.perIpPerHour > 0)
      await sql`select pg_advisory_xact_lock(hashtext(${`otp-ip:${ip}`}))`.execute(trx);
    return createOtpChallenge(trx, { mobile, ip, secret: app.config.idHashSecret, limits, purpose });
  });
  return { mobile, limits, ...challenge };
}

/** Forgets a challenge whose OTP was never sent (its request was refused), so it does not count against the caps. */
export async function discardUnsentOtp(app: FastifyInstance, challenge: CreatedOtp): Promise<void> {
  await app.db.deleteFrom('otp_challenge').where('id', '=', challenge.txnId).where('verified_at', 'is', null).execute();
}

/**
 * Retires a challenge whose OTP was never sent (its registration was refused): it can never be verified, but it
 * still counts against the per-mobile and per-address caps, so refused registrations cannot be looped for free
 * (each refusal says whether a photo ID is registered).
 */
export async function retireUnsentOtp(app: FastifyInstance, challenge: CreatedOtp): Promise<void> {
  await app.db
    .updateTable('otp_challenge')
    .set({ expires_at: sql<Date>`now()` })
    .where('id', '=', challenge.txnId)
    .where('verified_at', 'is', null)
    .execute();
}

/**
 * Sends a created challenge's OTP by SMS: in the language the request asked for (the screen's), else the one the
 * mobile's account chose, else English.
 */
export async function sendOtp(
  app: FastifyInstance,
  { mobile, limits, ...challenge }: CreatedOtp,
  language?: AccountLanguage,
) {
  const account = language
    ? undefined
    : await app.db.selectFrom('account').select('language').where('mobile', '=', mobile).executeTakeFirst();
  await sendSms(app.db, app.sms, {
    idempotencyKey: `otp:${challenge.txnId}`,
    mobile,
    template: 'OTP',
    locale: language ?? account?.language ?? 'en',
    // Rounded up, never "valid for 0 minutes" when OTP_LIFETIME_SECONDS is short.
    vars: { otp: challenge.otp, minutes: Math.max(1, Math.ceil(limits.lifetimeMs / 60_000)) },
  });
  return { txnId: challenge.txnId, expiresInSeconds: Math.round(limits.lifetimeMs / 1000) };
}

/**
 * Verifies a login OTP: the account is created or marked verified, people still waiting for verification
 * under it are verified by their journeys, and tokens are issued.
 */
export async function loginWithOtp(app: FastifyInstance, txnId: string, otpSha256: string) {
  const outcome = await app.db.transaction().execute(async (trx) => {
    const check = await checkOtpChallenge(trx, { txnId, otpSha256, secret: app.config.idHashSecret, purpose: 'LOGIN' });
    // A wrong OTP commits its counted try; the refusal is thrown after the commit.
    if (!check.ok) return check;
    const { mobile } = check;
    const account = await trx
      .insertInto('account')
      .values({ mobile, verified_at: new Date() })
      .onConflict((oc) =>
        oc.column('mobile').doUpdateSet({ verified_at: sql`coalesce(account.verified_at, excluded.verified_at)` }),
      )
      .returning(['id', 'mobile'])
      .executeTakeFirstOrThrow();
    const waiting = await trx
      .selectFrom('beneficiary')
      .select('reference_id')
      .where('account_id', '=', account.id)
      .where('stage', '=', 'REGISTERED')
      .where('deleted_at', 'is', null)
      .execute();
    const commandIds: string[] = [];
    for (const person of waiting) {
      commandIds.push(
        await enqueueSignal(trx, {
          workflowId: workflowIds.journey(person.reference_id),
          signalName: accountVerifiedSignal.name,
          payload: null,
        }),
      );
    }
    return { ok: true as const, account, commandIds };
  });
  if (!outcome.ok) throw outcome.refusal;
  const { account, commandIds } = outcome;
  await deliverAfterCommit(app.db, app.temporal, app.log, commandIds);
  return issueBeneficiaryTokens(app.config.tokenSecret, { accountId: account.id, mobile: account.mobile });
}
