/**
 * Registering a person: the identity rules ("no proxies"), the 14-digit reference id and 4-digit secret
 * code, the first journey stage, and the journey's start — committed together, started right after.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/connection.js';
import { SYSTEM_ACTOR, writeAudit, type Actor, type Executor } from '../../db/repositories/audit.js';
import { flagDuplicatePeople } from '../../db/repositories/duplicate-people.js';
import type { Gender, PriorityGroup } from '../../db/schema.js';
import { newReferenceId, newSecretCode } from '../../domain/codes.js';
import { checkIdNumber, hashIdNumber } from '../../domain/identity.js';
import { publishLiveEvent } from '../../live/publish.js';
import type { TemporalGateway } from '../../workflows/client.js';
import { configuredJourneyPolicy } from '../../domain/journey-schedule.js';
import { enqueueWorkflowStart } from '../../workflows/workflow-outbox.js';
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
  /** The consent text version the person agreed to (Co-WIN's consent_version), kept with the registration. */
  consentVersion?: string;
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

/** The checks that need no database: the ID number's shape (and checksum) and a plausible birth year. */
export function checkPerson(person: PersonInput): { normalised: string } {
  const id = checkIdNumber(person.idType, person.idNumber);
  if (!id.ok) throw badRequest('INVALID_ID_NUMBER', id.reason);
  const currentYear = new Date().getUTCFullYear();
  if (person.birthYear > currentYear || person.birthYear < currentYear - 120) {
    throw badRequest('INVALID_BIRTH_YEAR', `birth year must be between ${currentYear - 120} and ${currentYear}`);
  }
  return id;
}

export async function registerBeneficiary(
  ctx: { db: Db; config: Config; temporal: TemporalGateway; log: FastifyBaseLogger },
  input: {
    accountId: string;
    verified: boolean;
    person: PersonInput;
    actor: Actor;
    source?: 'ONLINE' | 'OFFLINE';
    /** A dry run's test person: marked as its own, on its clock (null: real time), never in real figures. */
    /** `calendarStartMs`: a simulated run's calendar start, which its people's journeys start at (JourneyInput). */
    dryRun?: { id: string; dayMs: number | null; calendarStartMs?: number };
    /** Health-care or front-line worker, registered from their employer's uploaded list (./priority-lists.ts). */
    priorityGroup?: PriorityGroup;
    /** More writes that stand or fall with the registration (a walk-in synced from a desk: its device record). */
    alsoWrite?: (trx: Executor, person: { beneficiaryId: string; referenceId: string }) => Promise<void>;
  },
): Promise<RegisteredPerson> {
  const { db, config } = ctx;
  const id = checkPerson(input.person);
  const idHash = hashIdNumber(config.idHashSecret, input.person.idType, id.normalised);
  const stage = input.verified ? 'VERIFIED' : 'REGISTERED';
  const registeredAt = new Date();

  try {
    const { person, commandId } = await db.transaction().execute(async (trx) => {
      await releaseLapsedRegistrations(trx, { idHash, accountId: input.accountId, at: registeredAt });
      const existing = await trx
        .selectFrom('beneficiary')
        .select('id')
        .where('id_hash', '=', idHash)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
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
          consent_version: input.person.consentVersion ?? null,
          priority_group: input.priorityGroup ?? null,
          stage,
          created_at: registeredAt,
          dry_run_id: input.dryRun?.id ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('journey_stage_history')
        .values({
          beneficiary_id: row.id,
          from_stage: null,
          to_stage: stage,
          reason: 'registered',
          step_key: `register:${row.id}`,
        })
        .execute();
      await writeAudit(trx, {
        actor: input.actor,
        action: 'BENEFICIARY_REGISTERED',
        entityType: 'beneficiary',
        entityId: row.id,
        source: input.source,
        details: {
          referenceId,
          idType: input.person.idType,
          verified: input.verified,
          ...(input.priorityGroup ? { priorityGroup: input.priorityGroup } : {}),
          ...(input.person.consentVersion ? { consentVersion: input.person.consentVersion } : {}),
        },
      });
      // The same person under another photo-ID type is flagged for the desk and an officer, not refused
      // (a dry run's test people are nobody).
      if (!input.dryRun)
        await flagDuplicatePeople(trx, {
          beneficiaryId: row.id,
          name: input.person.name,
          birthYear: input.person.birthYear,
          gender: input.person.gender,
          idType: input.person.idType,
          actor: input.actor,
        });
      const journey: JourneyInput = {
        beneficiaryId: row.id,
        referenceId,
        verified: input.verified,
        registeredAtMs: registeredAt.getTime(),
        policy: configuredJourneyPolicy({ ...config, dayMs: input.dryRun?.dayMs ?? config.dayMs }),
        // A simulated run's person: the journey's start stands for the run's calendar start.
        ...(input.dryRun?.calendarStartMs !== undefined ? { calendarStartMs: input.dryRun.calendarStartMs } : {}),
      };
      const commandId = await enqueueWorkflowStart(trx, {
        workflowId: workflowIds.journey(referenceId),
        workflowType: 'beneficiaryJourneyWorkflow',
        input: journey,
        taskQueue: ctx.temporal.taskQueue,
      });
      // People carry no location: the event has no state or district (0) and goes to the national room only.
      // A dry run's registrations count nowhere real, the national feed included.
      if (!input.dryRun) {
        await publishLiveEvent(trx, {
          type: 'registration.created',
          stateId: 0,
          districtId: 0,
          at: registeredAt.toISOString(),
          data: { source: input.source ?? 'ONLINE' },
        });
      }
      await input.alsoWrite?.(trx, { beneficiaryId: row.id, referenceId });
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

/**
 * A registration whose OTP was never verified (EXPIRED) holds neither its photo ID nor a place among its mobile's
 * 4 people: it is withdrawn when either is wanted again. Otherwise anyone could lock a person's ID out for good
 * with an unverified registration from any mobile.
 */
async function releaseLapsedRegistrations(trx: Executor, wanted: { idHash: string; accountId: string; at: Date }) {
  const lapsed = await trx
    .updateTable('beneficiary')
    .set({ deleted_at: wanted.at })
    .where('deleted_at', 'is', null)
    .where('stage', '=', 'EXPIRED')
    .where((eb) => eb.or([eb('id_hash', '=', wanted.idHash), eb('account_id', '=', wanted.accountId)]))
    .returning(['id', 'reference_id'])
    .execute();
  for (const row of lapsed) {
    await writeAudit(trx, {
      actor: SYSTEM_ACTOR,
      action: 'BENEFICIARY_LAPSED_RELEASED',
      entityType: 'beneficiary',
      entityId: row.id,
      details: { referenceId: row.reference_id, reason: 'registration expired before its OTP was verified' },
    });
  }
}

export const IDENTITY_ALREADY_REGISTERED = 'IDENTITY_ALREADY_REGISTERED';

export function identityTaken() {
  return conflict(
    IDENTITY_ALREADY_REGISTERED,
    'this photo ID is already registered; one person can be registered only once. If it is yours and you did not register it, a district officer can release it: bring the photo ID to your vaccination centre or district office',
  );
}
