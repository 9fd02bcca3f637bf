/**
 * Room names and which rooms each live event goes to.
 *
 * Per-dose events go to the rooms of people who act on single sessions (session, district). The state and
 * national war rooms get the same facts as `coverage` increments merged over a second, plus the per-minute
 * `throughput`: at national scale (hundreds of doses a second) a per-dose feed would flood every war-room screen.
 */
import type { LiveEvent, LiveEventType } from './events.js';

export type Room =
  | { kind: 'national'; name: 'national' }
  | { kind: 'state'; id: number; name: string }
  | { kind: 'district'; id: number; name: string }
  | { kind: 'session'; id: string; name: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const roomNames = {
  national: 'national' as const,
  state: (id: number) => `state:${id}`,
  district: (id: number) => `district:${id}`,
  session: (id: string) => `session:${id.toLowerCase()}`,
};

/** `national`, `state:<id>`, `district:<id>` or `session:<uuid>`; undefined for anything else. */
export function parseRoom(name: unknown): Room | undefined {
  if (typeof name !== 'string' || name.length > 80) return undefined;
  if (name === 'national') return { kind: 'national', name };
  const [kind, id, ...rest] = name.split(':');
  if (rest.length || id === undefined) return undefined;
  if (kind === 'session')
    return UUID.test(id) ? { kind, id: id.toLowerCase(), name: roomNames.session(id) } : undefined;
  if ((kind === 'state' || kind === 'district') && /^[1-9][0-9]{0,8}$/.test(id))
    return { kind, id: Number(id), name: `${kind}:${id}` };
  return undefined;
}

type RoomKind = Room['kind'];

/** Rooms that receive each event type as it is; types not listed go to their session, district and state. */
const ROUTES: Partial<Record<LiveEventType, RoomKind[]>> = {
  'dose.recorded': ['session', 'district'],
  'booking.changed': ['session', 'district'],
  'session.status': ['session', 'district', 'state', 'national'],
  throughput: ['district', 'state', 'national'],
  'registration.created': ['national'],
  // Per booking: district rooms only, like the per-dose feed; state rooms read it with their periodic refresh.
  'registration.counted': ['district'],
  'aefi.reported': ['district', 'state'],
  'dryrun.sessions': [],
};
const DEFAULT_ROUTE: RoomKind[] = ['session', 'district', 'state'];

export function roomsFor(event: Pick<LiveEvent, 'type' | 'stateId' | 'districtId' | 'sessionDayId'>): string[] {
  const kinds = ROUTES[event.type] ?? DEFAULT_ROUTE;
  const rooms: string[] = [];
  for (const kind of kinds) {
    if (kind === 'national') rooms.push(roomNames.national);
    if (kind === 'state' && event.stateId) rooms.push(roomNames.state(event.stateId));
    if (kind === 'district' && event.districtId) rooms.push(roomNames.district(event.districtId));
    if (kind === 'session' && event.sessionDayId) rooms.push(roomNames.session(event.sessionDayId));
  }
  return rooms;
}

/** A recorded dose also moves coverage in its district room at once, and in its state and national rooms a second later. */
export function coverageRoomsFor(event: Pick<LiveEvent, 'type' | 'stateId' | 'districtId'>): {
  now: string[];
  merged: string[];
} {
  if (event.type !== 'dose.recorded') return { now: [], merged: [] };
  return { now: [roomNames.district(event.districtId)], merged: [roomNames.state(event.stateId), roomNames.national] };
}
