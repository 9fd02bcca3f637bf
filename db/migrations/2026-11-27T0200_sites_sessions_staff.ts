import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('site')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_hi', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('block', 'text', (c) => c.notNull())
    .addColumn('pincode', 'integer', (c) => c.notNull().check(sql`pincode between 100000 and 999999`))
    .addColumn('district_id', 'integer', (c) => c.notNull().references('district.id'))
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lng', 'double precision', (c) => c.notNull())
    .addColumn('ownership', 'text', (c) => c.notNull().check(sql`ownership in ('GOVERNMENT', 'PRIVATE')`))
    .addColumn('fee_inr', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`fee_inr >= 0`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('site_district_idx').on('site').column('district_id').execute();
  await db.schema.createIndex('site_pincode_idx').on('site').column('pincode').execute();

  await db.schema
    .createTable('session_day')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
    .addColumn('district_id', 'integer', (c) => c.notNull().references('district.id'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('vaccine_code', 'text', (c) => c.notNull().references('vaccine.code'))
    .addColumn('min_age', 'smallint', (c) => c.notNull().defaultTo(18))
    .addColumn('max_age', 'smallint')
    .addColumn('opens_at', 'time', (c) => c.notNull())
    .addColumn('closes_at', 'time', (c) => c.notNull())
    // Seats bookable online, per dose; the CHECKs are the last line against overbooking.
    .addColumn('dose1_capacity', 'integer', (c) => c.notNull().check(sql`dose1_capacity >= 0`))
    .addColumn('dose2_capacity', 'integer', (c) => c.notNull().check(sql`dose2_capacity >= 0`))
    .addColumn('dose1_booked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dose2_booked', 'integer', (c) => c.notNull().defaultTo(0))
    // Seats kept for people who walk in without a booking.
    .addColumn('walkin_capacity', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`walkin_capacity >= 0`),
    )
    .addColumn('walkin_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('PLANNED')
        .check(sql`status in ('PLANNED', 'OPEN', 'STALLED', 'PAUSED', 'CLOSED', 'CANCELLED')`),
    )
    // Set by an officer's "extend" intervention; the session closes at this instant instead of closes_at.
    .addColumn('extended_until', 'timestamptz')
    .addColumn('doses_recorded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_dose_at', 'timestamptz')
    .addColumn('no_shows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('wastage', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('session_day_dose1_not_overbooked', sql`dose1_booked between 0 and dose1_capacity`)
    .addCheckConstraint('session_day_dose2_not_overbooked', sql`dose2_booked between 0 and dose2_capacity`)
    .addCheckConstraint('session_day_walkin_within_quota', sql`walkin_used between 0 and walkin_capacity`)
    .addCheckConstraint('session_day_hours_order', sql`closes_at > opens_at`)
    .addCheckConstraint('session_day_age_order', sql`max_age is null or max_age >= min_age`)
    .execute();
  await db.schema
    .createIndex('session_day_district_date_idx')
    .on('session_day')
    .columns(['district_id', 'date'])
    .execute();
  await db.schema.createIndex('session_day_site_date_idx').on('session_day').columns(['site_id', 'date']).execute();
  await db.schema.createIndex('session_day_date_status_idx').on('session_day').columns(['date', 'status']).execute();

  // Time slots within a session day, each with its own capacity so arrivals spread through the day.
  await db.schema
    .createTable('session_slot')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('session_day_id', 'uuid', (c) => c.notNull().references('session_day.id').onDelete('cascade'))
    .addColumn('starts_at', 'time', (c) => c.notNull())
    .addColumn('ends_at', 'time', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity >= 0`))
    .addColumn('booked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('walkin_capacity', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`walkin_capacity >= 0`),
    )
    .addColumn('walkin_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addCheckConstraint('session_slot_not_overbooked', sql`booked between 0 and capacity`)
    .addCheckConstraint('session_slot_walkin_within_quota', sql`walkin_used between 0 and walkin_capacity`)
    .addCheckConstraint('session_slot_order', sql`ends_at > starts_at`)
    .addUniqueConstraint('session_slot_start_unique', ['session_day_id', 'starts_at'])
    .execute();

  await db.schema
    .createTable('staff_user')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mobile', 'char(10)')
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('VACCINATOR', 'DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN')`),
    )
    .addColumn('state_id', 'integer', (c) => c.references('state.id'))
    .addColumn('district_id', 'integer', (c) => c.references('district.id'))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Jurisdiction follows the role: officers are bound to their area, vaccinators to a district.
    .addCheckConstraint(
      'staff_user_jurisdiction',
      sql`(role = 'NATIONAL_ADMIN')
        or (role = 'STATE_OFFICER' and state_id is not null)
        or (role in ('DISTRICT_OFFICER', 'VACCINATOR') and district_id is not null and state_id is not null)`,
    )
    .execute();

  // Who works a session day and in which step. One session day per person per date.
  await db.schema
    .createTable('session_assignment')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('session_day_id', 'uuid', (c) => c.notNull().references('session_day.id').onDelete('cascade'))
    .addColumn('staff_id', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('session_date', 'date', (c) => c.notNull())
    .addColumn('team_role', 'text', (c) => c.notNull().check(sql`team_role in ('VACCINATOR', 'VERIFIER', 'OBSERVER')`))
    .addColumn('assigned_by', 'uuid', (c) => c.references('staff_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('session_assignment_one_session_per_day', ['staff_id', 'session_date'])
    .execute();
  await db.schema
    .createIndex('session_assignment_session_idx')
    .on('session_assignment')
    .column('session_day_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('session_assignment').execute();
  await db.schema.dropTable('staff_user').execute();
  await db.schema.dropTable('session_slot').execute();
  await db.schema.dropTable('session_day').execute();
  await db.schema.dropTable('site').execute();
}
