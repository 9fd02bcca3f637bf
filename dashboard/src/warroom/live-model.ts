/**
 * Applies the live feed (docs/live-events.md) to a war-room snapshot without a round trip, so the wall moves the
 * moment a dose is recorded. Pure. Counting comes from `coverage` messages only (sent to every level, merged over
 * a second above district level); `dose.recorded` only touches the session rows it names, so no dose is counted
 * twice in a district room, which gets both.
 */
import type { CoverageMessage, LiveEvent } from '../live/events';
import type { AreaStats, SessionRow, WarRoomSnapshot } from './types';

/** Start of the India clock hour (ISO, UTC) containing `at`. India is UTC+05:30, so an India hour starts at :30 UTC. */
export function hourBucket(at: string): string {
  const t = Date.parse(at);
  const offset = 330 * 60_000;
  const local = Math.floor((t + offset) / 3_600_000) * 3_600_000;
  return new Date(local - offset).toISOString();
}

function inScope(snapshot: WarRoomSnapshot, stateId: number, districtId: number): boolean {
  if (snapshot.level === 'national') return true;
  if (snapshot.level === 'state') return stateId === snapshot.id;
  return districtId === snapshot.id;
}

export function applyCoverage(
  snapshot: WarRoomSnapshot,
  message: CoverageMessage,
  now: Date = new Date(),
): WarRoomSnapshot {
  const increments = message.increments.filter((inc) => inScope(snapshot, inc.stateId, inc.districtId));
  if (!increments.length) return snapshot;
  const total = increments.reduce(
    (sum, inc) => ({ doses: sum.doses + inc.doses, dose1: sum.dose1 + inc.dose1, dose2: sum.dose2 + inc.dose2 }),
    { doses: 0, dose1: 0, dose2: 0 },
  );
  // Merged messages are stamped when sent; per-dose ones with the dose's time (which can be earlier, after an offline sync).
  const hour = hourBucket(message.at);
  const thisHour = hour === hourBucket(now.toISOString());
  const add = (row: AreaStats, inc: { doses: number; dose1: number; dose2: number }): AreaStats => ({
    ...row,
    dose1: row.dose1 + inc.dose1,
    fully: row.fully + inc.dose2,
    dosesToday: row.dosesToday + inc.doses,
    dosesLastHour: row.dosesLastHour + (thisHour ? inc.doses : 0),
  });

  const byState = new Map<number, { doses: number; dose1: number; dose2: number }>();
  for (const inc of increments) {
    const sum = byState.get(inc.stateId) ?? { doses: 0, dose1: 0, dose2: 0 };
    byState.set(inc.stateId, {
      doses: sum.doses + inc.doses,
      dose1: sum.dose1 + inc.dose1,
      dose2: sum.dose2 + inc.dose2,
    });
  }

  let districts = snapshot.districts;
  for (const inc of increments) {
    if (districts.some((row) => row.id === inc.districtId))
      districts = districts.map((row) => (row.id === inc.districtId ? add(row, inc) : row));
    // National view without district rows: a district gets its circle with its first dose seen live.
    else if (snapshot.level !== 'district') districts = [...districts, add(blankDistrict(inc.districtId), inc)];
  }

  const hourly = snapshot.hourly.some((p) => p.hour === hour)
    ? snapshot.hourly.map((p) => (p.hour === hour ? { ...p, doses: p.doses + total.doses } : p))
    : [...snapshot.hourly, { hour, doses: total.doses }].sort((a, b) => a.hour.localeCompare(b.hour));
  const last = snapshot.cumulative.length - 1;
  const cumulative = snapshot.cumulative.map((p, i) =>
    i === last ? { ...p, dose1: p.dose1 + total.dose1, fully: p.fully + total.dose2 } : p,
  );
  const coverage = add({ ...snapshot.coverage, id: 0, name: '' }, total);

  return {
    ...snapshot,
    generatedAt: laterOf(snapshot.generatedAt, message.at),
    kpis: {
      ...snapshot.kpis,
      dosesToday: snapshot.kpis.dosesToday + total.doses,
      dosesThisHour: snapshot.kpis.dosesThisHour + (thisHour ? total.doses : 0),
    },
    coverage: {
      target: coverage.target,
      targetIsDemo: coverage.targetIsDemo,
      dose1: coverage.dose1,
      fully: coverage.fully,
      dosesToday: coverage.dosesToday,
      dosesLastHour: coverage.dosesLastHour,
    },
    states: snapshot.states.map((row) => (byState.has(row.id) ? add(row, byState.get(row.id)!) : row)),
    districts,
    hourly,
    cumulative,
  };
}

function blankDistrict(id: number): AreaStats {
  return { id, name: String(id), target: 0, targetIsDemo: true, dose1: 0, fully: 0, dosesToday: 0, dosesLastHour: 0 };
}

export function applyLiveEvent(snapshot: WarRoomSnapshot, event: LiveEvent): WarRoomSnapshot {
  if (!inScope(snapshot, event.stateId, event.districtId)) return snapshot;
  switch (event.type) {
    case 'dose.recorded':
      return touchSessions(snapshot, event.sessionDayId, (row) => ({
        ...row,
        dosesRecorded: row.dosesRecorded + 1,
        lastDoseAt: laterOf(row.lastDoseAt, event.at),
      }));
    case 'booking.changed':
      return applyBookingChanged(snapshot, event);
    // Nationally at registration; in a district room when a person registered today is first counted there.
    case 'registration.created':
    case 'registration.counted':
      return snapshot.kpis.registrationsToday === null
        ? snapshot
        : { ...snapshot, kpis: { ...snapshot.kpis, registrationsToday: snapshot.kpis.registrationsToday + 1 } };
    case 'session.status':
      return applySessionStatus(snapshot, event);
    case 'throughput':
      return applyThroughput(snapshot, event);
    default:
      return snapshot;
  }
}

/** A seat booked, moved or released: the session day's counters as of that commit, set rather than added. */
function applyBookingChanged(snapshot: WarRoomSnapshot, event: LiveEvent): WarRoomSnapshot {
  const dose1 = Number(event.data.dose1Booked);
  const dose2 = Number(event.data.dose2Booked);
  if (!Number.isFinite(dose1) || !Number.isFinite(dose2)) return snapshot;
  return touchSessions(snapshot, event.sessionDayId, (row) => ({ ...row, booked: dose1 + dose2 }));
}

/** Once a minute per busy district: its doses this India hour, authoritative (replaces what live increments added). */
function applyThroughput(snapshot: WarRoomSnapshot, event: LiveEvent): WarRoomSnapshot {
  const thisHour = Number(event.data.thisHour);
  if (!Number.isFinite(thisHour)) return snapshot;
  const exists = snapshot.districts.some((row) => row.id === event.districtId);
  const districts = exists
    ? snapshot.districts.map((row) => (row.id === event.districtId ? { ...row, dosesLastHour: thisHour } : row))
    : snapshot.level === 'district'
      ? snapshot.districts
      : [...snapshot.districts, { ...blankDistrict(event.districtId), dosesLastHour: thisHour }];
  return { ...snapshot, districts, generatedAt: laterOf(snapshot.generatedAt, event.at) };
}

function touchSessions(
  snapshot: WarRoomSnapshot,
  sessionDayId: string | undefined,
  change: (row: SessionRow) => SessionRow,
): WarRoomSnapshot {
  if (!sessionDayId) return snapshot;
  const touch = (row: SessionRow) => (row.sessionDayId === sessionDayId ? change(row) : row);
  return { ...snapshot, sessions: snapshot.sessions.map(touch), stalled: snapshot.stalled.map(touch) };
}

function applySessionStatus(snapshot: WarRoomSnapshot, event: LiveEvent): WarRoomSnapshot {
  const status = typeof event.data.status === 'string' ? event.data.status : undefined;
  if (!status || !event.sessionDayId) return snapshot;
  const updated = touchSessions(snapshot, event.sessionDayId, (row) => ({ ...row, status }));
  const known = [...updated.sessions, ...updated.stalled].find((row) => row.sessionDayId === event.sessionDayId);
  const wasStalled = snapshot.stalled.some((row) => row.sessionDayId === event.sessionDayId);
  let stalled = updated.stalled;
  let delta = 0;
  if (status === 'STALLED' && !wasStalled) {
    // Counted even when the session is not on this screen's list (the list is capped); a refetch fills the row in.
    delta = 1;
    if (known) stalled = [...stalled, known];
  }
  if (status !== 'STALLED' && wasStalled) {
    delta = -1;
    stalled = stalled.filter((row) => row.sessionDayId !== event.sessionDayId);
  }
  return {
    ...updated,
    stalled,
    kpis: { ...snapshot.kpis, stalledSessions: Math.max(0, snapshot.kpis.stalledSessions + delta) },
  };
}

export function laterOf(a: string | null, b: string): string {
  if (!a) return b;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
