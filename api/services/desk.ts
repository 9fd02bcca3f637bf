/**
 * The vaccinator desk: today's sessions and the people booked at them (masked), identity checks at the door
 * (secret code or an OTP to the person's mobile), walk-in registration, and AEFI reports. Every function expects
 * the caller to have checked the staff member's role; session access is checked by the routes (or here, when
 * the session is only known from a dose).
 */
import { otherRegistrationsOf } from '../../db/repositories/duplicate-people.js';
import { Refusal, refusalEntry, type RefusalCode } from '../../domain/refusals.js';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection.js';
import {
  findDoseRef,
  queuedAefiAlerts,
  storeAefi,
  type AefiRecord,
  type AefiSeverity,
} from '../../db/repositories/aefi.js';
import { deliverSms } from '../../messaging/sms-outbox.js';
import { writeAudit, type Actor, type Executor } from '../../db/repositories/audit.js';
import { verifyOtpChallenge } from '../../db/repositories/otp.js';
import {
  countWrongCodeTries,
  lockCodeChecks,
  recordVerification,
  noteWrongSecretCode,
  verifiedAtSessions,
  type VerificationMethod,
} from '../../db/repositories/verification.js';
import { createHmac } from 'node:crypto';
import { constantTimeEqual, sha256Hex } from '../../domain/codes.js';
import { MAX_SECRET_CODE_TRIES, secretCodeCheck, toBase64url } from '../../domain/desk-code-check.js';
import { OFFLINE_RECORDING_STATUSES, TOO_MANY_CODE_TRIES_MESSAGE, wrongCodeMessage } from '../../domain/dose-rules.js';
import { insertWalkinRegistration } from '../../db/repositories/walkins.js';
import { findIdHolder, openIdentityDispute } from '../../db/repositories/identity-disputes.js';
import { priorityGroupOf, readPrecautionSchedule } from '../../db/repositories/precaution.js';
import { isPrecautionDose, precautionRefusal } from '../../domain/precaution.js';
import { eligibilityRefusal } from '../../domain/booking-rules.js';
import { phasesOfSessionDay } from '../../db/repositories/eligibility-phases.js';
import { DomainRefusal, refuse } from '../../domain/errors.js';
import { hashIdNumber, maskIdNumber } from '../../domain/identity.js';
import { slotLabel } from '../../domain/slots.js';
import { indiaDate } from '../../domain/time.js';
import { AppError } from '../errors.js';
import type { StaffPrincipal } from '../plugins/auth.js';
import { requestOtp } from './otp.js';
import { checkPerson, registerBeneficiary, type PersonInput } from './registration.js';
import { assertTeamStep, myStepsAt } from './team.js';

/** Wrong secret codes allowed per person per session day; after that the desk must verify by OTP. */
export { MAX_SECRET_CODE_TRIES } from '../../domain/desk-code-check.js';

export const DeskRefusal = {
  TOO_MANY_CODE_TRIES: 'TOO_MANY_CODE_TRIES',
  NO_PEOPLE_ON_MOBILE: 'NO_PEOPLE_ON_MOBILE',
  PERSON_NOT_ON_MOBILE: 'PERSON_NOT_ON_MOBILE',
  WALKIN_QUOTA_FULL: 'WALKIN_QUOTA_FULL',
  WALKINS_CLOSED: 'WALKINS_CLOSED',
  AGE_NOT_ELIGIBLE: 'AGE_NOT_ELIGIBLE',
  DOSE_REFERENCE_REQUIRED: 'DOSE_REFERENCE_REQUIRED',
  DRY_RUN_MOBILE: 'DRY_RUN_MOBILE',
} as const satisfies Record<string, RefusalCode>;

/** Session states in which walk-ins are registered: those in which doses are recorded. */
const WALKIN_STATUSES = ['PLANNED', 'OPEN', 'STALLED'];

export type StaffActor = Actor & { id: string };

export function staffActor(staff: StaffPrincipal): StaffActor {
  return { type: 'STAFF', id: staff.staffId, role: staff.role };
}

// ── today's sessions ───────────────────────────────────────────────────────────────────────────────────

/** One desk's key for offline secret-code checks: per staff member, session day and date (domain/desk-code-check.ts). */
function deskCodeKey(secret: string, staffId: string, sessionDayId: string, date: string): string {
  const mac = createHmac('sha256', secret).update(`desk-code-key:${staffId}:${sessionDayId}:${date}`).digest();
  return toBase64url(mac.buffer.slice(mac.byteOffset, mac.byteOffset + mac.byteLength) as ArrayBuffer);
}

/**
 * The session days the vaccinator is assigned to on `date` (India), with the people expected there, each with a
 * keyed check of their secret code for the desk to verify them with no network (never the code itself).
 */
export async function deskToday(db: Db, staff: StaffPrincipal, secret: string, date = indiaDate()) {
  const days = await db
    .selectFrom('session_assignment')
    .innerJoin('session_day', 'session_day.id', 'session_assignment.session_day_id')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .innerJoin('vaccine', 'vaccine.code', 'session_day.vaccine_code')
    .select([
      'session_day.id',
      'session_day.date',
      'session_day.status',
      'session_day.vaccine_code',
      'vaccine.name as vaccine_name',
      'session_day.opens_at',
      'session_day.closes_at',
      'session_day.dose1_capacity',
      'session_day.dose1_booked',
      'session_day.dose2_capacity',
      'session_day.dose2_booked',
      'session_day.walkin_capacity',
      'session_day.walkin_used',
      'session_day.doses_recorded',
      'session_day.dry_run_id',
      'site.id as site_id',
      'site.name as site_name',
      'site.address',
      'site.block',
      'site.pincode',
    ])
    .where('session_assignment.staff_id', '=', staff.staffId)
    .where('session_day.date', '=', date)
    .orderBy('session_day.opens_at')
    .execute();
  const dayIds = [...new Set(days.map((d) => d.id))];
  if (!dayIds.length) return { date, sessions: [] };

  const personColumns = [
    'beneficiary.id as beneficiary_id',
    'beneficiary.reference_id',
    'beneficiary.name',
    'beneficiary.birth_year',
    'beneficiary.gender',
    'beneficiary.id_type',
    'beneficiary.id_last4',
    'beneficiary.secret_code',
    'beneficiary.priority_group',
  ] as const;
  const appointments = await db
    .selectFrom('appointment')
    .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
    .leftJoin('session_slot', 'session_slot.id', 'appointment.slot_id')
    .select([
      ...personColumns,
      'appointment.session_day_id',
      'appointment.dose_number',
      'appointment.status',
      'session_slot.starts_at',
      'session_slot.ends_at',
    ])
    .where('appointment.session_day_id', 'in', dayIds)
    .where('appointment.status', 'in', ['BOOKED', 'COMPLETED', 'NO_SHOW'])
    .execute();
  const doses = await db
    .selectFrom('dose')
    .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
    .select([...personColumns, 'dose.id as dose_id', 'dose.session_day_id', 'dose.dose_number', 'dose.appointment_id'])
    .where('dose.session_day_id', 'in', dayIds)
    .execute();
  const verified = await verifiedAtSessions(db, dayIds);
  // Each member sees their own step: their team role and what it does in this team (domain/team.ts).
  const mySteps = await myStepsAt(db, staff.staffId, dayIds);

  const sessions = await Promise.all(
    days.map(async (day) => {
      const key = (beneficiaryId: string) => `${day.id}:${beneficiaryId}`;
      const doseHere = new Map(doses.filter((d) => d.session_day_id === day.id).map((d) => [d.beneficiary_id, d]));
      const mask = (p: (typeof appointments)[number] | (typeof doses)[number]) => ({
        referenceId: p.reference_id,
        name: p.name,
        birthYear: p.birth_year,
        gender: p.gender,
        idType: p.id_type,
        idNumberMasked: maskIdNumber(p.id_last4),
        priorityGroup: p.priority_group,
      });
      const booked = appointments
        .filter((a) => a.session_day_id === day.id)
        .map((a) => ({
          ...mask(a),
          dose: a.dose_number,
          slot: a.starts_at && a.ends_at ? slotLabel(a.starts_at, a.ends_at) : null,
          appointmentStatus: a.status as string | null,
          walkIn: false,
          verified: verified.has(key(a.beneficiary_id)),
          verificationId: verified.get(key(a.beneficiary_id))?.verificationId ?? null,
          vaccinated: doseHere.has(a.beneficiary_id),
          doseId: doseHere.get(a.beneficiary_id)?.dose_id ?? null,
          secretCode: a.secret_code,
        }));
      const bookedIds = new Set(appointments.filter((a) => a.session_day_id === day.id).map((a) => a.beneficiary_id));
      const walkIns = [...doseHere.values()]
        .filter((d) => !bookedIds.has(d.beneficiary_id))
        .map((d) => ({
          ...mask(d),
          dose: d.dose_number,
          slot: null,
          appointmentStatus: null,
          walkIn: true,
          verified: verified.has(key(d.beneficiary_id)),
          verificationId: verified.get(key(d.beneficiary_id))?.verificationId ?? null,
          vaccinated: true,
          doseId: d.dose_id,
          secretCode: d.secret_code,
        }));
      // Walk-ins checked at the door and not vaccinated yet: on the vaccinator's list too.
      const waitingWalkIns = [...verified.values()]
        .filter((v) => v.sessionDayId === day.id && !bookedIds.has(v.beneficiaryId) && !doseHere.has(v.beneficiaryId))
        .map((v) => ({
          referenceId: v.person.reference_id,
          name: v.person.name,
          birthYear: v.person.birth_year,
          gender: v.person.gender,
          idType: v.person.id_type,
          idNumberMasked: maskIdNumber(v.person.id_last4),
          priorityGroup: v.person.priority_group,
          dose: v.dosesSoFar + 1,
          slot: null,
          appointmentStatus: null,
          walkIn: true,
          verified: true,
          verificationId: v.verificationId,
          vaccinated: false,
          doseId: null,
          secretCode: v.person.secret_code,
        }));
      const codeKey = deskCodeKey(secret, staff.staffId, day.id, date);
      const people = await Promise.all(
        [...booked, ...walkIns, ...waitingWalkIns]
          .sort((a, b) => (a.slot ?? '~').localeCompare(b.slot ?? '~') || a.name.localeCompare(b.name))
          .map(async ({ secretCode, ...person }) => ({
            ...person,
            codeCheck: await secretCodeCheck(codeKey, person.referenceId, secretCode),
          })),
      );
      return {
        sessionDayId: day.id,
        date: day.date,
        status: day.status,
        vaccineCode: day.vaccine_code,
        vaccineName: day.vaccine_name,
        opensAt: day.opens_at,
        closesAt: day.closes_at,
        site: { id: day.site_id, name: day.site_name, address: day.address, block: day.block, pincode: day.pincode },
        dryRun: day.dry_run_id !== null,
        codeKey,
        teamRole: mySteps.get(day.id)?.teamRole ?? 'VACCINATOR',
        steps: mySteps.get(day.id)?.steps ?? [],
        counts: {
          dose1Capacity: day.dose1_capacity,
          dose1Booked: day.dose1_booked,
          dose2Capacity: day.dose2_capacity,
          dose2Booked: day.dose2_booked,
          walkinCapacity: day.walkin_capacity,
          walkinUsed: day.walkin_used,
          dosesRecorded: day.doses_recorded,
          verified: people.filter((p) => p.verified).length,
        },
        people,
      };
    }),
  );
  return { date, sessions };
}

// ── identity checks at the door ────────────────────────────────────────────────────────────────────────

/** What the desk learns from a successful check: the person (masked), the dose they are due, and this session's record. */
async function describeVerification(
  db: Executor,
  check: {
    verificationId: string;
    method: VerificationMethod;
    verifiedAt: Date;
    sessionDayId: string;
    beneficiaryId: string;
  },
) {
  const person = await db
    .selectFrom('beneficiary')
    .select(['reference_id', 'name', 'birth_year', 'gender', 'id_type', 'id_last4', 'stage', 'priority_group'])
    .where('id', '=', check.beneficiaryId)
    .executeTakeFirstOrThrow();
  const day = await db
    .selectFrom('session_day')
    .innerJoin('vaccine', 'vaccine.code', 'session_day.vaccine_code')
    .select(['vaccine.doses', 'session_day.date', 'session_day.vaccine_code'])
    .where('session_day.id', '=', check.sessionDayId)
    .executeTakeFirstOrThrow();
  const doses = await db
    .selectFrom('dose')
    .innerJoin('vaccine', 'vaccine.code', 'dose.vaccine_code')
    .select([
      'dose.id',
      'dose.dose_number',
      'dose.session_day_id',
      'dose.administered_at',
      'dose.vaccine_code',
      'vaccine.doses',
    ])
    .where('dose.beneficiary_id', '=', check.beneficiaryId)
    .orderBy('dose.dose_number', 'desc')
    .execute();
  const appointment = await db
    .selectFrom('appointment')
    .leftJoin('session_slot', 'session_slot.id', 'appointment.slot_id')
    .select([
      'appointment.id',
      'appointment.dose_number',
      'appointment.status',
      'session_slot.starts_at',
      'session_slot.ends_at',
    ])
    .where('appointment.beneficiary_id', '=', check.beneficiaryId)
    .where('appointment.session_day_id', '=', check.sessionDayId)
    .where('appointment.status', 'in', ['BOOKED', 'COMPLETED'])
    .orderBy('appointment.booked_at', 'desc')
    .executeTakeFirst();
  const last = doses[0];
  // The course is the one already started, else the one this session gives.
  const courseDoses = last?.doses ?? day.doses;
  const next = (last?.dose_number ?? 0) + 1;
  const here = doses.find((d) => d.session_day_id === check.sessionDayId);
  // After the full course, the precaution dose is due here only once its interval has passed (domain/precaution.ts).
  const precautionDue =
    last && next > courseDoses && isPrecautionDose(next, courseDoses)
      ? !precautionRefusal(
          {
            previous: {
              doseNumber: last.dose_number,
              vaccineCode: last.vaccine_code,
              administeredAt: last.administered_at,
            },
            ...(await readPrecautionSchedule(db, last.vaccine_code)),
            group: await priorityGroupOf(db, person.reference_id),
          },
          { date: day.date, vaccineCode: day.vaccine_code },
        )
      : false;
  return {
    verificationId: check.verificationId,
    method: check.method,
    verifiedAt: check.verifiedAt.toISOString(),
    sessionDayId: check.sessionDayId,
    person: {
      referenceId: person.reference_id,
      name: person.name,
      birthYear: person.birth_year,
      gender: person.gender,
      idType: person.id_type,
      idNumberMasked: maskIdNumber(person.id_last4),
      priorityGroup: person.priority_group,
      stage: person.stage,
    },
    dueDose: next <= courseDoses || precautionDue ? next : null,
    appointment: appointment
      ? {
          appointmentId: appointment.id,
          dose: appointment.dose_number,
          slot:
            appointment.starts_at && appointment.ends_at ? slotLabel(appointment.starts_at, appointment.ends_at) : null,
          status: appointment.status,
        }
      : null,
    vaccinatedHere: here
      ? { doseId: here.id, dose: here.dose_number, administeredAt: here.administered_at.toISOString() }
      : null,
    // The same name, year of birth and gender registered under another photo-ID type: a second course to stop.
    otherRegistrations: (await otherRegistrationsOf(db, check.beneficiaryId)).map(({ hintId: _, ...other }) => other),
  };
}

export type DeskVerification = Awaited<ReturnType<typeof describeVerification>>;

async function findPerson(db: Executor, referenceId: string) {
  const person = await db
    .selectFrom('beneficiary')
    .innerJoin('account', 'account.id', 'beneficiary.account_id')
    .select(['beneficiary.id', 'beneficiary.secret_code', 'account.mobile'])
    .where('beneficiary.reference_id', '=', referenceId)
    .where('beneficiary.deleted_at', 'is', null)
    .executeTakeFirst();
  return person ?? refuse('PERSON_NOT_FOUND', 'no registered person has that reference id');
}

/**
 * Checks the 4-digit code from the person's slip. Wrong codes are counted per person per session day; after
 * MAX_SECRET_CODE_TRIES the code is no longer accepted there and the desk verifies by OTP instead.
 */
export async function verifyBySecretCode(
  db: Db,
  staff: StaffPrincipal,
  request: { sessionDayId: string; referenceId: string; secretCode: string },
): Promise<DeskVerification> {
  const actor = staffActor(staff);
  const outcome = await db.transaction().execute(async (trx) => {
    const person = await findPerson(trx, request.referenceId);
    const check = { beneficiaryId: person.id, sessionDayId: request.sessionDayId };
    if (!constantTimeEqual(person.secret_code, request.secretCode)) {
      // Committed, so the try counts; the refusal is thrown after the commit.
      const triesLeft = await noteWrongSecretCode(trx, actor, {
        ...check,
        maxTries: MAX_SECRET_CODE_TRIES,
        source: 'ONLINE',
      });
      return { ok: false as const, triesLeft };
    }
    await lockCodeChecks(trx, person.id, request.sessionDayId);
    if ((await countWrongCodeTries(trx, person.id, request.sessionDayId)) >= MAX_SECRET_CODE_TRIES)
      return refuse(DeskRefusal.TOO_MANY_CODE_TRIES, TOO_MANY_CODE_TRIES_MESSAGE);
    const verification = await recordVerification(trx, actor, { ...check, method: 'SECRET_CODE' });
    return { ok: true as const, view: await describeVerification(trx, verification) };
  });
  if (!outcome.ok) {
    if (outcome.triesLeft < 0) refuse(DeskRefusal.TOO_MANY_CODE_TRIES, TOO_MANY_CODE_TRIES_MESSAGE);
    throw new DomainRefusal('SECRET_CODE_MISMATCH', wrongCodeMessage(outcome.triesLeft), {
      triesLeft: outcome.triesLeft,
    });
  }
  return outcome.view;
}

/** Sends an OTP to a mobile that has people registered under it, for checking one of them at the door. */
export async function sendVerificationOtp(
  app: FastifyInstance,
  staff: StaffPrincipal,
  request: { sessionDayId: string; mobile: string },
) {
  const account = await app.db
    .selectFrom('account')
    .innerJoin('beneficiary', 'beneficiary.account_id', 'account.id')
    .select(['account.id'])
    .where('account.mobile', '=', request.mobile)
    .where('beneficiary.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!account)
    return refuse(
      DeskRefusal.NO_PEOPLE_ON_MOBILE,
      'nobody is registered under that mobile number; register the person as a walk-in',
    );
  // No per-IP cap: one site's desks share an address and verify many people; the per-mobile cap still holds.
  const sent = await requestOtp(app, request.mobile, null, 'DESK_CHECK');
  await writeAudit(app.db, {
    actor: staffActor(staff),
    action: 'DESK_OTP_SENT',
    entityType: 'account',
    entityId: account.id,
    details: { sessionDayId: request.sessionDayId, txnId: sent.txnId },
  });
  return sent;
}

/**
 * OTP refusals are about the person's OTP, not the staff member's login: answered with the catalogue's desk status
 * (403 rather than 401; a lock stays 429).
 */
function asDeskOtpRefusal(error: unknown): unknown {
  if (error instanceof DomainRefusal && refusalEntry(error.code).deskStatus !== undefined) {
    return AppError.atDesk(error.code, error.message, error.details);
  }
  return error;
}

export async function verifyByOtp(
  app: FastifyInstance,
  staff: StaffPrincipal,
  request: { sessionDayId: string; referenceId: string; mobile: string; txnId: string; otp: string },
): Promise<DeskVerification> {
  const person = await findPerson(app.db, request.referenceId);
  if (person.mobile !== request.mobile)
    refuse(DeskRefusal.PERSON_NOT_ON_MOBILE, 'that person is not registered under this mobile number');
  // Outside a transaction: a wrong OTP must spend its try even though the request fails.
  try {
    await verifyOtpChallenge(app.db, {
      txnId: request.txnId,
      otpSha256: sha256Hex(request.otp),
      secret: app.config.idHashSecret,
      purpose: 'DESK_CHECK',
      mobile: request.mobile,
    });
  } catch (error) {
    throw asDeskOtpRefusal(error);
  }
  return app.db.transaction().execute(async (trx) => {
    const check = await recordVerification(trx, staffActor(staff), {
      sessionDayId: request.sessionDayId,
      beneficiaryId: person.id,
      method: 'OTP',
    });
    return describeVerification(trx, check);
  });
}

// ── walk-ins ───────────────────────────────────────────────────────────────────────────────────────────

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
    refuse(DeskRefusal.WALKINS_CLOSED, `this session day is ${day.status.toLowerCase()}; it takes no walk-ins`);
  if (day.date !== indiaDate(offline?.registeredAt))
    refuse(DeskRefusal.WALKINS_CLOSED, `walk-ins are registered on the session day (${day.date})`);
  // Offline, the phone could not ask: the person may already be vaccinated, so the quota is judged with the dose.
  if (!offline && day.walkin_used >= day.walkin_capacity) {
    refuse(
      DeskRefusal.WALKIN_QUOTA_FULL,
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
        DeskRefusal.DRY_RUN_MOBILE,
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
    refuse(DeskRefusal.WALKINS_CLOSED, `this session day is ${day.status.toLowerCase()}; it takes no walk-ins`);
  if (day.date !== indiaDate(offline.registeredAt))
    refuse(DeskRefusal.WALKINS_CLOSED, `walk-ins are registered on the session day (${day.date})`);

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

// ── AEFI ───────────────────────────────────────────────────────────────────────────────────────────────

export interface AefiRequest {
  doseId?: string;
  doseClientEventId?: string;
  severity: AefiSeverity;
  symptoms: string[];
  notes?: string;
  clientEventId: string;
  /** When it was reported; now for the online desk, the corrected device time for offline sync. */
  reportedAt?: Date;
  source: 'ONLINE' | 'OFFLINE';
}

/** An adverse event after a dose, reported by staff of the dose's session (or an officer over it). */
export async function reportAefi(
  app: FastifyInstance,
  staff: StaffPrincipal,
  request: AefiRequest,
): Promise<AefiRecord> {
  if ((request.doseId === undefined) === (request.doseClientEventId === undefined)) {
    refuse(
      DeskRefusal.DOSE_REFERENCE_REQUIRED,
      'name the dose by doseId or by the clientEventId it was recorded with (one of them)',
    );
  }
  const dose = await findDoseRef(app.db, request);
  if (!dose) return refuse(Refusal.DOSE_NOT_FOUND, 'no recorded dose matches; sync the dose first');
  await app.assertSessionAccess(staff, dose.sessionDayId);
  // The observer's step, or the vaccinator's in a team without one (domain/team.ts).
  await assertTeamStep(app.db, staff, dose.sessionDayId, 'OBSERVE');
  const record = await storeAefi(app.db, staffActor(staff), {
    dose,
    severity: request.severity,
    symptoms: request.symptoms,
    notes: request.notes ?? null,
    clientEventId: request.clientEventId,
    reportedAt: request.reportedAt ?? new Date(),
    source: request.source,
  });
  // A serious or severe report queued an SMS to each district officer with it: send them now. A gateway failure
  // never fails the report; the worker's staff-SMS sweep sends what is left QUEUED.
  for (const id of await queuedAefiAlerts(app.db, record.aefiId))
    await deliverSms(app.db, app.sms, id).catch((error: unknown) =>
      app.log.warn({ err: error, aefiId: record.aefiId }, 'AEFI alert SMS not delivered now; the worker will retry it'),
    );
  return record;
}
