/**
 * Identity disputes (api/routes/v1/identity-disputes.ts): two people claim one photo ID. An officer opens one for a
 * person who shows their ID at the office; the desk's sync opens one for a walk-in registered offline whose photo
 * ID was registered meanwhile under another name, year of birth or gender (api/services/walk-ins.ts).
 */
import type { Actor, Executor } from './audit.js';
import { writeAudit } from './audit.js';

/** The live registration holding a photo ID (by its keyed hash), or undefined. */
export async function findIdHolder(db: Executor, idHash: string) {
  return (
    db
      .selectFrom('beneficiary')
      .innerJoin('account', 'account.id', 'beneficiary.account_id')
      .select([
        'beneficiary.id',
        'beneficiary.reference_id',
        'beneficiary.name',
        'beneficiary.birth_year',
        'beneficiary.gender',
        'beneficiary.id_last4',
        'beneficiary.dry_run_id',
        'account.mobile',
      ])
      .where('beneficiary.id_hash', '=', idHash)
      .where('beneficiary.deleted_at', 'is', null)
      // A registration whose OTP was never verified holds no photo ID: registering it again releases it.
      .where('beneficiary.stage', '<>', 'EXPIRED')
      .executeTakeFirst()
  );
}

export async function openIdentityDispute(
  trx: Executor,
  actor: Actor & { id: string },
  dispute: {
    districtId: number;
    holderBeneficiaryId: string;
    idType: number;
    idLast4: string;
    claimant: { name: string; birthYear: number; gender: string; mobile: string };
    source?: 'ONLINE' | 'OFFLINE';
    details?: Record<string, unknown>;
  },
): Promise<string> {
  const row = await trx
    .insertInto('identity_dispute')
    .values({
      district_id: dispute.districtId,
      holder_beneficiary_id: dispute.holderBeneficiaryId,
      id_type: dispute.idType,
      id_last4: dispute.idLast4,
      claimant_name: dispute.claimant.name.trim(),
      claimant_birth_year: dispute.claimant.birthYear,
      claimant_gender: dispute.claimant.gender,
      claimant_mobile: dispute.claimant.mobile,
      opened_by: actor.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeAudit(trx, {
    actor,
    action: 'IDENTITY_DISPUTE_OPENED',
    entityType: 'identity_dispute',
    entityId: row.id,
    source: dispute.source,
    details: {
      holderBeneficiaryId: dispute.holderBeneficiaryId,
      districtId: dispute.districtId,
      idType: dispute.idType,
      ...dispute.details,
    },
  });
  return row.id;
}
