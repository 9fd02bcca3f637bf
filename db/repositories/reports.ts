/**
 * The officers' reports: the session report, the daily district report, due lists for ASHA/ANM mobilisation and
 * the AEFI line list. Each long list is read in keyset batches (one indexed query per batch, no connection held
 * between them), so an export of a lakh rows never holds its rows, or a connection, while a slow client downloads.
 * What an officer may read is decided by the caller (api/routes/v1/reports.ts): here a scope is a set of districts.
 */
import { sql } from 'kysely';
import { AGE_BANDS, type AgeBand } from '../../domain/age-bands.js';
import { maskIdNumber, maskMobile } from '../../domain/identity.js';
import { addDays, indiaInstant } from '../../domain/time.js';
import type { Executor } from './audit.js';
import { cumulativeDosesByDistrict } from './dashboard.js';
import { isRealPerson, isRealSessionDay } from './real-data.js';

export type ReportScope =
  { kind: 'national' } | { kind: 'state'; stateId: number } | { kind: 'district'; districtId: number };

export const REPORT_BATCH = 1000;

/** Restricts a query on `column` (a district id) to the scope. */
function inScope<QB extends { where: (...args: any[]) => QB }>(
  qb: QB,
  column: string,
  scope: ReportScope,
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

/** SQL for a person's age group at a dose (domain/age-bands.ts), from the India year of the dose. */
function ageBandSql(administeredAt: string, birthYear: string) {
  const age = sql`(extract(year from (${sql.ref(administeredAt)} at time zone 'Asia/Kolkata'))::int - ${sql.ref(birthYear)})`;
  const cases = AGE_BANDS.map((b) =>
    Number.isFinite(b.to)
      ? sql`when ${age} between ${b.from} and ${b.to} then ${b.key}`
      : sql`when ${age} >= ${b.from} then ${b.key}`,
  );
  return sql<AgeBand>`case ${sql.join(cases, sql` `)} else 'under_12' end`;
}

// ───────────── Due lists ─────────────

export interface DueListFilter {
  districtId: number;
  block?: string;
  siteId?: number;
  /** India date the list is for: due = the dose-2 window has opened by then. */
  asOf: string;
}

export interface DueRow {
  block: string;
  site: string;
  name: string;
  gender: string;
  age: number;
  referenceId: string;
  photoId: string;
  mobile: string;
  vaccine: string;
  dose1On: string;
  dueFrom: string;
  overdueAfter: string;
  status: 'DUE' | 'OVERDUE';
  dose2BookedOn: string;
}

/** Session sites of a district by block: the block level of the due lists (sites carry their block). */
export async function blocksOf(
  db: Executor,
  districtId: number,
): Promise<Array<{ block: string; sites: Array<{ id: number; name: string }> }>> {
  const rows = await db
    .selectFrom('site')
    .select(['id', 'name', 'block'])
    .where('district_id', '=', districtId)
    .orderBy('block')
    .orderBy('name')
    .execute();
  const blocks = new Map<string, Array<{ id: number; name: string }>>();
  for (const r of rows) blocks.set(r.block, [...(blocks.get(r.block) ?? []), { id: r.id, name: r.name }]);
  return [...blocks].map(([block, sites]) => ({ block, sites }));
}

/**
 * People whose second dose is due or overdue by `asOf` and not given: by block and site of their first dose, then
 * by due date. Due once the vaccine's minimum interval has passed since dose 1, overdue after its maximum interval.
 * IDs, reference ids and mobiles are masked to their last four digits: enough to find a person in a worker's own
 * register, no more.
 */
export async function* dueList(db: Executor, filter: DueListFilter): AsyncGenerator<DueRow[]> {
  const sites = (await blocksOf(db, filter.districtId))
    .filter((b) => filter.block === undefined || b.block === filter.block)
    .flatMap((b) => b.sites.map((s) => ({ ...s, block: b.block })))
    .filter((s) => filter.siteId === undefined || s.id === filter.siteId);
  const asOfEnd = indiaInstant(addDays(filter.asOf, 1), '00:00');
  for (const site of sites) {
    let after: { at: Date; id: string } | undefined;
    for (;;) {
      const rows = await db
        .selectFrom('dose as d1')
        .innerJoin('beneficiary as b', 'b.id', 'd1.beneficiary_id')
        .innerJoin('account as a', 'a.id', 'b.account_id')
        .innerJoin('vaccine as v', 'v.code', 'd1.vaccine_code')
        .select([
          'd1.id',
          'd1.administered_at',
          'b.name',
          'b.gender',
          'b.birth_year',
          'b.reference_id',
          'b.id_last4',
          'a.mobile',
          'v.code as vaccine',
          'v.min_interval_days',
          'v.max_interval_days',
          sql<string>`(d1.administered_at at time zone 'Asia/Kolkata')::date`.as('dose1_on'),
          sql<string | null>`(select min(sd.date) from appointment ap join session_day sd on sd.id = ap.session_day_id
            where ap.beneficiary_id = d1.beneficiary_id and ap.dose_number = 2 and ap.status = 'BOOKED')`.as(
            'dose2_booked_on',
          ),
        ])
        .where('d1.district_id', '=', filter.districtId)
        .where('d1.site_id', '=', site.id)
        .where('d1.dose_number', '=', 1)
        .where('v.doses', '>=', 2)
        .where('b.deleted_at', 'is', null)
        .where(isRealPerson('b.dry_run_id'))
        .where(sql<boolean>`d1.administered_at + make_interval(days => v.min_interval_days) < ${asOfEnd}`)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('dose as d2')
                .select('d2.id')
                .whereRef('d2.beneficiary_id', '=', 'd1.beneficiary_id')
                .where('d2.dose_number', '=', 2),
            ),
          ),
        )
        .$if(after !== undefined, (qb) =>
          qb.where(sql<boolean>`(d1.administered_at, d1.id) > (${after!.at}, ${after!.id})`),
        )
        .orderBy('d1.administered_at')
        .orderBy('d1.id')
        .limit(REPORT_BATCH)
        .execute();
      if (!rows.length) break;
      yield rows.map((r) => {
        const dueFrom = addDays(r.dose1_on, r.min_interval_days);
        const overdueAfter = addDays(r.dose1_on, r.max_interval_days);
        return {
          block: site.block,
          site: site.name,
          name: r.name,
          gender: r.gender,
          age: Number(filter.asOf.slice(0, 4)) - r.birth_year,
          referenceId: maskIdNumber(r.reference_id.slice(-4), 14),
          photoId: maskIdNumber(r.id_last4),
          mobile: maskMobile(r.mobile),
          vaccine: r.vaccine,
          dose1On: r.dose1_on,
          dueFrom,
          overdueAfter,
          status: filter.asOf > overdueAfter ? 'OVERDUE' : 'DUE',
          dose2BookedOn: r.dose2_booked_on ?? '',
        };
      });
      const last = rows[rows.length - 1]!;
      after = { at: last.administered_at, id: last.id };
      if (rows.length < REPORT_BATCH) break;
    }
  }
}

// ───────────── Session report ─────────────

export interface SessionReportRow {
  date: string;
  state: string;
  district: string;
  block: string;
  site: string;
  vaccine: string;
  status: string;
  capacity: number;
  booked: number;
  vaccinated: number;
  noShows: number;
  walkIns: number;
  wastage: number;
  team: string;
  stalls: number;
}

/** Every session day of the scope between two India dates (inclusive), by date and site. */
export async function* sessionReport(
  db: Executor,
  scope: ReportScope,
  range: { from: string; to: string },
): AsyncGenerator<SessionReportRow[]> {
  let after: { date: string; id: string } | undefined;
  for (;;) {
    const rows = await inScope(
      db
        .selectFrom('session_day as sd')
        .innerJoin('site', 'site.id', 'sd.site_id')
        .innerJoin('district', 'district.id', 'sd.district_id')
        .innerJoin('state', 'state.id', 'district.state_id')
        .select([
          'sd.id',
          'sd.date',
          'state.name as state',
          'district.name as district',
          'site.block',
          'site.name as site',
          'sd.vaccine_code',
          'sd.status',
          sql<number>`sd.dose1_capacity + sd.dose2_capacity + sd.walkin_capacity`.as('capacity'),
          sql<number>`sd.dose1_booked + sd.dose2_booked`.as('booked'),
          'sd.doses_recorded',
          'sd.no_shows',
          'sd.walkin_used',
          'sd.wastage',
          sql<string>`coalesce((select string_agg(su.name || ' (' || lower(sa.team_role) || ')', ', ' order by sa.team_role, su.name)
            from session_assignment sa join staff_user su on su.id = sa.staff_id where sa.session_day_id = sd.id), '')`.as(
            'team',
          ),
          sql<number>`(select count(*) from audit_log al where al.entity_type = 'session_day' and al.entity_id = sd.id::text
            and al.action = 'SESSION_STALLED')`.as('stalls'),
        ])
        .where('sd.date', '>=', range.from)
        .where('sd.date', '<=', range.to)
        .where(isRealSessionDay('sd.dry_run_id'))
        .$if(after !== undefined, (qb) =>
          qb.where(sql<boolean>`(sd.date, sd.id) > (${after!.date}::date, ${after!.id}::uuid)`),
        )
        .orderBy('sd.date')
        .orderBy('sd.id')
        .limit(REPORT_BATCH),
      'sd.district_id',
      scope,
      db,
    ).execute();
    if (!rows.length) return;
    yield rows.map((r) => ({
      date: r.date,
      state: r.state,
      district: r.district,
      block: r.block,
      site: r.site,
      vaccine: r.vaccine_code,
      status: r.status,
      capacity: Number(r.capacity),
      booked: Number(r.booked),
      vaccinated: r.doses_recorded,
      noShows: r.no_shows,
      walkIns: r.walkin_used,
      wastage: r.wastage,
      team: r.team,
      stalls: Number(r.stalls),
    }));
    const last = rows[rows.length - 1]!;
    after = { date: last.date, id: last.id };
    if (rows.length < REPORT_BATCH) return;
  }
}

// ───────────── Daily district report ─────────────

export interface DistrictDayRow {
  date: string;
  state: string;
  district: string;
  targetPopulation: number;
  targetIsDemo: boolean;
  dose1: number;
  fullyVaccinated: number;
  dose1Percent: number | null;
  fullyPercent: number | null;
  dosesOnDate: number;
  dose1OnDate: number;
  dose2OnDate: number;
  /** People with dose 1 by the end of the date, by vaccine code, age group and gender. */
  byVaccine: Record<string, number>;
  byAgeBand: Record<string, number>;
  byGender: Record<string, number>;
  /** People with dose 1 by priority group: listed health-care and front-line workers, and everyone else. */
  byPriorityGroup: Record<'HCW' | 'FLW' | 'GENERAL', number>;
}

/**
 * One row per district of the scope as of the end of an India date: coverage by dose against the target (from the
 * rollups), that day's doses, and people with dose 1 by vaccine, age group and gender (one grouped pass over `dose`).
 */
export async function districtDailyReport(db: Executor, scope: ReportScope, date: string): Promise<DistrictDayRow[]> {
  const districts = await inScope(
    db
      .selectFrom('district')
      .innerJoin('state', 'state.id', 'district.state_id')
      .select([
        'district.id',
        'district.name',
        'state.name as state',
        'district.target_population',
        'district.target_is_demo',
      ])
      .orderBy('state.name')
      .orderBy('district.name'),
    'district.id',
    scope,
    db,
  ).execute();
  const ids = districts.map((d) => d.id);
  if (!ids.length) return [];
  const rollups = await cumulativeDosesByDistrict(db, ids, date);
  const end = indiaInstant(addDays(date, 1), '00:00');
  const groups = await db
    .selectFrom('dose')
    .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
    .select([
      'dose.district_id',
      'dose.vaccine_code',
      'beneficiary.gender',
      ageBandSql('dose.administered_at', 'beneficiary.birth_year').as('band'),
      sql<'HCW' | 'FLW' | 'GENERAL'>`coalesce(beneficiary.priority_group, 'GENERAL')`.as('group'),
      sql<number>`count(*)`.as('people'),
    ])
    .where('dose.district_id', 'in', ids)
    .where('dose.dose_number', '=', 1)
    .where('dose.administered_at', '<', end)
    .where(isRealPerson())
    .groupBy(['dose.district_id', 'dose.vaccine_code', 'beneficiary.gender', sql`4`, sql`5`])
    .execute();
  const vaccines = (await db.selectFrom('vaccine').select('code').orderBy('code').execute()).map((v) => v.code);
  return districts.map((d) => {
    const rollup = rollups.get(d.id) ?? { dose1: 0, dose2: 0, doses: 0, dose1OnDate: 0, dose2OnDate: 0 };
    const byVaccine = Object.fromEntries(vaccines.map((v) => [v, 0]));
    const byAgeBand: Record<string, number> = Object.fromEntries([
      ...AGE_BANDS.map((b) => [b.key, 0]),
      ['under_12', 0],
    ]);
    const byGender: Record<string, number> = { M: 0, F: 0, O: 0 };
    const byPriorityGroup = { HCW: 0, FLW: 0, GENERAL: 0 };
    for (const g of groups.filter((g) => g.district_id === d.id)) {
      byVaccine[g.vaccine_code] = (byVaccine[g.vaccine_code] ?? 0) + Number(g.people);
      byAgeBand[g.band] = (byAgeBand[g.band] ?? 0) + Number(g.people);
      byGender[g.gender] = (byGender[g.gender] ?? 0) + Number(g.people);
      byPriorityGroup[g.group] += Number(g.people);
    }
    const percent = (n: number) =>
      d.target_population > 0 ? Math.round((n / d.target_population) * 10_000) / 100 : null;
    return {
      date,
      state: d.state,
      district: d.name,
      targetPopulation: d.target_population,
      targetIsDemo: d.target_is_demo,
      dose1: rollup.dose1,
      fullyVaccinated: rollup.dose2,
      dose1Percent: percent(rollup.dose1),
      fullyPercent: percent(rollup.dose2),
      dosesOnDate: rollup.doses,
      dose1OnDate: rollup.dose1OnDate,
      dose2OnDate: rollup.dose2OnDate,
      byVaccine,
      byAgeBand,
      byGender,
      byPriorityGroup,
    };
  });
}

// ───────────── AEFI line list ─────────────

export interface AefiLineRow {
  reportedAt: string;
  state: string;
  district: string;
  block: string;
  site: string;
  vaccine: string;
  batch: string;
  dose: number;
  vaccinatedAt: string;
  referenceId: string;
  age: number;
  gender: string;
  severity: string;
  symptoms: string;
  duringObservation: boolean;
  notes: string;
  reportedBy: string;
}

/** Every adverse event reported in the scope between two India dates (inclusive), oldest first. */
export async function* aefiLineList(
  db: Executor,
  scope: ReportScope,
  range: { from: string; to: string },
): AsyncGenerator<AefiLineRow[]> {
  const start = indiaInstant(range.from, '00:00');
  const end = indiaInstant(addDays(range.to, 1), '00:00');
  let after: { at: Date; id: string } | undefined;
  for (;;) {
    const rows = await inScope(
      db
        .selectFrom('aefi_report as r')
        .innerJoin('dose', 'dose.id', 'r.dose_id')
        .innerJoin('beneficiary as b', 'b.id', 'dose.beneficiary_id')
        .innerJoin('site', 'site.id', 'dose.site_id')
        .innerJoin('district', 'district.id', 'dose.district_id')
        .innerJoin('state', 'state.id', 'district.state_id')
        .innerJoin('staff_user as reporter', 'reporter.id', 'r.reported_by')
        .select([
          'r.id',
          'r.reported_at',
          'state.name as state',
          'district.name as district',
          'site.block',
          'site.name as site',
          'dose.vaccine_code',
          'dose.batch',
          'dose.dose_number',
          'dose.administered_at',
          'b.reference_id',
          'b.birth_year',
          'b.gender',
          'r.severity',
          'r.symptoms',
          'r.during_observation',
          'r.notes',
          'reporter.name as reporter',
        ])
        .where('r.reported_at', '>=', start)
        .where('r.reported_at', '<', end)
        .where(isRealPerson('b.dry_run_id'))
        .$if(after !== undefined, (qb) =>
          qb.where(sql<boolean>`(r.reported_at, r.id) > (${after!.at}, ${after!.id}::uuid)`),
        )
        .orderBy('r.reported_at')
        .orderBy('r.id')
        .limit(REPORT_BATCH),
      'dose.district_id',
      scope,
      db,
    ).execute();
    if (!rows.length) return;
    yield rows.map((r) => ({
      reportedAt: r.reported_at.toISOString(),
      state: r.state,
      district: r.district,
      block: r.block,
      site: r.site,
      vaccine: r.vaccine_code,
      batch: r.batch,
      dose: r.dose_number,
      vaccinatedAt: r.administered_at.toISOString(),
      referenceId: maskIdNumber(r.reference_id.slice(-4), 14),
      age: r.administered_at.getUTCFullYear() - r.birth_year,
      gender: r.gender,
      severity: r.severity,
      symptoms: r.symptoms.join(', '),
      duringObservation: r.during_observation,
      notes: r.notes ?? '',
      reportedBy: r.reporter,
    }));
    const last = rows[rows.length - 1]!;
    after = { at: last.reported_at, id: last.id };
    if (rows.length < REPORT_BATCH) return;
  }
}
