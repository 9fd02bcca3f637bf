/**
 * When the journey's timers fire. Pure (no Temporal imports) so it is unit-tested directly.
 *
 * Calendar facts (an appointment at 09:00 on a date, dose 2 due 28 days after dose 1) become timer instants
 * when they are learnt: `now + (instant - now) × dayMs / 1 day`. With dayMs = 1 day that is the instant itself
 * (production); with dayMs = 2 s a 28-day wait takes 56 s, by the same code (tests and dry runs). Instants are
 * fixed once planned, so waking up for other events never pushes a timer back.
 */
import type { Stage } from './journey-state.js';

export const REAL_DAY_MS = 86_400_000;

export interface JourneyPolicy {
  /** Length of a calendar day on the workflow's timeline. */
  dayMs: number;
  /** An OTP's lifetime, in real time (not scaled: a person types it within minutes either way). */
  otpLifetimeMs: number;
  reminderLeadDays: number;
  /** How long after a session day closes an unattended appointment becomes a no-show. */
  noShowGraceMinutes: number;
  followUpEveryDays: number;
  maxFollowUps: number;
  /**
   * Days a journey waits for its person once it has nothing left of its own to do (see `awaitingReturn`) before it
   * ends, awaiting their return. Absent from the inputs of journeys started before journeys ended so: the default.
   */
  inactiveAfterDays?: number;
}

/** JOURNEY_INACTIVE_AFTER_DAYS unset: half a year without a booking, a dose or a reminder of its own. */
export const DEFAULT_INACTIVE_AFTER_DAYS = 180;

export function defaultJourneyPolicy(dayMs: number, inactiveAfterDays = DEFAULT_INACTIVE_AFTER_DAYS): JourneyPolicy {
  return {
    dayMs,
    otpLifetimeMs: 3 * 60_000,
    reminderLeadDays: 1,
    noShowGraceMinutes: 30,
    followUpEveryDays: 7,
    maxFollowUps: 3,
    inactiveAfterDays,
  };
}

/** The policy a deployment's settings give (DAY_MS, OTP_LIFETIME_SECONDS, JOURNEY_INACTIVE_AFTER_DAYS). */
export function configuredJourneyPolicy(settings: {
  dayMs: number;
  otpLifetimeMs: number;
  journeyInactiveAfterDays?: number;
}): JourneyPolicy {
  return {
    ...defaultJourneyPolicy(settings.dayMs, settings.journeyInactiveAfterDays),
    otpLifetimeMs: settings.otpLifetimeMs,
  };
}

const DAY = REAL_DAY_MS;

/**
 * The longest a no-show waits, after the check first finds it, for desk devices that took the session's list to
 * get in touch again (calendar time; a device that never returns must not hold the person's news for ever).
 */
export const NO_SHOW_DEVICE_WAIT_MS = 6 * 3_600_000;

/** A calendar duration on the workflow's timeline. */
export function scaleDuration(calendarMs: number, policy: JourneyPolicy): number {
  return calendarMs * (policy.dayMs / DAY);
}

/**
 * Where a calendar instant falls on the workflow's timeline, seen from `nowMs`, the timeline's now, which stands for
 * the calendar instant `calendarNowMs`: itself, except on a dry run's clock (`calendarNowOnRunClock`).
 */
export function toTimeline(calendarMs: number, nowMs: number, policy: JourneyPolicy, calendarNowMs = nowMs): number {
  return nowMs + (calendarMs - calendarNowMs) * (policy.dayMs / DAY);
}

/**
 * A dry run's simulated person: the calendar instant the journey's timeline stands for at `nowMs`, when its start
 * (`startedAtMs`) stood for the run's calendar start (`calendarStartMs`), so that the person's appointment falls on
 * the run's compressed day as its session day's workflow places it (domain/session-pace.ts, `calendarToTimeline`),
 * whatever the real time of day.
 */
export function calendarNowOnRunClock(
  nowMs: number,
  run: { startedAtMs: number; calendarStartMs: number },
  policy: JourneyPolicy,
): number {
  return run.calendarStartMs + (nowMs - run.startedAtMs) / (policy.dayMs / DAY);
}

export interface AppointmentTimers {
  /** Absent when the booking was made inside the reminder's lead time: the confirmation just said it. */
  reminderAtMs?: number;
  noShowCheckAtMs: number;
}

/** `calendarNowMs`: the calendar instant the timeline's now stands for (itself, but on a dry run's clock). */
export function planAppointmentTimers(
  appointment: { startsAtMs: number; closesAtMs: number },
  nowMs: number,
  policy: JourneyPolicy,
  calendarNowMs = nowMs,
): AppointmentTimers {
  const reminderCalendarMs = appointment.startsAtMs - policy.reminderLeadDays * DAY;
  return {
    reminderAtMs:
      reminderCalendarMs > calendarNowMs ? toTimeline(reminderCalendarMs, nowMs, policy, calendarNowMs) : undefined,
    noShowCheckAtMs: toTimeline(
      appointment.closesAtMs + policy.noShowGraceMinutes * 60_000,
      nowMs,
      policy,
      calendarNowMs,
    ),
  };
}

export interface Dose2Timers {
  dueAtMs: number;
  /** Follow-ups while dose 2 is due and not booked, bounded by policy.maxFollowUps. */
  followUpAtMs: number[];
}

export function planDose2Timers(
  window: { opensAtMs: number; closesAtMs: number },
  nowMs: number,
  policy: JourneyPolicy,
): Dose2Timers {
  const followUps: number[] = [];
  for (let k = 1; k <= policy.maxFollowUps; k++) {
    const at = window.opensAtMs + k * policy.followUpEveryDays * DAY;
    if (at > window.closesAtMs + policy.followUpEveryDays * DAY) break;
    followUps.push(toTimeline(at, nowMs, policy));
  }
  return { dueAtMs: toTimeline(window.opensAtMs, nowMs, policy), followUpAtMs: followUps };
}

/**
 * A dose 1 recorded long after it was given (a desk syncing late, a dose given elsewhere that an officer adds): of
 * dose 2's texts whose time has already passed, only the latest goes out, at once — the due text while dose 2 is
 * due and not a week overdue, else one overdue text — and the follow-ups still to come stay planned. Nothing has
 * passed for a dose recorded as it is given. Answers what to count as sent already.
 */
export function passedDose2Texts(timers: Dose2Timers, nowMs: number): { dueSent: boolean; followUpsSent: number } {
  const passed = timers.followUpAtMs.filter((at) => at <= nowMs).length;
  return passed === 0 ? { dueSent: false, followUpsSent: 0 } : { dueSent: true, followUpsSent: passed - 1 };
}

/** The precaution dose's due date on the workflow's timeline (09:00 India on its date, when SMS are welcome). */
export interface PrecautionTimers {
  dueAtMs: number;
}

export function planPrecautionTimers(dueAtCalendarMs: number, nowMs: number, policy: JourneyPolicy): PrecautionTimers {
  return { dueAtMs: toTimeline(Math.max(dueAtCalendarMs, nowMs), nowMs, policy) };
}

export interface TimerFacts {
  stage: Stage;
  otpExpiresAtMs: number;
  /** `attended`: a dose completed the appointment and its signal is on the way; no more timers. */
  appointment?: AppointmentTimers & { reminderSent: boolean; attended?: boolean };
  dose2?: Dose2Timers & { dueSent: boolean; followUpsSent: number };
  /** Planned when the last primary dose was given and the vaccine has a precaution dose. */
  precaution?: PrecautionTimers & { dueSent: boolean };
  /**
   * When a journey awaiting its person's return (`awaitingReturn`) ends: set by journeys under the
   * `ends-when-inactive` patch, `inactiveAfterDays` after its last step (see `inactiveAtMs`).
   */
  inactiveAtMs?: number;
}

/**
 * When a journey can no longer move by itself: only its person can move it again (a booking, a dose at a desk).
 * - VERIFIED: never booked (or a booking released): nothing to remind.
 * - DOSE1_DONE: dose 2 was texted as due and every overdue follow-up has been sent (or none was planned).
 * - FULLY_VACCINATED awaiting a precaution dose that was texted as due.
 * REGISTERED is not among them: its OTP expires within minutes (EXPIRED). Booked stages have their appointment's
 * timers; final stages have ended already.
 */
export function awaitingReturn(facts: Omit<TimerFacts, 'inactiveAtMs'>): boolean {
  switch (facts.stage) {
    case 'VERIFIED':
      return true;
    case 'DOSE1_DONE': {
      const d = facts.dose2;
      return !d || (d.dueSent && d.followUpsSent >= d.followUpAtMs.length);
    }
    case 'FULLY_VACCINATED':
      return facts.precaution?.dueSent === true;
    default:
      return false;
  }
}

/**
 * Where on the journey's timeline a journey awaiting return ends: `inactiveAfterDays` calendar days after its last
 * step (entering the stage, the last follow-up it sent, the last booking change it heard of).
 */
export function inactiveAtMs(lastStepAtMs: number, policy: JourneyPolicy): number {
  return lastStepAtMs + scaleDuration((policy.inactiveAfterDays ?? DEFAULT_INACTIVE_AFTER_DAYS) * DAY, policy);
}

export type TimerKind =
  'OTP_EXPIRY' | 'REMINDER' | 'NO_SHOW_CHECK' | 'DOSE2_DUE' | 'DOSE2_OVERDUE' | 'PRECAUTION_DUE' | 'INACTIVE';
export interface Timer {
  kind: TimerKind;
  atMs: number;
}

export function nextTimer(facts: TimerFacts): Timer | undefined {
  const own = ownTimer(facts);
  if (own || facts.inactiveAtMs === undefined || !awaitingReturn(facts)) return own;
  return { kind: 'INACTIVE', atMs: facts.inactiveAtMs };
}

function ownTimer(facts: TimerFacts): Timer | undefined {
  switch (facts.stage) {
    case 'REGISTERED':
      return { kind: 'OTP_EXPIRY', atMs: facts.otpExpiresAtMs };
    case 'DOSE1_BOOKED':
    case 'DOSE2_BOOKED':
    case 'PRECAUTION_BOOKED': {
      const a = facts.appointment;
      if (!a || a.attended) return undefined;
      if (!a.reminderSent && a.reminderAtMs !== undefined && a.reminderAtMs < a.noShowCheckAtMs) {
        return { kind: 'REMINDER', atMs: a.reminderAtMs };
      }
      return { kind: 'NO_SHOW_CHECK', atMs: a.noShowCheckAtMs };
    }
    case 'DOSE1_DONE': {
      const d = facts.dose2;
      if (!d) return undefined;
      if (!d.dueSent) return { kind: 'DOSE2_DUE', atMs: d.dueAtMs };
      const followUp = d.followUpAtMs[d.followUpsSent];
      return followUp === undefined ? undefined : { kind: 'DOSE2_OVERDUE', atMs: followUp };
    }
    case 'FULLY_VACCINATED': {
      const p = facts.precaution;
      return p && !p.dueSent ? { kind: 'PRECAUTION_DUE', atMs: p.dueAtMs } : undefined;
    }
    default:
      return undefined;
  }
}
