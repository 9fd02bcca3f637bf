import { type Kysely, sql } from 'kysely';

/**
 * Identity disputes: a person whose photo ID someone else registered first brings the ID to a district officer, who
 * records the claim against the registration holding it and releases it (the squatting registration is withdrawn)
 * or rejects the claim. Both outcomes are audited; the row keeps who decided what and why.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('identity_dispute')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('district_id', 'integer', (c) => c.notNull().references('district.id'))
    .addColumn('holder_beneficiary_id', 'uuid', (c) => c.notNull().references('beneficiary.id'))
    .addColumn('id_type', 'integer', (c) => c.notNull())
    .addColumn('id_last4', 'text', (c) => c.notNull())
    .addColumn('claimant_name', 'text', (c) => c.notNull())
    .addColumn('claimant_birth_year', 'integer', (c) => c.notNull())
    .addColumn('claimant_gender', 'text', (c) => c.notNull())
    .addColumn('claimant_mobile', 'char(10)', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('OPEN')
        .check(sql`status in ('OPEN', 'RELEASED', 'REJECTED')`),
    )
    .addColumn('opened_by', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_by', 'uuid', (c) => c.references('staff_user.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_reason', 'text')
    .execute();
  await db.schema
    .createIndex('identity_dispute_district_status_idx')
    .on('identity_dispute')
    .columns(['district_id', 'status'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('identity_dispute').execute();
}
