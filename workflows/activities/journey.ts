/**
 * The journey's side effects. Each is idempotent on its step key (or on the state it changes), so Temporal's
 * retries never send two SMS, take two seats or write two history rows. Rule refusals become non-retryable
 * failures whose type the API maps to an HTTP answer.
 */
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { DomainRefusal } from '../../domain/errors.js';
import {
  lockPerson,
  releaseAppointment,
  releaseLiveAppointments,
  sessionDayClosure,
  type BookedAppointment,
  type ReleaseOutcome,
} from '../../db/repositories/appointments.js';
import { bookAppointments, liveAppointmentAt, rescheduleAppointment } from '../../db/repositories/bookings.js';
import type { BookingResult } from '../../db/repositories/bookings.js';
import { BookingRefusal } from '../../domain/refusals.js';
import { SYSTEM_ACTOR, writeAudit } from '../../db/repositories/audit.js';
import {
  projectJourneyInactive,
  projectJourneyResumed,
  projectStage,
  type StageProjection,
} from '../../db/repositories/journey-projection.js';
import { checkOtpChallenge } from '../../db/repositories/otp.js';
import { doseStepFacts, writeDoseStep } from '../../db/repositories/dose-step.js';
import { belongsToDryRun } from '../../db/repositories/real-data.js';
import type { SmsTemplateName } from '../../messaging/templates.js';
import { deliverSms, existingSmsId, renderSmsRow, sendSms } from '../../messaging/sms-outbox.js';
import type { BookingChannel, RequestedBy } from '../shared.js';
import type { ActivityDeps } from './deps.js';

export type { BookedAppointment } from '../../db/repositories/appointments.js';

/** The appointment fields a journey keeps (no reference id or stage). */
const held = ({ referenceId: _r, stage: _s, ...appointment }: BookingResult): BookedAppointment => appointment;
export type SmsTemplateVars = Record<string, string | number>;

/** Runs a repository call, turning a rule's refusal into a failure Temporal will not retry. */
async function asActivity<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainRefusal) {
      // BENIGN: a refusal is an answer (a full session in a booking rush), not a fault to log as a warning.
      throw ApplicationFailure.create({
        message: error.message,
        type: error.code,
        nonRetryable: true,
        details: error.details ? [error.details] : [],
        category: ApplicationFailureCategory.BENIGN,
      });
    }
    throw error;
  }
}

const JOURNEY_ACTOR = { ...SYSTEM_ACTOR, id: 'beneficiary-journey' };

export function createJourneyActivities({ db, config, sms, certificates }: ActivityDeps) {
  async function projectJourneyStage(input: StageProjection & { beneficiaryId: string }): Promise<void> {
    const { beneficiaryId, ...projection } = input;
    await db.transaction().execute((trx) => projectStage(trx, beneficiaryId, projection));
  }

  /** Looks the person up (name, mobile, secret code never travel through workflow history) and sends once. */
  async function notifyBeneficiary(input: {
    beneficiaryId: string;
    template: string;
    vars: SmsTemplateVars;
    idempotencyKey: string;
  }): Promise<void> {
    const person = await db
      .selectFrom('beneficiary')
      .innerJoin('account', 'account.id', 'beneficiary.account_id')
      .select([
        'beneficiary.name',
        'beneficiary.reference_id',
        'beneficiary.secret_code',
        'account.mobile',
        'account.language',
      ])
      .where('beneficiary.id', '=', input.beneficiaryId)
      .executeTakeFirstOrThrow();
    await sendSms(db, sms, {
      idempotencyKey: input.idempotencyKey,
      mobile: person.mobile,
      template: input.template as SmsTemplateName,
      // In the account's language, as it stands when the message is written.
      locale: person.language,
      vars: {
        name: person.name,
        referenceId: person.reference_id,
        secretCode: person.secret_code,
        portalUrl: config.publicUrl,
        ...input.vars,
      },
    });
  }

  return {
    projectStage: projectJourneyStage,

    /** The journey ends awaiting its person's return (`ends-when-inactive`): the person's row says so. */
    async projectInactive(input: { beneficiaryId: string; stage: string; reason: string; stepKey: string }) {
      const { beneficiaryId, ...projection } = input;
      await db.transaction().execute((trx) => projectJourneyInactive(trx, beneficiaryId, projection));
    },

    /** A journey that was ending awaiting return heard from its person before it closed, and goes on. */
    async projectResumed(input: { beneficiaryId: string; reason: string; stepKey: string }) {
      const { beneficiaryId, ...projection } = input;
      await db.transaction().execute((trx) => projectJourneyResumed(trx, beneficiaryId, projection));
    },

    notifyBeneficiary,

    async checkOtp(input: { beneficiaryId: string; txnId: string; otpSha256: string; projection: StageProjection }) {
      return db.transaction().execute(async (trx) => {
        const account = await trx
          .selectFrom('beneficiary')
          .innerJoin('account', 'account.id', 'beneficiary.account_id')
          .select(['account.id', 'account.mobile'])
          .where('beneficiary.id', '=', input.beneficiaryId)
          .executeTakeFirstOrThrow();
        const check = await checkOtpChallenge(trx, {
          txnId: input.txnId,
          otpSha256: input.otpSha256,
          secret: config.idHashSecret,
          purpose: 'REGISTRATION',
          mobile: account.mobile,
        });
        // A wrong OTP is an answer, not a failure: the transaction commits its counted try and the caller is told.
        if (!check.ok) {
          const { refusal } = check;
          return {
            verified: false as const,
            reason: refusal.message,
            code: refusal.code,
            attemptsLeft: refusal.details?.attemptsLeft as number | undefined,
          };
        }
        await trx
          .updateTable('account')
          .set({ verified_at: new Date() })
          .where('id', '=', account.id)
          .where('verified_at', 'is', null)
          .execute();
        await projectStage(trx, input.beneficiaryId, input.projection);
        return { verified: true as const };
      });
    },

    /**
     * The seat-taking steps of journeys of an earlier release (their bookSlot and reschedule Updates): the same
     * booking path as the API's, with no signal back to the journey that asked. A retry after the write committed
     * finds its own result.
     */
    reserveAppointment(input: {
      beneficiaryId: string;
      sessionDayId: string;
      slotId?: number;
      dose: number;
      channel: BookingChannel;
      by?: RequestedBy;
      projection: StageProjection;
    }): Promise<BookedAppointment> {
      return asActivity(async () => {
        try {
          const { appointments } = await bookAppointments(db, {
            people: [{ beneficiaryId: input.beneficiaryId }],
            sessionDayId: input.sessionDayId,
            slotId: input.slotId,
            expectedDose: input.dose,
            channel: input.channel,
            actor: input.by ?? JOURNEY_ACTOR,
            notifyJourney: false,
          });
          return held(appointments[0]!);
        } catch (error) {
          const mine =
            error instanceof DomainRefusal && error.code === BookingRefusal.ALREADY_BOOKED
              ? await liveAppointmentAt(db, input)
              : undefined;
          if (mine) return mine;
          throw error;
        }
      });
    },

    moveAppointment(input: {
      beneficiaryId: string;
      appointmentId: string;
      sessionDayId: string;
      slotId?: number;
      by?: RequestedBy;
      stepKey: string;
    }): Promise<BookedAppointment> {
      return asActivity(async () => {
        const from = await db
          .selectFrom('appointment')
          .select(['dose_number', 'status'])
          .where('id', '=', input.appointmentId)
          .executeTakeFirst();
        if (from?.status === 'RESCHEDULED') {
          const mine = await liveAppointmentAt(db, { ...input, dose: from.dose_number });
          if (mine) return mine;
        }
        const { appointment } = await rescheduleAppointment(db, {
          appointmentId: input.appointmentId,
          sessionDayId: input.sessionDayId,
          slotId: input.slotId,
          actor: input.by ?? JOURNEY_ACTOR,
          notifyJourney: false,
        });
        return held(appointment);
      });
    },

    /** `by`: who cancelled; a no-show or a cancelled session is the journey's own doing. */
    releaseAppointment(input: {
      beneficiaryId: string;
      appointmentId: string;
      status: 'CANCELLED' | 'NO_SHOW';
      by?: RequestedBy;
      projection: StageProjection;
    }): Promise<ReleaseOutcome> {
      const { by, ...release } = input;
      return asActivity(() => releaseAppointment(db, { ...release, actor: by ?? JOURNEY_ACTOR }));
    },

    /** Every live appointment of the person is released (not only the one the journey knows of), in one transaction. */
    async withdrawBeneficiary(input: {
      beneficiaryId: string;
      appointmentId?: string;
      /** Who asked (absent in journeys of an earlier release): their account or the officer is the audit's actor. */
      by?: RequestedBy;
      projection: StageProjection;
    }): Promise<void> {
      const actor = input.by ?? JOURNEY_ACTOR;
      await db.transaction().execute(async (trx) => {
        await lockPerson(trx, input.beneficiaryId);
        await releaseLiveAppointments(trx, input.beneficiaryId, actor);
        const withdrawn = await trx
          .updateTable('beneficiary')
          .set({ deleted_at: new Date() })
          .where('id', '=', input.beneficiaryId)
          .where('deleted_at', 'is', null)
          .returning('reference_id')
          .executeTakeFirst();
        // Once, however often the activity is retried: a retry finds the person already withdrawn.
        if (withdrawn)
          await writeAudit(trx, {
            actor,
            action: 'BENEFICIARY_WITHDRAWN',
            entityType: 'beneficiary',
            entityId: input.beneficiaryId,
            details: { referenceId: withdrawn.reference_id, reason: input.projection.reason },
          });
        await projectStage(trx, input.beneficiaryId, input.projection, actor);
      });
    },

    /** The session's status and its current (possibly extended) closing instant. */
    describeSessionClosing(input: { sessionDayId: string }) {
      return sessionDayClosure(db, input.sessionDayId);
    },

    /**
     * Everything a recorded dose asks of the journey, in one step (run as a local activity, so a dose costs the
     * Temporal server one signal and one workflow task): the stage projected, the person told by SMS, the
     * certificate issued. The stage, the certificate and the messages are written by one statement, and each part
     * is idempotent on its own key, so a retry after a partial run (a delivery that failed) repeats nothing.
     */
    async completeDoseStep(input: {
      beneficiaryId: string;
      projection: StageProjection;
      messages: { template: string; vars: SmsTemplateVars; idempotencyKey: string }[];
      certificate: 'PROVISIONAL' | 'FINAL';
    }): Promise<void> {
      const { beneficiaryId, certificate: kind } = input;
      // One read and one write statement, then the SMS deliveries: the rows projectStage, certificates.issue and
      // notifyBeneficiary one after another would write, in 5 round trips instead of 16.
      const facts = await doseStepFacts(db, beneficiaryId, kind);
      const live = facts.live_certificate_id !== null;
      // A later dose (the precaution dose) supersedes a live certificate: certificates.issue revokes it and issues anew.
      const supersedes = live && (facts.live_certificate_doses ?? 0) < facts.doses_given;
      // A rehearsal's test person is never certified (db/repositories/real-data.ts).
      const signed =
        live || belongsToDryRun(facts) ? undefined : await certificates.sign({ beneficiaryId, kind, person: facts });
      const messages = input.messages.map((message) =>
        renderSmsRow({
          idempotencyKey: message.idempotencyKey,
          mobile: facts.mobile,
          template: message.template as SmsTemplateName,
          // In the account's language, as it stands when the message is written.
          locale: facts.language,
          vars: {
            name: facts.name,
            referenceId: facts.reference_id,
            secretCode: facts.secret_code,
            portalUrl: config.publicUrl,
            ...message.vars,
          },
        }),
      );
      const written = await writeDoseStep(db, {
        beneficiaryId,
        projection: input.projection,
        stageActor: SYSTEM_ACTOR,
        certificate: signed && { ...signed, actor: JOURNEY_ACTOR },
        // A message counted against the person's daily budget goes the way that counts it.
        messages: messages.filter((message) => !message.budgeted),
      });
      // Another issue won the one live certificate (or the drawn id was taken), or one is to be superseded: the
      // certificate service settles it as it always does.
      if ((signed && !written.certificateStored) || supersedes) await certificates.issue({ beneficiaryId, kind });
      for (const [index, message] of messages.entries()) {
        if (message.budgeted) {
          await notifyBeneficiary({ beneficiaryId, ...input.messages[index]! });
          continue;
        }
        const id =
          written.messages.find((row) => row.key === message.idempotencyKey)?.id ?? (await existingSmsId(db, message));
        await deliverSms(db, sms, id);
      }
    },

    /** Issues once per person and kind: a retry finds the live certificate and stops there. */
    async issueCertificate(input: { beneficiaryId: string; kind: 'PROVISIONAL' | 'FINAL' }): Promise<void> {
      await certificates.issue(input);
    },
  };
}
