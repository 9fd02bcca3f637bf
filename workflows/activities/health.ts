import { sql } from 'kysely';
import type { HealthCheckInput, HealthCheckResult } from '../shared.js';
import type { ActivityDeps } from './deps.js';

export function createHealthActivities({ db, workerIdentity }: ActivityDeps) {
  return {
    /** Writes a probe row, proving the worker reaches Postgres. Idempotent on probeId. */
    async recordHealthProbe({ probeId }: HealthCheckInput): Promise<HealthCheckResult> {
      await db
        .insertInto('health_probe')
        .values({ id: probeId, worker_identity: workerIdentity })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db);
      return { probeId, workerIdentity, databaseTime: rows[0].now.toISOString() };
    },
  };
}
