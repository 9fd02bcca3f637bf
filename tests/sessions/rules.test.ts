import { describe, expect, it } from 'vitest';
import {
  calendarToTimeline,
  defaultSessionPolicy,
  extendedClosing,
  extensionRoomMinutes,
  isFarBehindPlan,
  isStallReason,
  judgePace,
  judgeRecovery,
  MIN_POLL_MS,
  plannedDosesByNow,
  pollEveryMs,
  scaledMinutes,
  stallAfterMs,
  stragglerCheckMs,
  timelineToCalendar,
  type PaceFacts,
} from '../../domain/session-pace.js';
import {
  FINAL_STATUSES,
  isWatched,
  nextStatus,
  type SessionEvent,
  type SessionStatus,
} from '../../domain/session-status.js';

const DAY = 86_400_000;
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('session status machine', () => {
  const statuses: SessionStatus[] = ['PLANNED', 'OPEN', 'STALLED', 'PAUSED', 'CLOSED', 'CANCELLED'];
  // Every (status, event) pair: the status it leads to, or undefined when refused.
  const expected: Record<SessionEvent['type'], Partial<Record<SessionStatus, SessionStatus>>> = {
    OPENING_TIME: { PLANNED: 'OPEN' },
    CLOSING_TIME: { PLANNED: 'CLOSED', OPEN: 'CLOSED', STALLED: 'CLOSED', PAUSED: 'CLOSED' },
    STALL: { OPEN: 'STALLED' },
    RECOVER: { STALLED: 'OPEN' },
    PAUSE: { OPEN: 'PAUSED', STALLED: 'PAUSED' },
    RESUME: { PAUSED: 'OPEN' },
    CLOSE: { OPEN: 'CLOSED', STALLED: 'CLOSED', PAUSED: 'CLOSED', CLOSED: 'CLOSED' },
    CANCEL: { PLANNED: 'CANCELLED', OPEN: 'CANCELLED', STALLED: 'CANCELLED', PAUSED: 'CANCELLED' },
    EXTEND: { PLANNED: 'PLANNED', OPEN: 'OPEN', STALLED: 'STALLED', PAUSED: 'PAUSED' },
    ASSIGN: { PLANNED: 'PLANNED', OPEN: 'OPEN', STALLED: 'STALLED', PAUSED: 'PAUSED' },
  };

  for (const [type, outcomes] of Object.entries(expected) as Array<
    [SessionEvent['type'], Partial<Record<SessionStatus, SessionStatus>>]
  >) {
    for (const status of statuses) {
      const target = outcomes[status];
      it(`${type} from ${status} ${target ? `leads to ${target}` : 'is refused'}`, () => {
        const t = nextStatus(status, { type });
        if (target) expect(t).toEqual({ ok: true, status: target });
        else expect(t).toMatchObject({ ok: false, reason: expect.stringMatching(/not possible|has not opened/) });
      });
    }
  }

  it('tells an officer closing a session that never opened to cancel it instead', () => {
    expect(nextStatus('PLANNED', { type: 'CLOSE' })).toEqual({
      ok: false,
      reason: 'the session day has not opened yet; cancel it instead',
    });
  });

  it('names the final statuses and the watched ones', () => {
    expect([...FINAL_STATUSES].sort()).toEqual(['CANCELLED', 'CLOSED']);
    expect(statuses.filter(isWatched)).toEqual(['OPEN', 'STALLED']);
  });
});

describe('the session clock', () => {
  const anchor = Date.UTC(2031, 0, 5, 3, 0);

  it('is the calendar itself when a day is a day', () => {
    const policy = defaultSessionPolicy(DAY, 30);
    expect(calendarToTimeline(anchor + 5 * HOUR, anchor, policy)).toBe(anchor + 5 * HOUR);
    expect(timelineToCalendar(anchor + 5 * HOUR, anchor, policy)).toBe(anchor + 5 * HOUR);
    expect(stallAfterMs(policy)).toBe(30 * MIN);
    expect(pollEveryMs(policy)).toBe(MIN);
    expect(stragglerCheckMs(policy)).toBe(5 * MIN);
  });

  it('compresses every span by the same factor, anchored at the workflow start, and back', () => {
    const policy = defaultSessionPolicy(DAY / 60, 3); // a calendar minute lasts a second
    const eightHoursLater = calendarToTimeline(anchor + 8 * HOUR, anchor, policy);
    expect(eightHoursLater).toBe(anchor + 8 * 60 * 1000);
    expect(timelineToCalendar(eightHoursLater, anchor, policy)).toBe(anchor + 8 * HOUR);
    expect(scaledMinutes(90, policy)).toBe(90_000);
    expect(stallAfterMs(policy)).toBe(3_000);
    expect(pollEveryMs(policy)).toBe(1_000);
  });

  it('never polls or checks stragglers faster than its floor, however compressed', () => {
    const policy = defaultSessionPolicy(2_000, 30);
    expect(pollEveryMs(policy)).toBe(MIN_POLL_MS);
    expect(stragglerCheckMs(policy)).toBe(2 * MIN_POLL_MS);
  });
});

describe('pace and stalls', () => {
  const opens = 1_000_000_000;
  const closes = opens + 8 * HOUR;
  const stallAfter = 30 * MIN;
  const facts = (overrides: Partial<PaceFacts>): PaceFacts => ({
    nowMs: opens + 2 * HOUR,
    opensAtMs: opens,
    closesAtMs: closes,
    watchedSinceMs: opens,
    lastDoseAtMs: opens + 2 * HOUR - MIN,
    booked: 40,
    waiting: 30,
    due: 10,
    dosesRecorded: 10,
    ...overrides,
  });

  it('plans the booked people evenly over the open hours', () => {
    expect(plannedDosesByNow(facts({ nowMs: opens - HOUR }))).toBe(0);
    expect(plannedDosesByNow(facts({ nowMs: opens + 2 * HOUR }))).toBe(10);
    expect(plannedDosesByNow(facts({ nowMs: closes + HOUR }))).toBe(40);
    expect(plannedDosesByNow(facts({ closesAtMs: opens }))).toBe(40);
  });

  it('is not stalled when nobody is due, however quiet', () => {
    expect(judgePace(facts({ due: 0, lastDoseAtMs: null, dosesRecorded: 0 }), stallAfter)).toMatchObject({
      stalled: false,
    });
  });

  it('stalls when no dose has come for the stall time while people are due', () => {
    const verdict = judgePace(facts({ lastDoseAtMs: opens + 2 * HOUR - 30 * MIN }), stallAfter);
    expect(verdict).toMatchObject({ stalled: true, reason: 'NO_DOSES', quietMs: 30 * MIN });
  });

  it('counts the quiet from when watching began when there was no dose yet (or an older one)', () => {
    const justWatching = facts({ lastDoseAtMs: null, watchedSinceMs: opens + 2 * HOUR - 10 * MIN });
    expect(judgePace(justWatching, stallAfter)).toMatchObject({ stalled: false, quietMs: 10 * MIN });
    expect(
      judgePace(facts({ lastDoseAtMs: opens - DAY, watchedSinceMs: opens + HOUR, dosesRecorded: 5 }), stallAfter),
    ).toMatchObject({ stalled: true, reason: 'NO_DOSES', quietMs: HOUR });
  });

  it('stalls when far behind plan with at least 5 waiting, even with a recent dose', () => {
    // 40 booked over 8 h, 2 h in: 10 planned; 3 done is under a third.
    const verdict = judgePace(facts({ dosesRecorded: 3 }), stallAfter);
    expect(verdict).toMatchObject({ stalled: true, reason: 'BEHIND_PLAN', plannedByNow: 10 });
    expect(isFarBehindPlan(facts({ dosesRecorded: 3 }))).toBe(true);
  });

  it('is not far behind at a third of plan or more', () => {
    expect(judgePace(facts({ dosesRecorded: 4 }), stallAfter)).toMatchObject({ stalled: false });
    expect(isFarBehindPlan(facts({ dosesRecorded: 4 }))).toBe(false);
  });

  it('does not judge the plan with fewer than 5 people waiting', () => {
    expect(isFarBehindPlan(facts({ dosesRecorded: 0, waiting: 4, due: 4 }))).toBe(false);
    expect(judgePace(facts({ dosesRecorded: 0, waiting: 4, due: 4 }), stallAfter)).toMatchObject({ stalled: false });
  });

  it('does not judge the plan while a third of it is under one dose', () => {
    // 2 planned (40 booked, 24 min in): a third is less than a dose.
    const early = facts({ nowMs: opens + 24 * MIN, lastDoseAtMs: opens + 20 * MIN, dosesRecorded: 0 });
    expect(isFarBehindPlan(early)).toBe(false);
  });

  it('gives a just-opened or just-recovered session a full stall window before judging the plan', () => {
    const recovered = facts({ dosesRecorded: 3, watchedSinceMs: opens + 2 * HOUR - 10 * MIN });
    expect(judgePace(recovered, stallAfter)).toMatchObject({ stalled: false });
  });

  it('clears a stall when a dose comes after it began, or when nobody is due any more', () => {
    expect(judgeRecovery({ dosesRecorded: 11, due: 5 }, 10)).toEqual({ recovered: true, reason: 'DOSES_RESUMED' });
    expect(judgeRecovery({ dosesRecorded: 10, due: 0 }, 10)).toEqual({ recovered: true, reason: 'NOBODY_DUE' });
    expect(judgeRecovery({ dosesRecorded: 10, due: 5 }, 10)).toEqual({ recovered: false });
  });

  it('knows a stall reason from the other reasons a status change carries', () => {
    // What the status change records for the console: only a stall verdict's reason.
    expect(isStallReason('NO_DOSES')).toBe(true);
    expect(isStallReason('BEHIND_PLAN')).toBe(true);
    expect(isStallReason('DOSES_RESUMED')).toBe(false);
    expect(isStallReason(undefined)).toBe(false);
  });
});

describe('extending the closing time', () => {
  const closes = Date.UTC(2031, 0, 5, 11, 30); // 17:00 India
  const midnight = Date.UTC(2031, 0, 5, 18, 30);

  it('moves the closing time by whole minutes', () => {
    expect(
      extendedClosing({ closesAtMs: closes, minutes: 45, endOfDateMs: midnight, calendarNowMs: closes - HOUR }),
    ).toEqual({ ok: true, closesAtMs: closes + 45 * MIN });
    expect(extendedClosing({ closesAtMs: closes, minutes: 420, endOfDateMs: midnight, calendarNowMs: closes })).toEqual(
      { ok: true, closesAtMs: midnight },
    );
  });

  it('refuses fractions, zero, running past midnight, and a time already past', () => {
    expect(
      extendedClosing({ closesAtMs: closes, minutes: 0, endOfDateMs: midnight, calendarNowMs: closes - HOUR }),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/whole number/) });
    expect(
      extendedClosing({ closesAtMs: closes, minutes: 1.5, endOfDateMs: midnight, calendarNowMs: closes - HOUR }),
    ).toMatchObject({ ok: false });
    expect(
      extendedClosing({ closesAtMs: closes, minutes: 421, endOfDateMs: midnight, calendarNowMs: closes - HOUR }),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/midnight/) });
    expect(
      extendedClosing({ closesAtMs: closes, minutes: 10, endOfDateMs: midnight, calendarNowMs: closes + HOUR }),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/already passed/) });
  });

  it('has room for the whole minutes left before midnight, none once there', () => {
    expect(extensionRoomMinutes({ closesAtMs: closes, endOfDateMs: midnight })).toBe(420);
    expect(extensionRoomMinutes({ closesAtMs: midnight - 90_000, endOfDateMs: midnight })).toBe(1);
    expect(extensionRoomMinutes({ closesAtMs: midnight, endOfDateMs: midnight })).toBe(0);
  });
});
