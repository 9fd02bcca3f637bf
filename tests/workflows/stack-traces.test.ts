/**
 * Workflow stack traces (the Temporal UI's "Stack Trace" tab, the `__stack_trace` query) cost a third of the
 * journeys' workflow CPU, so a worker records them only with WORKER_WORKFLOW_STACK_TRACES=on (patches/README.md).
 * Each case runs its own worker process on a task queue of its own and asks a waiting journey where it waits.
 */
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { workflowIds } from '../../workflows/shared.js';
import { uniqueMobile } from '../support/fixtures.js';
import { loginBeneficiary, registerPerson, waitFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { kill, spawnWorker } from '../support/processes.js';

const started: { platform: TestPlatform; worker: ChildProcess }[] = [];
afterAll(async () => {
  for (const { platform, worker } of started) {
    await kill(worker, 'SIGTERM');
    await platform.close();
  }
});

/** A worker with the given environment, and a registered person whose journey it runs (waiting for a booking). */
async function journeyOnWorker(extraEnv: NodeJS.ProcessEnv) {
  const taskQueue = `stack-traces-${randomUUID().slice(0, 8)}`;
  const temporal = { address: inject('temporalAddress'), namespace: inject('temporalNamespace'), taskQueue };
  const platform = await startTestPlatform({ temporal });
  const worker = await spawnWorker(
    {
      databaseUrl: inject('databaseUrl'),
      temporalAddress: temporal.address,
      temporalNamespace: temporal.namespace,
      taskQueue,
    },
    extraEnv,
  );
  started.push({ platform, worker });
  const token = await loginBeneficiary(platform.app, uniqueMobile());
  const registered = await registerPerson(platform.app, token);
  expect(registered.statusCode, registered.body).toBe(201);
  const client = await platform.temporal.client();
  const journey = client.workflow.getHandle(workflowIds.journey(registered.json().referenceId));
  // Answered once the worker has run the journey's first task.
  await waitFor(
    () =>
      journey.query<{ stage: string }>('journeySnapshot').then(
        ({ stage }) => stage === 'VERIFIED',
        () => false,
      ),
    'the journey waiting for a booking',
  );
  return journey;
}

describe('workflow stack traces', () => {
  it('are not recorded by default: the stack-trace query says so', async () => {
    const journey = await journeyOnWorker({});
    await expect(journey.query<string>('__stack_trace')).rejects.toThrow(/stack traces are not enabled/i);
  });

  it('are recorded with WORKER_WORKFLOW_STACK_TRACES=on: the query shows where the journey waits', async () => {
    const journey = await journeyOnWorker({ WORKER_WORKFLOW_STACK_TRACES: 'on' });
    const trace = await journey.query<string>('__stack_trace');
    expect(trace).toMatch(/beneficiaryJourneyWorkflow/);
    expect(trace).toMatch(/condition/);
  });
});
