import { type Kysely, sql } from 'kysely';

/**
 * Dry runs: rehearsals of a vaccination day (a drill at the real time, or a simulation on a compressed clock).
 * A dry run owns the session days, people, accounts and staff it creates (`dry_run_id` on each); a booking, dose,
 * check or release belongs to it through its session day. One rule keeps that data out of every real figure:
 * rows with a dry run are never counted. The rollup triggers (coverage, doses per hour and day, registrations,
 * session counts) skip them here; reads of the base tables use db/repositories/real-data.ts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dry_run')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('DRILL', 'SIMULATION')`))
    .addColumn('state_id', 'integer', (c) => c.notNull().references('state.id'))
    .addColumn('district_id', 'integer', (c) => c.references('district.id'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('day_ms', 'bigint')
    .addColumn('parameters', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('PLANNED')
        .check(sql`status in ('PLANNED', 'RUNNING', 'FINISHED', 'FAILED')`),
    )
    .addColumn('failure', 'text')
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('dry_run_state_idx').on('dry_run').columns(['state_id', 'created_at']).execute();

  for (const table of ['session_day', 'beneficiary', 'account', 'staff_user']) {
    await sql`alter table ${sql.table(table)} add column dry_run_id uuid references dry_run(id)`.execute(db);
    await sql`create index ${sql.raw(`${table}_dry_run_idx`)} on ${sql.table(table)} (dry_run_id) where dry_run_id is not null`.execute(
      db,
    );
  }

  // A simulation's arrivals at the door: when each came, how long the queue was, and whether they got in. The
  // door check, dose and release that follow are the real rows; this is what only a simulation knows.
  await db.schema
    .createTable('dry_run_arrival')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('dry_run_id', 'uuid', (c) => c.notNull().references('dry_run.id'))
    .addColumn('session_day_id', 'uuid', (c) => c.notNull().references('session_day.id'))
    .addColumn('slot_id', 'integer', (c) => c.references('session_slot.id'))
    .addColumn('beneficiary_id', 'uuid', (c) => c.references('beneficiary.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('BOOKED', 'WALKIN')`))
    .addColumn('arrived_at', 'timestamptz', (c) => c.notNull())
    .addColumn('queue_on_arrival', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('VERIFIED', 'TURNED_AWAY')`))
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createIndex('dry_run_arrival_run_idx')
    .on('dry_run_arrival')
    .columns(['dry_run_id', 'session_day_id'])
    .execute();

  // A real person never books or is vaccinated at a rehearsal's session day, nor a test person at a real one.
  await sql`
    create function dry_run_kept_apart() returns trigger language plpgsql as $$
    begin
      if (select dry_run_id from session_day where id = new.session_day_id)
         is distinct from (select dry_run_id from beneficiary where id = new.beneficiary_id) then
        raise exception 'a dry run''s test people and session days are kept apart from real ones'
          using errcode = 'TK002', hint = 'DRY_RUN_KEPT_APART';
      end if;
      return new;
    end $$;
  `.execute(db);
  await sql`create trigger dry_run_kept_apart before insert on appointment for each row execute function dry_run_kept_apart()`.execute(
    db,
  );
  await sql`create trigger dry_run_kept_apart before insert on dose for each row execute function dry_run_kept_apart()`.execute(
    db,
  );

  await sql`lock table dose, session_day, beneficiary, appointment in share row exclusive mode`.execute(db);
  // As 2026-11-27T0800 left it, but the session day is updated first and tells whether the dose is a dry run's.
  await sql`
    create or replace function dose_rollups() returns trigger language plpgsql as $$
    declare
      v_dry_run uuid;
    begin
      update session_day set
          doses_recorded = doses_recorded + 1,
          last_dose_at = greatest(coalesce(last_dose_at, new.recorded_at), new.recorded_at),
          updated_at = now()
        where id = new.session_day_id
        returning dry_run_id into v_dry_run;
      if v_dry_run is not null then
        return new; -- a rehearsal's dose counts nowhere real
      end if;
      insert into district_coverage (district_id, dose1, dose2)
        values (new.district_id, (new.dose_number = 1)::int, (new.dose_number = 2)::int)
        on conflict (district_id) do update set
          dose1 = district_coverage.dose1 + excluded.dose1,
          dose2 = district_coverage.dose2 + excluded.dose2,
          updated_at = now();
      insert into district_hourly_doses (district_id, hour, doses)
        values (new.district_id, date_trunc('hour', new.administered_at, 'Asia/Kolkata'), 1)
        on conflict (district_id, hour) do update set doses = district_hourly_doses.doses + 1;
      insert into district_daily_doses (district_id, date, doses, dose1, dose2)
        values (new.district_id, (new.administered_at at time zone 'Asia/Kolkata')::date, 1,
                (new.dose_number = 1)::int, (new.dose_number = 2)::int)
        on conflict (district_id, date) do update set
          doses = district_daily_doses.doses + 1,
          dose1 = district_daily_doses.dose1 + excluded.dose1,
          dose2 = district_daily_doses.dose2 + excluded.dose2;
      return new;
    end $$;
  `.execute(db);

  await sql`
    create or replace function session_day_counts() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') and old.dry_run_id is null then
        update district_session_counts set sessions = sessions - 1
          where district_id = old.district_id and date = old.date and status = old.status;
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.dry_run_id is null then
        insert into district_session_counts (district_id, date, status, sessions)
          values (new.district_id, new.date, new.status, 1)
          on conflict (district_id, date, status) do update set sessions = district_session_counts.sessions + 1;
      end if;
      return null;
    end $$;
  `.execute(db);

  await sql`
    create or replace function registration_rollups() returns trigger language plpgsql as $$
    begin
      if new.dry_run_id is not null then
        return new;
      end if;
      insert into daily_registrations (date, shard, registrations)
        values ((new.created_at at time zone 'Asia/Kolkata')::date, (hashtext(new.id::text) & 15)::smallint, 1)
        on conflict (date, shard) do update set registrations = daily_registrations.registrations + 1;
      return new;
    end $$;
  `.execute(db);

  // As 2026-12-06T0418 left it; a dry run's person is never counted in a district.
  await sql`
    create or replace function count_registration_in_district() returns trigger language plpgsql as $$
    declare
      home integer;
      home_state integer;
      registered date;
    begin
      if tg_table_name = 'appointment' then
        select district_id into home from session_day where id = new.session_day_id;
      else
        home := new.district_id;
      end if;
      insert into beneficiary_district (beneficiary_id, district_id, registered_on)
        select b.id, home, (b.created_at at time zone 'Asia/Kolkata')::date from beneficiary b
        where b.id = new.beneficiary_id and b.dry_run_id is null
        on conflict (beneficiary_id) do nothing
        returning registered_on into registered;
      if registered is null then
        return null; -- already counted where they first booked or were vaccinated, or a dry run's
      end if;
      insert into district_daily_registrations (district_id, date, shard, registrations)
        values (home, registered, (hashtext(new.beneficiary_id::text) & 7)::smallint, 1)
        on conflict (district_id, date, shard) do update
          set registrations = district_daily_registrations.registrations + 1;
      if registered <> (now() at time zone 'Asia/Kolkata')::date then
        return null;
      end if;
      select state_id into home_state from district where id = home;
      perform pg_notify('teeka_live', jsonb_build_object(
        'type', 'registration.counted', 'stateId', home_state, 'districtId', home,
        'at', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'data', jsonb_build_object('registeredOn', registered),
        'txid', pg_current_xact_id()::text)::text);
      return null;
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger dry_run_kept_apart on appointment`.execute(db);
  await sql`drop trigger dry_run_kept_apart on dose`.execute(db);
  await sql`drop function dry_run_kept_apart()`.execute(db);
  await sql`lock table dose, session_day, beneficiary, appointment in share row exclusive mode`.execute(db);
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
  await sql`
    create or replace function session_day_counts() returns trigger language plpgsql as $$
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
  await sql`
    create or replace function registration_rollups() returns trigger language plpgsql as $$
    begin
      insert into daily_registrations (date, shard, registrations)
        values ((new.created_at at time zone 'Asia/Kolkata')::date, (hashtext(new.id::text) & 15)::smallint, 1)
        on conflict (date, shard) do update set registrations = daily_registrations.registrations + 1;
      return new;
    end $$;
  `.execute(db);
  await sql`
    create or replace function count_registration_in_district() returns trigger language plpgsql as $$
    declare
      home integer;
      home_state integer;
      registered date;
    begin
      if tg_table_name = 'appointment' then
        select district_id into home from session_day where id = new.session_day_id;
      else
        home := new.district_id;
      end if;
      insert into beneficiary_district (beneficiary_id, district_id, registered_on)
        select b.id, home, (b.created_at at time zone 'Asia/Kolkata')::date from beneficiary b where b.id = new.beneficiary_id
        on conflict (beneficiary_id) do nothing
        returning registered_on into registered;
      if registered is null then
        return null;
      end if;
      insert into district_daily_registrations (district_id, date, shard, registrations)
        values (home, registered, (hashtext(new.beneficiary_id::text) & 7)::smallint, 1)
        on conflict (district_id, date, shard) do update
          set registrations = district_daily_registrations.registrations + 1;
      if registered <> (now() at time zone 'Asia/Kolkata')::date then
        return null;
      end if;
      select state_id into home_state from district where id = home;
      perform pg_notify('teeka_live', jsonb_build_object(
        'type', 'registration.counted', 'stateId', home_state, 'districtId', home,
        'at', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'data', jsonb_build_object('registeredOn', registered),
        'txid', pg_current_xact_id()::text)::text);
      return null;
    end $$;
  `.execute(db);
  await db.schema.dropTable('dry_run_arrival').execute();
  for (const table of ['session_day', 'beneficiary', 'account', 'staff_user']) {
    await sql`alter table ${sql.table(table)} drop column dry_run_id`.execute(db);
  }
  await db.schema.dropTable('dry_run').execute();
}
