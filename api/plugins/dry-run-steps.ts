/**
 * Simulated dry runs' steps, taken by this API process: a Temporal worker with activities only, polling
 * `config.dryRunStepsTaskQueue` (each step is a request to this very API, api/services/dry-run-steps.ts). The
 * simulation's workflow runs on the ordinary worker; its steps run on whichever API process takes them, so a run
 * goes on when the process that started it stops. The worker starts once the app is ready and drains its steps
 * before the app closes (a step in flight still reaches the routes).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { temporalConnectionOptions } from '../../workflows/connection.js';
import { createDryRunStepActivities } from '../services/dry-run-steps.js';

async function dryRunSteps(app: FastifyInstance) {
  const taskQueue = app.config.dryRunStepsTaskQueue;
  if (!taskQueue) return;
  let running: { worker: Worker; done: Promise<void>; connection: NativeConnection } | undefined;

  app.addHook('onReady', async () => {
    quietRuntime(app.config.logLevel);
    const connection = await NativeConnection.connect(temporalConnectionOptions(app.config.temporal));
    const worker = await Worker.create({
      connection,
      namespace: app.config.temporal.namespace,
      taskQueue,
      activities: createDryRunStepActivities(app),
      identity: `api-${process.pid}-dry-run-steps`,
      // A simulated team of a few members per site: a few dozen steps at once is plenty, and leaves the pool be.
      maxConcurrentActivityTaskExecutions: 32,
      shutdownGraceTime: '10 seconds',
    });
    const done = worker.run().catch((error: unknown) => {
      app.log.error({ err: error }, 'the dry-run steps worker stopped');
    });
    running = { worker, done, connection };
  });

  app.addHook('preClose', async () => {
    if (!running) return;
    const { worker, done, connection } = running;
    running = undefined;
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await done;
    await connection.close();
  });
}

/**
 * The SDK's own log lines at the API's level (its default logs every worker state change): installed once per
 * process, before its first connection; a process that has its runtime already keeps it.
 */
function quietRuntime(level: string) {
  const levels = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;
  try {
    Runtime.install({ logger: new DefaultLogger(levels[level as keyof typeof levels] ?? 'ERROR') });
  } catch {
    // Already installed (another app in this process, or the worker's): its logger stays.
  }
}

export default fp(dryRunSteps, { name: 'dry-run-steps' });
