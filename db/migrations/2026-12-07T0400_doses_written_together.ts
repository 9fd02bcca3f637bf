import { type Kysely, sql } from 'kysely';

/**
 * The doses an API process has in hand at one moment, written together: one statement, one transaction, one commit
 * for all of them (db/repositories/written-together.ts), each in its own subtransaction so a dose refused or met by
 * a concurrent change answers only for itself. On the record day every dose is a short transaction that ends in a
 * NOTIFY for the live feed, and a transaction that has notified takes the notification queue's lock to commit: one
 * by one, every dose in the country queues for that lock and for its own WAL flush. Together, once per batch.
 * Each result is record_dose's answer, or the error that ended that dose alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function record_doses_each(p_plans jsonb) returns jsonb language plpgsql
    set plan_cache_mode = force_generic_plan as $$
    declare
      v_plan jsonb;
      v_results jsonb[] := '{}';
      v_state text;
      v_message text;
      v_hint text;
    begin
      for v_plan in select value from jsonb_array_elements(p_plans) loop
        begin
          v_results := v_results || record_dose(v_plan);
        exception when others then
          get stacked diagnostics v_state = returned_sqlstate, v_message = message_text, v_hint = pg_exception_hint;
          v_results := v_results || jsonb_build_object('error', jsonb_build_object(
            'code', v_state, 'message', v_message, 'hint', nullif(v_hint, '')));
        end;
      end loop;
      return to_jsonb(v_results);
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function record_doses_each(jsonb)`.execute(db);
}
