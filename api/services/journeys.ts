/**
 * The API's side of the journey workflows: Updates for steps that answer the caller, and the translation of
 * a workflow's refusal into an HTTP answer. Bookings from the portal, partner apps and officers all pass here.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { AppError, conflict } from '../errors.js';
import type { TemporalGateway } from '../../workflows/client.js';
import {
  bookSlotUpdate,
  cancelAppointmentUpdate,
  JourneyFailure,
  rescheduleUpdate,
  verifyOtpUpdate,
  withdrawUpdate,
  workflowIds,
  type BookSlotInput,
  type RescheduleInput,
} from '../../workflows/shared.js';

/** HTTP status for each refusal a journey step can raise. */
const STATUS_OF_FAILURE: Record<string, number> = {
  [JourneyFailure.NOT_ALLOWED_AT_STAGE]: 409,
  [JourneyFailure.SESSION_FULL]: 409,
  [JourneyFailure.SLOT_FULL]: 409,
  [JourneyFailure.ALREADY_BOOKED]: 409,
  [JourneyFailure.SESSION_NOT_BOOKABLE]: 409,
  [JourneyFailure.AGE_NOT_ELIGIBLE]: 422,
  [JourneyFailure.DOSE2_WINDOW]: 422,
  [JourneyFailure.VACCINE_MISMATCH]: 422,
  [JourneyFailure.APPOINTMENT_NOT_FOUND]: 404,
};

function translate(error: unknown): never {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type) {
    const status = STATUS_OF_FAILURE[error.cause.type] ?? 409;
    const details = error.cause.details?.[0] as Record<string, unknown> | undefined;
    throw new AppError(status, error.cause.type, error.cause.message, details);
  }
  if (error instanceof WorkflowNotFoundError) throw conflict('JOURNEY_ENDED', 'this person’s journey has ended or has not started yet');
  throw error;
}

export class JourneyService {
  constructor(private readonly temporal: TemporalGateway) {}

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

  async cancel(referenceId: string, appointmentId: string) {
    try {
      return await (await this.handle(referenceId)).executeUpdate(cancelAppointmentUpdate, { args: [{ appointmentId }] });
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


