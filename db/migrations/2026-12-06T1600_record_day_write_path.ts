import { type Kysely, sql } from 'kysely';

/**
 * The record-day write path.
 *
 * - `record_dose(plan)`: a dose decided by api/services/doses.ts (domain/dose-rules.ts) is written in one round
 *   trip: the person's row locked, the facts the decision used re-checked under that lock, the appointment
 *   completed (or a walk-in seat taken), bookings for the same dose elsewhere released, the dose with its rollups
 *   (trigger dose_rollups), the audit row, the live event and the journey's outbox signal. The hot per-session
 *   rows are locked only for the statement, not across the API's round trips.
 * - `take_walkin_slot_seat` and `give_back_seat`: the seat rules, one home for SQL and TypeScript callers.
 * - `note_wrong_secret_code`: the per-person, per-session try counter for secret codes, one home for every path
 *   that checks a code (desk verify, POST /doses, offline sync).
 * - The outbox relay claims commands instead of holding a transaction across the Temporal call
 *   (`claimed_until`), delivers each workflow's commands in order, and is woken by NOTIFY teeka_outbox.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workflow_outbox').addColumn('claimed_until', 'timestamptz').execute();
  await db.schema
    .createIndex('workflow_outbox_pending_by_workflow_idx')
    .on('workflow_outbox')
    .columns(['workflow_id', 'id'])
    .where(sql.ref('delivered_at'), 'is', null)
    .execute();
  await sql`
    create function workflow_outbox_wake() returns trigger language plpgsql as $$
    begin
      perform pg_notify('teeka_outbox', '');
      return null;
    end $$;
  `.execute(db);
  await sql`create trigger workflow_outbox_wake after insert on workflow_outbox for each statement execute function workflow_outbox_wake()`.execute(
    db,
  );

  /*
   * Walk-in seats per time slot. A session day's walk-in quota is spread over its slots (domain/slots.ts) so that
   * walk-ins are served through the day; a walk-in's dose takes a seat of the slot it was given in. When that
   * slot's walk-in quota is used up, the seat is borrowed from the nearest LATER slot with room, and only when no
   * later slot has any, from the latest earlier slot (seats of a slot already past would be lost otherwise). So a
   * walk-in is refused only when the whole day's quota is used, never because of the clock: the person is at the
   * desk, and a dose synced from an offline desk was given already. A time before the first slot counts as the
   * first slot; after the last (an extended session) as the last. Called after the day's conditional
   * `walkin_used + 1`, whose row lock makes walk-ins of one day take their slot seats one at a time; the slot
   * update is itself conditional, with the CHECK constraint session_slot_walkin_within_quota behind it.
   * Answers a null row when no slot has a walk-in seat left.
   */
  await sql`
    create function take_walkin_slot_seat(p_session_day uuid, p_at time) returns session_slot
    language plpgsql as $$
    declare
      v_slot session_slot;
    begin
      update session_slot set walkin_used = walkin_used + 1
        where id = (
          select id from session_slot
          where session_day_id = p_session_day and walkin_used < walkin_capacity
          order by
            case when p_at >= starts_at and p_at < ends_at then 0 when starts_at > p_at then 1 else 2 end,
            case when starts_at > p_at then starts_at end asc,
            starts_at desc
          limit 1
        )
        and walkin_used < walkin_capacity
        returning * into v_slot;
      return v_slot;
    end $$;
  `.execute(db);

  // The seat an appointment held, given back to its session day (per dose) and its time slot.
  await sql`
    create function give_back_seat(p_session_day uuid, p_slot integer, p_dose integer) returns void
    language sql as $$
      update session_day set
          dose1_booked = dose1_booked - (p_dose = 1)::int,
          dose2_booked = dose2_booked - (p_dose <> 1)::int
        where id = p_session_day;
      update session_slot set booked = booked - 1 where id = p_slot;
    $$;
  `.execute(db);

  // Wrong secret codes, counted from the audit trail (each is audited anyway), per person per session day.
  await sql`
    create function wrong_secret_code_tries(p_person uuid, p_session_day uuid) returns integer
    language sql stable as $$
      select count(*)::int from audit_log
        where entity_type = 'beneficiary' and entity_id = p_person::text
          and action = 'DESK_SECRET_CODE_WRONG' and details->>'sessionDayId' = p_session_day::text;
    $$;
  `.execute(db);
  // Serialises code checks of one person at one session day, so parallel guesses cannot slip past the limit.
  await sql`
    create function secret_code_lock(p_person uuid, p_session_day uuid) returns void
    language sql as $$
      select pg_advisory_xact_lock(hashtext('desk-code:' || p_person || ':' || p_session_day));
    $$;
  `.execute(db);
  // Audits one wrong code (never the code) and answers the tries left after it; -1, with nothing audited, when the
  // limit had already been reached.
  await sql`
    create function note_wrong_secret_code(
      p_person uuid, p_session_day uuid, p_actor_id text, p_actor_role text, p_max integer, p_source text
    ) returns integer language plpgsql as $$
    declare
      v_tries integer;
    begin
      perform secret_code_lock(p_person, p_session_day);
      v_tries := wrong_secret_code_tries(p_person, p_session_day);
      if v_tries >= p_max then
        return -1;
      end if;
      insert into audit_log (actor_type, actor_id, actor_role, action, entity_type, entity_id, source, details)
        values ('STAFF', p_actor_id, p_actor_role, 'DESK_SECRET_CODE_WRONG', 'beneficiary', p_person::text, p_source,
                jsonb_build_object('sessionDayId', p_session_day));
      return p_max - v_tries - 1;
    end $$;
  `.execute(db);

  /*
   * plan: { beneficiaryId, referenceId, sessionDayId, stateId, districtId, siteId, vaccineCode, batch, doseNumber,
   *   previousDose (the dose number the decision saw, 0 for none), recordingStatuses (text[]), maxCodeTries
   *   (null when no secret code was used), vaccinatorId, actorRole, verificationId, administeredAt, clientEventId,
   *   source, clockSkewMs, walkinAt (India time of day), workflowId, signalName, signal (the journey's event
   *   without doseId) }
   * Answers { outcome: 'recorded', doseId, recordedAt, appointmentId } or { outcome: 'stale' } when a fact the
   * decision used changed (the caller decides again), or raises TK002 for a refusal found only here.
   */
  await sql`
    create function record_dose(p_plan jsonb) returns jsonb language plpgsql as $$
    declare
      v_person uuid := (p_plan->>'beneficiaryId')::uuid;
      v_day uuid := (p_plan->>'sessionDayId')::uuid;
      v_dose integer := (p_plan->>'doseNumber')::int;
      v_administered timestamptz := (p_plan->>'administeredAt')::timestamptz;
      v_now timestamptz := clock_timestamp();
      v_previous integer;
      v_status text;
      v_appointment uuid;
      v_released record;
      v_slot session_slot;
      v_dose_id uuid;
    begin
      perform 1 from beneficiary where id = v_person for update;
      -- Under the person's lock: a retry of the same event, or a dose recorded meanwhile, is seen here.
      if exists (select 1 from dose where client_event_id = p_plan->>'clientEventId') then
        return jsonb_build_object('outcome', 'stale');
      end if;
      select coalesce(max(dose_number), 0) into v_previous from dose where beneficiary_id = v_person;
      if v_previous <> (p_plan->>'previousDose')::int then
        return jsonb_build_object('outcome', 'stale');
      end if;
      if p_plan->'maxCodeTries' <> 'null'::jsonb then
        perform secret_code_lock(v_person, v_day);
        if wrong_secret_code_tries(v_person, v_day) >= (p_plan->>'maxCodeTries')::int then
          return jsonb_build_object('outcome', 'stale');
        end if;
      end if;
      select status into v_status from session_day where id = v_day;
      if not (v_status = any (select jsonb_array_elements_text(p_plan->'recordingStatuses'))) then
        return jsonb_build_object('outcome', 'stale');
      end if;

      update appointment set status = 'COMPLETED', updated_at = v_now
        where beneficiary_id = v_person and dose_number = v_dose and status = 'BOOKED' and session_day_id = v_day
        returning id into v_appointment;
      -- A booking for this dose elsewhere is released: the person came here.
      for v_released in
        update appointment set status = 'CANCELLED', updated_at = v_now
          where beneficiary_id = v_person and dose_number = v_dose and status = 'BOOKED'
          returning session_day_id, slot_id, dose_number
      loop
        perform give_back_seat(v_released.session_day_id, v_released.slot_id, v_released.dose_number);
      end loop;
      if v_appointment is null then
        update session_day set walkin_used = walkin_used + 1
          where id = v_day and walkin_used < walkin_capacity;
        if not found then
          raise exception 'this person has no booking here and the walk-in quota is used up'
            using errcode = 'TK002', hint = 'WALKIN_QUOTA_FULL';
        end if;
        v_slot := take_walkin_slot_seat(v_day, (p_plan->>'walkinAt')::time);
        if v_slot.id is null then
          raise exception 'no time slot of this session day has a walk-in seat left'
            using errcode = 'TK002', hint = 'WALKIN_QUOTA_FULL';
        end if;
      end if;

      insert into dose (beneficiary_id, dose_number, vaccine_code, batch, site_id, session_day_id, district_id,
                        vaccinator_id, verification_id, appointment_id, administered_at, recorded_at,
                        client_event_id, source, clock_skew_ms)
        values (v_person, v_dose, p_plan->>'vaccineCode', p_plan->>'batch', (p_plan->>'siteId')::int, v_day,
                (p_plan->>'districtId')::int, (p_plan->>'vaccinatorId')::uuid, (p_plan->>'verificationId')::uuid,
                v_appointment, v_administered, v_now, p_plan->>'clientEventId', p_plan->>'source',
                (p_plan->>'clockSkewMs')::int)
        returning id into v_dose_id;
      update beneficiary set vaccine_code = p_plan->>'vaccineCode' where id = v_person;
      insert into audit_log (actor_type, actor_id, actor_role, action, entity_type, entity_id, source, details)
        values ('STAFF', p_plan->>'vaccinatorId', p_plan->>'actorRole', 'DOSE_RECORDED', 'dose', v_dose_id::text,
                p_plan->>'source',
                jsonb_build_object('referenceId', p_plan->>'referenceId', 'dose', v_dose, 'sessionDayId', v_day,
                                   'batch', p_plan->>'batch', 'appointmentId', v_appointment));
      -- The live event of live/publish.ts, with the transaction id the socket server compares with snapshots.
      perform pg_notify('teeka_live', jsonb_build_object(
        'type', 'dose.recorded', 'stateId', (p_plan->>'stateId')::int, 'districtId', (p_plan->>'districtId')::int,
        'sessionDayId', v_day, 'at', p_plan->>'administeredAt',
        'data', jsonb_build_object('dose', v_dose, 'vaccineCode', p_plan->>'vaccineCode', 'source', p_plan->>'source',
                                   'recordedAt', to_char(v_now at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        'txid', pg_current_xact_id()::text)::text);
      insert into workflow_outbox (kind, workflow_id, signal_name, payload)
        values ('SIGNAL', p_plan->>'workflowId', p_plan->>'signalName',
                (p_plan->'signal') || jsonb_build_object('doseId', v_dose_id));
      return jsonb_build_object('outcome', 'recorded', 'doseId', v_dose_id, 'recordedAt', v_now,
                                'appointmentId', v_appointment);
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function record_dose(jsonb)`.execute(db);
  await sql`drop function note_wrong_secret_code(uuid, uuid, text, text, integer, text)`.execute(db);
  await sql`drop function secret_code_lock(uuid, uuid)`.execute(db);
  await sql`drop function wrong_secret_code_tries(uuid, uuid)`.execute(db);
  await sql`drop function give_back_seat(uuid, integer, integer)`.execute(db);
  await sql`drop function take_walkin_slot_seat(uuid, time)`.execute(db);
  await sql`drop trigger workflow_outbox_wake on workflow_outbox`.execute(db);
  await sql`drop function workflow_outbox_wake()`.execute(db);
  await db.schema.dropIndex('workflow_outbox_pending_by_workflow_idx').execute();
  await db.schema.alterTable('workflow_outbox').dropColumn('claimed_until').execute();
}
