/**
 * Registering a person: the identity rules ("no proxies"), the 14-digit reference id and 4-digit secret
 * code, the first journey stage, and the journey's start — committed together, started right after.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/connection.js';
import { writeAudit, type Actor } from '../../db/repositories/audit.js';
import type { Gender } from '../../db/schema.js';
import { newReferenceId, newSecretCode } from '../../domain/codes.js';
import { checkIdNumber, hashIdNumber } from '../../domain/identity.js';
import type { TemporalGateway } from '../../workflows/client.js';
import { defaultJourneyPolicy } from '../../workflows/journey/schedule.js';
import { enqueueWorkflowStart } from '../../workflows/outbox.js';
import { workflowIds, type JourneyInput } from '../../workflows/shared.js';
import { badRequest, conflict } from '../errors.js';
import { deliverAfterCommit } from './workflow-commands.js';

export interface PersonInput {
  name: string;
  birthYear: number;
  gender: Gender;
  idType: number;
  idNumber: string;
  comorbidity?: boolean;
}

export interface RegisteredPerson {
  beneficiaryId: string;
  referenceId: string;
  secretCode: string;
  stage: 'REGISTERED' | 'VERIFIED';
}

export const MAX_PEOPLE_PER_MOBILE = 4;

function pgError(error: unknown): { code?: string; constraint?: string } {
  return (error ?? {}) as { code?: string; constraint?: string };
}

export async function registerBeneficiary(
  ctx: { db: Db; config: Config; temporal: TemporalGateway; log: FastifyBaseLogger },
  input: { accountId: string; verified: boolean; person: PersonInput; actor: Actor; source?: 'ONLINE' | 'OFFLINE' },
): Promise<RegisteredPerson> {
  const { db, config } = ctx;
  const id = checkIdNumber(input.person.idType, input.person.idNumber);
  if (!id.ok) throw badRequest('INVALID_ID_NUMBER', id.reason);
  const currentYear = new Date().getUTCFullYear();
  if (input.person.birthYear > currentYear || input.person.birthYear < currentYear - 120) {
    throw badRequest('INVALID_BIRTH_YEAR', `birth year must be between ${currentYear - 120} and ${currentYear}`);
  }
  const idHash = hashIdNumber(config.idHashSecret, input.person.idType, id.normalised);
  const stage = input.verified ? 'VERIFIED' : 'REGISTERED';
  const registeredAt = new Date();

  try {
    const { person, commandId } = await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('beneficiary').select('id').where('id_hash', '=', idHash).where('deleted_at', 'is', null).executeTakeFirst();
      if (existing) throw identityTaken();
      const referenceId = newReferenceId();
      const secretCode = newSecretCode();
      const row = await trx
        .insertInto('beneficiary')
        .values({
          reference_id: referenceId,
          account_id: input.accountId,
          name: input.person.name.trim(),
          birth_year: input.person.birthYear,
          gender: input.person.gender,
          id_type: input.person.idType,
          id_hash: idHash,
          id_last4: id.normalised.slice(-4),
          secret_code: secretCode,
          comorbidity: input.person.comorbidity ?? false,
          stage,
          created_at: registeredAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('journey_stage_history')
        .values({ beneficiary_id: row.id, from_stage: null, to_stage: stage, reason: 'registered', step_key: `register:${row.id}` })
        .execute();
      await writeAudit(trx, {
        actor: input.actor,
        action: 'BENEFICIARY_REGISTERED',
        entityType: 'beneficiary',
        entityId: row.id,
        source: input.source,
        details: { referenceId, idType: input.person.idType, verified: input.verified },
      });
      const journey: JourneyInput = {
        beneficiaryId: row.id,
        referenceId,
        verified: input.verified,
        registeredAtMs: registeredAt.getTime(),
        policy: defaultJourneyPolicy(config.dayMs),
      };
      const commandId = await enqueueWorkflowStart(trx, { workflowId: workflowIds.journey(referenceId), workflowType: 'beneficiaryJourneyWorkflow', input: journey });
      return { person: { beneficiaryId: row.id, referenceId, secretCode, stage } as RegisteredPerson, commandId };
    });
    await deliverAfterCommit(db, ctx.temporal, ctx.log, [commandId]);
    return person;
  } catch (error) {
    const { code, constraint } = pgError(error);
    if (code === '23505' && constraint === 'beneficiary_identity_unique') throw identityTaken();
    if (code === '23514' && constraint === 'beneficiary_limit_per_account') {
      throw conflict('TOO_MANY_PEOPLE', `a mobile number can register at most ${MAX_PEOPLE_PER_MOBILE} people`);
    }
    throw error;
  }
}

function identityTaken() {
  return conflict('IDENTITY_ALREADY_REGISTERED', 'this photo ID is already registered; one person can be registered only once');
}
