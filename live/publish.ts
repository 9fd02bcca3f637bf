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
/**
 * Who may do what changed (a staff member's standing, a revoked token, a session day's team): announced by the
 * tables themselves (migration 2026-12-08T0410_access_changes_announced); see api/auth/access-cache.ts.
 */
export const ACCESS_CHANNEL = 'teeka_access';
/** Changes to the vaccine batch registry (migration 2026-12-09T0430_vaccine_batches). */
export const BATCHES_CHANNEL = 'teeka_batches';

/**
 * The payload also carries the publishing transaction's id (`txid`): a socket joining a room compares it with the
 * snapshot it was sent, so an event already counted in the snapshot is not sent again (api/plugins/live.ts).
 */
export async function publishLiveEvent(db: Executor, event: LiveEvent): Promise<void> {
  // publish_live_event (migration 2026-12-06T1700_booking_in_request): one home for SQL and TypeScript publishers.
  await sql`select publish_live_event(${JSON.stringify(event)}::jsonb)`.execute(db);
}
