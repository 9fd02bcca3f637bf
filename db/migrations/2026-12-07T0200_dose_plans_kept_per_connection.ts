import { type Kysely, sql } from 'kysely';

/**
 * The record day's reads without planning. Measured on the record-day benchmark (perf, Postgres backends): about a
 * quarter of Postgres's CPU went into planning the dose's facts read, a statement of six sub-selects that
 * node-postgres sends unnamed, so Postgres planned it again on every dose; a booking's facts read is the same kind
 * of statement. As PL/pgSQL functions, `dose_facts` and `booking_facts` keep their plans for the life of the
 * connection. `record_dose` and everything it calls (triggers included) use
 * generic plans from the first call: each of its statements looks rows up by key, where a plan made for the
 * particular values buys nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function dose_facts(p_reference_id text, p_session_day uuid, p_client_event_id text, p_verification uuid)
    returns jsonb language plpgsql stable
    set plan_cache_mode = force_generic_plan as $$
    declare
      v_person beneficiary%rowtype;
    begin
      select * into v_person from beneficiary where reference_id = p_reference_id and deleted_at is null;
      return jsonb_build_object(
        'replay', (select jsonb_build_object('doseId', d.id, 'referenceId', b.reference_id)
                   from dose d join beneficiary b on b.id = d.beneficiary_id where d.client_event_id = p_client_event_id),
        'person', case when v_person.id is null then null
                       else jsonb_build_object('id', v_person.id, 'referenceId', v_person.reference_id,
                                               'secretCode', v_person.secret_code) end,
        'day', (select jsonb_build_object('id', sd.id, 'date', sd.date, 'status', sd.status,
                                          'vaccineCode', sd.vaccine_code, 'siteId', sd.site_id,
                                          'districtId', sd.district_id, 'stateId', di.state_id, 'doses', v.doses,
                                          'minIntervalDays', v.min_interval_days, 'maxIntervalDays', v.max_interval_days)
                from session_day sd join vaccine v on v.code = sd.vaccine_code join district di on di.id = sd.district_id
                where sd.id = p_session_day),
        'previous', (select jsonb_build_object('doseId', d.id, 'doseNumber', d.dose_number,
                                               'vaccineCode', d.vaccine_code, 'administeredAt', d.administered_at,
                                               'sessionDayId', d.session_day_id)
                     from dose d where d.beneficiary_id = v_person.id order by d.dose_number desc limit 1),
        'wrongCodeTries', case when v_person.id is null or p_session_day is null then 0
                               else wrong_secret_code_tries(v_person.id, p_session_day) end,
        'verification', (select jsonb_build_object('referenceId', b.reference_id, 'sessionDayId', vc.session_day_id,
                                                   'verifiedAt', vc.verified_at)
                         from verification_check vc join beneficiary b on b.id = vc.beneficiary_id
                         where vc.id = p_verification));
    end $$;
  `.execute(db);
  await sql`alter function record_dose(jsonb) set plan_cache_mode = force_generic_plan`.execute(db);

  // The people of a booking are named one of three ways: by an account and reference ids (the person's own
  // request), by ids (an officer's or the journey's), or as the holder of an appointment (a move or cancellation).
  await sql`
    create function booking_facts(
      p_account uuid, p_reference_ids bpchar[], p_ids uuid[], p_of_appointment uuid,
      p_session_day uuid, p_slot integer, p_appointment uuid, p_appointment_account uuid, p_day_start timestamptz
    ) returns jsonb language plpgsql stable
    set plan_cache_mode = force_generic_plan as $$
    declare
      v_ids uuid[];
    begin
      if p_of_appointment is not null then
        v_ids := array(select beneficiary_id from appointment where id = p_of_appointment);
      elsif p_account is not null then
        v_ids := array(select id from beneficiary where account_id = p_account and reference_id = any (p_reference_ids));
      else
        v_ids := coalesce(p_ids, '{}');
      end if;
      return jsonb_build_object(
        'people', (select coalesce(jsonb_agg(jsonb_build_object(
            'id', b.id, 'referenceId', b.reference_id, 'stage', b.stage, 'birthYear', b.birth_year,
            'bookingVersion', b.booking_version,
            'previousDose', (select jsonb_build_object('doseNumber', d.dose_number, 'vaccineCode', d.vaccine_code,
                                                       'administeredAt', d.administered_at)
                             from dose d where d.beneficiary_id = b.id order by d.dose_number desc limit 1),
            'live', (select coalesce(jsonb_agg(jsonb_build_object('appointmentId', a.id,
                                                                  'sessionDayId', a.session_day_id,
                                                                  'dose', a.dose_number)), '[]'::jsonb)
                     from appointment a where a.beneficiary_id = b.id and a.status = 'BOOKED'),
            'changesToday', (select count(*) filter (where a.booked_at >= p_day_start)
                                    + count(*) filter (where a.status = 'CANCELLED' and a.updated_at >= p_day_start)
                             from appointment a where a.beneficiary_id = b.id))), '[]'::jsonb)
                   from beneficiary b where b.id = any (v_ids) and b.deleted_at is null),
        'day', (select jsonb_build_object(
                    'id', sd.id, 'date', sd.date, 'status', sd.status, 'vaccineCode', sd.vaccine_code,
                    'minAge', sd.min_age, 'maxAge', sd.max_age, 'closesAt', sd.closes_at,
                    'extendedUntil', sd.extended_until, 'siteName', s.name, 'minIntervalDays', v.min_interval_days,
                    'maxIntervalDays', v.max_interval_days, 'districtId', sd.district_id, 'stateId', di.state_id,
                    'dose1Capacity', sd.dose1_capacity, 'dose1Booked', sd.dose1_booked,
                    'dose2Capacity', sd.dose2_capacity, 'dose2Booked', sd.dose2_booked)
                from session_day sd
                join site s on s.id = sd.site_id
                join vaccine v on v.code = sd.vaccine_code
                join district di on di.id = sd.district_id
                where sd.id = p_session_day),
        'slot', (select jsonb_build_object('id', id, 'sessionDayId', session_day_id, 'capacity', capacity,
                                           'booked', booked)
                 from session_slot where id = p_slot),
        'appointment', (select jsonb_build_object(
                            'appointmentId', a.id, 'status', a.status, 'dose', a.dose_number,
                            'sessionDayId', a.session_day_id, 'slotId', a.slot_id, 'channel', a.channel,
                            'date', sd.date, 'siteName', s.name, 'beneficiaryId', a.beneficiary_id)
                        from appointment a
                        join beneficiary b on b.id = a.beneficiary_id
                        join session_day sd on sd.id = a.session_day_id
                        join site s on s.id = sd.site_id
                        where a.id = p_appointment and b.deleted_at is null
                          and (p_appointment_account is null or b.account_id = p_appointment_account)));
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function booking_facts(uuid, bpchar[], uuid[], uuid, uuid, integer, uuid, uuid, timestamptz)`.execute(
    db,
  );
  await sql`alter function record_dose(jsonb) reset plan_cache_mode`.execute(db);
  await sql`drop function dose_facts(text, uuid, text, uuid)`.execute(db);
}
