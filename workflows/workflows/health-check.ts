import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { HealthCheckInput, HealthCheckResult } from '../shared.js';

const { recordHealthProbe } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

/** API -> Temporal -> worker -> Postgres, end to end. */
export async function healthCheckWorkflow(input: HealthCheckInput): Promise<HealthCheckResult> {
  return recordHealthProbe(input);
}
