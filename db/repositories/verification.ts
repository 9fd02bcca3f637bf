/**
 * Identity checks at the door of a session: a verifier (or the vaccinator) checks a person's secret code or an
 * OTP sent to their mobile and records it; the dose may then cite the check instead of asking for the code again.
 * Wrong secret codes are counted from the audit trail (each one is audited anyway), per person per session day.
 */
import { sql } from 'kysely';
import { refuse } from '../../domain/errors.js';
import { writeAudit, type Actor, type Executor } from './audit.js';

export type VerificationMethod = 'SECRET_CODE' | 'OTP';

export const VerificationRefusal = {
  VERIFICATION_INVALID: 'VERIFICATION_INVALID',
  VERIFICATION_EXPIRED: 'VERIFICATION_EXPIRED',
} as const;

const WRONG_CODE_ACTION = 'DESK_SECRET_CODE_WRONG';

export interface VerificationRecord {
  verificationId: string;
  sessionDayId: string;
  beneficiaryId: string;
  method: VerificationMethod;
  verifiedBy: string;
  verifiedAt: Date;
}

/**
 * Serialises code checks for one person at one session day, so parallel guesses cannot slip past the try
 * limit. Call inside the transaction that counts and records the try.
 */
export async function lockCodeChecks(trx: Executor, beneficiaryId: string, sessionDayId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`desk-code:${beneficiaryId}:${sessionDayId}`}))`.execute(trx);
}

export async function countWrongCodeTries(db: Executor, beneficiaryId: string, sessionDayId: string): Promise<number> {
  const { count } = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('entity_type', '=', 'beneficiary')
    .where('entity_id', '=', beneficiaryId)
    .where('action', '=', WRONG_CODE_ACTION)
    .where(sql<boolean>`details->>'sessionDayId' = ${sessionDayId}`)
    .executeTakeFirstOrThrow();
  return count;
}

/** Audits a wrong secret code (never the code itself); the audit row is what the try limit counts. */
export async function recordWrongCodeTry(
  db: Executor,
  actor: Actor,
  beneficiaryId: string,
  sessionDayId: string,
): Promise<void> {
  await writeAudit(db, {
    actor,
    action: WRONG_CODE_ACTION,
    entityType: 'beneficiary',
    entityId: beneficiaryId,
    details: { sessionDayId },
  });
}

export async function recordVerification(
  db: Executor,
  actor: Actor & { id: string },
  check: { sessionDayId: string; beneficiaryId: string; method: VerificationMethod },
): Promise<VerificationRecord> {
  const row = await db
    .insertInto('verification_check')
    .values({
      session_day_id: check.sessionDayId,
      beneficiary_id: check.beneficiaryId,
      verified_by: actor.id,
      method: check.method,
    })
    .returning(['id', 'verified_at'])
    .executeTakeFirstOrThrow();
  await writeAudit(db, {
    actor,
    action: 'IDENTITY_VERIFIED',
    entityType: 'verification_check',
    entityId: row.id,
    details: { beneficiaryId: check.beneficiaryId, sessionDayId: check.sessionDayId, method: check.method },
  });
  return {
    verificationId: row.id,
    sessionDayId: check.sessionDayId,
    beneficiaryId: check.beneficiaryId,
    method: check.method,
    verifiedBy: actor.id,
    verifiedAt: row.verified_at,
  };
}

/**
 * A verification check stands in for the secret code only for the same person at the same session day, and
 * only if it was recorded at most `validForMs` before the dose (and not after it, beyond `toleranceMs`).
 * Throws DomainRefusal otherwise.
 */
export async function assertVerificationCovers(
  db: Executor,
  request: {
    verificationId: string;
    referenceId: string;
    sessionDayId: string;
    at: Date;
    validForMs: number;
    toleranceMs: number;
  },
): Promise<VerificationRecord> {
  const row = await db
    .selectFrom('verification_check')
    .innerJoin('beneficiary', 'beneficiary.id', 'verification_check.beneficiary_id')
    .select([
      'verification_check.id',
      'verification_check.session_day_id',
      'verification_check.beneficiary_id',
      'verification_check.method',
      'verification_check.verified_by',
      'verification_check.verified_at',
      'beneficiary.reference_id',
    ])
    .where('verification_check.id', '=', request.verificationId)
    .executeTakeFirst();
  if (!row || row.reference_id !== request.referenceId || row.session_day_id !== request.sessionDayId) {
    return refuse(
      VerificationRefusal.VERIFICATION_INVALID,
      'that verification is not for this person at this session day; check the secret code or an OTP',
    );
  }
  const at = request.at.getTime();
  const verifiedAt = row.verified_at.getTime();
  if (verifiedAt > at + request.toleranceMs) {
    return refuse(VerificationRefusal.VERIFICATION_INVALID, 'that verification was recorded after the dose was given');
  }
  if (verifiedAt < at - request.validForMs) {
    return refuse(
      VerificationRefusal.VERIFICATION_EXPIRED,
      `that verification is more than ${Math.round(request.validForMs / 3_600_000)} hours old; verify the person again`,
    );
  }
  return {
    verificationId: row.id,
    sessionDayId: row.session_day_id,
    beneficiaryId: row.beneficiary_id,
    method: row.method,
    verifiedBy: row.verified_by,
    verifiedAt: row.verified_at,
  };
}

/** Who has been verified at the door of these session days: "sessionDayId:beneficiaryId" keys. */
export interface SessionVerification {
  verificationId: string;
  sessionDayId: string;
  beneficiaryId: string;
  /** Doses the person had anywhere before: a walk-in's dose number here is one more. */
  dosesSoFar: number;
  person: {
    reference_id: string;
    name: string;
    birth_year: number;
    gender: 'M' | 'F' | 'O';
    id_type: number;
    id_last4: string;
    secret_code: string;
  };
}

/** The latest identity check of each person at these session days, keyed `<sessionDayId>:<beneficiaryId>`. */
export async function verifiedAtSessions(
  db: Executor,
  sessionDayIds: string[],
): Promise<Map<string, SessionVerification>> {
  if (!sessionDayIds.length) return new Map();
  const rows = await db
    .selectFrom('verification_check')
    .innerJoin('beneficiary', 'beneficiary.id', 'verification_check.beneficiary_id')
    .select((eb) => [
      'verification_check.id',
      'verification_check.session_day_id',
      'verification_check.beneficiary_id',
      'beneficiary.reference_id',
      'beneficiary.name',
      'beneficiary.birth_year',
      'beneficiary.gender',
      'beneficiary.id_type',
      'beneficiary.id_last4',
      'beneficiary.secret_code',
      eb
        .selectFrom('dose')
        .select((d) => d.fn.countAll<string>().as('n'))
        .whereRef('dose.beneficiary_id', '=', 'verification_check.beneficiary_id')
        .as('doses_so_far'),
    ])
    .where('verification_check.session_day_id', 'in', sessionDayIds)
    .orderBy('verification_check.verified_at')
    .execute();
  const latest = new Map<string, SessionVerification>();
  for (const row of rows)
    latest.set(`${row.session_day_id}:${row.beneficiary_id}`, {
      verificationId: row.id,
      sessionDayId: row.session_day_id,
      beneficiaryId: row.beneficiary_id,
      dosesSoFar: Number(row.doses_so_far ?? 0),
      person: row,
    });
  return latest;
}
