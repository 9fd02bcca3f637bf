import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('account')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('mobile', 'char(10)', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`mobile ~ '^[6-9][0-9]{9}$'`),
    )
    .addColumn('verified_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('beneficiary')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('reference_id', 'char(14)', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`reference_id ~ '^[0-9]{14}$'`),
    )
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('account.id'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 100`))
    .addColumn('birth_year', 'smallint', (c) => c.notNull().check(sql`birth_year between 1900 and 2100`))
    .addColumn('gender', 'text', (c) => c.notNull().check(sql`gender in ('M', 'F', 'O')`))
    .addColumn('id_type', 'smallint', (c) => c.notNull())
    // HMAC-SHA256 (server secret) of the normalised ID number; the number itself is never stored.
    .addColumn('id_hash', 'text', (c) => c.notNull())
    .addColumn('id_last4', 'char(4)', (c) => c.notNull())
    .addColumn('secret_code', 'char(4)', (c) => c.notNull().check(sql`secret_code ~ '^[0-9]{4}$'`))
    .addColumn('comorbidity', 'boolean', (c) => c.notNull().defaultTo(false))
    // Projection of the journey workflow's stage, for pages and dashboards.
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo('REGISTERED'))
    .addColumn('stage_updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('vaccine_code', 'text', (c) => c.references('vaccine.code'))
    .addColumn('next_dose_due_on', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  // No proxies: one live registration per identity document, across every mobile.
  await db.schema
    .createIndex('beneficiary_identity_unique')
    .on('beneficiary')
    .column('id_hash')
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
  await db.schema.createIndex('beneficiary_account_idx').on('beneficiary').column('account_id').execute();
  await db.schema.createIndex('beneficiary_stage_idx').on('beneficiary').column('stage').execute();

  // At most four live people per mobile, enforced under a lock on the account row.
  await sql`
    create function beneficiary_limit_per_account() returns trigger language plpgsql as $$
    begin
      perform 1 from account where id = new.account_id for update;
      if (select count(*) from beneficiary where account_id = new.account_id and deleted_at is null) >= 4 then
        raise exception 'a mobile number can register at most 4 people' using errcode = 'check_violation',
          constraint = 'beneficiary_limit_per_account';
      end if;
      return new;
    end $$;
  `.execute(db);
  await sql`
    create trigger beneficiary_limit_per_account before insert on beneficiary
    for each row execute function beneficiary_limit_per_account();
  `.execute(db);

  await db.schema
    .createTable('otp_challenge')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('mobile', 'char(10)', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('LOGIN'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'smallint', (c) => c.notNull().defaultTo(3))
    .addColumn('verified_at', 'timestamptz')
    .addColumn('requester_ip', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('otp_challenge_mobile_created_idx')
    .on('otp_challenge')
    .columns(['mobile', 'created_at'])
    .execute();
  await db.schema
    .createIndex('otp_challenge_ip_created_idx')
    .on('otp_challenge')
    .columns(['requester_ip', 'created_at'])
    .execute();

  await db.schema
    .createTable('appointment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('beneficiary_id', 'uuid', (c) => c.notNull().references('beneficiary.id'))
    .addColumn('session_day_id', 'uuid', (c) => c.notNull().references('session_day.id'))
    .addColumn('slot_id', 'integer', (c) => c.references('session_slot.id'))
    .addColumn('dose_number', 'smallint', (c) => c.notNull().check(sql`dose_number between 1 and 3`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('BOOKED')
        .check(sql`status in ('BOOKED', 'CANCELLED', 'RESCHEDULED', 'COMPLETED', 'NO_SHOW')`),
    )
    .addColumn('channel', 'text', (c) =>
      c
        .notNull()
        .defaultTo('PORTAL')
        .check(sql`channel in ('PORTAL', 'PARTNER', 'WALKIN', 'OFFICER')`),
    )
    .addColumn('booked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One live appointment per person per dose.
  await db.schema
    .createIndex('appointment_one_live_per_dose')
    .on('appointment')
    .columns(['beneficiary_id', 'dose_number'])
    .unique()
    .where(sql.ref('status'), '=', 'BOOKED')
    .execute();
  await db.schema
    .createIndex('appointment_session_status_idx')
    .on('appointment')
    .columns(['session_day_id', 'status'])
    .execute();

  // The identity check at the door, a separate act from the dose itself.
  await db.schema
    .createTable('verification_check')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('session_day_id', 'uuid', (c) => c.notNull().references('session_day.id'))
    .addColumn('beneficiary_id', 'uuid', (c) => c.notNull().references('beneficiary.id'))
    .addColumn('verified_by', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('SECRET_CODE', 'OTP')`))
    .addColumn('verified_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('verification_check_session_idx')
    .on('verification_check')
    .columns(['session_day_id', 'beneficiary_id'])
    .execute();

  await db.schema
    .createTable('dose')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('beneficiary_id', 'uuid', (c) => c.notNull().references('beneficiary.id'))
    .addColumn('dose_number', 'smallint', (c) => c.notNull().check(sql`dose_number between 1 and 3`))
    .addColumn('vaccine_code', 'text', (c) => c.notNull().references('vaccine.code'))
    .addColumn('batch', 'text', (c) => c.notNull().check(sql`length(batch) between 1 and 40`))
    .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
    .addColumn('session_day_id', 'uuid', (c) => c.notNull().references('session_day.id'))
    .addColumn('district_id', 'integer', (c) => c.notNull().references('district.id'))
    .addColumn('vaccinator_id', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('verification_id', 'uuid', (c) => c.references('verification_check.id'))
    .addColumn('appointment_id', 'uuid', (c) => c.references('appointment.id'))
    .addColumn('administered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Devices send one id per recorded event; a replay of the same event is a no-op.
    .addColumn('client_event_id', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) =>
      c
        .notNull()
        .defaultTo('ONLINE')
        .check(sql`source in ('ONLINE', 'OFFLINE')`),
    )
    .addColumn('clock_skew_ms', 'integer')
    .addUniqueConstraint('dose_one_per_number', ['beneficiary_id', 'dose_number'])
    .execute();
  await db.schema
    .createIndex('dose_session_day_idx')
    .on('dose')
    .columns(['session_day_id', 'administered_at'])
    .execute();
  await db.schema
    .createIndex('dose_district_time_idx')
    .on('dose')
    .columns(['district_id', 'administered_at'])
    .execute();

  await db.schema
    .createTable('aefi_report')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('dose_id', 'uuid', (c) => c.notNull().references('dose.id'))
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('MINOR', 'SERIOUS', 'SEVERE')`))
    .addColumn('symptoms', sql`text[]`, (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('during_observation', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('reported_by', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('client_event_id', 'text', (c) => c.unique())
    .execute();
  await db.schema.createIndex('aefi_report_dose_idx').on('aefi_report').column('dose_id').execute();

  await db.schema
    .createTable('journey_stage_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('beneficiary_id', 'uuid', (c) => c.notNull().references('beneficiary.id'))
    .addColumn('from_stage', 'text')
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    // The workflow step that produced the row; retried activities do not write twice.
    .addColumn('step_key', 'text', (c) => c.notNull().unique())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('journey_stage_history_beneficiary_idx')
    .on('journey_stage_history')
    .columns(['beneficiary_id', 'at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('journey_stage_history').execute();
  await db.schema.dropTable('aefi_report').execute();
  await db.schema.dropTable('dose').execute();
  await db.schema.dropTable('verification_check').execute();
  await db.schema.dropTable('appointment').execute();
  await db.schema.dropTable('otp_challenge').execute();
  await sql`drop trigger beneficiary_limit_per_account on beneficiary`.execute(db);
  await sql`drop function beneficiary_limit_per_account()`.execute(db);
  await db.schema.dropTable('beneficiary').execute();
  await db.schema.dropTable('account').execute();
}
