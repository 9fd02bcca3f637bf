/** When the journey's timers fire, on the compressed and the real timeline. */
import { describe, expect, it } from 'vitest';
import {
  defaultJourneyPolicy,
  nextTimer,
  planAppointmentTimers,
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
});
