/** Live events as the API's socket.io feed sends them: the server's own definitions (live/events.ts). */
import { LIVE_EVENT_TYPES, type LiveEvent } from '../../../live/events';

export { LIVE_EVENT_TYPES };
export type {
  CoverageIncrement,
  CoverageMessage,
  LiveEvent,
  LiveEventType,
  SnapshotMessage,
} from '../../../live/events';

export function isLiveEvent(value: unknown): value is LiveEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.type === 'string' &&
    (LIVE_EVENT_TYPES as readonly string[]).includes(v.type) &&
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
