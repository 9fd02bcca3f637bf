/**
 * The API's side of the journey workflows: Updates for steps that answer the caller, and the translation of
 * a workflow's refusal into an HTTP answer. Bookings from the portal, partner apps and officers all pass here.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { AppError, conflict, refusalStatus } from '../errors.js';
import type { Db } from '../../db/connection.js';
import type { TemporalGateway } from '../../workflows/client.js';
import { bookableDose, type Stage } from '../../workflows/journey/state.js';
import {
  bookSlotUpdate,
  cancelAppointmentUpdate,
  JourneyFailure,
  rescheduleUpdate,
  verifyOtpUpdate,
  withdrawUpdate,
  workflowIds,
  type BookSlotInput,
  type RequestedBy,
  type RescheduleInput,
} from '../../workflows/shared.js';

/** HTTP status for each refusal a journey step can raise. */
const STATUS_OF_FAILURE: Record<string, number> = {
  [JourneyFailure.NOT_ALLOWED_AT_STAGE]: 409,
  [JourneyFailure.SESSION_FULL]: 409,
  [JourneyFailure.SLOT_FULL]: 409,
  [JourneyFailure.SLOT_NOT_FOUND]: 422,
  [JourneyFailure.ALREADY_BOOKED]: 409,
  [JourneyFailure.SESSION_NOT_BOOKABLE]: 409,
  [JourneyFailure.AGE_NOT_ELIGIBLE]: 422,
  [JourneyFailure.DOSE2_WINDOW]: 422,
  [JourneyFailure.VACCINE_MISMATCH]: 422,
  [JourneyFailure.APPOINTMENT_NOT_FOUND]: 404,
};

/**
 * The refusal inside a failed update. A rule the workflow checks arrives as an ApplicationFailure; one an activity
 * checks (a full session, the dose-2 window...) arrives wrapped in the ActivityFailure that carried it. Only
 * known or non-retryable failures are refusals; anything else is a fault and stays a 500.
 */
function refusalIn(error: WorkflowUpdateFailedError): ApplicationFailure | undefined {
  let cause: unknown = error.cause;
  while (cause instanceof ActivityFailure) cause = cause.cause;
  if (!(cause instanceof ApplicationFailure) || !cause.type) return undefined;
  return cause.type in STATUS_OF_FAILURE || cause.nonRetryable ? cause : undefined;
}

function translate(error: unknown): never {
  const refusal = error instanceof WorkflowUpdateFailedError ? refusalIn(error) : undefined;
  if (refusal?.type) {
    const status = STATUS_OF_FAILURE[refusal.type] ?? refusalStatus(refusal.type);
    const details = refusal.details?.[0] as Record<string, unknown> | undefined;
    throw new AppError(status, refusal.type, refusal.message, details);
  }
  if (error instanceof WorkflowNotFoundError)
    throw conflict('JOURNEY_ENDED', 'this person’s journey has ended or has not started yet');
  throw error;
}

/** A registration whose OTP lapsed has no journey left to take steps: say so plainly rather than "journey ended". */
export function refuseIfLapsed(stage: string): void {
  if (stage === 'EXPIRED') {
    throw conflict(
      'REGISTRATION_EXPIRED',
      'this registration lapsed because its OTP was not verified in time; register the person again',
    );
  }
}

export class JourneyService {
  constructor(
    private readonly temporal: TemporalGateway,
    private readonly db: Db,
  ) {}

  /**
   * A full session answers at once, from Postgres, without a round trip through the workflow: in a booking
   * storm most attempts are for seats already gone. Only a refusal is decided here; every booking still takes
   * its seat in the journey's activity with the conditional UPDATE, which alone decides who gets the last seat.
   */
  private async refuseIfFull(referenceId: string, sessionDayId: string): Promise<void> {
    const row = await this.db
      .selectFrom('beneficiary')
      .innerJoin('session_day', (join) => join.on('session_day.id', '=', sessionDayId))
      .select([
        'beneficiary.stage',
        'session_day.dose1_capacity',
        'session_day.dose1_booked',
        'session_day.dose2_capacity',
        'session_day.dose2_booked',
      ])
      .where('beneficiary.reference_id', '=', referenceId)
      .executeTakeFirst();
    if (!row) return;
    const dose = bookableDose(row.stage as Stage);
    const left =
      dose === 1
        ? row.dose1_capacity - row.dose1_booked
        : dose === 2
          ? row.dose2_capacity - row.dose2_booked
          : undefined;
    if (left !== undefined && left <= 0) {
      throw new AppError(409, JourneyFailure.SESSION_FULL, `no dose ${dose} seats left on this session day`);
    }
  }

  private async handle(referenceId: string) {
    const client = await this.temporal.client();
    return client.workflow.getHandle(workflowIds.journey(referenceId));
  }

  async verifyOtp(referenceId: string, txnId: string, otpSha256: string) {
    try {
      return await (await this.handle(referenceId)).executeUpdate(verifyOtpUpdate, { args: [{ txnId, otpSha256 }] });
    } catch (error) {
      return translate(error);
    }
  }

  async book(referenceId: string, input: BookSlotInput) {
    await this.refuseIfFull(referenceId, input.sessionDayId);
    try {
      return await (await this.handle(referenceId)).executeUpdate(bookSlotUpdate, { args: [input] });
    } catch (error) {
      return translate(error);
    }
  }

  async reschedule(referenceId: string, input: RescheduleInput) {
    try {
      return await (await this.handle(referenceId)).executeUpdate(rescheduleUpdate, { args: [input] });
    } catch (error) {
      return translate(error);
    }
  }

  async cancel(referenceId: string, appointmentId: string, by?: RequestedBy) {
    try {
      return await (
        await this.handle(referenceId)
      ).executeUpdate(cancelAppointmentUpdate, { args: [{ appointmentId, by }] });
    } catch (error) {
      return translate(error);
    }
  }

  async withdraw(referenceId: string) {
    try {
      return await (await this.handle(referenceId)).executeUpdate(withdrawUpdate, { args: [] });
    } catch (error) {
      return translate(error);
    }
  }
}
