import { useCallback, useEffect, useRef, useState } from 'react';
import { pruneSynced, syncPending, watchRecords } from '../offline/desk-store';
import { retryDelayMs, summarise, type QueuedRecord } from '../offline/queue-logic';

export interface OfflineQueue {
  /** Every record captured on this phone (doses, walk-ins, adverse events), with its sync status. */
  records: QueuedRecord[];
  summary: ReturnType<typeof summarise>;
  /** Sends what waits now (nothing without a network). */
  sync: () => Promise<void>;
}

/**
 * The records waiting on the phone, synced by themselves: when the network returns, and with backoff while
 * anything is pending. `onSent` runs after a sync that stored something (the list changes with it).
 */
export function useOfflineQueue(token: string | undefined, online: boolean, onSent: () => Promise<void>): OfflineQueue {
  const [records, setRecords] = useState<QueuedRecord[]>([]);
  const failures = useRef(0);

  useEffect(() => {
    void pruneSynced();
    return watchRecords(setRecords);
  }, []);

  const summary = summarise(records);

  const sync = useCallback(async () => {
    if (!token || !navigator.onLine) return;
    const outcome = await syncPending(token);
    failures.current = outcome.failed ? failures.current + 1 : 0;
    if (outcome.sent) void onSent();
  }, [token, onSent]);

  useEffect(() => {
    if (online) void sync();
  }, [online, sync]);

  useEffect(() => {
    if (!summary.pending || !online) return;
    const timer = window.setTimeout(() => void sync(), retryDelayMs(Math.max(1, failures.current)));
    return () => window.clearTimeout(timer);
  }, [summary.pending, online, sync, records]);

  return { records, summary, sync };
}
