/**
 * The rules a booking, a reschedule and a cancellation must pass: one home for every path that books (the portal,
 * Co-WIN partner apps, officers). Pure: the facts are read from Postgres in one statement
 * (db/repositories/bookings.ts), decided here, and written by one statement that takes the seat only if it is still
 * free and the person's facts are still the ones decided on. The journey workflow imports the appointment helpers.
 */
import { BookingRefusal, type RefusalCode } from './refusals.js';
import { slotLabel } from './slots.js';
import { addDays, daysBetween, indiaDate, indiaInstant } from './time.js';
import { bookableDose, bookedDose, nextStage, type Stage } from './journey-state.js';
import { describePhase, groupsOf, phaseCovers, type EligibilityPhase, type PriorityGroup } from './priority-groups.js';
import { PRECAUTION_DOSE, precautionRefusal, type PrecautionRule } from './precaution.js';

export { BookingRefusal } from './refusals.js';

/** Session-day statuses in which seats are taken (and re-checked by the seat's own UPDATE). */
export const BOOKABLE_STATUSES = ['PLANNED', 'OPEN', 'STALLED', 'PAUSED'] as const;

/** Refusals of a booking step beyond the seat rules (BookingRefusal, refusals.ts). */
export const BookingStepRefusal = {
  NOT_ALLOWED_AT_STAGE: 'NOT_ALLOWED_AT_STAGE',
  REGISTRATION_EXPIRED: 'REGISTRATION_EXPIRED',
  PERSON_NOT_FOUND: 'PERSON_NOT_FOUND',
  DOSE_NOT_DUE: 'DOSE_NOT_DUE',
  /** The person's bookings kept changing under this request (another device booking at the same moment). */
  BOOKING_CHANGED: 'BOOKING_CHANGED',
  /** The person's own account changed their bookings BOOKING_CHANGES_PER_DAY times today. */
  TOO_MANY_BOOKING_CHANGES: 'TOO_MANY_BOOKING_CHANGES',
} as const satisfies Record<string, RefusalCode>;

/**
 * Booking changes (a booking, a move, a cancellation) of one person in one India day after which their account may
 * not book or move again until the next day; cancelling always works (it frees a seat and sends only one SMS).
 * Each change costs an SMS and a step in the person's journey history, so without a cap a loop of book/cancel
 * would send SMS and grow the history without end. Co-WIN limited rescheduling the same way.
 */
export const BOOKING_CHANGES_PER_DAY = 6;

/** A person's own account may book or move only while the day's changes are below the cap. */
function changesRefusal(person: PersonFacts, byAccount: boolean | undefined): Refusal | undefined {
  if (!byAccount || person.changesToday < BOOKING_CHANGES_PER_DAY) return undefined;
  return refusal(
    BookingStepRefusal.TOO_MANY_BOOKING_CHANGES,
    `${person.referenceId}'s bookings have been changed ${BOOKING_CHANGES_PER_DAY} times today (booked, moved or cancelled); book or move again tomorrow`,
    { changesToday: person.changesToday, limit: BOOKING_CHANGES_PER_DAY },
  );
}

export const REGISTRATION_LAPSED =
  'this registration lapsed because its OTP was not verified in time; register the person again';

export interface Refusal {
  code: RefusalCode;
  message: string;
  details?: Record<string, unknown>;
}

export interface PersonFacts {
  id: string;
  referenceId: string;
  stage: Stage;
  birthYear: number;
  /** Health-care or front-line worker from an uploaded list; null for the general public. */
  priorityGroup: PriorityGroup | null;
  comorbidity: boolean;
  /** Moves on with every booking change of the person; the write goes ahead only if it has not moved. */
  bookingVersion: number;
  /** The person's latest recorded dose. */
  previousDose: { doseNumber: number; vaccineCode: string; administeredAt: Date } | null;
  /** The person's live (BOOKED) appointments. */
  live: Array<{ appointmentId: string; sessionDayId: string; dose: number }>;
  /** Appointments of the person booked or moved since India midnight, and those cancelled since then. */
  changesToday: number;
}

export interface DayFacts {
  id: string;
  date: string;
  status: string;
  vaccineCode: string;
  minAge: number;
  maxAge: number | null;
  /** The calendar instant of closing, an officer's extension included. */
  closesAtMs: number;
  siteName: string;
  minIntervalDays: number;
  maxIntervalDays: number;
  districtId: number;
  stateId: number;
  dose1Capacity: number;
  dose1Booked: number;
  dose2Capacity: number;
  dose2Booked: number;
  /** The eligibility phases of the session's state (none: the session's own ages only). */
  phases: EligibilityPhase[];
  /** Read only for a precaution dose (it takes a later-dose seat): the vaccine's schedule and intervals. */
  precaution?: { primaryDoses: number; rules: PrecautionRule[] };
}

export interface SlotFacts {
  id: number;
  sessionDayId: string;
  capacity: number;
  booked: number;
}

/** An appointment as the person holds it (the journey plans its reminder and no-show check from it). */
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

/** The raw columns an appointment is described from (what the booking statement returns). */
export interface AppointmentRow {
  appointmentId: string;
  sessionDayId: string;
  slotId: number;
  dose: number;
  date: string;
  startsAt: string;
  endsAt: string;
  siteName: string;
  closesAtMs: number;
}

export function describeAppointment(row: AppointmentRow): BookedAppointment {
  return {
    appointmentId: row.appointmentId,
    sessionDayId: row.sessionDayId,
    slotId: row.slotId,
    dose: row.dose,
    date: row.date,
    slot: slotLabel(row.startsAt, row.endsAt),
    siteName: row.siteName,
    startsAtMs: indiaInstant(row.date, row.startsAt).getTime(),
    closesAtMs: row.closesAtMs,
  };
}

/** When a session day closes: an officer's extension, or its closing time on its date (India). */
export function closingInstant(day: { date: string; closesAt: string; extendedUntil: Date | null }): Date {
  return day.extendedUntil ?? indiaInstant(day.date, day.closesAt);
}

const refusal = (code: RefusalCode, message: string, details?: Record<string, unknown>): Refusal => ({
  code,
  message,
  ...(details ? { details } : {}),
});

export const noSuchLiveAppointment = () =>
  refusal(BookingRefusal.APPOINTMENT_NOT_FOUND, 'no such live appointment for this person');

/** Why nothing can be booked at this stage, in the words the person needs. */
function cannotBookAt(stage: Stage): Refusal {
  const booked = bookedDose(stage);
  if (booked)
    return refusal(BookingRefusal.ALREADY_BOOKED, `dose ${booked} is already booked; reschedule or cancel it first`);
  if (stage === 'EXPIRED') return refusal(BookingStepRefusal.REGISTRATION_EXPIRED, REGISTRATION_LAPSED);
  if (stage === 'REGISTERED')
    return refusal(BookingStepRefusal.NOT_ALLOWED_AT_STAGE, 'verify the mobile number with its OTP before booking');
  return refusal(BookingStepRefusal.NOT_ALLOWED_AT_STAGE, `no dose can be booked at stage ${stage}`);
}

/** The session day's own rules for a dose: bookable, not over, the person's age, the dose-2 window and vaccine. */
function dayRefusal(person: PersonFacts, day: DayFacts | null, dose: number, now: Date): Refusal | undefined {
  if (!day) return refusal(BookingRefusal.SESSION_NOT_BOOKABLE, 'no such session day');
  if (!(BOOKABLE_STATUSES as readonly string[]).includes(day.status))
    return refusal(BookingRefusal.SESSION_NOT_BOOKABLE, `this session day is ${day.status.toLowerCase()}`);
  if (day.date < indiaDate(now) || day.closesAtMs <= now.getTime())
    return refusal(BookingRefusal.SESSION_NOT_BOOKABLE, 'this session day is over');
  const eligible = eligibilityRefusal(day, person);
  if (eligible) return eligible;
  if (dose === PRECAUTION_DOSE) {
    const schedule = day.precaution ?? { primaryDoses: 0, rules: [] };
    return precautionRefusal({ previous: person.previousDose, group: person.priorityGroup, ...schedule }, day);
  }
  if (dose >= 2) {
    const previous = person.previousDose;
    if (!previous || previous.doseNumber < dose - 1)
      return refusal(BookingRefusal.DOSE2_WINDOW, `dose ${dose - 1} has not been recorded`);
    if (previous.vaccineCode !== day.vaccineCode)
      return refusal(
        BookingRefusal.VACCINE_MISMATCH,
        `dose ${dose} must be ${previous.vaccineCode}, the vaccine of dose ${dose - 1}; this session offers ${day.vaccineCode}`,
      );
    const given = indiaDate(previous.administeredAt);
    const since = daysBetween(given, day.date);
    if (since < day.minIntervalDays || since > day.maxIntervalDays) {
      const opens = addDays(given, day.minIntervalDays);
      const closes = addDays(given, day.maxIntervalDays);
      return refusal(
        BookingRefusal.DOSE2_WINDOW,
        `dose ${dose} of ${day.vaccineCode} can be booked from ${opens} to ${closes}`,
        {
          opens,
          closes,
        },
      );
    }
  }
  return undefined;
}

/** A session's age limits (by the birth year, as Co-WIN counted them): the walk-in desk checks the same rule. */
export function ageRefusal(
  day: { date: string; minAge: number; maxAge: number | null },
  birthYear: number,
): Refusal | undefined {
  const age = Number(day.date.slice(0, 4)) - birthYear;
  if (age < day.minAge || (day.maxAge !== null && age > day.maxAge))
    return refusal(
      BookingRefusal.AGE_NOT_ELIGIBLE,
      `this session is for ages ${day.minAge}${day.maxAge ? `–${day.maxAge}` : '+'}`,
    );
  return undefined;
}

/**
 * Whether the state's eligibility phases let this person be vaccinated at a session of this date: some phase that
 * covers their group and age (by the birth year) has opened by then. A state with no phases restricts nobody.
 * Dated by the session, not by the moment of booking, as Co-WIN opened phases (18+ booked from 28 April 2021 for
 * sessions from 1 May): a session before the phase's date is refused, one on it accepted, whenever it is booked.
 */
export function phaseRefusal(
  day: { date: string; phases: readonly EligibilityPhase[] },
  person: { birthYear: number; priorityGroup: PriorityGroup | null; comorbidity: boolean },
): Refusal | undefined {
  if (day.phases.length === 0) return undefined;
  const age = Number(day.date.slice(0, 4)) - person.birthYear;
  const groups = groupsOf(person);
  const covering = day.phases.filter((phase) => phaseCovers(phase, groups, age));
  if (covering.some((phase) => phase.opensOn <= day.date)) return undefined;
  const who = person.priorityGroup ? `a listed ${person.priorityGroup}` : 'a member of the public';
  if (covering.length === 0)
    return refusal(BookingRefusal.PHASE_NOT_OPEN, `no phase of this state's drive covers ${who} aged ${age} yet`, {
      age,
      group: person.priorityGroup ?? 'GENERAL',
    });
  const first = covering.reduce((a, b) => (b.opensOn < a.opensOn ? b : a));
  return refusal(
    BookingRefusal.PHASE_NOT_OPEN,
    `${who} aged ${age} may be vaccinated at sessions from ${first.opensOn}: ${describePhase(first)}`,
    { opensOn: first.opensOn, phase: first.name, age, group: person.priorityGroup ?? 'GENERAL' },
  );
}

/**
 * Everything about who may be vaccinated at a session: its own ages, then the state's phases. Every path that books
 * or registers at the door meets this one rule (bookings here; the desk's walk-ins in api/services/walk-ins.ts).
 */
export function eligibilityRefusal(
  day: { date: string; minAge: number; maxAge: number | null; phases: readonly EligibilityPhase[] },
  person: { birthYear: number; priorityGroup: PriorityGroup | null; comorbidity: boolean },
): Refusal | undefined {
  return ageRefusal(day, person.birthYear) ?? phaseRefusal(day, person);
}

/**
 * Seats as last read: a full session is refused at once (most attempts of a booking storm), before any write.
 * `freed`: the seat the same request gives back first (a move within the session day).
 */
function seatRefusal(
  day: DayFacts,
  dose: number,
  slotId: number | undefined,
  slot: SlotFacts | null | undefined,
  freed: { sessionDayId: string; slotId: number | null } | undefined,
): Refusal | undefined {
  const sameDay = freed?.sessionDayId === day.id ? 1 : 0;
  const left = (dose === 1 ? day.dose1Capacity - day.dose1Booked : day.dose2Capacity - day.dose2Booked) + sameDay;
  if (left <= 0) return seatTaken(BookingRefusal.SESSION_FULL, { dose });
  if (slotId !== undefined) {
    if (!slot || slot.sessionDayId !== day.id) return seatTaken(BookingRefusal.SLOT_NOT_FOUND, { dose, slotId });
    if (slot.capacity - slot.booked + (freed?.slotId === slot.id ? 1 : 0) <= 0)
      return seatTaken(BookingRefusal.SLOT_FULL, { dose, slotId });
  }
  return undefined;
}

/**
 * The refusal for a seat the statement could not take (SESSION_FULL, SLOT_FULL, SLOT_NOT_FOUND, or a session day no
 * longer bookable): the same words whether found in the last read or by the seat's UPDATE itself.
 */
/** Why a dry run's people and session days never meet real ones (the database's trigger says the same). */
export const DRY_RUN_KEPT_APART_MESSAGE = "a dry run's test people and session days are kept apart from real ones";

export function seatTaken(code: string, at: { dose: number; slotId?: number; status?: string }): Refusal {
  switch (code) {
    case BookingRefusal.SESSION_FULL:
      return refusal(code, `no dose ${at.dose} seats left on this session day`);
    case BookingRefusal.SLOT_NOT_FOUND:
      return refusal(code, 'that time slot is not part of this session day');
    case BookingRefusal.SLOT_FULL:
      return refusal(
        code,
        at.slotId !== undefined
          ? 'that time slot is full; choose another'
          : 'every time slot of this session day is full',
      );
    case BookingRefusal.DRY_RUN_KEPT_APART:
      return refusal(code, DRY_RUN_KEPT_APART_MESSAGE);
    default:
      return refusal(
        BookingRefusal.SESSION_NOT_BOOKABLE,
        `this session day is ${(at.status ?? 'closed').toLowerCase()}`,
      );
  }
}

export type BookingDecision = { ok: true; dose: number; from: Stage; to: Stage } | ({ ok: false } & Refusal);
const no = (r: Refusal): BookingDecision => ({ ok: false, ...r });

/** Whether a person may book their next due dose at a session day (and slot). */
export function decideBooking(input: {
  person: PersonFacts;
  day: DayFacts | null;
  slotId?: number;
  slot?: SlotFacts | null;
  /** The dose the caller asked for (Co-WIN names it); refused when another one is due. */
  expectedDose?: number;
  /** Asked by the person's own account (portal or partner app): the day's cap on booking changes applies. */
  byAccount?: boolean;
  now: Date;
}): BookingDecision {
  const { person, day } = input;
  const dose = bookableDose(person.stage);
  if (dose === undefined) return no(cannotBookAt(person.stage));
  const changes = changesRefusal(person, input.byAccount);
  if (changes) return no(changes);
  if (input.expectedDose !== undefined && input.expectedDose !== dose)
    return no(
      refusal(
        BookingStepRefusal.DOSE_NOT_DUE,
        `beneficiary ${person.referenceId} is due dose ${dose}, not dose ${input.expectedDose}`,
      ),
    );
  // The stage lags a moment behind a dose or a booking made elsewhere: the records decide.
  if (person.live.some((a) => a.dose === dose))
    return no(refusal(BookingRefusal.ALREADY_BOOKED, `dose ${dose} is already booked; reschedule or cancel it first`));
  if ((person.previousDose?.doseNumber ?? 0) >= dose)
    return no(refusal(BookingStepRefusal.NOT_ALLOWED_AT_STAGE, `dose ${dose} has already been recorded`));
  const dayRule = dayRefusal(person, day, dose, input.now);
  if (dayRule) return no(dayRule);
  const seat = seatRefusal(day!, dose, input.slotId, input.slot, undefined);
  if (seat) return no(seat);
  const to = nextStage(person.stage, { type: 'BOOKED', dose });
  if (!to.ok) return no(refusal(BookingStepRefusal.NOT_ALLOWED_AT_STAGE, to.reason));
  return { ok: true, dose, from: person.stage, to: to.stage };
}

export interface AppointmentFacts {
  appointmentId: string;
  status: string;
  dose: number;
  sessionDayId: string;
  slotId: number | null;
  channel: string;
  date: string;
  siteName: string;
}

/** Whether an appointment's status lets it be moved or cancelled. */
function liveRefusal(appointment: AppointmentFacts): Refusal | undefined {
  if (appointment.status === 'COMPLETED')
    return refusal(BookingRefusal.APPOINTMENT_NOT_FOUND, 'this appointment has been attended');
  if (appointment.status !== 'BOOKED') return noSuchLiveAppointment();
  return undefined;
}

/** Whether a live appointment may move to another session day (or slot). */
export function decideMove(input: {
  person: PersonFacts;
  appointment: AppointmentFacts;
  day: DayFacts | null;
  slotId?: number;
  slot?: SlotFacts | null;
  /** Asked by the person's own account: the day's cap on booking changes applies. */
  byAccount?: boolean;
  now: Date;
}): BookingDecision {
  const { person, appointment, day } = input;
  const live = liveRefusal(appointment);
  if (live) return no(live);
  const changes = changesRefusal(person, input.byAccount);
  if (changes) return no(changes);
  const dose = appointment.dose;
  const move = nextStage(person.stage, { type: 'RESCHEDULED', dose });
  if (!move.ok) return no(refusal(BookingStepRefusal.NOT_ALLOWED_AT_STAGE, move.reason));
  const dayRule = dayRefusal(person, day, dose, input.now);
  if (dayRule) return no(dayRule);
  const seat = seatRefusal(day!, dose, input.slotId, input.slot, appointment);
  if (seat) return no(seat);
  return { ok: true, dose, from: person.stage, to: move.stage };
}

/** Whether a live appointment may be cancelled, and the stage the person goes back to. */
export function decideCancel(input: { person: PersonFacts; appointment: AppointmentFacts }): BookingDecision {
  const live = liveRefusal(input.appointment);
  if (live) return no(live);
  const dose = input.appointment.dose;
  const back = nextStage(input.person.stage, { type: 'CANCELLED', dose });
  if (!back.ok) return no(refusal(BookingStepRefusal.NOT_ALLOWED_AT_STAGE, back.reason));
  return { ok: true, dose, from: input.person.stage, to: back.stage };
}
