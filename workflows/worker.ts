/**
 * `npm run worker`: runs every workflow and activity on the task queue until SIGINT/SIGTERM,
 * then drains in-flight tasks before exiting.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { DEFAULT_WORKER_TUNING, loadConfig, type Config } from '../config/env.js';
import { createDb, SERVICE_IDLE_TIMEOUT_MS } from '../db/connection.js';
import { createSmsProvider } from '../messaging/providers/index.js';
import { createActivities } from './activities/index.js';
import { createCertificateService } from '../certificates/service.js';
import { loadSigningKeys } from '../certificates/keys.js';
import { Client, Connection } from '@temporalio/client';
import { startOutboxRelay } from './workflow-outbox.js';
import { startSessionSweep } from './session-sweep.js';
import { startStaffReminderSweep } from './staff-reminders.js';
import { startThroughputEmitter } from '../live/throughput.js';
import { temporalConnectionOptions } from './connection.js';
import { configuredJourneyPolicy } from '../domain/journey-schedule.js';

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has shut down and its resources are closed. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

export async function startWorker(config: Config): Promise<RunningWorker> {
  const { db } = createDb({
    connectionString: config.databaseUrl,
    poolSize: config.dbPoolSize,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    applicationName: 'teeka-worker',
    idleTimeoutMs: SERVICE_IDLE_TIMEOUT_MS,
  });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const workerIdentity = `${os.hostname()}-${process.pid}`;
  const tuning = config.worker ?? DEFAULT_WORKER_TUNING;
  // One gateway per process: its rate limit is shared by the activities and the staff reminder sweep.
  const sms = createSmsProvider();
  // Read by the SDK's workflow threads as they start (our patch of @temporalio/worker, patches/README.md).
  process.env.TEMPORAL_WORKFLOW_STACK_TRACES = tuning.workflowStackTraces ? 'on' : 'off';
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath,
    activities: createActivities({
      db,
      config,
      workerIdentity,
      sms,
      certificates: createCertificateService(
        db,
        await loadSigningKeys({ nodeEnv: config.nodeEnv, dataDir: config.dataDir, configured: config.certSigningKeys }),
      ),
    }),
    identity: workerIdentity,
    // Capacity and rate knobs (WORKER_* in config/env.ts); the defaults are the SDK's own.
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTasks,
    maxActivitiesPerSecond: tuning.maxActivitiesPerSecond,
    maxTaskQueueActivitiesPerSecond: tuning.maxTaskQueueActivitiesPerSecond,
    shutdownGraceTime: tuning.shutdownGraceMs,
    stickyQueueScheduleToStartTimeout: tuning.stickyQueueWaitMs,
    // Worker versioning when configured (config/env.ts: temporal.deployment); workflows auto-upgrade.
    ...(config.temporal.deployment && {
      workerDeploymentOptions: {
        version: { deploymentName: config.temporal.deployment.name, buildId: config.temporal.deployment.buildId },
        useWorkerVersioning: true,
        defaultVersioningBehavior: 'AUTO_UPGRADE',
      },
    }),
  });
  // The relay delivers the workflow commands of the outbox (a dose's journey signal; what the API could not send).
  const clientConnection = await Connection.connect(temporalConnectionOptions(config.temporal));
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  const stopRelay = startOutboxRelay(db, client, config.temporal.taskQueue, {
    connectionString: config.databaseUrl,
    log: (message) => console.warn(message),
    // A journey resumed after its last run's history is gone runs under the configured policy.
    journeyPolicy: configuredJourneyPolicy(config),
  });
  // Starts the workflow of each session day of today and tomorrow that has none (workflows/session-sweep.ts).
  const stopSessionSweep = config.sessionSweep
    ? startSessionSweep(db, client, config, 30_000, (message) => console.warn(message))
    : async () => {};
  // Per-minute throughput for the live dashboards; one worker emits (advisory lock), see live/throughput.ts.
  const stopThroughput = startThroughputEmitter({
    db,
    connectionString: config.databaseUrl,
    log: (message) => console.warn(message),
  });
  // The evening-before SMS to session teams, and staff SMS a request could not deliver (workflows/staff-reminders.ts).
  const stopStaffReminders = config.sessionSweep
    ? startStaffReminderSweep(db, sms, {
        hour: config.staffReminderHour,
        everyMs: 60_000,
        log: (message) => console.warn(message),
      })
    : async () => {};
  const done = worker.run().finally(async () => {
    await stopStaffReminders();
    await stopThroughput();
    await stopSessionSweep();
    await stopRelay();
    await clientConnection.close();
    await connection.close();
    await db.destroy();
  });
  return {
    worker,
    done,
    shutdown: async () => {
      worker.shutdown();
      await done;
    },
  };
}

/** Maps our LOG_LEVEL onto the SDK's levels (it has no 'silent' or 'fatal'). */
function sdkLogLevel(level: string): LogLevel {
  const known: Record<string, LogLevel> = {
    trace: 'TRACE',
    debug: 'DEBUG',
    info: 'INFO',
    warn: 'WARN',
    error: 'ERROR',
  };
  return known[level] ?? 'ERROR';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = loadConfig();
  const metricsPort = config.worker?.metricsPort ?? 0;
  Runtime.install({
    logger: new DefaultLogger(sdkLogLevel(config.logLevel)),
    // The SDK's own Prometheus exporter: task slots, poll and schedule-to-start latencies, sticky cache (docs/operations.md).
    ...(metricsPort > 0
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `${config.host}:${metricsPort}` } } } }
      : {}),
  });
  const running = await startWorker(config);
  console.log(
    `worker ${running.worker.options.identity} polling task queue ${config.temporal.taskQueue} at ${config.temporal.address}`,
  );
  await running.done;
  console.log('worker stopped');
}
