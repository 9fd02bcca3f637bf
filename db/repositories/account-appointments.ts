/**
 * Appointments as an account holder reaches them: only appointments of people registered under the account
 * are found, so a caller can never act on someone else's booking by guessing its id.
 */
import type { Db } from '../connection.js';
import { slotLabel } from '../../domain/slots.js';

export interface AccountAppointment {
  appointmentId: string;
  /** The id partner apps know the appointment by: its first row's, kept across moves (origin_id). */
  partnerId: string;
  status: string;
  dose: number;
  sessionDayId: string;
  date: string;
  slot: string;
  beneficiaryId: string;
  referenceId: string;
  name: string;
  secretCode: string;
}

function accountAppointments(db: Db, accountId: string) {
  return db
    .selectFrom('appointment')
    .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
    .innerJoin('session_day', 'session_day.id', 'appointment.session_day_id')
    .leftJoin('session_slot', 'session_slot.id', 'appointment.slot_id')
    .select([
      'appointment.id',
      'appointment.origin_id',
      'appointment.status',
      'appointment.dose_number',
      'appointment.session_day_id',
      'session_day.date',
      'session_slot.starts_at',
      'session_slot.ends_at',
      'beneficiary.id as beneficiary_id',
      'beneficiary.reference_id',
      'beneficiary.name',
      'beneficiary.secret_code',
    ])
    .where('beneficiary.account_id', '=', accountId)
    .where('beneficiary.deleted_at', 'is', null);
}

type Row = {
  id: string;
  origin_id: string | null;
  status: string;
  dose_number: number;
  session_day_id: string;
  date: string;
  starts_at: string | null;
  ends_at: string | null;
  beneficiary_id: string;
  reference_id: string;
  name: string;
  secret_code: string;
};

const toAppointment = (r: Row): AccountAppointment => ({
  appointmentId: r.id,
  partnerId: r.origin_id ?? r.id,
  status: r.status,
  dose: r.dose_number,
  sessionDayId: r.session_day_id,
  date: r.date,
  slot: r.starts_at && r.ends_at ? slotLabel(r.starts_at, r.ends_at) : '',
  beneficiaryId: r.beneficiary_id,
  referenceId: r.reference_id,
  name: r.name,
  secretCode: r.secret_code,
});

/**
 * The appointment a partner app names by the id it holds: the latest row of its moves (a reschedule writes a new
 * row; Co-WIN's reschedule answers no new id). Any row's id of the appointment finds it.
 */
export async function findAccountAppointmentByPartnerId(
  db: Db,
  accountId: string,
  appointmentId: string,
): Promise<AccountAppointment | undefined> {
  const named = await db
    .selectFrom('appointment')
    .select((eb) => eb.fn.coalesce('origin_id', 'id').as('origin'))
    .where('id', '=', appointmentId)
    .executeTakeFirst();
  if (!named) return undefined;
  const row = await accountAppointments(db, accountId)
    .where((eb) => eb.or([eb('appointment.id', '=', named.origin), eb('appointment.origin_id', '=', named.origin)]))
    .orderBy('appointment.booked_at', 'desc')
    .orderBy('appointment.id', 'desc')
    .executeTakeFirst();
  return row ? toAppointment(row) : undefined;
}

/** A person's live (booked) appointment for a dose at a session day, if they have one. */
export async function findLiveAppointment(
  db: Db,
  accountId: string,
  where: { referenceId: string; sessionDayId: string; dose: number },
): Promise<AccountAppointment | undefined> {
  const row = await accountAppointments(db, accountId)
    .where('beneficiary.reference_id', '=', where.referenceId)
    .where('appointment.session_day_id', '=', where.sessionDayId)
    .where('appointment.dose_number', '=', where.dose)
    .where('appointment.status', '=', 'BOOKED')
    .executeTakeFirst();
  return row ? toAppointment(row) : undefined;
}
