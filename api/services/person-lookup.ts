/**
 * Officer lookup: a district officer (or a state officer, a national admin) finds a person of their jurisdiction by
 * mobile or reference id, and a person not yet in any district by reference id, and sees their journey's history;
 * desk staff find the people of a session day they are on. What is shown is masked as on the desk
 * (api/schemas/person-lookup.ts). Every lookup is audited, whether it found anyone or not, with how it searched
 * (never the mobile itself) and whom it showed.
 */
import type { Db } from '../../db/connection.js';
import { writeAudit } from '../../db/repositories/audit.js';
import {
  findLookupCandidates,
  peopleSeenAtSessionDay,
  readPersonHistory,
  type LookupCandidate,
  type PersonHistoryRows,
} from '../../db/repositories/person-lookup.js';
import { maskIdNumber, maskMobile } from '../../domain/identity.js';
import { slotLabel } from '../../domain/slots.js';
import { assertSessionAccess, canActInDistrict, readSessionPlace } from '../auth/jurisdiction.js';
import { badRequest, notFound } from '../errors.js';
import type { StaffPrincipal } from '../plugins/auth.js';
import type { PersonHistory, PersonLookupBody, PersonLookupResult } from '../schemas/person-lookup.js';
import { staffActor } from './staff-actor.js';

export async function lookUpPeople(
  db: Db,
  staff: StaffPrincipal,
  query: PersonLookupBody,
): Promise<PersonLookupResult> {
  const { mobile, referenceId, sessionDayId } = query;
  if ((mobile === undefined) === (referenceId === undefined))
    throw badRequest('LOOKUP_NEEDS_ONE_KEY', 'give a mobile number or a reference id (one of them)');
  if (staff.role === 'VACCINATOR' && !sessionDayId)
    throw badRequest(
      'SESSION_DAY_REQUIRED',
      'desk staff look people up at a session day they are on: give sessionDayId',
    );
  // Jurisdiction (and, for desk staff, being on the day's team) before anything about a person is read.
  if (sessionDayId) assertSessionAccess(staff, await readSessionPlace(db, sessionDayId));

  const candidates = await findLookupCandidates(db, mobile !== undefined ? { mobile } : { referenceId: referenceId! });
  // At a session day, its people (the day is in the caller's jurisdiction: checked above); otherwise whom the
  // caller may find (mayFind).
  const ids = candidates.map((c) => c.beneficiaryId);
  const seen = sessionDayId ? await peopleSeenAtSessionDay(db, ids, sessionDayId) : undefined;
  const visible = candidates.filter((c) =>
    seen ? seen.has(c.beneficiaryId) : mayFind(staff, c, mobile !== undefined ? 'mobile' : 'referenceId'),
  );

  // One row per person shown, so "who looked at this person" is a filter on the entity; one row when nobody was.
  const details = {
    by: mobile !== undefined ? 'mobile' : 'referenceId',
    ...(mobile !== undefined ? { mobileMasked: maskMobile(mobile) } : { referenceId }),
    ...(sessionDayId ? { sessionDayId } : {}),
    shown: visible.length,
    // People the key names whom this caller may not see: counted, never named.
    withheld: candidates.length - visible.length,
  };
  await db.transaction().execute(async (trx) => {
    const entities = visible.length
      ? visible.map((c) => ({ entityType: 'beneficiary', entityId: c.beneficiaryId }))
      : [{ entityType: 'person_lookup', entityId: 'nobody-shown' }];
    for (const entity of entities)
      await writeAudit(trx, { actor: staffActor(staff), action: 'PERSON_LOOKED_UP', ...entity, details });
  });

  // The same answer whether nobody has this mobile or only people elsewhere do: a lookup tells nothing outside
  // the caller's jurisdiction.
  if (visible.length === 0) throw notFound(sessionDayId ? 'person at this session day' : 'person in your jurisdiction');
  const people = await Promise.all(visible.map(async (c) => maskHistory(await readPersonHistory(db, c.beneficiaryId))));
  return { people };
}

/**
 * Whom an officer finds without a session day: the people known in a district of their jurisdiction; a national
 * admin everyone. A person not yet booked or vaccinated anywhere is in no district's jurisdiction: every officer
 * finds them by their reference id (14 random digits the person holds, so an officer has it from them or their
 * papers), never by a mobile number alone, which tells nothing of whose the person is.
 */
function mayFind(staff: StaffPrincipal, person: LookupCandidate, by: 'mobile' | 'referenceId'): boolean {
  if (staff.role === 'NATIONAL_ADMIN') return true;
  if (person.districts.length === 0) return by === 'referenceId' && staff.role !== 'VACCINATOR';
  return person.districts.some((d) => canActInDistrict(staff, d));
}

/**
 * The person of this reference id if the officer's jurisdiction covers them (as for a lookup), else 404. A person
 * in no district yet is found only with `unplaced`, by an act that names the district it is recorded in and checks
 * that district against the officer's jurisdiction itself (a dose given elsewhere).
 */
export async function findPersonInJurisdiction(
  db: Db,
  staff: StaffPrincipal,
  referenceId: string,
  options: { unplaced?: boolean } = {},
): Promise<string> {
  const [person] = await findLookupCandidates(db, { referenceId });
  const found =
    person &&
    (person.districts.length === 0
      ? staff.role === 'NATIONAL_ADMIN' || (options.unplaced === true && mayFind(staff, person, 'referenceId'))
      : mayFind(staff, person, 'referenceId'));
  if (!found) throw notFound('person in your jurisdiction');
  return person.beneficiaryId;
}

function maskHistory({
  person,
  stages,
  appointments,
  doses,
  certificates,
  sms,
  corrections,
}: PersonHistoryRows): PersonHistory {
  return {
    referenceId: person.reference_id,
    name: person.name,
    birthYear: person.birth_year,
    gender: person.gender,
    idType: person.id_type,
    idNumberMasked: maskIdNumber(person.id_last4),
    mobileMasked: maskMobile(person.mobile),
    stage: person.stage,
    vaccineCode: person.vaccine_code,
    nextDoseDueOn: person.next_dose_due_on,
    journeyInactiveSince: person.journey_inactive_since?.toISOString() ?? null,
    registeredAt: person.created_at.toISOString(),
    dryRun: person.dry_run_id !== null,
    districtId: person.district_id,
    stages: stages.map((s) => ({ from: s.from_stage, to: s.to_stage, reason: s.reason, at: s.at.toISOString() })),
    appointments: appointments.map((a) => ({
      appointmentId: a.id,
      dose: a.dose_number,
      status: a.status,
      channel: a.channel,
      sessionDayId: a.session_day_id,
      date: a.date,
      slot: a.starts_at && a.ends_at ? slotLabel(a.starts_at, a.ends_at) : null,
      vaccineCode: a.vaccine_code,
      site: a.site_name,
      district: a.district_name,
      bookedAt: a.booked_at.toISOString(),
      updatedAt: a.updated_at.toISOString(),
    })),
    doses: doses.map((d) => ({
      doseId: d.id,
      dose: d.dose_number,
      vaccineCode: d.vaccine_code,
      vaccine: d.vaccine_name,
      batch: d.batch,
      administeredAt: d.administered_at.toISOString(),
      recordedAt: d.recorded_at.toISOString(),
      source: d.source,
      sessionDayId: d.session_day_id,
      site: d.site_name ?? d.place ?? '',
      district: d.district_name,
      vaccinator: d.vaccinator_name,
      addedByOfficer:
        d.source === 'OFFICER'
          ? {
              place: d.place ?? '',
              evidenceReference: d.evidence_reference ?? '',
              note: d.evidence_note ?? '',
              officer: d.added_by_name ?? '',
              addedAt: (d.added_at ?? d.recorded_at).toISOString(),
            }
          : null,
    })),
    sms: sms.map((m) => ({
      template: m.template,
      language: m.locale,
      status: m.status,
      createdAt: m.created_at.toISOString(),
      sentAt: m.sent_at?.toISOString() ?? null,
      deliveredAt: m.delivered_at?.toISOString() ?? null,
    })),
    // Kinds held once and live no more (a reissue that failed): the officer can issue them again.
    certificatesToReissue: [...new Set(certificates.filter((c) => c.revoked_at).map((c) => c.kind))].filter(
      (kind) => !certificates.some((c) => c.kind === kind && !c.revoked_at),
    ),
    certificates: certificates.map((c) => ({
      certificateId: c.id,
      kind: c.kind,
      doses: c.doses,
      issuedAt: c.issued_at.toISOString(),
      revokedAt: c.revoked_at?.toISOString() ?? null,
      revocationReason: c.revocation_reason,
    })),
    corrections: corrections.map((c) => ({
      by: c.by_type === 'BENEFICIARY' ? ('PERSON' as const) : ('OFFICER' as const),
      fields: c.fields,
      reason: c.reason,
      before: maskRecorded(c.before),
      after: maskRecorded(c.after),
      at: c.at.toISOString(),
    })),
  };
}

/** A correction's record of the details (domain/corrections.ts recordedDetails), its photo ID masked. */
function maskRecorded(recorded: unknown) {
  const r = recorded as { name: string; birthYear: number; gender: 'M' | 'F' | 'O'; idType: number; idLast4: string };
  return {
    name: r.name,
    birthYear: r.birthYear,
    gender: r.gender,
    idType: r.idType,
    idNumberMasked: maskIdNumber(r.idLast4),
  };
}
