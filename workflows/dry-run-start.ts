/** Starting a simulated dry run's workflow (one per run; its id from the run's). */
import type { Client } from '@temporalio/client';
import { workflowIds, type DryRunSimulationInput } from './shared.js';
import type { dryRunSimulationWorkflow } from './workflows/dry-run-simulation.js';

export async function startDryRunSimulation(
  client: Client,
  taskQueue: string,
  input: DryRunSimulationInput,
): Promise<void> {
  await client.workflow.start<typeof dryRunSimulationWorkflow>('dryRunSimulationWorkflow', {
    workflowId: workflowIds.dryRun(input.dryRunId),
    taskQueue,
    args: [input],
  });
}
