/**
 * Walk-ins registered on a desk with no network, stored at its sync under the device's client event id: a resent
 * registration finds the stored one, and the doses queued for the walk-in find the person and their check at the
 * door through it.
 */
import type { Executor } from './audit.js';

export interface WalkinRegistration {
  clientEventId: string;
  beneficiaryId: string;
  referenceId: string;
  sessionDayId: string;
  verificationId: string;
  registeredAt: Date;
}

export async function findWalkinRegistration(
  db: Executor,
  clientEventId: string,
): Promise<WalkinRegistration | undefined> {
  const row = await db
    .selectFrom('walkin_registration')
    .innerJoin('beneficiary', 'beneficiary.id', 'walkin_registration.beneficiary_id')
    .select([
      'walkin_registration.client_event_id',
      'walkin_registration.beneficiary_id',
      'beneficiary.reference_id',
      'walkin_registration.session_day_id',
      'walkin_registration.verification_id',
      'walkin_registration.registered_at',
    ])
    .where('walkin_registration.client_event_id', '=', clientEventId)
    .executeTakeFirst();
  return (
    row && {
      clientEventId: row.client_event_id,
      beneficiaryId: row.beneficiary_id,
      referenceId: row.reference_id,
      sessionDayId: row.session_day_id,
      verificationId: row.verification_id,
      registeredAt: row.registered_at,
    }
  );
}

export async function insertWalkinRegistration(
  db: Executor,
  row: {
    clientEventId: string;
    beneficiaryId: string;
    sessionDayId: string;
    verificationId: string;
    registeredBy: string;
    registeredAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('walkin_registration')
    .values({
      client_event_id: row.clientEventId,
      beneficiary_id: row.beneficiaryId,
      session_day_id: row.sessionDayId,
      verification_id: row.verificationId,
      registered_by: row.registeredBy,
      registered_at: row.registeredAt,
    })
    .execute();
}
