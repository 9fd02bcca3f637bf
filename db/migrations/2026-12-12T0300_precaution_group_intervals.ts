import { type Kysely, sql } from 'kysely';

/**
 * The precaution dose's interval per vaccine and priority group: a group's own interval (health-care or front-line
 * workers) overrides the vaccine's for the people of that group (domain/precaution.ts, `precautionAfterDays`); a
 * vaccine with no interval of its own may still have one for a group (the precaution dose offered to that group
 * only). dose_facts answers the interval of the person's group beside the vaccine's, read by key (a person of no
 * group reads nothing more). Otherwise dose_facts is as 2026-12-11T0200_dose_facts_eligibility left it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('precaution_group_interval')
    .addColumn('vaccine_code', 'text', (c) => c.notNull().references('vaccine.code'))
    .addColumn('priority_group', 'text', (c) => c.notNull().check(sql`priority_group in ('HCW', 'FLW')`))
    .addColumn('after_days', 'smallint', (c) => c.notNull().check(sql`after_days between 0 and 3650`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('precaution_group_interval_pkey', ['vaccine_code', 'priority_group'])
    .execute();
  await sql`
    create or replace function dose_facts(p_reference_id text, p_session_day uuid, p_client_event_id text, p_verification uuid)
    returns jsonb language plpgsql stable
    set plan_cache_mode = force_generic_plan set enable_seqscan = off as $$
    declare
      v_person beneficiary%rowtype;
      v_day session_day%rowtype;
      v_state integer;
    begin
      select * into v_person from beneficiary where reference_id = p_reference_id::bpchar and deleted_at is null;
      select * into v_day from session_day where id = p_session_day;
      select state_id into v_state from district where id = v_day.district_id;
      return jsonb_build_object(
        'replay', (select jsonb_build_object('doseId', d.id, 'referenceId',
                                             (select b.reference_id from beneficiary b where b.id = d.beneficiary_id))
                   from dose d where d.client_event_id = p_client_event_id),
        'person', case when v_person.id is null then null
                       else jsonb_build_object('id', v_person.id, 'referenceId', v_person.reference_id,
                                               'secretCode', v_person.secret_code,
                                               'priorityGroup', v_person.priority_group,
                                               'birthYear', v_person.birth_year,
                                               'comorbidity', v_person.comorbidity) end,
        'day', case when v_day.id is null then null
                    else (select jsonb_build_object('id', v_day.id, 'date', v_day.date, 'status', v_day.status,
                                                    'vaccineCode', v_day.vaccine_code, 'siteId', v_day.site_id,
                                                    'districtId', v_day.district_id,
                                                    'stateId', v_state,
                                                    'minAge', v_day.min_age, 'maxAge', v_day.max_age,
                                                    'doses', v.doses,
                                                    'minIntervalDays', v.min_interval_days,
                                                    'maxIntervalDays', v.max_interval_days,
                                                    'precautionAfterDays', (select pi.after_days from precaution_interval pi
                                                                            where pi.vaccine_code = v_day.vaccine_code),
                                                    'precautionGroupAfterDays',
                                                      (select pg.after_days from precaution_group_interval pg
                                                       where pg.vaccine_code = v_day.vaccine_code
                                                         and pg.priority_group = v_person.priority_group))
                          from vaccine v where v.code = v_day.vaccine_code) end,
        -- Not booked here (nor marked a no-show here): a walk-in, decided by the booking's eligibility rule, so the
        -- state's phases are read. A booking here met that rule when it was made.
        'walkIn', case when v_person.id is null or v_day.id is null
                         or exists (select 1 from appointment a
                                    where a.beneficiary_id = v_person.id and a.session_day_id = v_day.id
                                      and a.status in ('BOOKED', 'NO_SHOW')) then null
                       else jsonb_build_object('phases', (
                         select coalesce(jsonb_agg(jsonb_build_object(
                                  'name', ep.name, 'opensOn', ep.opens_on, 'groups', to_jsonb(ep.groups),
                                  'minAge', ep.min_age, 'maxAge', ep.max_age) order by ep.opens_on, ep.id), '[]'::jsonb)
                         from eligibility_phase ep
                         where ep.state_id = v_state)) end,
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
    set plan_cache_mode = force_generic_plan set enable_seqscan = off as $$
    declare
      v_person beneficiary%rowtype;
      v_day session_day%rowtype;
      v_state integer;
    begin
      select * into v_person from beneficiary where reference_id = p_reference_id::bpchar and deleted_at is null;
      select * into v_day from session_day where id = p_session_day;
      select state_id into v_state from district where id = v_day.district_id;
      return jsonb_build_object(
        'replay', (select jsonb_build_object('doseId', d.id, 'referenceId',
                                             (select b.reference_id from beneficiary b where b.id = d.beneficiary_id))
                   from dose d where d.client_event_id = p_client_event_id),
        'person', case when v_person.id is null then null
                       else jsonb_build_object('id', v_person.id, 'referenceId', v_person.reference_id,
                                               'secretCode', v_person.secret_code,
                                               'priorityGroup', v_person.priority_group,
                                               'birthYear', v_person.birth_year,
                                               'comorbidity', v_person.comorbidity) end,
        'day', case when v_day.id is null then null
                    else (select jsonb_build_object('id', v_day.id, 'date', v_day.date, 'status', v_day.status,
                                                    'vaccineCode', v_day.vaccine_code, 'siteId', v_day.site_id,
                                                    'districtId', v_day.district_id,
                                                    'stateId', v_state,
                                                    'minAge', v_day.min_age, 'maxAge', v_day.max_age,
                                                    'doses', v.doses,
                                                    'minIntervalDays', v.min_interval_days,
                                                    'maxIntervalDays', v.max_interval_days,
                                                    'precautionAfterDays', (select pi.after_days from precaution_interval pi
                                                                            where pi.vaccine_code = v_day.vaccine_code))
                          from vaccine v where v.code = v_day.vaccine_code) end,
        -- Not booked here (nor marked a no-show here): a walk-in, decided by the booking's eligibility rule, so the
        -- state's phases are read. A booking here met that rule when it was made.
        'walkIn', case when v_person.id is null or v_day.id is null
                         or exists (select 1 from appointment a
                                    where a.beneficiary_id = v_person.id and a.session_day_id = v_day.id
                                      and a.status in ('BOOKED', 'NO_SHOW')) then null
                       else jsonb_build_object('phases', (
                         select coalesce(jsonb_agg(jsonb_build_object(
                                  'name', ep.name, 'opensOn', ep.opens_on, 'groups', to_jsonb(ep.groups),
                                  'minAge', ep.min_age, 'maxAge', ep.max_age) order by ep.opens_on, ep.id), '[]'::jsonb)
                         from eligibility_phase ep
                         where ep.state_id = v_state)) end,
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
  await db.schema.dropTable('precaution_group_interval').execute();
}
