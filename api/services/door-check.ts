/**
 * Identity checks at the door: the person's secret code, or an OTP to their mobile. Every function expects the
 * caller to have checked the staff member's role and session access (the routes do).
 */
import { otherRegistrationsOf } from '../../db/repositories/duplicate-people.js';
import { Refusal, refusalEntry } from '../../domain/refusals.js';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection.js';
import { writeAudit, type Executor } from '../../db/repositories/audit.js';
import { verifyOtpChallenge } from '../../db/repositories/otp.js';
import {
  countWrongCodeTries,
  lockCodeChecks,
  recordVerification,
  noteWrongSecretCode,
  type VerificationMethod,
} from '../../db/repositories/verification.js';
import { constantTimeEqual, sha256Hex } from '../../domain/codes.js';
import { MAX_SECRET_CODE_TRIES } from '../../domain/desk-code-check.js';
import { TOO_MANY_CODE_TRIES_MESSAGE, wrongCodeMessage } from '../../domain/dose-rules.js';
import { priorityGroupOf, readPrecautionSchedule } from '../../db/repositories/precaution.js';
import { isPrecautionDose, precautionRefusal } from '../../domain/precaution.js';
import { DomainRefusal, refuse } from '../../domain/errors.js';
import { maskIdNumber } from '../../domain/identity.js';
import { slotLabel } from '../../domain/slots.js';
import { AppError } from '../errors.js';
import type { StaffPrincipal } from '../plugins/auth.js';
import { requestOtp } from './otp.js';
import { staffActor } from './staff-actor.js';

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
      return refuse(Refusal.TOO_MANY_CODE_TRIES, TOO_MANY_CODE_TRIES_MESSAGE);
    const verification = await recordVerification(trx, actor, { ...check, method: 'SECRET_CODE' });
    return { ok: true as const, view: await describeVerification(trx, verification) };
  });
  if (!outcome.ok) {
    if (outcome.triesLeft < 0) refuse(Refusal.TOO_MANY_CODE_TRIES, TOO_MANY_CODE_TRIES_MESSAGE);
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
      Refusal.NO_PEOPLE_ON_MOBILE,
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
    refuse(Refusal.PERSON_NOT_ON_MOBILE, 'that person is not registered under this mobile number');
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
