/**
 * Transactional outbox for workflow commands. A fact (a registration, a dose) and the command that tells its
 * workflow (start the journey, signal the dose) commit together. The worker's relay delivers every command,
 * woken by the insert's NOTIFY; a request that wants its workflow told at once (a registration) also delivers its
 * own commands right after commit. Whoever delivers first claims the row (claimed_until), so two deliverers never
 * send one command at the same time; workflows dedupe the rare redelivery after a crash.
 */
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../db/connection.js';
import type { Executor } from '../db/repositories/audit.js';
import type { JourneyPolicy } from '../domain/journey-schedule.js';
import { resumeEndedJourney } from './journey-resume.js';

export async function enqueueWorkflowStart(
  db: Executor,
  command: { workflowId: string; workflowType: string; input: unknown; taskQueue: string },
): Promise<string> {
  const { id } = await db
    .insertInto('workflow_outbox')
    .values({
      kind: 'START',
      workflow_id: command.workflowId,
      workflow_type: command.workflowType,
      task_queue: command.taskQueue,
      payload: JSON.stringify(command.input),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function enqueueSignal(
  db: Executor,
  command: { workflowId: string; signalName: string; payload: unknown },
): Promise<string> {
  const { id } = await db
    .insertInto('workflow_outbox')
    .values({
      kind: 'SIGNAL',
      workflow_id: command.workflowId,
      signal_name: command.signalName,
      payload: JSON.stringify(command.payload),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

interface ClaimedCommand {
  id: string;
  kind: string;
  workflow_id: string;
  workflow_type: string | null;
  task_queue: string | null;
  signal_name: string | null;
  payload: unknown;
  attempts: number;
}

/** What delivering a command needs besides Temporal: the configured journey policy, for resumed journeys. */
export interface DeliveryOptions {
  journeyPolicy?: JourneyPolicy;
}

async function deliver(db: Db, client: Client, taskQueue: string, row: ClaimedCommand, options: DeliveryOptions) {
  if (row.kind === 'START') {
    try {
      await client.workflow.start(row.workflow_type!, {
        workflowId: row.workflow_id,
        taskQueue: row.task_queue ?? taskQueue,
        args: [row.payload],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    } catch (error) {
      // Started before (and maybe finished): the command has had its effect.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return;
  }
  try {
    const args = row.payload === null ? [] : [row.payload];
    await client.workflow.getHandle(row.workflow_id).signal(row.signal_name!, ...args);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    // A journey that ended (fully vaccinated, or awaiting its person's return) resumes for their booking or dose
    // (workflows/journey-resume.ts); one that has ended otherwise (withdrawn, expired) has nothing left to learn.
    const command = { workflowId: row.workflow_id, signalName: row.signal_name!, payload: row.payload };
    await resumeEndedJourney(db, client, row.task_queue ?? taskQueue, command, {
      fallbackPolicy: options.journeyPolicy,
    });
  }
}

/** Commands claimed by one relay pass: delivered in parallel lanes, each lane a Temporal call. */
const DELIVERY_LANES = 32;
/** A claimed command not marked within this time (its relay died) may be claimed again. */
const CLAIM_SECONDS = 30;

/**
 * Claims pending commands for delivery: the given ids, or the oldest pending ones. Only the oldest pending
 * command of each workflow is claimable, so a journey's start always reaches Temporal before its signals and its
 * signals arrive in commit order. The claim commits at once: no transaction is held across a Temporal call.
 */
async function claimCommands(
  db: Db,
  options: { ids?: string[]; limit: number; taskQueue: string },
): Promise<ClaimedCommand[]> {
  const { rows } = await sql<ClaimedCommand>`
    update workflow_outbox set claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS}), attempts = attempts + 1
    where id in (
      select o.id from workflow_outbox o
      where o.delivered_at is null
        and (o.claimed_until is null or o.claimed_until < now())
        ${options.ids ? sql`and o.id = any(${options.ids}::bigint[])` : sql``}
        and (o.task_queue is null or o.task_queue = ${options.taskQueue})
        and not exists (
          select 1 from workflow_outbox earlier
          where earlier.workflow_id = o.workflow_id and earlier.delivered_at is null and earlier.id < o.id
        )
      order by o.id
      limit ${options.limit}
      for update skip locked
    )
    returning id, kind, workflow_id, workflow_type, task_queue, signal_name, payload, attempts`.execute(db);
  return rows;
}

/**
 * Delivers pending commands: the given ids (right after their commit), or the oldest pending ones (relay).
 * Returns how many were delivered and how many failed. A failed command is retried after a back-off; a delivery repeated after a
 * crash between the call and the mark is harmless (workflows dedupe signals, starts use USE_EXISTING).
 */
export async function dispatchOutbox(
  db: Db,
  client: Client,
  taskQueue: string,
  options: { ids?: string[]; limit?: number } & DeliveryOptions = {},
): Promise<{ delivered: number; failed: number }> {
  const claimed = await claimCommands(db, { ids: options.ids, limit: options.limit ?? 500, taskQueue });
  if (!claimed.length) return { delivered: 0, failed: 0 };
  const delivered: string[] = [];
  const failed: { id: string; error: string; retry: number }[] = [];
  let next = 0;
  const lane = async () => {
    while (next < claimed.length) {
      const command = claimed[next++]!;
      try {
        await deliver(db, client, taskQueue, command, options);
        delivered.push(command.id);
      } catch (error) {
        failed.push({
          id: command.id,
          error: String((error as Error).message).slice(0, 500),
          retry: Math.min(60, 2 ** Math.min(command.attempts, 6)),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELIVERY_LANES, claimed.length) }, lane));
  if (delivered.length) {
    // A workflow's next command became claimable: wake the relay for it.
    await sql`with marked as (
        update workflow_outbox set delivered_at = now(), claimed_until = null, last_error = null
        where id = any(${delivered}::bigint[]) returning workflow_id
      )
      select pg_notify('teeka_outbox', '') where exists (
        select 1 from workflow_outbox o join marked m on m.workflow_id = o.workflow_id
        where o.delivered_at is null and o.id <> all(${delivered}::bigint[])
      )`.execute(db);
  }
  if (failed.length) {
    await sql`update workflow_outbox o set claimed_until = now() + make_interval(secs => f.retry), last_error = f.error
      from jsonb_to_recordset(${JSON.stringify(failed)}::jsonb) as f(id bigint, error text, retry integer)
      where o.id = f.id`.execute(db);
  }
  return { delivered: delivered.length, failed: failed.length };
}

/** How many of the given commands are not delivered yet. */
export async function countPending(db: Db, ids: string[]): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from workflow_outbox
    where id = any(${ids}::bigint[]) and delivered_at is null`.execute(db);
  return rows[0]!.n;
}

/**
 * The worker's relay: delivers every command, woken by NOTIFY teeka_outbox (the insert trigger) and, as a safety
 * net for a lost LISTEN connection or a command waiting out its back-off, every `intervalMs`. Passes never
 * overlap; a pass repeats while it finds work, since delivering a workflow's command unblocks its next one.
 * Returns a stop function.
 */
export function startOutboxRelay(
  db: Db,
  client: Client,
  taskQueue: string,
  options: { connectionString: string; intervalMs?: number; log?: (message: string) => void } & DeliveryOptions,
): () => Promise<void> {
  const log = options.log ?? (() => {});
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let listener: pg.Client | undefined;

  const pass = async () => {
    do {
      again = false;
      try {
        let delivered: number;
        do {
          ({ delivered } = await dispatchOutbox(db, client, taskQueue, { journeyPolicy: options.journeyPolicy }));
        } while (delivered > 0 && !stopped);
      } catch (error) {
        log(`outbox relay: ${(error as Error).message}`);
      }
    } while (again && !stopped);
  };
  const wake = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass().finally(() => (running = undefined));
  };
  // LISTEN needs a session of its own; when it is lost, the next timer tick opens a new one.
  const listen = async () => {
    if (listener || stopped) return;
    const connection = new pg.Client({
      connectionString: options.connectionString,
      application_name: 'teeka-outbox-relay',
    });
    listener = connection;
    const drop = () => {
      if (listener === connection) listener = undefined;
      connection.end().catch(() => {});
    };
    connection.on('error', drop);
    connection.on('end', drop);
    connection.on('notification', wake);
    try {
      await connection.connect();
      await connection.query('LISTEN teeka_outbox');
    } catch (error) {
      log(`outbox relay: cannot listen (${(error as Error).message}); polling only`);
      drop();
    }
  };
  void listen();
  const timer = setInterval(() => {
    void listen();
    wake();
  }, options.intervalMs ?? 2_000);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
    await listener?.end().catch(() => {});
  };
}
