import { type Kysely, sql } from 'kysely';

/**
 * Priority groups and eligibility phases (Co-WIN's January 2021 drive: health-care and front-line workers first, then
 * 60+, 45+ with comorbidities, 18+). A person may carry a priority group (HCW, FLW), set when their employer's list
 * is uploaded. A state's phases say which groups and ages may be vaccinated at sessions dated from which day; a state
 * with no phases restricts nobody beyond each session's own ages (domain/booking-rules.ts, `phaseRefusal`).
 * `booking_facts` also returns the person's group and comorbidity and the session's state's phases, so the booking
 * decision still reads its facts in one statement.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('beneficiary')
    .addColumn('priority_group', 'text', (c) => c.check(sql`priority_group in ('HCW', 'FLW')`))
    .execute();
  await db.schema
    .createTable('eligibility_phase')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('state_id', 'integer', (c) => c.notNull().references('state.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('opens_on', 'date', (c) => c.notNull())
    .addColumn('groups', sql`text[]`, (c) =>
      c.notNull().check(sql`cardinality(groups) > 0 and groups <@ array['HCW', 'FLW', 'COMORBID', 'GENERAL']`),
    )
    .addColumn('min_age', 'integer', (c) => c.notNull().check(sql`min_age between 0 and 120`))
    .addColumn('max_age', 'integer', (c) => c.check(sql`max_age is null or max_age >= min_age`))
    .addColumn('created_by', 'uuid', (c) => c.references('staff_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('eligibility_phase_state_idx')
    .on('eligibility_phase')
    .columns(['state_id', 'opens_on'])
    .execute();
  await sql`
    create or replace function booking_facts(
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
            'bookingVersion', b.booking_version, 'priorityGroup', b.priority_group, 'comorbidity', b.comorbidity,
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
                    'dose2Capacity', sd.dose2_capacity, 'dose2Booked', sd.dose2_booked,
                    'phases', (select coalesce(jsonb_agg(jsonb_build_object(
                                   'name', ep.name, 'opensOn', ep.opens_on, 'groups', to_jsonb(ep.groups),
                                   'minAge', ep.min_age, 'maxAge', ep.max_age) order by ep.opens_on, ep.id), '[]'::jsonb)
                               from eligibility_phase ep where ep.state_id = di.state_id))
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
  await sql`
    create or replace function booking_facts(
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
  await db.schema.dropTable('eligibility_phase').execute();
  await db.schema.alterTable('beneficiary').dropColumn('priority_group').execute();
}
