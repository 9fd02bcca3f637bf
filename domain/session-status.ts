/**
 * A session day's status machine: pure, no Temporal imports, unit-tested on every branch.
 *
 *   PLANNED ─opening time─▶ OPEN ─no doses / far behind plan─▶ STALLED
 *      │                     ▲ ▲          doses resume ───────────┘ │
 *      │                     │ └──── resume ◀── PAUSED ◀── pause ───┘ (pause from OPEN too)
 *      └─ closing time ──────┴─ closing time / officer's close ─▶ CLOSED (a late close only reports wastage)
 *   any status but CLOSED ─cancel─▶ CANCELLED
 * Extending the closing time and assigning staff keep the status; neither is possible once the day is over.
 */
export type SessionStatus = 'PLANNED' | 'OPEN' | 'STALLED' | 'PAUSED' | 'CLOSED' | 'CANCELLED';

export type SessionEvent =
  | { type: 'OPENING_TIME' }
  | { type: 'CLOSING_TIME' }
  | { type: 'STALL' }
  | { type: 'RECOVER' }
  | { type: 'PAUSE' }
  | { type: 'RESUME' }
  /** An officer or vaccinator closes now; on a CLOSED session it only reports wastage. */
  | { type: 'CLOSE' }
  | { type: 'CANCEL' }
  | { type: 'EXTEND' }
  | { type: 'ASSIGN' };

export type StatusTransition = { ok: true; status: SessionStatus } | { ok: false; reason: string };

/** Nothing changes a session day in these statuses (a CLOSED one still takes its wastage report). */
export const FINAL_STATUSES: ReadonlySet<SessionStatus> = new Set(['CLOSED', 'CANCELLED']);

/** Statuses in which the session's hours are running: it is watched, and closes at its closing time. */
const RUNNING: readonly SessionStatus[] = ['OPEN', 'STALLED', 'PAUSED'];
const NOT_OVER: readonly SessionStatus[] = ['PLANNED', ...RUNNING];

const ACTION: Record<SessionEvent['type'], string> = {
  OPENING_TIME: 'opening',
  CLOSING_TIME: 'closing at closing time',
  STALL: 'flagging a stall',
  RECOVER: 'clearing a stall',
  PAUSE: 'pausing',
  RESUME: 'resuming',
  CLOSE: 'closing',
  CANCEL: 'cancelling',
  EXTEND: 'extending the closing time',
  ASSIGN: 'assigning staff',
};

function refuse(status: SessionStatus, event: SessionEvent): StatusTransition {
  return { ok: false, reason: `${ACTION[event.type]} is not possible: the session day is ${status.toLowerCase()}` };
}

export function nextStatus(status: SessionStatus, event: SessionEvent): StatusTransition {
  const to = (target: SessionStatus, allowed: readonly SessionStatus[]): StatusTransition =>
    allowed.includes(status) ? { ok: true, status: target } : refuse(status, event);
  switch (event.type) {
    case 'OPENING_TIME':
      return to('OPEN', ['PLANNED']);
    case 'CLOSING_TIME':
      // A workflow that starts after the whole day has passed closes a session that never opened.
      return to('CLOSED', NOT_OVER);
    case 'STALL':
      return to('STALLED', ['OPEN']);
    case 'RECOVER':
      return to('OPEN', ['STALLED']);
    case 'PAUSE':
      return to('PAUSED', ['OPEN', 'STALLED']);
    case 'RESUME':
      return to('OPEN', ['PAUSED']);
    case 'CLOSE':
      if (status === 'PLANNED') return { ok: false, reason: 'the session day has not opened yet; cancel it instead' };
      return to('CLOSED', [...RUNNING, 'CLOSED']);
    case 'CANCEL':
      return to('CANCELLED', NOT_OVER);
    case 'EXTEND':
    case 'ASSIGN':
      return to(status, NOT_OVER);
  }
}

/** Whether the session is in its hours and its pace is judged. */
export function isWatched(status: SessionStatus): boolean {
  return status === 'OPEN' || status === 'STALLED';
}
