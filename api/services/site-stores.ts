/**
 * Sites' stores of vaccine: officers of a site's district (and above it) record vials received from the district
 * and vials discarded, and read the site's stock by batch and its ledger. Vials reach a session day only from its
 * site's store: `settleSessionStock` is the one rule every path that changes a day's vials of a batch goes through
 * (issuing them, closing with the vials opened counted), so the store gives what a day newly holds and takes back
 * what it no longer does, and refuses a day more vials than the store has. Every movement is audited with it.
 *
 * Receipts and discards carry the client event id they were sent with: a replay answers the movement recorded
 * the first time (and a different request under the same id is refused), so nothing is recorded twice.
 */
import type { Db } from '../../db/connection.js';
import type { RefusalCode } from '../../domain/refusals.js';
import { writeAudit, type Actor, type Executor } from '../../db/repositories/audit.js';
import {
  findMovement,
  findMovementByClientEvent,
  lockClientEvent,
  lockSessionBatchLine,
  moveStoreStock,
  readDistrictSites,
  readLedger,
  readSite,
  readStoreLines,
  storeVials,
  vialsDrawnBySession,
  type StoreLine,
  type StoreMovement,
  type StoreSite,
} from '../../db/repositories/site-stores.js';
import { findBatch } from '../../db/repositories/vaccine-batches.js';
import { refuse } from '../../domain/errors.js';
import {
  expiryState,
  StoreRefusal,
  vialsHeldBySession,
  type DiscardReason,
  type ExpiryState,
  type StoreMovementKind,
} from '../../domain/site-store.js';
import { indiaDate } from '../../domain/time.js';
import { BatchRefusal } from '../../domain/vaccine-batches.js';

export type { StoreMovement, StoreSite };

const AUDIT_ACTION: Record<StoreMovementKind, string> = {
  RECEIVED: 'STORE_RECEIVED',
  ISSUED: 'STORE_ISSUED',
  RETURNED: 'STORE_RETURNED',
  DISCARDED: 'STORE_DISCARDED',
  CARRIED_OVER: 'STORE_CARRIED_OVER',
};

/** A movement with its audit row, in the caller's transaction; undefined when the store has too few vials. */
async function move(
  trx: Executor,
  actor: Actor,
  input: Parameters<typeof moveStoreStock>[1] & { batchNumber: string },
): Promise<{ id: string; balance: number } | undefined> {
  const { batchNumber, ...movement } = input;
  const moved = await moveStoreStock(trx, movement);
  if (!moved) return undefined;
  await writeAudit(trx, {
    actor,
    action: AUDIT_ACTION[input.kind],
    entityType: 'site',
    entityId: String(input.siteId),
    details: {
      movementId: moved.id,
      batchId: input.batchId,
      batchNumber,
      vials: input.change,
      balance: moved.balance,
      ...(input.sessionDayId ? { sessionDayId: input.sessionDayId } : {}),
      ...(input.deliveryNote ? { deliveryNote: input.deliveryNote } : {}),
      ...(input.discardReason ? { discardReason: input.discardReason } : {}),
      ...(input.note ? { note: input.note } : {}),
    },
  });
  return moved;
}

const tooFew = (batchNumber: string, wanted: number, held: number, batchId: string) =>
  refuse(
    StoreRefusal.STORE_TOO_FEW,
    `the site's store holds ${held} vial(s) of batch ${batchNumber}, not the ${wanted} needed; record the vials received from the district first`,
    { batches: [{ batchId, batchNumber, code: StoreRefusal.STORE_TOO_FEW, wanted, held }] },
  );

/**
 * Brings a session day's vials of a batch drawn from its site's store in line with what the day holds now (its
 * issued vials, less the unopened ones once closed with its vials counted): the store issues the difference or
 * takes it back. Call it in the transaction that changed the day's stock, after the change.
 */
export async function settleSessionStock(
  trx: Executor,
  actor: Actor,
  sessionDayId: string,
  batchId: string,
): Promise<void> {
  const line = await lockSessionBatchLine(trx, sessionDayId, batchId);
  if (!line) return;
  const change = (await vialsDrawnBySession(trx, sessionDayId, batchId)) - vialsHeldBySession(line);
  if (change === 0) return;
  const moved = await move(trx, actor, {
    siteId: line.siteId,
    batchId,
    batchNumber: line.batchNumber,
    kind: change < 0 ? 'ISSUED' : 'RETURNED',
    change,
    sessionDayId,
    recordedBy: actor.id ?? null,
  });
  if (!moved) tooFew(line.batchNumber, -change, await storeVials(trx, line.siteId, batchId), batchId);
}

/**
 * What a session day's site store lacks to give a change of the day's stock of a batch (before it is made):
 * undefined when the store covers it.
 */
export async function storeShortfall(
  db: Executor,
  sessionDayId: string,
  batchId: string,
  after: { vialsIssued: number; vialsOpened: number | null; closed: boolean },
): Promise<{ code: RefusalCode; message: string } | undefined> {
  const line = await lockSessionBatchLine(db, sessionDayId, batchId);
  if (!line) return undefined;
  const wanted = vialsHeldBySession(after) - (await vialsDrawnBySession(db, sessionDayId, batchId));
  if (wanted <= 0) return undefined;
  const held = await storeVials(db, line.siteId, batchId);
  if (held >= wanted) return undefined;
  return {
    code: StoreRefusal.STORE_TOO_FEW,
    message: `the site's store holds ${held} vial(s) of batch ${line.batchNumber}, not the ${wanted} the day would take back from it`,
  };
}

// ── receipts and discards ────────────────────────────────────────────────────────────────────────────────

export interface StoreStaff {
  staffId: string;
  role: string;
}

const actorOf = (staff: StoreStaff): Actor => ({ type: 'STAFF', id: staff.staffId, role: staff.role });

/** A receipt or discard as asked: the same again under its client event id is a replay. */
function sameRequest(
  recorded: StoreMovement,
  asked: { siteId: number; batchId: string; kind: StoreMovementKind; change: number },
): boolean {
  return (
    recorded.siteId === asked.siteId &&
    recorded.batchId === asked.batchId &&
    recorded.kind === asked.kind &&
    recorded.vials === asked.change
  );
}

async function recordOnce(
  db: Db,
  staff: StoreStaff,
  input: {
    siteId: number;
    batchId: string;
    kind: 'RECEIVED' | 'DISCARDED';
    change: number;
    clientEventId: string;
    deliveryNote?: string;
    discardReason?: DiscardReason;
    note?: string;
  },
  check: (batch: NonNullable<Awaited<ReturnType<typeof findBatch>>>) => void,
): Promise<{ movement: StoreMovement; duplicate: boolean }> {
  return db.transaction().execute(async (trx) => {
    await lockClientEvent(trx, input.clientEventId);
    const earlier = await findMovementByClientEvent(trx, input.clientEventId);
    if (earlier) {
      if (!sameRequest(earlier, input))
        return refuse(
          StoreRefusal.CLIENT_EVENT_REUSED,
          'that clientEventId was already used for another store movement; send a new one',
        );
      return { movement: earlier, duplicate: true };
    }
    const batch = await findBatch(trx, input.batchId);
    if (!batch) return refuse(BatchRefusal.BATCH_NOT_FOUND, 'no such batch in the registry');
    check(batch);
    const moved = await move(trx, actorOf(staff), {
      ...input,
      batchNumber: batch.batchNumber,
      recordedBy: staff.staffId,
    });
    if (!moved)
      return tooFew(batch.batchNumber, -input.change, await storeVials(trx, input.siteId, batch.id), batch.id);
    return { movement: (await findMovement(trx, moved.id))!, duplicate: false };
  });
}

/** Vials of a batch received into a site's store from the district, with the delivery note's reference. */
export function receiveStock(
  db: Db,
  staff: StoreStaff,
  input: { siteId: number; batchId: string; vials: number; deliveryNote: string; clientEventId: string },
  today = indiaDate(),
): Promise<{ movement: StoreMovement; duplicate: boolean }> {
  return recordOnce(
    db,
    staff,
    {
      siteId: input.siteId,
      batchId: input.batchId,
      kind: 'RECEIVED',
      change: input.vials,
      clientEventId: input.clientEventId,
      deliveryNote: input.deliveryNote.trim(),
    },
    (batch) => {
      if (batch.expiresOn === null || batch.dosesPerVial === null)
        refuse(
          BatchRefusal.BATCH_INCOMPLETE,
          `batch ${batch.batchNumber} has no expiry date or vial size on record; complete it in the batch registry first`,
        );
      else if (batch.expiresOn < today)
        refuse(
          BatchRefusal.BATCH_EXPIRED,
          `batch ${batch.batchNumber} expired on ${batch.expiresOn}; an expired batch is not received into a store`,
        );
    },
  );
}

/** Vials of a batch taken out of a site's store and destroyed: expired, damaged, or the cold chain broken. */
export async function discardStock(
  db: Db,
  staff: StoreStaff,
  input: {
    siteId: number;
    batchId: string;
    vials: number;
    reason: DiscardReason;
    note?: string;
    clientEventId: string;
  },
): Promise<{ movement: StoreMovement; duplicate: boolean }> {
  const note = input.note?.trim() || undefined;
  if (input.reason === 'OTHER' && !note)
    refuse(StoreRefusal.DISCARD_NOTE_REQUIRED, 'a discard for another reason says what it was in the note');
  return recordOnce(
    db,
    staff,
    {
      siteId: input.siteId,
      batchId: input.batchId,
      kind: 'DISCARDED',
      change: -input.vials,
      clientEventId: input.clientEventId,
      discardReason: input.reason,
      note,
    },
    () => undefined,
  );
}

// ── reading a store ──────────────────────────────────────────────────────────────────────────────────────

export interface StoreBatch extends StoreLine {
  expiry: ExpiryState;
}

const withExpiry = <T extends StoreLine>(line: T, today: string): T & { expiry: ExpiryState } => ({
  ...line,
  expiry: expiryState(line.expiresOn, today),
});

export async function findStoreSite(db: Db, siteId: number): Promise<StoreSite> {
  const site = await readSite(db, siteId);
  return site ?? refuse(StoreRefusal.SITE_NOT_FOUND, 'no such site');
}

/** A site's stock by batch (with each batch's expiry state) and its ledger, newest first. */
export async function siteStore(
  db: Db,
  site: StoreSite,
  filter: { batchId?: string; limit?: number },
  today = indiaDate(),
): Promise<{ site: StoreSite; today: string; batches: StoreBatch[]; ledger: StoreMovement[] }> {
  const [lines, ledger] = await Promise.all([
    readStoreLines(db, [site.id]),
    readLedger(db, site.id, { batchId: filter.batchId, limit: filter.limit ?? 200 }),
  ]);
  return {
    site,
    today,
    batches: lines.map(({ siteId: _siteId, ...line }) => withExpiry(line, today)),
    ledger,
  };
}

/** Every site of a district with the vials in its store, and the batches held that expire within the warning days. */
export async function districtStores(
  db: Db,
  districtId: number,
  today = indiaDate(),
): Promise<{
  today: string;
  sites: (StoreSite & { batches: StoreBatch[] })[];
  expiring: (StoreBatch & { siteId: number; siteName: string; siteNameHi: string | null })[];
}> {
  const sites = await readDistrictSites(db, districtId);
  const lines = await readStoreLines(
    db,
    sites.map((s) => s.id),
  );
  const bySite = sites.map((site) => ({
    ...site,
    batches: lines
      .filter((l) => l.siteId === site.id && l.vials > 0)
      .map(({ siteId: _siteId, ...line }) => withExpiry(line, today)),
  }));
  const expiring = bySite.flatMap((site) =>
    site.batches
      .filter((b) => b.expiry === 'EXPIRING' || b.expiry === 'EXPIRED')
      .map((b) => ({ ...b, siteId: site.id, siteName: site.name, siteNameHi: site.nameHi })),
  );
  expiring.sort((a, b) => (a.expiresOn ?? '').localeCompare(b.expiresOn ?? '') || a.siteName.localeCompare(b.siteName));
  return { today, sites: bySite, expiring };
}
