/** When the journey's timers fire, on the compressed and the real timeline. */
import { describe, expect, it } from 'vitest';
import {
  awaitingReturn,
  calendarNowOnRunClock,
  DEFAULT_INACTIVE_AFTER_DAYS,
  defaultJourneyPolicy,
  inactiveAtMs,
  nextTimer,
  planAppointmentTimers,
  passedDose2Texts,
  planDose2Timers,
  REAL_DAY_MS,
  toTimeline,
} from '../../domain/journey-schedule.js';

const DAY = REAL_DAY_MS;
const now = Date.UTC(2026, 10, 27, 6, 0);

describe('journey schedule', () => {
  it('keeps calendar instants as they are with a real day, and compresses them with a short one', () => {
    expect(toTimeline(now + 28 * DAY, now, defaultJourneyPolicy(DAY))).toBe(now + 28 * DAY);
    expect(toTimeline(now + 28 * DAY, now, defaultJourneyPolicy(2_000))).toBe(now + 56_000);
    expect(toTimeline(now - DAY, now, defaultJourneyPolicy(2_000))).toBe(now - 2_000);
  });

  it("places a dry run's appointment on the run's clock, its start standing for the run's calendar start", () => {
    const policy = defaultJourneyPolicy(144_000); // a calendar minute is 0.1 s
    const run = { startedAtMs: now, calendarStartMs: Date.UTC(2027, 0, 10, 3, 20) }; // 08:50 India, weeks away
    const closesAtMs = Date.UTC(2027, 0, 10, 7, 30); // 13:00 India
    // Ten seconds into the run: 08:50 + 100 minutes on its clock.
    const calendarNowMs = calendarNowOnRunClock(now + 10_000, run, policy);
    expect(calendarNowMs).toBe(run.calendarStartMs + 100 * 60_000);
    const timers = planAppointmentTimers(
      { startsAtMs: closesAtMs - 4 * 3_600_000, closesAtMs },
      now + 10_000,
      policy,
      calendarNowMs,
    );
    // 13:30 is 280 calendar minutes after 08:50: 28 s after the run's start, whenever it is run.
    expect(timers).toEqual({ reminderAtMs: undefined, noShowCheckAtMs: now + 28_000 });
  });

  it('reminds a day ahead and checks for a no-show half an hour after closing', () => {
    const policy = defaultJourneyPolicy(DAY);
    const timers = planAppointmentTimers(
      { startsAtMs: now + 3 * DAY, closesAtMs: now + 3 * DAY + 8 * 3_600_000 },
      now,
      policy,
    );
    expect(timers.reminderAtMs).toBe(now + 2 * DAY);
    expect(timers.noShowCheckAtMs).toBe(now + 3 * DAY + 8.5 * 3_600_000);
  });

  it('sends no day-before reminder for a booking made inside the lead time', () => {
    const timers = planAppointmentTimers(
      { startsAtMs: now + 3_600_000, closesAtMs: now + 4 * 3_600_000 },
      now,
      defaultJourneyPolicy(DAY),
    );
    expect(timers.reminderAtMs).toBeUndefined();
  });

  it('plans dose-2 due and a bounded number of follow-ups inside the window', () => {
    const policy = { ...defaultJourneyPolicy(DAY), followUpEveryDays: 7, maxFollowUps: 3 };
    const d = planDose2Timers({ opensAtMs: now + 28 * DAY, closesAtMs: now + 42 * DAY }, now, policy);
    expect(d.dueAtMs).toBe(now + 28 * DAY);
    expect(d.followUpAtMs).toEqual([now + 35 * DAY, now + 42 * DAY, now + 49 * DAY]);
    const short = planDose2Timers({ opensAtMs: now + DAY, closesAtMs: now + 2 * DAY }, now, policy);
    expect(short.followUpAtMs).toEqual([now + 8 * DAY]);
  });

  it('a dose 1 recorded late sends only the latest dose-2 text already past, and keeps those to come', () => {
    const policy = { ...defaultJourneyPolicy(DAY), followUpEveryDays: 7, maxFollowUps: 3 };
    const given = (daysAgo: number) => {
      const timers = planDose2Timers(
        { opensAtMs: now + (28 - daysAgo) * DAY, closesAtMs: now + (42 - daysAgo) * DAY },
        now,
        policy,
      );
      const passed = passedDose2Texts(timers, now);
      const facts = { stage: 'DOSE1_DONE' as const, otpExpiresAtMs: 0, dose2: { ...timers, ...passed } };
      return { passed, next: nextTimer(facts) };
    };
    // Given today: nothing has passed.
    expect(given(0)).toEqual({
      passed: { dueSent: false, followUpsSent: 0 },
      next: { kind: 'DOSE2_DUE', atMs: now + 28 * DAY },
    });
    // Due since 2 days, not a week overdue: the due text, now; the first follow-up 5 days on.
    expect(given(30).passed).toEqual({ dueSent: false, followUpsSent: 0 });
    expect(given(30).next).toEqual({ kind: 'DOSE2_DUE', atMs: now - 2 * DAY });
    // Two follow-ups past: one overdue text now (the second), the third still to come.
    expect(given(45)).toEqual({
      passed: { dueSent: true, followUpsSent: 1 },
      next: { kind: 'DOSE2_OVERDUE', atMs: now - 3 * DAY },
    });
    // Everything past: one overdue text, then nothing more.
    expect(given(60)).toEqual({
      passed: { dueSent: true, followUpsSent: 2 },
      next: { kind: 'DOSE2_OVERDUE', atMs: now - 11 * DAY },
    });
  });

  it('picks the next timer for each stage', () => {
    const appointment = { reminderAtMs: 10, noShowCheckAtMs: 20, reminderSent: false };
    expect(nextTimer({ stage: 'REGISTERED', otpExpiresAtMs: 5 })).toEqual({ kind: 'OTP_EXPIRY', atMs: 5 });
    expect(nextTimer({ stage: 'VERIFIED', otpExpiresAtMs: 5 })).toBeUndefined();
    expect(nextTimer({ stage: 'DOSE1_BOOKED', otpExpiresAtMs: 5, appointment })).toEqual({
      kind: 'REMINDER',
      atMs: 10,
    });
    expect(
      nextTimer({ stage: 'DOSE1_BOOKED', otpExpiresAtMs: 5, appointment: { ...appointment, reminderSent: true } }),
    ).toEqual({ kind: 'NO_SHOW_CHECK', atMs: 20 });
    expect(
      nextTimer({ stage: 'DOSE2_BOOKED', otpExpiresAtMs: 5, appointment: { ...appointment, attended: true } }),
    ).toBeUndefined();
    const dose2 = { dueAtMs: 30, followUpAtMs: [40, 50], dueSent: false, followUpsSent: 0 };
    expect(nextTimer({ stage: 'DOSE1_DONE', otpExpiresAtMs: 5, dose2 })).toEqual({ kind: 'DOSE2_DUE', atMs: 30 });
    expect(
      nextTimer({ stage: 'DOSE1_DONE', otpExpiresAtMs: 5, dose2: { ...dose2, dueSent: true, followUpsSent: 1 } }),
    ).toEqual({ kind: 'DOSE2_OVERDUE', atMs: 50 });
    expect(
      nextTimer({ stage: 'DOSE1_DONE', otpExpiresAtMs: 5, dose2: { ...dose2, dueSent: true, followUpsSent: 2 } }),
    ).toBeUndefined();
    expect(nextTimer({ stage: 'FULLY_VACCINATED', otpExpiresAtMs: 5 })).toBeUndefined();
    expect(
      nextTimer({ stage: 'FULLY_VACCINATED', otpExpiresAtMs: 5, precaution: { dueAtMs: 90, dueSent: false } }),
    ).toEqual({
      kind: 'PRECAUTION_DUE',
      atMs: 90,
    });
    expect(
      nextTimer({ stage: 'FULLY_VACCINATED', otpExpiresAtMs: 5, precaution: { dueAtMs: 90, dueSent: true } }),
    ).toBeUndefined();
  });

  it('ends a journey only when nothing but its person can move it, half a year after its last step', () => {
    expect(defaultJourneyPolicy(DAY).inactiveAfterDays).toBe(DEFAULT_INACTIVE_AFTER_DAYS);
    expect(DEFAULT_INACTIVE_AFTER_DAYS).toBe(180);
    // Journeys started before the rule carry no inactiveAfterDays: the default.
    const { inactiveAfterDays: _, ...older } = defaultJourneyPolicy(DAY);
    expect(inactiveAtMs(now, older)).toBe(now + 180 * DAY);
    expect(inactiveAtMs(now, defaultJourneyPolicy(DAY, 30))).toBe(now + 30 * DAY);
    expect(inactiveAtMs(now, defaultJourneyPolicy(2_000, 30))).toBe(now + 60_000);

    const dose2 = { dueAtMs: 30, followUpAtMs: [40, 50], dueSent: true, followUpsSent: 1 };
    const precaution = { dueAtMs: 90, dueSent: true };
    const at = (facts: Parameters<typeof nextTimer>[0]) => nextTimer({ ...facts, inactiveAtMs: 1_000 });
    expect(awaitingReturn({ stage: 'REGISTERED', otpExpiresAtMs: 5 })).toBe(false);
    expect(awaitingReturn({ stage: 'VERIFIED', otpExpiresAtMs: 5 })).toBe(true);
    expect(at({ stage: 'VERIFIED', otpExpiresAtMs: 5 })).toEqual({ kind: 'INACTIVE', atMs: 1_000 });
    // A follow-up still to send comes first; the last one sent, the journey waits for its person.
    expect(at({ stage: 'DOSE1_DONE', otpExpiresAtMs: 5, dose2 })).toEqual({ kind: 'DOSE2_OVERDUE', atMs: 50 });
    expect(at({ stage: 'DOSE1_DONE', otpExpiresAtMs: 5, dose2: { ...dose2, followUpsSent: 2 } })).toEqual({
      kind: 'INACTIVE',
      atMs: 1_000,
    });
    expect(at({ stage: 'DOSE1_DONE', otpExpiresAtMs: 5 })).toEqual({ kind: 'INACTIVE', atMs: 1_000 });
    expect(at({ stage: 'FULLY_VACCINATED', otpExpiresAtMs: 5, precaution: { ...precaution, dueSent: false } })).toEqual(
      { kind: 'PRECAUTION_DUE', atMs: 90 },
    );
    expect(at({ stage: 'FULLY_VACCINATED', otpExpiresAtMs: 5, precaution })).toEqual({ kind: 'INACTIVE', atMs: 1_000 });
    // Booked stages have their appointment's timers; an attended one waits for its dose's signal.
    const attended = { reminderAtMs: 10, noShowCheckAtMs: 20, reminderSent: true, attended: true };
    expect(at({ stage: 'DOSE1_BOOKED', otpExpiresAtMs: 5, appointment: attended })).toBeUndefined();
    for (const stage of ['EXPIRED', 'WITHDRAWN', 'PRECAUTION_DONE'] as const)
      expect(at({ stage, otpExpiresAtMs: 5 })).toBeUndefined();
    // Without the patch's deadline nothing changes: journeys of earlier releases sleep as they did.
    expect(nextTimer({ stage: 'VERIFIED', otpExpiresAtMs: 5 })).toBeUndefined();
  });
});
