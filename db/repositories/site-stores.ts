/** Sites' stores of vaccine and their ledger (migration 2026-12-10T0400_site_stores). SQL only. */
import { sql } from 'kysely';
import { vialsBackOnCancel, type DiscardReason, type StoreMovementKind } from '../../domain/site-store.js';
import { writeAudit, type Actor, type Executor } from './audit.js';

export interface StoreMovement {
  id: string;
  siteId: number;
  batchId: string;
  batchNumber: string;
  vaccineCode: string;
  kind: StoreMovementKind;
  /** Into the store positive, out of it negative. */
  vials: number;
  /** The store's vials of the batch after this movement. */
  balance: number;
  sessionDayId: string | null;
  sessionDate: string | null;
  deliveryNote: string | null;
  discardReason: DiscardReason | null;
  note: string | null;
  clientEventId: string | null;
  recordedBy: string | null;
  recordedByName: string | null;
  recordedAt: string;
}

export interface StoreLine {
  batchId: string;
  batchNumber: string;
  vaccineCode: string;
  manufacturer: string | null;
  expiresOn: string | null;
  dosesPerVial: number | null;
  vials: number;
}

export interface StoreSite {
  id: number;
  name: string;
  nameHi: string | null;
  districtId: number;
}

export async function readSite(db: Executor, siteId: number): Promise<StoreSite | undefined> {
  const row = await db
    .selectFrom('site')
    .select(['id', 'name', 'name_hi', 'district_id'])
    .where('id', '=', siteId)
    .executeTakeFirst();
  return row && { id: row.id, name: row.name, nameHi: row.name_hi, districtId: row.district_id };
}

/** A session day's site, and its line of a batch's stock (locked: the day's store movements of it go one by one). */
export async function lockSessionBatchLine(
  db: Executor,
  sessionDayId: string,
  batchId: string,
): Promise<
  { siteId: number; batchNumber: string; vialsIssued: number; vialsOpened: number | null; closed: boolean } | undefined
> {
  const day = await db.selectFrom('session_day').select('site_id').where('id', '=', sessionDayId).executeTakeFirst();
  const batch = await db
    .selectFrom('vaccine_batch')
    .select('batch_number')
    .where('id', '=', batchId)
    .executeTakeFirst();
  if (!day || !batch) return undefined;
  const line = await db
    .selectFrom('session_batch_stock')
    .select(['vials_issued', 'vials_opened', 'closed_at'])
    .where('session_day_id', '=', sessionDayId)
    .where('batch_id', '=', batchId)
    .forUpdate()
    .executeTakeFirst();
  return {
    siteId: day.site_id,
    batchNumber: batch.batch_number,
    vialsIssued: line?.vials_issued ?? 0,
    vialsOpened: line?.vials_opened ?? null,
    closed: line?.closed_at != null,
  };
}

/** The vials of a batch a session day has drawn from its site's store (issued less returned). */
export async function vialsDrawnBySession(db: Executor, sessionDayId: string, batchId: string): Promise<number> {
  const { rows } = await sql<{ drawn: number }>`
    select coalesce(-sum(vials), 0)::int as drawn from site_stock_movement
    where session_day_id = ${sessionDayId} and batch_id = ${batchId} and kind in ('ISSUED', 'RETURNED')`.execute(db);
  return rows[0]?.drawn ?? 0;
}

/** Serialises the requests carrying one client event id, so a replay waits for the first and then finds it. */
export async function lockClientEvent(db: Executor, clientEventId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('site-store:' || ${clientEventId}))`.execute(db);
}

/**
 * One movement of a batch in a site's store, and the store's vials after it: a movement out (`change` < 0) only
 * if the store holds that many, else undefined and nothing is written.
 */
export async function moveStoreStock(
  db: Executor,
  move: {
    siteId: number;
    batchId: string;
    kind: StoreMovementKind;
    change: number;
    sessionDayId?: string;
    deliveryNote?: string;
    discardReason?: DiscardReason;
    note?: string;
    clientEventId?: string;
    recordedBy: string | null;
  },
): Promise<{ id: string; balance: number } | undefined> {
  const stored =
    move.change > 0
      ? await db
          .insertInto('site_batch_store')
          .values({ site_id: move.siteId, batch_id: move.batchId, vials: move.change })
          .onConflict((oc) =>
            oc.columns(['site_id', 'batch_id']).doUpdateSet({
              vials: sql<number>`site_batch_store.vials + excluded.vials`,
              updated_at: new Date(),
            }),
          )
          .returning('vials')
          .executeTakeFirst()
      : await db
          .updateTable('site_batch_store')
          .set({ vials: sql<number>`vials + ${move.change}`, updated_at: new Date() })
          .where('site_id', '=', move.siteId)
          .where('batch_id', '=', move.batchId)
          .where(sql<boolean>`vials + ${move.change} >= 0`)
          .returning('vials')
          .executeTakeFirst();
  if (!stored) return undefined;
  const row = await db
    .insertInto('site_stock_movement')
    .values({
      site_id: move.siteId,
      batch_id: move.batchId,
      kind: move.kind,
      vials: move.change,
      balance: stored.vials,
      session_day_id: move.sessionDayId ?? null,
      delivery_note: move.deliveryNote ?? null,
      discard_reason: move.discardReason ?? null,
      note: move.note ?? null,
      client_event_id: move.clientEventId ?? null,
      recorded_by: move.recordedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, balance: stored.vials };
}

/** The store's vials of a batch now (0 for one it never held). */
export async function storeVials(db: Executor, siteId: number, batchId: string): Promise<number> {
  const row = await db
    .selectFrom('site_batch_store')
    .select('vials')
    .where('site_id', '=', siteId)
    .where('batch_id', '=', batchId)
    .executeTakeFirst();
  return row?.vials ?? 0;
}

function movementQuery(db: Executor) {
  return db
    .selectFrom('site_stock_movement as m')
    .innerJoin('vaccine_batch as b', 'b.id', 'm.batch_id')
    .leftJoin('session_day as d', 'd.id', 'm.session_day_id')
    .leftJoin('staff_user as s', 's.id', 'm.recorded_by')
    .select([
      'm.id',
      'm.site_id',
      'm.batch_id',
      'b.batch_number',
      'b.vaccine_code',
      'm.kind',
      'm.vials',
      'm.balance',
      'm.session_day_id',
      'd.date as session_date',
      'm.delivery_note',
      'm.discard_reason',
      'm.note',
      'm.client_event_id',
      'm.recorded_by',
      's.name as recorded_by_name',
      'm.recorded_at',
    ]);
}

type MovementRow = Awaited<ReturnType<ReturnType<typeof movementQuery>['executeTakeFirstOrThrow']>>;

const toMovement = (r: MovementRow): StoreMovement => ({
  id: r.id,
  siteId: r.site_id,
  batchId: r.batch_id,
  batchNumber: r.batch_number,
  vaccineCode: r.vaccine_code,
  kind: r.kind,
  vials: r.vials,
  balance: r.balance,
  sessionDayId: r.session_day_id,
  sessionDate: r.session_date,
  deliveryNote: r.delivery_note,
  discardReason: r.discard_reason,
  note: r.note,
  clientEventId: r.client_event_id,
  recordedBy: r.recorded_by,
  recordedByName: r.recorded_by_name,
  recordedAt: r.recorded_at.toISOString(),
});

export async function findMovement(db: Executor, id: string): Promise<StoreMovement | undefined> {
  const row = await movementQuery(db).where('m.id', '=', id).executeTakeFirst();
  return row && toMovement(row);
}

export async function findMovementByClientEvent(
  db: Executor,
  clientEventId: string,
): Promise<StoreMovement | undefined> {
  const row = await movementQuery(db).where('m.client_event_id', '=', clientEventId).executeTakeFirst();
  return row && toMovement(row);
}

/** A site's ledger, newest first (of one batch, if asked). */
export async function readLedger(
  db: Executor,
  siteId: number,
  filter: { batchId?: string; limit: number },
): Promise<StoreMovement[]> {
  let query = movementQuery(db).where('m.site_id', '=', siteId);
  if (filter.batchId) query = query.where('m.batch_id', '=', filter.batchId);
  const rows = await query.orderBy('m.seq', 'desc').limit(filter.limit).execute();
  return rows.map(toMovement);
}

/** The batches in the stores of the sites asked for (every batch a store ever held, 0 vials too). */
export async function readStoreLines(
  db: Executor,
  siteIds: readonly number[],
): Promise<(StoreLine & { siteId: number })[]> {
  if (siteIds.length === 0) return [];
  const rows = await db
    .selectFrom('site_batch_store as s')
    .innerJoin('vaccine_batch as b', 'b.id', 's.batch_id')
    .select([
      's.site_id',
      's.batch_id',
      's.vials',
      'b.batch_number',
      'b.vaccine_code',
      'b.manufacturer',
      'b.expires_on',
      'b.doses_per_vial',
    ])
    .where('s.site_id', 'in', siteIds)
    .orderBy('s.site_id')
    .orderBy('b.expires_on', (o) => o.asc().nullsLast())
    .orderBy('b.batch_number')
    .execute();
  return rows.map((r) => ({
    siteId: r.site_id,
    batchId: r.batch_id,
    batchNumber: r.batch_number,
    vaccineCode: r.vaccine_code,
    manufacturer: r.manufacturer,
    expiresOn: r.expires_on,
    dosesPerVial: r.doses_per_vial,
    vials: r.vials,
  }));
}

/** A district's sites, by name. */
export async function readDistrictSites(db: Executor, districtId: number): Promise<StoreSite[]> {
  const rows = await db
    .selectFrom('site')
    .select(['id', 'name', 'name_hi', 'district_id'])
    .where('district_id', '=', districtId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, nameHi: r.name_hi, districtId: r.district_id }));
}

/**
 * A cancelled session day's unopened vials back to its site's store, in the cancellation's transaction: each batch
 * line the day drew from its store, with the doses given from it, is judged by `vialsBackOnCancel`
 * (domain/site-store.ts); what goes back is a RETURNED movement of the ledger with its audit row (STORE_RETURNED),
 * and the day no longer holds those vials. Answers the vials returned per batch.
 */
export async function returnCancelledSessionStock(
  db: Executor,
  sessionDayId: string,
  actor: Actor,
): Promise<Array<{ batchId: string; batchNumber: string; vials: number }>> {
  const lines = await db
    .selectFrom('session_batch_stock')
    .innerJoin('vaccine_batch', 'vaccine_batch.id', 'session_batch_stock.batch_id')
    .innerJoin('session_day', 'session_day.id', 'session_batch_stock.session_day_id')
    .select([
      'session_batch_stock.batch_id',
      'session_batch_stock.vials_issued',
      'vaccine_batch.batch_number',
      'session_day.site_id',
      (eb) =>
        eb
          .selectFrom('dose')
          .select((d) => d.fn.countAll<string>().as('n'))
          .whereRef('dose.session_day_id', '=', 'session_batch_stock.session_day_id')
          .whereRef('dose.batch', '=', 'vaccine_batch.batch_number')
          .as('doses_given'),
    ])
    .where('session_batch_stock.session_day_id', '=', sessionDayId)
    .forUpdate('session_batch_stock')
    .execute();
  const returned: Array<{ batchId: string; batchNumber: string; vials: number }> = [];
  for (const line of lines) {
    const drawn = await vialsDrawnBySession(db, sessionDayId, line.batch_id);
    const vials = Math.min(
      vialsBackOnCancel({ vialsHeld: line.vials_issued, dosesGiven: Number(line.doses_given ?? 0) }),
      drawn,
    );
    if (vials <= 0) continue;
    const moved = await moveStoreStock(db, {
      siteId: line.site_id,
      batchId: line.batch_id,
      kind: 'RETURNED',
      change: vials,
      sessionDayId,
      note: 'session day cancelled',
      recordedBy: actor.type === 'STAFF' ? (actor.id ?? null) : null,
    });
    await db
      .updateTable('session_batch_stock')
      .set({ vials_issued: line.vials_issued - vials })
      .where('session_day_id', '=', sessionDayId)
      .where('batch_id', '=', line.batch_id)
      .execute();
    await writeAudit(db, {
      actor,
      action: 'STORE_RETURNED',
      entityType: 'site',
      entityId: String(line.site_id),
      details: {
        movementId: moved!.id,
        batchId: line.batch_id,
        batchNumber: line.batch_number,
        vials,
        balance: moved!.balance,
        sessionDayId,
        note: 'session day cancelled',
      },
    });
    returned.push({ batchId: line.batch_id, batchNumber: line.batch_number, vials });
  }
  return returned;
}
