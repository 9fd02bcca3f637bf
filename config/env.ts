/**
 * All runtime configuration, read from the environment in one place.
 * Every variable is documented in README.md ("Configuration"); keep the two in step.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_INACTIVE_AFTER_DAYS } from '../domain/journey-schedule.js';

export type NodeEnv = 'development' | 'test' | 'production';

export interface Config {
  nodeEnv: NodeEnv;
  port: number;
  host: string;
  /** Where people reach the portal; used in SMS links. */
  publicUrl: string;
  databaseUrl: string;
  dbPoolSize: number;
  dbStatementTimeoutMs: number;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    apiKey?: string;
    tlsCertPath?: string;
    tlsKeyPath?: string;
    tlsCaPath?: string;
    tlsServerName?: string;
    /**
     * Worker versioning (TEMPORAL_DEPLOYMENT_NAME and TEMPORAL_BUILD_ID, both or neither): the worker polls as this
     * version of its deployment, and a release is made current with `temporal worker deployment
     * set-current-version`. Every workflow moves to the current version at its next task (auto-upgrade): a journey
     * sleeps for weeks, longer than any release should keep old workers, so its code changes go behind patches
     * (workflows/workflows/PATCHING.md) and the replay test holds them to it.
     */
    deployment?: { name: string; buildId: string };
  };
  /** Length of a "day" for journey and session timers; tests and dry runs compress it. */
  dayMs: number;
  /** How long a login or registration OTP stays valid (real time, not scaled by dayMs). */
  otpLifetimeMs: number;
  /**
   * Days a journey with nothing left of its own to do (never booked; dose 2 overdue with every follow-up sent; a
   * precaution dose texted as due) waits before it ends awaiting the person's return (JOURNEY_INACTIVE_AFTER_DAYS;
   * scaled by dayMs). Optional so hand-built configs get DEFAULT_INACTIVE_AFTER_DAYS.
   */
  journeyInactiveAfterDays?: number;
  /** Minutes without a dose (while people wait) before a session is flagged STALLED; scaled by dayMs like every session timer. */
  stallAfterMinutes: number;
  /** Whether the worker starts the workflow of each session day of today and tomorrow (SESSION_SWEEP=on|off). */
  sessionSweep: boolean;
  /**
   * The task queue on which this API process takes simulated dry runs' steps (each a request to this API), for
   * their workflows (DRY_RUN_STEPS_TASK_QUEUE; default `<TEMPORAL_TASK_QUEUE>-dry-run-steps`, `off` for none).
   * Unset: the process takes none, and a simulation it starts waits for a process that does.
   */
  dryRunStepsTaskQueue?: string;
  /** India hour (0–23) from which session teams get their evening-before SMS (STAFF_REMINDER_HOUR); default 18. */
  staffReminderHour?: number;
  /** HMAC key for photo-ID numbers: only keyed hashes of ID numbers are stored. */
  idHashSecret: string;
  /** Signing key for API tokens (HS256). */
  tokenSecret: string;
  /** CERT_SIGNING_KEYS (JSON array of Ed25519 JWKs or a file path); development generates one under dataDir. */
  certSigningKeys?: string;
  /** Local state for development (a generated certificate key); TEEKA_DATA_DIR or ./.data. */
  dataDir: string;
  /** How long identical slot searches share one answer; 0 = always live. */
  availabilityCacheMs: number;
  /** OTPs one IP may request per hour (a clinic or a carrier NAT shares an address: keep it generous). */
  otpPerIpPerHour: number;
  rateLimitsEnabled: boolean;
  /** Origins of partner web apps allowed to call /api/v2 and the public endpoints from a browser (CORS_ORIGINS); none = same-origin only. */
  corsOrigins?: string[];
  /** Which peers' X-Forwarded-For is believed (TRUST_PROXY): Fastify's trustProxy; defaults to DEFAULT_TRUSTED_PROXIES. */
  trustProxy?: boolean | string;
  publicRateLimitPer5Min: number;
  /** REDIS_URL: where per-address limits are counted when several API processes must share one budget; unset = in each process's memory. */
  redisUrl?: string;
  /** REDIS_KEY_PREFIX: prefix of every key this deployment writes to Redis (several deployments may share one Redis). */
  redisKeyPrefix?: string;
  logLevel: string;
  /** Worker process tuning (workflows/worker.ts); optional so hand-built configs get DEFAULT_WORKER_TUNING. */
  worker?: WorkerTuning;
}

/** How much one worker process takes on, and how it stops. */
export interface WorkerTuning {
  /** Activities run at once by one process (SDK default 100); most hold a DB connection, so keep it near DB_POOL_SIZE. */
  maxConcurrentActivities: number;
  /** Workflow tasks run at once by one process (SDK default 40; at least 2). */
  maxConcurrentWorkflowTasks: number;
  /** Activities per second started by one process; undefined = no limit. */
  maxActivitiesPerSecond?: number;
  /** Activities per second the server hands out on the whole task queue (every worker); undefined = no limit. */
  maxTaskQueueActivitiesPerSecond?: number;
  /** After SIGTERM, how long in-flight activities may run before they are asked to cancel. */
  shutdownGraceMs: number;
  /**
   * How long a workflow's next task waits for the worker that holds the workflow in memory (its sticky queue) before
   * the server hands it to any worker, which replays the whole history. At the SDK's 10 s, every step queued behind
   * a longer backlog (a record day's journeys) times out on the server and is replayed; raised, those steps wait
   * instead, but a crashed worker's journeys also wait this long (a worker that stops cleanly hands them on at once).
   */
  stickyQueueWaitMs: number;
  /** Port of the Temporal SDK's Prometheus exporter (bound on HOST); 0 = off. */
  metricsPort: number;
  /**
   * Whether workflow threads record a stack trace for every promise, to answer the `__stack_trace` query (the
   * Temporal UI's "Stack Trace" tab). A debugging aid that costs a third of the workflow thread's time; off unless
   * asked for (patches/README.md).
   */
  workflowStackTraces: boolean;
}

export const DEFAULT_WORKER_TUNING: WorkerTuning = {
  maxConcurrentActivities: 100,
  maxConcurrentWorkflowTasks: 40,
  shutdownGraceMs: 20_000,
  stickyQueueWaitMs: 10_000,
  metricsPort: 0,
  workflowStackTraces: false,
};

const DEV_SECRET_NOTE = 'development-only secret; set it in production';

const LOOPBACK_HOSTS = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;

/**
 * Why this process may not fall back on development defaults (derived secrets, a generated certificate key, demo
 * staff with a published password, the dev SMS outbox), or undefined on a developer's own machine. Not only
 * NODE_ENV=production: a deployment that forgets NODE_ENV but sends real SMS, or listens beyond loopback, is a
 * live one, and its defaults would be public knowledge.
 */
export function developmentDefaultsRefusal(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NODE_ENV === 'production') return 'NODE_ENV=production';
  const sms = env.SMS_PROVIDER;
  if (sms && sms !== 'dev') return `SMS_PROVIDER=${sms} sends real SMS`;
  const host = env.HOST;
  if (host && !LOOPBACK_HOSTS.test(host))
    return `HOST=${host} listens beyond this machine (loopback only for development)`;
  return undefined;
}

function workerDeployment(): { name: string; buildId: string } | undefined {
  const name = process.env.TEMPORAL_DEPLOYMENT_NAME || undefined;
  const buildId = process.env.TEMPORAL_BUILD_ID || undefined;
  if (!name && !buildId) return undefined;
  if (!name || !buildId)
    throw new Error(
      'TEMPORAL_DEPLOYMENT_NAME and TEMPORAL_BUILD_ID go together: set both for worker versioning, or neither',
    );
  return { name, buildId };
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

function nodeEnv(): NodeEnv {
  const raw = process.env.NODE_ENV ?? 'development';
  if (raw === 'development' || raw === 'test' || raw === 'production') return raw;
  throw new Error(`NODE_ENV must be development, test or production, got "${raw}"`);
}

/** A live deployment refuses to start without real secrets; a developer's machine derives stable throwaway ones. */
function secret(name: string): string {
  const value = process.env[name];
  if (value && value.length >= 32) return value;
  const refusal = developmentDefaultsRefusal();
  if (refusal) {
    throw new Error(
      `${name} must be set to at least 32 characters: ${refusal}, so its public development default is refused`,
    );
  }
  if (value) throw new Error(`${name} must be at least 32 characters`);
  return `${name}:${DEV_SECRET_NOTE}:${'x'.repeat(8)}`;
}

/** REDIS_URL: redis:// or rediss:// (TLS). */
function redisUrl(): string | undefined {
  const raw = process.env.REDIS_URL?.trim();
  if (!raw) return undefined;
  if (!/^rediss?:\/\/[^\s]+$/.test(raw))
    throw new Error('REDIS_URL must look like redis://host:6379 (or rediss:// for TLS)');
  return raw;
}

/** CORS_ORIGINS: comma-separated origins (`https://app.example.org`), or `*` for any. */
function corsOrigins(): string[] {
  const origins = (process.env.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s?#]+$/.test(origin)) {
      throw new Error(
        `CORS_ORIGINS must list origins like https://app.example.org (scheme and host, no path), got "${origin}"`,
      );
    }
  }
  return origins;
}

/**
 * Proxies on loopback and private networks (nginx in docker-compose, an ingress in a cluster): their
 * X-Forwarded-For names the client. A peer on the internet cannot forge its address to dodge per-IP limits.
 */
export const DEFAULT_TRUSTED_PROXIES = 'loopback,linklocal,uniquelocal';

/** TRUST_PROXY: `true` (every hop), `false` (none), or addresses/CIDRs/loopback,linklocal,uniquelocal. */
function trustProxy(): boolean | string {
  const raw = process.env.TRUST_PROXY?.trim();
  if (!raw) return DEFAULT_TRUSTED_PROXIES;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return raw;
}

function rateLimitsEnabled(env: NodeEnv): boolean {
  const raw = (process.env.RATE_LIMITS ?? 'on').toLowerCase();
  if (raw !== 'on' && raw !== 'off') throw new Error(`RATE_LIMITS must be on or off, got "${raw}"`);
  if (raw === 'off' && env === 'production') {
    throw new Error('RATE_LIMITS=off is refused when NODE_ENV=production');
  }
  return raw === 'on';
}

function onOff(name: string, fallback: 'on' | 'off'): boolean {
  const raw = (process.env[name] || fallback).toLowerCase();
  if (raw !== 'on' && raw !== 'off') throw new Error(`${name} must be on or off, got "${raw}"`);
  return raw === 'on';
}

function wholeNumber(name: string, fallback: number, min: number): number {
  const value = int(name, fallback);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number of at least ${min}, got "${process.env[name]}"`);
  return value;
}

function hourOfDay(name: string, fallback: number): number {
  const value = wholeNumber(name, fallback, 0);
  if (value > 23) throw new Error(`${name} must be an hour from 0 to 23, got "${process.env[name]}"`);
  return value;
}

/** A per-second rate; unset or 0 means no limit. */
function optionalRate(name: string): number | undefined {
  const value = int(name, 0);
  if (value < 0) throw new Error(`${name} must be 0 (no limit) or a positive number, got "${process.env[name]}"`);
  return value > 0 ? value : undefined;
}

function workerTuning(env: NodeEnv): WorkerTuning {
  return {
    maxConcurrentActivities: wholeNumber(
      'WORKER_MAX_CONCURRENT_ACTIVITIES',
      DEFAULT_WORKER_TUNING.maxConcurrentActivities,
      1,
    ),
    maxConcurrentWorkflowTasks: wholeNumber(
      'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
      DEFAULT_WORKER_TUNING.maxConcurrentWorkflowTasks,
      2,
    ),
    maxActivitiesPerSecond: optionalRate('WORKER_MAX_ACTIVITIES_PER_SECOND'),
    maxTaskQueueActivitiesPerSecond: optionalRate('WORKER_TASK_QUEUE_ACTIVITIES_PER_SECOND'),
    shutdownGraceMs:
      wholeNumber('WORKER_SHUTDOWN_GRACE_SECONDS', DEFAULT_WORKER_TUNING.shutdownGraceMs / 1000, 0) * 1000,
    stickyQueueWaitMs:
      wholeNumber('WORKER_STICKY_WAIT_SECONDS', DEFAULT_WORKER_TUNING.stickyQueueWaitMs / 1000, 1) * 1000,
    // On by default only in production: several local workers (tests, npm start next to a test run) would fight over one port.
    metricsPort: wholeNumber('WORKER_METRICS_PORT', env === 'production' ? 9464 : 0, 0),
    workflowStackTraces: onOff('WORKER_WORKFLOW_STACK_TRACES', 'off'),
  };
}

export function loadConfig(): Config {
  const env = nodeEnv();
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error('DATABASE_URL is not set (npm start sets it for the embedded Postgres)');
  }
  return {
    nodeEnv: env,
    port: int('PORT', 3000),
    host: process.env.HOST ?? '127.0.0.1',
    publicUrl: process.env.PUBLIC_URL ?? `http://127.0.0.1:${int('PORT', 3000)}`,
    databaseUrl,
    dbPoolSize: int('DB_POOL_SIZE', 20),
    dbStatementTimeoutMs: int('DB_STATEMENT_TIMEOUT_MS', 15_000),
    temporal: {
      address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? 'vaccine-journey',
      apiKey: process.env.TEMPORAL_API_KEY || undefined,
      tlsCertPath: process.env.TEMPORAL_TLS_CERT || undefined,
      tlsKeyPath: process.env.TEMPORAL_TLS_KEY || undefined,
      tlsCaPath: process.env.TEMPORAL_TLS_CA || undefined,
      tlsServerName: process.env.TEMPORAL_TLS_SERVER_NAME || undefined,
      deployment: workerDeployment(),
    },
    dayMs: int('DAY_MS', 86_400_000),
    otpLifetimeMs: int('OTP_LIFETIME_SECONDS', 180) * 1000,
    journeyInactiveAfterDays: wholeNumber('JOURNEY_INACTIVE_AFTER_DAYS', DEFAULT_INACTIVE_AFTER_DAYS, 1),
    stallAfterMinutes: wholeNumber('STALL_AFTER_MINUTES', 30, 1),
    sessionSweep: onOff('SESSION_SWEEP', 'on'),
    dryRunStepsTaskQueue: dryRunStepsTaskQueue(process.env.TEMPORAL_TASK_QUEUE ?? 'vaccine-journey'),
    staffReminderHour: hourOfDay('STAFF_REMINDER_HOUR', 18),
    idHashSecret: secret('ID_HASH_SECRET'),
    tokenSecret: secret('TOKEN_SECRET'),
    certSigningKeys: process.env.CERT_SIGNING_KEYS || undefined,
    dataDir: process.env.TEEKA_DATA_DIR ?? new URL('../.data', import.meta.url).pathname,
    availabilityCacheMs: int('AVAILABILITY_CACHE_MS', 2_000),
    otpPerIpPerHour: int('OTP_PER_IP_PER_HOUR', 30),
    rateLimitsEnabled: rateLimitsEnabled(env),
    publicRateLimitPer5Min: int('RATE_LIMIT_PUBLIC_PER_5MIN', 100),
    redisUrl: redisUrl(),
    redisKeyPrefix: process.env.REDIS_KEY_PREFIX || 'teeka:',
    corsOrigins: corsOrigins(),
    trustProxy: trustProxy(),
    logLevel: process.env.LOG_LEVEL ?? (env === 'test' ? 'warn' : 'info'),
    worker: workerTuning(env),
  };
}

function dryRunStepsTaskQueue(taskQueue: string): string | undefined {
  const asked = process.env.DRY_RUN_STEPS_TASK_QUEUE?.trim();
  if (asked === 'off') return undefined;
  return asked || `${taskQueue}-dry-run-steps`;
}

/** A random secret for `npm start` to persist in .data/ so development tokens survive restarts. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}
