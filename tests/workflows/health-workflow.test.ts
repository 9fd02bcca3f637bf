import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import { TemporalGateway } from '../../workflows/client.js';
import { workflowIds } from '../../workflows/shared.js';
import type { healthCheckWorkflow } from '../../workflows/workflows/health-check.js';

let db: Db;
let temporal: TemporalGateway;
beforeAll(() => {
  ({ db } = createDb({ connectionString: inject('databaseUrl') }));
  temporal = new TemporalGateway({
    address: inject('temporalAddress'),
    namespace: inject('temporalNamespace'),
    taskQueue: inject('taskQueue'),
  });
});
afterAll(async () => {
  await temporal.close();
  await db.destroy();
});

describe('health workflow on the real dev server', () => {
  it('goes API client -> Temporal -> worker -> Postgres and back', async () => {
    const client = await temporal.client();
    const probeId = randomUUID();
    const result = await client.workflow.execute<typeof healthCheckWorkflow>('healthCheckWorkflow', {
      taskQueue: temporal.taskQueue,
      workflowId: workflowIds.health(probeId),
      args: [{ probeId }],
    });
    expect(result.probeId).toBe(probeId);
    expect(result.workerIdentity).toMatch(/-\d+$/);
    const row = await db.selectFrom('health_probe').selectAll().where('id', '=', probeId).executeTakeFirst();
    expect(row?.worker_identity).toBe(result.workerIdentity);
  });
});
