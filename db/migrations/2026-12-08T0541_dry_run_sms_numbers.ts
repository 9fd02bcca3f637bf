import { type Kysely, sql } from 'kysely';

/**
 * The staff numbers an officer lists for a dry run: its stall alerts go to them (never to the district's real
 * officers), and, through a real gateway, its test people's SMS go to them instead of the test mobiles.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('dry_run')
    .addColumn('sms_numbers', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dry_run').dropColumn('sms_numbers').execute();
}
