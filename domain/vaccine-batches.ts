/**
 * Vaccine batches: which batch a dose may name, and the stock of a session day. A dose names a batch of the
 * registry, of the session's vaccine, not expired on the day the dose was given (India date; a batch is good
 * through its expiry date). A batch found only in doses recorded before the registry has no expiry on record and
 * is not used again until an officer completes it.
 */
import { indiaDate } from './time.js';
import type { RefusalCode } from './refusals.js';

export const BatchRefusal = {
  BATCH_UNKNOWN: 'BATCH_UNKNOWN',
  BATCH_OF_ANOTHER_VACCINE: 'BATCH_OF_ANOTHER_VACCINE',
  BATCH_EXPIRED: 'BATCH_EXPIRED',
  BATCH_INCOMPLETE: 'BATCH_INCOMPLETE',
  BATCH_ALREADY_REGISTERED: 'BATCH_ALREADY_REGISTERED',
  BATCH_NOT_FOUND: 'BATCH_NOT_FOUND',
  STOCK_NOT_ISSUED: 'STOCK_NOT_ISSUED',
  VIALS_TOO_FEW: 'VIALS_TOO_FEW',
} as const satisfies Record<string, RefusalCode>;

/** What the dose check needs of a registered batch. */
export interface BatchFacts {
  id: string;
  vaccineCode: string;
  batchNumber: string;
  /** YYYY-MM-DD; null for a batch found only in earlier doses. */
  expiresOn: string | null;
  dosesPerVial: number | null;
}

/** The form a batch number is kept and matched in: trimmed, in capitals (as printed on the vial). */
export function canonicalBatchNumber(text: string): string {
  return text.trim().toUpperCase();
}

export type BatchDecision =
  | { ok: true; batch: BatchFacts }
  | { ok: false; code: (typeof BatchRefusal)[keyof typeof BatchRefusal]; message: string };

/**
 * Whether a dose of `vaccineCode` given at `at` may name the batch `number`, given the registered batches of
 * that number (any vaccine).
 */
export function decideBatch(
  number: string,
  registered: readonly BatchFacts[],
  dose: { vaccineCode: string; at: Date },
): BatchDecision {
  const batch = registered.find((b) => b.vaccineCode === dose.vaccineCode);
  if (!batch) {
    const other = registered[0];
    return other
      ? {
          ok: false,
          code: BatchRefusal.BATCH_OF_ANOTHER_VACCINE,
          message: `batch ${number} is a batch of ${other.vaccineCode}, not of ${dose.vaccineCode} given at this session`,
        }
      : {
          ok: false,
          code: BatchRefusal.BATCH_UNKNOWN,
          message: `batch ${number} is not in the batch registry; check the number on the vial or ask the district officer to register it`,
        };
  }
  if (batch.expiresOn === null) {
    return {
      ok: false,
      code: BatchRefusal.BATCH_INCOMPLETE,
      message: `batch ${number} is known only from earlier doses and has no expiry date on record; an officer must complete it in the batch registry before it is used`,
    };
  }
  const given = indiaDate(dose.at);
  if (given > batch.expiresOn) {
    return {
      ok: false,
      code: BatchRefusal.BATCH_EXPIRED,
      message: `batch ${number} expired on ${batch.expiresOn}; the dose was given on ${given}. Use an unexpired batch`,
    };
  }
  return { ok: true, batch };
}

/** Doses a session day's opened vials held but did not give: open-vial wastage. Negative when too few were opened. */
export function openVialWastage(vialsOpened: number, dosesPerVial: number, dosesGiven: number): number {
  return vialsOpened * dosesPerVial - dosesGiven;
}
