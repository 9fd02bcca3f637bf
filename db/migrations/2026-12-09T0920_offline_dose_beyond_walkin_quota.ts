import { type Kysely, sql } from 'kysely';

/**
 * A dose is a fact: one given at a desk with no network is stored when it syncs even if the session day's walk-in
 * quota was used up meanwhile (other desks' walk-ins, or this desk's own beyond what it could see). Refusing it lost
 * a dose that had been given. Stored beyond the quota it takes no walk-in seat (the day's and the slots' walk-in
 * counts stay within their quotas) and is audited as WALKIN_BEYOND_QUOTA for the district officer. Online, the desk
 * asks before it vaccinates, and a walk-in with no seat left is refused as before (WALKIN_QUOTA_FULL). A day whose
 * walk-in seat was counted but whose time slots had none left gives the count back.
 * Only record_dose changes (2026-12-07T1000_late_dose_completes_its_no_show), its generic plans kept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function record_dose(p_plan jsonb) returns jsonb language plpgsql
    set plan_cache_mode = force_generic_plan as $$
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
      v_no_show uuid;
      v_beyond_quota boolean := false;
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
      -- Given while the person was booked here, synced after the journey's no-show check released the booking:
      -- the dose completes that booking (no walk-in seat is charged) and the no-show is undone.
      if v_appointment is null then
        update appointment set status = 'COMPLETED', updated_at = v_now
          where beneficiary_id = v_person and dose_number = v_dose and status = 'NO_SHOW' and session_day_id = v_day
          returning id into v_no_show;
        if v_no_show is not null then
          v_appointment := v_no_show;
          update session_day set no_shows = greatest(no_shows - 1, 0) where id = v_day;
          insert into audit_log (actor_type, actor_id, actor_role, action, entity_type, entity_id, source, details)
            values ('STAFF', p_plan->>'vaccinatorId', p_plan->>'actorRole', 'NO_SHOW_REVERSED', 'appointment',
                    v_no_show::text, p_plan->>'source',
                    jsonb_build_object('referenceId', p_plan->>'referenceId', 'dose', v_dose, 'sessionDayId', v_day,
                                       'administeredAt', p_plan->>'administeredAt'));
        end if;
      end if;
      -- A booking for this dose elsewhere is released: the person came here. Released the way every other path
      -- releases one (its seats back, its session's booking.changed live event).
      for v_released in
        select id from appointment where beneficiary_id = v_person and dose_number = v_dose and status = 'BOOKED'
      loop
        perform give_back_seat(v_released.id, 'CANCELLED'::text, 'RELEASED'::text);
      end loop;
      if v_appointment is null then
        update session_day set walkin_used = walkin_used + 1
          where id = v_day and walkin_used < walkin_capacity;
        if found then
          v_slot := take_walkin_slot_seat(v_day, (p_plan->>'walkinAt')::time);
          if v_slot.id is null then
            update session_day set walkin_used = walkin_used - 1 where id = v_day;
          end if;
        end if;
        if v_slot.id is null then
          -- Online, the desk asks before it vaccinates: no seat, no dose. A dose synced from a desk that had no
          -- network was given already: it is stored beyond the quota (no seat taken), and audited for the officer.
          if p_plan->>'source' <> 'OFFLINE' then
            raise exception 'this person has no booking here and the walk-in quota is used up'
              using errcode = 'TK002', hint = 'WALKIN_QUOTA_FULL';
          end if;
          v_beyond_quota := true;
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
      if v_beyond_quota then
        insert into audit_log (actor_type, actor_id, actor_role, action, entity_type, entity_id, source, details)
          values ('STAFF', p_plan->>'vaccinatorId', p_plan->>'actorRole', 'WALKIN_BEYOND_QUOTA', 'dose',
                  v_dose_id::text, p_plan->>'source',
                  jsonb_build_object('referenceId', p_plan->>'referenceId', 'dose', v_dose, 'sessionDayId', v_day,
                                     'administeredAt', p_plan->>'administeredAt'));
      end if;
      insert into workflow_outbox (kind, workflow_id, signal_name, payload)
        values ('SIGNAL', p_plan->>'workflowId', p_plan->>'signalName',
                (p_plan->'signal') || jsonb_build_object('doseId', v_dose_id));
      return jsonb_build_object('outcome', 'recorded', 'doseId', v_dose_id, 'recordedAt', v_now,
                                'appointmentId', v_appointment, 'noShowReversed', v_no_show is not null,
                                'beyondWalkinQuota', v_beyond_quota);
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function record_dose(p_plan jsonb) returns jsonb language plpgsql
    set plan_cache_mode = force_generic_plan as $$
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
      v_no_show uuid;
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
      -- Given while the person was booked here, synced after the journey's no-show check released the booking:
      -- the dose completes that booking (no walk-in seat is charged) and the no-show is undone.
      if v_appointment is null then
        update appointment set status = 'COMPLETED', updated_at = v_now
          where beneficiary_id = v_person and dose_number = v_dose and status = 'NO_SHOW' and session_day_id = v_day
          returning id into v_no_show;
        if v_no_show is not null then
          v_appointment := v_no_show;
          update session_day set no_shows = greatest(no_shows - 1, 0) where id = v_day;
          insert into audit_log (actor_type, actor_id, actor_role, action, entity_type, entity_id, source, details)
            values ('STAFF', p_plan->>'vaccinatorId', p_plan->>'actorRole', 'NO_SHOW_REVERSED', 'appointment',
                    v_no_show::text, p_plan->>'source',
                    jsonb_build_object('referenceId', p_plan->>'referenceId', 'dose', v_dose, 'sessionDayId', v_day,
                                       'administeredAt', p_plan->>'administeredAt'));
        end if;
      end if;
      -- A booking for this dose elsewhere is released: the person came here. Released the way every other path
      -- releases one (its seats back, its session's booking.changed live event).
      for v_released in
        select id from appointment where beneficiary_id = v_person and dose_number = v_dose and status = 'BOOKED'
      loop
        perform give_back_seat(v_released.id, 'CANCELLED'::text, 'RELEASED'::text);
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
                                'appointmentId', v_appointment, 'noShowReversed', v_no_show is not null);
    end $$;
  `.execute(db);
}
