/**
 * A journey that ended at FULLY_VACCINATED before the precaution dose existed (or under a vaccine that had none
 * then) has no run left to hear of a precaution booking or dose: the signal finds nothing. Such a journey is
 * resumed: a new run of the same workflow id, started at FULLY_VACCINATED with the original run's input (its
 * policy), takes the signal, so the booking is confirmed and timed (reminder, no-show check), and the dose moves
 * the person to PRECAUTION_DONE and reissues the certificate, as in a journey that never ended.
 */
import type { Client } from '@temporalio/client';
import { VACCINATED_STAGES, type Stage } from '../domain/journey-state.js';
import type { Db } from '../db/connection.js';
import { bookingChangedSignal, doseAdministeredSignal, type JourneyInput } from './shared.js';

const JOURNEY_PREFIX = 'beneficiary-';
/** The signals a precaution booking or dose sends its journey. */
const RESUMING_SIGNALS = new Set([bookingChangedSignal.name, doseAdministeredSignal.name]);

/** The input of a journey's first run (its policy), read from the start of its history. */
async function firstInput(client: Client, workflowId: string): Promise<JourneyInput | undefined> {
  const page = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId },
    maximumPageSize: 1,
  });
  const payload = page.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return payload?.data ? (JSON.parse(Buffer.from(payload.data).toString('utf8')) as JourneyInput) : undefined;
}

/**
 * Delivers a journey's signal to a new run when its journey has ended but the person is fully vaccinated and has
 * not had the precaution dose. Returns false when there is nothing to resume (withdrawn, expired, done).
 */
export async function resumeEndedJourney(
  db: Db,
  client: Client,
  taskQueue: string,
  command: { workflowId: string; signalName: string; payload: unknown },
): Promise<boolean> {
  if (!command.workflowId.startsWith(JOURNEY_PREFIX) || !RESUMING_SIGNALS.has(command.signalName)) return false;
  const person = await db
    .selectFrom('beneficiary')
    .select(['id', 'reference_id', 'stage', 'vaccine_code'])
    .where('reference_id', '=', command.workflowId.slice(JOURNEY_PREFIX.length))
    .executeTakeFirst();
  if (!person || !VACCINATED_STAGES.has(person.stage as Stage) || person.stage === 'PRECAUTION_DONE') return false;
  const doses = await db
    .selectFrom('dose')
    .select(['dose_number', 'vaccine_code'])
    .where('beneficiary_id', '=', person.id)
    .where('dose_number', '<', 3)
    .orderBy('dose_number', 'desc')
    .executeTakeFirst();
  const original = await firstInput(client, command.workflowId);
  if (!original || !doses) return false;
  const input: JourneyInput = {
    ...original,
    resume: { stage: 'FULLY_VACCINATED', dosesReceived: doses.dose_number, vaccineCode: doses.vaccine_code },
  };
  await client.workflow.signalWithStart('beneficiaryJourneyWorkflow', {
    workflowId: command.workflowId,
    taskQueue,
    args: [input],
    signal: command.signalName,
    signalArgs: [command.payload],
  });
  return true;
}
