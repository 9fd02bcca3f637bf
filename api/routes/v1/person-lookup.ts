/**
 * Officer lookup: find a person by mobile or reference id and see their journey's history (stages, appointments,
 * doses, SMS, certificates), masked as on the desk and audited. District officers and above within their
 * jurisdiction; desk staff for the people of a session day they are on (api/services/person-lookup.ts).
 * A POST, so the mobile asked about stays out of URLs and access logs.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { PersonLookupBody, PersonLookupResult } from '../../schemas/person-lookup.js';
import { lookUpPeople } from '../../services/person-lookup.js';

const personLookupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/people/lookup',
    {
      preHandler: app.requireStaff('DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN', 'VACCINATOR'),
      schema: {
        tags: ['person lookup'],
        summary:
          "Find a person by mobile or reference id and see their journey's history, masked and audited (desk staff: at a session day they are on)",
        body: PersonLookupBody,
        response: { 200: PersonLookupResult, ...errorResponses },
      },
    },
    async (request) => lookUpPeople(app.db, staffOf(request), request.body),
  );
};

export default personLookupRoutes;
