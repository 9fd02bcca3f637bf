/**
 * What the district console offers on a session card: only the interventions its status allows, decided by the
 * session's status machine (domain/session-status.ts), the rule the server applies, so nothing offered is refused
 * for the status. An extension is offered only while the day has time left; a closed session only takes its
 * wastage report.
 */
import { nextStatus, type SessionEvent, type SessionStatus } from '../../../domain/session-status';
import { indiaInstant } from '../../../domain/time';
import type { Intervention } from './api';

type Kind = Intervention['kind'];

const EVENT: Record<Kind, SessionEvent['type']> = {
  assign: 'ASSIGN',
  extend: 'EXTEND',
  pause: 'PAUSE',
  resume: 'RESUME',
  close: 'CLOSE',
  cancel: 'CANCEL',
};

/** The card's order. */
const ORDER: readonly Kind[] = ['assign', 'extend', 'pause', 'resume', 'close', 'cancel'];

export function possibleActions(live: { status: string; extendableMinutes: number }): Kind[] {
  const status = live.status as SessionStatus;
  return ORDER.filter(
    (kind) => nextStatus(status, { type: EVENT[kind] }).ok && (kind !== 'extend' || live.extendableMinutes > 0),
  );
}

/** How long before opening a session with nobody to vaccinate is flagged. */
export const NO_VACCINATOR_FLAG_MINUTES = 60;

/**
 * Whether the card flags a session with no vaccinator in its team: from an hour before it opens until it is over
 * (a session already open with nobody to vaccinate is flagged too).
 */
export function flagsMissingVaccinator(
  live: { date: string; opensAt: string; status: string },
  vaccinators: number,
  now: Date,
): boolean {
  if (vaccinators > 0 || live.status === 'CLOSED' || live.status === 'CANCELLED') return false;
  const opens = indiaInstant(live.date, live.opensAt).getTime();
  return opens - now.getTime() <= NO_VACCINATOR_FLAG_MINUTES * 60_000;
}
