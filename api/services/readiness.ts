/**
 * Whether this process can serve: Postgres and Temporal answer. The public /ready says only ready or not ready;
 * the reasons (host names, addresses, driver messages) go to the log and, as teeka_dependency_up, to /metrics,
 * which the reverse proxy does not forward.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

const CHECK_TIMEOUT_MS = 3_000;

export type DependencyName = 'postgres' | 'temporal';
/** `ok`, or why not (for operators only). */
export type DependencyChecks = Record<DependencyName, { ok: true } | { ok: false; reason: string }>;

async function check(probe: () => Promise<unknown>): Promise<{ ok: true } | { ok: false; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message.split('\n')[0] };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkDependencies(app: FastifyInstance): Promise<DependencyChecks> {
  const [postgres, temporal] = await Promise.all([
    check(() => sql`select 1`.execute(app.db)),
    check(() => app.temporal.ping()),
  ]);
  return { postgres, temporal };
}
