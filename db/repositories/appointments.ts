/**
 * Appointments ended by the journey itself (a no-show, a cancelled session, a withdrawal) and the session day's
 * closing. Seats are taken and given back only by the SQL functions of 2026-12-06T1700_booking_in_request
 * (`take_seat`, `give_back_seat`), one conditional UPDATE each, so no session or slot is ever overbooked whatever
 * the concurrency; CHECK constraints stand behind them. Bookings, moves and cancellations by people are in
 * ./bookings.ts.
 */
import { sql } from 'kysely';
import type { Db } from '../connection.js';
import { closingInstant } from '../../domain/booking-rules.js';
import { writeAudit, type Actor, type Executor } from './audit.js';
import { projectStage, type StageProjection } from './journey-projection.js';
import { devicesYetToReport } from './desk-devices.js';

export { BookingRefusal } from '../../domain/refusals.js';
export type { BookedAppointment } from '../../domain/booking-rules.js';

export function sessionClosesAt(day: { date: string; closes_at: string; extended_until: Date | null }): Date {
  return closingInstant({ date: day.date, closesAt: day.closes_at, extendedUntil: day.extended_until });
}

/** Ends a live appointment with `status` and gives its seats back (SQL give_back_seat); false when it was not live. */
export async function endAppointment(
  trx: Executor,
  appointmentId: string,
  status: 'CANCELLED' | 'NO_SHOW',
  actor: Actor,
): Promise<boolean> {
  const { rows } = await sql<{ released: boolean }>`
    select give_back_seat(${appointmentId}::uuid, ${status}::text, 'RELEASED'::text) as released`.execute(trx);
  if (!rows[0]!.released) return false;
  await writeAudit(trx, {
    actor,
    action: status === 'NO_SHOW' ? 'APPOINTMENT_NO_SHOW' : 'APPOINTMENT_CANCELLED',
    entityType: 'appointment',
    entityId: appointmentId,
  });
  return true;
}

/** Locks the person's row: every change to a person's bookings takes it first, so two never deadlock. */
export async function lockPerson(trx: Executor, beneficiaryId: string): Promise<void> {
  await trx.selectFrom('beneficiary').select('id').where('id', '=', beneficiaryId).forUpdate().execute();
}

export type ReleaseOutcome = 'RELEASED' | 'ALREADY_RELEASED' | 'COMPLETED';

/**
 * The journey ends a live appointment (a no-show, a cancelled session) and frees its seat, once. An appointment
 * already completed by a recorded dose is left alone (its dose signal may still be on its way to the journey):
 * 'COMPLETED'. One already ended elsewhere (cancelled or moved by its person, in Postgres first) is
 * 'ALREADY_RELEASED', and the stage is left as that change set it.
 */
export async function releaseAppointment(
  db: Db,
  request: {
    appointmentId: string;
    status: 'CANCELLED' | 'NO_SHOW';
    actor: Actor;
    projection?: StageProjection;
    beneficiaryId: string;
  },
): Promise<ReleaseOutcome> {
  return db.transaction().execute(async (trx) => {
    await lockPerson(trx, request.beneficiaryId);
    const current = await trx
      .selectFrom('appointment')
      .select('status')
      .where('id', '=', request.appointmentId)
      .executeTakeFirst();
    if (current?.status === 'COMPLETED') return 'COMPLETED';
    if (!(await endAppointment(trx, request.appointmentId, request.status, request.actor))) return 'ALREADY_RELEASED';
    if (request.projection) await projectStage(trx, request.beneficiaryId, request.projection);
    return 'RELEASED';
  });
}

/** Ends every live appointment of a person (a withdrawal), inside the caller's transaction with the person locked. */
export async function releaseLiveAppointments(trx: Executor, beneficiaryId: string, actor: Actor): Promise<void> {
  const live = await trx
    .selectFrom('appointment')
    .select('id')
    .where('beneficiary_id', '=', beneficiaryId)
    .where('status', '=', 'BOOKED')
    .execute();
  for (const { id } of live) await endAppointment(trx, id, 'CANCELLED', actor);
}

/** A session day's status and its current (possibly extended) closing instant. */
export async function sessionDayClosure(
  db: Executor,
  sessionDayId: string,
): Promise<{ status: string; closesAtMs: number; devicesToReport: number }> {
  const day = await db
    .selectFrom('session_day')
    .select(['date', 'closes_at', 'extended_until', 'status'])
    .where('id', '=', sessionDayId)
    .executeTakeFirstOrThrow();
  const closesAt = sessionClosesAt(day);
  return {
    status: day.status,
    closesAtMs: closesAt.getTime(),
    devicesToReport: await devicesYetToReport(db, sessionDayId, closesAt),
  };
}
