import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { Batch, ReferenceId, SecretCode, Uuid, VaccineCode } from '../../schemas/v1.js';
import { recordDose } from '../../services/doses.js';

export const RecordedDose = Type.Object({
  doseId: Uuid,
  referenceId: ReferenceId,
  dose: Type.Integer(),
  vaccineCode: Type.String(),
  batch: Type.String(),
  sessionDayId: Uuid,
  administeredAt: Type.String({ format: 'date-time' }),
  recordedAt: Type.String({ format: 'date-time' }),
  clientEventId: Type.String(),
  duplicate: Type.Boolean(),
});

export const ClientEventId = Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

/** The vaccinator records a dose: reference id + secret code + vaccine + batch at a session day. */
const doseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/doses',
    {
      preHandler: app.requireStaff('VACCINATOR'),
      schema: {
        tags: ['vaccinator desk'],
        summary: 'Record a dose (committed first, then the journey is signalled)',
        body: Type.Object(
          { referenceId: ReferenceId, secretCode: SecretCode, sessionDayId: Uuid, vaccineCode: VaccineCode, batch: Batch, clientEventId: Type.Optional(ClientEventId) },
          { additionalProperties: false },
        ),
        response: { 201: RecordedDose, 200: RecordedDose, ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      await app.assertSessionAccess(me, request.body.sessionDayId);
      const dose = await recordDose({ db: app.db, temporal: app.temporal, log: request.log }, { type: 'STAFF', id: me.staffId, role: me.role }, { ...request.body, source: 'ONLINE' });
      return reply.status(dose.duplicate ? 200 : 201).send(dose);
    },
  );
};

export default doseRoutes;
