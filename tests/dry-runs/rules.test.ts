/** The pure rules of dry runs: parameters, the seeded arrival plan, and findings from a site's facts. */
import { describe, expect, it } from 'vitest';
import {
  checkParameters,
  checkSimulationSize,
  DEFAULT_PARAMETERS,
  observationMs,
  planArrivals,
  siteFindings,
  simulationCalendarStart,
  testIdNumber,
  testMobile,
  type SiteFacts,
} from '../../domain/dry-run.js';
import { checkIdNumber } from '../../domain/identity.js';
import { indiaInstant } from '../../domain/time.js';

describe('dry-run parameters', () => {
  it('keep a simulation within what one workflow history holds: people of every site together', () => {
    expect(checkSimulationSize({ people: 40, walkIns: 10 }, 20)).toBeUndefined();
    expect(checkSimulationSize({ people: 1_000, walkIns: 0 }, 1)).toBeUndefined();
    expect(checkSimulationSize({ people: 40, walkIns: 11 }, 20)).toBe(
      'a simulation plays at most 1000 people in all (booked and walk-ins, every site); this one would play 1020',
    );
    expect(checkSimulationSize({ people: 2_000, walkIns: 2_000 }, 20)).toMatch(/this one would play 80000$/);
  });

  it('fills what is not asked from the defaults and refuses a day that cannot be', () => {
    const ok = checkParameters({ people: 40, team: { vaccinators: 2 } });
    expect(ok).toMatchObject({
      ok: true,
      parameters: { people: 40, team: { verifiers: 1, vaccinators: 2, observers: 1 } },
    });
    expect(checkParameters({ people: 200, seats: 100 })).toEqual({
      ok: false,
      reason: '200 people cannot book 100 seats',
    });
    expect(checkParameters({ opensAt: '17:00', closesAt: '09:00' })).toMatchObject({ ok: false });
    expect(checkParameters({ noShowRate: 1.5 })).toEqual({
      ok: false,
      reason: 'the no-show rate is a share between 0 and 1',
    });
    expect(checkParameters({ team: { vaccinators: 0 } })).toMatchObject({ ok: false });
  });
});

describe('the arrival plan', () => {
  const p = { ...DEFAULT_PARAMETERS, people: 100, seats: 120, walkIns: 10, noShowRate: 0.2, lateRate: 0.1 };

  it('is the same for the same seed, and spreads the booked over every slot within the day', () => {
    const plan = planArrivals(p, 2026);
    expect(planArrivals(p, 2026)).toEqual(plan);
    expect(planArrivals({ ...p, seed: 2 }, 2026)).not.toEqual(plan);
    const booked = plan.filter((x) => x.kind === 'BOOKED');
    expect(booked).toHaveLength(100);
    expect(plan.filter((x) => x.kind === 'WALKIN')).toHaveLength(10);
    expect(new Set(booked.map((x) => x.slot)).size).toBe(8);
    const noShows = booked.filter((x) => x.noShow);
    expect(noShows.length).toBeGreaterThan(5);
    expect(noShows.length).toBeLessThan(40);
    expect(noShows.every((x) => x.arrivesAtMinute === undefined)).toBe(true);
    for (const x of plan.filter((y) => !y.noShow)) {
      expect(x.arrivesAtMinute).toBeGreaterThanOrEqual(0);
      expect(x.arrivesAtMinute).toBeLessThan(480);
    }
    // On time: within their slot; late: after it.
    for (const x of booked.filter((y) => !y.noShow)) {
      const slotStart = x.slot! * 60;
      if (x.late) expect(x.arrivesAtMinute).toBeGreaterThanOrEqual(slotStart + 60);
      else expect(x.arrivesAtMinute! - slotStart).toBeLessThan(60);
    }
    // Ages follow the mix: every group is there, nobody under 18.
    const ages = plan.map((x) => 2026 - x.birthYear);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(18);
    expect(ages.some((a) => a >= 60)).toBe(true);
    expect(ages.some((a) => a >= 45 && a < 60)).toBe(true);
  });

  it("gives test people IDs of the Others type that no real person's could be", () => {
    const id = testIdNumber('fb75b791-e3ea-4c54', 12, 99);
    expect(id).toBe('DRYRUN-FB75B791-12-99');
    expect(checkIdNumber(13, id)).toMatchObject({ ok: true });
    expect(testMobile(() => 0.5)).toMatch(/^60[0-9]{8}$/);
  });

  it('starts a simulated day just before its opening, and scales the observation period with its clock', () => {
    expect(simulationCalendarStart('2026-12-07', '09:00')).toBe(indiaInstant('2026-12-07', '08:50').getTime());
    expect(observationMs(null)).toBe(30 * 60_000);
    expect(observationMs(360_000)).toBe(7_500);
  });
});

describe('findings of a site', () => {
  const facts: SiteFacts = {
    sessionDayId: '00000000-0000-4000-8000-000000000001',
    siteId: 1,
    siteName: 'PHC',
    districtId: 1,
    status: 'CLOSED',
    openMinutes: 240,
    seats: 100,
    walkinSeats: 10,
    booked: 90,
    walkInsArrived: 12,
    walkInsVaccinated: 10,
    doses: 88,
    noShows: 8,
    turnedAway: 4,
    vaccinators: [
      { staffId: 'a', name: 'A', doses: 50 },
      { staffId: 'b', name: 'B', doses: 38 },
    ],
    stepMinutes: { DOOR_CHECK: [2, 4, 12], VACCINATION: [3, 5], OBSERVATION: [30, 30], RELEASE: [1, 2] },
    slots: [
      {
        startsAt: '09:00:00',
        endsAt: '10:00:00',
        seats: 30,
        booked: 25,
        arrived: 40,
        walkIns: 3,
        verified: 38,
        turnedAway: 2,
        waits: [1, 3],
        longestQueue: 9,
      },
      {
        startsAt: '10:00:00',
        endsAt: '11:00:00',
        seats: 30,
        booked: 0,
        arrived: 0,
        walkIns: 0,
        verified: 0,
        turnedAway: 0,
        waits: [],
        longestQueue: 0,
      },
    ],
    stalls: 1,
    interventions: 0,
    sms: { sent: 5, delivered: 4, failed: 0 },
    aefi: { minor: 2, serious: 0, severe: 0 },
    offlineDoses: 0,
  };

  it('derives utilisation, the bottleneck, doses per vaccinator-hour, idle time, staffing and slot loads', () => {
    const f = siteFindings(facts, 3);
    expect(f).toMatchObject({
      demand: 102,
      utilisation: 80,
      bottleneck: 'DOOR_CHECK',
      dosesPerVaccinatorHour: 11,
      staffing: 'UNDER',
      vaccinatorIdleMinutes: [
        { staffId: 'a', idleMinutes: 90 },
        { staffId: 'b', idleMinutes: 126 },
      ],
    });
    expect(f.steps.find((s) => s.step === 'DOOR_CHECK')).toEqual({
      step: 'DOOR_CHECK',
      people: 3,
      meanMinutes: 6,
      maxMinutes: 12,
    });
    expect(f.slots.map((s) => [s.load, s.meanWaitMinutes, s.maxWaitMinutes])).toEqual([
      ['OVERFULL', 2, 3],
      ['IDLE', 0, 0],
    ]);
  });
});
