import { type Kysely, sql } from 'kysely';

/**
 * What Co-WIN partner apps hold on to. A move writes a new appointment row (the old one is RESCHEDULED), but
 * `POST /v2/appointment/reschedule` answers 204 with no body, so a partner app keeps using the id it had: each
 * row of a move now names the appointment it continues (`origin_id`, the first row's id; null on a first
 * booking), and /api/v2 answers and resolves appointment ids by it. The registration's `consent_version` (the
 * consent text the person agreed to, as Co-WIN clients send it) is kept with the registration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('appointment')
    .addColumn('origin_id', 'uuid', (c) => c.references('appointment.id'))
    .execute();
  await sql`create index appointment_origin_idx on appointment (origin_id) where origin_id is not null`.execute(db);
  await db.schema.alterTable('beneficiary').addColumn('consent_version', 'text').execute();
  await sql`
    create or replace function move_appointment(p jsonb) returns jsonb language plpgsql as $$
    declare
      v_from uuid := (p->>'fromAppointmentId')::uuid;
      v_id uuid := (p->>'appointmentId')::uuid;
      v_day uuid := (p->>'sessionDayId')::uuid;
      v_seat record;
      v_appointment jsonb;
    begin
      -- Two steps, not one OR: SQL does not promise to evaluate the left side first.
      if not lock_booking_person(p) then
        return jsonb_build_object('outcome', 'stale');
      end if;
      if not give_back_seat(v_from, 'RESCHEDULED'::text, 'MOVED'::text) then
        return jsonb_build_object('outcome', 'stale');
      end if;
      select * into v_seat from take_seat(v_day, (p->>'dose')::int, (p->>'slotId')::int,
                                          array(select jsonb_array_elements_text(p->'bookable')), 'MOVED');
      insert into appointment (id, beneficiary_id, session_day_id, slot_id, dose_number, channel, origin_id)
        values (v_id, (p->>'beneficiaryId')::uuid, v_day, v_seat.o_slot, (p->>'dose')::int, p->>'channel',
                (select coalesce(origin_id, id) from appointment where id = v_from));
      insert into audit_log (actor_type, actor_id, actor_role, action, entity_type, entity_id, details)
        values (p->'actor'->>'type', p->'actor'->>'id', p->'actor'->>'role', 'APPOINTMENT_RESCHEDULED', 'appointment',
                v_id::text, jsonb_build_object('from', v_from, 'sessionDayId', v_day, 'slotId', v_seat.o_slot));
      v_appointment := (p->'appointment')
        || jsonb_build_object('slotId', v_seat.o_slot, 'startsAt', v_seat.o_starts_at, 'endsAt', v_seat.o_ends_at);
      return jsonb_build_object('outcome', 'done', 'appointment', v_appointment,
                                'outboxId', record_booking_change(p, v_appointment, 'appointment:' || v_id || ':moved'));
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function move_appointment(p jsonb) returns jsonb language plpgsql as $$
    declare
      v_from uuid := (p->>'fromAppointmentId')::uuid;
      v_id uuid := (p->>'appointmentId')::uuid;
      v_day uuid := (p->>'sessionDayId')::uuid;
      v_seat record;
      v_appointment jsonb;
    begin
      if not lock_booking_person(p) then
        return jsonb_build_object('outcome', 'stale');
      end if;
      if not give_back_seat(v_from, 'RESCHEDULED'::text, 'MOVED'::text) then
        return jsonb_build_object('outcome', 'stale');
      end if;
      select * into v_seat from take_seat(v_day, (p->>'dose')::int, (p->>'slotId')::int,
                                          array(select jsonb_array_elements_text(p->'bookable')), 'MOVED');
      insert into appointment (id, beneficiary_id, session_day_id, slot_id, dose_number, channel)
        values (v_id, (p->>'beneficiaryId')::uuid, v_day, v_seat.o_slot, (p->>'dose')::int, p->>'channel');
      insert into audit_log (actor_type, actor_id, actor_role, action, entity_type, entity_id, details)
        values (p->'actor'->>'type', p->'actor'->>'id', p->'actor'->>'role', 'APPOINTMENT_RESCHEDULED', 'appointment',
                v_id::text, jsonb_build_object('from', v_from, 'sessionDayId', v_day, 'slotId', v_seat.o_slot));
      v_appointment := (p->'appointment')
        || jsonb_build_object('slotId', v_seat.o_slot, 'startsAt', v_seat.o_starts_at, 'endsAt', v_seat.o_ends_at);
      return jsonb_build_object('outcome', 'done', 'appointment', v_appointment,
                                'outboxId', record_booking_change(p, v_appointment, 'appointment:' || v_id || ':moved'));
    end $$;
  `.execute(db);
  await db.schema.alterTable('beneficiary').dropColumn('consent_version').execute();
  await sql`drop index appointment_origin_idx`.execute(db);
  await db.schema.alterTable('appointment').dropColumn('origin_id').execute();
}
