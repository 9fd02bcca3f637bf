import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

export type Executor = Kysely<Database> | Transaction<Database>;

export interface Actor {
  type: 'BENEFICIARY' | 'STAFF' | 'SYSTEM' | 'PARTNER';
  id?: string | null;
  role?: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'SYSTEM', id: 'journey', role: null };

/** Appends one audit row: who did what to which entity, from where. Call it inside the write's transaction. */
export async function writeAudit(
  db: Executor,
  entry: {
    actor: Actor;
    action: string;
    entityType: string;
    entityId: string;
    source?: 'ONLINE' | 'OFFLINE' | 'WORKFLOW';
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_type: entry.actor.type,
      actor_id: entry.actor.id ?? null,
      actor_role: entry.actor.role ?? null,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      source: entry.source ?? 'ONLINE',
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
