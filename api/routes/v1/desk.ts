import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { badRequest } from '../../errors.js';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { noteDeviceContact } from '../../../db/repositories/desk-devices.js';
import {
  DeskToday,
  DeskTodayQuery,
  OtpSent,
  SyncBody,
  SyncResult,
  Verification,
  VerifyBody,
  VerifyOtpBody,
  WalkInBody,
  WalkInRegistered,
} from '../../schemas/desk.js';
import { deskToday } from '../../services/desk-today.js';
import { sendVerificationOtp, verifyByOtp, verifyBySecretCode } from '../../services/door-check.js';
import { registerWalkIn } from '../../services/walk-ins.js';
import { syncOfflineBatch } from '../../services/offline-sync.js';
import { assertTeamStep } from '../../services/team.js';

/** A batch of up to 500 items needs more than the default body limit. */
export const SYNC_BODY_LIMIT = 2 * 1024 * 1024;

/** The vaccinator desk: only vaccinators, only on the session days they are assigned to. */
const deskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const vaccinatorOnly = app.requireStaff('VACCINATOR');

  app.get(
    '/desk/today',
    {
      preHandler: vaccinatorOnly,
      schema: {
        tags: ['vaccinator desk'],
        summary:
          'My session days today (India date) and the people booked at them (masked; no secret codes, ID numbers or mobiles)',
        querystring: DeskTodayQuery,
        response: { 200: DeskToday, ...errorResponses },
      },
    },
    async (request) => {
      const staff = staffOf(request);
      const today = await deskToday(app.db, staff, app.config.idHashSecret);
      const { deviceId } = request.query;
      if (deviceId) {
        const sessionDayIds = today.sessions.map((s) => s.sessionDayId);
        await noteDeviceContact(app.db, { deviceId, staffId: staff.staffId, sessionDayIds });
      }
      return today;
    },
  );

  app.post(
    '/desk/verify/otp',
    {
      preHandler: vaccinatorOnly,
      schema: {
        tags: ['vaccinator desk'],
        summary: "Send an OTP to a person's registered mobile, to verify them at the door without their secret code",
        body: VerifyOtpBody,
        response: { 200: OtpSent, ...errorResponses },
      },
    },
    async (request) => {
      const me = staffOf(request);
      const team = await app.assertSessionAccess(me, request.body.sessionDayId);
      await assertTeamStep(app.db, me, request.body.sessionDayId, 'VERIFY', team);
      return sendVerificationOtp(app, me, request.body);
    },
  );

  app.post(
    '/desk/verify',
    {
      preHandler: vaccinatorOnly,
      schema: {
        tags: ['vaccinator desk'],
        summary: 'Verify a person at the door by secret code, or by the OTP sent to their mobile; records the check',
        body: VerifyBody,
        response: { 200: Verification, ...errorResponses },
      },
    },
    async (request) => {
      const me = staffOf(request);
      const { sessionDayId, referenceId, secretCode, mobile, txnId, otp } = request.body;
      const byOtp = mobile !== undefined || txnId !== undefined || otp !== undefined;
      if (secretCode !== undefined && byOtp)
        throw badRequest('ONE_METHOD', 'verify by secretCode, or by mobile + txnId + otp, not both');
      if (secretCode === undefined && (mobile === undefined || txnId === undefined || otp === undefined)) {
        throw badRequest(
          'METHOD_REQUIRED',
          'give the secretCode, or mobile + txnId + otp (request the OTP with POST /desk/verify/otp)',
        );
      }
      const team = await app.assertSessionAccess(me, sessionDayId);
      // The verifier's step, or the vaccinator's in a team without one (domain/team.ts).
      await assertTeamStep(app.db, me, sessionDayId, 'VERIFY', team);
      if (secretCode !== undefined) return verifyBySecretCode(app.db, me, { sessionDayId, referenceId, secretCode });
      return verifyByOtp(app, me, { sessionDayId, referenceId, mobile: mobile!, txnId: txnId!, otp: otp! });
    },
  );

  app.post(
    '/desk/walk-ins',
    {
      preHandler: vaccinatorOnly,
      schema: {
        tags: ['vaccinator desk'],
        summary:
          'Register a walk-in after checking their photo ID; answers the reference id and secret code for the dose',
        body: WalkInBody,
        response: { 201: WalkInRegistered, ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const team = await app.assertSessionAccess(me, request.body.sessionDayId);
      await assertTeamStep(app.db, me, request.body.sessionDayId, 'VERIFY', team);
      return reply.status(201).send(await registerWalkIn(app, me, request.body));
    },
  );

  app.post(
    '/desk/sync',
    {
      preHandler: vaccinatorOnly,
      bodyLimit: SYNC_BODY_LIMIT,
      schema: {
        tags: ['vaccinator desk'],
        summary: 'Sync doses and AEFI reports recorded offline (up to 500); per-item results, replays answer duplicate',
        body: SyncBody,
        response: { 200: SyncResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      // The clock correction is anchored at the moment the request arrived (before its body was read), the
      // closest server time to the device's "sent" reading.
      const receivedAt = new Date(Date.now() - reply.elapsedTime);
      const staff = staffOf(request);
      const outcome = await syncOfflineBatch(app, staff, request.body, { receivedAt, log: request.log });
      // Everything the device sent is settled (stored, or refused for good): it has reported its session days.
      if (!outcome.results.some((r) => r.retryable)) {
        // The days of the items stored or already stored: a day this member has no part in was refused.
        const sessionDayIds = outcome.results
          .filter((r) => r.outcome === 'accepted' || r.outcome === 'duplicate')
          .map((r) => (request.body.items[r.index] as { sessionDayId?: unknown } | undefined)?.sessionDayId)
          .filter((id): id is string => typeof id === 'string');
        await noteDeviceContact(app.db, { deviceId: request.body.deviceId, staffId: staff.staffId, sessionDayIds });
      }
      return outcome;
    },
  );
};

export default deskRoutes;
