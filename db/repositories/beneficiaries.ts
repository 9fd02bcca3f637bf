import type { Db } from '../connection.js';
import { maskIdNumber } from '../../domain/identity.js';
import { slotLabel } from '../../domain/slots.js';
import { indiaDate } from '../../domain/time.js';
import { precautionAfterDays, precautionDueOn } from '../../domain/precaution.js';
import { readPrecautionSchedule } from './precaution.js';

/** What an account holder sees of the people registered under their mobile. */
export async function listAccountBeneficiaries(db: Db, accountId: string, referenceId?: string) {
  const people = await db
    .selectFrom('beneficiary')
    .select([
      'id',
      'reference_id',
      'name',
      'birth_year',
      'gender',
      'id_type',
      'id_last4',
      'secret_code',
      'stage',
      'vaccine_code',
      'next_dose_due_on',
      'comorbidity',
      'priority_group',
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom('person_correction')
              .select('person_correction.id')
              .whereRef('person_correction.beneficiary_id', '=', 'beneficiary.id')
              .where('person_correction.by_type', '=', 'BENEFICIARY'),
          )
          .as('self_corrected'),
    ])
    .where('account_id', '=', accountId)
    .where('deleted_at', 'is', null)
    .$if(referenceId !== undefined, (qb) => qb.where('reference_id', '=', referenceId!))
    .orderBy('created_at')
    .execute();
  if (!people.length) return [];
  const ids = people.map((p) => p.id);
  const appointments = await db
    .selectFrom('appointment')
    .innerJoin('session_day', 'session_day.id', 'appointment.session_day_id')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .leftJoin('session_slot', 'session_slot.id', 'appointment.slot_id')
    .select([
      'appointment.id',
      'appointment.beneficiary_id',
      'appointment.session_day_id',
      'appointment.dose_number',
      'appointment.status',
      'appointment.origin_id',
      'session_day.date',
      'site.name as site_name',
      'session_slot.starts_at',
      'session_slot.ends_at',
    ])
    .where('appointment.beneficiary_id', 'in', ids)
    .where('appointment.status', 'in', ['BOOKED', 'COMPLETED'])
    .orderBy('appointment.booked_at')
    .execute();
  const doses = await db
    .selectFrom('dose')
    .leftJoin('site', 'site.id', 'dose.site_id')
    // A dose given elsewhere shows where it was given.
    .leftJoin('dose_evidence', 'dose_evidence.dose_id', 'dose.id')
    .select((eb) => [
      'dose.beneficiary_id',
      'dose.dose_number',
      'dose.vaccine_code',
      'dose.batch',
      'dose.administered_at',
      eb.fn.coalesce('site.name', 'dose_evidence.place', eb.val('')).as('site_name'),
    ])
    .where('dose.beneficiary_id', 'in', ids)
    .orderBy('dose.dose_number')
    .execute();
  // A journey that ended fully vaccinated before its vaccine had a precaution dose has no due date stored.
  const precautionDue = new Map<string, string>();
  for (const p of people) {
    const last = doses.filter((d) => d.beneficiary_id === p.id).at(-1);
    if (p.stage !== 'FULLY_VACCINATED' || p.next_dose_due_on || !last) continue;
    const afterDays = precautionAfterDays((await readPrecautionSchedule(db, last.vaccine_code)).rules, {
      vaccineCode: last.vaccine_code,
      group: p.priority_group,
    });
    if (afterDays !== undefined) precautionDue.set(p.id, precautionDueOn(indiaDate(last.administered_at), afterDays));
  }
  return people.map((p) => ({
    beneficiaryId: p.id,
    referenceId: p.reference_id,
    name: p.name,
    birthYear: p.birth_year,
    gender: p.gender,
    idType: p.id_type,
    idNumberMasked: maskIdNumber(p.id_last4),
    comorbidity: p.comorbidity,
    priorityGroup: p.priority_group,
    secretCode: p.secret_code,
    stage: p.stage,
    vaccineCode: p.vaccine_code,
    nextDoseDueOn: p.next_dose_due_on ?? precautionDue.get(p.id) ?? null,
    canCorrectDetails: !p.self_corrected,
    appointments: appointments
      .filter((a) => a.beneficiary_id === p.id)
      .map((a) => ({
        appointmentId: a.id,
        partnerAppointmentId: a.origin_id ?? a.id,
        sessionDayId: a.session_day_id,
        dose: a.dose_number,
        date: a.date,
        slot: a.starts_at && a.ends_at ? slotLabel(a.starts_at, a.ends_at) : '',
        siteName: a.site_name,
        status: a.status,
      })),
    doses: doses
      .filter((d) => d.beneficiary_id === p.id)
      .map((d) => ({
        dose: d.dose_number,
        vaccineCode: d.vaccine_code,
        batch: d.batch,
        date: indiaDate(d.administered_at),
        siteName: d.site_name,
      })),
  }));
}

export async function findOwnedBeneficiary(db: Db, accountId: string, referenceId: string) {
  return db
    .selectFrom('beneficiary')
    .select(['id', 'reference_id', 'stage'])
    .where('account_id', '=', accountId)
    .where('reference_id', '=', referenceId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}
