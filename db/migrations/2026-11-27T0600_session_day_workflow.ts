import { type Kysely, sql } from 'kysely';

/**
 * The session-day workflow: `workflow_started_at` remembers which session days already have their workflow, so
 * the worker's sweep (every 30 s) reads only the few that do not. The partial index holds just those rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('session_day').addColumn('workflow_started_at', 'timestamptz').execute();
  await db.schema
    .createIndex('session_day_workflow_unstarted_idx')
    .on('session_day')
    .column('date')
    .where(sql.ref('workflow_started_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('session_day_workflow_unstarted_idx').execute();
  await db.schema.alterTable('session_day').dropColumn('workflow_started_at').execute();
}
