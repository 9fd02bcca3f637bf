import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findOwnedBeneficiary } from '../../../db/repositories/beneficiaries.js';
import { notFound } from '../../errors.js';
import { beneficiaryOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { AppointmentView, ReferenceId, Uuid } from '../../schemas/v1.js';
import { refuseIfLapsed } from '../../services/journeys.js';

/** A session_slot id (a Postgres integer): a larger number is refused here, not deep inside a booking step. */
const SlotId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

/** Booking, rescheduling and cancelling — each a step of the person's journey workflow. */
const appointmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function ownedAppointment(accountId: string, appointmentId: string) {
    const row = await app.db
      .selectFrom('appointment')
      .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
      .select(['appointment.id', 'beneficiary.reference_id'])
      .where('appointment.id', '=', appointmentId)
      .where('beneficiary.account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw notFound('appointment');
    return row;
  }

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
      const person = await findOwnedBeneficiary(app.db, beneficiaryOf(request).accountId, request.body.referenceId);
      if (!person) throw notFound('person');
      refuseIfLapsed(person.stage);
      const by = { type: 'BENEFICIARY' as const, id: beneficiaryOf(request).accountId };
      const booked = await app.journeys.book(person.reference_id, {
        sessionDayId: request.body.sessionDayId,
        slotId: request.body.slotId,
        channel: 'PORTAL',
        by,
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
      const appointment = await ownedAppointment(beneficiaryOf(request).accountId, request.params.appointmentId);
      const by = { type: 'BENEFICIARY' as const, id: beneficiaryOf(request).accountId };
      return app.journeys.reschedule(appointment.reference_id, {
        appointmentId: appointment.id,
        sessionDayId: request.body.sessionDayId,
        slotId: request.body.slotId,
        by,
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
      const appointment = await ownedAppointment(beneficiaryOf(request).accountId, request.params.appointmentId);
      return app.journeys.cancel(appointment.reference_id, appointment.id, {
        type: 'BENEFICIARY',
        id: beneficiaryOf(request).accountId,
      });
    },
  );
};

export default appointmentRoutes;
