/** The vaccine batch registry and session days' stock (migration 2026-12-09T0430_vaccine_batches). SQL only. */
import { sql } from 'kysely';
import type { BatchFacts } from '../../domain/vaccine-batches.js';
import type { Db } from '../connection.js';
import type { Executor } from './audit.js';

export interface BatchRow extends BatchFacts {
  manufacturer: string | null;
  fromEarlierDoses: boolean;
  createdAt: string;
  updatedAt: string;
}

const batchColumns = [
  'vaccine_batch.id',
  'vaccine_batch.vaccine_code',
  'vaccine_batch.batch_number',
  'vaccine_batch.manufacturer',
  'vaccine_batch.expires_on',
  'vaccine_batch.doses_per_vial',
  'vaccine_batch.from_earlier_doses',
  'vaccine_batch.created_at',
  'vaccine_batch.updated_at',
] as const;

type RawBatch = {
  id: string;
  vaccine_code: string;
  batch_number: string;
  manufacturer: string | null;
  expires_on: string | null;
  doses_per_vial: number | null;
  from_earlier_doses: boolean;
  created_at: Date;
  updated_at: Date;
};

const toBatch = (r: RawBatch): BatchRow => ({
  id: r.id,
  vaccineCode: r.vaccine_code,
  batchNumber: r.batch_number,
  manufacturer: r.manufacturer,
  expiresOn: r.expires_on,
  dosesPerVial: r.doses_per_vial,
  fromEarlierDoses: r.from_earlier_doses,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const toFacts = (
  r: Pick<RawBatch, 'id' | 'vaccine_code' | 'batch_number' | 'expires_on' | 'doses_per_vial'>,
): BatchFacts => ({
  id: r.id,
  vaccineCode: r.vaccine_code,
  batchNumber: r.batch_number,
  expiresOn: r.expires_on,
  dosesPerVial: r.doses_per_vial,
});

/** Every registered batch, as the dose check keeps them. */
export async function readAllBatchFacts(db: Executor): Promise<BatchFacts[]> {
  const rows = await db
    .selectFrom('vaccine_batch')
    .select(['id', 'vaccine_code', 'batch_number', 'expires_on', 'doses_per_vial'])
    .execute();
  return rows.map(toFacts);
}

/** The registered batches of one number (canonical form), any vaccine. */
export async function readBatchFactsNumbered(db: Executor, batchNumber: string): Promise<BatchFacts[]> {
  const rows = await db
    .selectFrom('vaccine_batch')
    .select(['id', 'vaccine_code', 'batch_number', 'expires_on', 'doses_per_vial'])
    .where('batch_number', '=', batchNumber)
    .execute();
  return rows.map(toFacts);
}

export async function listBatches(db: Executor, filter: { vaccineCode?: string }): Promise<BatchRow[]> {
  let query = db.selectFrom('vaccine_batch').select(batchColumns);
  if (filter.vaccineCode) query = query.where('vaccine_code', '=', filter.vaccineCode);
  const rows = await query
    .orderBy('vaccine_code')
    .orderBy('expires_on', (o) => o.desc().nullsFirst())
    .orderBy('batch_number')
    .execute();
  return rows.map(toBatch);
}

export async function findBatch(db: Executor, id: string): Promise<BatchRow | undefined> {
  const row = await db.selectFrom('vaccine_batch').select(batchColumns).where('id', '=', id).executeTakeFirst();
  return row && toBatch(row);
}

export async function vaccineExists(db: Executor, code: string): Promise<boolean> {
  return (await db.selectFrom('vaccine').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}

/** Inserts a batch; undefined when that vaccine already has a batch of that number. */
export async function insertBatch(
  db: Executor,
  batch: {
    vaccineCode: string;
    batchNumber: string;
    manufacturer: string;
    expiresOn: string;
    dosesPerVial: number;
    createdBy: string;
  },
): Promise<BatchRow | undefined> {
  const row = await db
    .insertInto('vaccine_batch')
    .values({
      vaccine_code: batch.vaccineCode,
      batch_number: batch.batchNumber,
      manufacturer: batch.manufacturer,
      expires_on: batch.expiresOn,
      doses_per_vial: batch.dosesPerVial,
      created_by: batch.createdBy,
    })
    .onConflict((oc) => oc.constraint('vaccine_batch_number_unique').doNothing())
    .returning(batchColumns)
    .executeTakeFirst();
  return row && toBatch(row);
}

/** Sets a batch's details; a batch found in earlier doses counts as registered once they are all set. */
export async function updateBatch(
  db: Executor,
  id: string,
  patch: { manufacturer?: string; expiresOn?: string; dosesPerVial?: number },
): Promise<BatchRow | undefined> {
  const row = await db
    .updateTable('vaccine_batch')
    .set((eb) => ({
      ...(patch.manufacturer !== undefined ? { manufacturer: patch.manufacturer } : {}),
      ...(patch.expiresOn !== undefined ? { expires_on: patch.expiresOn } : {}),
      ...(patch.dosesPerVial !== undefined ? { doses_per_vial: patch.dosesPerVial } : {}),
      from_earlier_doses: sql<boolean>`${eb.ref('from_earlier_doses')} and (
        coalesce(${patch.manufacturer ?? null}, manufacturer) is null
        or coalesce(${patch.expiresOn ?? null}::date, expires_on) is null
        or coalesce(${patch.dosesPerVial ?? null}::int, doses_per_vial) is null)`,
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .returning(batchColumns)
    .executeTakeFirst();
  return row && toBatch(row);
}

/** Sets the vials of a batch issued to a session day (the figure as it stands, not an increment). */
export async function setIssuedStock(
  db: Executor,
  stock: { sessionDayId: string; batchId: string; vialsIssued: number; issuedBy: string },
): Promise<{ previous: number | null }> {
  const before = await db
    .selectFrom('session_batch_stock')
    .select('vials_issued')
    .where('session_day_id', '=', stock.sessionDayId)
    .where('batch_id', '=', stock.batchId)
    .forUpdate()
    .executeTakeFirst();
  await db
    .insertInto('session_batch_stock')
    .values({
      session_day_id: stock.sessionDayId,
      batch_id: stock.batchId,
      vials_issued: stock.vialsIssued,
      issued_by: stock.issuedBy,
    })
    .onConflict((oc) =>
      oc.columns(['session_day_id', 'batch_id']).doUpdateSet({
        vials_issued: stock.vialsIssued,
        issued_by: stock.issuedBy,
        issued_at: new Date(),
      }),
    )
    .execute();
  return { previous: before?.vials_issued ?? null };
}

export interface SessionStockLine {
  sessionDayId: string;
  batchId: string;
  batchNumber: string;
  vaccineCode: string;
  manufacturer: string | null;
  expiresOn: string | null;
  dosesPerVial: number | null;
  vialsIssued: number;
  vialsOpened: number | null;
  dosesWasted: number | null;
  /** Doses recorded at the session day naming this batch. */
  dosesGiven: number;
}

/**
 * The stock of each session day asked for: every batch issued to it, and every batch its doses name (issued or
 * not, 0 vials then), with the doses given of each counted from the doses themselves.
 */
export async function readSessionStock(db: Executor, sessionDayIds: readonly string[]): Promise<SessionStockLine[]> {
  if (sessionDayIds.length === 0) return [];
  const { rows } = await sql<{
    session_day_id: string;
    batch_id: string;
    batch_number: string;
    vaccine_code: string;
    manufacturer: string | null;
    expires_on: string | null;
    doses_per_vial: number | null;
    vials_issued: number | null;
    vials_opened: number | null;
    doses_wasted: number | null;
    doses_given: number | null;
  }>`
    with given as (
      select d.session_day_id, b.id as batch_id, count(*)::int as doses_given
      from dose d
      join vaccine_batch b on b.vaccine_code = d.vaccine_code and b.batch_number = upper(btrim(d.batch))
      where d.session_day_id = any(${sql.val(sessionDayIds)}::uuid[])
      group by 1, 2
    )
    select coalesce(s.session_day_id, g.session_day_id) as session_day_id, b.id as batch_id, b.batch_number,
           b.vaccine_code, b.manufacturer, b.expires_on, b.doses_per_vial, s.vials_issued, s.vials_opened,
           s.doses_wasted, g.doses_given
    from (select * from session_batch_stock where session_day_id = any(${sql.val(sessionDayIds)}::uuid[])) s
    full join given g on g.session_day_id = s.session_day_id and g.batch_id = s.batch_id
    join vaccine_batch b on b.id = coalesce(s.batch_id, g.batch_id)
    order by 1, b.expires_on nulls last, b.batch_number`.execute(db);
  return rows.map((r) => ({
    sessionDayId: r.session_day_id,
    batchId: r.batch_id,
    batchNumber: r.batch_number,
    vaccineCode: r.vaccine_code,
    manufacturer: r.manufacturer,
    expiresOn: r.expires_on,
    dosesPerVial: r.doses_per_vial,
    vialsIssued: r.vials_issued ?? 0,
    vialsOpened: r.vials_opened,
    dosesWasted: r.doses_wasted,
    dosesGiven: r.doses_given ?? 0,
  }));
}

/** Records the vials opened and doses wasted of each batch at a session day's close (a line per batch). */
export async function recordClosingStock(
  db: Executor,
  input: {
    sessionDayId: string;
    closedBy: string;
    lines: { batchId: string; vialsOpened: number; dosesWasted: number }[];
  },
): Promise<void> {
  for (const line of input.lines) {
    await db
      .insertInto('session_batch_stock')
      .values({
        session_day_id: input.sessionDayId,
        batch_id: line.batchId,
        vials_issued: 0,
        vials_opened: line.vialsOpened,
        doses_wasted: line.dosesWasted,
        closed_by: input.closedBy,
        closed_at: new Date(),
      })
      .onConflict((oc) =>
        oc.columns(['session_day_id', 'batch_id']).doUpdateSet({
          vials_opened: line.vialsOpened,
          doses_wasted: line.dosesWasted,
          closed_by: input.closedBy,
          closed_at: new Date(),
        }),
      )
      .execute();
  }
}

export interface PlannedSessionDay {
  sessionDayId: string;
  date: string;
  siteId: number;
  siteName: string;
  siteNameHi: string | null;
  vaccineCode: string;
  status: string;
  /** Seats booked (dose 1 and dose 2) and walk-in seats: the doses the day may need. */
  booked: number;
  walkinCapacity: number;
}

/** A district's session days of one date (dry runs' days left out), with what they are booked for. */
export async function readDistrictSessionDays(db: Db, districtId: number, date: string): Promise<PlannedSessionDay[]> {
  const rows = await db
    .selectFrom('session_day')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .select([
      'session_day.id',
      'session_day.date',
      'session_day.site_id',
      'site.name',
      'site.name_hi',
      'session_day.vaccine_code',
      'session_day.status',
      'session_day.dose1_booked',
      'session_day.dose2_booked',
      'session_day.walkin_capacity',
    ])
    .where('session_day.district_id', '=', districtId)
    .where('session_day.date', '=', date)
    .where('session_day.dry_run_id', 'is', null)
    .orderBy('site.name')
    .orderBy('session_day.opens_at')
    .execute();
  return rows.map((r) => ({
    sessionDayId: r.id,
    date: r.date,
    siteId: r.site_id,
    siteName: r.name,
    siteNameHi: r.name_hi,
    vaccineCode: r.vaccine_code,
    status: r.status,
    booked: r.dose1_booked + r.dose2_booked,
    walkinCapacity: r.walkin_capacity,
  }));
}

/** A session day's vaccine, date, district and status, for issuing stock and closing. */
export async function readSessionDayForStock(
  db: Executor,
  sessionDayId: string,
): Promise<{ vaccineCode: string; date: string; status: string } | undefined> {
  const row = await db
    .selectFrom('session_day')
    .select(['vaccine_code', 'date', 'status'])
    .where('id', '=', sessionDayId)
    .executeTakeFirst();
  return row && { vaccineCode: row.vaccine_code, date: row.date, status: row.status };
}

/**
 * A batch a session day's doses may name: one issued to it, else any registered batch of its vaccine, good on its
 * date; the earliest to expire first. Undefined when there is none.
 */
export async function usableBatchFor(db: Executor, sessionDayId: string): Promise<string | undefined> {
  const { rows } = await sql<{ batch_number: string }>`
    select b.batch_number
    from session_day d
    join vaccine_batch b on b.vaccine_code = d.vaccine_code and b.expires_on >= d.date
    left join session_batch_stock s on s.session_day_id = d.id and s.batch_id = b.id and s.vials_issued > 0
    where d.id = ${sessionDayId}
    order by (s.batch_id is null), b.expires_on, b.batch_number
    limit 1`.execute(db);
  return rows[0]?.batch_number;
}
