import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findDoseRef, listAefiForDose } from '../../../db/repositories/aefi.js';
import { notFound } from '../../errors.js';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { AefiBody, AefiReport } from '../../schemas/desk.js';
import { Uuid } from '../../schemas/v1.js';
import { reportAefi } from '../../services/aefi-reports.js';

/** Adverse events following immunisation: reported by the dose's session staff, read by them and officers over it. */
const aefiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/aefi',
    {
      preHandler: app.requireStaff('VACCINATOR'),
      schema: {
        tags: ['vaccinator desk'],
        summary: 'Report an adverse event after a dose (idempotent on clientEventId)',
        body: AefiBody,
        response: { 201: AefiReport, 200: AefiReport, ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = await reportAefi(app, staffOf(request), { ...request.body, source: 'ONLINE' });
      return reply.status(report.duplicate ? 200 : 201).send(report);
    },
  );

  app.get(
    '/doses/:doseId/aefi',
    {
      preHandler: app.requireStaff('VACCINATOR', 'DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'),
      schema: {
        tags: ['vaccinator desk'],
        summary: 'Adverse events reported after a dose',
        params: Type.Object({ doseId: Uuid }),
        response: { 200: Type.Object({ doseId: Uuid, reports: Type.Array(AefiReport) }), ...errorResponses },
      },
    },
    async (request) => {
      const dose = await findDoseRef(app.db, { doseId: request.params.doseId });
      if (!dose) throw notFound('dose');
      await app.assertSessionAccess(staffOf(request), dose.sessionDayId);
      return { doseId: dose.doseId, reports: await listAefiForDose(app.db, dose.doseId) };
    },
  );
};

export default aefiRoutes;
