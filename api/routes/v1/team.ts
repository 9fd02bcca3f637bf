import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listPlannedDays } from '../../../db/repositories/planned-days.js';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { planningErrors, PlannedDayView } from '../../schemas/planning.js';
import {
  ObservationList,
  ObservationRelease,
  ReplaceBody,
  ReplacementView,
  SlotGenerateBody,
  StaffLoadQuery,
  StaffLoadView,
} from '../../schemas/team.js';
import { Uuid } from '../../schemas/v1.js';
import {
  districtStaffLoad,
  generateSlots,
  observationAt,
  releaseObserved,
  replaceAndTell,
} from '../../services/team.js';
import { OFFICER_ROLES } from './planning/jurisdiction.js';

/**
 * Session teams: officers generate a day's time slots, see their district's staff load and replace an absent
 * member in one step; at the site, the observer (or the vaccinator of a team without one) watches each
 * vaccinated person for the observation period and releases them.
 */
const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/session-days/:sessionDayId/slots/generate',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['planning'],
        summary:
          "Generate the day's time slots again from its hours, seats and a slot length; booked people move to a new slot within the time they were given, or nothing changes",
        params: Type.Object({ sessionDayId: Uuid }),
        body: SlotGenerateBody,
        response: {
          200: Type.Object({ ...PlannedDayView.properties, movedBookings: Type.Integer(), changed: Type.Boolean() }),
          ...planningErrors,
        },
      },
    },
    async (request) => {
      const generated = await generateSlots(
        app,
        staffOf(request),
        request.params.sessionDayId,
        request.body.slotMinutes,
      );
      const [day] = await listPlannedDays(app.db, { scope: {}, ids: [request.params.sessionDayId] });
      return { ...day, movedBookings: generated.movedBookings, changed: generated.changed };
    },
  );

  app.post(
    '/session-days/:sessionDayId/assignments/:staffId/replace',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['planning'],
        summary:
          'Replace an absent team member with another in the same team role, in one step; each is told by SMS, as is the rest of the team',
        params: Type.Object({ sessionDayId: Uuid, staffId: Uuid }),
        body: ReplaceBody,
        response: { 200: ReplacementView, ...planningErrors },
      },
    },
    async (request) =>
      replaceAndTell(
        app,
        staffOf(request),
        {
          sessionDayId: request.params.sessionDayId,
          absentStaffId: request.params.staffId,
          replacementStaffId: request.body.replacementStaffId,
        },
        request.log,
      ),
  );

  app.get(
    '/staff/load',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['planning'],
        summary: "A district's staff and their session days in a date range (team role, site, hours), with totals",
        querystring: StaffLoadQuery,
        response: { 200: StaffLoadView, ...planningErrors },
      },
    },
    async (request) => districtStaffLoad(app, staffOf(request), request.query),
  );

  app.get(
    '/desk/observation',
    {
      preHandler: app.requireStaff('VACCINATOR'),
      schema: {
        tags: ['vaccinator desk'],
        summary:
          'People vaccinated at the session day who are under observation (minutes remaining) or ready to be released',
        querystring: Type.Object({ sessionDayId: Uuid }, { additionalProperties: false }),
        response: { 200: ObservationList, ...errorResponses },
      },
    },
    async (request) => observationAt(app, staffOf(request), request.query.sessionDayId),
  );

  app.post(
    '/desk/observation/:doseId/release',
    {
      preHandler: app.requireStaff('VACCINATOR'),
      schema: {
        tags: ['vaccinator desk'],
        summary:
          'Release a vaccinated person once their observation period is over (once; a repeat answers the first release)',
        params: Type.Object({ doseId: Uuid }),
        response: { 200: ObservationRelease, ...errorResponses },
      },
    },
    async (request) => releaseObserved(app, staffOf(request), request.params.doseId),
  );
};

export default teamRoutes;
