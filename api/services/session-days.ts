/**
 * The API's side of the session-day workflows: officers' interventions as Updates (the workflow is started at
 * once if the day has none yet), the translation of a refusal into an HTTP answer, and the district console's
 * status read (from Postgres, never from the workflow).
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { Static } from 'typebox';
import type { Db } from '../../db/connection.js';
import { readSessionDayFacts } from '../../db/repositories/session-day-status.js';
import type { TeamRole } from '../../db/schema.js';
import type { TemporalGateway } from '../../workflows/client.js';
import { isFarBehindPlan, plannedDosesByNow } from '../../domain/session-pace.js';
import { startSessionDayWorkflow, type SessionStartConfig } from '../../workflows/session-sweep.js';
import {
  assignStaffUpdate,
  cancelSessionUpdate,
  closeSessionUpdate,
  extendSessionUpdate,
  pauseSessionUpdate,
  resumeSessionUpdate,
  workflowIds,
  type InterventionBy,
  type InterventionResult,
} from '../../workflows/shared.js';
import { AppError, conflict, notFound, refusalError, unavailable } from '../errors.js';
import type { SessionDayStatusView as StatusViewSchema } from '../schemas/interventions.js';
import { deliverAfterCommit } from './workflow-commands.js';

export type Intervention =
  | { kind: 'extend'; minutes: number }
  | { kind: 'pause'; reason?: string }
  | { kind: 'resume' }
  | { kind: 'cancel'; reason: string; moveBookings?: boolean }
  | { kind: 'assign'; staffId: string; teamRole: TeamRole; moveFromOtherSession?: boolean }
  | { kind: 'close'; wastage?: number };

export type InterventionKind = Intervention['kind'];

/** A failed update's refusal, the workflow's own or a repository's, is answered with the catalogue's code and status. */
function translate(error: unknown, log: FastifyBaseLogger): never {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const details = error.cause.details?.[0] as Record<string, unknown> | undefined;
    const refusal = refusalError(error.cause.type ?? undefined, error.cause.message, details);
    if (refusal) throw refusal;
    // A type outside the catalogue is a fault, not a refusal: a 500, logged in full.
    if (error.cause.type) throw error;
  }
  if (error instanceof WorkflowNotFoundError) {
    throw conflict('SESSION_DAY_FINISHED', 'this session day is over and no longer takes interventions');
  }
  if (error instanceof AppError) throw error;
  log.warn({ err: error }, 'session-day workflow unreachable');
  throw unavailable('the session day could not be reached just now; try again in a minute');
}

export class SessionDayService {
  constructor(
    private readonly db: Db,
    private readonly temporal: TemporalGateway,
    private readonly config: SessionStartConfig,
  ) {}

  /** Starts the day's workflow unless it runs (or ran) already. */
  async ensureStarted(sessionDayId: string) {
    return startSessionDayWorkflow(this.db, await this.temporal.client(), this.config, sessionDayId);
  }

  async intervene(
    sessionDayId: string,
    by: InterventionBy,
    intervention: Intervention,
    log: FastifyBaseLogger,
  ): Promise<InterventionResult> {
    const day = await this.db
      .selectFrom('session_day')
      .select('status')
      .where('id', '=', sessionDayId)
      .executeTakeFirst();
    if (!day) throw notFound('session day');
    // A finished day takes nothing but a late wastage report (while its workflow still waits for one).
    const lateReport = day.status === 'CLOSED' && intervention.kind === 'close';
    if ((day.status === 'CLOSED' || day.status === 'CANCELLED') && !lateReport) {
      throw conflict('SESSION_DAY_FINISHED', `this session day is ${day.status.toLowerCase()}`);
    }
    let result: InterventionResult;
    try {
      if (!lateReport) await this.ensureStarted(sessionDayId);
      const handle = (await this.temporal.client()).workflow.getHandle(workflowIds.sessionDay(sessionDayId));
      result = await this.send(handle, by, intervention);
    } catch (error) {
      return translate(error, log);
    }
    if (result.commandIds?.length) await deliverAfterCommit(this.db, this.temporal, log, result.commandIds);
    return result;
  }

  private send(handle: WorkflowHandle, by: InterventionBy, intervention: Intervention) {
    switch (intervention.kind) {
      case 'extend':
        return handle.executeUpdate(extendSessionUpdate, { args: [{ by, minutes: intervention.minutes }] });
      case 'pause':
        return handle.executeUpdate(pauseSessionUpdate, { args: [{ by, reason: intervention.reason }] });
      case 'resume':
        return handle.executeUpdate(resumeSessionUpdate, { args: [{ by }] });
      case 'cancel':
        return handle.executeUpdate(cancelSessionUpdate, {
          args: [{ by, reason: intervention.reason, ...(intervention.moveBookings ? { moveBookings: true } : {}) }],
        });
      case 'assign':
        return handle.executeUpdate(assignStaffUpdate, {
          args: [
            {
              by,
              staffId: intervention.staffId,
              teamRole: intervention.teamRole,
              moveFromOtherSession: intervention.moveFromOtherSession,
            },
          ],
        });
      case 'close':
        return handle.executeUpdate(closeSessionUpdate, { args: [{ by, wastage: intervention.wastage }] });
    }
  }
}

/** The day's status as the route answers it: the schema is the one definition (api/schemas/interventions.ts). */
export type SessionDayStatusView = Static<typeof StatusViewSchema>;

/** The district console's view of a day now: status, counts, the last dose, and the pace against plan. */
export async function describeSessionDayStatus(
  db: Db,
  sessionDayId: string,
  now = new Date(),
): Promise<SessionDayStatusView> {
  const facts = await readSessionDayFacts(db, sessionDayId, now);
  if (!facts) throw notFound('session day');
  const paceFacts = {
    nowMs: now.getTime(),
    opensAtMs: facts.opensAtMs,
    closesAtMs: facts.closesAtMs,
    booked: facts.booked,
    waiting: facts.waiting,
    due: facts.due,
    dosesRecorded: facts.dosesRecorded,
    watchedSinceMs: facts.opensAtMs,
    lastDoseAtMs: facts.lastDoseAt?.getTime() ?? null,
  };
  const planned = plannedDosesByNow(paceFacts);
  return {
    sessionDayId: facts.sessionDayId,
    status: facts.status,
    date: facts.date,
    siteName: facts.siteName,
    opensAt: new Date(facts.opensAtMs).toISOString(),
    closesAt: new Date(facts.closesAtMs).toISOString(),
    extended: facts.extendedUntil !== null,
    counts: {
      booked: facts.booked,
      waiting: facts.waiting,
      due: facts.due,
      dosesRecorded: facts.dosesRecorded,
      noShows: facts.noShows,
      wastage: facts.wastage,
      walkinUsed: facts.walkinUsed,
    },
    lastDoseAt: facts.lastDoseAt?.toISOString() ?? null,
    minutesSinceLastDose: facts.lastDoseAt
      ? Math.max(0, Math.floor((now.getTime() - facts.lastDoseAt.getTime()) / 60_000))
      : null,
    pace: {
      plannedByNow: Math.round(planned * 10) / 10,
      actual: facts.dosesRecorded,
      percentOfPlan: planned > 0 ? Math.round((facts.dosesRecorded / planned) * 100) : null,
      farBehindPlan: (facts.status === 'OPEN' || facts.status === 'STALLED') && isFarBehindPlan(paceFacts),
    },
    workflowStarted: facts.workflowStartedAt !== null,
  };
}
