import { type Kysely, sql } from 'kysely';

/**
 * The bookings an API process has waiting for one session day, written together: one statement, one transaction,
 * one commit for all of them, each in its own subtransaction so one refused booking (a full slot, a person who
 * booked meanwhile) refuses only itself. When a session opens to a storm, its seat row is then taken once per
 * batch instead of once per person, each time behind every other person's commit.
 * Each result is book_appointment's answer, or the error that ended that booking alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function book_appointments_each(p_plans jsonb) returns jsonb language plpgsql as $$
    declare
      v_plan jsonb;
      v_results jsonb := '[]'::jsonb;
      v_state text;
      v_message text;
      v_hint text;
      v_detail text;
    begin
      for v_plan in select value from jsonb_array_elements(p_plans) loop
        begin
          v_results := v_results || jsonb_build_array(book_appointment(v_plan));
        exception when others then
          get stacked diagnostics v_state = returned_sqlstate, v_message = message_text,
                                  v_hint = pg_exception_hint, v_detail = pg_exception_detail;
          v_results := v_results || jsonb_build_array(jsonb_build_object('error', jsonb_build_object(
            'code', v_state, 'message', v_message, 'hint', nullif(v_hint, ''), 'detail', nullif(v_detail, ''))));
        end;
      end loop;
      return v_results;
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function book_appointments_each(jsonb)`.execute(db);
}
