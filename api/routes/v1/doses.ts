import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { ClientEventId, RecordedDose } from '../../schemas/desk.js';
import { Batch, ReferenceId, SecretCode, Uuid, VaccineCode } from '../../schemas/v1.js';
import { storeDose } from '../../services/doses.js';
import { assertTeamStep } from '../../services/team.js';

/**
 * The vaccinator records a dose: reference id + vaccine + batch at a session day, with the person's secret code
 * or, instead, the verificationId of a check recorded at the door (POST /desk/verify) within the last hours.
 */
const doseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/doses',
    {
      preHandler: app.requireStaff('VACCINATOR'),
      schema: {
        tags: ['vaccinator desk'],
        summary: 'Record a dose (committed first, then the journey is signalled)',
        body: Type.Object(
          {
            referenceId: ReferenceId,
            secretCode: Type.Optional(SecretCode),
            verificationId: Type.Optional(
              Type.String({
                format: 'uuid',
                description: 'a check at the door (POST /desk/verify), instead of secretCode',
              }),
            ),
            sessionDayId: Uuid,
            vaccineCode: VaccineCode,
            batch: Batch,
            clientEventId: Type.Optional(ClientEventId),
          },
          { additionalProperties: false, description: 'secretCode or verificationId (one of them)' },
        ),
        response: { 201: RecordedDose, 200: RecordedDose, ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const team = await app.assertSessionAccess(me, request.body.sessionDayId);
      // Only the vaccinator of the team records doses (domain/team.ts).
      await assertTeamStep(app.db, me, request.body.sessionDayId, 'VACCINATE', team);
      const { dose } = await storeDose(
        app.db,
        { type: 'STAFF', id: me.staffId, role: me.role },
        { ...request.body, source: 'ONLINE' },
      );
      return reply.status(dose.duplicate ? 200 : 201).send(dose);
    },
  );
};

export default doseRoutes;
