import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  findAccountAppointmentByPartnerId,
  findLiveAppointment,
  type AccountAppointment,
} from '../../../db/repositories/account-appointments.js';
import { centresOfSessionDays, sessionDaySlots } from '../../../db/repositories/centres.js';
import { AppError } from '../../errors.js';
import { beneficiaryOf } from '../../plugins/auth.js';
import type { CowinRouteOptions } from '../../plugins/cowin-v2.js';
import {
  BEARER,
  CancelBody,
  cowinBearerErrors,
  Pdf,
  RescheduleBody,
  ScheduleBody,
  ScheduleResponse,
} from '../../schemas/cowin-v2.js';
import { PdfCache } from '../../../certificates/pdf-cache.js';
import { renderAppointmentSlip } from '../../services/appointment-slip.js';
import { slotIdForLabel, toCowinDate } from '../../services/cowin-mapping.js';

/**
 * Booking, rescheduling and cancelling as Co-WIN clients do it — through the same booking service as the portal
 * (api/services/bookings.ts, channel PARTNER), so the same rules and seats hold. Co-WIN booked up to four people
 * of one mobile in one call: they are booked in one transaction, all or none, and the first one's appointment id
 * is the confirmation number. Each person's own appointment id is listed under /appointment/beneficiaries.
 * An appointment keeps its id across reschedules (which answer 204 with no body): every id is resolved to the
 * latest row of the appointment's moves (findAccountAppointmentByPartnerId), and listed as its first row's.
 */
const appointmentRoutes: FastifyPluginAsyncTypebox<CowinRouteOptions> = async (app, { requireBearer }) => {
  const slipPdfs = new PdfCache();
  /** The session's slot that a Co-WIN slot string names. */
  async function resolveSlot(sessionId: string, slot: string, centerId?: number) {
    const day = await sessionDaySlots(app.db, sessionId);
    if (!day) throw new AppError('SESSION_NOT_FOUND', 'No such session');
    if (centerId !== undefined && centerId !== day.siteId)
      throw new AppError('CENTRE_MISMATCH', 'The session is not at that center');
    const slotId = slotIdForLabel(day.slots, slot);
    if (slotId === undefined) {
      const offered = day.slots.length
        ? day.slots.map((s) => `${s.startsAt.slice(0, 5)}-${s.endsAt.slice(0, 5)}`).join(', ')
        : 'none';
      throw new AppError('INVALID_SLOT', `The session has no slot "${slot}" (its slots: ${offered})`);
    }
    return slotId;
  }

  async function ownedAppointment(accountId: string, appointmentId: string): Promise<AccountAppointment> {
    const appointment = await findAccountAppointmentByPartnerId(app.db, accountId, appointmentId);
    if (!appointment) throw new AppError('APPOINTMENT_NOT_FOUND', 'No such appointment under this mobile number');
    return appointment;
  }

  app.post(
    '/appointment/schedule',
    {
      preHandler: requireBearer,
      schema: {
        tags: ['co-win appointments'],
        summary:
          'Book a dose at a session and slot for one or more people of my mobile (a full centre answers 409 APPOIN0040)',
        security: BEARER,
        body: ScheduleBody,
        response: { 200: ScheduleResponse, ...cowinBearerErrors },
      },
    },
    async (request, reply) => {
      const me = beneficiaryOf(request);
      const { dose, session_id: sessionDayId, slot, beneficiaries, center_id: centerId } = request.body;
      const slotId = await resolveSlot(sessionDayId, slot, centerId);
      const booked = await app.bookings.book({
        accountId: me.accountId,
        referenceIds: beneficiaries,
        sessionDayId,
        slotId,
        expectedDose: dose,
        channel: 'PARTNER',
        actor: { type: 'BENEFICIARY', id: me.accountId },
      });
      reply.header('cache-control', 'no-store');
      return { appointment_confirmation_no: booked[0]!.appointmentId };
    },
  );

  app.post(
    '/appointment/reschedule',
    {
      preHandler: requireBearer,
      schema: {
        tags: ['co-win appointments'],
        summary: 'Move an appointment to another session and slot',
        security: BEARER,
        body: RescheduleBody,
        response: { 204: Type.Null(), ...cowinBearerErrors },
      },
    },
    async (request, reply) => {
      const { accountId } = beneficiaryOf(request);
      const appointment = await ownedAppointment(accountId, request.body.appointment_id);
      const slotId = await resolveSlot(request.body.session_id, request.body.slot);
      await app.bookings.reschedule({
        accountId,
        appointmentId: appointment.appointmentId,
        sessionDayId: request.body.session_id,
        slotId,
        actor: { type: 'BENEFICIARY', id: accountId },
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/appointment/cancel',
    {
      preHandler: requireBearer,
      schema: {
        tags: ['co-win appointments'],
        summary:
          "Cancel an appointment for the people listed (the appointment's own person, or others of my mobile booked with it)",
        security: BEARER,
        body: CancelBody,
        response: { 204: Type.Null(), ...cowinBearerErrors },
      },
    },
    async (request, reply) => {
      const accountId = beneficiaryOf(request).accountId;
      const appointment = await ownedAppointment(accountId, request.body.appointment_id);
      const toCancel: AccountAppointment[] = [];
      for (const referenceId of request.body.beneficiariesToCancel) {
        const own = referenceId === appointment.referenceId ? appointment : undefined;
        const companion =
          own ??
          (await findLiveAppointment(app.db, accountId, {
            referenceId,
            sessionDayId: appointment.sessionDayId,
            dose: appointment.dose,
          }));
        if (!companion)
          throw new AppError('APPOINTMENT_NOT_FOUND', `Beneficiary ${referenceId} has no such appointment`);
        toCancel.push(companion);
      }
      for (const a of toCancel)
        await app.bookings.cancel({
          accountId,
          appointmentId: a.appointmentId,
          actor: { type: 'BENEFICIARY', id: accountId },
        });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/appointment/appointmentslip/download',
    {
      preHandler: [requireBearer, app.limits.pdfDownloads],
      schema: {
        tags: ['co-win appointments'],
        summary: 'The appointment slip as PDF: name, reference id, secret code, dose, centre, date and slot',
        security: BEARER,
        querystring: Type.Object({ appointment_id: Type.String({ format: 'uuid' }) }),
        response: { 200: Pdf, ...cowinBearerErrors },
      },
    },
    async (request, reply) => {
      const appointment = await ownedAppointment(beneficiaryOf(request).accountId, request.query.appointment_id);
      if (appointment.status !== 'BOOKED' && appointment.status !== 'COMPLETED') {
        throw new AppError(
          'APPOINTMENT_NOT_FOUND',
          `That appointment is ${appointment.status.toLowerCase().replace(/_/g, ' ')}`,
        );
      }
      const centre = (await centresOfSessionDays(app.db, [appointment.sessionDayId])).get(appointment.sessionDayId)!;
      const slip = {
        appointmentId: appointment.partnerId,
        name: appointment.name,
        referenceId: appointment.referenceId,
        secretCode: appointment.secretCode,
        dose: appointment.dose,
        centreName: centre.site.name,
        centreAddress: centre.site.address,
        date: toCowinDate(appointment.date),
        slot: appointment.slot,
      };
      // Rendered once per distinct slip (every printed field is in its key).
      const pdf = await slipPdfs.get(PdfCache.keyOf('slip', slip), () => renderAppointmentSlip(slip));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="appointment-${appointment.partnerId}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf as never);
    },
  );
};

export default appointmentRoutes;
