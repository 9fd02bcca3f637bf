/**
 * Booking, rescheduling and cancelling for every path that books (the portal's v1 routes, Co-WIN partner apps'
 * v2 routes): taken in Postgres in the request (db/repositories/bookings.ts), answered as soon as it commits, with
 * no Temporal call on the way. The journey hears of each change through its `bookingChanged` outbox signal, which
 * the worker's relay delivers (woken by the outbox insert's NOTIFY, in per-journey order), and owns the person's
 * timeline from there: confirmation SMS, reminder, no-show check. Nothing the request does next needs the journey
 * told first, so the request does not deliver it itself (deliverAfterCommit is for those that do).
 */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../db/repositories/audit.js';
import {
  bookAppointments,
  cancelAppointment,
  rescheduleAppointment,
  type BookingResult,
} from '../../db/repositories/bookings.js';
import type { AppointmentChannel } from '../../db/schema.js';
import type { AppointmentView } from '../../workflows/shared.js';

const view = (booked: BookingResult): AppointmentView => ({
  appointmentId: booked.appointmentId,
  sessionDayId: booked.sessionDayId,
  dose: booked.dose,
  date: booked.date,
  slot: booked.slot,
  siteName: booked.siteName,
  stage: booked.stage,
});

export class BookingService {
  constructor(private readonly db: Db) {}

  /** Books the next due dose of each person named (people of the account): all or none. */
  async book(request: {
    accountId: string;
    referenceIds: string[];
    sessionDayId: string;
    slotId?: number;
    expectedDose?: number;
    channel: AppointmentChannel;
    actor: Actor;
  }): Promise<AppointmentView[]> {
    const { appointments } = await bookAppointments(this.db, {
      accountId: request.accountId,
      people: request.referenceIds.map((referenceId) => ({ referenceId })),
      sessionDayId: request.sessionDayId,
      slotId: request.slotId,
      expectedDose: request.expectedDose,
      channel: request.channel,
      actor: request.actor,
    });
    return appointments.map(view);
  }

  /** Moves an appointment of one of the account's people to another session day (or slot). */
  async reschedule(request: {
    accountId: string;
    appointmentId: string;
    sessionDayId: string;
    slotId?: number;
    actor: Actor;
  }): Promise<AppointmentView> {
    const { appointment } = await rescheduleAppointment(this.db, request);
    return view(appointment);
  }

  /** Cancels an appointment of one of the account's people; the seat is free at once. */
  async cancel(request: { accountId: string; appointmentId: string; actor: Actor }): Promise<{ stage: string }> {
    const { stage } = await cancelAppointment(this.db, request);
    return { stage };
  }
}
