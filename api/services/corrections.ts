/**
 * Corrections of a person's name, year of birth, gender or photo ID: once by the person (Co-WIN allowed one),
 * any number of times by an officer with a reason. One transaction writes the corrected details, the record of the
 * correction (before and after, the photo ID as type and last 4 only), revokes every live certificate (they carry
 * the old details) and audits it all; then certificates of the same kinds are issued again, read from the corrected
 * record, so the new QR carries the new details and the old one verifies as revoked. A new photo ID is held to the
 * same rule as at registration: nobody else may hold it.
 */
import type { Config } from '../../config/env.js';
import type { CertificateKind, CertificateService } from '../../certificates/service.js';
import type { Db } from '../../db/connection.js';
import { writeAudit, type Actor } from '../../db/repositories/audit.js';
import {
  applyCorrection,
  kindsLeftWithoutCertificate,
  lockCorrectableDetails,
  photoIdHeldByAnother,
  revokeLiveCertificates,
  selfCorrectionsOf,
} from '../../db/repositories/corrections.js';
import { planCorrection, SELF_CORRECTIONS_ALLOWED, type RequestedCorrection } from '../../domain/corrections.js';
import { refuse } from '../../domain/errors.js';
import { checkIdNumber, hashIdNumber, maskIdNumber } from '../../domain/identity.js';
import { AppError, badRequest, conflict } from '../errors.js';
import type { CertificateReissueResult, CorrectionBody, CorrectionResult } from '../schemas/corrections.js';
import { identityTaken } from './registration.js';

export async function correctPerson(
  ctx: { db: Db; config: Pick<Config, 'idHashSecret'>; certificates: CertificateService },
  input: {
    beneficiaryId: string;
    referenceId: string;
    body: CorrectionBody;
    /** The person themselves (once), or an officer (with a reason). */
    by: Actor & { type: 'BENEFICIARY' | 'STAFF'; id: string };
    reason: string | null;
  },
): Promise<CorrectionResult> {
  const { db } = ctx;
  const requested = checkRequest(ctx.config.idHashSecret, input.body);
  const self = input.by.type === 'BENEFICIARY';
  const revocationReason = self
    ? 'details corrected by the person'
    : `details corrected by an officer: ${input.reason}`;

  let outcome;
  try {
    outcome = await db.transaction().execute(async (trx) => {
      const before = await lockCorrectableDetails(trx, input.beneficiaryId);
      if (self && (await selfCorrectionsOf(trx, input.beneficiaryId)) >= SELF_CORRECTIONS_ALLOWED)
        refuse(
          'CORRECTION_USED',
          'your one correction has been made; a district officer can correct your details if something is still wrong',
        );
      const { next, fields } = planCorrection(before, requested);
      if (fields.includes('photoId') && (await photoIdHeldByAnother(trx, next.idHash, input.beneficiaryId)))
        throw identityTaken();
      const correctionId = await applyCorrection(trx, {
        beneficiaryId: input.beneficiaryId,
        before,
        after: next,
        fields,
        by: { type: input.by.type, id: input.by.id },
        reason: input.reason,
      });
      await writeAudit(trx, {
        actor: input.by,
        action: 'PERSON_CORRECTED',
        entityType: 'beneficiary',
        entityId: input.beneficiaryId,
        details: { correctionId, fields, ...(input.reason ? { reason: input.reason } : {}) },
      });
      const revoked = await revokeLiveCertificates(trx, input.beneficiaryId, revocationReason);
      for (const certificate of revoked)
        await writeAudit(trx, {
          actor: input.by,
          action: 'CERTIFICATE_REVOKED',
          entityType: 'certificate',
          entityId: certificate.id,
          details: { reason: revocationReason, correctionId },
        });
      return { next, fields, revoked };
    });
  } catch (error) {
    const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
    // Two requests of the person at once: the partial unique index lets one through.
    if (code === '23505' && constraint === 'person_correction_once_by_person')
      throw conflict('CORRECTION_USED', 'your one correction has been made');
    if (code === '23505' && constraint === 'beneficiary_identity_unique') throw identityTaken();
    throw error;
  }

  // Issued again from the corrected record (certificates/service.ts reads the person when it signs). The correction
  // stands whatever happens here: a kind that fails is answered as such, and an officer issues it again later
  // (reissueCertificates below; the lookup shows the person as waiting for it).
  const reissued: string[] = [];
  const failed: CertificateKind[] = [];
  for (const kind of new Set(outcome.revoked.map((c) => c.kind))) {
    try {
      const certificate = await ctx.certificates.issue({ beneficiaryId: input.beneficiaryId, kind, actor: input.by });
      if (certificate.id) reissued.push(certificate.id);
    } catch {
      failed.push(kind);
    }
  }
  return {
    referenceId: input.referenceId,
    fields: outcome.fields,
    person: {
      name: outcome.next.name,
      birthYear: outcome.next.birthYear,
      gender: outcome.next.gender,
      idType: outcome.next.idType,
      idNumberMasked: maskIdNumber(outcome.next.idLast4),
    },
    certificates: { revoked: outcome.revoked.map((c) => c.id), reissued, failed },
  };
}

/**
 * Issues again the certificates a person was left without (revoked, and the reissue failed): every kind they held
 * and hold no live one of, read from the current record. An officer's act, audited with their reason; refused when
 * nothing is missing.
 */
export async function reissueCertificates(
  ctx: { db: Db; certificates: CertificateService },
  input: { beneficiaryId: string; referenceId: string; by: Actor & { type: 'STAFF'; id: string }; reason: string },
): Promise<CertificateReissueResult> {
  const kinds = await kindsLeftWithoutCertificate(ctx.db, input.beneficiaryId);
  if (kinds.length === 0)
    return refuse('NOTHING_TO_REISSUE', "this person's certificates are all live; there is nothing to issue again");
  await writeAudit(ctx.db, {
    actor: input.by,
    action: 'CERTIFICATE_REISSUE_RETRIED',
    entityType: 'beneficiary',
    entityId: input.beneficiaryId,
    details: { kinds, reason: input.reason },
  });
  const reissued: string[] = [];
  for (const kind of kinds) {
    const certificate = await ctx.certificates.issue({ beneficiaryId: input.beneficiaryId, kind, actor: input.by });
    if (certificate.id) reissued.push(certificate.id);
  }
  return { referenceId: input.referenceId, reissued };
}

function checkRequest(idHashSecret: string, body: CorrectionBody): RequestedCorrection {
  const { name, birthYear, gender, idType, idNumber } = body;
  if ((idType === undefined) !== (idNumber === undefined))
    throw badRequest('ID_TYPE_AND_NUMBER', 'a corrected photo ID needs both its type and its number');
  if ([name, birthYear, gender, idType].every((v) => v === undefined))
    throw new AppError('NOTHING_TO_CORRECT', 'give the name, year of birth, gender or photo ID to correct');
  const currentYear = new Date().getUTCFullYear();
  if (birthYear !== undefined && (birthYear > currentYear || birthYear < currentYear - 120))
    throw badRequest('INVALID_BIRTH_YEAR', `birth year must be between ${currentYear - 120} and ${currentYear}`);
  let photoId: RequestedCorrection['photoId'];
  if (idType !== undefined && idNumber !== undefined) {
    const id = checkIdNumber(idType, idNumber);
    if (!id.ok) throw badRequest('INVALID_ID_NUMBER', id.reason);
    photoId = {
      idType,
      idHash: hashIdNumber(idHashSecret, idType, id.normalised),
      idLast4: id.normalised.slice(-4),
    };
  }
  return { name, birthYear, gender, photoId };
}
