/**
 * The vaccinator desk's device storage (IndexedDB through Dexie): the queue of captured doses, AEFI reports and
 * walk-ins (a walk-in's photo-ID number stays on the phone only until it syncs) and a cache of today's list, so
 * the desk works with no network. Every record is written here BEFORE any request is made, so closing the tab or
 * losing the network never loses a dose.
 */
import { Dexie, liveQuery, type Table } from 'dexie';
import { ApiError, apiPost, NO_RESPONSE_STATUS } from '../api/client';
import {
  applyDirectResult,
  applySyncResults,
  buildSyncBatch,
  markAttemptFailed,
  newAefiRecord,
  newDoseRecord,
  newWalkInRecord,
  type AefiCapture,
  type DoseCapture,
  type WalkInCapture,
  type QueuedRecord,
  type SyncResponse,
} from './queue-logic';

interface CacheEntry {
  key: string;
  value: unknown;
  savedAt: string;
}

class DeskDatabase extends Dexie {
  records!: Table<QueuedRecord, string>;
  cache!: Table<CacheEntry, string>;

  constructor() {
    super('teeka-desk');
    this.version(1).stores({ records: 'clientEventId, status, createdAt', cache: 'key' });
  }
}

const db = new DeskDatabase();

/** This browser's id in sync batches (audit and clock-skew reports), made once. */
export function deviceId(): string {
  const key = 'teeka.deviceId';
  let id = window.localStorage.getItem(key);
  if (!id) {
    id = `desk-${crypto.randomUUID()}`;
    window.localStorage.setItem(key, id);
  }
  return id;
}

export function watchRecords(onChange: (records: QueuedRecord[]) => void): () => void {
  const subscription = liveQuery(() => db.records.orderBy('createdAt').reverse().toArray()).subscribe({
    next: onChange,
    error: () => {},
  });
  return () => subscription.unsubscribe();
}

export async function cacheValue(key: string, value: unknown): Promise<void> {
  await db.cache.put({ key, value, savedAt: new Date().toISOString() });
}

export async function cachedValue<T>(key: string): Promise<{ value: T; savedAt: string } | undefined> {
  const entry = await db.cache.get(key);
  return entry ? { value: entry.value as T, savedAt: entry.savedAt } : undefined;
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return (
    error.status === NO_RESPONSE_STATUS ||
    error.status >= 500 ||
    error.status === 401 ||
    error.status === 408 ||
    error.status === 429
  );
}

/**
 * Captures a dose: stored first with its client event id, then sent at once when the browser is online
 * (POST /doses, source ONLINE). Without network it stays pending for the next sync.
 */
export async function captureDose(capture: DoseCapture, token: string): Promise<QueuedRecord> {
  const record = newDoseRecord(capture, crypto.randomUUID());
  await db.records.add(record);
  // A walk-in registered on this phone has no reference id here: the dose goes with the next sync, after them.
  if (!navigator.onLine || capture.walkInClientEventId) return record;
  let updated: QueuedRecord;
  try {
    const dose = await apiPost<{ dose: number }>(
      '/api/v1/doses',
      {
        referenceId: capture.referenceId,
        ...(capture.verificationId ? { verificationId: capture.verificationId } : { secretCode: capture.secretCode }),
        sessionDayId: capture.sessionDayId,
        vaccineCode: capture.vaccineCode,
        batch: capture.batch,
        clientEventId: record.clientEventId,
      },
      { token },
    );
    updated = applyDirectResult(record, { ok: true, dose: dose.dose });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    updated = applyDirectResult(
      record,
      isRetryable(error)
        ? { ok: false, retryable: true, reason }
        : { ok: false, retryable: false, reason, code: codeOf(error) },
    );
  }
  await db.records.put(updated);
  return updated;
}

/**
 * Reports an adverse event: stored first, then sent at once when online (POST /aefi, idempotent on the client
 * event id); without network it waits in the queue with the doses (an AEFI item of the sync batch).
 */
export async function captureAefi(capture: AefiCapture, token: string): Promise<QueuedRecord> {
  const record = newAefiRecord(capture, crypto.randomUUID());
  await db.records.add(record);
  // A dose still on this phone must reach the server first: the report then goes with the next sync, after it.
  if (!navigator.onLine || (!capture.doseId && capture.doseClientEventId)) return record;
  let updated: QueuedRecord;
  try {
    await apiPost(
      '/api/v1/aefi',
      {
        doseId: capture.doseId,
        severity: capture.severity,
        symptoms: capture.symptoms,
        ...(capture.notes ? { notes: capture.notes } : {}),
        clientEventId: record.clientEventId,
      },
      { token },
    );
    updated = applyDirectResult(record, { ok: true, dose: 0 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    updated = applyDirectResult(
      record,
      isRetryable(error)
        ? { ok: false, retryable: true, reason }
        : { ok: false, retryable: false, reason, code: codeOf(error) },
    );
  }
  await db.records.put(updated);
  return updated;
}

/**
 * Registers a walk-in with no network: stored on the phone and registered by the server at the next sync (a WALKIN
 * item, before the doses that name it). Online, the desk registers walk-ins directly (POST /desk/walk-ins).
 */
export async function captureWalkIn(capture: WalkInCapture): Promise<QueuedRecord> {
  const record = newWalkInRecord(capture, crypto.randomUUID());
  await db.records.add(record);
  return record;
}

/** Forgets what a synced walk-in's record holds beyond what the queue list shows (their photo-ID number). */
function withoutIdNumber(record: QueuedRecord): QueuedRecord {
  if (record.kind !== 'WALKIN' || record.status !== 'synced') return record;
  return { ...record, capture: { ...record.capture, person: { ...record.capture.person, idNumber: '' } } };
}

/** Wrong secret codes tried on this phone, per person and session day (the server's limit, counted offline). */
export async function wrongCodeTries(sessionDayId: string, referenceId: string): Promise<number> {
  return (await cachedValue<number>(`wrong-code:${sessionDayId}:${referenceId}`))?.value ?? 0;
}

export async function countWrongCodeTry(sessionDayId: string, referenceId: string): Promise<number> {
  const tries = (await wrongCodeTries(sessionDayId, referenceId)) + 1;
  await cacheValue(`wrong-code:${sessionDayId}:${referenceId}`, tries);
  return tries;
}

function codeOf(error: unknown): string | undefined {
  if (error instanceof ApiError && typeof error.body === 'object' && error.body !== null && 'code' in error.body)
    return String((error.body as { code: unknown }).code);
  return undefined;
}

let syncing: Promise<SyncOutcome> | undefined;

export type SyncOutcome = { sent: number; failed?: string };

/** Sends pending records (oldest first, a batch at a time) to POST /desk/sync. One sync at a time per tab. */
export function syncPending(token: string): Promise<SyncOutcome> {
  syncing ??= (async (): Promise<SyncOutcome> => {
    let sent = 0;
    for (;;) {
      const pending = await db.records.where('status').equals('pending').toArray();
      const { records, items } = buildSyncBatch(pending);
      if (!items.length) return { sent };
      let response: SyncResponse;
      try {
        response = await apiPost<SyncResponse>(
          '/api/v1/desk/sync',
          { deviceId: deviceId(), deviceTime: new Date().toISOString(), items },
          { token },
        );
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await db.records.bulkPut(markAttemptFailed(records, reason));
        return { sent, failed: reason };
      }
      await db.records.bulkPut(applySyncResults(records, response).map(withoutIdNumber));
      sent += items.length;
      // Records the answer left pending (server trouble) wait for the next round rather than loop here.
      if (response.results.some((r) => r.retryable)) return { sent };
    }
  })().finally(() => {
    syncing = undefined;
  });
  return syncing;
}

/** Forgets synced records older than a day (the server has them); pending and rejected ones stay. */
export async function pruneSynced(): Promise<void> {
  const cutoff = new Date(Date.now() - 86_400_000).toISOString();
  await db.records
    .where('status')
    .equals('synced')
    .and((r) => (r.syncedAt ?? r.createdAt) < cutoff)
    .delete();
}
