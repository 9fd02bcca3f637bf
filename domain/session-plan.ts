/**
 * Rules of a planned session day that need no database: a real date not in the past, opening hours in order,
 * a slot length that fits them, an age band, seats. The API, the CSV import and edits all check a plan here,
 * so one plan is judged the same way wherever it comes from.
 */
import type { RowProblemCode, RowProblemParams } from './row-problems.js';
import { planSlots } from './slots.js';
import { indiaInstant, timeToMinutes } from './time.js';

export interface SessionPlan {
  siteId: number;
  date: string;
  vaccineCode: string;
  minAge: number;
  maxAge: number | null;
  dose1Capacity: number;
  dose2Capacity: number;
  walkinCapacity: number;
  /** 'HH:MM' or 'HH:MM:SS', India time. */
  opensAt: string;
  closesAt: string;
  slotMinutes: number;
}

export interface PlanProblem {
  /** The field (named as in the CSV) the problem is about, when there is one. */
  column?: string;
  code: RowProblemCode;
  params?: RowProblemParams;
  message: string;
}

export const MIN_SLOT_MINUTES = 15;
export const MAX_AGE = 120;

const TIME_PATTERN = /^([01][0-9]|2[0-3]):([0-5][0-9])(:00)?$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written 'YYYY-MM-DD'. */
export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** 'HH:MM' or 'HH:MM:00' as the database's 'HH:MM:SS'; undefined when it is not a time of day. */
export function normaliseTime(value: string): string | undefined {
  const match = TIME_PATTERN.exec(value);
  return match ? `${match[1]}:${match[2]}:00` : undefined;
}

function notATime(column: 'opens_at' | 'closes_at', value: string): PlanProblem {
  return { column, code: 'TIME_INVALID', params: { column, value }, message: `${value} is not a time of day (HH:MM)` };
}

/** Problems of the plan's own fields, judged on `today` (India date) and at `now`. Empty when it is sound. */
export function checkSessionPlan(plan: SessionPlan, today: string, now = new Date()): PlanProblem[] {
  const problems: PlanProblem[] = [];
  if (!isCalendarDate(plan.date))
    problems.push({
      column: 'date',
      code: 'DATE_INVALID',
      params: { value: plan.date },
      message: `${plan.date} is not a date (YYYY-MM-DD)`,
    });
  else if (plan.date < today)
    problems.push({
      column: 'date',
      code: 'DATE_PAST',
      params: { date: plan.date, today },
      message: `${plan.date} is in the past (today is ${today})`,
    });

  if (!Number.isInteger(plan.minAge) || plan.minAge < 0 || plan.minAge > MAX_AGE)
    problems.push({
      column: 'min_age',
      code: 'MIN_AGE_RANGE',
      params: { max: MAX_AGE },
      message: `min_age must be a whole number from 0 to ${MAX_AGE}`,
    });
  else if (
    plan.maxAge !== null &&
    (!Number.isInteger(plan.maxAge) || plan.maxAge < plan.minAge || plan.maxAge > MAX_AGE)
  ) {
    problems.push({
      column: 'max_age',
      code: 'MAX_AGE_RANGE',
      params: { minAge: plan.minAge, max: MAX_AGE },
      message: `max_age must be empty or a whole number from min_age (${plan.minAge}) to ${MAX_AGE}`,
    });
  }

  for (const [column, value] of [
    ['dose1_capacity', plan.dose1Capacity],
    ['dose2_capacity', plan.dose2Capacity],
    ['walkin_capacity', plan.walkinCapacity],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 100_000)
      problems.push({
        column,
        code: 'SEATS_RANGE',
        params: { column, max: 100_000 },
        message: `${column} must be a whole number from 0 to 100000`,
      });
  }
  if (plan.dose1Capacity + plan.dose2Capacity + plan.walkinCapacity === 0)
    problems.push({ column: 'dose1_capacity', code: 'NO_SEATS', message: 'a session day needs at least one seat' });

  const opens = normaliseTime(plan.opensAt);
  const closes = normaliseTime(plan.closesAt);
  if (!opens) problems.push(notATime('opens_at', plan.opensAt));
  if (!closes) problems.push(notATime('closes_at', plan.closesAt));
  if (opens && closes) {
    const minutes = timeToMinutes(closes) - timeToMinutes(opens);
    if (minutes <= 0)
      problems.push({
        column: 'closes_at',
        code: 'CLOSES_BEFORE_OPENS',
        params: { opens: opens.slice(0, 5), closes: closes.slice(0, 5) },
        message: `closes_at (${closes.slice(0, 5)}) must be after opens_at (${opens.slice(0, 5)})`,
      });
    else if (!Number.isInteger(plan.slotMinutes) || plan.slotMinutes < MIN_SLOT_MINUTES || plan.slotMinutes > minutes) {
      problems.push({
        column: 'slot_minutes',
        code: 'SLOT_MINUTES_RANGE',
        params: { min: MIN_SLOT_MINUTES, minutes },
        message: `slot_minutes must be a whole number from ${MIN_SLOT_MINUTES} to the session's ${minutes} minutes`,
      });
    } else if (isCalendarDate(plan.date) && plan.date >= today && indiaInstant(plan.date, closes) <= now) {
      problems.push({
        column: 'closes_at',
        code: 'DAY_ALREADY_OVER',
        params: { date: plan.date, closes: closes.slice(0, 5) },
        message: `this session day would already be over (${plan.date} ${closes.slice(0, 5)})`,
      });
    }
  }
  return problems;
}

/** Minutes of a slot as planned: the first slot is always a full one. */
export function slotLength(slot: { starts_at: string; ends_at: string }): number {
  return timeToMinutes(slot.ends_at) - timeToMinutes(slot.starts_at);
}

/**
 * New seat counts for slots that already hold bookings, when a session day's seats change: as close to the
 * even spread planSlots would give as the bookings allow, never below what a slot has booked (`used`), and
 * adding up to `total` exactly. The caller guarantees total >= the sum of `used`.
 */
export function rebalanceSlotSeats(
  slots: ReadonlyArray<{ startsAt: string; used: number }>,
  hours: { opensAt: string; closesAt: string; slotMinutes: number },
  total: number,
): number[] {
  if (!slots.length) return [];
  const even = new Map(
    planSlots({ ...hours, onlineCapacity: total, walkinCapacity: 0 }).map((s) => [
      timeToMinutes(s.startsAt),
      s.capacity,
    ]),
  );
  const seats = slots.map((s) => Math.max(even.get(timeToMinutes(s.startsAt)) ?? 0, s.used));
  let surplus = seats.reduce((a, b) => a + b, 0) - total;
  // Bookings held some slots above their even share: take the difference from the slots with the most room,
  // later ones first so that early arrivals keep their seats.
  while (surplus > 0) {
    let pick = -1;
    for (let i = slots.length - 1; i >= 0; i--) {
      if (seats[i] > slots[i].used && (pick < 0 || seats[i] - slots[i].used > seats[pick] - slots[pick].used)) pick = i;
    }
    if (pick < 0) throw new RangeError(`cannot fit ${total} seats over slots already holding more`);
    seats[pick]--;
    surplus--;
  }
  // Slots planned differently from today's hours (none should be) get what is left, earliest first.
  for (let i = 0; surplus < 0; i = (i + 1) % seats.length) {
    seats[i]++;
    surplus++;
  }
  return seats;
}
