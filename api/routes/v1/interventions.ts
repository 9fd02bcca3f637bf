import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { StaffRole } from '../../../db/schema.js';
import { staffOf } from '../../plugins/auth.js';
import { ErrorResponse, errorResponses } from '../../schemas/common.js';
import { InterventionAnswer, SessionDayStatusView } from '../../schemas/interventions.js';
import { TeamRole } from '../../schemas/planning.js';
import { Uuid } from '../../schemas/v1.js';
import { ClosingVials } from '../../schemas/vaccine-batches.js';
import { badRequest } from '../../errors.js';
import { closingStock, recordClosing } from '../../services/vaccine-batches.js';
import {
  describeSessionDayStatus,
  SessionDayService,
  type Intervention,
  type InterventionKind,
} from '../../services/session-days.js';

const OFFICERS: StaffRole[] = ['DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'];

const Params = Type.Object({ sessionDayId: Uuid }, { additionalProperties: false });

const responses = { 200: InterventionAnswer, ...errorResponses, 422: ErrorResponse, 503: ErrorResponse };

const Reason = Type.String({ minLength: 3, maxLength: 200, pattern: '\\S' });

/** Each intervention: its body and how it becomes the workflow's update. */
const INTERVENTIONS: {
  [K in InterventionKind]: {
    summary: string;
    body: TSchema;
    roles: StaffRole[];
    toIntervention(body: any): Intervention;
  };
} = {
  extend: {
    summary: 'Extend the closing time by some minutes (not past midnight)',
    body: Type.Object({ minutes: Type.Integer({ minimum: 1, maximum: 720 }) }, { additionalProperties: false }),
    roles: OFFICERS,
    toIntervention: (body: { minutes: number }) => ({ kind: 'extend', minutes: body.minutes }),
  },
  pause: {
    summary: 'Pause an open (or stalled) session: doses are not taken until it resumes',
    body: Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false }),
    roles: OFFICERS,
    toIntervention: (body: { reason?: string }) => ({ kind: 'pause', reason: body.reason }),
  },
  resume: {
    summary: 'Resume a paused session',
    body: Type.Object({}, { additionalProperties: false }),
    roles: OFFICERS,
    toIntervention: () => ({ kind: 'resume' }),
  },
  cancel: {
    summary:
      'Cancel the session day: every booked person is released and told by SMS, or with moveBookings moved to the next session day with seats (the same site or the nearest first) and told their new slot',
    body: Type.Object(
      {
        reason: Reason,
        moveBookings: Type.Optional(
          Type.Boolean({
            description:
              'move each booked person to the next session day of the vaccine in the district with a seat for them (those none can take are released); each is texted the new slot and may change or cancel it',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    roles: OFFICERS,
    toIntervention: (body: { reason: string; moveBookings?: boolean }) => ({
      kind: 'cancel',
      reason: body.reason,
      moveBookings: body.moveBookings,
    }),
  },
  assign: {
    summary: "Add a staff member to the day's team, or move them here from their other session day of the date",
    body: Type.Object(
      { staffId: Uuid, teamRole: Type.Optional(TeamRole), moveFromOtherSession: Type.Optional(Type.Boolean()) },
      { additionalProperties: false },
    ),
    roles: OFFICERS,
    toIntervention: (body: {
      staffId: string;
      teamRole?: 'VACCINATOR' | 'VERIFIER' | 'OBSERVER';
      moveFromOtherSession?: boolean;
    }) => ({
      kind: 'assign',
      staffId: body.staffId,
      teamRole: body.teamRole ?? 'VACCINATOR',
      moveFromOtherSession: body.moveFromOtherSession,
    }),
  },
  close: {
    summary: 'Close the session now, or report the wastage of a closed one; the assigned vaccinator may too',
    body: Type.Object(
      {
        wastage: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'doses wasted' })),
        vials: Type.Optional(ClosingVials),
      },
      { additionalProperties: false },
    ),
    roles: [...OFFICERS, 'VACCINATOR'],
    toIntervention: (body: { wastage?: number }) => ({ kind: 'close', wastage: body.wastage }),
  },
};

/**
 * Officers' interventions on a session day, each an Update of its workflow (started at once if the day has none),
 * audited by the workflow's activities with the officer as actor; and the day's live status for the console.
 */
const interventionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const sessions = new SessionDayService(app.db, app.temporal, app.config);

  async function closingOf(sessionDayId: string, body: unknown) {
    const { vials, wastage } = (body ?? {}) as { vials?: { batchId: string; vialsOpened: number }[]; wastage?: number };
    if (!vials?.length) return undefined;
    const closing = await closingStock(app.db, sessionDayId, vials);
    if (wastage !== undefined && wastage !== closing.wastage)
      throw badRequest(
        'WASTAGE_MISMATCH',
        `the opened vials leave ${closing.wastage} doses wasted, not ${wastage}; send the vials or the wastage, not both`,
      );
    return closing;
  }

  for (const [kind, spec] of Object.entries(INTERVENTIONS) as Array<
    [InterventionKind, (typeof INTERVENTIONS)[InterventionKind]]
  >) {
    app.post(
      `/session-days/:sessionDayId/interventions/${kind}`,
      {
        preHandler: app.requireStaff(...spec.roles),
        schema: {
          tags: ['district console'],
          summary: spec.summary,
          params: Params,
          body: spec.body,
          response: responses,
        },
      },
      async (request) => {
        const me = staffOf(request);
        const { sessionDayId } = request.params;
        await app.assertSessionAccess(me, sessionDayId);
        // A close that counts the opened vials of each batch reports their open-vial wastage as the day's.
        const closing = await closingOf(sessionDayId, request.body);
        const result = await sessions.intervene(
          sessionDayId,
          { staffId: me.staffId, role: me.role },
          closing ? { kind: 'close', wastage: closing.wastage } : spec.toIntervention(request.body),
          request.log,
        );
        if (closing) await recordClosing(app.db, me, sessionDayId, closing.lines);
        return {
          ...(await describeSessionDayStatus(app.db, sessionDayId)),
          ...(result.assignment ? { assignment: result.assignment } : {}),
          ...(result.moves ? { moves: result.moves } : {}),
        };
      },
    );
  }

  app.get(
    '/session-days/:sessionDayId/status',
    {
      preHandler: app.requireStaff(...OFFICERS),
      schema: {
        tags: ['district console'],
        summary: 'A session day now: status, counts, the last dose and the pace against plan',
        params: Params,
        response: { 200: SessionDayStatusView, ...errorResponses },
      },
    },
    async (request) => {
      await app.assertSessionAccess(staffOf(request), request.params.sessionDayId);
      return describeSessionDayStatus(app.db, request.params.sessionDayId);
    },
  );
};

export default interventionRoutes;
