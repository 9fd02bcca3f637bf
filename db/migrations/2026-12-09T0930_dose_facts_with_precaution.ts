import { type Kysely, sql } from 'kysely';

/**
 * The dose's facts read also answers what the precaution dose is decided on: the person's priority group and the
 * precaution interval of the session's vaccine (2026-12-09T0400_precaution_interval). A dose that completes the
 * primary schedule or is the precaution dose read them in two more round trips after its facts; on the record
 * day every dose 2 did. Only dose_facts changes (as 2026-12-09T0910_facts_reads_by_key left it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function dose_facts(p_reference_id text, p_session_day uuid, p_client_event_id text, p_verification uuid)
    returns jsonb language plpgsql stable
    set plan_cache_mode = force_generic_plan as $$
    declare
      v_person beneficiary%rowtype;
    begin
      select * into v_person from beneficiary where reference_id = p_reference_id::bpchar and deleted_at is null;
      return jsonb_build_object(
        'replay', (select jsonb_build_object('doseId', d.id, 'referenceId',
                                             (select b.reference_id from beneficiary b where b.id = d.beneficiary_id))
                   from dose d where d.client_event_id = p_client_event_id),
        'person', case when v_person.id is null then null
                       else jsonb_build_object('id', v_person.id, 'referenceId', v_person.reference_id,
                                               'secretCode', v_person.secret_code,
                                               'priorityGroup', v_person.priority_group) end,
        'day', (select jsonb_build_object('id', sd.id, 'date', sd.date, 'status', sd.status,
                                          'vaccineCode', sd.vaccine_code, 'siteId', sd.site_id,
                                          'districtId', sd.district_id,
                                          'stateId', (select di.state_id from district di where di.id = sd.district_id),
                                          'doses', v.doses,
                                          'minIntervalDays', v.min_interval_days, 'maxIntervalDays', v.max_interval_days,
                                          'precautionAfterDays', (select pi.after_days from precaution_interval pi
                                                                  where pi.vaccine_code = sd.vaccine_code))
                from session_day sd
                join vaccine v on v.code = sd.vaccine_code
                where sd.id = p_session_day),
        'previous', (select jsonb_build_object('doseId', d.id, 'doseNumber', d.dose_number,
                                               'vaccineCode', d.vaccine_code, 'administeredAt', d.administered_at,
                                               'sessionDayId', d.session_day_id)
                     from dose d where d.beneficiary_id = v_person.id order by d.dose_number desc limit 1),
        'wrongCodeTries', case when v_person.id is null or p_session_day is null then 0
                               else wrong_secret_code_tries(v_person.id, p_session_day) end,
        'verification', (select jsonb_build_object('referenceId',
                                                   (select b.reference_id from beneficiary b where b.id = vc.beneficiary_id),
                                                   'sessionDayId', vc.session_day_id, 'verifiedAt', vc.verified_at)
                         from verification_check vc where vc.id = p_verification));
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function dose_facts(p_reference_id text, p_session_day uuid, p_client_event_id text, p_verification uuid)
    returns jsonb language plpgsql stable
    set plan_cache_mode = force_generic_plan as $$
    declare
      v_person beneficiary%rowtype;
    begin
      select * into v_person from beneficiary where reference_id = p_reference_id::bpchar and deleted_at is null;
      return jsonb_build_object(
        'replay', (select jsonb_build_object('doseId', d.id, 'referenceId',
                                             (select b.reference_id from beneficiary b where b.id = d.beneficiary_id))
                   from dose d where d.client_event_id = p_client_event_id),
        'person', case when v_person.id is null then null
                       else jsonb_build_object('id', v_person.id, 'referenceId', v_person.reference_id,
                                               'secretCode', v_person.secret_code) end,
        'day', (select jsonb_build_object('id', sd.id, 'date', sd.date, 'status', sd.status,
                                          'vaccineCode', sd.vaccine_code, 'siteId', sd.site_id,
                                          'districtId', sd.district_id,
                                          'stateId', (select di.state_id from district di where di.id = sd.district_id),
                                          'doses', v.doses,
                                          'minIntervalDays', v.min_interval_days, 'maxIntervalDays', v.max_interval_days)
                from session_day sd
                join vaccine v on v.code = sd.vaccine_code
                where sd.id = p_session_day),
        'previous', (select jsonb_build_object('doseId', d.id, 'doseNumber', d.dose_number,
                                               'vaccineCode', d.vaccine_code, 'administeredAt', d.administered_at,
                                               'sessionDayId', d.session_day_id)
                     from dose d where d.beneficiary_id = v_person.id order by d.dose_number desc limit 1),
        'wrongCodeTries', case when v_person.id is null or p_session_day is null then 0
                               else wrong_secret_code_tries(v_person.id, p_session_day) end,
        'verification', (select jsonb_build_object('referenceId',
                                                   (select b.reference_id from beneficiary b where b.id = vc.beneficiary_id),
                                                   'sessionDayId', vc.session_day_id, 'verifiedAt', vc.verified_at)
                         from verification_check vc where vc.id = p_verification));
    end $$;
  `.execute(db);
}
