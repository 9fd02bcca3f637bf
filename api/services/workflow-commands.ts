import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/connection.js';
import type { TemporalGateway } from '../../workflows/client.js';
import { setTimeout } from 'node:timers/promises';
import { countPending, dispatchOutbox } from '../../workflows/workflow-outbox.js';

/** How long a request waits for its commands when the worker's relay took them first. */
const WAIT_FOR_RELAY_MS = 5_000;

/**
 * Delivers workflow commands committed with a fact, right after the commit, for requests whose next step needs
 * the workflow told (a registration's journey exists before the person books). The relay, woken by the same
 * commit, may claim a command first: then the request waits for it to be marked delivered. If Temporal is
 * unreachable the request still succeeds (the fact is stored); the relay delivers the command later.
 */
export async function deliverAfterCommit(
  db: Db,
  temporal: TemporalGateway,
  log: FastifyBaseLogger,
  ids: string[],
): Promise<void> {
  if (!ids.length) return;
  try {
    const { failed } = await dispatchOutbox(db, await temporal.client(), temporal.taskQueue, { ids });
    if (failed) return; // Temporal is not answering: the relay retries, the request does not wait for it.
    const deadline = Date.now() + WAIT_FOR_RELAY_MS;
    while ((await countPending(db, ids)) > 0 && Date.now() < deadline) await setTimeout(25);
  } catch (error) {
    log.warn({ err: error }, 'workflow command left for the outbox relay');
  }
}
