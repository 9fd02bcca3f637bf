/**
 * Sites' stores of vaccine (api/services/site-stores.ts): officers of a site's district, and state officers and
 * national admins over it, record vials received from the district and vials discarded, and read the site's stock
 * by batch with its ledger; a district's stores at once with the batches expiring soon. Every write is audited and
 * idempotent on its clientEventId.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { assertDistrictAccess } from '../../auth/jurisdiction.js';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { DistrictId } from '../../schemas/planning.js';
import {
  DiscardBody,
  DistrictStores,
  MovementAnswer,
  ReceiptBody,
  SiteId,
  SiteStore,
  SiteStoreQuery,
  storeErrors,
} from '../../schemas/site-stores.js';
import { discardStock, districtStores, findStoreSite, receiveStock, siteStore } from '../../services/site-stores.js';

const OFFICERS = ['DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'] as const;
const responses = { ...errorResponses, ...storeErrors };
const Params = Type.Object({ siteId: SiteId }, { additionalProperties: false });

const siteStoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The site, once the caller is known to act in its district. */
  async function siteFor(request: { params: { siteId: number } }, staff: ReturnType<typeof staffOf>) {
    const site = await findStoreSite(app.db, request.params.siteId);
    await assertDistrictAccess(app.db, staff, site.districtId);
    return site;
  }

  app.get(
    '/sites/:siteId/store',
    {
      preHandler: app.requireStaff(...OFFICERS),
      schema: {
        tags: ['vaccine stock'],
        summary: "A site's store: vials of each batch with its expiry, and the ledger of movements (newest first)",
        params: Params,
        querystring: SiteStoreQuery,
        response: { 200: SiteStore, ...responses },
      },
    },
    async (request) => siteStore(app.db, await siteFor(request, staffOf(request)), request.query),
  );

  app.post(
    '/sites/:siteId/store/receipts',
    {
      preHandler: app.requireStaff(...OFFICERS),
      schema: {
        tags: ['vaccine stock'],
        summary:
          "Record vials of a batch received into a site's store from the district, with the delivery note's reference; audited as STORE_RECEIVED, idempotent on clientEventId",
        params: Params,
        body: ReceiptBody,
        response: { 201: MovementAnswer, 200: MovementAnswer, ...responses },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const site = await siteFor(request, me);
      const answer = await receiveStock(app.db, me, { ...request.body, siteId: site.id });
      return reply.status(answer.duplicate ? 200 : 201).send(answer);
    },
  );

  app.post(
    '/sites/:siteId/store/discards',
    {
      preHandler: app.requireStaff(...OFFICERS),
      schema: {
        tags: ['vaccine stock'],
        summary:
          "Record vials of a batch discarded from a site's store (expired, damaged, cold chain broken, or another reason named in the note); audited as STORE_DISCARDED, idempotent on clientEventId",
        params: Params,
        body: DiscardBody,
        response: { 201: MovementAnswer, 200: MovementAnswer, ...responses },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const site = await siteFor(request, me);
      const answer = await discardStock(app.db, me, { ...request.body, siteId: site.id });
      return reply.status(answer.duplicate ? 200 : 201).send(answer);
    },
  );

  app.get(
    '/districts/:districtId/stores',
    {
      preHandler: app.requireStaff(...OFFICERS),
      schema: {
        tags: ['vaccine stock', 'district console'],
        summary:
          "A district's site stores: each site's vials by batch, and the batches held that have expired or expire within 7 days",
        params: Type.Object({ districtId: DistrictId }),
        response: { 200: DistrictStores, ...responses },
      },
    },
    async (request) => {
      const { districtId } = request.params;
      await assertDistrictAccess(app.db, staffOf(request), districtId);
      return { districtId, ...(await districtStores(app.db, districtId)) };
    },
  );
};

export default siteStoreRoutes;
