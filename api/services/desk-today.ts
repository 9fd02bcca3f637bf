/**
 * The desk's day: the session days a staff member is on today and the people expected there (masked), each with
 * a keyed check of their secret code so the desk can verify them with no network.
 */
import type { Db } from '../../db/connection.js';
import { verifiedAtSessions } from '../../db/repositories/verification.js';
import { createHmac } from 'node:crypto';
import { secretCodeCheck, toBase64url } from '../../domain/desk-code-check.js';
import { maskIdNumber } from '../../domain/identity.js';
import { slotLabel } from '../../domain/slots.js';
import { indiaDate } from '../../domain/time.js';
import type { StaffPrincipal } from '../plugins/auth.js';
import { myStepsAt } from './team.js';

/** One desk's key for offline secret-code checks: per staff member, session day and date (domain/desk-code-check.ts). */
function deskCodeKey(secret: string, staffId: string, sessionDayId: string, date: string): string {
  const mac = createHmac('sha256', secret).update(`desk-code-key:${staffId}:${sessionDayId}:${date}`).digest();
  return toBase64url(mac.buffer.slice(mac.byteOffset, mac.byteOffset + mac.byteLength) as ArrayBuffer);
}

/**
 * The session days the vaccinator is assigned to on `date` (India), with the people expected there, each with a
 * keyed check of their secret code for the desk to verify them with no network (never the code itself).
 */
export async function deskToday(db: Db, staff: StaffPrincipal, secret: string, date = indiaDate()) {
  const days = await db
    .selectFrom('session_assignment')
    .innerJoin('session_day', 'session_day.id', 'session_assignment.session_day_id')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .innerJoin('vaccine', 'vaccine.code', 'session_day.vaccine_code')
    .select([
      'session_day.id',
      'session_day.date',
      'session_day.status',
      'session_day.vaccine_code',
      'vaccine.name as vaccine_name',
      'session_day.opens_at',
      'session_day.closes_at',
      'session_day.dose1_capacity',
      'session_day.dose1_booked',
      'session_day.dose2_capacity',
      'session_day.dose2_booked',
      'session_day.walkin_capacity',
      'session_day.walkin_used',
      'session_day.doses_recorded',
      'session_day.dry_run_id',
      'site.id as site_id',
      'site.name as site_name',
      'site.address',
      'site.block',
      'site.pincode',
    ])
    .where('session_assignment.staff_id', '=', staff.staffId)
    .where('session_day.date', '=', date)
    .orderBy('session_day.opens_at')
    .execute();
  const dayIds = [...new Set(days.map((d) => d.id))];
  if (!dayIds.length) return { date, sessions: [] };

  const personColumns = [
    'beneficiary.id as beneficiary_id',
    'beneficiary.reference_id',
    'beneficiary.name',
    'beneficiary.birth_year',
    'beneficiary.gender',
    'beneficiary.id_type',
    'beneficiary.id_last4',
    'beneficiary.secret_code',
    'beneficiary.priority_group',
  ] as const;
  const appointments = await db
    .selectFrom('appointment')
    .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
    .leftJoin('session_slot', 'session_slot.id', 'appointment.slot_id')
    .select([
      ...personColumns,
      'appointment.session_day_id',
      'appointment.dose_number',
      'appointment.status',
      'session_slot.starts_at',
      'session_slot.ends_at',
    ])
    .where('appointment.session_day_id', 'in', dayIds)
    .where('appointment.status', 'in', ['BOOKED', 'COMPLETED', 'NO_SHOW'])
    .execute();
  const doses = await db
    .selectFrom('dose')
    .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
    .select([...personColumns, 'dose.id as dose_id', 'dose.session_day_id', 'dose.dose_number', 'dose.appointment_id'])
    .where('dose.session_day_id', 'in', dayIds)
    .execute();
  const verified = await verifiedAtSessions(db, dayIds);
  // Each member sees their own step: their team role and what it does in this team (domain/team.ts).
  const mySteps = await myStepsAt(db, staff.staffId, dayIds);

  const sessions = await Promise.all(
    days.map(async (day) => {
      const key = (beneficiaryId: string) => `${day.id}:${beneficiaryId}`;
      const doseHere = new Map(doses.filter((d) => d.session_day_id === day.id).map((d) => [d.beneficiary_id, d]));
      const mask = (p: (typeof appointments)[number] | (typeof doses)[number]) => ({
        referenceId: p.reference_id,
        name: p.name,
        birthYear: p.birth_year,
        gender: p.gender,
        idType: p.id_type,
        idNumberMasked: maskIdNumber(p.id_last4),
        priorityGroup: p.priority_group,
      });
      const booked = appointments
        .filter((a) => a.session_day_id === day.id)
        .map((a) => ({
          ...mask(a),
          dose: a.dose_number,
          slot: a.starts_at && a.ends_at ? slotLabel(a.starts_at, a.ends_at) : null,
          appointmentStatus: a.status as string | null,
          walkIn: false,
          verified: verified.has(key(a.beneficiary_id)),
          verificationId: verified.get(key(a.beneficiary_id))?.verificationId ?? null,
          vaccinated: doseHere.has(a.beneficiary_id),
          doseId: doseHere.get(a.beneficiary_id)?.dose_id ?? null,
          secretCode: a.secret_code,
        }));
      const bookedIds = new Set(appointments.filter((a) => a.session_day_id === day.id).map((a) => a.beneficiary_id));
      const walkIns = [...doseHere.values()]
        .filter((d) => !bookedIds.has(d.beneficiary_id))
        .map((d) => ({
          ...mask(d),
          dose: d.dose_number,
          slot: null,
          appointmentStatus: null,
          walkIn: true,
          verified: verified.has(key(d.beneficiary_id)),
          verificationId: verified.get(key(d.beneficiary_id))?.verificationId ?? null,
          vaccinated: true,
          doseId: d.dose_id,
          secretCode: d.secret_code,
        }));
      // Walk-ins checked at the door and not vaccinated yet: on the vaccinator's list too.
      const waitingWalkIns = [...verified.values()]
        .filter((v) => v.sessionDayId === day.id && !bookedIds.has(v.beneficiaryId) && !doseHere.has(v.beneficiaryId))
        .map((v) => ({
          referenceId: v.person.reference_id,
          name: v.person.name,
          birthYear: v.person.birth_year,
          gender: v.person.gender,
          idType: v.person.id_type,
          idNumberMasked: maskIdNumber(v.person.id_last4),
          priorityGroup: v.person.priority_group,
          dose: v.dosesSoFar + 1,
          slot: null,
          appointmentStatus: null,
          walkIn: true,
          verified: true,
          verificationId: v.verificationId,
          vaccinated: false,
          doseId: null,
          secretCode: v.person.secret_code,
        }));
      const codeKey = deskCodeKey(secret, staff.staffId, day.id, date);
      const people = await Promise.all(
        [...booked, ...walkIns, ...waitingWalkIns]
          .sort((a, b) => (a.slot ?? '~').localeCompare(b.slot ?? '~') || a.name.localeCompare(b.name))
          .map(async ({ secretCode, ...person }) => ({
            ...person,
            codeCheck: await secretCodeCheck(codeKey, person.referenceId, secretCode),
          })),
      );
      return {
        sessionDayId: day.id,
        date: day.date,
        status: day.status,
        vaccineCode: day.vaccine_code,
        vaccineName: day.vaccine_name,
        opensAt: day.opens_at,
        closesAt: day.closes_at,
        site: { id: day.site_id, name: day.site_name, address: day.address, block: day.block, pincode: day.pincode },
        dryRun: day.dry_run_id !== null,
        codeKey,
        teamRole: mySteps.get(day.id)?.teamRole ?? 'VACCINATOR',
        steps: mySteps.get(day.id)?.steps ?? [],
        counts: {
          dose1Capacity: day.dose1_capacity,
          dose1Booked: day.dose1_booked,
          dose2Capacity: day.dose2_capacity,
          dose2Booked: day.dose2_booked,
          walkinCapacity: day.walkin_capacity,
          walkinUsed: day.walkin_used,
          dosesRecorded: day.doses_recorded,
          verified: people.filter((p) => p.verified).length,
        },
        people,
      };
    }),
  );
  return { date, sessions };
}
