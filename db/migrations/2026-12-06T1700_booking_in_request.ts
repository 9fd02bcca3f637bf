import { type Kysely, sql } from 'kysely';

/**
 * Bookings taken in Postgres in the request, one statement each (db/repositories/bookings.ts decides, with
 * domain/booking-rules.ts, from one read; these functions write):
 *
 * - `beneficiary.booking_version` moves on with every booking change of a person. A write goes ahead only if it has
 *   not moved since the read (nor the stage, nor the doses), under the person's row lock; and the journey applies a
 *   `bookingChanged` signal only if its version is newer than the last one it applied, so signals may arrive late,
 *   twice or out of order.
 * - `take_seat` / `give_back_seat(appointment_id)`: the seat rules, one home for every caller in SQL or TypeScript
 *   (bookings, cancellations, no-shows, withdrawals; the dose path can release a person's other bookings with it).
 *   The latter ends the appointment and frees its seats exactly once, through the counter primitive
 *   `give_back_seat(session_day, slot, dose)` of 2026-12-06T1600. Each publishes the session day's `booking.changed`
 *   live event with the counters it left.
 * - `book_appointment`, `move_appointment`, `cancel_appointment`: the person locked and their facts re-checked, the
 *   seat taken or given back, the appointment, its audit row, the stage (with history), and the journey's outbox
 *   signal, in one round trip. The hot session-day row is locked only while that one statement runs.
 * - `publish_live_event`: the live feed's NOTIFY (live/publish.ts), one home for SQL and TypeScript callers.
 *
 * Refusals found only under the lock are raised as SQLSTATE TK002 with the refusal code as HINT (and a session
 * day's status as DETAIL).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('beneficiary')
    .addColumn('booking_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await sql`
    create function publish_live_event(p_event jsonb) returns void language plpgsql as $$
    begin
      perform pg_notify('teeka_live', (p_event || jsonb_build_object('txid', pg_current_xact_id()::text))::text);
    end $$;
  `.execute(db);

  // The session day's booking.changed event, carrying the counters after the change (clients set, never add).
  await sql`
    create function publish_booking_changed(
      p_session_day uuid, p_district integer, p_dose integer, p_change text, p_dose1_booked integer, p_dose2_booked integer
    ) returns void language plpgsql as $$
    begin
      perform publish_live_event(jsonb_build_object(
        'type', 'booking.changed',
        'stateId', (select state_id from district where id = p_district),
        'districtId', p_district,
        'sessionDayId', p_session_day,
        'at', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'data', jsonb_build_object('dose', p_dose, 'sessionDayId', p_session_day, 'change', p_change,
                                   'dose1Booked', p_dose1_booked, 'dose2Booked', p_dose2_booked)));
    end $$;
  `.execute(db);

  // One dose seat of the session day (if it is in a bookable status and has one) and one seat of the slot asked
  // for, or of the earliest slot with room. Other bookings of the day wait on the day's row from here to commit,
  // so the slot chosen is always seen with every earlier booking committed.
  await sql`
    create function take_seat(
      p_session_day uuid, p_dose integer, p_slot integer, p_bookable text[], p_change text,
      out o_slot integer, out o_starts_at time, out o_ends_at time
    ) language plpgsql as $$
    declare
      v_day record;
      v_status text;
    begin
      update session_day set
          dose1_booked = dose1_booked + (p_dose = 1)::int,
          dose2_booked = dose2_booked + (p_dose <> 1)::int
        where id = p_session_day
          and status = any (p_bookable)
          and case when p_dose = 1 then dose1_booked < dose1_capacity else dose2_booked < dose2_capacity end
        returning district_id, dose1_booked, dose2_booked into v_day;
      if not found then
        select status into v_status from session_day where id = p_session_day;
        if v_status is null or not (v_status = any (p_bookable)) then
          raise exception 'session day not bookable' using errcode = 'TK002', hint = 'SESSION_NOT_BOOKABLE',
            detail = coalesce(v_status, 'GONE');
        end if;
        raise exception 'no seats left' using errcode = 'TK002', hint = 'SESSION_FULL';
      end if;
      update session_slot s set booked = s.booked + 1
        where s.session_day_id = p_session_day
          and s.id = coalesce(p_slot, (
            select f.id from session_slot f
            where f.session_day_id = p_session_day and f.booked < f.capacity
            order by f.starts_at limit 1))
          and s.booked < s.capacity
        returning s.id, s.starts_at, s.ends_at into o_slot, o_starts_at, o_ends_at;
      if not found then
        if p_slot is not null
           and not exists (select 1 from session_slot where id = p_slot and session_day_id = p_session_day) then
          raise exception 'slot not of this session day' using errcode = 'TK002', hint = 'SLOT_NOT_FOUND';
        end if;
        raise exception 'slot full' using errcode = 'TK002', hint = 'SLOT_FULL';
      end if;
      perform publish_booking_changed(p_session_day, v_day.district_id, p_dose, p_change,
                                      v_day.dose1_booked, v_day.dose2_booked);
    end $$;
  `.execute(db);

  // Ends a live (BOOKED) appointment with the given status and gives its dose seat and slot seat back, exactly
  // once: false, with nothing changed, when the appointment was not live. The counters move by the seat primitive
  // give_back_seat(session_day, slot, dose) of 2026-12-06T1600_record_day_write_path; a no-show is counted on its
  // day, and the day's booking.changed event carries the counters left.
  await sql`
    create function give_back_seat(p_appointment uuid, p_status text default 'CANCELLED', p_change text default 'RELEASED')
    returns boolean language plpgsql as $$
    declare
      v_appointment record;
      v_day record;
    begin
      update appointment set status = p_status, updated_at = now()
        where id = p_appointment and status = 'BOOKED'
        returning session_day_id, slot_id, dose_number into v_appointment;
      if not found then
        return false;
      end if;
      perform give_back_seat(v_appointment.session_day_id, v_appointment.slot_id, v_appointment.dose_number::integer);
      update session_day set no_shows = no_shows + (p_status = 'NO_SHOW')::int
        where id = v_appointment.session_day_id
        returning district_id, dose1_booked, dose2_booked into v_day;
      perform publish_booking_changed(v_appointment.session_day_id, v_day.district_id, v_appointment.dose_number,
                                      p_change, v_day.dose1_booked, v_day.dose2_booked);
      return true;
    end $$;
  `.execute(db);

  /*
   * The plan every booking change carries (p): { beneficiaryId, bookingVersion, stage, previousDose (the latest
   * dose number the decision saw, 0 for none), to (the stage after), reason, actor: { type, id, role }, workflowId,
   * signalName, signal (the journey's event without version and appointment), notify (false: no signal), bookable
   * (statuses) } and per change
   * the appointment's facts.
   */

  // Locks the person and confirms the facts the decision was made on: false when they changed meanwhile.
  await sql`
    create function lock_booking_person(p jsonb) returns boolean language plpgsql as $$
    declare
      v_person uuid := (p->>'beneficiaryId')::uuid;
    begin
      perform 1 from beneficiary
        where id = v_person and booking_version = (p->>'bookingVersion')::int and stage = p->>'stage'
          and deleted_at is null
        for update;
      if not found then
        return false;
      end if;
      return (select coalesce(max(dose_number), 0) from dose where beneficiary_id = v_person) = (p->>'previousDose')::int;
    end $$;
  `.execute(db);

  // The person's next booking version and stage (with history and audit when it moves), and the journey's signal
  // carrying both and the person's appointment after the change. Returns the outbox row's id.
  await sql`
    create function record_booking_change(p jsonb, p_appointment jsonb, p_step text) returns bigint
    language plpgsql as $$
    declare
      v_person uuid := (p->>'beneficiaryId')::uuid;
      v_version integer;
      v_outbox bigint;
    begin
      update beneficiary set booking_version = booking_version + 1, stage = p->>'to',
          stage_updated_at = case when stage = p->>'to' then stage_updated_at else now() end
        where id = v_person
        returning booking_version into v_version;
      if p->>'to' <> p->>'stage' then
        insert into journey_stage_history (beneficiary_id, from_stage, to_stage, reason, step_key)
          values (v_person, p->>'stage', p->>'to', p->>'reason', p_step);
        insert into audit_log (actor_type, actor_id, actor_role, action, entity_type, entity_id, details)
          values (p->'actor'->>'type', p->'actor'->>'id', p->'actor'->>'role', 'JOURNEY_STAGE_CHANGED', 'beneficiary',
                  v_person::text, jsonb_build_object('from', p->>'stage', 'to', p->>'to', 'reason', p->>'reason'));
      end if;
      -- notify false: a step of the journey's own (an update of an earlier release) that tells the journey itself.
      if coalesce((p->>'notify')::boolean, true) then
        insert into workflow_outbox (kind, workflow_id, signal_name, payload)
          values ('SIGNAL', p->>'workflowId', p->>'signalName',
                  (p->'signal') || jsonb_build_object('version', v_version, 'appointment', p_appointment))
          returning id into v_outbox;
      end if;
      return v_outbox;
    end $$;
  `.execute(db);

  // p adds: appointmentId (new), sessionDayId, slotId (or null), dose, channel, appointment (its facts but the slot).
  await sql`
    create function book_appointment(p jsonb) returns jsonb language plpgsql as $$
    declare
      v_id uuid := (p->>'appointmentId')::uuid;
      v_day uuid := (p->>'sessionDayId')::uuid;
      v_seat record;
      v_appointment jsonb;
    begin
      if not lock_booking_person(p) then
        return jsonb_build_object('outcome', 'stale');
      end if;
      select * into v_seat from take_seat(v_day, (p->>'dose')::int, (p->>'slotId')::int,
                                          array(select jsonb_array_elements_text(p->'bookable')), 'BOOKED');
      insert into appointment (id, beneficiary_id, session_day_id, slot_id, dose_number, channel)
        values (v_id, (p->>'beneficiaryId')::uuid, v_day, v_seat.o_slot, (p->>'dose')::int, p->>'channel');
      insert into audit_log (actor_type, actor_id, actor_role, action, entity_type, entity_id, details)
        values (p->'actor'->>'type', p->'actor'->>'id', p->'actor'->>'role', 'APPOINTMENT_BOOKED', 'appointment',
                v_id::text, jsonb_build_object('beneficiaryId', p->>'beneficiaryId', 'sessionDayId', v_day,
                                               'slotId', v_seat.o_slot, 'dose', (p->>'dose')::int,
                                               'channel', p->>'channel'));
      v_appointment := (p->'appointment')
        || jsonb_build_object('slotId', v_seat.o_slot, 'startsAt', v_seat.o_starts_at, 'endsAt', v_seat.o_ends_at);
      return jsonb_build_object('outcome', 'done', 'appointment', v_appointment,
                                'outboxId', record_booking_change(p, v_appointment, 'appointment:' || v_id || ':booked'));
    end $$;
  `.execute(db);

  // p adds: fromAppointmentId, appointmentId (new), sessionDayId, slotId, dose, channel, appointment.
  await sql`
    create function move_appointment(p jsonb) returns jsonb language plpgsql as $$
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

  // p adds: appointmentId (the one cancelled).
  await sql`
    create function cancel_appointment(p jsonb) returns jsonb language plpgsql as $$
    declare
      v_id uuid := (p->>'appointmentId')::uuid;
    begin
      if not lock_booking_person(p) then
        return jsonb_build_object('outcome', 'stale');
      end if;
      if not give_back_seat(v_id, 'CANCELLED'::text, 'RELEASED'::text) then
        return jsonb_build_object('outcome', 'stale');
      end if;
      insert into audit_log (actor_type, actor_id, actor_role, action, entity_type, entity_id)
        values (p->'actor'->>'type', p->'actor'->>'id', p->'actor'->>'role', 'APPOINTMENT_CANCELLED', 'appointment',
                v_id::text);
      return jsonb_build_object('outcome', 'done',
                                'outboxId', record_booking_change(p, null, 'appointment:' || v_id || ':cancelled'));
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function cancel_appointment(jsonb)`.execute(db);
  await sql`drop function move_appointment(jsonb)`.execute(db);
  await sql`drop function book_appointment(jsonb)`.execute(db);
  await sql`drop function record_booking_change(jsonb, jsonb, text)`.execute(db);
  await sql`drop function lock_booking_person(jsonb)`.execute(db);
  await sql`drop function give_back_seat(uuid, text, text)`.execute(db);
  await sql`drop function take_seat(uuid, integer, integer, text[], text)`.execute(db);
  await sql`drop function publish_booking_changed(uuid, integer, integer, text, integer, integer)`.execute(db);
  await sql`drop function publish_live_event(jsonb)`.execute(db);
  await db.schema.alterTable('beneficiary').dropColumn('booking_version').execute();
}
