import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listPlannedDays } from '../../../../db/repositories/planned-days.js';
import {
  planSessionDays,
  type PlanningProblem,
  type ProblemKind,
} from '../../../../db/repositories/session-day-planning.js';
import type { RefusalCode } from '../../../../domain/refusals.js';
import { indiaDate } from '../../../../domain/time.js';
import { canActInDistrict } from '../../../auth/jurisdiction.js';
import { AppError } from '../../../errors.js';
import { staffOf } from '../../../plugins/auth.js';
import {
  AssignmentBody,
  AssignmentView,
  DistrictId,
  NewSessionDayBody,
  planningErrors,
  PlannedDayView,
  SessionDayPatchBody,
} from '../../../schemas/planning.js';
import { IsoDate, Uuid } from '../../../schemas/v1.js';
import { listScope, OFFICER_ROLES } from './jurisdiction.js';
import { assignAndTell, editAndTell, tellNewTeams, unassignAndTell } from '../../../services/team.js';

/**
 * The answer to a single plan's problems: the gravest kind decides the code, and so the status (a site you may not
 * plan says 403 first).
 */
const PROBLEM_CODE: Array<[ProblemKind, RefusalCode]> = [
  ['not_found', 'NOT_FOUND'],
  ['forbidden', 'FORBIDDEN'],
  ['invalid', 'INVALID_SESSION_PLAN'],
  ['conflict', 'SESSION_DAY_EXISTS'],
];

function refusalFor(problems: PlanningProblem[]): AppError {
  for (const [kind, code] of PROBLEM_CODE) {
    const mine = problems.filter((p) => p.kind === kind);
    if (mine.length) {
      return new AppError(code, mine.map((p) => p.message).join('; '), {
        problems: mine.map(({ column, message }) => ({ column, message })),
      });
    }
  }
  return new AppError('INVALID_SESSION_PLAN', 'the session day could not be planned');
}

const SessionDayParams = Type.Object({ sessionDayId: Uuid });

/** Session days: planning them, editing seats/hours/ages, and putting staff on them. */
const sessionDayRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/session-days',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['planning'],
        summary: 'Plan a session day at a site; its time slots are generated from the hours and slot length',
        body: NewSessionDayBody,
        response: { 201: PlannedDayView, ...planningErrors },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const body = request.body;
      const result = await planSessionDays(
        app.db,
        [
          {
            siteId: body.siteId,
            date: body.date,
            vaccineCode: body.vaccineCode,
            minAge: body.minAge ?? 18,
            maxAge: body.maxAge ?? null,
            dose1Capacity: body.dose1Capacity,
            dose2Capacity: body.dose2Capacity,
            walkinCapacity: body.walkinCapacity ?? 0,
            opensAt: body.opensAt,
            closesAt: body.closesAt,
            slotMinutes: body.slotMinutes ?? 120,
            vaccinatorIds: body.vaccinatorIds,
          },
        ],
        {
          actor: { type: 'STAFF', id: me.staffId, role: me.role },
          mayPlanIn: (district) => canActInDistrict(me, district),
        },
      );
      if (!result.ok) throw refusalFor(result.problems);
      await tellNewTeams(app, result.sessionDayIds, request.log);
      const [created] = await listPlannedDays(app.db, { scope: {}, ids: result.sessionDayIds });
      return reply.status(201).send(created);
    },
  );

  app.patch(
    '/session-days/:sessionDayId',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['planning'],
        summary:
          'Change seats, walk-in quota, hours or ages; never below what is booked, hours only while nobody has booked',
        params: SessionDayParams,
        body: SessionDayPatchBody,
        response: { 200: PlannedDayView, ...planningErrors },
      },
    },
    async (request) => {
      const me = staffOf(request);
      await app.assertSessionAccess(me, request.params.sessionDayId);
      // The team is told by SMS when the hours change (api/services/team.ts).
      await editAndTell(app, me, request.params.sessionDayId, request.body, request.log);
      const [day] = await listPlannedDays(app.db, { scope: {}, ids: [request.params.sessionDayId] });
      return day;
    },
  );

  app.get(
    '/session-days',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['planning'],
        summary:
          'Session days of a date (today by default) in your jurisdiction or one district, with bookings, doses, no-shows and team',
        querystring: Type.Object(
          { districtId: Type.Optional(DistrictId), date: Type.Optional(IsoDate) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ sessionDays: Type.Array(PlannedDayView) }), ...planningErrors },
      },
    },
    async (request) => {
      const scope = await listScope(app.db, staffOf(request), request.query.districtId);
      return { sessionDays: await listPlannedDays(app.db, { scope, date: request.query.date ?? indiaDate() }) };
    },
  );

  app.post(
    '/session-days/:sessionDayId/assignments',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['planning'],
        summary: "Put a staff member of the day's district on its team (one session day per person per date)",
        params: SessionDayParams,
        body: AssignmentBody,
        response: { 201: AssignmentView, 200: AssignmentView, ...planningErrors },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      await app.assertSessionAccess(me, request.params.sessionDayId);
      // Assigned by the planning rules, then told by SMS (api/services/team.ts).
      const assignment = await assignAndTell(
        app,
        me,
        { sessionDayId: request.params.sessionDayId, staffId: request.body.staffId, teamRole: request.body.teamRole },
        request.log,
      );
      return reply.status(assignment.created ? 201 : 200).send(assignment);
    },
  );

  app.delete(
    '/session-days/:sessionDayId/assignments/:staffId',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['planning'],
        summary: "Take a staff member off a day's team",
        params: Type.Object({ sessionDayId: Uuid, staffId: Uuid }),
        response: { 204: Type.Null(), ...planningErrors },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      await app.assertSessionAccess(me, request.params.sessionDayId);
      await unassignAndTell(app, me, request.params, request.log);
      return reply.status(204).send(null);
    },
  );
};

export default sessionDayRoutes;
