import { type Kysely, sql } from 'kysely';

/**
 * Session teams: the observer's release of each vaccinated person after the observation period, one row per
 * dose (the primary key makes a repeated release a no-op). Who released them and when is also in the audit log;
 * this table is what the observation list reads ("not released yet").
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('observation_release')
    .addColumn('dose_id', 'uuid', (c) => c.primaryKey().references('dose.id').onDelete('cascade'))
    .addColumn('released_by', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('released_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('observed_minutes', 'integer', (c) => c.notNull().check(sql`observed_minutes >= 0`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('observation_release').execute();
}
