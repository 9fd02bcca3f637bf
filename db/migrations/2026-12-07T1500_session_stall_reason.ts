import { type Kysely, sql } from 'kysely';

/**
 * Why a session day is STALLED, as the session workflow judged it (domain/session-pace.ts judgePace), so the
 * district console can say "no doses while people wait" or "behind plan" without judging it again. Rows stalled
 * before this column have none: the console then shows the status alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('session_day')
    .addColumn('stall_reason', 'text', (c) => c.check(sql`stall_reason in ('NO_DOSES', 'BEHIND_PLAN')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('session_day').dropColumn('stall_reason').execute();
}
