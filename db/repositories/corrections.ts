/**
 * Corrections of a person's details (domain/corrections.ts decides what changes): the person's row, the record of
 * the correction and the revocation of their live certificates, in the caller's transaction.
 */
import type { CorrectableDetails, CorrectableField } from '../../domain/corrections.js';
import { recordedDetails } from '../../domain/corrections.js';
import type { Db } from '../connection.js';
import type { Executor } from './audit.js';

/** The person's details, locked for the correction (two corrections of one person never interleave). */
export async function lockCorrectableDetails(trx: Executor, beneficiaryId: string): Promise<CorrectableDetails> {
  const row = await trx
    .selectFrom('beneficiary')
    .select(['name', 'birth_year', 'gender', 'id_type', 'id_hash', 'id_last4'])
    .where('id', '=', beneficiaryId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return {
    name: row.name,
    birthYear: row.birth_year,
    gender: row.gender,
    idType: row.id_type,
    idHash: row.id_hash,
    idLast4: row.id_last4,
  };
}

/** Whether another live registration holds this photo ID (no proxies: one ID, one person). */
export async function photoIdHeldByAnother(trx: Executor, idHash: string, beneficiaryId: string): Promise<boolean> {
  const holder = await trx
    .selectFrom('beneficiary')
    .select('id')
    .where('id_hash', '=', idHash)
    .where('id', '!=', beneficiaryId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Boolean(holder);
}

export async function selfCorrectionsOf(trx: Executor, beneficiaryId: string): Promise<number> {
  const row = await trx
    .selectFrom('person_correction')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('beneficiary_id', '=', beneficiaryId)
    .where('by_type', '=', 'BENEFICIARY')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Writes the corrected details and the record of the correction; answers the record's id. */
export async function applyCorrection(
  trx: Executor,
  input: {
    beneficiaryId: string;
    before: CorrectableDetails;
    after: CorrectableDetails;
    fields: CorrectableField[];
    by: { type: 'BENEFICIARY' | 'STAFF'; id: string };
    reason: string | null;
  },
): Promise<string> {
  await trx
    .updateTable('beneficiary')
    .set({
      name: input.after.name,
      birth_year: input.after.birthYear,
      gender: input.after.gender,
      id_type: input.after.idType,
      id_hash: input.after.idHash,
      id_last4: input.after.idLast4,
    })
    .where('id', '=', input.beneficiaryId)
    .execute();
  const row = await trx
    .insertInto('person_correction')
    .values({
      beneficiary_id: input.beneficiaryId,
      by_type: input.by.type,
      actor_id: input.by.id,
      reason: input.reason,
      fields: input.fields,
      before: JSON.stringify(recordedDetails(input.before)),
      after: JSON.stringify(recordedDetails(input.after)),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Revokes the person's live certificates (they carry the old details); answers which, to issue them again. */
export async function revokeLiveCertificates(trx: Executor, beneficiaryId: string, reason: string) {
  return trx
    .updateTable('certificate')
    .set({ revoked_at: new Date(), revocation_reason: reason })
    .where('beneficiary_id', '=', beneficiaryId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'kind'])
    .execute();
}

/** The person's corrections, oldest first, for the officer's lookup and the portal. */
export async function correctionsOf(db: Db, beneficiaryId: string) {
  return db
    .selectFrom('person_correction')
    .select(['id', 'by_type', 'reason', 'fields', 'before', 'after', 'at'])
    .where('beneficiary_id', '=', beneficiaryId)
    .orderBy('at')
    .execute();
}

/**
 * The kinds of certificate the person held and no longer holds live: revoked (after a correction, or by an
 * officer) and not issued again, because the reissue failed. Issued again, each is read from the current record.
 */
export async function kindsLeftWithoutCertificate(db: Executor, beneficiaryId: string) {
  const rows = await db
    .selectFrom('certificate')
    .select('kind')
    .distinct()
    .where('beneficiary_id', '=', beneficiaryId)
    .where('revoked_at', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('certificate as live')
            .select('live.id')
            .whereRef('live.beneficiary_id', '=', 'certificate.beneficiary_id')
            .whereRef('live.kind', '=', 'certificate.kind')
            .where('live.revoked_at', 'is', null),
        ),
      ),
    )
    .orderBy('kind')
    .execute();
  return rows.map((r) => r.kind);
}
