/**
 * Seats and appointments. A seat is taken by one conditional UPDATE (`booked < capacity`) on the session day
 * and one on its slot, in the same transaction as the appointment row, so no session or slot is ever
 * overbooked whatever the concurrency; CHECK constraints stand behind them.
 */
import { sql, type UpdateQueryBuilder } from 'kysely';
import type { Db } from '../connection.js';
import type { AppointmentChannel, Database } from '../schema.js';
import { refuse } from '../../domain/errors.js';
import { BookingRefusal } from '../../domain/booking-refusals.js';
import { slotLabel } from '../../domain/slots.js';
import { addDays, daysBetween, indiaDate, indiaInstant } from '../../domain/time.js';
import { publishLiveEvent } from '../../live/publish.js';
import { writeAudit, type Actor, type Executor } from './audit.js';
import { projectStage, type StageProjection } from './journey-projection.js';

export { BookingRefusal } from '../../domain/booking-refusals.js';

export interface BookedAppointment {
  appointmentId: string;
  sessionDayId: string;
  slotId: number;
  dose: number;
  date: string;
  slot: string;
  siteName: string;
  /** Calendar instants (ms): the slot's start and the session day's (possibly extended) close. */
  startsAtMs: number;
  closesAtMs: number;
}

const BOOKABLE_STATUSES: ('PLANNED' | 'OPEN' | 'STALLED' | 'PAUSED')[] = ['PLANNED', 'OPEN', 'STALLED', 'PAUSED'];

async function loadSessionDay(db: Executor, sessionDayId: string) {
  return db
    .selectFrom('session_day')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .innerJoin('vaccine', 'vaccine.code', 'session_day.vaccine_code')
    .select([
      'session_day.id',
      'session_day.date',
      'session_day.status',
      'session_day.vaccine_code',
      'session_day.min_age',
      'session_day.max_age',
      'session_day.closes_at',
      'session_day.extended_until',
      'site.name as site_name',
      'vaccine.min_interval_days',
      'vaccine.max_interval_days',
    ])
    .where('session_day.id', '=', sessionDayId)
    .executeTakeFirst();
}

export function sessionClosesAt(day: { date: string; closes_at: string; extended_until: Date | null }): Date {
  return day.extended_until ?? indiaInstant(day.date, day.closes_at);
}

/** Every rule a booking must pass before a seat is taken. Throws DomainRefusal. */
async function checkEligibility(db: Executor, beneficiaryId: string, dose: number, sessionDayId: string, now: Date) {
  const day = await loadSessionDay(db, sessionDayId);
  if (!day) return refuse(BookingRefusal.SESSION_NOT_BOOKABLE, 'no such session day');
  if (!(BOOKABLE_STATUSES as readonly string[]).includes(day.status)) {
    return refuse(BookingRefusal.SESSION_NOT_BOOKABLE, `this session day is ${day.status.toLowerCase()}`);
  }
  if (day.date < indiaDate(now) || sessionClosesAt(day) <= now) {
    return refuse(BookingRefusal.SESSION_NOT_BOOKABLE, 'this session day is over');
  }
  const person = await db
    .selectFrom('beneficiary')
    .select(['birth_year'])
    .where('id', '=', beneficiaryId)
    .executeTakeFirstOrThrow();
  const age = Number(day.date.slice(0, 4)) - person.birth_year;
  if (age < day.min_age || (day.max_age !== null && age > day.max_age)) {
    return refuse(
      BookingRefusal.AGE_NOT_ELIGIBLE,
      `this session is for ages ${day.min_age}${day.max_age ? `–${day.max_age}` : '+'}`,
    );
  }
  if (dose >= 2) {
    const previous = await db
      .selectFrom('dose')
      .select(['vaccine_code', 'administered_at'])
      .where('beneficiary_id', '=', beneficiaryId)
      .where('dose_number', '=', dose - 1)
      .executeTakeFirst();
    if (!previous) return refuse(BookingRefusal.DOSE2_WINDOW, `dose ${dose - 1} has not been recorded`);
    if (previous.vaccine_code !== day.vaccine_code) {
      return refuse(
        BookingRefusal.VACCINE_MISMATCH,
        `dose ${dose} must be ${previous.vaccine_code}, the vaccine of dose ${dose - 1}; this session offers ${day.vaccine_code}`,
      );
    }
    const since = daysBetween(indiaDate(previous.administered_at), day.date);
    if (since < day.min_interval_days || since > day.max_interval_days) {
      const opens = addDays(indiaDate(previous.administered_at), day.min_interval_days);
      const closes = addDays(indiaDate(previous.administered_at), day.max_interval_days);
      return refuse(
        BookingRefusal.DOSE2_WINDOW,
        `dose ${dose} of ${day.vaccine_code} can be booked from ${opens} to ${closes}`,
        { opens, closes },
      );
    }
  }
  return day;
}

/** A session day's online seat counters right after a change, and where the session day is. */
export interface SeatCounters {
  sessionDayId: string;
  districtId: number;
  stateId: number;
  dose1Booked: number;
  dose2Booked: number;
}

/** What the seat updates return: the counters they just wrote, for the `booking.changed` live event. */
function seatCounters<O>(update: UpdateQueryBuilder<Database, 'session_day', 'session_day', O>) {
  return update.returning([
    'session_day.id as sessionDayId',
    'session_day.district_id as districtId',
    sql<number>`(select state_id from district where district.id = session_day.district_id)`.as('stateId'),
    'session_day.dose1_booked as dose1Booked',
    'session_day.dose2_booked as dose2Booked',
  ]);
}

export type BookingChange = 'BOOKED' | 'MOVED' | 'RELEASED';

/**
 * `booking.changed` for the session day's session and district rooms, inside the booking's transaction: it is sent
 * exactly when the seat change commits. It carries the counters after the change, so a client sets them rather
 * than adding to them.
 */
async function publishBookingChanged(
  trx: Executor,
  seats: SeatCounters,
  dose: number,
  change: BookingChange,
  at: Date,
): Promise<void> {
  await publishLiveEvent(trx, {
    type: 'booking.changed',
    stateId: seats.stateId,
    districtId: seats.districtId,
    sessionDayId: seats.sessionDayId,
    at: at.toISOString(),
    data: {
      dose,
      sessionDayId: seats.sessionDayId,
      change,
      dose1Booked: seats.dose1Booked,
      dose2Booked: seats.dose2Booked,
    },
  });
}

/** Takes one dose seat and one slot seat; refuses when either is full. Returns the slot and the session day's counters. */
async function takeSeat(trx: Executor, sessionDayId: string, dose: number, slotId: number | undefined) {
  const seat = await trx
    .updateTable('session_day')
    .set(dose === 1 ? { dose1_booked: sql`dose1_booked + 1` } : { dose2_booked: sql`dose2_booked + 1` })
    .where('id', '=', sessionDayId)
    // Re-checked here, in the statement that takes the seat: a cancel committed a moment ago wins.
    .where('status', 'in', BOOKABLE_STATUSES)
    .where(dose === 1 ? sql<boolean>`dose1_booked < dose1_capacity` : sql<boolean>`dose2_booked < dose2_capacity`)
    .$call(seatCounters)
    .executeTakeFirst();
  if (!seat) {
    const day = await trx
      .selectFrom('session_day')
      .select('status')
      .where('id', '=', sessionDayId)
      .executeTakeFirstOrThrow();
    if (!(BOOKABLE_STATUSES as readonly string[]).includes(day.status)) {
      return refuse(BookingRefusal.SESSION_NOT_BOOKABLE, `this session day is ${day.status.toLowerCase()}`);
    }
    return refuse(BookingRefusal.SESSION_FULL, `no dose ${dose} seats left on this session day`);
  }

  const slot = await trx
    .updateTable('session_slot')
    .set({ booked: sql`booked + 1` })
    .where('session_day_id', '=', sessionDayId)
    .where(
      'id',
      '=',
      slotId ??
        sql<number>`(select id from session_slot where session_day_id = ${sessionDayId} and booked < capacity order by starts_at limit 1)`,
    )
    .where(sql<boolean>`booked < capacity`)
    .returning(['id', 'starts_at', 'ends_at'])
    .executeTakeFirst();
  if (!slot && slotId !== undefined) {
    const ofThisDay = await trx
      .selectFrom('session_slot')
      .select('id')
      .where('id', '=', slotId)
      .where('session_day_id', '=', sessionDayId)
      .executeTakeFirst();
    if (!ofThisDay) return refuse(BookingRefusal.SLOT_NOT_FOUND, 'that time slot is not part of this session day');
  }
  if (!slot)
    return refuse(
      BookingRefusal.SLOT_FULL,
      slotId ? 'that time slot is full; choose another' : 'every time slot of this session day is full',
    );
  return { ...slot, seats: seat };
}

/** Frees an appointment's dose seat and slot seat; returns the session day's counters after it. */
export async function giveBackSeat(
  trx: Executor,
  appointment: { session_day_id: string; slot_id: number | null; dose_number: number },
): Promise<SeatCounters> {
  const seats = await trx
    .updateTable('session_day')
    .set(
      appointment.dose_number === 1 ? { dose1_booked: sql`dose1_booked - 1` } : { dose2_booked: sql`dose2_booked - 1` },
    )
    .where('id', '=', appointment.session_day_id)
    .$call(seatCounters)
    .executeTakeFirstOrThrow();
  if (appointment.slot_id !== null) {
    await trx
      .updateTable('session_slot')
      .set({ booked: sql`booked - 1` })
      .where('id', '=', appointment.slot_id)
      .execute();
  }
  return seats;
}

async function describe(trx: Executor, appointmentId: string): Promise<BookedAppointment> {
  const row = await trx
    .selectFrom('appointment')
    .innerJoin('session_day', 'session_day.id', 'appointment.session_day_id')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .innerJoin('session_slot', 'session_slot.id', 'appointment.slot_id')
    .select([
      'appointment.id',
      'appointment.dose_number',
      'appointment.session_day_id',
      'appointment.slot_id',
      'session_day.date',
      'session_day.closes_at',
      'session_day.extended_until',
      'site.name as site_name',
      'session_slot.starts_at',
      'session_slot.ends_at',
    ])
    .where('appointment.id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  return {
    appointmentId: row.id,
    sessionDayId: row.session_day_id,
    slotId: row.slot_id!,
    dose: row.dose_number,
    date: row.date,
    slot: slotLabel(row.starts_at, row.ends_at),
    siteName: row.site_name,
    startsAtMs: indiaInstant(row.date, row.starts_at).getTime(),
    closesAtMs: sessionClosesAt(row).getTime(),
  };
}

export interface BookRequest {
  beneficiaryId: string;
  sessionDayId: string;
  slotId?: number;
  dose: number;
  channel: AppointmentChannel;
  actor: Actor;
  projection?: StageProjection;
}

/**
 * Books a seat for one person and dose. Idempotent for a retried step: an existing live appointment for the
 * same dose at the same session day is returned as is.
 */
export async function bookAppointment(db: Db, request: BookRequest, now = new Date()): Promise<BookedAppointment> {
  return db.transaction().execute(async (trx) => {
    // Serialise this person's bookings (concurrent partner and portal requests for the same person).
    await trx
      .selectFrom('beneficiary')
      .select('id')
      .where('id', '=', request.beneficiaryId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const live = await trx
      .selectFrom('appointment')
      .select(['id', 'session_day_id'])
      .where('beneficiary_id', '=', request.beneficiaryId)
      .where('dose_number', '=', request.dose)
      .where('status', '=', 'BOOKED')
      .executeTakeFirst();
    if (live) {
      if (live.session_day_id === request.sessionDayId) return describe(trx, live.id);
      return refuse(
        BookingRefusal.ALREADY_BOOKED,
        `dose ${request.dose} is already booked; reschedule or cancel it first`,
      );
    }
    await checkEligibility(trx, request.beneficiaryId, request.dose, request.sessionDayId, now);
    const slot = await takeSeat(trx, request.sessionDayId, request.dose, request.slotId);
    const { id } = await trx
      .insertInto('appointment')
      .values({
        beneficiary_id: request.beneficiaryId,
        session_day_id: request.sessionDayId,
        slot_id: slot.id,
        dose_number: request.dose,
        channel: request.channel,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actor: request.actor,
      action: 'APPOINTMENT_BOOKED',
      entityType: 'appointment',
      entityId: id,
      details: {
        beneficiaryId: request.beneficiaryId,
        sessionDayId: request.sessionDayId,
        slotId: slot.id,
        dose: request.dose,
        channel: request.channel,
      },
    });
    if (request.projection) await projectStage(trx, request.beneficiaryId, request.projection);
    await publishBookingChanged(trx, slot.seats, request.dose, 'BOOKED', now);
    return describe(trx, id);
  });
}

/** Moves a live appointment to another session day (or slot), freeing the old seat in the same transaction. */
export async function moveAppointment(
  db: Db,
  request: { beneficiaryId: string; appointmentId: string; sessionDayId: string; slotId?: number; actor: Actor },
  now = new Date(),
): Promise<BookedAppointment> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('appointment')
      .selectAll()
      .where('id', '=', request.appointmentId)
      .where('beneficiary_id', '=', request.beneficiaryId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) return refuse(BookingRefusal.APPOINTMENT_NOT_FOUND, 'no such appointment');
    if (current.status !== 'BOOKED') {
      // A retried step finds its own result: the live appointment it created at the target session.
      const moved = await trx
        .selectFrom('appointment')
        .select('id')
        .where('beneficiary_id', '=', request.beneficiaryId)
        .where('dose_number', '=', current.dose_number)
        .where('status', '=', 'BOOKED')
        .where('session_day_id', '=', request.sessionDayId)
        .executeTakeFirst();
      if (current.status === 'RESCHEDULED' && moved) return describe(trx, moved.id);
      return refuse(BookingRefusal.APPOINTMENT_NOT_FOUND, `that appointment is ${current.status.toLowerCase()}`);
    }
    await checkEligibility(trx, request.beneficiaryId, current.dose_number, request.sessionDayId, now);
    const left = await giveBackSeat(trx, current);
    await trx
      .updateTable('appointment')
      .set({ status: 'RESCHEDULED', updated_at: now })
      .where('id', '=', current.id)
      .execute();
    const slot = await takeSeat(trx, request.sessionDayId, current.dose_number, request.slotId);
    const { id } = await trx
      .insertInto('appointment')
      .values({
        beneficiary_id: request.beneficiaryId,
        session_day_id: request.sessionDayId,
        slot_id: slot.id,
        dose_number: current.dose_number,
        channel: current.channel,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actor: request.actor,
      action: 'APPOINTMENT_RESCHEDULED',
      entityType: 'appointment',
      entityId: id,
      details: { from: current.id, sessionDayId: request.sessionDayId, slotId: slot.id },
    });
    // One event for each session day whose counters moved (one when only the slot changed).
    if (left.sessionDayId !== slot.seats.sessionDayId)
      await publishBookingChanged(trx, left, current.dose_number, 'MOVED', now);
    await publishBookingChanged(trx, slot.seats, current.dose_number, 'MOVED', now);
    return describe(trx, id);
  });
}

export type ReleaseOutcome = 'RELEASED' | 'ALREADY_RELEASED' | 'COMPLETED';

/**
 * Ends a live appointment (cancelled, no-show) and frees its seat, once. An appointment already completed by
 * a recorded dose is left alone (its dose signal may still be on its way to the journey): 'COMPLETED'.
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
    const current = await trx
      .selectFrom('appointment')
      .select('status')
      .where('id', '=', request.appointmentId)
      .forUpdate()
      .executeTakeFirst();
    if (current?.status === 'COMPLETED') return 'COMPLETED';
    const released = await trx
      .updateTable('appointment')
      .set({ status: request.status, updated_at: new Date() })
      .where('id', '=', request.appointmentId)
      .where('status', '=', 'BOOKED')
      .returning(['session_day_id', 'slot_id', 'dose_number'])
      .executeTakeFirst();
    if (released) {
      const seats = await giveBackSeat(trx, released);
      if (request.status === 'NO_SHOW') {
        await trx
          .updateTable('session_day')
          .set({ no_shows: sql`no_shows + 1` })
          .where('id', '=', released.session_day_id)
          .execute();
      }
      await writeAudit(trx, {
        actor: request.actor,
        action: request.status === 'NO_SHOW' ? 'APPOINTMENT_NO_SHOW' : 'APPOINTMENT_CANCELLED',
        entityType: 'appointment',
        entityId: request.appointmentId,
      });
      await publishBookingChanged(trx, seats, released.dose_number, 'RELEASED', new Date());
    }
    // The stage moves on also when another path (an officer, the session's close) released the seat first.
    if (request.projection) await projectStage(trx, request.beneficiaryId, request.projection);
    return released ? 'RELEASED' : 'ALREADY_RELEASED';
  });
}

/** A session day's status and its current (possibly extended) closing instant. */
export async function sessionDayClosure(
  db: Executor,
  sessionDayId: string,
): Promise<{ status: string; closesAtMs: number }> {
  const day = await db
    .selectFrom('session_day')
    .select(['date', 'closes_at', 'extended_until', 'status'])
    .where('id', '=', sessionDayId)
    .executeTakeFirstOrThrow();
  return { status: day.status, closesAtMs: sessionClosesAt(day).getTime() };
}
