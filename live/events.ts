/**
 * What the live feed sends over socket.io, shared by the server (live/publish.ts, live/fanout.ts) and the
 * dashboard (dashboard/src/live/): one definition, so a change here fails whichever side no longer matches.
 * No imports: the dashboard bundles this file.
 */

/** Every event type, each emitted under its own name (docs/live-events.md). */
export const LIVE_EVENT_TYPES = [
  'dose.recorded',
  'booking.changed',
  'session.status',
  'registration.created',
  /** A person registered today first counted in a district (the trigger of 2026-12-06T0418_registrations_by_district). */
  'registration.counted',
  /** A serious or severe adverse event reported after a dose (db/repositories/aefi.ts). */
  'aefi.reported',
  /** Per district, once a minute, from the worker (live/throughput.ts). */
  'throughput',
  /**
   * A dry run's session days, published as it creates them (api/services/dry-runs.ts) and so heard before any of
   * their own events: from then on their events go to their session rooms only, never to a district, state or
   * national room (nothing of a dry run counts as real). Sent to no room itself.
   */
  'dryrun.sessions',
] as const;

export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

export interface LiveEvent {
  type: LiveEventType;
  stateId: number;
  districtId: number;
  sessionDayId?: string;
  /** ISO instant of the fact. */
  at: string;
  /** Small, non-personal payload (NOTIFY carries at most 8000 bytes). */
  data: Record<string, unknown>;
}

export interface CoverageIncrement {
  stateId: number;
  districtId: number;
  doses: number;
  dose1: number;
  dose2: number;
}

/** The `coverage` message: what to add to the room's coverage figures (merged over a second above districts). */
export interface CoverageMessage {
  room: string;
  at: string;
  increments: CoverageIncrement[];
}

/** The `snapshot` message: the room's whole dashboard (or session view), sent first on every join. */
export interface SnapshotMessage<T = unknown> {
  room: string;
  at: string;
  data: T;
}
