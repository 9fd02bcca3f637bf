import { type Kysely, sql } from 'kysely';

/**
 * The precaution (third) dose's interval per vaccine: due this many days after the person's last primary dose
 * (domain/precaution.ts). A vaccine with no row has no precaution dose. The seeded vaccines get Co-WIN's 39 weeks
 * (273 days) from dose 2; a programme changes the row. A priority group's own interval is a later key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('precaution_interval')
    .addColumn('vaccine_code', 'text', (c) => c.primaryKey().references('vaccine.code'))
    .addColumn('after_days', 'smallint', (c) => c.notNull().check(sql`after_days between 0 and 3650`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`
    insert into precaution_interval (vaccine_code, after_days)
    select code, 273 from vaccine where code in ('COVISHIELD', 'COVAXIN', 'SPUTNIK V')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('precaution_interval').execute();
}
