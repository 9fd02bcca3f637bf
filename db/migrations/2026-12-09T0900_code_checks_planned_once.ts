import { type Kysely, sql } from 'kysely';

/**
 * The desk's secret-code checks without planning on every dose. `wrong_secret_code_tries` and `secret_code_lock`
 * (2026-12-06T1600_record_day_write_path) were SQL-language functions, which Postgres parses and plans again each
 * time a PL/pgSQL statement calls them (an aggregate keeps the count from being inlined); every online dose calls
 * them three times (its facts read, and record_dose under the code lock). Profiled on the record-day benchmark
 * (perf, Postgres backends), that was about 9 % of Postgres's CPU. As PL/pgSQL they keep their plans for the life
 * of the connection. What they answer is unchanged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function wrong_secret_code_tries(p_person uuid, p_session_day uuid) returns integer
    language plpgsql stable as $$
    begin
      return (select count(*)::int from audit_log
                where entity_type = 'beneficiary' and entity_id = p_person::text
                  and action = 'DESK_SECRET_CODE_WRONG' and details->>'sessionDayId' = p_session_day::text);
    end $$;
  `.execute(db);
  await sql`
    create or replace function secret_code_lock(p_person uuid, p_session_day uuid) returns void
    language plpgsql as $$
    begin
      perform pg_advisory_xact_lock(hashtext('desk-code:' || p_person || ':' || p_session_day));
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function wrong_secret_code_tries(p_person uuid, p_session_day uuid) returns integer
    language sql stable as $$
      select count(*)::int from audit_log
        where entity_type = 'beneficiary' and entity_id = p_person::text
          and action = 'DESK_SECRET_CODE_WRONG' and details->>'sessionDayId' = p_session_day::text;
    $$;
  `.execute(db);
  await sql`
    create or replace function secret_code_lock(p_person uuid, p_session_day uuid) returns void
    language sql as $$
      select pg_advisory_xact_lock(hashtext('desk-code:' || p_person || ':' || p_session_day));
    $$;
  `.execute(db);
}
