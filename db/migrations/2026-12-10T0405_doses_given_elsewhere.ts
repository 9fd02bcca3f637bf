import { type Kysely, sql } from 'kysely';

/**
 * Doses given elsewhere (another site or district, abroad, a paper record never entered), added by an officer from
 * evidence. Such a dose is a `dose` row like any other (its number, vaccine, date, batch), so every rule that reads a
 * person's doses (the next dose's interval, the precaution dose, the certificate, the journey) counts it; it has no
 * Teeka session day, site or vaccinator, and its source is OFFICER. Its place, evidence and the officer who added it
 * are in `dose_evidence`.
 *
 * The rollups count it for the person's district coverage (dose 1 / dose 2) but not in doses per hour or per day,
 * which measure the drive's own throughput, and no session day's count moves.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table dose alter column site_id drop not null`.execute(db);
  await sql`alter table dose alter column session_day_id drop not null`.execute(db);
  await sql`alter table dose alter column vaccinator_id drop not null`.execute(db);
  await sql`alter table dose drop constraint dose_source_check`.execute(db);
  await sql`alter table dose add constraint dose_source_check check (source in ('ONLINE', 'OFFLINE', 'OFFICER'))`.execute(
    db,
  );
  // A dose is given at a Teeka session day (site, vaccinator) unless an officer added it from evidence.
  await sql`alter table dose add constraint dose_session_unless_added check (
      (source = 'OFFICER') = (session_day_id is null)
      and (session_day_id is null) = (site_id is null)
      and (session_day_id is null) = (vaccinator_id is null))`.execute(db);

  await db.schema
    .createTable('dose_evidence')
    .addColumn('dose_id', 'uuid', (c) => c.primaryKey().references('dose.id'))
    .addColumn('place', 'text', (c) => c.notNull().check(sql`length(place) between 1 and 200`))
    .addColumn('evidence_reference', 'text', (c) => c.notNull().check(sql`length(evidence_reference) between 1 and 80`))
    .addColumn('note', 'text', (c) => c.notNull().check(sql`length(note) between 1 and 500`))
    .addColumn('added_by', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await sql`lock table dose, session_day in share row exclusive mode`.execute(db);
  // As 2026-12-07T1215_dry_runs left it, but a dose with no session day counts only in the district's coverage.
  await sql`
    create or replace function dose_rollups() returns trigger language plpgsql as $$
    declare
      v_dry_run uuid;
    begin
      if new.session_day_id is not null then
        update session_day set
            doses_recorded = doses_recorded + 1,
            last_dose_at = greatest(coalesce(last_dose_at, new.recorded_at), new.recorded_at),
            updated_at = now()
          where id = new.session_day_id
          returning dry_run_id into v_dry_run;
        if v_dry_run is not null then
          return new; -- a rehearsal's dose counts nowhere real
        end if;
      end if;
      insert into district_coverage (district_id, dose1, dose2)
        values (new.district_id, (new.dose_number = 1)::int, (new.dose_number = 2)::int)
        on conflict (district_id) do update set
          dose1 = district_coverage.dose1 + excluded.dose1,
          dose2 = district_coverage.dose2 + excluded.dose2,
          updated_at = now();
      if new.session_day_id is null then
        return new; -- given elsewhere, added by an officer: the person's coverage, not the drive's throughput
      end if;
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
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`lock table dose, session_day in share row exclusive mode`.execute(db);
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
  await db.schema.dropTable('dose_evidence').execute();
  await sql`alter table dose drop constraint dose_session_unless_added`.execute(db);
  await sql`alter table dose drop constraint dose_source_check`.execute(db);
  await sql`alter table dose add constraint dose_source_check check (source in ('ONLINE', 'OFFLINE'))`.execute(db);
  await sql`alter table dose alter column vaccinator_id set not null`.execute(db);
  await sql`alter table dose alter column session_day_id set not null`.execute(db);
  await sql`alter table dose alter column site_id set not null`.execute(db);
}
