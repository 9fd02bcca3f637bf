/**
 * Officer lookup: the people a mobile or reference id names, where each of them belongs (the districts of their
 * registration, appointments and doses), and one person's history as officers and desk staff see it. Reads only;
 * the service decides who may see whom and audits the lookup.
 */
import type { Db } from '../connection.js';

export interface LookupCandidate {
  beneficiaryId: string;
  referenceId: string;
  /** Every district the person is known in: where they first booked, booked since, or were vaccinated. */
  districts: { id: number; stateId: number }[];
}

/** The live people of a mobile (up to four), or the one of a reference id, with the districts they belong to. */
export async function findLookupCandidates(
  db: Db,
  by: { mobile: string } | { referenceId: string },
): Promise<LookupCandidate[]> {
  let query = db
    .selectFrom('beneficiary as b')
    .innerJoin('account as a', 'a.id', 'b.account_id')
    .select(['b.id', 'b.reference_id'])
    .where('b.deleted_at', 'is', null);
  query = 'mobile' in by ? query.where('a.mobile', '=', by.mobile) : query.where('b.reference_id', '=', by.referenceId);
  const people = await query.orderBy('b.created_at').limit(8).execute();
  if (people.length === 0) return [];
  const ids = people.map((p) => p.id);
  const places = await db
    .selectFrom('beneficiary_district as bd')
    .select(['bd.beneficiary_id', 'bd.district_id'])
    .where('bd.beneficiary_id', 'in', ids)
    .union(
      db
        .selectFrom('appointment')
        .innerJoin('session_day', 'session_day.id', 'appointment.session_day_id')
        .select(['appointment.beneficiary_id', 'session_day.district_id'])
        .where('appointment.beneficiary_id', 'in', ids),
    )
    .union(
      db.selectFrom('dose').select(['dose.beneficiary_id', 'dose.district_id']).where('dose.beneficiary_id', 'in', ids),
    )
    .execute();
  const districtIds = [...new Set(places.map((p) => p.district_id))];
  const states = new Map(
    districtIds.length === 0
      ? []
      : (await db.selectFrom('district').select(['id', 'state_id']).where('id', 'in', districtIds).execute()).map(
          (d) => [d.id, d.state_id],
        ),
  );
  return people.map((p) => ({
    beneficiaryId: p.id,
    referenceId: p.reference_id,
    districts: places
      .filter((place) => place.beneficiary_id === p.id)
      .map((place) => ({ id: place.district_id, stateId: states.get(place.district_id)! })),
  }));
}

/** Which of these people were booked, checked at the door or vaccinated at this session day. */
export async function peopleSeenAtSessionDay(
  db: Db,
  beneficiaryIds: string[],
  sessionDayId: string,
): Promise<Set<string>> {
  if (beneficiaryIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('appointment')
    .select('beneficiary_id')
    .where('session_day_id', '=', sessionDayId)
    .where('beneficiary_id', 'in', beneficiaryIds)
    .union(
      db
        .selectFrom('verification_check')
        .select('beneficiary_id')
        .where('session_day_id', '=', sessionDayId)
        .where('beneficiary_id', 'in', beneficiaryIds),
    )
    .union(
      db
        .selectFrom('dose')
        .select('beneficiary_id')
        .where('session_day_id', '=', sessionDayId)
        .where('beneficiary_id', 'in', beneficiaryIds),
    )
    .execute();
  return new Set(rows.map((r) => r.beneficiary_id));
}

/** One person's record and history, unmasked (the service masks it): registration, stages, appointments, doses, SMS, certificates. */
export async function readPersonHistory(db: Db, beneficiaryId: string) {
  const person = await db
    .selectFrom('beneficiary as b')
    .innerJoin('account as a', 'a.id', 'b.account_id')
    .leftJoin('beneficiary_district as bd', 'bd.beneficiary_id', 'b.id')
    .select([
      'b.reference_id',
      'b.name',
      'b.birth_year',
      'b.gender',
      'b.id_type',
      'b.id_last4',
      'b.stage',
      'b.vaccine_code',
      'b.next_dose_due_on',
      'b.journey_inactive_since',
      'b.created_at',
      'b.dry_run_id',
      'a.mobile',
      'bd.district_id',
    ])
    .where('b.id', '=', beneficiaryId)
    .executeTakeFirstOrThrow();
  const [stages, appointments, doses, certificates, sms, corrections] = await Promise.all([
    db
      .selectFrom('journey_stage_history')
      .select(['from_stage', 'to_stage', 'reason', 'at'])
      .where('beneficiary_id', '=', beneficiaryId)
      .orderBy('at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('appointment')
      .innerJoin('session_day', 'session_day.id', 'appointment.session_day_id')
      .innerJoin('site', 'site.id', 'session_day.site_id')
      .innerJoin('district', 'district.id', 'session_day.district_id')
      .leftJoin('session_slot', 'session_slot.id', 'appointment.slot_id')
      .select([
        'appointment.id',
        'appointment.dose_number',
        'appointment.status',
        'appointment.channel',
        'appointment.booked_at',
        'appointment.updated_at',
        'session_day.id as session_day_id',
        'session_day.date',
        'session_day.vaccine_code',
        'site.name as site_name',
        'district.name as district_name',
        'session_slot.starts_at',
        'session_slot.ends_at',
      ])
      .where('appointment.beneficiary_id', '=', beneficiaryId)
      .orderBy('appointment.booked_at')
      .execute(),
    db
      .selectFrom('dose')
      .innerJoin('vaccine', 'vaccine.code', 'dose.vaccine_code')
      .leftJoin('site', 'site.id', 'dose.site_id')
      .innerJoin('district', 'district.id', 'dose.district_id')
      .leftJoin('staff_user', 'staff_user.id', 'dose.vaccinator_id')
      // A dose given elsewhere: where, on what evidence, and the officer who added it.
      .leftJoin('dose_evidence', 'dose_evidence.dose_id', 'dose.id')
      .leftJoin('staff_user as officer', 'officer.id', 'dose_evidence.added_by')
      .select([
        'dose.id',
        'dose.dose_number',
        'dose.vaccine_code',
        'vaccine.name as vaccine_name',
        'dose.batch',
        'dose.administered_at',
        'dose.recorded_at',
        'dose.source',
        'dose.session_day_id',
        'site.name as site_name',
        'district.name as district_name',
        'staff_user.name as vaccinator_name',
        'dose_evidence.place',
        'dose_evidence.evidence_reference',
        'dose_evidence.note as evidence_note',
        'dose_evidence.added_at',
        'officer.name as added_by_name',
      ])
      .where('dose.beneficiary_id', '=', beneficiaryId)
      .orderBy('dose.dose_number')
      .execute(),
    db
      .selectFrom('certificate')
      .select(['id', 'kind', 'doses', 'issued_at', 'revoked_at', 'revocation_reason'])
      .where('beneficiary_id', '=', beneficiaryId)
      .orderBy('issued_at')
      .execute(),
    // The journey's messages carry its workflow id in their idempotency key (beneficiary-<reference id>:…);
    // the mobile's index finds them, the key tells this person's from the others' on the same mobile.
    db
      .selectFrom('sms_message')
      .select(['template', 'locale', 'status', 'created_at', 'sent_at', 'delivered_at'])
      .where('mobile', '=', person.mobile)
      .where('idempotency_key', 'like', `beneficiary-${person.reference_id}:%`)
      .orderBy('created_at')
      .limit(200)
      .execute(),
    db
      .selectFrom('person_correction')
      .select(['by_type', 'reason', 'fields', 'before', 'after', 'at'])
      .where('beneficiary_id', '=', beneficiaryId)
      .orderBy('at')
      .execute(),
  ]);
  return { person, stages, appointments, doses, certificates, sms, corrections };
}

export type PersonHistoryRows = Awaited<ReturnType<typeof readPersonHistory>>;
