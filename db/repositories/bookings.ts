/**
 * Booking, rescheduling and cancelling in Postgres, in the request: the facts are read in one statement, decided by
 * domain/booking-rules.ts, and written by one call of `book_appointment`, `move_appointment` or `cancel_appointment`
 * (migration 2026-12-06T1700_booking_in_request), which locks the person, re-checks that the facts still hold, takes
 * or gives back the seat with a conditional UPDATE and writes the appointment, audit, stage and the journey's
 * `bookingChanged` outbox signal. So a booking is two round trips, a full session one, and the hot session-day row
 * is held only while that one statement runs. The one rule no read can settle — the last seat — is the UPDATE's.
 */
import { readPrecautionSchedule } from './precaution.js';
import { VACCINATED_STAGES } from '../../domain/journey-state.js';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../connection.js';
import type { AppointmentChannel } from '../schema.js';
import type { Actor, Executor } from './audit.js';
import { writtenTogetherOn, type ItemError } from './written-together.js';
import { DomainRefusal } from '../../domain/errors.js';
import {
  BOOKABLE_STATUSES,
  BookingStepRefusal,
  closingInstant,
  decideBooking,
  decideCancel,
  decideMove,
  describeAppointment,
  seatTaken,
  type AppointmentFacts,
  type AppointmentRow,
  type BookedAppointment,
  type BookingDecision,
  type DayFacts,
  type PersonFacts,
  type SlotFacts,
} from '../../domain/booking-rules.js';
import { indiaDate, indiaInstant } from '../../domain/time.js';
import type { Stage } from '../../domain/journey-state.js';
import { bookingChangedSignal, workflowIds, type BookingChangedEvent } from '../../workflows/shared.js';

export type { BookedAppointment } from '../../domain/booking-rules.js';

/** A booked or moved appointment as the person sees it, with the stage it left them at. */
export type BookingResult = BookedAppointment & { referenceId: string; stage: Stage };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An id that is not a uuid matches nothing (instead of failing the cast). */
const uuidOrNull = (value: string | undefined) => (value && UUID.test(value) ? value : null);

interface RawPerson {
  id: string;
  referenceId: string;
  stage: Stage;
  birthYear: number;
  priorityGroup: PersonFacts['priorityGroup'];
  comorbidity: boolean;
  bookingVersion: number;
  previousDose: { doseNumber: number; vaccineCode: string; administeredAt: string } | null;
  live: PersonFacts['live'];
  changesToday: number;
}
interface RawDay extends Omit<DayFacts, 'closesAtMs'> {
  closesAt: string;
  extendedUntil: string | null;
}
interface RawAppointment extends AppointmentFacts {
  beneficiaryId: string;
}
interface Facts {
  people: PersonFacts[];
  day: DayFacts | null;
  slot: SlotFacts | null;
  appointment: RawAppointment | null;
}

/**
 * Everything a booking decision needs, in one statement: the people (with their latest dose and live appointments),
 * the session day (its site, vaccine intervals and seats), the slot asked for, and the appointment being changed.
 */
async function readFacts(
  db: Executor,
  query: {
    people: PeopleNamed;
    sessionDayId?: string;
    slotId?: number;
    appointment?: { id: string; accountId?: string };
    /** The instant the person's booking changes of the day are counted from (India midnight). */
    dayStart: Date;
  },
): Promise<Facts> {
  const appointmentId = uuidOrNull(query.appointment?.id);
  const people = query.people;
  // booking_facts (migration 2026-12-07T0200_dose_plans_kept_per_connection) keeps its plans per connection.
  const { rows } = await sql<{
    facts: { people: RawPerson[]; day: RawDay | null; slot: SlotFacts | null; appointment: RawAppointment | null };
  }>`
    select booking_facts(
      ${'accountId' in people ? people.accountId : null}::uuid,
      ${'accountId' in people ? people.referenceIds : null}::bpchar[],
      ${'ids' in people ? people.ids : null}::uuid[],
      ${'holderOf' in people ? uuidOrNull(people.holderOf) : null}::uuid,
      ${uuidOrNull(query.sessionDayId)}::uuid,
      ${query.slotId ?? null}::integer,
      ${appointmentId}::uuid,
      ${query.appointment?.accountId ?? null}::uuid,
      ${query.dayStart}::timestamptz) as facts`.execute(db);
  const raw = rows[0]!.facts;
  // A precaution dose's rules are read only for those who may book one.
  const precaution =
    raw.day && raw.people.some((p) => VACCINATED_STAGES.has(p.stage))
      ? await readPrecautionSchedule(db, raw.day.vaccineCode)
      : undefined;
  return {
    people: raw.people.map((p) => ({
      ...p,
      previousDose: p.previousDose
        ? { ...p.previousDose, administeredAt: new Date(p.previousDose.administeredAt) }
        : null,
    })),
    day: raw.day
      ? {
          ...raw.day,
          closesAtMs: closingInstant({
            date: raw.day.date,
            closesAt: raw.day.closesAt,
            extendedUntil: raw.day.extendedUntil ? new Date(raw.day.extendedUntil) : null,
          }).getTime(),
          ...(precaution ? { precaution } : {}),
        }
      : null,
    slot: raw.slot,
    appointment: raw.appointment,
  };
}

/** India midnight of the day `now` falls in: a person's booking changes are counted from there. */
const dayStartOf = (now: Date) => indiaInstant(indiaDate(now), '00:00');

/** A change the person's own account asked for (portal or partner app), as opposed to an officer's or the system's. */
const byAccount = (actor: Actor) => actor.type === 'BENEFICIARY';

/** A write that found the facts changed under it: decide again from a fresh read. */
class Stale extends Error {}

const MAX_TRIES = 4;

/** Reads, decides and writes until the write finds the facts it was decided on (almost always the first time). */
async function settle<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof Stale)) throw error;
      if (tried >= MAX_TRIES)
        throw new DomainRefusal(
          BookingStepRefusal.BOOKING_CHANGED,
          "this person's bookings changed while the request was made; look at them again and retry",
        );
    }
  }
}

const refuseWith = (decision: Extract<BookingDecision, { ok: false }>): never => {
  throw new DomainRefusal(decision.code, decision.message, decision.details);
};

/** What every change plan carries (see the migration): the facts re-checked under the person's lock, and the signal. */
function changePlan(
  person: PersonFacts,
  decision: Extract<BookingDecision, { ok: true }>,
  change: {
    actor: Actor;
    reason: string;
    notify: boolean;
    signal: Omit<BookingChangedEvent, 'version' | 'appointment'>;
  },
) {
  return {
    beneficiaryId: person.id,
    bookingVersion: person.bookingVersion,
    stage: person.stage,
    previousDose: person.previousDose?.doseNumber ?? 0,
    to: decision.to,
    reason: change.reason,
    actor: { type: change.actor.type, id: change.actor.id ?? null, role: change.actor.role ?? null },
    workflowId: workflowIds.journey(person.referenceId),
    signalName: bookingChangedSignal.name,
    signal: change.signal,
    notify: change.notify,
    bookable: BOOKABLE_STATUSES,
  };
}

interface Written {
  outcome: 'done' | 'stale';
  appointment?: AppointmentRow;
  outboxId?: string | null;
}

/** Calls one of the write functions; a seat refused under the lock becomes the same refusal the read would give. */
async function write(
  db: Executor,
  fn: 'book_appointment' | 'move_appointment' | 'cancel_appointment',
  plan: Record<string, unknown>,
  seat: { dose: number; slotId?: number },
): Promise<Written & { outcome: 'done' }> {
  let result: Written;
  try {
    const { rows } = await sql<{ r: Written }>`select ${sql.raw(fn)}(${JSON.stringify(plan)}::jsonb) as r`.execute(db);
    result = rows[0]!.r;
  } catch (error) {
    return refusedOrFailed(error as ItemError, seat);
  }
  return done(result);
}

function done(result: Written): Written & { outcome: 'done' } {
  if (result.outcome === 'stale') throw new Stale();
  return result as Written & { outcome: 'done' };
}

function refusedOrFailed(error: ItemError, seat: { dose: number; slotId?: number }): never {
  if (error.code === 'TK002' && error.hint) {
    const refusal = seatTaken(error.hint, { ...seat, status: error.detail ?? undefined });
    throw new DomainRefusal(refusal.code, refusal.message, refusal.details);
  }
  throw error;
}

export interface BookRequest {
  /** The account whose people are booked (the API), or omitted when people are named by id (the journey). */
  accountId?: string;
  people: Array<{ referenceId: string } | { beneficiaryId: string }>;
  sessionDayId: string;
  slotId?: number;
  /** The dose the caller asked for (Co-WIN names it). */
  expectedDose?: number;
  channel: AppointmentChannel;
  actor: Actor;
  /** False for a step of the journey's own (an Update of an earlier release): no signal back to it. */
  notifyJourney?: boolean;
}

/**
 * The single-person bookings this process has for one session day, written together (book_appointments_each,
 * migration 2026-12-07T0300_bookings_of_a_session_day_together): the first goes at once, and those that arrive
 * while it is written go in the next statement, all of them, in one transaction. Each booking takes the session
 * day's seat row and holds it to commit; one by one, a storm on one session queues every person behind every other
 * person's commit, while a batch takes it once. One lane per session day: a second statement would only wait for
 * the first one's seat row. Other API processes meet at the row lock, which stays the rule that no seat is sold
 * twice.
 */
const bookingsWrittenTogether = writtenTogetherOn<Record<string, unknown>, Written | { error: ItemError }>((db) => ({
  lanes: 1,
  maxItems: 100,
  async write(plans) {
    const { rows } = await sql<{ r: (Written | { error: ItemError })[] }>`
        select book_appointments_each(${JSON.stringify(plans)}::jsonb) as r`.execute(db);
    return rows[0]!.r;
  },
}));

async function bookTogether(
  db: Db,
  sessionDayId: string,
  plan: Record<string, unknown>,
  seat: { dose: number; slotId?: number },
): Promise<Written & { outcome: 'done' }> {
  const result = await bookingsWrittenTogether(db).write(sessionDayId, plan);
  return 'error' in result
    ? refusedOrFailed(Object.assign(new Error(result.error.message), result.error), seat)
    : done(result);
}

/** Whose facts a booking reads: the account's own people by reference id, people by id, or an appointment's holder. */
type PeopleNamed = { accountId: string; referenceIds: string[] } | { ids: string[] } | { holderOf: string };

function peopleWhere(request: BookRequest): PeopleNamed {
  const refs = request.people.flatMap((p) => ('referenceId' in p ? [p.referenceId] : []));
  const ids = request.people.flatMap((p) =>
    'beneficiaryId' in p && uuidOrNull(p.beneficiaryId) ? [p.beneficiaryId] : [],
  );
  if (refs.length && request.accountId) return { accountId: request.accountId, referenceIds: refs };
  return { ids };
}

/**
 * Books the next due dose of one or more people at a session day (and slot): all or none. Each person's booking is
 * one statement; several people are booked in one transaction, their rows locked in a fixed order first.
 * Returns the appointments in the order asked and the outbox ids of the journeys' signals (deliver after commit).
 */
export async function bookAppointments(
  db: Db,
  request: BookRequest,
  now = new Date(),
): Promise<{ appointments: BookingResult[]; commandIds: string[] }> {
  return settle(async () => {
    const facts = await readFacts(db, {
      people: peopleWhere(request),
      sessionDayId: request.sessionDayId,
      slotId: request.slotId,
      dayStart: dayStartOf(now),
    });
    const plans = request.people.map((asked) => {
      const person = facts.people.find((p) =>
        'referenceId' in asked ? p.referenceId === asked.referenceId : p.id === asked.beneficiaryId,
      );
      if (!person) {
        const name = 'referenceId' in asked ? asked.referenceId : asked.beneficiaryId;
        throw new DomainRefusal(
          BookingStepRefusal.PERSON_NOT_FOUND,
          `beneficiary ${name} is not registered under this mobile number`,
        );
      }
      const decision = decideBooking({
        person,
        day: facts.day,
        slotId: request.slotId,
        slot: facts.slot,
        expectedDose: request.expectedDose,
        byAccount: byAccount(request.actor),
        now,
      });
      if (!decision.ok) return refuseWith(decision);
      const day = facts.day!;
      const appointmentId = randomUUID();
      const reason = `dose ${decision.dose} booked`;
      return {
        person,
        dose: decision.dose,
        plan: {
          ...changePlan(person, decision, {
            actor: request.actor,
            reason,
            notify: request.notifyJourney ?? true,
            signal: { change: 'BOOKED', dose: decision.dose, stage: decision.to, reason },
          }),
          appointmentId,
          sessionDayId: day.id,
          slotId: request.slotId ?? null,
          dose: decision.dose,
          channel: request.channel,
          appointment: {
            appointmentId,
            sessionDayId: day.id,
            dose: decision.dose,
            date: day.date,
            siteName: day.siteName,
            closesAtMs: day.closesAtMs,
          },
        },
      };
    });
    const run = async (executor: Executor) => {
      const written = [];
      for (const { person, dose, plan } of plans) {
        const done = await write(executor, 'book_appointment', plan, { dose, slotId: request.slotId });
        written.push({ person, stage: plan.to, done });
      }
      return written;
    };
    const only = plans.length === 1 ? plans[0]! : undefined;
    const written = only
      ? [
          {
            person: only.person,
            stage: only.plan.to,
            done: await bookTogether(db, request.sessionDayId, only.plan, { dose: only.dose, slotId: request.slotId }),
          },
        ]
      : await db.transaction().execute(async (trx) => {
          // Every person's row first, in one order: two group bookings sharing people never deadlock.
          await sql`select id from beneficiary where id = any(${plans.map((p) => p.person.id)}::uuid[]) order by id for update`.execute(
            trx,
          );
          return run(trx);
        });
    return {
      appointments: written.map(({ person, stage, done }) => ({
        ...describeAppointment(done.appointment!),
        referenceId: person.referenceId,
        stage,
      })),
      commandIds: written.flatMap(({ done }) => (done.outboxId ? [String(done.outboxId)] : [])),
    };
  });
}

/** The appointment asked for, with its person, or a refusal (someone else's appointment is simply not found). */
function appointmentOf(facts: Facts) {
  const appointment = facts.appointment;
  const person = appointment && facts.people.find((p) => p.id === appointment.beneficiaryId);
  if (!appointment || !person)
    throw new DomainRefusal('APPOINTMENT_NOT_FOUND', 'no such appointment under this mobile number');
  return { appointment, person };
}

const ofAppointment = (appointmentId: string): PeopleNamed => ({ holderOf: appointmentId });

export interface RescheduleRequest {
  accountId?: string;
  appointmentId: string;
  sessionDayId: string;
  slotId?: number;
  actor: Actor;
  notifyJourney?: boolean;
  /** Why it moves when the person did not ask (their session day was cancelled): the journey tells them so. */
  cause?: 'SESSION_CANCELLED';
}

/** Moves a live appointment to another session day (or slot): its seat given back and the new one taken at once. */
export async function rescheduleAppointment(
  db: Db,
  request: RescheduleRequest,
  now = new Date(),
): Promise<{ appointment: BookingResult; commandIds: string[] }> {
  return settle(async () => {
    const facts = await readFacts(db, {
      people: ofAppointment(request.appointmentId),
      sessionDayId: request.sessionDayId,
      slotId: request.slotId,
      appointment: { id: request.appointmentId, accountId: request.accountId },
      dayStart: dayStartOf(now),
    });
    const { appointment, person } = appointmentOf(facts);
    const decision = decideMove({
      person,
      appointment,
      day: facts.day,
      slotId: request.slotId,
      slot: facts.slot,
      byAccount: byAccount(request.actor),
      now,
    });
    if (!decision.ok) return refuseWith(decision);
    const day = facts.day!;
    const appointmentId = randomUUID();
    const reason =
      request.cause === 'SESSION_CANCELLED'
        ? `dose ${decision.dose} moved: session cancelled`
        : `dose ${decision.dose} rescheduled`;
    const plan = {
      ...changePlan(person, decision, {
        actor: request.actor,
        reason,
        notify: request.notifyJourney ?? true,
        signal: {
          change: 'RESCHEDULED',
          dose: decision.dose,
          stage: decision.to,
          reason,
          previous: previousOf(appointment),
          ...(request.cause ? { cause: request.cause } : {}),
        },
      }),
      fromAppointmentId: appointment.appointmentId,
      appointmentId,
      sessionDayId: day.id,
      slotId: request.slotId ?? null,
      dose: decision.dose,
      channel: appointment.channel,
      appointment: {
        appointmentId,
        sessionDayId: day.id,
        dose: decision.dose,
        date: day.date,
        siteName: day.siteName,
        closesAtMs: day.closesAtMs,
      },
    };
    const done = await write(db, 'move_appointment', plan, { dose: decision.dose, slotId: request.slotId });
    return {
      appointment: { ...describeAppointment(done.appointment!), referenceId: person.referenceId, stage: decision.to },
      commandIds: done.outboxId ? [String(done.outboxId)] : [],
    };
  });
}

export interface CancelRequest {
  accountId?: string;
  appointmentId: string;
  actor: Actor;
  notifyJourney?: boolean;
}

/** The appointment a move or cancellation leaves, as the journey's signal names it. */
const previousOf = (appointment: { appointmentId: string; date: string; siteName: string }) => ({
  appointmentId: appointment.appointmentId,
  date: appointment.date,
  siteName: appointment.siteName,
});

/** Cancels a live appointment and gives its seat back; the person goes back to waiting for that dose. */
export async function cancelAppointment(
  db: Db,
  request: CancelRequest,
): Promise<{ stage: Stage; referenceId: string; commandIds: string[] }> {
  return settle(async () => {
    const facts = await readFacts(db, {
      people: ofAppointment(request.appointmentId),
      appointment: { id: request.appointmentId, accountId: request.accountId },
      dayStart: dayStartOf(new Date()),
    });
    const { appointment, person } = appointmentOf(facts);
    const decision = decideCancel({ person, appointment });
    if (!decision.ok) return refuseWith(decision);
    const reason = `dose ${decision.dose} appointment cancelled`;
    const plan = {
      ...changePlan(person, decision, {
        actor: request.actor,
        reason,
        notify: request.notifyJourney ?? true,
        signal: {
          change: 'CANCELLED',
          dose: decision.dose,
          stage: decision.to,
          reason,
          previous: previousOf(appointment),
        },
      }),
      appointmentId: appointment.appointmentId,
    };
    const done = await write(db, 'cancel_appointment', plan, { dose: decision.dose });
    return {
      stage: decision.to,
      referenceId: person.referenceId,
      commandIds: done.outboxId ? [String(done.outboxId)] : [],
    };
  });
}

/**
 * A person's live appointment for a dose at a session day, described: a journey step of an earlier release that
 * is retried after its write committed finds its own result here.
 */
export async function liveAppointmentAt(
  db: Executor,
  where: { beneficiaryId: string; dose: number; sessionDayId: string },
): Promise<BookedAppointment | undefined> {
  const row = await db
    .selectFrom('appointment')
    .innerJoin('session_day', 'session_day.id', 'appointment.session_day_id')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .innerJoin('session_slot', 'session_slot.id', 'appointment.slot_id')
    .select([
      'appointment.id',
      'appointment.slot_id',
      'session_day.date',
      'session_day.closes_at',
      'session_day.extended_until',
      'site.name as site_name',
      'session_slot.starts_at',
      'session_slot.ends_at',
    ])
    .where('appointment.beneficiary_id', '=', where.beneficiaryId)
    .where('appointment.dose_number', '=', where.dose)
    .where('appointment.session_day_id', '=', where.sessionDayId)
    .where('appointment.status', '=', 'BOOKED')
    .executeTakeFirst();
  if (!row) return undefined;
  return describeAppointment({
    appointmentId: row.id,
    sessionDayId: where.sessionDayId,
    slotId: row.slot_id!,
    dose: where.dose,
    date: row.date,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    siteName: row.site_name,
    closesAtMs: closingInstant({
      date: row.date,
      closesAt: row.closes_at,
      extendedUntil: row.extended_until,
    }).getTime(),
  });
}
