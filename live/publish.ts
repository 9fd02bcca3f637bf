/**
 * Live events for dashboards. A write publishes its event with pg_notify inside its own transaction, so the
 * event exists exactly when the fact commits; every API process LISTENs and forwards it to its socket.io
 * rooms (state:<id>, district:<id>, session:<id>). Works with any number of API and worker processes.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/repositories/audit.js';
import type { LiveEvent } from './events.js';

export type { LiveEvent, LiveEventType } from './events.js';

export const LIVE_CHANNEL = 'teeka_live';
/** Staff access ended (deactivation, password reset, logout): every API process drops the sockets it names. */
export const ACCESS_CHANNEL = 'teeka_access';

/** Who lost access: every token of a staff member, or one token (a logout). */
export type AccessRevoked = { staffId: string } | { jti: string };

/**
 * The payload also carries the publishing transaction's id (`txid`): a socket joining a room compares it with the
 * snapshot it was sent, so an event already counted in the snapshot is not sent again (api/plugins/live.ts).
 */
export async function publishLiveEvent(db: Executor, event: LiveEvent): Promise<void> {
  // publish_live_event (migration 2026-12-06T1700_booking_in_request): one home for SQL and TypeScript publishers.
  await sql`select publish_live_event(${JSON.stringify(event)}::jsonb)`.execute(db);
}

/** Sent when the revoking transaction commits, so no process drops a socket for a change that was rolled back. */
export async function publishAccessRevoked(db: Executor, revoked: AccessRevoked): Promise<void> {
  await sql`select pg_notify(${ACCESS_CHANNEL}, ${JSON.stringify(revoked)})`.execute(db);
}
