/**
 * Vaccine batches and session stock: the registry (state officers and national admins register and complete
 * batches), the vials issued to a session day (district officers), the vials opened and open-vial wastage at close,
 * and the check every dose passes (a known batch of the session's vaccine, unexpired on the day it was given).
 *
 * The check costs no database round trip on the record-day path: each API process keeps the registry
 * (`BatchRegistryCache`) while its LISTEN connection hears every change to it (`teeka_batches`, announced by the
 * table on commit: migration 2026-12-09T0430_vaccine_batches). A number the kept registry lacks for the session's
 * vaccine is read afresh (a batch registered a moment ago, or a refusal), and nothing is kept from a read during
 * which a change was heard. Like the access answers (api/auth/access-cache.ts), a dose request has waited for the
 * listener to hear every change committed before it began (its session-access check), so an expiry corrected or a
 * batch completed applies to the next dose on every process.
 */
import type { Db } from '../../db/connection.js';
import type { RefusalCode } from '../../domain/refusals.js';
import { writeAudit } from '../../db/repositories/audit.js';
import {
  findBatch,
  insertBatch,
  listBatches,
  readAllBatchFacts,
  readBatchFactsNumbered,
  readDistrictSessionDays,
  readSessionDayForStock,
  readSessionStock,
  recordClosingStock,
  setIssuedStock,
  updateBatch,
  vaccineExists,
  type BatchRow,
  type SessionStockLine,
} from '../../db/repositories/vaccine-batches.js';
import { refuse } from '../../domain/errors.js';
import { addDays, indiaDate, indiaInstant } from '../../domain/time.js';
import {
  BatchRefusal,
  canonicalBatchNumber,
  decideBatch,
  openVialWastage,
  type BatchFacts,
} from '../../domain/vaccine-batches.js';
import type { StaffPrincipal } from '../plugins/auth.js';
import { settleSessionStock, storeShortfall } from './site-stores.js';
import { staffActor } from './staff-actor.js';

/** The registry as one API process keeps it, by batch number. */
export class BatchRegistryCache {
  private kept: { byNumber: Map<string, BatchFacts[]>; keptAt: number } | undefined;
  private loading: Promise<Map<string, BatchFacts[]> | undefined> | undefined;
  private epoch = 0;
  private listening: () => boolean = () => false;

  constructor(
    private readonly db: Db,
    private readonly maxAgeMs = 300_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keep the registry while `listening` says changes are heard (the API's live listener); until then, read. */
  attach(listening: () => boolean): void {
    this.listening = listening;
  }

  /** A change was heard, or the listener was lost or is back: forget the kept registry. */
  changed(): void {
    this.epoch++;
    this.kept = undefined;
  }

  /** The registered batches of a number (canonical form); read afresh unless the kept registry has `vaccineCode`'s. */
  async numbered(batchNumber: string, vaccineCode: string): Promise<BatchFacts[]> {
    const byNumber = await this.registry();
    const kept = byNumber?.get(batchNumber);
    if (kept?.some((b) => b.vaccineCode === vaccineCode)) return kept;
    return readBatchFactsNumbered(this.db, batchNumber);
  }

  private async registry(): Promise<Map<string, BatchFacts[]> | undefined> {
    if (!this.listening()) return undefined;
    if (this.kept && this.now() - this.kept.keptAt < this.maxAgeMs) return this.kept.byNumber;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<Map<string, BatchFacts[]> | undefined> {
    const epoch = this.epoch;
    const byNumber = new Map<string, BatchFacts[]>();
    for (const batch of await readAllBatchFacts(this.db)) {
      const list = byNumber.get(batch.batchNumber);
      if (list) list.push(batch);
      else byNumber.set(batch.batchNumber, [batch]);
    }
    // A change heard while reading may be missing from what was read: use it once, keep nothing.
    if (epoch === this.epoch && this.listening()) this.kept = { byNumber, keptAt: this.now() };
    return byNumber;
  }
}

const caches = new WeakMap<Db, BatchRegistryCache>();

/** The registry cache of a database (one per process and pool). */
export function batchRegistryOf(db: Db): BatchRegistryCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new BatchRegistryCache(db)));
  return cache;
}

/**
 * The batch a dose names, if it may: a registered batch of the session's vaccine, unexpired on the day the dose was
 * given. Throws the refusal otherwise. Answers the batch with its number in registry form.
 */
export async function batchForDose(
  db: Db,
  dose: { batch: string; vaccineCode: string; at: Date },
): Promise<BatchFacts> {
  const number = canonicalBatchNumber(dose.batch);
  const decision = decideBatch(number, await batchRegistryOf(db).numbered(number, dose.vaccineCode), dose);
  if (!decision.ok) return refuse(decision.code, decision.message);
  return decision.batch;
}

// ── the registry ───────────────────────────────────────────────────────────────────────────────────────

export type BatchView = BatchRow;

export function batchesRegistered(db: Db, filter: { vaccineCode?: string }): Promise<BatchView[]> {
  return listBatches(db, filter);
}

export async function registerBatch(
  db: Db,
  staff: StaffPrincipal,
  input: { vaccineCode: string; batchNumber: string; manufacturer: string; expiresOn: string; dosesPerVial: number },
): Promise<BatchView> {
  const batchNumber = canonicalBatchNumber(input.batchNumber);
  const manufacturer = input.manufacturer.trim();
  return db.transaction().execute(async (trx) => {
    if (!(await vaccineExists(trx, input.vaccineCode)))
      return refuse(BatchRefusal.BATCH_NOT_FOUND, `there is no vaccine ${input.vaccineCode}`);
    const batch = await insertBatch(trx, { ...input, batchNumber, manufacturer, createdBy: staff.staffId });
    if (!batch)
      return refuse(
        BatchRefusal.BATCH_ALREADY_REGISTERED,
        `${input.vaccineCode} already has a batch ${batchNumber} in the registry; correct that one instead`,
      );
    await writeAudit(trx, {
      actor: staffActor(staff),
      action: 'BATCH_REGISTERED',
      entityType: 'vaccine_batch',
      entityId: batch.id,
      details: {
        vaccineCode: batch.vaccineCode,
        batchNumber,
        manufacturer,
        expiresOn: input.expiresOn,
        dosesPerVial: input.dosesPerVial,
      },
    });
    return batch;
  });
}

export async function correctBatch(
  db: Db,
  staff: StaffPrincipal,
  id: string,
  patch: { manufacturer?: string; expiresOn?: string; dosesPerVial?: number },
): Promise<BatchView> {
  const trimmed = { ...patch, manufacturer: patch.manufacturer?.trim() };
  return db.transaction().execute(async (trx) => {
    const before = await findBatch(trx, id);
    if (!before) return refuse(BatchRefusal.BATCH_NOT_FOUND, 'no such batch in the registry');
    const after = await updateBatch(trx, id, trimmed);
    if (!after) return refuse(BatchRefusal.BATCH_NOT_FOUND, 'no such batch in the registry');
    await writeAudit(trx, {
      actor: staffActor(staff),
      action: 'BATCH_CORRECTED',
      entityType: 'vaccine_batch',
      entityId: id,
      details: {
        vaccineCode: after.vaccineCode,
        batchNumber: after.batchNumber,
        before: { manufacturer: before.manufacturer, expiresOn: before.expiresOn, dosesPerVial: before.dosesPerVial },
        after: { manufacturer: after.manufacturer, expiresOn: after.expiresOn, dosesPerVial: after.dosesPerVial },
      },
    });
    return after;
  });
}

// ── a session day's stock ──────────────────────────────────────────────────────────────────────────────

export type StockLine = SessionStockLine;

export function sessionStock(db: Db, sessionDayId: string): Promise<StockLine[]> {
  return readSessionStock(db, [sessionDayId]);
}

/** Sets the vials of a batch issued to a session day: a batch of its vaccine, unexpired on its date. */
export async function issueStock(
  db: Db,
  staff: StaffPrincipal,
  input: { sessionDayId: string; batchId: string; vialsIssued: number },
): Promise<StockLine[]> {
  await db.transaction().execute(async (trx) => {
    const day = await readSessionDayForStock(trx, input.sessionDayId);
    if (!day) return refuse('SESSION_NOT_FOUND', 'session day not found');
    const batch = await findBatch(trx, input.batchId);
    if (!batch) return refuse(BatchRefusal.BATCH_NOT_FOUND, 'no such batch in the registry');
    const decision = decideBatch(batch.batchNumber, [batch], {
      vaccineCode: day.vaccineCode,
      // Good through the session's date.
      at: indiaInstant(day.date, '12:00'),
    });
    if (!decision.ok) return refuse(decision.code, decision.message);
    const { previous } = await setIssuedStock(trx, { ...input, issuedBy: staff.staffId });
    // The vials come from the session day's site store (or go back to it), or the issue is refused.
    await settleSessionStock(trx, staffActor(staff), input.sessionDayId, batch.id);
    await writeAudit(trx, {
      actor: staffActor(staff),
      action: 'STOCK_ISSUED',
      entityType: 'session_day',
      entityId: input.sessionDayId,
      details: { batchId: batch.id, batchNumber: batch.batchNumber, vialsIssued: input.vialsIssued, previous },
    });
  });
  return sessionStock(db, input.sessionDayId);
}

/** What is wrong with one batch's line of a close, for the screen to show beside that batch. */
export interface ClosingProblem {
  batchId: string;
  batchNumber: string | null;
  code: RefusalCode;
  message: string;
}

/**
 * The open vials of each batch at close: checked against the doses given (the vials opened must hold them) and
 * turned into open-vial wastage per batch. Answers the lines to record and the day's total wastage. Every line is
 * checked before anything is refused, and the refusal lists each batch's problem (`details.batches`), so a close
 * of three batches with two miscounted says so of both.
 */
export async function closingStock(
  db: Db,
  sessionDayId: string,
  vials: { batchId: string; vialsOpened: number }[],
): Promise<{ lines: { batchId: string; vialsOpened: number; dosesWasted: number }[]; wastage: number }> {
  const stock = new Map((await sessionStock(db, sessionDayId)).map((line) => [line.batchId, line]));
  const seen = new Set<string>();
  const problems: ClosingProblem[] = [];
  const lines: { batchId: string; vialsOpened: number; dosesWasted: number }[] = [];
  for (const { batchId, vialsOpened } of vials) {
    const line = stock.get(batchId);
    const problem = (code: RefusalCode, message: string) =>
      problems.push({ batchId, batchNumber: line?.batchNumber ?? null, code, message });
    if (seen.has(batchId)) {
      problem(BatchRefusal.STOCK_NOT_ISSUED, 'a batch appears once in the close');
      continue;
    }
    seen.add(batchId);
    if (!line) {
      problem(BatchRefusal.STOCK_NOT_ISSUED, 'that batch was neither issued to this session day nor used at it');
      continue;
    }
    if (line.dosesPerVial === null) {
      problem(BatchRefusal.BATCH_INCOMPLETE, `batch ${line.batchNumber} has no vial size on record`);
      continue;
    }
    const dosesWasted = openVialWastage(vialsOpened, line.dosesPerVial, line.dosesGiven);
    if (dosesWasted < 0) {
      problem(
        BatchRefusal.VIALS_TOO_FEW,
        `${vialsOpened} vial(s) of batch ${line.batchNumber} hold ${vialsOpened * line.dosesPerVial} doses, but ${line.dosesGiven} were given from it; count the opened vials again`,
      );
      continue;
    }
    // A close counted again with more vials opened takes back from the store vials it had returned.
    const short = await storeShortfall(db, sessionDayId, batchId, {
      vialsIssued: line.vialsIssued,
      vialsOpened,
      closed: true,
    });
    if (short) {
      problem(short.code, short.message);
      continue;
    }
    lines.push({ batchId, vialsOpened, dosesWasted });
  }
  const first = problems[0];
  if (first)
    return refuse(first.code, problems.map((p) => p.message).join('; '), {
      batches: problems.map((p) => ({ ...p })),
    });
  return { lines, wastage: lines.reduce((sum, l) => sum + l.dosesWasted, 0) };
}

/** Records the closing figures (after the session day has taken its close), audited. */
export async function recordClosing(
  db: Db,
  by: { staffId: string; role: string },
  sessionDayId: string,
  lines: { batchId: string; vialsOpened: number; dosesWasted: number }[],
): Promise<void> {
  if (lines.length === 0) return;
  const actor = { type: 'STAFF' as const, id: by.staffId, role: by.role };
  await db.transaction().execute(async (trx) => {
    await recordClosingStock(trx, { sessionDayId, closedBy: by.staffId, lines });
    // The unopened vials go back to the site's store.
    for (const line of lines) await settleSessionStock(trx, actor, sessionDayId, line.batchId);
    await writeAudit(trx, {
      actor,
      action: 'STOCK_CLOSED',
      entityType: 'session_day',
      entityId: sessionDayId,
      details: { lines },
    });
  });
}

export interface SessionStockPlan {
  sessionDayId: string;
  date: string;
  siteId: number;
  siteName: string;
  siteNameHi: string | null;
  vaccineCode: string;
  status: string;
  booked: number;
  walkinCapacity: number;
  /** Doses in the vials issued of batches still good on the day. */
  dosesIssued: number;
  /** Doses the bookings need beyond those issued (0 when covered). */
  shortBy: number;
  batches: StockLine[];
}

/** A district's session days of tomorrow (India date) with their bookings and the stock issued to them. */
export async function stockForTomorrow(
  db: Db,
  districtId: number,
  now = new Date(),
): Promise<{ date: string; sessions: SessionStockPlan[] }> {
  const date = addDays(indiaDate(now), 1);
  const days = await readDistrictSessionDays(db, districtId, date);
  const stock = await readSessionStock(
    db,
    days.map((d) => d.sessionDayId),
  );
  return {
    date,
    sessions: days.map((day) => {
      const batches = stock.filter((s) => s.sessionDayId === day.sessionDayId);
      const dosesIssued = batches
        .filter((b) => b.vaccineCode === day.vaccineCode && b.expiresOn !== null && b.expiresOn >= date)
        .reduce((sum, b) => sum + b.vialsIssued * (b.dosesPerVial ?? 0), 0);
      return { ...day, dosesIssued, shortBy: Math.max(0, day.booked - dosesIssued), batches };
    }),
  };
}
