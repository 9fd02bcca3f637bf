import { type Kysely, sql } from 'kysely';

/**
 * Rollups for the war-room dashboards, so every dashboard read touches a few hundred small rows and never `dose`:
 * - district_daily_doses: doses per district per India date (cumulative coverage by day, doses today);
 * - daily_registrations: registrations per India date, split over 16 shards so concurrent registrations do not
 *   queue on one hot counter row (the total is the sum of a few rows per day);
 * - district_session_counts: session days per district, date and status (live and stalled sessions without
 *   counting a lakh session_day rows), kept by triggers on session_day that fire only when a status, date or
 *   district changes — not on the per-dose counter updates;
 * - a partial index on today's STALLED session days ordered by silence, for the stalled-sessions list.
 * The dose trigger function is replaced by one that also maintains the daily table, and hourly buckets now start
 * on India's clock hours (date_trunc in Asia/Kolkata): before, they followed the server's TimeZone setting, so on a
 * UTC server an "hour" ran from :30 to :30 in India and today's hours straddled India's midnight.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('district_daily_doses')
    .addColumn('district_id', 'integer', (c) => c.notNull().references('district.id'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('doses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dose1', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dose2', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('district_daily_doses_pk', ['district_id', 'date'])
    .execute();
  await db.schema.createIndex('district_daily_doses_date_idx').on('district_daily_doses').column('date').execute();

  await db.schema
    .createTable('daily_registrations')
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('shard', 'smallint', (c) => c.notNull())
    .addColumn('registrations', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('daily_registrations_pk', ['date', 'shard'])
    .execute();

  // No dose may land between the rebuild below and the new trigger taking over.
  await sql`lock table dose in share row exclusive mode`.execute(db);
  await sql`
    create or replace function dose_rollups() returns trigger language plpgsql as $$
    begin
      insert into district_coverage (district_id, dose1, dose2)
        values (new.district_id, (new.dose_number = 1)::int, (new.dose_number = 2)::int)
        on conflict (district_id) do update set
          dose1 = district_coverage.dose1 + excluded.dose1,
          dose2 = district_coverage.dose2 + excluded.dose2,
          updated_at = now();
      insert into district_hourly_doses (district_id, hour, doses)
        values (new.district_id, date_trunc('hour', new.administered_at, 'Asia/Kolkata'), 1)
        on conflict (district_id, hour) do update set doses = district_hourly_doses.doses + 1;
      -- Same district as district_coverage above, whose row this transaction already holds: no new contention.
      insert into district_daily_doses (district_id, date, doses, dose1, dose2)
        values (new.district_id, (new.administered_at at time zone 'Asia/Kolkata')::date, 1,
                (new.dose_number = 1)::int, (new.dose_number = 2)::int)
        on conflict (district_id, date) do update set
          doses = district_daily_doses.doses + 1,
          dose1 = district_daily_doses.dose1 + excluded.dose1,
          dose2 = district_daily_doses.dose2 + excluded.dose2;
      update session_day set
          doses_recorded = doses_recorded + 1,
          last_dose_at = greatest(coalesce(last_dose_at, new.recorded_at), new.recorded_at),
          updated_at = now()
        where id = new.session_day_id;
      return new;
    end $$;
  `.execute(db);
  await sql`delete from district_hourly_doses`.execute(db);
  await sql`
    insert into district_hourly_doses (district_id, hour, doses)
    select district_id, date_trunc('hour', administered_at, 'Asia/Kolkata'), count(*) from dose group by 1, 2
  `.execute(db);
  await sql`
    insert into district_daily_doses (district_id, date, doses, dose1, dose2)
    select district_id, (administered_at at time zone 'Asia/Kolkata')::date, count(*),
           count(*) filter (where dose_number = 1), count(*) filter (where dose_number = 2)
    from dose group by 1, 2
  `.execute(db);

  await db.schema
    .createTable('district_session_counts')
    .addColumn('district_id', 'integer', (c) => c.notNull().references('district.id'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sessions', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('district_session_counts_pk', ['district_id', 'date', 'status'])
    .execute();
  await db.schema
    .createIndex('district_session_counts_date_idx')
    .on('district_session_counts')
    .column('date')
    .execute();
  await sql`lock table session_day in share row exclusive mode`.execute(db);
  await sql`
    create function session_day_counts() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        update district_session_counts set sessions = sessions - 1
          where district_id = old.district_id and date = old.date and status = old.status;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into district_session_counts (district_id, date, status, sessions)
          values (new.district_id, new.date, new.status, 1)
          on conflict (district_id, date, status) do update set sessions = district_session_counts.sessions + 1;
      end if;
      return null;
    end $$;
  `.execute(db);
  await sql`create trigger session_day_counts_insert after insert on session_day for each row execute function session_day_counts()`.execute(
    db,
  );
  await sql`create trigger session_day_counts_delete after delete on session_day for each row execute function session_day_counts()`.execute(
    db,
  );
  await sql`
    create trigger session_day_counts_update after update of status, date, district_id on session_day for each row
    when (old.status is distinct from new.status or old.date is distinct from new.date or old.district_id is distinct from new.district_id)
    execute function session_day_counts()
  `.execute(db);
  await sql`
    insert into district_session_counts (district_id, date, status, sessions)
    select district_id, date, status, count(*) from session_day group by 1, 2, 3
  `.execute(db);
  // Longest silence first: the last dose, or the opening when there was none (db/repositories/dashboard.ts).
  await sql`
    create index session_day_stalled_idx on session_day
      (date, (coalesce(last_dose_at, (date + opens_at) at time zone 'Asia/Kolkata')))
      where status = 'STALLED'
  `.execute(db);

  await sql`lock table beneficiary in share row exclusive mode`.execute(db);
  await sql`
    create function registration_rollups() returns trigger language plpgsql as $$
    begin
      insert into daily_registrations (date, shard, registrations)
        values ((new.created_at at time zone 'Asia/Kolkata')::date, (hashtext(new.id::text) & 15)::smallint, 1)
        on conflict (date, shard) do update set registrations = daily_registrations.registrations + 1;
      return new;
    end $$;
  `.execute(db);
  await sql`create trigger registration_rollups after insert on beneficiary for each row execute function registration_rollups()`.execute(
    db,
  );
  await sql`
    insert into daily_registrations (date, shard, registrations)
    select (created_at at time zone 'Asia/Kolkata')::date, (hashtext(id::text) & 15)::smallint, count(*) from beneficiary group by 1, 2
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger registration_rollups on beneficiary`.execute(db);
  await sql`drop function registration_rollups()`.execute(db);
  await db.schema.dropTable('daily_registrations').execute();

  await sql`drop index session_day_stalled_idx`.execute(db);
  for (const trigger of ['session_day_counts_insert', 'session_day_counts_delete', 'session_day_counts_update']) {
    await sql`drop trigger ${sql.raw(trigger)} on session_day`.execute(db);
  }
  await sql`drop function session_day_counts()`.execute(db);
  await db.schema.dropTable('district_session_counts').execute();

  await sql`lock table dose in share row exclusive mode`.execute(db);
  // The function as 2026-11-27T0400 left it, and its hourly buckets.
  await sql`
    create or replace function dose_rollups() returns trigger language plpgsql as $$
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
  await sql`delete from district_hourly_doses`.execute(db);
  await sql`
    insert into district_hourly_doses (district_id, hour, doses)
    select district_id, date_trunc('hour', administered_at), count(*) from dose group by 1, 2
  `.execute(db);
  await db.schema.dropTable('district_daily_doses').execute();
}
