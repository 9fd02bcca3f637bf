/**
 * Identity checks at the door of a session: a verifier (or the vaccinator) checks a person's secret code or an
 * OTP sent to their mobile and records it; the dose may then cite the check instead of asking for the code again.
 * Wrong secret codes are counted from the audit trail (each one is audited anyway), per person per session day,
 * by the SQL functions of migration 2026-12-06T1600_record_day_write_path.
 */
import { sql } from 'kysely';
import { writeAudit, type Actor, type Executor } from './audit.js';
import type { PriorityGroup } from '../schema.js';

/** PHOTO_ID: a walk-in registered at the desk, the vaccinator having seen their photo ID. */
export type VerificationMethod = 'SECRET_CODE' | 'OTP' | 'PHOTO_ID';

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
 * limit. Call inside the transaction that counts the tries and acts on the code.
 */
export async function lockCodeChecks(trx: Executor, beneficiaryId: string, sessionDayId: string): Promise<void> {
  await sql`select secret_code_lock(${beneficiaryId}::uuid, ${sessionDayId}::uuid)`.execute(trx);
}

export async function countWrongCodeTries(db: Executor, beneficiaryId: string, sessionDayId: string): Promise<number> {
  const { rows } = await sql<{
    tries: number;
  }>`select wrong_secret_code_tries(${beneficiaryId}::uuid, ${sessionDayId}::uuid) as tries`.execute(db);
  return rows[0]!.tries;
}

/**
 * Counts one wrong secret code (audited, never the code itself) on whichever path checked it: the desk's verify,
 * POST /doses, an offline desk's sync. Answers the tries left after this one, or -1 when the limit had already
 * been reached (nothing counted: only an OTP verifies the person now).
 */
export async function noteWrongSecretCode(
  db: Executor,
  actor: Actor & { id: string },
  check: { beneficiaryId: string; sessionDayId: string; maxTries: number; source: 'ONLINE' | 'OFFLINE' },
): Promise<number> {
  const { rows } = await sql<{ left: number }>`select note_wrong_secret_code(${check.beneficiaryId}::uuid,
    ${check.sessionDayId}::uuid, ${actor.id}, ${actor.role ?? null}, ${check.maxTries}, ${check.source}) as left`.execute(
    db,
  );
  return rows[0]!.left;
}

export async function recordVerification(
  db: Executor,
  actor: Actor & { id: string },
  check: {
    sessionDayId: string;
    beneficiaryId: string;
    method: VerificationMethod;
    /** When the check happened, if not now (a check made on a desk with no network, stored at its sync). */
    verifiedAt?: Date;
    source?: 'ONLINE' | 'OFFLINE';
  },
): Promise<VerificationRecord> {
  const row = await db
    .insertInto('verification_check')
    .values({
      session_day_id: check.sessionDayId,
      beneficiary_id: check.beneficiaryId,
      verified_by: actor.id,
      method: check.method,
      ...(check.verifiedAt ? { verified_at: check.verifiedAt } : {}),
    })
    .returning(['id', 'verified_at'])
    .executeTakeFirstOrThrow();
  await writeAudit(db, {
    actor,
    action: 'IDENTITY_VERIFIED',
    entityType: 'verification_check',
    entityId: row.id,
    source: check.source,
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
    priority_group: PriorityGroup | null;
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
      'beneficiary.priority_group',
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
