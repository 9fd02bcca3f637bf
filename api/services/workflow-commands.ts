import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/connection.js';
import type { TemporalGateway } from '../../workflows/client.js';
import { dispatchOutbox } from '../../workflows/outbox.js';

/**
 * Delivers workflow commands committed with a fact, right after the commit. If Temporal is unreachable the
 * request still succeeds (the fact is stored); the worker's relay delivers the command later.
 */
export async function deliverAfterCommit(
  db: Db,
  temporal: TemporalGateway,
  log: FastifyBaseLogger,
  ids: string[],
): Promise<void> {
  if (!ids.length) return;
  try {
    await dispatchOutbox(db, await temporal.client(), temporal.taskQueue, { ids });
  } catch (error) {
    log.warn({ err: error }, 'workflow command left for the outbox relay');
  }
}
