/**
 * A site's store of vaccine (its cold-chain point): vials of each batch received from the district, issued to the
 * site's session days and returned from them, and discarded. A store never holds fewer than no vials: a movement
 * out that the store cannot cover is refused (`STORE_TOO_FEW`), on every path that takes vials from it.
 */
import { addDays } from './time.js';
import type { RefusalCode } from './refusals.js';

export const STORE_MOVEMENT_KINDS = ['RECEIVED', 'ISSUED', 'RETURNED', 'DISCARDED', 'CARRIED_OVER'] as const;
export type StoreMovementKind = (typeof STORE_MOVEMENT_KINDS)[number];

export const DISCARD_REASONS = ['EXPIRED', 'DAMAGED', 'COLD_CHAIN_BREACH', 'OTHER'] as const;
export type DiscardReason = (typeof DISCARD_REASONS)[number];

export const StoreRefusal = {
  STORE_TOO_FEW: 'STORE_TOO_FEW',
  SITE_NOT_FOUND: 'SITE_NOT_FOUND',
  CLIENT_EVENT_REUSED: 'CLIENT_EVENT_REUSED',
  DISCARD_NOTE_REQUIRED: 'DISCARD_NOTE_REQUIRED',
} as const satisfies Record<string, RefusalCode>;

/** Days before its expiry that a batch in a store is warned of. */
export const EXPIRY_WARNING_DAYS = 7;

export type ExpiryState = 'EXPIRED' | 'EXPIRING' | 'GOOD' | 'UNKNOWN';

/**
 * Whether a batch is still good on `today` (India date), and whether it expires within the warning days (it is
 * good through its expiry date: expiring today is still EXPIRING, not EXPIRED).
 */
export function expiryState(expiresOn: string | null, today: string): ExpiryState {
  if (expiresOn === null) return 'UNKNOWN';
  if (expiresOn < today) return 'EXPIRED';
  if (expiresOn <= addDays(today, EXPIRY_WARNING_DAYS)) return 'EXPIRING';
  return 'GOOD';
}

/**
 * The vials of a batch a session day holds from its site's store: those issued to it, less, once it is closed with
 * its opened vials counted, the unopened ones (returned to the store). A day closed with its wastage alone keeps
 * what it was issued.
 */
export function vialsHeldBySession(line: { vialsIssued: number; vialsOpened: number | null; closed: boolean }): number {
  if (!line.closed || line.vialsOpened === null) return line.vialsIssued;
  return Math.min(line.vialsIssued, line.vialsOpened);
}

/**
 * The vials of a batch a cancelled session day gives back to its site's store by itself: every vial it holds when
 * none of its doses came from the batch (nothing was opened); none when some did, since only the vaccinator knows
 * how many vials were opened (the day's close, with the vials counted, returns the rest).
 */
export function vialsBackOnCancel(line: { vialsHeld: number; dosesGiven: number }): number {
  return line.dosesGiven > 0 ? 0 : Math.max(line.vialsHeld, 0);
}
