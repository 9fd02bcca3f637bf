/**
 * The vaccinator desk's offline queue (doses, AEFI reports, walk-ins), as pure functions: what a captured record
 * looks like, which records go in the next sync batch, and what each per-item answer of POST /api/v1/desk/sync
 * does to them. The Dexie store (offline/desk-store.ts) only persists what these functions return.
 *
 * Rules: a record gets its client event id when it is created, never later, so every resend is a replay the
 * server answers as a duplicate; a record leaves "pending" only on an answer about that record; a server
 * failure (retryable) keeps it pending; a rule refusal is final and shown with its reason.
 */

import type { Static } from 'typebox';
import type * as desk from '../../../api/schemas/desk';

export type RecordStatus = 'pending' | 'synced' | 'rejected';

export interface DoseCapture {
  /** Empty for a walk-in registered on this phone and not yet synced: walkInClientEventId names them. */
  referenceId: string;
  walkInClientEventId?: string;
  sessionDayId: string;
  vaccineCode: string;
  batch: string;
  secretCode?: string;
  verificationId?: string;
  /** Shown in the queue list so the vaccinator recognises the record; never sent. */
  displayName?: string;
}

/** An adverse event reported at the desk, for a dose recorded online (doseId) or on this phone (its clientEventId). */
export interface AefiCapture {
  referenceId: string;
  sessionDayId: string;
  doseId?: string;
  doseClientEventId?: string;
  severity: string;
  symptoms: string[];
  notes?: string;
  /** Shown in the queue list; never sent. */
  displayName?: string;
}

/** A walk-in registered with no network (the vaccinator saw their photo ID); the server registers them at sync. */
export interface WalkInCapture {
  sessionDayId: string;
  mobile: string;
  person: { name: string; birthYear: number; gender: 'M' | 'F' | 'O'; idType: number; idNumber: string };
  /** Shown in the queue list; never sent apart from the person. */
  displayName?: string;
}

/** The server's word on a walk-in whose photo ID someone had registered before the desk synced (api/schemas/desk.ts). */
export type MatchedRegistration = NonNullable<Static<typeof desk.SyncedWalkIn>['matchedRegistration']>;

type Captured =
  | { kind: 'DOSE'; capture: DoseCapture }
  | { kind: 'AEFI'; capture: AefiCapture }
  | { kind: 'WALKIN'; capture: WalkInCapture };

export type QueuedRecord = Captured & QueuedFields;

interface QueuedFields {
  clientEventId: string;
  /** Device clock when the dose was given or the event seen (the server corrects it by the batch's clock skew). */
  administeredAt: string;
  createdAt: string;
  status: RecordStatus;
  attempts: number;
  lastAttemptAt?: string;
  /** Why the server refused it (rejected), or the last transient failure (pending). */
  reason?: string;
  code?: string;
  /** Dose number the server recorded. */
  doseNumber?: number;
  /** A synced walk-in's reference id. */
  referenceId?: string;
  /** A synced walk-in whose photo ID was registered meanwhile: stored as that registration (an officer reviews differing details). */
  matchedRegistration?: MatchedRegistration;
  syncedAt?: string;
}

export interface SyncDoseItem {
  kind: 'DOSE';
  clientEventId: string;
  administeredAt: string;
  referenceId?: string;
  walkInClientEventId?: string;
  sessionDayId: string;
  vaccineCode: string;
  batch: string;
  secretCode?: string;
  verificationId?: string;
}

export interface SyncAefiItem {
  kind: 'AEFI';
  clientEventId: string;
  reportedAt: string;
  doseId?: string;
  doseClientEventId?: string;
  severity: string;
  symptoms: string[];
  notes?: string;
}

export interface SyncWalkInItem {
  kind: 'WALKIN';
  clientEventId: string;
  registeredAt: string;
  sessionDayId: string;
  mobile: string;
  person: WalkInCapture['person'];
}

export type SyncItem = SyncDoseItem | SyncAefiItem | SyncWalkInItem;

type ServerItemResult = Static<typeof desk.SyncItemResult>;

/** An item's answer from POST /api/v1/desk/sync, as much of it as the queue reads (the server's schema says the rest). */
export type SyncItemResult = Pick<
  ServerItemResult,
  'index' | 'clientEventId' | 'outcome' | 'code' | 'message' | 'retryable'
> & {
  dose?: Pick<NonNullable<ServerItemResult['dose']>, 'dose'>;
  walkIn?: Pick<Static<typeof desk.SyncedWalkIn>, 'referenceId' | 'matchedRegistration'>;
};

export interface SyncResponse {
  results: SyncItemResult[];
}

/** Server limit on items per sync request (api/schemas/desk.ts MAX_SYNC_ITEMS). */
export const MAX_BATCH = 500;

export function newDoseRecord(capture: DoseCapture, clientEventId: string, now: Date = new Date()): QueuedRecord {
  const at = now.toISOString();
  return { clientEventId, kind: 'DOSE', capture, administeredAt: at, createdAt: at, status: 'pending', attempts: 0 };
}

export function newAefiRecord(capture: AefiCapture, clientEventId: string, now: Date = new Date()): QueuedRecord {
  const at = now.toISOString();
  return { clientEventId, kind: 'AEFI', capture, administeredAt: at, createdAt: at, status: 'pending', attempts: 0 };
}

export function newWalkInRecord(capture: WalkInCapture, clientEventId: string, now: Date = new Date()): QueuedRecord {
  const at = now.toISOString();
  return { clientEventId, kind: 'WALKIN', capture, administeredAt: at, createdAt: at, status: 'pending', attempts: 0 };
}

/** Oldest pending records first, at most `max`, as the sync request's items. */
export function buildSyncBatch(
  records: readonly QueuedRecord[],
  max = MAX_BATCH,
): { records: QueuedRecord[]; items: SyncItem[] } {
  const batch = records
    .filter((r) => r.status === 'pending')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.clientEventId.localeCompare(b.clientEventId))
    .slice(0, max);
  return { records: batch, items: batch.map(toSyncItem) };
}

export function toSyncItem(record: QueuedRecord): SyncItem {
  if (record.kind === 'WALKIN') {
    const { sessionDayId, mobile, person } = record.capture;
    return {
      kind: 'WALKIN',
      clientEventId: record.clientEventId,
      registeredAt: record.administeredAt,
      sessionDayId,
      mobile,
      person,
    };
  }
  if (record.kind === 'AEFI') {
    const { doseId, doseClientEventId, severity, symptoms, notes } = record.capture;
    const item: SyncAefiItem = {
      kind: 'AEFI',
      clientEventId: record.clientEventId,
      reportedAt: record.administeredAt,
      severity,
      symptoms,
    };
    if (doseId) item.doseId = doseId;
    else if (doseClientEventId) item.doseClientEventId = doseClientEventId;
    if (notes) item.notes = notes;
    return item;
  }
  const { referenceId, walkInClientEventId, sessionDayId, vaccineCode, batch, secretCode, verificationId } =
    record.capture;
  const item: SyncDoseItem = {
    kind: 'DOSE',
    clientEventId: record.clientEventId,
    administeredAt: record.administeredAt,
    ...(walkInClientEventId ? { walkInClientEventId } : { referenceId }),
    sessionDayId,
    vaccineCode,
    batch,
  };
  if (secretCode) item.secretCode = secretCode;
  if (verificationId) item.verificationId = verificationId;
  return item;
}

/**
 * The batch's records after the server's answer. Results are matched by client event id (falling back to the
 * position only when the server could not read an id); a record the answer does not mention stays pending.
 */
export function applySyncResults(
  batch: readonly QueuedRecord[],
  response: SyncResponse,
  now: Date = new Date(),
): QueuedRecord[] {
  const at = now.toISOString();
  const byId = new Map<string, SyncItemResult>();
  const byIndex = new Map<number, SyncItemResult>();
  for (const result of response.results) {
    if (result.clientEventId) byId.set(result.clientEventId, result);
    else byIndex.set(result.index, result);
  }
  return batch.map((record, index) => {
    const result = byId.get(record.clientEventId) ?? byIndex.get(index);
    const attempted = { ...record, attempts: record.attempts + 1, lastAttemptAt: at };
    if (!result) return attempted;
    if (result.outcome === 'accepted' || result.outcome === 'duplicate') {
      return {
        ...attempted,
        status: 'synced',
        syncedAt: at,
        doseNumber: result.dose?.dose ?? record.doseNumber,
        referenceId: result.walkIn?.referenceId ?? record.referenceId,
        matchedRegistration: result.walkIn?.matchedRegistration ?? record.matchedRegistration,
        reason: undefined,
        code: undefined,
      };
    }
    if (result.retryable)
      return {
        ...attempted,
        reason: result.message ?? 'the server could not store it yet; will retry',
        code: result.code,
      };
    return {
      ...attempted,
      status: 'rejected',
      reason: result.message ?? result.code ?? 'refused by the server',
      code: result.code,
    };
  });
}

/** A transient failure of the whole request (offline, 5xx): every record stays pending, with the reason noted. */
export function markAttemptFailed(
  batch: readonly QueuedRecord[],
  reason: string,
  now: Date = new Date(),
): QueuedRecord[] {
  const at = now.toISOString();
  return batch.map((r) => ({ ...r, attempts: r.attempts + 1, lastAttemptAt: at, reason }));
}

/** The answer of a direct online POST /doses, applied to its one record. */
export function applyDirectResult(
  record: QueuedRecord,
  outcome: { ok: true; dose: number } | { ok: false; retryable: boolean; reason: string; code?: string },
  now: Date = new Date(),
): QueuedRecord {
  const at = now.toISOString();
  const attempted = { ...record, attempts: record.attempts + 1, lastAttemptAt: at };
  if (outcome.ok)
    return {
      ...attempted,
      status: 'synced',
      syncedAt: at,
      doseNumber: outcome.dose,
      reason: undefined,
      code: undefined,
    };
  if (outcome.retryable) return { ...attempted, reason: outcome.reason };
  return { ...attempted, status: 'rejected', reason: outcome.reason, code: outcome.code };
}

export interface QueueSummary {
  pending: number;
  synced: number;
  rejected: number;
}

export function summarise(records: readonly QueuedRecord[]): QueueSummary {
  const summary: QueueSummary = { pending: 0, synced: 0, rejected: 0 };
  for (const r of records) summary[r.status]++;
  return summary;
}

/** Wait before the next automatic try: 2 s, doubling, at most a minute (plus the `online` event, which retries at once). */
export function retryDelayMs(consecutiveFailures: number): number {
  return Math.min(60_000, 2_000 * 2 ** Math.max(0, consecutiveFailures - 1));
}
