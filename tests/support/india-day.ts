/**
 * Session hours for tests, whatever the time of day the suite runs at.
 *
 * A session day belongs to one India date and never runs past its midnight, and the platform reads the real
 * clock (the API, Postgres and Temporal alike: there is no clock to inject), so a test cannot keep a session of
 * "today" open across India's midnight. Two rules keep every test clear of it:
 * - no test file starts in the last INDIA_MIDNIGHT_MARGIN_MINUTES of an India day: tests/setup/india-day.ts waits
 *   for midnight to pass first. The margin is calendar time; a test on compressed days (dayMs) gets it scaled,
 *   and the shortest of those (a calendar minute a second) needs a few calendar minutes open after its start.
 * - a session that must be open now gets hours around now (openNowHours), never fixed hours such as 09:00–17:00
 *   or a closing at 23:00, which the evening is already past.
 */
import { defaultJourneyPolicy, scaleDuration } from '../../domain/journey-schedule.js';
import { indiaDate, indiaInstant, indiaTime } from '../../domain/time.js';

export const INDIA_MIDNIGHT_MARGIN_MINUTES = 15;

const MINUTE_MS = 60_000;

/** Minutes from `now` to the end of its India date. */
export function minutesLeftInIndiaDay(now = new Date()): number {
  return (indiaInstant(indiaDate(now), '24:00').getTime() - now.getTime()) / MINUTE_MS;
}

/** Resolves at once when at least `minutes` are left of the India date, else a second after its midnight. */
export async function awayFromIndiaMidnight(minutes = INDIA_MIDNIGHT_MARGIN_MINUTES): Promise<void> {
  const left = minutesLeftInIndiaDay();
  if (left >= minutes) return;
  await new Promise((resolve) => setTimeout(resolve, left * MINUTE_MS + 1_000));
}

/**
 * How long until India time `time` today comes on a journey's compressed timeline (`dayMs` per day), or 0 when it
 * has passed: the journey's own rule (scaleDuration in domain/journey-schedule.ts). Texts at 09:00 and no-show
 * checks after a session's close wait for the real clock's time of day, so a test waiting for them waits this long
 * at most.
 */
export function untilIndiaTimeOnTimelineMs(time: string, dayMs: number, now = new Date()): number {
  const calendarMs = Math.max(0, indiaInstant(indiaDate(now), time).getTime() - now.getTime());
  return scaleDuration(calendarMs, defaultJourneyPolicy(dayMs));
}

export interface SessionHours {
  date: string;
  opensAt: string;
  closesAt: string;
}

/** The longest hours a session day can have (closing times are times of day, so a minute before midnight). */
export const WHOLE_DAY = { opensAt: '00:00:00', closesAt: '23:59:00' } as const;

/**
 * Today's India date with hours that hold now: open since midnight, closing at `closesAt` (default 23:59) or,
 * when that is less than `minutesOpen` away, at the first whole minute `minutesOpen` from now. A test that
 * extends the closing time reads how much room is left before midnight from the hours it got.
 */
export function openNowHours(
  options: { closesAt?: string; minutesOpen?: number } = {},
  now = new Date(),
): SessionHours {
  const { closesAt = WHOLE_DAY.closesAt, minutesOpen = 5 } = options;
  const date = indiaDate(now);
  const earliest = Math.ceil((now.getTime() + minutesOpen * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
  const wanted = indiaInstant(date, closesAt).getTime();
  const closing = Math.max(wanted, earliest);
  if (closing >= indiaInstant(date, '24:00').getTime()) {
    throw new Error(
      `no session can stay open ${minutesOpen} minutes at ${indiaTime(now)} India time: midnight is too close ` +
        '(tests/setup/india-day.ts holds test files back from the last minutes of the day)',
    );
  }
  return { date, opensAt: WHOLE_DAY.opensAt, closesAt: indiaTime(new Date(closing)) };
}

/** Minutes from a session's closing time to the midnight ending its date: the most it can be extended by. */
export function minutesToMidnight(hours: SessionHours): number {
  return (indiaInstant(hours.date, '24:00').getTime() - indiaInstant(hours.date, hours.closesAt).getTime()) / MINUTE_MS;
}
