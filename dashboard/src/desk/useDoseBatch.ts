import { useEffect, useState } from 'react';
import { indiaDate } from '../../../domain/time';
import { readSessionStock } from '../stock/api';

const batchKey = (sessionDayId: string) => `teeka.batch.${sessionDayId}`;
const issuedKey = (sessionDayId: string) => `teeka.issued-batches.${sessionDayId}`;

export interface IssuedBatch {
  batchNumber: string;
  expiresOn: string;
}

/**
 * The batches issued to the session day and in date, to pick from instead of typing: read when online and kept
 * on the phone for a day with no network. Empty when none were issued (the vaccinator types the vial's number).
 */
function useIssuedBatches(sessionDayId: string, token: string, online: boolean): IssuedBatch[] {
  const [issued, setIssued] = useState<IssuedBatch[]>(() => {
    try {
      return JSON.parse(window.localStorage.getItem(issuedKey(sessionDayId)) ?? '[]') as IssuedBatch[];
    } catch {
      return [];
    }
  });
  useEffect(() => {
    if (!online) return;
    let live = true;
    readSessionStock(sessionDayId, token).then(
      (stock) => {
        const today = indiaDate();
        const usable = stock.batches
          .filter((b) => b.vialsIssued > 0 && b.expiresOn !== null && b.expiresOn >= today)
          .map((b) => ({ batchNumber: b.batchNumber, expiresOn: b.expiresOn! }));
        window.localStorage.setItem(issuedKey(sessionDayId), JSON.stringify(usable));
        if (live) setIssued(usable);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [sessionDayId, token, online]);
  return issued;
}

export interface DoseBatch {
  /** The batch the next dose names: one of the issued batches when there are any, else what was typed. */
  batch: string;
  setBatch: (batch: string) => void;
  issued: IssuedBatch[];
  /** Keeps the batch on the phone, so the next dose of the session day starts with it. */
  remember: () => void;
}

/** The batch a dose at this session day names, remembered from the dose before. */
export function useDoseBatch(sessionDayId: string, token: string, online: boolean): DoseBatch {
  const [batch, setBatch] = useState(() => window.localStorage.getItem(batchKey(sessionDayId)) ?? '');
  const issued = useIssuedBatches(sessionDayId, token, online);
  useEffect(() => {
    if (issued.length > 0 && !issued.some((b) => b.batchNumber === batch)) setBatch(issued[0]!.batchNumber);
  }, [issued, batch]);
  return { batch, setBatch, issued, remember: () => window.localStorage.setItem(batchKey(sessionDayId), batch) };
}
