/**
 * Walk-ins at the desk: registering a person who walked in (online), and matching a walk-in registered on a desk
 * with no network to the registration that holds their photo ID (at sync). Every function expects the caller to
 * have checked the staff member's role and session access.
 */
import { Refusal } from '../../domain/refusals.js';
import type { FastifyInstance } from 'fastify';
import { writeAudit, type Executor } from '../../db/repositories/audit.js';
import { recordVerification } from '../../db/repositories/verification.js';
import { OFFLINE_RECORDING_STATUSES } from '../../domain/dose-rules.js';
import { insertWalkinRegistration } from '../../db/repositories/walkins.js';
import { findIdHolder, openIdentityDispute } from '../../db/repositories/identity-disputes.js';
import { eligibilityRefusal } from '../../domain/booking-rules.js';
import { phasesOfSessionDay } from '../../db/repositories/eligibility-phases.js';
import { refuse } from '../../domain/errors.js';
import { hashIdNumber } from '../../domain/identity.js';
import { indiaDate } from '../../domain/time.js';
import type { StaffPrincipal } from '../plugins/auth.js';
import { checkPerson, registerBeneficiary, type PersonInput } from './registration.js';
import { staffActor } from './staff-actor.js';

/** Session states in which walk-ins are registered: those in which doses are recorded. */
const WALKIN_STATUSES = ['PLANNED', 'OPEN', 'STALLED'];

/**
 * Registers a person who walked in. The vaccinator has seen the photo ID, so the journey starts VERIFIED; the
 * mobile's account is created (unverified) if new. The walk-in seat itself is taken when the dose is recorded;
 * here the quota is only checked, so a full session says so before anyone is registered.
 */
export async function registerWalkIn(
  app: FastifyInstance,
  staff: StaffPrincipal,
  request: { sessionDayId: string; mobile: string; person: PersonInput },
  /**
   * A walk-in registered on a desk with no network, stored at its sync: judged at the time it happened (the
   * session may have closed since), its seat left to the dose, and recorded with its device id and its check.
   */
  offline?: { clientEventId: string; registeredAt: Date },
) {
  const actor = staffActor(staff);
  const day = await app.db
    .selectFrom('session_day')
    .leftJoin('dry_run', 'dry_run.id', 'session_day.dry_run_id')
    .select([
      'session_day.date',
      'session_day.status',
      'session_day.min_age',
      'session_day.max_age',
      'session_day.walkin_capacity',
      'session_day.walkin_used',
      'session_day.dry_run_id',
      'dry_run.day_ms',
    ])
    .where('session_day.id', '=', request.sessionDayId)
    .executeTakeFirstOrThrow();
  // A walk-in at a dry run's session day is one of its test people, on a test account of its own.
  const dryRun = day.dry_run_id ? { id: day.dry_run_id, dayMs: day.day_ms } : undefined;
  if (!(offline ? OFFLINE_RECORDING_STATUSES : WALKIN_STATUSES).includes(day.status))
    refuse(Refusal.WALKINS_CLOSED, `this session day is ${day.status.toLowerCase()}; it takes no walk-ins`);
  if (day.date !== indiaDate(offline?.registeredAt))
    refuse(Refusal.WALKINS_CLOSED, `walk-ins are registered on the session day (${day.date})`);
  // Offline, the phone could not ask: the person may already be vaccinated, so the quota is judged with the dose.
  if (!offline && day.walkin_used >= day.walkin_capacity) {
    refuse(
      Refusal.WALKIN_QUOTA_FULL,
      `the walk-in quota of this session day is used up (${day.walkin_used} of ${day.walkin_capacity})`,
      { walkinCapacity: day.walkin_capacity, walkinUsed: day.walkin_used },
    );
  }
  // The booking rule's own eligibility check (domain/booking-rules.ts: the session's ages, then the state's phases),
  // as a booking of this session would meet it. A walk-in registered here is one of the public: listed workers are
  // registered by their employer's upload and come to the desk already registered.
  const ineligible = eligibilityRefusal(
    {
      date: day.date,
      minAge: day.min_age,
      maxAge: day.max_age,
      phases: await phasesOfSessionDay(app.db, request.sessionDayId),
    },
    { birthYear: request.person.birthYear, priorityGroup: null, comorbidity: request.person.comorbidity ?? false },
  );
  if (ineligible) refuse(ineligible.code, ineligible.message, ineligible.details);

  const account = await app.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('account')
      .values({ mobile: request.mobile, dry_run_id: dryRun?.id ?? null })
      .onConflict((oc) => oc.column('mobile').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (created) {
      await writeAudit(trx, {
        actor,
        action: 'ACCOUNT_CREATED',
        entityType: 'account',
        entityId: created.id,
        source: offline ? 'OFFLINE' : 'ONLINE',
        details: { via: 'WALKIN', sessionDayId: request.sessionDayId },
      });
      return created;
    }
    const existing = await trx
      .selectFrom('account')
      .select(['id', 'dry_run_id'])
      .where('mobile', '=', request.mobile)
      .executeTakeFirstOrThrow();
    // Real accounts and a dry run's are never mixed (db/repositories/real-data.ts).
    if (existing.dry_run_id !== (dryRun?.id ?? null)) {
      refuse(
        Refusal.DRY_RUN_MOBILE,
        dryRun
          ? "a dry run's walk-in needs a test mobile number that no real person has registered"
          : "that mobile number belongs to a dry run's test person",
      );
    }
    return existing;
  });
  const person = await registerBeneficiary(
    { db: app.db, config: app.config, temporal: app.temporal, log: app.log },
    {
      accountId: account.id,
      verified: true,
      person: request.person,
      actor,
      dryRun,
      ...(offline && {
        source: 'OFFLINE' as const,
        alsoWrite: async (trx: Executor, person: { beneficiaryId: string }) => {
          const check = await recordVerification(trx, actor, {
            sessionDayId: request.sessionDayId,
            beneficiaryId: person.beneficiaryId,
            method: 'PHOTO_ID',
            verifiedAt: offline.registeredAt,
            source: 'OFFLINE',
          });
          await insertWalkinRegistration(trx, {
            clientEventId: offline.clientEventId,
            beneficiaryId: person.beneficiaryId,
            sessionDayId: request.sessionDayId,
            verificationId: check.verificationId,
            registeredBy: staff.staffId,
            registeredAt: offline.registeredAt,
          });
        },
      }),
    },
  );
  return {
    referenceId: person.referenceId,
    secretCode: person.secretCode,
    stage: person.stage,
    dueDose: 1,
    walkinRemaining: day.walkin_capacity - day.walkin_used,
  };
}

/** What differs between a walk-in's offered details and the registration holding their photo ID. */
export type WalkInDetail = 'name' | 'birthYear' | 'gender';

export interface MatchedWalkIn {
  referenceId: string;
  /** The offered details that differ from the registration's; an identity dispute is opened for an officer. */
  differs: WalkInDetail[];
  disputeId: string | null;
}

const personKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * A walk-in registered on a desk with no network whose photo ID was registered before the desk synced (online
 * on the portal, or by another desk that synced first). The photo ID is unique to one person and the vaccinator
 * saw it, so the walk-in is that registration's person: their registration on this device is stored against it
 * (with its check at the door), and the doses it queued are stored for that person. Offered details that differ
 * (name, year of birth, gender) do not stop the dose, which was given; they open an identity dispute for a
 * district officer, who sees both. Audited either way. Undefined when nobody holds the ID (or only a dry run's
 * test person does, or the session is a dry run's and the holder a real person).
 */
export async function matchOfflineWalkIn(
  app: FastifyInstance,
  staff: StaffPrincipal,
  request: { sessionDayId: string; mobile: string; person: PersonInput },
  offline: { clientEventId: string; registeredAt: Date },
): Promise<MatchedWalkIn | undefined> {
  const id = checkPerson(request.person);
  const holder = await findIdHolder(
    app.db,
    hashIdNumber(app.config.idHashSecret, request.person.idType, id.normalised),
  );
  if (!holder) return undefined;
  const day = await app.db
    .selectFrom('session_day')
    .select(['date', 'status', 'district_id', 'dry_run_id'])
    .where('id', '=', request.sessionDayId)
    .executeTakeFirstOrThrow();
  if ((holder.dry_run_id ?? null) !== (day.dry_run_id ?? null)) return undefined;
  if (!OFFLINE_RECORDING_STATUSES.includes(day.status))
    refuse(Refusal.WALKINS_CLOSED, `this session day is ${day.status.toLowerCase()}; it takes no walk-ins`);
  if (day.date !== indiaDate(offline.registeredAt))
    refuse(Refusal.WALKINS_CLOSED, `walk-ins are registered on the session day (${day.date})`);

  const offered = request.person;
  const differs: WalkInDetail[] = [];
  if (personKey(offered.name) !== personKey(holder.name)) differs.push('name');
  if (offered.birthYear !== holder.birth_year) differs.push('birthYear');
  if (offered.gender !== holder.gender) differs.push('gender');
  const actor = staffActor(staff);
  const disputeId = await app.db.transaction().execute(async (trx) => {
    const check = await recordVerification(trx, actor, {
      sessionDayId: request.sessionDayId,
      beneficiaryId: holder.id,
      method: 'PHOTO_ID',
      verifiedAt: offline.registeredAt,
      source: 'OFFLINE',
    });
    await insertWalkinRegistration(trx, {
      clientEventId: offline.clientEventId,
      beneficiaryId: holder.id,
      sessionDayId: request.sessionDayId,
      verificationId: check.verificationId,
      registeredBy: staff.staffId,
      registeredAt: offline.registeredAt,
    });
    const disputeId =
      differs.length === 0
        ? null
        : await openIdentityDispute(trx, actor, {
            districtId: day.district_id,
            holderBeneficiaryId: holder.id,
            idType: offered.idType,
            idLast4: holder.id_last4,
            claimant: {
              name: offered.name,
              birthYear: offered.birthYear,
              gender: offered.gender,
              mobile: request.mobile,
            },
            source: 'OFFLINE',
            details: { via: 'OFFLINE_WALKIN', clientEventId: offline.clientEventId, differs },
          });
    await writeAudit(trx, {
      actor,
      action: 'OFFLINE_WALKIN_MATCHED_REGISTRATION',
      entityType: 'beneficiary',
      entityId: holder.id,
      source: 'OFFLINE',
      details: {
        referenceId: holder.reference_id,
        clientEventId: offline.clientEventId,
        sessionDayId: request.sessionDayId,
        differs,
        mobileDiffers: request.mobile !== holder.mobile,
        disputeId,
      },
    });
    return disputeId;
  });
  return { referenceId: holder.reference_id, differs, disputeId };
}
