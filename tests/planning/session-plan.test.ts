import { describe, expect, it } from 'vitest';
import { checkSessionPlan, normaliseTime, rebalanceSlotSeats, type SessionPlan } from '../../domain/session-plan.js';
import { indiaInstant } from '../../domain/time.js';

const TODAY = '2030-06-10';
const NOW = indiaInstant(TODAY, '08:00');
const plan = (changes: Partial<SessionPlan> = {}): SessionPlan => ({
  siteId: 1,
  date: '2030-06-11',
  vaccineCode: 'COVAXIN',
  minAge: 18,
  maxAge: null,
  dose1Capacity: 50,
  dose2Capacity: 20,
  walkinCapacity: 10,
  opensAt: '09:00',
  closesAt: '17:00',
  slotMinutes: 60,
  ...changes,
});
const columns = (p: SessionPlan) => checkSessionPlan(p, TODAY, NOW).map((problem) => problem.column);

describe('a planned session day', () => {
  it('is sound with a future date, hours in order, a slot length that fits and some seats', () => {
    expect(checkSessionPlan(plan(), TODAY, NOW)).toEqual([]);
    expect(checkSessionPlan(plan({ date: TODAY, opensAt: '07:00', closesAt: '12:30:00' }), TODAY, NOW)).toEqual([]);
  });

  it('names the field of each problem', () => {
    expect(columns(plan({ date: '2030-02-30' }))).toEqual(['date']);
    expect(columns(plan({ date: '2030-06-09' }))).toEqual(['date']);
    expect(columns(plan({ closesAt: '09:00' }))).toEqual(['closes_at']);
    expect(columns(plan({ opensAt: '25:00' }))).toEqual(['opens_at']);
    expect(columns(plan({ slotMinutes: 10 }))).toEqual(['slot_minutes']);
    expect(columns(plan({ slotMinutes: 481 }))).toEqual(['slot_minutes']);
    expect(columns(plan({ minAge: 45, maxAge: 44 }))).toEqual(['max_age']);
    expect(columns(plan({ dose1Capacity: -1 }))).toEqual(['dose1_capacity']);
    expect(columns(plan({ dose1Capacity: 0, dose2Capacity: 0, walkinCapacity: 0 }))).toEqual(['dose1_capacity']);
  });

  it('refuses a day whose hours are already over', () => {
    expect(checkSessionPlan(plan({ date: TODAY, opensAt: '06:00', closesAt: '07:30' }), TODAY, NOW)[0].message).toMatch(
      /already be over/,
    );
  });

  it('reads HH:MM and HH:MM:00 as the same time', () => {
    expect(normaliseTime('09:30')).toBe('09:30:00');
    expect(normaliseTime('09:30:00')).toBe('09:30:00');
    expect(normaliseTime('9:30')).toBeUndefined();
  });
});

describe('rebalancing the seats of slots that hold bookings', () => {
  const hours = { opensAt: '09:00:00', closesAt: '13:00:00', slotMinutes: 60 };
  const slots = (used: number[]) =>
    used.map((u, i) => ({ startsAt: `${String(9 + i).padStart(2, '0')}:00:00`, used: u }));

  it('spreads evenly when the bookings allow it', () => {
    expect(rebalanceSlotSeats(slots([0, 1, 0, 0]), hours, 40)).toEqual([10, 10, 10, 10]);
  });

  it('never goes below a slot’s bookings and always adds up to the total', () => {
    const seats = rebalanceSlotSeats(slots([9, 0, 1, 0]), hours, 12);
    expect(seats.reduce((a, b) => a + b, 0)).toBe(12);
    expect(seats[0]).toBeGreaterThanOrEqual(9);
    expect(seats[2]).toBeGreaterThanOrEqual(1);
    expect(rebalanceSlotSeats(slots([3, 3, 3, 3]), hours, 12)).toEqual([3, 3, 3, 3]);
  });
});
