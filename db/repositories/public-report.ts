/**
 * Public dashboard figures for the whole country, a state or a district, as of the end of an India date:
 * doses (in total, that day, by dose, gender and vaccine), people fully vaccinated, registrations and sites.
 * Doses are counted in one grouped pass over `dose` (district + time index); the answer is small and is
 * cached by clients for minutes (Cache-Control), so the pass runs rarely per area.
 */
import { sql } from 'kysely';
import type { Db } from '../connection.js';
import type { Gender } from '../schema.js';
import { AGE_BANDS, type AgeBand } from '../../domain/age-bands.js';
import { addDays, indiaInstant } from '../../domain/time.js';
import { dailyDosesInArea } from './dashboard.js';
import { atRealSessionDay, isRealPerson, isRealSessionDay } from './real-data.js';

export interface PublicReportQuery {
  stateId?: number;
  districtId?: number;
  /** 'YYYY-MM-DD' (India). */
  date: string;
}

export interface AreaFigures {
  id: number;
  stateId: number;
  stateName: string;
  title: string;
  today: number;
  total: number;
  fullyVaccinated: number;
}

export interface PublicReportFigures {
  doses: {
    total: number;
    today: number;
    dose1: number;
    dose2: number;
    byGender: Record<Gender, number>;
    byVaccine: Record<string, number>;
  };
  /** Doses by the person's age group at the dose (domain/age-bands.ts). */
  byAgeBand: Record<AgeBand, number>;
  /** The date's doses per India clock hour, from midnight to the last hour with a dose. */
  byHour: Array<{ hour: string; doses: number; dose1: number; dose2: number }>;
  /** The 30 India dates up to the date, oldest first. */
  last30Days: Array<{ date: string; doses: number; dose1: number; dose2: number }>;
  aefi: { total: number; last30Days: Array<{ date: string; reports: number }> };
  registrations: number;
  sites: { total: number; government: number; private: number; today: number };
  /** By state for the country, by district for a state or a district. */
  areas: AreaFigures[];
}

export async function publicReportFigures(db: Db, query: PublicReportQuery): Promise<PublicReportFigures> {
  const start = indiaInstant(query.date, '00:00');
  const end = indiaInstant(addDays(query.date, 1), '00:00');
  const byDistrict = query.stateId !== undefined || query.districtId !== undefined;

  const doseGroups = await db
    .selectFrom('dose')
    .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
    .innerJoin('vaccine', 'vaccine.code', 'dose.vaccine_code')
    .innerJoin('district', 'district.id', 'dose.district_id')
    .select([
      (byDistrict ? sql<number>`district.id` : sql<number>`district.state_id`).as('area_id'),
      'dose.vaccine_code',
      'beneficiary.gender',
      sql<AgeBand>`case ${sql.join(
        AGE_BANDS.map((b) =>
          Number.isFinite(b.to)
            ? sql`when extract(year from (dose.administered_at at time zone 'Asia/Kolkata'))::int - beneficiary.birth_year between ${b.from} and ${b.to} then ${b.key}`
            : sql`when extract(year from (dose.administered_at at time zone 'Asia/Kolkata'))::int - beneficiary.birth_year >= ${b.from} then ${b.key}`,
        ),
        sql` `,
      )} else 'under_12' end`.as('band'),
      sql<number>`count(*)`.as('total'),
      sql<number>`count(*) filter (where dose.administered_at >= ${start})`.as('today'),
      sql<number>`count(*) filter (where dose.dose_number = 1)`.as('dose1'),
      sql<number>`count(*) filter (where dose.dose_number = 2)`.as('dose2'),
      sql<number>`count(*) filter (where dose.dose_number >= vaccine.doses)`.as('completed'),
    ])
    .where('dose.administered_at', '<', end)
    .where(isRealPerson())
    .$if(query.stateId !== undefined, (qb) => qb.where('district.state_id', '=', query.stateId!))
    .$if(query.districtId !== undefined, (qb) => qb.where('dose.district_id', '=', query.districtId!))
    .groupBy([sql`1`, 'dose.vaccine_code', 'beneficiary.gender', sql`4`])
    .execute();

  const vaccines = await db.selectFrom('vaccine').select('code').orderBy('code').execute();
  const doses: PublicReportFigures['doses'] = {
    total: 0,
    today: 0,
    dose1: 0,
    dose2: 0,
    byGender: { M: 0, F: 0, O: 0 },
    byVaccine: Object.fromEntries(vaccines.map((v) => [v.code, 0])),
  };
  const perArea = new Map<number, { today: number; total: number; completed: number }>();
  const byAgeBand = Object.fromEntries([...AGE_BANDS.map((b) => [b.key, 0]), ['under_12', 0]]) as Record<
    AgeBand,
    number
  >;
  for (const g of doseGroups) {
    byAgeBand[g.band] += g.total;
    doses.total += g.total;
    doses.today += g.today;
    doses.dose1 += g.dose1;
    doses.dose2 += g.dose2;
    doses.byGender[g.gender] += g.total;
    doses.byVaccine[g.vaccine_code] = (doses.byVaccine[g.vaccine_code] ?? 0) + g.total;
    const area = perArea.get(g.area_id) ?? { today: 0, total: 0, completed: 0 };
    area.today += g.today;
    area.total += g.total;
    area.completed += g.completed;
    perArea.set(g.area_id, area);
  }

  const areaRows = byDistrict
    ? await db
        .selectFrom('district')
        .innerJoin('state', 'state.id', 'district.state_id')
        .select(['district.id', 'district.name as title', 'state.id as state_id', 'state.name as state_name'])
        .$if(query.stateId !== undefined, (qb) => qb.where('district.state_id', '=', query.stateId!))
        .$if(query.districtId !== undefined, (qb) => qb.where('district.id', '=', query.districtId!))
        .orderBy('district.name')
        .execute()
    : await db
        .selectFrom('state')
        .select(['state.id', 'state.name as title', 'state.id as state_id', 'state.name as state_name'])
        .orderBy('state.name')
        .execute();
  const areas = areaRows.map((a) => {
    const figures = perArea.get(a.id) ?? { today: 0, total: 0, completed: 0 };
    return {
      id: a.id,
      stateId: a.state_id,
      stateName: a.state_name,
      title: a.title,
      today: figures.today,
      total: figures.total,
      fullyVaccinated: figures.completed,
    };
  });

  return {
    doses,
    byAgeBand,
    byHour: await dosesByHour(db, query, start, end),
    last30Days: await last30Days(db, query),
    aefi: await aefiCounts(db, query, end),
    registrations: await registrations(db, query, end),
    sites: await sites(db, query),
    areas,
  };
}

/** The date's doses by India clock hour (one day of `dose`, by the district and time index). */
async function dosesByHour(
  db: Db,
  query: PublicReportQuery,
  start: Date,
  end: Date,
): Promise<PublicReportFigures['byHour']> {
  const rows = await db
    .selectFrom('dose')
    .innerJoin('district', 'district.id', 'dose.district_id')
    .select([
      sql<Date>`date_trunc('hour', dose.administered_at, 'Asia/Kolkata')`.as('hour'),
      sql<number>`count(*)`.as('doses'),
      sql<number>`count(*) filter (where dose.dose_number = 1)`.as('dose1'),
      sql<number>`count(*) filter (where dose.dose_number = 2)`.as('dose2'),
    ])
    .where('dose.administered_at', '>=', start)
    .where('dose.administered_at', '<', end)
    .where(atRealSessionDay('dose.session_day_id'))
    .$if(query.stateId !== undefined, (qb) => qb.where('district.state_id', '=', query.stateId!))
    .$if(query.districtId !== undefined, (qb) => qb.where('dose.district_id', '=', query.districtId!))
    .groupBy(sql`1`)
    .execute();
  const byHour = new Map(rows.map((r) => [new Date(r.hour).getTime(), r]));
  const last = Math.max(start.getTime() - 3_600_000, ...byHour.keys());
  const hours: PublicReportFigures['byHour'] = [];
  for (let t = start.getTime(); t <= last; t += 3_600_000) {
    const row = byHour.get(t);
    hours.push({
      hour: new Date(t).toISOString(),
      doses: row?.doses ?? 0,
      dose1: row?.dose1 ?? 0,
      dose2: row?.dose2 ?? 0,
    });
  }
  return hours;
}

/** Doses per India date over the 30 days up to the date, from the daily rollup (db/repositories/dashboard.ts). */
async function last30Days(db: Db, query: PublicReportQuery): Promise<PublicReportFigures['last30Days']> {
  const from = addDays(query.date, -29);
  const byDate = await dailyDosesInArea(db, query, from, query.date);
  return Array.from({ length: 30 }, (_, i) => {
    const date = addDays(from, i);
    return { date, ...(byDate.get(date) ?? { doses: 0, dose1: 0, dose2: 0 }) };
  });
}

/** Adverse events reported in the area: all by the end of the date, and per day over its last 30 days. */
async function aefiCounts(db: Db, query: PublicReportQuery, end: Date): Promise<PublicReportFigures['aefi']> {
  const from = addDays(query.date, -29);
  const rows = await db
    .selectFrom('aefi_report')
    .innerJoin('dose', 'dose.id', 'aefi_report.dose_id')
    .innerJoin('district', 'district.id', 'dose.district_id')
    .select([
      sql<string>`(aefi_report.reported_at at time zone 'Asia/Kolkata')::date`.as('date'),
      sql<number>`count(*)`.as('reports'),
    ])
    .where('aefi_report.reported_at', '<', end)
    .where(atRealSessionDay('dose.session_day_id'))
    .$if(query.stateId !== undefined, (qb) => qb.where('district.state_id', '=', query.stateId!))
    .$if(query.districtId !== undefined, (qb) => qb.where('dose.district_id', '=', query.districtId!))
    .groupBy(sql`1`)
    .execute();
  const byDate = new Map(rows.map((r) => [r.date, r.reports]));
  return {
    total: rows.reduce((n, r) => n + r.reports, 0),
    last30Days: Array.from({ length: 30 }, (_, i) => {
      const date = addDays(from, i);
      return { date, reports: byDate.get(date) ?? 0 };
    }),
  };
}

/**
 * People registered by the end of the date. People carry no address, so in a state or district they are
 * counted where they booked or were vaccinated.
 */
async function registrations(db: Db, query: PublicReportQuery, end: Date): Promise<number> {
  if (query.stateId === undefined && query.districtId === undefined) {
    const row = await db
      .selectFrom('beneficiary')
      .select(sql<number>`count(*)`.as('n'))
      .where('deleted_at', 'is', null)
      .where('created_at', '<', end)
      .where(isRealPerson('dry_run_id'))
      .executeTakeFirstOrThrow();
    return row.n;
  }
  const areaFilter =
    query.districtId !== undefined
      ? sql`d.id = ${query.districtId}${query.stateId !== undefined ? sql` and d.state_id = ${query.stateId}` : sql``}`
      : sql`d.state_id = ${query.stateId}`;
  const { rows } = await sql<{ n: number }>`
    select count(distinct beneficiary_id)::bigint as n from (
      select dose.beneficiary_id from dose join district d on d.id = dose.district_id
        where dose.administered_at < ${end} and ${areaFilter} and ${atRealSessionDay('dose.session_day_id')}
      union
      select appointment.beneficiary_id from appointment
        join session_day on session_day.id = appointment.session_day_id
        join district d on d.id = session_day.district_id
        where appointment.booked_at < ${end} and ${areaFilter} and ${isRealSessionDay()}
    ) people`.execute(db);
  return rows[0]?.n ?? 0;
}

async function sites(db: Db, query: PublicReportQuery): Promise<PublicReportFigures['sites']> {
  const counts = await db
    .selectFrom('site')
    .innerJoin('district', 'district.id', 'site.district_id')
    .select([
      sql<number>`count(*)`.as('total'),
      sql<number>`count(*) filter (where site.ownership = 'GOVERNMENT')`.as('government'),
      sql<number>`count(*) filter (where site.ownership = 'PRIVATE')`.as('private'),
    ])
    .$if(query.stateId !== undefined, (qb) => qb.where('district.state_id', '=', query.stateId!))
    .$if(query.districtId !== undefined, (qb) => qb.where('site.district_id', '=', query.districtId!))
    .executeTakeFirstOrThrow();
  const today = await db
    .selectFrom('session_day')
    .innerJoin('district', 'district.id', 'session_day.district_id')
    .select(sql<number>`count(distinct session_day.site_id)`.as('n'))
    .where('session_day.date', '=', query.date)
    .where('session_day.status', '!=', 'CANCELLED')
    .where(isRealSessionDay())
    .$if(query.stateId !== undefined, (qb) => qb.where('district.state_id', '=', query.stateId!))
    .$if(query.districtId !== undefined, (qb) => qb.where('session_day.district_id', '=', query.districtId!))
    .executeTakeFirstOrThrow();
  return { ...counts, today: today.n };
}
