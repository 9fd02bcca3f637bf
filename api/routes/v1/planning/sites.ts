import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createSite, findSite, listSites, updateSite } from '../../../../db/repositories/sites.js';
import { assertDistrictAccess, canActInDistrict } from '../../../auth/jurisdiction.js';
import { forbidden, notFound } from '../../../errors.js';
import { staffOf } from '../../../plugins/auth.js';
import { DistrictId, NewSiteBody, planningErrors, SitePatchBody, SiteView } from '../../../schemas/planning.js';
import { listScope, OFFICER_ROLES } from './jurisdiction.js';

const SiteParams = Type.Object({ siteId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

/** Vaccination sites, planned by officers in their jurisdiction. */
const siteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/sites',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['planning'],
        summary: 'Add a vaccination site to a district',
        body: NewSiteBody,
        response: { 201: SiteView, ...planningErrors },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const { districtId, ...fields } = request.body;
      await assertDistrictAccess(app.db, me, districtId);
      const site = await createSite(
        app.db,
        districtId,
        { ...fields, nameHi: fields.nameHi ?? null, feeInr: fields.feeInr ?? 0 },
        { type: 'STAFF', id: me.staffId, role: me.role },
      );
      return reply.status(201).send(site);
    },
  );

  app.patch(
    '/sites/:siteId',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['planning'],
        summary: "Correct a site's details (its district never changes)",
        params: SiteParams,
        body: SitePatchBody,
        response: { 200: SiteView, ...planningErrors },
      },
    },
    async (request) => {
      const me = staffOf(request);
      const site = await findSite(app.db, request.params.siteId);
      if (!site) throw notFound('site');
      if (!canActInDistrict(me, { id: site.districtId, stateId: site.stateId }))
        throw forbidden('that site is outside your jurisdiction');
      return updateSite(app.db, site.id, request.body, { type: 'STAFF', id: me.staffId, role: me.role });
    },
  );

  app.get(
    '/sites',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['planning'],
        summary: 'Sites in your jurisdiction, or in one district of it',
        querystring: Type.Object({ districtId: Type.Optional(DistrictId) }, { additionalProperties: false }),
        response: { 200: Type.Object({ sites: Type.Array(SiteView) }), ...planningErrors },
      },
    },
    async (request) => ({
      sites: await listSites(app.db, await listScope(app.db, staffOf(request), request.query.districtId)),
    }),
  );
};

export default siteRoutes;
