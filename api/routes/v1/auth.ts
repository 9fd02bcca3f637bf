import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { errorResponses } from '../../schemas/common.js';
import { Language, LoginOtpSent, Mobile, Otp, Tokens, TxnId } from '../../schemas/v1.js';
import { beneficiaryOf } from '../../plugins/auth.js';
import { readToken, issueBeneficiaryTokens, SESSION_MAX_SECONDS } from '../../auth/tokens.js';
import { unauthorized } from '../../errors.js';
import { sha256Hex } from '../../../domain/codes.js';
import { requestOtp, loginWithOtp } from '../../services/otp.js';
import { setAccountLanguage } from '../../../db/repositories/accounts.js';

/** Beneficiary login: a mobile OTP gives a short-lived token and a refresh token. */
const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/auth/otp',
    {
      schema: {
        tags: ['beneficiary auth'],
        summary: 'Send a 6-digit OTP by SMS (valid 3 minutes, 3 tries)',
        body: Type.Object({ mobile: Mobile, language: Type.Optional(Language) }, { additionalProperties: false }),
        response: { 200: LoginOtpSent, ...errorResponses },
      },
    },
    async (request) => requestOtp(app, request.body.mobile, request.ip, 'LOGIN', request.body.language),
  );

  app.put(
    '/account/language',
    {
      preHandler: app.requireBeneficiary,
      schema: {
        tags: ['beneficiary auth'],
        summary: "Remember the account's language: its SMS go out in it from now on",
        body: Type.Object({ language: Language }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await setAccountLanguage(app.db, beneficiaryOf(request).accountId, request.body.language);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/otp/verify',
    {
      schema: {
        tags: ['beneficiary auth'],
        summary: 'Verify the OTP and receive tokens',
        body: Type.Object({ txnId: TxnId, otp: Otp }, { additionalProperties: false }),
        response: { 200: Tokens, ...errorResponses },
      },
    },
    async (request) => loginWithOtp(app, request.body.txnId, sha256Hex(request.body.otp)),
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['beneficiary auth'],
        summary:
          'Exchange a refresh token for new tokens (the old one is revoked; presenting it again ends the login). A login lasts at most 12 hours',
        body: Type.Object(
          { refreshToken: Type.String({ minLength: 20, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Tokens, ...errorResponses },
      },
    },
    async (request) => {
      const claims = await readToken(app.config.tokenSecret, request.body.refreshToken);
      if (!claims || claims.kind !== 'refresh') throw unauthorized('invalid or expired refresh token; log in again');
      // A session ends SESSION_MAX_SECONDS after its OTP, however it was refreshed; tokens from before sessions had
      // a start time carry no `sat` and are not refreshed any more.
      if (!claims.sid || claims.sat === undefined || Date.now() / 1000 >= claims.sat + SESSION_MAX_SECONDS)
        throw unauthorized('this login is over 12 hours old; log in again with an OTP');
      if (await app.db.selectFrom('token_revocation').select('jti').where('jti', '=', claims.sid).executeTakeFirst()) {
        throw unauthorized('you have logged out, or this login was ended; log in again');
      }
      // Revoking the used token in the same statement that checks it makes a stolen copy useless after one use.
      const revoked = await app.db
        .insertInto('token_revocation')
        .values({ jti: claims.jti, expires_at: new Date(claims.exp * 1000) })
        .onConflict((oc) => oc.column('jti').doNothing())
        .returning('jti')
        .executeTakeFirst();
      if (!revoked) {
        // A spent refresh token presented again means two holders (a thief, or the owner after a thief): neither
        // is told apart, so the whole session ends and its owner logs in again with an OTP.
        await app.revokeToken(claims.sid, claims.sat + SESSION_MAX_SECONDS);
        request.log.warn({ accountId: claims.accountId }, '[auth] a spent refresh token was reused; session revoked');
        throw unauthorized('this refresh token was already used, so this login has been ended; log in again');
      }
      return issueBeneficiaryTokens(
        app.config.tokenSecret,
        { accountId: claims.accountId, mobile: claims.mobile },
        { sid: claims.sid, sat: claims.sat },
      );
    },
  );

  app.post(
    '/auth/logout',
    {
      preHandler: app.requireBeneficiary,
      schema: {
        tags: ['beneficiary auth'],
        summary: 'Revoke the current token and its login session (the refresh token too)',
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = beneficiaryOf(request);
      await app.revokeToken(principal.jti, principal.exp);
      // Revoked until the session's end, after which none of its tokens is valid anyway.
      if (principal.sid)
        await app.revokeToken(principal.sid, (principal.sat ?? Math.floor(Date.now() / 1000)) + SESSION_MAX_SECONDS);
      return reply.status(204).send(null);
    },
  );

  // Expired revocations are dead weight; trim them now and then.
  const trim = setInterval(
    () =>
      void app.db
        .deleteFrom('token_revocation')
        .where('expires_at', '<', sql<Date>`now()`)
        .execute()
        .catch(() => {}),
    60 * 60_000,
  );
  trim.unref();
  app.addHook('onClose', async () => clearInterval(trim));
};

export default authRoutes;
