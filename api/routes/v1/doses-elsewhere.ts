/**
 * A dose given elsewhere (another site or district, abroad, a paper record never entered), added by an officer of
 * the person's jurisdiction from evidence (api/services/doses-elsewhere.ts); for a person not yet booked or
 * vaccinated in any district, by an officer of the district the request names to record it. Desk staff record
 * doses at their session, never here. Exactly once per clientEventId.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { ElsewhereDoseBody, ElsewhereDoseResult } from '../../schemas/doses-elsewhere.js';
import { ReferenceId } from '../../schemas/v1.js';
import { addDoseGivenElsewhere } from '../../services/doses-elsewhere.js';
import { findPersonInJurisdiction } from '../../services/person-lookup.js';

const dosesElsewhereRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/people/:referenceId/doses-elsewhere',
    {
      preHandler: app.requireStaff('DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'),
      schema: {
        tags: ['corrections'],
        summary:
          'An officer adds a dose given elsewhere (another site or district, abroad, a paper record) with its evidence; it counts like any dose (audited, exactly once per clientEventId)',
        params: Type.Object({ referenceId: ReferenceId }),
        body: ElsewhereDoseBody,
        response: { 200: ElsewhereDoseResult, 201: ElsewhereDoseResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const beneficiaryId = await findPersonInJurisdiction(app.db, staff, request.params.referenceId, {
        unplaced: true,
      });
      const result = await addDoseGivenElsewhere(app.db, staff, {
        beneficiaryId,
        referenceId: request.params.referenceId,
        body: request.body,
      });
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );
};

export default dosesElsewhereRoutes;
