import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { beneficiaryOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { AppointmentView, ReferenceId, Uuid } from '../../schemas/v1.js';

/** A session_slot id (a Postgres integer): a larger number is refused here, not deep inside a booking step. */
const SlotId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

/**
 * Booking, rescheduling and cancelling: each committed in Postgres in the request (api/services/bookings.ts), the
 * person's journey told right after.
 */
const appointmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const by = (accountId: string) => ({ type: 'BENEFICIARY' as const, id: accountId });

  app.post(
    '/appointments',
    {
      preHandler: app.requireBeneficiary,
      schema: {
        tags: ['appointments'],
        summary: 'Book the next due dose of a person at a session day (and slot)',
        body: Type.Object(
          { referenceId: ReferenceId, sessionDayId: Uuid, slotId: Type.Optional(SlotId) },
          { additionalProperties: false },
        ),
        response: { 201: AppointmentView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { accountId } = beneficiaryOf(request);
      const [booked] = await app.bookings.book({
        accountId,
        referenceIds: [request.body.referenceId],
        sessionDayId: request.body.sessionDayId,
        slotId: request.body.slotId,
        channel: 'PORTAL',
        actor: by(accountId),
      });
      return reply.status(201).send(booked);
    },
  );

  app.post(
    '/appointments/:appointmentId/reschedule',
    {
      preHandler: app.requireBeneficiary,
      schema: {
        tags: ['appointments'],
        summary: 'Move an appointment to another session day (and slot)',
        params: Type.Object({ appointmentId: Uuid }),
        body: Type.Object({ sessionDayId: Uuid, slotId: Type.Optional(SlotId) }, { additionalProperties: false }),
        response: { 200: AppointmentView, ...errorResponses },
      },
    },
    async (request) => {
      const { accountId } = beneficiaryOf(request);
      return app.bookings.reschedule({
        accountId,
        appointmentId: request.params.appointmentId,
        sessionDayId: request.body.sessionDayId,
        slotId: request.body.slotId,
        actor: by(accountId),
      });
    },
  );

  app.post(
    '/appointments/:appointmentId/cancel',
    {
      preHandler: app.requireBeneficiary,
      schema: {
        tags: ['appointments'],
        summary: 'Cancel an appointment (the seat is freed)',
        params: Type.Object({ appointmentId: Uuid }),
        response: { 200: Type.Object({ stage: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      const { accountId } = beneficiaryOf(request);
      return app.bookings.cancel({ accountId, appointmentId: request.params.appointmentId, actor: by(accountId) });
    },
  );
};

export default appointmentRoutes;
