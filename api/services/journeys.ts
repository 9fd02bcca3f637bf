/**
 * The API's side of the journey workflows: Updates for steps that answer the caller (verifying an OTP,
 * withdrawing), and the translation of a workflow's refusal into an HTTP answer. Bookings are not journey steps
 * any more: they are taken in Postgres in the request (./bookings.ts) and the journey is signalled.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { conflict, refusalError } from '../errors.js';
import { REGISTRATION_LAPSED } from '../../domain/booking-rules.js';
import type { TemporalGateway } from '../../workflows/client.js';
import type { Db } from '../../db/connection.js';
import type { Config } from '../../config/env.js';
import { configuredJourneyPolicy } from '../../domain/journey-schedule.js';
import { nextStage } from '../../domain/journey-state.js';
import { resumeEndedJourneyWithUpdate } from '../../workflows/journey-resume.js';
import {
  JourneyFailure,
  verifyOtpUpdate,
  withdrawUpdate,
  workflowIds,
  type RequestedBy,
  type WithdrawInput,
} from '../../workflows/shared.js';

/** The refusals a journey step raises (their HTTP statuses are the catalogue's, domain/refusals.ts). */
const JOURNEY_REFUSALS = new Set<string>(Object.values(JourneyFailure));

/**
 * The refusal inside a failed update. A rule the workflow checks arrives as an ApplicationFailure; one an activity
 * checks (a full session, the dose-2 window...) arrives wrapped in the ActivityFailure that carried it. Only
 * known or non-retryable failures are refusals; anything else is a fault and stays a 500.
 */
function refusalIn(error: WorkflowUpdateFailedError): ApplicationFailure | undefined {
  let cause: unknown = error.cause;
  while (cause instanceof ActivityFailure) cause = cause.cause;
  if (!(cause instanceof ApplicationFailure) || !cause.type) return undefined;
  return JOURNEY_REFUSALS.has(cause.type) || cause.nonRetryable ? cause : undefined;
}

function translate(error: unknown): never {
  const refusal = error instanceof WorkflowUpdateFailedError ? refusalIn(error) : undefined;
  const answer =
    refusal &&
    refusalError(refusal.type ?? undefined, refusal.message, refusal.details?.[0] as Record<string, unknown>);
  if (answer) throw answer;
  if (error instanceof WorkflowNotFoundError)
    throw conflict('JOURNEY_ENDED', 'this person’s journey has ended or has not started yet');
  throw error;
}

/** A registration whose OTP lapsed has no journey left to take steps: say so plainly rather than "journey ended". */
export function refuseIfLapsed(stage: string): void {
  if (stage === 'EXPIRED') {
    throw conflict('REGISTRATION_EXPIRED', REGISTRATION_LAPSED);
  }
}

export class JourneyService {
  constructor(
    private readonly temporal: TemporalGateway,
    private readonly db: Db,
    private readonly config: Config,
  ) {}

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

  /**
   * Withdraws the person through their journey; `request.by` (the account, or an officer) is the audit's actor. A
   * journey that ended awaiting the person's return (never booked) is resumed to take the withdrawal
   * (workflows/journey-resume.ts), so its end is recorded by the journey as any other.
   */
  async withdraw(referenceId: string, request: WithdrawInput & { by: RequestedBy }) {
    try {
      try {
        return await (await this.handle(referenceId)).executeUpdate(withdrawUpdate, { args: [request] });
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        const resumed = await resumeEndedJourneyWithUpdate(
          this.db,
          await this.temporal.client(),
          this.temporal.taskQueue,
          {
            workflowId: workflowIds.journey(referenceId),
            update: withdrawUpdate,
            args: [request],
            allowedAt: (stage) => nextStage(stage, { type: 'WITHDRAWN' }).ok,
            reason: 'resumed: the person is withdrawn',
          },
          { fallbackPolicy: configuredJourneyPolicy(this.config) },
        );
        if (!resumed) throw error;
        return resumed.result;
      }
    } catch (error) {
      return translate(error);
    }
  }
}
