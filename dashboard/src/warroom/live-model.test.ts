import { describe, expect, it } from 'vitest';
import type { CoverageMessage, LiveEvent } from '../live/events';
import { applyCoverage, applyLiveEvent, hourBucket } from './live-model';
import type { WarRoomSnapshot } from './types';

const NOW = new Date('2026-12-01T06:10:00Z'); // 11:40 in India

function snapshot(overrides: Partial<WarRoomSnapshot> = {}): WarRoomSnapshot {
  return {
    level: 'national',
    name: 'India',
    generatedAt: NOW.toISOString(),
    kpis: { dosesToday: 10, dosesThisHour: 2, liveSessions: 3, stalledSessions: 1, registrationsToday: 5 },
    coverage: { target: 1000, targetIsDemo: true, dose1: 100, fully: 40, dosesToday: 10, dosesLastHour: 2 },
    states: [
      {
        id: 27,
        name: 'Maharashtra',
        target: 500,
        targetIsDemo: true,
        dose1: 50,
        fully: 20,
        dosesToday: 6,
        dosesLastHour: 1,
      },
    ],
    districts: [
      {
        id: 27024,
        name: 'Pune',
        target: 100,
        targetIsDemo: true,
        dose1: 10,
        fully: 4,
        dosesToday: 3,
        dosesLastHour: 1,
      },
    ],
    sessions: [],
    hourly: [{ hour: '2026-12-01T05:30:00.000Z', doses: 2 }],
    cumulative: [
      { date: '2026-11-30', dose1: 90, fully: 38 },
      { date: '2026-12-01', dose1: 100, fully: 40 },
    ],
    stalled: [
      {
        sessionDayId: 's1',
        siteName: 'Camp',
        districtId: 27024,
        districtName: 'Pune',
        status: 'STALLED',
        dosesRecorded: 4,
        booked: 10,
        capacity: 20,
        lastDoseAt: '2026-12-01T04:00:00Z',
      },
    ],
    ...overrides,
  };
}

const coverage = (increments: CoverageMessage['increments'], at = NOW.toISOString()): CoverageMessage => ({
  room: 'national',
  at,
  increments,
});
const one = (districtId = 27024, stateId = 27, dose = 1) => ({
  stateId,
  districtId,
  doses: 1,
  dose1: dose === 1 ? 1 : 0,
  dose2: dose === 2 ? 1 : 0,
});

describe('applying coverage increments to the war room', () => {
  it('counts a first dose everywhere it shows: KPIs, state, district, coverage and this hour', () => {
    const next = applyCoverage(snapshot(), coverage([one()]), NOW);
    expect(next.kpis.dosesToday).toBe(11);
    expect(next.kpis.dosesThisHour).toBe(3);
    expect(next.states[0]).toMatchObject({ dose1: 51, fully: 20, dosesToday: 7, dosesLastHour: 2 });
    expect(next.districts[0]).toMatchObject({ dose1: 11, dosesToday: 4, dosesLastHour: 2 });
    expect(next.coverage).toMatchObject({ dose1: 101, fully: 40 });
    expect(next.hourly).toEqual([{ hour: '2026-12-01T05:30:00.000Z', doses: 3 }]);
    expect(next.cumulative.at(-1)).toEqual({ date: '2026-12-01', dose1: 101, fully: 40 });
  });

  it('counts a second dose as fully vaccinated, not as a new first dose', () => {
    const next = applyCoverage(snapshot(), coverage([one(27024, 27, 2)]), NOW);
    expect(next.coverage).toMatchObject({ dose1: 100, fully: 41 });
    expect(next.districts[0]).toMatchObject({ dose1: 10, fully: 5 });
  });

  it('adds merged increments of several districts at once and gives a new district its circle', () => {
    const next = applyCoverage(snapshot(), coverage([{ ...one(), doses: 3, dose1: 3 }, one(7003, 7)]), NOW);
    expect(next.kpis.dosesToday).toBe(14);
    expect(next.districts.map((d) => d.id)).toEqual([27024, 7003]);
    expect(next.districts[1]).toMatchObject({ dosesToday: 1, dosesLastHour: 1 });
  });

  it('puts a late-synced dose in its own hour, not in this hour', () => {
    const next = applyCoverage(snapshot(), coverage([one()], '2026-12-01T03:45:00Z'), NOW);
    expect(next.kpis.dosesThisHour).toBe(2);
    expect(next.kpis.dosesToday).toBe(11);
    expect(next.hourly.map((p) => p.hour)).toEqual(['2026-12-01T03:30:00.000Z', '2026-12-01T05:30:00.000Z']);
  });

  it('ignores increments of other places in a state or district view', () => {
    const stateView = snapshot({ level: 'state', id: 7, states: [] });
    expect(applyCoverage(stateView, coverage([one()]), NOW)).toBe(stateView);
    const districtView = snapshot({ level: 'district', id: 27024, states: [] });
    expect(applyCoverage(districtView, coverage([one(), one(27025)]), NOW).kpis.dosesToday).toBe(11);
  });
});

describe('applying live events to the war room', () => {
  const event = (fields: Partial<LiveEvent>): LiveEvent => ({
    type: 'dose.recorded',
    stateId: 27,
    districtId: 27024,
    sessionDayId: 's1',
    at: NOW.toISOString(),
    data: { dose: 1 },
    ...fields,
  });

  it('updates the session of a recorded dose (time since last dose) without counting the dose again', () => {
    const next = applyLiveEvent(snapshot(), event({}));
    expect(next.stalled[0]).toMatchObject({ dosesRecorded: 5, lastDoseAt: NOW.toISOString() });
    expect(next.kpis.dosesToday).toBe(10);
  });

  it('keeps the latest dose time when an older offline dose arrives', () => {
    const next = applyLiveEvent(snapshot(), event({ at: '2026-12-01T03:00:00Z' }));
    expect(next.stalled[0]!.lastDoseAt).toBe('2026-12-01T04:00:00Z');
  });

  it('moves sessions in and out of the stalled list on status events', () => {
    const base = snapshot({
      sessions: [
        {
          sessionDayId: 's2',
          siteName: 'Kothrud',
          districtId: 27024,
          districtName: 'Pune',
          status: 'OPEN',
          dosesRecorded: 0,
          booked: 5,
          capacity: 10,
          lastDoseAt: null,
        },
      ],
    });
    const stalled = applyLiveEvent(
      base,
      event({ type: 'session.status', sessionDayId: 's2', data: { status: 'STALLED' } }),
    );
    expect(stalled.stalled.map((s) => s.sessionDayId)).toEqual(['s1', 's2']);
    expect(stalled.kpis.stalledSessions).toBe(2);
    const reopened = applyLiveEvent(
      stalled,
      event({ type: 'session.status', sessionDayId: 's1', data: { status: 'OPEN' } }),
    );
    expect(reopened.stalled.map((s) => s.sessionDayId)).toEqual(['s2']);
    expect(reopened.kpis.stalledSessions).toBe(1);
  });

  it('takes a district hour figure from throughput events', () => {
    const next = applyLiveEvent(snapshot(), event({ type: 'throughput', data: { lastMinute: 2, thisHour: 42 } }));
    expect(next.districts[0]!.dosesLastHour).toBe(42);
  });

  it('sets the booked seats of a session from booking.changed, and leaves everything else alone', () => {
    const booked = applyLiveEvent(
      snapshot(),
      event({
        type: 'booking.changed',
        data: { dose: 1, sessionDayId: 's1', change: 'BOOKED', dose1Booked: 7, dose2Booked: 4 },
      }),
    );
    expect(booked.stalled[0]).toMatchObject({ booked: 11, dosesRecorded: 4 });
    expect(booked.kpis).toEqual(snapshot().kpis);
    const released = applyLiveEvent(
      booked,
      event({
        type: 'booking.changed',
        data: { dose: 2, sessionDayId: 's1', change: 'RELEASED', dose1Booked: 7, dose2Booked: 3 },
      }),
    );
    expect(released.stalled[0]!.booked).toBe(10);
    // A session this screen does not list, or a payload without counters, changes nothing.
    const other = snapshot();
    expect(
      applyLiveEvent(
        other,
        event({ type: 'booking.changed', sessionDayId: 'elsewhere', data: { dose1Booked: 1, dose2Booked: 0 } }),
      ).stalled,
    ).toEqual(other.stalled);
    expect(applyLiveEvent(other, event({ type: 'booking.changed', data: { change: 'BOOKED' } }))).toBe(other);
  });

  it('counts registrations where the dashboard has that figure', () => {
    expect(
      applyLiveEvent(
        snapshot(),
        event({ type: 'registration.created', stateId: 0, districtId: 0, data: { source: 'ONLINE' } }),
      ).kpis.registrationsToday,
    ).toBe(6);
    const state = snapshot({ level: 'state', id: 27, kpis: { ...snapshot().kpis, registrationsToday: null } });
    expect(applyLiveEvent(state, event({ type: 'registration.created', data: {} })).kpis.registrationsToday).toBeNull();
  });

  it('counts a person registered today where they first booked, in the district room that hears of it', () => {
    const district = snapshot({ level: 'district', id: 27024, kpis: { ...snapshot().kpis, registrationsToday: 2 } });
    const counted = event({ type: 'registration.counted', districtId: 27024, data: { registeredOn: '2026-12-01' } });
    expect(applyLiveEvent(district, counted).kpis.registrationsToday).toBe(3);
    expect(applyLiveEvent(district, { ...counted, districtId: 27025 }).kpis.registrationsToday).toBe(2);
  });

  it('moves the "as of" time with the feed, never back', () => {
    const later = new Date(NOW.getTime() + 42_000).toISOString();
    const message = {
      room: 'national',
      at: later,
      increments: [{ stateId: 27, districtId: 27024, doses: 1, dose1: 1, dose2: 0 }],
    };
    expect(applyCoverage(snapshot(), message, NOW).generatedAt).toBe(later);
    const earlier = { ...message, at: new Date(NOW.getTime() - 60_000).toISOString() };
    expect(applyCoverage(snapshot(), earlier, NOW).generatedAt).toBe(NOW.toISOString());
    expect(
      applyLiveEvent(snapshot(), event({ type: 'throughput', at: later, data: { thisHour: 7 } })).generatedAt,
    ).toBe(later);
  });

  it('buckets hours on India time (hours start at :30 UTC)', () => {
    expect(hourBucket('2026-12-01T06:29:59Z')).toBe('2026-12-01T05:30:00.000Z');
    expect(hourBucket('2026-12-01T06:30:00Z')).toBe('2026-12-01T06:30:00.000Z');
  });
});
