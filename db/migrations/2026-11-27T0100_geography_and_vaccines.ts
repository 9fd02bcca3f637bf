import { type Kysely, sql } from 'kysely';

// Migrations are frozen in time: they use Kysely<any> and never import application types.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_hi', 'text')
    .execute();

  await db.schema
    .createTable('district')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('state_id', 'integer', (c) => c.notNull().references('state.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_hi', 'text')
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lng', 'double precision', (c) => c.notNull())
    // Target population for coverage maps; admins import real figures, demo figures are flagged.
    .addColumn('target_population', 'bigint', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`target_population >= 0`),
    )
    .addColumn('target_is_demo', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  await db.schema.createIndex('district_state_idx').on('district').column('state_id').execute();

  await db.schema
    .createTable('pincode')
    .addColumn('pincode', 'integer', (c) => c.primaryKey().check(sql`pincode between 100000 and 999999`))
    .addColumn('district_id', 'integer', (c) => c.notNull().references('district.id'))
    .execute();
  await db.schema.createIndex('pincode_district_idx').on('pincode').column('district_id').execute();

  await db.schema
    .createTable('vaccine')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('doses', 'smallint', (c) => c.notNull().check(sql`doses between 1 and 3`))
    .addColumn('min_interval_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_interval_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addCheckConstraint('vaccine_interval_order', sql`max_interval_days >= min_interval_days`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vaccine').execute();
  await db.schema.dropTable('pincode').execute();
  await db.schema.dropTable('district').execute();
  await db.schema.dropTable('state').execute();
}
