/**
 * The war-room read side: national, state and district dashboards and one session's live view, read from rollups
 * (district_coverage, district_hourly_doses, district_daily_doses, daily_registrations, district_daily_registrations,
 * district_session_counts —
 * all kept by triggers) and session_day rows through indexes. Nothing here reads `dose`, so a read costs the same
 * with 10 or 10 million doses: a national read touches ~660 coverage rows (with each district's rollup row of today
 * and of this hour, by primary key), ~16k hourly rows, ~20k daily rows, a few thousand session counts and the first
 * 50 entries of the stalled-sessions index.
 *
 * Read a whole dashboard inside `withConsistentRead` so its figures agree with one another (one snapshot).
 */
import { sql, type Transaction } from 'kysely';
import { addDays, indiaDate, indiaHourStart, indiaInstant } from '../../domain/time.js';
import type { Db } from '../connection.js';
import type { Database, SessionStatus } from '../schema.js';
import { extensionRoomMinutes, plannedDosesByNow, type StallReason } from '../../domain/session-pace.js';
import { sessionClosesAt } from './appointments.js';
import type { Executor } from './audit.js';
import { isRealSessionDay } from './real-data.js';

export type DashboardScope =
  { kind: 'national' } | { kind: 'state'; stateId: number } | { kind: 'district'; districtId: number };

export const COVERAGE_DAYS = 30;
/** Stalled sessions listed on a dashboard, longest-silent first; the KPI still counts all of them. */
export const STALLED_LIST_LIMIT = 50;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export interface DashboardKpis {
  dosesToday: number;
  dosesThisHour: number;
  /** Session days today that are OPEN or STALLED. */
  liveSessions: number;
  stalledSessions: number;
  sessionsToday: number;
  /**
   * People who registered today; below national level, those first counted in the scope (where they first booked
   * or were vaccinated: people register with no address).
   */
  registrationsToday: number | null;
  /** All registrations: national only (null on state and district dashboards). */
  registrationsTotal: number | null;
}

export interface CoverageFigures {
  dose1: number;
  /** Second doses: people fully vaccinated with a two-dose vaccine. */
  dose2: number;
  targetPopulation: number;
  /** True when any district in the row still has a demo target population. */
  targetIsDemo: boolean;
}

export interface CoverageRow extends CoverageFigures {
  /** A state id on the national dashboard, a district id on state and district dashboards. */
  id: number;
  name: string;
  /** Doses administered in the current India clock hour. */
  dosesThisHour: number;
  /** Doses administered today (India date). */
  dosesToday: number;
}

/** One district on the national dashboard: its coverage row plus where to draw it. */
export interface DistrictRow extends CoverageRow {
  stateId: number;
  lat: number;
  lng: number;
}

export interface HourlyDoses {
  /** Start of the hour (an India clock hour), ISO instant. */
  hour: string;
  doses: number;
}

export interface DailyCoverage {
  date: string;
  doses: number;
  dose1: number;
  dose2: number;
  /** Coverage at the end of that India date. */
  dose1Cumulative: number;
  dose2Cumulative: number;
}

export interface SessionPace {
  /** Doses planned by now: the booked people spread evenly over the opening hours (domain/session-pace.ts). */
  expectedByNow: number;
  /** Doses recorded / expectedByNow (1 = on plan); null before anyone was expected. */
  ratio: number | null;
  /** Doses per hour since opening; null before the session opens. */
  dosesPerHour: number | null;
}

export interface SessionLiveView {
  sessionDayId: string;
  date: string;
  status: SessionStatus;
  /** While STALLED, why (the workflow's verdict): no dose while people wait, or far behind plan. */
  stallReason: StallReason | null;
  vaccineCode: string;
  siteId: number;
  siteName: string;
  /** The site's position, for placing it on the district map. */
  lat: number;
  lng: number;
  districtId: number;
  districtName: string;
  stateId: number;
  opensAt: string;
  /** The planned closing time ('HH:MM:SS'); extendedUntil when an officer extended it. */
  closesAt: string;
  extendedUntil: string | null;
  /** The most minutes the closing time can still be extended by (to the midnight ending the date). */
  extendableMinutes: number;
  capacity: number;
  booked: number;
  walkIns: number;
  vaccinated: number;
  noShows: number;
  lastDoseAt: string | null;
  /** Minutes since the last dose, or since opening when none yet; null before opening. */
  minutesSinceLastDose: number | null;
  pace: SessionPace;
}

export interface Dashboard {
  scope: { kind: DashboardScope['kind']; id: number | null; name: string; stateId: number | null };
  /** India date the "today" figures are for. */
  date: string;
  asOf: string;
  kpis: DashboardKpis;
  totals: CoverageFigures;
  /** Per state (national), per district (state), the district itself (district). */
  coverage: CoverageRow[];
  /** National dashboard only: every district, for the national map. */
  districts?: DistrictRow[];
  /** Today's India clock hours up to the current one, zero-filled. */
  dosesPerHour: HourlyDoses[];
  /** The last 30 India dates, today included, oldest first. */
  coverageByDay: DailyCoverage[];
  stalledSessions: SessionLiveView[];
  /** Today's session days of the district (district dashboard only). */
  sessions?: SessionLiveView[];
}

/** Runs a multi-query read on one repeatable-read snapshot, so its figures are consistent with each other. */
export function withConsistentRead<T>(db: Db, read: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(read);
}

/** Hours of an India date from midnight up to (and including) the one `now` is in. */
function indiaHours(now: Date): { dayStart: Date; hourStart: Date; hours: Date[] } {
  const dayStart = indiaInstant(indiaDate(now), '00:00');
  const hourStart = indiaHourStart(now);
  const hours = Array.from(
    { length: (hourStart.getTime() - dayStart.getTime()) / HOUR_MS + 1 },
    (_, i) => new Date(dayStart.getTime() + i * HOUR_MS),
  );
  return { dayStart, hourStart, hours };
}

/** Restricts a rollup query on `table.district_id` to the scope. */
function scoped<QB extends { where: (...args: any[]) => QB }>(
  qb: QB,
  column: string,
  scope: DashboardScope,
  db: Executor,
): QB {
  if (scope.kind === 'district') return qb.where(column, '=', scope.districtId);
  if (scope.kind === 'state')
    return qb.where(
      column,
      'in',
      db.selectFrom('district').select('district.id').where('district.state_id', '=', scope.stateId),
    );
  return qb;
}

export async function readDashboard(
  db: Executor,
  scope: DashboardScope,
  now = new Date(),
): Promise<Dashboard | undefined> {
  const header = await readScope(db, scope);
  if (!header) return undefined;
  const today = indiaDate(now);
  const { dayStart, hourStart, hours } = indiaHours(now);
  const windowStart = addDays(today, -(COVERAGE_DAYS - 1));

  const hourly = await scoped(
    db
      .selectFrom('district_hourly_doses')
      .select(['hour', (eb) => eb.fn.sum<number>('doses').as('doses')])
      .where('hour', '>=', dayStart)
      .where('hour', '<', new Date(dayStart.getTime() + 24 * HOUR_MS))
      .groupBy('hour'),
    'district_hourly_doses.district_id',
    scope,
    db,
  ).execute();

  // Every row from the window's first day on, later dates included, so cumulative figures can count back from now.
  const daily = await scoped(
    db
      .selectFrom('district_daily_doses')
      .select([
        'date',
        (eb) => eb.fn.sum<number>('doses').as('doses'),
        (eb) => eb.fn.sum<number>('dose1').as('dose1'),
        (eb) => eb.fn.sum<number>('dose2').as('dose2'),
      ])
      .where('date', '>=', windowStart)
      .groupBy('date'),
    'district_daily_doses.district_id',
    scope,
    db,
  ).execute();

  const sessionCounts = await scoped(
    db
      .selectFrom('district_session_counts')
      .select(['status', (eb) => eb.fn.sum<number>('sessions').as('n')])
      .where('date', '=', today)
      .groupBy('status'),
    'district_session_counts.district_id',
    scope,
    db,
  ).execute();

  const { districts: districtRows, stateNames } = await readDistrictRows(db, scope, today, hourStart);
  const coverage =
    scope.kind === 'national' ? byState(districtRows, stateNames) : districtRows.map(coverageOf).sort(byName);
  const registrations = await readRegistrations(db, scope, today);

  const sessions = scope.kind === 'district' ? await readSessions(db, scope, now, today) : undefined;
  const stalledSessions = sessions
    ? sessions
        .filter((s) => s.status === 'STALLED')
        .sort(bySilence)
        .slice(0, STALLED_LIST_LIMIT)
    : await readSessions(db, scope, now, today, 'STALLED');

  const count = (...statuses: SessionStatus[]) =>
    sessionCounts.filter((r) => statuses.includes(r.status)).reduce((n, r) => n + Number(r.n), 0);
  const hourlyByInstant = new Map(hourly.map((r) => [r.hour.getTime(), Number(r.doses)]));
  const dailyByDate = new Map(
    daily.map((r) => [r.date, { doses: Number(r.doses), dose1: Number(r.dose1), dose2: Number(r.dose2) }]),
  );
  const totals = sumCoverage(coverage);

  return {
    scope: header,
    date: today,
    asOf: now.toISOString(),
    kpis: {
      dosesToday: dailyByDate.get(today)?.doses ?? 0,
      dosesThisHour: hourlyByInstant.get(hourStart.getTime()) ?? 0,
      liveSessions: count('OPEN', 'STALLED'),
      stalledSessions: count('STALLED'),
      sessionsToday: sessionCounts.reduce((n, r) => n + Number(r.n), 0),
      registrationsToday: registrations.today,
      registrationsTotal: registrations.total,
    },
    totals,
    coverage,
    ...(scope.kind === 'national' ? { districts: districtRows } : {}),
    dosesPerHour: hours.map((h) => ({ hour: h.toISOString(), doses: hourlyByInstant.get(h.getTime()) ?? 0 })),
    coverageByDay: cumulativeByDay(today, dailyByDate, totals),
    stalledSessions,
    ...(sessions ? { sessions } : {}),
  };
}

/** One session day's live figures (the `session:<id>` room's snapshot). */
export async function readSessionLiveView(
  db: Executor,
  sessionDayId: string,
  now = new Date(),
): Promise<SessionLiveView | undefined> {
  const [row] = await sessionQuery(db).where('session_day.id', '=', sessionDayId).execute();
  return row && sessionView(row, now);
}

/**
 * A dry run's session days, live, for an officer who chose to watch it (never mixed into the readers above, which
 * keep to real days). A simulation's days are seen on its own clock: `now` and the last dose are mapped onto the
 * run's compressed calendar (from when the run started), so pace and silence read as they would on a real day.
 */
export async function readDryRunSessions(
  db: Executor,
  run: { id: string; dayMs: number | null; calendarStartMs: number | null; startedAt: Date | null },
  now = new Date(),
): Promise<{ calendarNow: Date; sessions: SessionLiveView[] }> {
  const rows = await sessionQuery(db)
    .where('session_day.dry_run_id', '=', run.id)
    .orderBy('session_day.opens_at')
    .orderBy('site.name')
    .execute();
  if (run.dayMs === null || run.calendarStartMs === null) {
    return { calendarNow: now, sessions: rows.map((row) => sessionView(row, now)) };
  }
  const startedMs = run.startedAt?.getTime() ?? now.getTime();
  const scale = 86_400_000 / run.dayMs;
  const onClock = (at: Date) => new Date(run.calendarStartMs! + Math.max(0, at.getTime() - startedMs) * scale);
  const calendarNow = run.startedAt ? onClock(now) : new Date(run.calendarStartMs);
  return {
    calendarNow,
    sessions: rows.map((row) =>
      sessionView({ ...row, last_dose_at: row.last_dose_at && onClock(row.last_dose_at) }, calendarNow),
    ),
  };
}

async function readScope(db: Executor, scope: DashboardScope): Promise<Dashboard['scope'] | undefined> {
  if (scope.kind === 'national') return { kind: 'national', id: null, name: 'India', stateId: null };
  if (scope.kind === 'state') {
    const state = await db
      .selectFrom('state')
      .select(['id', 'name'])
      .where('id', '=', scope.stateId)
      .executeTakeFirst();
    return state && { kind: 'state', id: state.id, name: state.name, stateId: state.id };
  }
  const district = await db
    .selectFrom('district')
    .select(['id', 'name', 'state_id'])
    .where('id', '=', scope.districtId)
    .executeTakeFirst();
  return district && { kind: 'district', id: district.id, name: district.name, stateId: district.state_id };
}

/**
 * Every district of the scope with its coverage, its doses today and this hour: one row per district, each rollup
 * row found by its primary key (district_daily_doses (district, today), district_hourly_doses (district, hour)).
 * Names and positions come from `districtPlaces`, so the query returns numbers only.
 */
async function readDistrictRows(
  db: Executor,
  scope: DashboardScope,
  today: string,
  hourStart: Date,
): Promise<{ districts: DistrictRow[]; stateNames: ReadonlyMap<number, string> }> {
  const rows = await db
    .selectFrom('district')
    .leftJoin('district_coverage', 'district_coverage.district_id', 'district.id')
    .leftJoin('district_daily_doses', (join) =>
      join.onRef('district_daily_doses.district_id', '=', 'district.id').on('district_daily_doses.date', '=', today),
    )
    .leftJoin('district_hourly_doses', (join) =>
      join
        .onRef('district_hourly_doses.district_id', '=', 'district.id')
        .on('district_hourly_doses.hour', '=', hourStart),
    )
    .select([
      'district.id',
      'district.target_population',
      'district.target_is_demo',
      'district_coverage.dose1',
      'district_coverage.dose2',
      'district_daily_doses.doses as doses_today',
      'district_hourly_doses.doses as doses_this_hour',
    ])
    .$call((qb) =>
      scope.kind === 'state'
        ? qb.where('district.state_id', '=', scope.stateId)
        : scope.kind === 'district'
          ? qb.where('district.id', '=', scope.districtId)
          : qb,
    )
    .orderBy('district.id')
    .execute();
  const places = await districtPlaces(
    db,
    rows.map((r) => r.id),
  );
  const districts = rows.map((r) => {
    const place = places.districts.get(r.id)!;
    return {
      id: r.id,
      name: place.name,
      stateId: place.stateId,
      lat: place.lat,
      lng: place.lng,
      dose1: Number(r.dose1 ?? 0),
      dose2: Number(r.dose2 ?? 0),
      targetPopulation: Number(r.target_population),
      targetIsDemo: r.target_is_demo,
      dosesThisHour: Number(r.doses_this_hour ?? 0),
      dosesToday: Number(r.doses_today ?? 0),
    };
  });
  return { districts, stateNames: places.states };
}

interface Places {
  districts: ReadonlyMap<number, { name: string; stateId: number; lat: number; lng: number }>;
  /** State names by id. */
  states: ReadonlyMap<number, string>;
}

let placesCache: Places | undefined;

/**
 * District names, states and positions, read once per process and again whenever a district is missing (a database
 * seeded after the first read). They are reference data: db/seed.ts inserts them and nothing changes them (target
 * populations change, and are read with every dashboard). Read with every national dashboard, they doubled the CPU
 * (Node's and Postgres's) that its district rows cost: docs/live-events.md has the measurement.
 */
async function districtPlaces(db: Executor, ids: readonly number[]): Promise<Places> {
  let places = placesCache;
  if (!places || ids.some((id) => !places!.districts.has(id))) {
    const rows = await db
      .selectFrom('district')
      .innerJoin('state', 'state.id', 'district.state_id')
      .select([
        'district.id',
        'district.name',
        'district.state_id',
        'state.name as state_name',
        'district.lat',
        'district.lng',
      ])
      .execute();
    places = {
      districts: new Map(rows.map((r) => [r.id, { name: r.name, stateId: r.state_id, lat: r.lat, lng: r.lng }])),
      states: new Map(rows.map((r) => [r.state_id, r.state_name])),
    };
    placesCache = places;
  }
  return places;
}

const nameOrder = new Intl.Collator('en');
const byName = (a: { name: string }, b: { name: string }) => nameOrder.compare(a.name, b.name);

function coverageOf(row: DistrictRow): CoverageRow {
  return {
    id: row.id,
    name: row.name,
    dose1: row.dose1,
    dose2: row.dose2,
    targetPopulation: row.targetPopulation,
    targetIsDemo: row.targetIsDemo,
    dosesThisHour: row.dosesThisHour,
    dosesToday: row.dosesToday,
  };
}

/** The national coverage rows: the districts summed per state, by state name. */
function byState(districts: readonly DistrictRow[], stateNames: ReadonlyMap<number, string>): CoverageRow[] {
  const states = new Map<number, CoverageRow>();
  for (const d of districts) {
    const s = states.get(d.stateId);
    if (!s) {
      states.set(d.stateId, { ...coverageOf(d), id: d.stateId, name: stateNames.get(d.stateId)! });
      continue;
    }
    s.dose1 += d.dose1;
    s.dose2 += d.dose2;
    s.targetPopulation += d.targetPopulation;
    s.targetIsDemo ||= d.targetIsDemo;
    s.dosesThisHour += d.dosesThisHour;
    s.dosesToday += d.dosesToday;
  }
  return [...states.values()].sort(byName);
}

/**
 * Registrations today (and in total, nationally). People register with no address, so below national level they
 * are counted where they first booked or were vaccinated (district_daily_registrations); the total is national only.
 */
async function readRegistrations(
  db: Executor,
  scope: DashboardScope,
  today: string,
): Promise<{ today: number; total: number | null }> {
  if (scope.kind !== 'national') {
    const row = await scoped(
      db
        .selectFrom('district_daily_registrations')
        .select(sql<number>`coalesce(sum(registrations), 0)`.as('today'))
        .where('date', '=', today),
      'district_daily_registrations.district_id',
      scope,
      db,
    ).executeTakeFirstOrThrow();
    return { today: Number(row.today), total: null };
  }
  const row = await db
    .selectFrom('daily_registrations')
    .select([
      sql<number>`coalesce(sum(registrations) filter (where date = ${today}), 0)`.as('today'),
      sql<number>`coalesce(sum(registrations), 0)`.as('total'),
    ])
    .executeTakeFirstOrThrow();
  return { today: Number(row.today), total: Number(row.total) };
}

function sessionQuery(db: Executor) {
  return db
    .selectFrom('session_day')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .innerJoin('district', 'district.id', 'session_day.district_id')
    .select([
      'session_day.id',
      'session_day.date',
      'session_day.status',
      'session_day.vaccine_code',
      'session_day.site_id',
      'site.name as site_name',
      'site.lat',
      'site.lng',
      'session_day.district_id',
      'district.name as district_name',
      'district.state_id',
      'session_day.opens_at',
      'session_day.closes_at',
      'session_day.extended_until',
      'session_day.dose1_capacity',
      'session_day.dose2_capacity',
      'session_day.walkin_capacity',
      'session_day.dose1_booked',
      'session_day.dose2_booked',
      'session_day.walkin_used',
      'session_day.doses_recorded',
      'session_day.no_shows',
      'session_day.last_dose_at',
      'session_day.stall_reason',
    ]);
}

type SessionRow = Awaited<ReturnType<ReturnType<typeof sessionQuery>['execute']>>[number];

async function readSessions(
  db: Executor,
  scope: DashboardScope,
  now: Date,
  today: string,
  status?: SessionStatus,
): Promise<SessionLiveView[]> {
  let query = scoped(
    sessionQuery(db).where('session_day.date', '=', today).where(isRealSessionDay()),
    'session_day.district_id',
    scope,
    db,
  );
  if (status) {
    // Longest silence first (since the last dose, or the opening when none): the order of session_day_stalled_idx.
    query = query
      .where('session_day.status', '=', status)
      .orderBy(
        sql`coalesce(session_day.last_dose_at, (session_day.date + session_day.opens_at) at time zone 'Asia/Kolkata')`,
      )
      .limit(STALLED_LIST_LIMIT);
  } else {
    query = query.orderBy('session_day.opens_at').orderBy('site.name');
  }
  return (await query.execute()).map((row) => sessionView(row, now));
}

function sessionView(row: SessionRow, now: Date): SessionLiveView {
  const opens = indiaInstant(row.date, row.opens_at);
  const closes = sessionClosesAt(row);
  const booked = row.dose1_booked + row.dose2_booked;
  const elapsedMs = Math.min(
    Math.max(0, now.getTime() - opens.getTime()),
    Math.max(0, closes.getTime() - opens.getTime()),
  );
  // The session workflow's plan (domain/session-pace.ts), so the console and the stall rule agree.
  const expectedByNow = Math.floor(
    plannedDosesByNow({ nowMs: now.getTime(), opensAtMs: opens.getTime(), closesAtMs: closes.getTime(), booked }),
  );
  const silentSince = row.last_dose_at ?? (now >= opens ? opens : null);
  return {
    sessionDayId: row.id,
    date: row.date,
    status: row.status,
    stallReason: row.status === 'STALLED' ? row.stall_reason : null,
    vaccineCode: row.vaccine_code,
    siteId: row.site_id,
    siteName: row.site_name,
    lat: row.lat,
    lng: row.lng,
    districtId: row.district_id,
    districtName: row.district_name,
    stateId: row.state_id,
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    extendedUntil: row.extended_until?.toISOString() ?? null,
    extendableMinutes: extensionRoomMinutes({
      closesAtMs: closes.getTime(),
      endOfDateMs: indiaInstant(row.date, '24:00').getTime(),
    }),
    capacity: row.dose1_capacity + row.dose2_capacity + row.walkin_capacity,
    booked,
    walkIns: row.walkin_used,
    vaccinated: row.doses_recorded,
    noShows: row.no_shows,
    lastDoseAt: row.last_dose_at?.toISOString() ?? null,
    minutesSinceLastDose: silentSince
      ? Math.max(0, Math.floor((now.getTime() - silentSince.getTime()) / MINUTE_MS))
      : null,
    pace: {
      expectedByNow,
      ratio: expectedByNow > 0 ? round2(row.doses_recorded / expectedByNow) : null,
      dosesPerHour: elapsedMs > 0 ? round2(row.doses_recorded / (elapsedMs / HOUR_MS)) : null,
    },
  };
}

function bySilence(a: SessionLiveView, b: SessionLiveView): number {
  return (b.minutesSinceLastDose ?? -1) - (a.minutesSinceLastDose ?? -1);
}

function sumCoverage(rows: CoverageRow[]): Dashboard['totals'] {
  return rows.reduce<Dashboard['totals']>(
    (t, r) => ({
      dose1: t.dose1 + r.dose1,
      dose2: t.dose2 + r.dose2,
      targetPopulation: t.targetPopulation + r.targetPopulation,
      targetIsDemo: t.targetIsDemo || r.targetIsDemo,
    }),
    { dose1: 0, dose2: 0, targetPopulation: 0, targetIsDemo: false },
  );
}

/** Walks back from today's totals: coverage at the end of a date = now − doses given on later dates. */
function cumulativeByDay(
  today: string,
  byDate: Map<string, { doses: number; dose1: number; dose2: number }>,
  totals: Dashboard['totals'],
): DailyCoverage[] {
  let later1 = 0;
  let later2 = 0;
  for (const [date, day] of byDate) {
    if (date > today) {
      later1 += day.dose1;
      later2 += day.dose2;
    }
  }
  const days: DailyCoverage[] = [];
  for (let i = 0; i < COVERAGE_DAYS; i++) {
    const date = addDays(today, -i);
    const day = byDate.get(date) ?? { doses: 0, dose1: 0, dose2: 0 };
    days.push({ date, ...day, dose1Cumulative: totals.dose1 - later1, dose2Cumulative: totals.dose2 - later2 });
    later1 += day.dose1;
    later2 += day.dose2;
  }
  return days.reverse();
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Doses per district up to the end of an India date (the daily district report): people with dose 1 and dose 2 by
 * then, and that date's doses. From district_daily_doses, one indexed range per district.
 */
export async function cumulativeDosesByDistrict(
  db: Executor,
  districtIds: readonly number[],
  date: string,
): Promise<Map<number, { dose1: number; dose2: number; doses: number; dose1OnDate: number; dose2OnDate: number }>> {
  if (!districtIds.length) return new Map();
  const rows = await db
    .selectFrom('district_daily_doses')
    .select([
      'district_id',
      sql<number>`sum(dose1)`.as('dose1'),
      sql<number>`sum(dose2)`.as('dose2'),
      sql<number>`coalesce(sum(doses) filter (where date = ${date}), 0)`.as('doses'),
      sql<number>`coalesce(sum(dose1) filter (where date = ${date}), 0)`.as('dose1_on_date'),
      sql<number>`coalesce(sum(dose2) filter (where date = ${date}), 0)`.as('dose2_on_date'),
    ])
    .where('district_id', 'in', districtIds)
    .where('date', '<=', date)
    .groupBy('district_id')
    .execute();
  return new Map(
    rows.map((r) => [
      r.district_id,
      {
        dose1: Number(r.dose1),
        dose2: Number(r.dose2),
        doses: Number(r.doses),
        dose1OnDate: Number(r.dose1_on_date),
        dose2OnDate: Number(r.dose2_on_date),
      },
    ]),
  );
}

/** Doses per India date between two dates (inclusive) in the country, a state or a district (the public report). */
export async function dailyDosesInArea(
  db: Executor,
  area: { stateId?: number; districtId?: number },
  from: string,
  to: string,
): Promise<Map<string, { doses: number; dose1: number; dose2: number }>> {
  const rows = await db
    .selectFrom('district_daily_doses')
    .select([
      'date',
      sql<number>`sum(doses)`.as('doses'),
      sql<number>`sum(dose1)`.as('dose1'),
      sql<number>`sum(dose2)`.as('dose2'),
    ])
    .where('date', '>=', from)
    .where('date', '<=', to)
    .$if(area.districtId !== undefined, (qb) => qb.where('district_id', '=', area.districtId!))
    .$if(area.stateId !== undefined, (qb) =>
      qb.where('district_id', 'in', db.selectFrom('district').select('id').where('state_id', '=', area.stateId!)),
    )
    .groupBy('date')
    .execute();
  return new Map(rows.map((r) => [r.date, { doses: Number(r.doses), dose1: Number(r.dose1), dose2: Number(r.dose2) }]));
}
