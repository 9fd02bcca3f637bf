/**
 * Starting session-day workflows. The worker sweeps every 30 s for session days dated today or tomorrow (India)
 * that have none yet and starts theirs; the API starts one at once when an officer intervenes on a day that has
 * none. Starting is idempotent (conflict policy USE_EXISTING; a finished workflow is never started again unless
 * it failed), and `session_day.workflow_started_at` remembers it, so each sweep reads only the few new days.
 */
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Config } from '../config/env.js';
import type { Db } from '../db/connection.js';
import { sessionClosesAt } from '../db/repositories/appointments.js';
import { markWorkflowStarted, sessionDaysWithoutWorkflow } from '../db/repositories/session-day-status.js';
import { addDays, indiaDate } from '../domain/time.js';
import { defaultSessionPolicy } from '../domain/session-pace.js';
import { simulationCalendarStart } from '../domain/dry-run.js';
import { workflowIds, type SessionDayInput } from './shared.js';
import type { sessionDayWorkflow } from './workflows/session-day.js';

export type SessionStartConfig = Pick<Config, 'dayMs' | 'stallAfterMinutes'> & {
  temporal: Pick<Config['temporal'], 'taskQueue'>;
};

/** The workflow's input, from the session day as it is now; undefined when there is no such day. */
export async function sessionDayInput(
  db: Db,
  sessionDayId: string,
  config: SessionStartConfig,
): Promise<SessionDayInput | undefined> {
  const day = await db
    .selectFrom('session_day')
    .leftJoin('dry_run', 'dry_run.id', 'session_day.dry_run_id')
    .select([
      'session_day.id',
      'session_day.date',
      'session_day.opens_at',
      'session_day.closes_at',
      'session_day.extended_until',
      'session_day.status',
      'dry_run.mode as dry_run_mode',
      'dry_run.day_ms as dry_run_day_ms',
    ])
    .where('session_day.id', '=', sessionDayId)
    .executeTakeFirst();
  if (!day) return undefined;
  // A simulation's day runs on its own compressed clock, from shortly before its opening hour whenever it is run.
  const simulated = day.dry_run_mode === 'SIMULATION' && day.dry_run_day_ms !== null;
  return {
    sessionDayId: day.id,
    date: day.date,
    opensAt: day.opens_at,
    closesAtMs: sessionClosesAt(day).getTime(),
    status: day.status,
    policy: defaultSessionPolicy(simulated ? day.dry_run_day_ms! : config.dayMs, config.stallAfterMinutes),
    ...(simulated ? { calendarStartMs: simulationCalendarStart(day.date, day.opens_at) } : {}),
  };
}

/** RUNNING: started now or already running. FINISHED: it ran to its end before. */
export type SessionStartOutcome = 'RUNNING' | 'FINISHED' | 'NOT_FOUND';

export async function startSessionDayWorkflow(
  db: Db,
  client: Client,
  config: SessionStartConfig,
  sessionDayId: string,
): Promise<SessionStartOutcome> {
  const input = await sessionDayInput(db, sessionDayId, config);
  if (!input) return 'NOT_FOUND';
  let outcome: SessionStartOutcome = 'RUNNING';
  try {
    await client.workflow.start<typeof sessionDayWorkflow>('sessionDayWorkflow', {
      workflowId: workflowIds.sessionDay(sessionDayId),
      taskQueue: config.temporal.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // One lifetime per session day; only a run that failed (a bug, a termination) may be started again.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    outcome = 'FINISHED';
  }
  await markWorkflowStarted(db, sessionDayId);
  return outcome;
}

const SWEEP_BATCH = 200;
/** One sweep stops after this long; the next one carries on (a drive's first sweep may face many days). */
const SWEEP_BUDGET_MS = 20_000;

/** Starts the workflow of every session day of today and tomorrow (India) that has none. Returns their ids. */
export async function sweepSessionDays(
  db: Db,
  client: Client,
  config: SessionStartConfig,
  options: { now?: Date; log?: (message: string) => void } = {},
): Promise<string[]> {
  const today = indiaDate(options.now ?? new Date());
  const deadline = Date.now() + SWEEP_BUDGET_MS;
  const started: string[] = [];
  const failed = new Set<string>();
  while (Date.now() < deadline) {
    const ids = (await sessionDaysWithoutWorkflow(db, [today, addDays(today, 1)], SWEEP_BATCH + failed.size)).filter(
      (id) => !failed.has(id),
    );
    if (!ids.length) break;
    for (const id of ids) {
      try {
        await startSessionDayWorkflow(db, client, config, id);
        started.push(id);
      } catch (error) {
        // Left unmarked: the next sweep tries it again.
        failed.add(id);
        options.log?.(`session sweep: could not start the workflow of session day ${id}: ${(error as Error).message}`);
      }
    }
    if (ids.length < SWEEP_BATCH) break;
  }
  return started;
}

/** The worker's sweep: now, then every `intervalMs`. Returns a stop function that waits for a running sweep. */
export function startSessionSweep(
  db: Db,
  client: Client,
  config: SessionStartConfig,
  intervalMs = 30_000,
  log: (message: string) => void = () => {},
): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        // Quiet when all goes well: only failures are worth a line in the worker's log.
        await sweepSessionDays(db, client, config, { log });
      } catch (error) {
        log(`session sweep: ${(error as Error).message}`);
      }
    });
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
