/**
 * Transactional outbox for workflow commands. A fact (a registration, a dose) and the command that tells its
 * workflow (start the journey, signal the dose) commit together; the command is delivered right after commit
 * and, if Temporal was unreachable, by the relay loop the worker runs. Delivery locks the row, so two relays
 * never deliver one command at the same time; workflows dedupe the rare redelivery after a crash.
 */
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import type { Executor } from '../db/repositories/audit.js';

export async function enqueueWorkflowStart(
  db: Executor,
  command: { workflowId: string; workflowType: string; input: unknown },
): Promise<string> {
  const { id } = await db
    .insertInto('workflow_outbox')
    .values({
      kind: 'START',
      workflow_id: command.workflowId,
      workflow_type: command.workflowType,
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

async function deliver(
  client: Client,
  taskQueue: string,
  row: {
    kind: string;
    workflow_id: string;
    workflow_type: string | null;
    signal_name: string | null;
    payload: unknown;
  },
) {
  if (row.kind === 'START') {
    try {
      await client.workflow.start(row.workflow_type!, {
        workflowId: row.workflow_id,
        taskQueue,
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
    // A journey that has ended (withdrawn, expired) has nothing left to learn from the signal.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

/**
 * Delivers pending commands: the given ids (right after their commit), or the oldest pending ones (relay).
 * Returns how many were delivered; failures stay pending with their error for the next pass.
 */
export async function dispatchOutbox(
  db: Db,
  client: Client,
  taskQueue: string,
  options: { ids?: string[]; limit?: number; olderThanMs?: number } = {},
): Promise<number> {
  let delivered = 0;
  const ids =
    options.ids ??
    (
      await db
        .selectFrom('workflow_outbox')
        .select('id')
        .where('delivered_at', 'is', null)
        .$if(options.olderThanMs !== undefined, (qb) =>
          qb.where('created_at', '<', sql<Date>`now() - make_interval(secs => ${options.olderThanMs! / 1000})`),
        )
        .orderBy('id')
        .limit(options.limit ?? 200)
        .execute()
    ).map((r) => r.id);
  for (const id of ids) {
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('workflow_outbox')
        .select(['kind', 'workflow_id', 'workflow_type', 'signal_name', 'payload'])
        .where('id', '=', id)
        .where('delivered_at', 'is', null)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!row) return;
      try {
        await deliver(client, taskQueue, row);
        await trx
          .updateTable('workflow_outbox')
          .set({ delivered_at: new Date(), attempts: sql`attempts + 1`, last_error: null })
          .where('id', '=', id)
          .execute();
        delivered++;
      } catch (error) {
        await trx
          .updateTable('workflow_outbox')
          .set({ attempts: sql`attempts + 1`, last_error: String((error as Error).message).slice(0, 500) })
          .where('id', '=', id)
          .execute();
      }
    });
  }
  return delivered;
}

/** The worker's relay: every `intervalMs`, delivers what the API could not. Returns a stop function. */
export function startOutboxRelay(
  db: Db,
  client: Client,
  taskQueue: string,
  intervalMs = 2_000,
  log: (message: string) => void = () => {},
): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        const count = await dispatchOutbox(db, client, taskQueue, { olderThanMs: intervalMs });
        if (count) log(`outbox relay delivered ${count} workflow command(s)`);
      } catch (error) {
        log(`outbox relay: ${(error as Error).message}`);
      }
    });
  }, intervalMs);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
