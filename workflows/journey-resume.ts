/**
 * The one home for giving a person whose journey has ended a journey again. A journey ends fully vaccinated
 * (before the precaution dose existed, or under a vaccine that had none then), or awaiting its person's return
 * (`ends-when-inactive` in workflows/workflows/beneficiary-journey.ts: never booked, or dose 2 overdue past every
 * follow-up, for JOURNEY_INACTIVE_AFTER_DAYS). When that person comes back — books (portal, partner app, Co-WIN
 * schedule, an officer), is given a dose at a desk, online or synced later — the journey's signal finds no run.
 * The outbox relay then resumes it here: a new run of the same workflow id, started where Postgres says the person
 * waits (the doses the journey has heard of: none → VERIFIED, the first of two → DOSE1_DONE, all primary doses →
 * FULLY_VACCINATED),
 * takes the signal in the same call (signalWithStart), so the booking is confirmed and timed (reminder, no-show
 * check) and the dose moves the stage on and issues the certificate, as in a journey that never ended. A
 * withdrawal (an Update) resumes the same way (update-with-start). Starting and signalling in one call, with the
 * workflow id of the person, leaves exactly one running journey per person however many commands race.
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { UpdateDefinition, Workflow } from '@temporalio/common';
import { defaultJourneyPolicy, REAL_DAY_MS, type JourneyPolicy } from '../domain/journey-schedule.js';
import { FINAL_STAGES, type Stage } from '../domain/journey-state.js';
import { PRECAUTION_DOSE } from '../domain/precaution.js';
import type { Db } from '../db/connection.js';
import { projectJourneyResumed } from '../db/repositories/journey-projection.js';
import {
  bookingChangedSignal,
  doseAdministeredSignal,
  workflowIds,
  type JourneyInput,
  type JourneyResume,
} from './shared.js';

const JOURNEY_PREFIX = workflowIds.journey('');
const JOURNEY_WORKFLOW = 'beneficiaryJourneyWorkflow';
/** The signals that bring a person back: a booking (or its change) and a dose. */
const RESUMING_SIGNALS: ReadonlyMap<string, string> = new Map([
  [bookingChangedSignal.name, 'resumed: the person booked'],
  [doseAdministeredSignal.name, 'resumed: a dose was recorded'],
]);

/** The policy of the journey's last run, read from the start of its history (gone once retention has passed). */
async function lastPolicy(client: Client, workflowId: string): Promise<JourneyPolicy | undefined> {
  try {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId },
      maximumPageSize: 1,
    });
    const payload = page.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    return payload?.data ? (JSON.parse(Buffer.from(payload.data).toString('utf8')) as JourneyInput).policy : undefined;
  } catch (error) {
    if ((error as { code?: number }).code === 5 /* NOT_FOUND */) return undefined;
    throw error;
  }
}

interface EndedJourney {
  input: JourneyInput;
  /** The person's stage in Postgres now (a booking may have moved it on before its signal arrived). */
  stage: Stage;
  inactiveSince: Date | null;
}

/**
 * The input of a new run for the person of an ended journey, read from Postgres, or undefined when nothing is to
 * resume: no such person, withdrawn, expired, done with every dose, or never verified.
 */
async function endedJourney(
  db: Db,
  client: Client,
  workflowId: string,
  fallbackPolicy: JourneyPolicy,
): Promise<EndedJourney | undefined> {
  if (!workflowId.startsWith(JOURNEY_PREFIX)) return undefined;
  const person = await db
    .selectFrom('beneficiary')
    .select(['id', 'reference_id', 'stage', 'created_at', 'journey_inactive_since'])
    .where('reference_id', '=', workflowId.slice(JOURNEY_PREFIX.length))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  const stage = person?.stage as Stage | undefined;
  if (!person || !stage || FINAL_STAGES.has(stage) || stage === 'REGISTERED') return undefined;
  const last = await db
    .selectFrom('dose')
    .innerJoin('vaccine', 'vaccine.code', 'dose.vaccine_code')
    .select(['dose.dose_number', 'dose.vaccine_code', 'vaccine.doses'])
    .where('dose.beneficiary_id', '=', person.id)
    .where('dose.dose_number', '<', PRECAUTION_DOSE)
    // Doses whose signal has not reached the journey yet (the one being delivered among them) are news to the new
    // run: it starts where the person stood before them, and their signals move it on.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('workflow_outbox')
            .select('workflow_outbox.id')
            .where('workflow_outbox.workflow_id', '=', workflowId)
            .where('workflow_outbox.signal_name', '=', doseAdministeredSignal.name)
            .where('workflow_outbox.delivered_at', 'is', null)
            .where(sql<string>`workflow_outbox.payload->>'doseId'`, '=', sql<string>`dose.id::text`),
        ),
      ),
    )
    .orderBy('dose.dose_number', 'desc')
    .executeTakeFirst();
  const resume: JourneyResume = !last
    ? { stage: 'VERIFIED', dosesReceived: 0 }
    : {
        stage: last.dose_number >= last.doses ? 'FULLY_VACCINATED' : 'DOSE1_DONE',
        dosesReceived: last.dose_number,
        vaccineCode: last.vaccine_code,
      };
  return {
    stage,
    inactiveSince: person.journey_inactive_since,
    input: {
      beneficiaryId: person.id,
      referenceId: person.reference_id,
      verified: true,
      registeredAtMs: person.created_at.getTime(),
      policy: (await lastPolicy(client, workflowId)) ?? fallbackPolicy,
      resume,
    },
  };
}

/** Clears the person's "journey inactive" mark with a history row saying why (nothing when it was not set). */
async function markResumed(db: Db, ended: EndedJourney, reason: string) {
  if (!ended.inactiveSince) return;
  await projectJourneyResumed(db, ended.input.beneficiaryId, {
    reason,
    stepKey: `${workflowIds.journey(ended.input.referenceId)}:resumed:${ended.inactiveSince.getTime()}`,
  });
}

export interface ResumeOptions {
  /** The policy of the new run when the ended run's history is no longer kept (the configured one). */
  fallbackPolicy?: JourneyPolicy;
}

/**
 * Delivers a booking's or dose's signal to a new run when its journey has ended and its person still has a dose
 * to come. Returns false when there is nothing to resume (another signal, or withdrawn, expired, done).
 */
export async function resumeEndedJourney(
  db: Db,
  client: Client,
  taskQueue: string,
  command: { workflowId: string; signalName: string; payload: unknown },
  options: ResumeOptions = {},
): Promise<boolean> {
  const reason = RESUMING_SIGNALS.get(command.signalName);
  if (!reason) return false;
  const ended = await endedJourney(
    db,
    client,
    command.workflowId,
    options.fallbackPolicy ?? defaultJourneyPolicy(REAL_DAY_MS),
  );
  if (!ended) return false;
  await markResumed(db, ended, reason);
  await client.workflow.signalWithStart(JOURNEY_WORKFLOW, {
    workflowId: command.workflowId,
    taskQueue,
    args: [ended.input],
    signal: command.signalName,
    signalArgs: [command.payload],
  });
  return true;
}

/**
 * Runs an Update (a withdrawal) on a new run of an ended journey, when `allowedAt` accepts the person's stage in
 * Postgres; undefined when there is nothing to resume or the step is not allowed there (the caller answers so).
 */
export async function resumeEndedJourneyWithUpdate<Ret, Args extends unknown[]>(
  db: Db,
  client: Client,
  taskQueue: string,
  request: {
    workflowId: string;
    update: UpdateDefinition<Ret, Args>;
    args: Args;
    allowedAt: (stage: Stage) => boolean;
    reason: string;
  },
  options: ResumeOptions = {},
): Promise<{ result: Ret } | undefined> {
  const ended = await endedJourney(
    db,
    client,
    request.workflowId,
    options.fallbackPolicy ?? defaultJourneyPolicy(REAL_DAY_MS),
  );
  if (!ended || !request.allowedAt(ended.stage)) return undefined;
  await markResumed(db, ended, request.reason);
  const result = await client.workflow.executeUpdateWithStart<Workflow, Ret, Args>(request.update, {
    args: request.args,
    startWorkflowOperation: new WithStartWorkflowOperation(JOURNEY_WORKFLOW, {
      workflowId: request.workflowId,
      taskQueue,
      args: [ended.input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
  return { result };
}
