import { type Kysely, sql } from 'kysely';

/**
 * Duplicate-person hints: a registration with the same name, year of birth and gender as a live registration under
 * another photo-ID type may be one person registered twice (each ID is unique only within its own numbers). The
 * pair is flagged when the second is registered; the desk's identity check shows it and an officer reviews it.
 * People are found by their person key (the name's letters lower-cased with single spaces, year of birth, gender).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('duplicate_person_hint')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('beneficiary_id', 'uuid', (c) => c.notNull().references('beneficiary.id'))
    .addColumn('other_beneficiary_id', 'uuid', (c) => c.notNull().references('beneficiary.id'))
    .addColumn('flagged_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('SAME_PERSON', 'DIFFERENT_PEOPLE')`))
    .addColumn('reviewed_by', 'uuid', (c) => c.references('staff_user.id'))
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('review_reason', 'text')
    .addUniqueConstraint('duplicate_person_hint_pair_unique', ['beneficiary_id', 'other_beneficiary_id'])
    .execute();
  await db.schema
    .createIndex('duplicate_person_hint_other_idx')
    .on('duplicate_person_hint')
    .column('other_beneficiary_id')
    .execute();
  await sql`create index beneficiary_person_key_idx on beneficiary
    (lower(regexp_replace(btrim(name), '\\s+', ' ', 'g')), birth_year, gender) where deleted_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('beneficiary_person_key_idx').execute();
  await db.schema.dropTable('duplicate_person_hint').execute();
}
