/**
 * When a session day opens and closes on the workflow's clock, and when its pace counts as stalled. Pure (no
 * Temporal imports), unit-tested on every branch, and shared by the workflow and the district console's status.
 *
 * Compressed days. Like the journey (journey-schedule.ts `toTimeline`), a calendar instant c becomes a timer
 * instant `anchor + (c - anchor) × dayMs / 1 day`. Here the anchor is fixed (the workflow's start) rather than
 * "now", so the whole session day is one consistent clock: opening, closing, extensions, slots and silence all
 * agree. With dayMs = 1 day it is the identity (production). Stall minutes are real minutes scaled by the same
 * factor, so one knob (DAY_MS) compresses everything; tests pick a dayMs and a STALL_AFTER_MINUTES that suit them.
 *
 * The stall rule (both parts need someone "due": booked, not yet vaccinated, and whose slot has begun — a
 * session nobody is due at is quiet by design, not stalled):
 * - NO_DOSES: no dose for `stallAfterMinutes`, counted from the later of the last dose and the moment the
 *   workflow began watching this stretch (opening, the workflow's start, a resume, a cleared stall).
 * - BEHIND_PLAN: "plan" = the people booked (seats taken, attended or not) spread evenly over the open hours, so
 *   by now `booked × elapsed / open hours` doses are planned. "Far below" = fewer than a third of those, with at
 *   least 5 people booked and not yet vaccinated. It is judged only once the watched stretch is a full stall
 *   window old (a just-opened or just-recovered session gets time to catch up) and only when a third of plan is
 *   at least one whole dose (3 planned), so it never fires on fractions in the opening minutes.
 * A stall clears when a dose is recorded after it began, or when nobody is due any more.
 */
import { REAL_DAY_MS } from './journey-schedule.js';

export interface SessionPolicy {
  /** Length of a calendar day on the workflow's clock. */
  dayMs: number;
  /** Minutes (calendar, scaled by dayMs) without a dose before a session with people due is stalled. */
  stallAfterMinutes: number;
  /** How long (calendar minutes) after closing a wastage report is still taken. */
  reportWindowMinutes: number;
}

export const DEFAULT_REPORT_WINDOW_MINUTES = 180;
/** The pace is read once a (scaled) minute, but never more often than this: a compressed test day stays cheap. */
export const MIN_POLL_MS = 1_000;
/** After a cancellation, how long (calendar minutes) before the workflow looks for bookings that raced it. */
export const STRAGGLER_CHECK_MINUTES = 5;
export const BEHIND_PLAN_MIN_WAITING = 5;
export const BEHIND_PLAN_FRACTION = 1 / 3;
export const BEHIND_PLAN_MIN_PLANNED = 3;

const MINUTE_MS = 60_000;

export function defaultSessionPolicy(dayMs: number, stallAfterMinutes: number): SessionPolicy {
  return { dayMs, stallAfterMinutes, reportWindowMinutes: DEFAULT_REPORT_WINDOW_MINUTES };
}

/** Timeline milliseconds per calendar millisecond. */
export function timeScale(policy: Pick<SessionPolicy, 'dayMs'>): number {
  return policy.dayMs / REAL_DAY_MS;
}

/**
 * Where a calendar instant falls on the workflow's clock, anchored at `anchorMs`. The anchor stands for itself on
 * the calendar, or for `calendarAnchorMs` (a dry run's simulated day, which starts at its own hour whatever the
 * time the simulation is run).
 */
export function calendarToTimeline(
  calendarMs: number,
  anchorMs: number,
  policy: Pick<SessionPolicy, 'dayMs'>,
  calendarAnchorMs = anchorMs,
): number {
  return anchorMs + (calendarMs - calendarAnchorMs) * timeScale(policy);
}

/** The calendar instant a moment of the workflow's clock stands for. */
export function timelineToCalendar(
  timelineMs: number,
  anchorMs: number,
  policy: Pick<SessionPolicy, 'dayMs'>,
  calendarAnchorMs = anchorMs,
): number {
  return calendarAnchorMs + (timelineMs - anchorMs) / timeScale(policy);
}

/** A span of calendar minutes on the workflow's clock. */
export function scaledMinutes(minutes: number, policy: Pick<SessionPolicy, 'dayMs'>): number {
  return minutes * MINUTE_MS * timeScale(policy);
}

export function stallAfterMs(policy: SessionPolicy): number {
  return scaledMinutes(policy.stallAfterMinutes, policy);
}

export function pollEveryMs(policy: Pick<SessionPolicy, 'dayMs'>): number {
  return Math.max(scaledMinutes(1, policy), MIN_POLL_MS);
}

export function stragglerCheckMs(policy: Pick<SessionPolicy, 'dayMs'>): number {
  return Math.max(scaledMinutes(STRAGGLER_CHECK_MINUTES, policy), 2 * MIN_POLL_MS);
}

/** What the pace is judged on. Instants on one clock (the workflow's; the calendar for the console). */
export interface PaceFacts {
  nowMs: number;
  opensAtMs: number;
  closesAtMs: number;
  /** When this stretch of watching began: opening, the workflow's start, a resume or a cleared stall. */
  watchedSinceMs: number;
  lastDoseAtMs: number | null;
  /** Seats taken (booked, attended or not). */
  booked: number;
  /** Booked and not yet vaccinated. */
  waiting: number;
  /** Waiting, and their slot has begun. */
  due: number;
  dosesRecorded: number;
}

/** Doses planned by now: the booked people spread evenly over the open hours. */
export function plannedDosesByNow(facts: Pick<PaceFacts, 'nowMs' | 'opensAtMs' | 'closesAtMs' | 'booked'>): number {
  const hours = facts.closesAtMs - facts.opensAtMs;
  if (hours <= 0) return facts.booked;
  const elapsed = Math.min(Math.max((facts.nowMs - facts.opensAtMs) / hours, 0), 1);
  return facts.booked * elapsed;
}

/** "Far below plan": fewer than a third of the planned doses, with at least 5 people still waiting. */
export function isFarBehindPlan(facts: PaceFacts): boolean {
  const planned = plannedDosesByNow(facts);
  return (
    facts.waiting >= BEHIND_PLAN_MIN_WAITING &&
    planned >= BEHIND_PLAN_MIN_PLANNED &&
    facts.dosesRecorded < planned * BEHIND_PLAN_FRACTION
  );
}

/** Why a session is STALLED: no dose for the stall window while people are due, or far behind the plan's pace. */
export const STALL_REASONS = ['NO_DOSES', 'BEHIND_PLAN'] as const;
export type StallReason = (typeof STALL_REASONS)[number];

export function isStallReason(value: unknown): value is StallReason {
  return (STALL_REASONS as readonly unknown[]).includes(value);
}

export type PaceVerdict =
  | { stalled: false; quietMs: number; plannedByNow: number }
  | { stalled: true; reason: StallReason; quietMs: number; plannedByNow: number };

/** Judges an OPEN session (see the rule at the top of this file). */
export function judgePace(facts: PaceFacts, stallAfter: number): PaceVerdict {
  const quietSince = Math.max(facts.watchedSinceMs, facts.lastDoseAtMs ?? -Infinity);
  const quietMs = Math.max(0, facts.nowMs - quietSince);
  const plannedByNow = plannedDosesByNow(facts);
  if (facts.due === 0) return { stalled: false, quietMs, plannedByNow };
  if (quietMs >= stallAfter) return { stalled: true, reason: 'NO_DOSES', quietMs, plannedByNow };
  const watchedLongEnough = facts.nowMs - facts.watchedSinceMs >= stallAfter;
  if (watchedLongEnough && isFarBehindPlan(facts))
    return { stalled: true, reason: 'BEHIND_PLAN', quietMs, plannedByNow };
  return { stalled: false, quietMs, plannedByNow };
}

export type RecoveryReason = 'DOSES_RESUMED' | 'NOBODY_DUE';

/** Whether a STALLED session is back to OPEN: a dose since the stall began, or nobody due any more. */
export function judgeRecovery(
  facts: Pick<PaceFacts, 'dosesRecorded' | 'due'>,
  dosesAtStall: number,
): { recovered: false } | { recovered: true; reason: RecoveryReason } {
  if (facts.dosesRecorded > dosesAtStall) return { recovered: true, reason: 'DOSES_RESUMED' };
  if (facts.due === 0) return { recovered: true, reason: 'NOBODY_DUE' };
  return { recovered: false };
}

/**
 * The most whole minutes a closing time can be extended by: no session day runs past the midnight (India) that
 * ends its date. Calendar instants; the district console offers only extensions within it.
 */
export function extensionRoomMinutes(input: { closesAtMs: number; endOfDateMs: number }): number {
  return Math.max(0, Math.floor((input.endOfDateMs - input.closesAtMs) / MINUTE_MS));
}

/** The next closing time after an extension by `minutes`, or why it cannot be. Calendar instants. */
export function extendedClosing(input: {
  closesAtMs: number;
  minutes: number;
  endOfDateMs: number;
  calendarNowMs: number;
}): { ok: true; closesAtMs: number } | { ok: false; reason: string } {
  if (!Number.isInteger(input.minutes) || input.minutes < 1)
    return { ok: false, reason: 'extend by a whole number of minutes, at least 1' };
  const closesAtMs = input.closesAtMs + input.minutes * MINUTE_MS;
  if (input.minutes > extensionRoomMinutes(input))
    return {
      ok: false,
      reason: 'a session day cannot run past midnight (India time); plan another session day instead',
    };
  if (closesAtMs <= input.calendarNowMs) return { ok: false, reason: 'that closing time has already passed' };
  return { ok: true, closesAtMs };
}
