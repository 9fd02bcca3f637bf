import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findAvailability } from '../../../db/repositories/availability.js';
import { phasesOfStates } from '../../../db/repositories/eligibility-phases.js';
import { indiaDate } from '../../../domain/time.js';
import { badRequest } from '../../errors.js';
import { errorResponses } from '../../schemas/common.js';
import { SessionSearchAnswer } from '../../schemas/sessions.js';
import { IsoDate } from '../../schemas/v1.js';

/** YYYY-MM-DD that names a real day: the schema's pattern lets 2026-13-45 and 2026-02-30 through. */
function isCalendarDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/**
 * Public slot search by district or pincode, with live remaining seats per dose and per slot, and the eligibility
 * phases of the sessions' states, so the portal offers a person only sessions their booking would be taken at.
 */
const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/sessions',
    {
      // Every slot search spends the public budget: the shared 2 s answer does nothing against looping dates.
      onRequest: app.limits.publicCalls,
      schema: {
        tags: ['sessions'],
        summary: 'Find session days by district or pincode, from a date, for up to 7 days',
        querystring: Type.Object(
          {
            districtId: Type.Optional(Type.Integer({ minimum: 1, maximum: 999_999 })),
            pincode: Type.Optional(Type.Integer({ minimum: 100_000, maximum: 999_999 })),
            date: Type.Optional(IsoDate),
            days: Type.Optional(Type.Integer({ minimum: 1, maximum: 7, default: 1 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: SessionSearchAnswer,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { districtId, pincode, date, days } = request.query;
      if (districtId === undefined && pincode === undefined)
        throw badRequest('MISSING_LOCATION', 'give a districtId or a pincode');
      if (date !== undefined && !isCalendarDate(date))
        throw badRequest('INVALID_DATE', `${date} is not a date on the calendar`);
      reply.header('cache-control', 'public, max-age=30');
      const query = { districtId, pincode, fromDate: date ?? indiaDate(), days: days ?? 1 };
      return app.sharedAnswers(`v1:${JSON.stringify(query)}`, async () => {
        const sessions = await findAvailability(app.db, query);
        const phases = await phasesOfStates(
          app.db,
          sessions.map((s) => s.site.stateId),
        );
        return {
          sessions,
          eligibilityPhases: [...phases].map(([stateId, statePhases]) => ({ stateId, phases: statePhases })),
        };
      });
    },
  );
};

export default sessionRoutes;
