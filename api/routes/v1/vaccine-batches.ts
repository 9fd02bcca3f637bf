/**
 * The vaccine batch registry and session stock (api/services/vaccine-batches.ts): state officers and national
 * admins register and complete batches; district officers issue vials to session days of their district; the
 * desk reads its session day's batches to pick from; the district console reads tomorrow's stock against
 * bookings. Every write is audited.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { assertDistrictAccess } from '../../auth/jurisdiction.js';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { DistrictId } from '../../schemas/planning.js';
import { Uuid } from '../../schemas/v1.js';
import {
  BatchBody,
  BatchList,
  BatchPatch,
  BatchQuery,
  BatchView,
  IssueBody,
  SessionStock,
  stockErrors,
  TomorrowStock,
} from '../../schemas/vaccine-batches.js';
import {
  batchesRegistered,
  correctBatch,
  issueStock,
  registerBatch,
  sessionStock,
  stockForTomorrow,
} from '../../services/vaccine-batches.js';

const OFFICERS = ['DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'] as const;
/** The registry is the country's: batches are shipped across districts. */
const REGISTRARS = ['STATE_OFFICER', 'NATIONAL_ADMIN'] as const;
const responses = { ...errorResponses, ...stockErrors };

const vaccineBatchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/vaccine-batches',
    {
      preHandler: app.requireStaff(...OFFICERS),
      schema: {
        tags: ['vaccine stock'],
        summary: 'The batch registry, of one vaccine or all',
        querystring: BatchQuery,
        response: { 200: BatchList, ...responses },
      },
    },
    async (request) => ({ batches: await batchesRegistered(app.db, request.query) }),
  );

  app.post(
    '/vaccine-batches',
    {
      preHandler: app.requireStaff(...REGISTRARS),
      schema: {
        tags: ['vaccine stock'],
        summary: 'Register a batch (state officers and national admins); audited as BATCH_REGISTERED',
        body: BatchBody,
        response: { 201: BatchView, ...responses },
      },
    },
    async (request, reply) => reply.status(201).send(await registerBatch(app.db, staffOf(request), request.body)),
  );

  app.patch(
    '/vaccine-batches/:batchId',
    {
      preHandler: app.requireStaff(...REGISTRARS),
      schema: {
        tags: ['vaccine stock'],
        summary:
          "Correct a batch's manufacturer, expiry or vial size, or complete one found in earlier doses; audited as BATCH_CORRECTED",
        params: Type.Object({ batchId: Uuid }),
        body: BatchPatch,
        response: { 200: BatchView, ...responses },
      },
    },
    async (request) => correctBatch(app.db, staffOf(request), request.params.batchId, request.body),
  );

  app.get(
    '/session-days/:sessionDayId/stock',
    {
      preHandler: app.requireStaff(...OFFICERS, 'VACCINATOR'),
      schema: {
        tags: ['vaccine stock'],
        summary:
          "A session day's batches: vials issued, opened, doses given and wasted (desk staff: a day they are on)",
        params: Type.Object({ sessionDayId: Uuid }),
        response: { 200: SessionStock, ...responses },
      },
    },
    async (request) => {
      const { sessionDayId } = request.params;
      await app.assertSessionAccess(staffOf(request), sessionDayId);
      return { sessionDayId, batches: await sessionStock(app.db, sessionDayId) };
    },
  );

  app.put(
    '/session-days/:sessionDayId/stock/:batchId',
    {
      preHandler: app.requireStaff(...OFFICERS),
      schema: {
        tags: ['vaccine stock'],
        summary:
          'Set the vials of a batch issued to a session day (a batch of its vaccine, good on its date); audited as STOCK_ISSUED',
        params: Type.Object({ sessionDayId: Uuid, batchId: Uuid }),
        body: IssueBody,
        response: { 200: SessionStock, ...responses },
      },
    },
    async (request) => {
      const me = staffOf(request);
      const { sessionDayId, batchId } = request.params;
      await app.assertSessionAccess(me, sessionDayId);
      return { sessionDayId, batches: await issueStock(app.db, me, { sessionDayId, batchId, ...request.body }) };
    },
  );

  app.get(
    '/districts/:districtId/stock/tomorrow',
    {
      preHandler: app.requireStaff(...OFFICERS),
      schema: {
        tags: ['vaccine stock', 'district console'],
        summary: "Tomorrow's session days of a district: seats booked against the doses issued to each",
        params: Type.Object({ districtId: DistrictId }),
        response: { 200: TomorrowStock, ...responses },
      },
    },
    async (request) => {
      const { districtId } = request.params;
      await assertDistrictAccess(app.db, staffOf(request), districtId);
      return { districtId, ...(await stockForTomorrow(app.db, districtId)) };
    },
  );
};

export default vaccineBatchRoutes;
