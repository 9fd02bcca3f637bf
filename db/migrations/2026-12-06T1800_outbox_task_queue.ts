import { type Kysely } from 'kysely';

/**
 * A journey's start names its task queue: deployments (and test platforms) sharing one database and Temporal
 * namespace may run their workers on different queues, and the relay of one must not start another's workflows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workflow_outbox').addColumn('task_queue', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workflow_outbox').dropColumn('task_queue').execute();
}
