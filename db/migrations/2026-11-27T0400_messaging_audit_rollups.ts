import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // SMS outbox: every message is a row first; the sender delivers rows, so a retry never sends twice.
  await db.schema
    .createTable('sms_message')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('mobile', 'char(10)', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('dlt_template_id', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('QUEUED')
        .check(sql`status in ('QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'FAILED')`),
    )
    .addColumn('provider', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('sms_message_mobile_created_idx')
    .on('sms_message')
    .columns(['mobile', 'created_at'])
    .execute();
  await db.schema.createIndex('sms_message_status_idx').on('sms_message').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('certificate')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('beneficiary_id', 'uuid', (c) => c.notNull().references('beneficiary.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('PROVISIONAL', 'FINAL')`))
    .addColumn('doses', 'smallint', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('jws', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revocation_reason', 'text')
    .execute();
  await db.schema
    .createIndex('certificate_one_live_per_kind')
    .on('certificate')
    .columns(['beneficiary_id', 'kind'])
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();

  // Who did what, when, from where. Append-only.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('actor_type', 'text', (c) =>
      c.notNull().check(sql`actor_type in ('BENEFICIARY', 'STAFF', 'SYSTEM', 'PARTNER')`),
    )
    .addColumn('actor_id', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('ONLINE'))
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity_type', 'entity_id']).execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();

  // Transactional outbox for workflow commands (start a journey, signal a dose): written in the same
  // transaction as the fact, delivered right after commit, and relayed later if Temporal was unreachable.
  await db.schema
    .createTable('workflow_outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('START', 'SIGNAL')`))
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('workflow_type', 'text')
    .addColumn('signal_name', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addCheckConstraint(
      'workflow_outbox_kind_fields',
      sql`(kind = 'START' and workflow_type is not null) or (kind = 'SIGNAL' and signal_name is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('workflow_outbox_pending_idx')
    .on('workflow_outbox')
    .column('id')
    .where(sql.ref('delivered_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('token_revocation')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Proof of life for the API -> Temporal -> worker -> Postgres path.
  await db.schema
    .createTable('health_probe')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('worker_identity', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Rollups for live dashboards, maintained by a trigger on dose insert so reads never scan doses.
  await db.schema
    .createTable('district_coverage')
    .addColumn('district_id', 'integer', (c) => c.primaryKey().references('district.id'))
    .addColumn('dose1', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('dose2', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('district_hourly_doses')
    .addColumn('district_id', 'integer', (c) => c.notNull().references('district.id'))
    .addColumn('hour', 'timestamptz', (c) => c.notNull())
    .addColumn('doses', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('district_hourly_doses_pk', ['district_id', 'hour'])
    .execute();
  await db.schema.createIndex('district_hourly_doses_hour_idx').on('district_hourly_doses').column('hour').execute();

  await sql`
    create function dose_rollups() returns trigger language plpgsql as $$
    begin
      insert into district_coverage (district_id, dose1, dose2)
        values (new.district_id, (new.dose_number = 1)::int, (new.dose_number = 2)::int)
        on conflict (district_id) do update set
          dose1 = district_coverage.dose1 + excluded.dose1,
          dose2 = district_coverage.dose2 + excluded.dose2,
          updated_at = now();
      insert into district_hourly_doses (district_id, hour, doses)
        values (new.district_id, date_trunc('hour', new.administered_at), 1)
        on conflict (district_id, hour) do update set doses = district_hourly_doses.doses + 1;
      update session_day set
          doses_recorded = doses_recorded + 1,
          last_dose_at = greatest(coalesce(last_dose_at, new.recorded_at), new.recorded_at),
          updated_at = now()
        where id = new.session_day_id;
      return new;
    end $$;
  `.execute(db);
  await sql`create trigger dose_rollups after insert on dose for each row execute function dose_rollups()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger dose_rollups on dose`.execute(db);
  await sql`drop function dose_rollups()`.execute(db);
  await db.schema.dropTable('district_hourly_doses').execute();
  await db.schema.dropTable('district_coverage').execute();
  await db.schema.dropTable('health_probe').execute();
  await db.schema.dropTable('token_revocation').execute();
  await db.schema.dropTable('workflow_outbox').execute();
  await db.schema.dropTable('audit_log').execute();
  await db.schema.dropTable('certificate').execute();
  await db.schema.dropTable('sms_message').execute();
}
