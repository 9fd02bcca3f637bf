import { type Kysely, sql } from 'kysely';

/**
 * Corrections of a person's name, year of birth, gender or photo ID. A person may correct their own details once
 * (as Co-WIN allowed: the partial unique index), an officer any number of times with a reason. Each row keeps what
 * the details were and became — the photo ID as its type and last 4 only, never the number.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('person_correction')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('beneficiary_id', 'uuid', (c) => c.notNull().references('beneficiary.id'))
    .addColumn('by_type', 'text', (c) => c.notNull().check(sql`by_type in ('BENEFICIARY', 'STAFF')`))
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('fields', sql`text[]`, (c) => c.notNull())
    .addColumn('before', 'jsonb', (c) => c.notNull())
    .addColumn('after', 'jsonb', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('person_correction_beneficiary_idx')
    .on('person_correction')
    .columns(['beneficiary_id', 'at'])
    .execute();
  await db.schema
    .createIndex('person_correction_once_by_person')
    .on('person_correction')
    .column('beneficiary_id')
    .unique()
    .where(sql.ref('by_type'), '=', 'BENEFICIARY')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('person_correction').execute();
}
