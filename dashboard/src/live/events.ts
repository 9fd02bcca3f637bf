/** Live events as the API's socket.io feed sends them (live/publish.ts on the server). */
export type LiveEventType =
  | 'dose.recorded'
  | 'booking.changed'
  | 'session.status'
  | 'registration.created'
  | 'registration.counted'
  | 'throughput'
  | 'aefi.reported';

export interface LiveEvent {
  type: LiveEventType | string;
  stateId: number;
  districtId: number;
  sessionDayId?: string;
  /** ISO instant of the fact. */
  at: string;
  data: Record<string, unknown>;
}

export function isLiveEvent(value: unknown): value is LiveEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.type === 'string' &&
    typeof v.stateId === 'number' &&
    typeof v.districtId === 'number' &&
    typeof v.at === 'string'
  );
}

/** Socket.io room names (see docs/live-events.md). */
export const liveRooms = {
  national: () => 'national',
  state: (id: number) => `state:${id}`,
  district: (id: number) => `district:${id}`,
  session: (id: string) => `session:${id}`,
};

export interface CoverageIncrement {
  stateId: number;
  districtId: number;
  doses: number;
  dose1: number;
  dose2: number;
}

/** `coverage`: what to add to a room's figures (per dose in district rooms, merged over a second above). */
export interface CoverageMessage {
  room: string;
  at: string;
  increments: CoverageIncrement[];
}

/** `snapshot`: the room's whole dashboard, sent first on every join. */
export interface SnapshotMessage<T = unknown> {
  room: string;
  at: string;
  data: T;
}
