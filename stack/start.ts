/**
 * `npm start`: the whole platform on embedded defaults.
 *   Postgres (DATABASE_URL or embedded) -> Temporal (TEMPORAL_ADDRESS or dev server) -> migrations -> seed
 *   -> dashboard build -> worker + API as child processes. Ctrl-C stops everything, children first.
 * `npm run cluster` (`--cluster`): the production topology instead — a Temporal cluster on the same Postgres
 *   (frontend, history, matching and internal worker as separate processes; stack/temporal-cluster.ts) and two
 *   worker and two API processes (ports PORT and PORT+1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { developmentDefaultsRefusal } from '../config/env.js';
import { createDb } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { DEMO_PASSWORD, DEMO_STAFF, seedDemoData, seedReferenceData } from '../db/seed.js';
import { attachConsole } from './console.js';
import { ensureDashboardBuilt } from './dashboard-build.js';
import { dataDir, developmentSecrets, projectRoot } from './layout.js';
import { ensurePostgres } from './postgres.js';
import { waitForPort } from './ports.js';
import { ensureTemporal, stopChild } from './temporal.js';
import { resolveServerBinaries, startTemporalCluster } from './temporal-cluster.js';

const started = Date.now();
const say = (line: string) => console.log(`[teeka] ${line}`);
const quiet = process.env.TEEKA_VERBOSE ? (line: string) => console.log(line) : () => {};

const dir = dataDir();
/** Raw output of every child process and build, one file each. */
const logDir = path.join(dir, 'logs');
const port = Number(process.env.PORT ?? 3000);
const clusterMode = process.argv.includes('--cluster');
const apiPorts = clusterMode ? [port, port + 1] : [port];
const workers = clusterMode ? 2 : 1;
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping');
    await Promise.all(children.map((child) => stopChild(child)));
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function run(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  attachConsole(child, {
    name,
    logDir,
    verbose: Boolean(process.env.TEEKA_VERBOSE),
    requests: ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? ''),
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping the platform`);
      void stopAll(1);
    }
  });
  children.push(child);
  return child;
}

async function waitUntilReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not become ready in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The Temporal cluster of `npm run cluster`, on Teeka's Postgres server (its own two databases). */
async function startCluster(postgresUrl: string) {
  if (process.env.TEMPORAL_ADDRESS) throw new Error('npm run cluster starts its own Temporal: unset TEMPORAL_ADDRESS');
  const binaries = await resolveServerBinaries(say, path.join(logDir, 'temporal-server-build.log'));
  say(`temporal   starting the cluster (frontend, history, matching, worker; logs in ${logDir})`);
  const cluster = await startTemporalCluster({
    postgresUrl,
    frontendPort: Number(process.env.TEEKA_TEMPORAL_PORT ?? 7233),
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    binaries,
    logDir,
  });
  return { address: cluster.address, namespace: cluster.namespace, uiUrl: undefined, stop: () => cluster.stop() };
}

// A live deployment (production, real SMS, a public HOST) gets no demo staff, derived secrets or dev outbox.
const liveRefusal = developmentDefaultsRefusal();
if (liveRefusal) say(`development defaults off: ${liveRefusal} (no demo data; secrets come from the environment)`);

try {
  const postgres = await ensurePostgres({
    dataDir: dir,
    port: Number(process.env.TEEKA_PG_PORT ?? 54329),
    database: 'teeka',
    log: quiet,
  });
  cleanups.push(() => postgres.stop());
  say(`postgres   ${postgres.embedded ? `embedded, data in ${path.join(dir, 'postgres')}` : 'DATABASE_URL'}`);

  const temporal = clusterMode
    ? await startCluster(postgres.url)
    : await ensureTemporal({
        port: Number(process.env.TEEKA_TEMPORAL_PORT ?? 7233),
        uiPort: Number(process.env.TEEKA_TEMPORAL_UI_PORT ?? 8233),
        dbFile: path.join(dir, 'temporal.sqlite'),
        log: (line) => (line.includes('error') ? console.error(line) : quiet(line)),
        say,
      });
  cleanups.push(() => temporal.stop());
  say(
    `temporal   ${temporal.address} (namespace ${temporal.namespace})${temporal.uiUrl ? `, web UI ${temporal.uiUrl}` : ''}`,
  );

  const { db } = createDb({ connectionString: postgres.url, applicationName: 'teeka-start' });
  try {
    const applied = await migrateToLatest(db);
    say(`migrations ${applied.length ? `${applied.length} applied` : 'up to date'}`);
    await seedReferenceData(db);
    if (!liveRefusal) {
      const { sessionDaysCreated } = await seedDemoData(db);
      say(`demo data  ${sessionDaysCreated} new session days`);
    }
  } finally {
    await db.destroy();
  }

  ensureDashboardBuilt(say);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(liveRefusal ? {} : developmentSecrets(dir)),
    DATABASE_URL: postgres.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    PORT: String(port),
  };
  for (let i = 1; i <= workers; i++) run(workers > 1 ? `worker ${i}` : 'worker', 'workflows/worker.ts', env);
  apiPorts.forEach((apiPort, i) =>
    run(apiPorts.length > 1 ? `api ${i + 1}` : 'api', 'api/server.ts', { ...env, PORT: String(apiPort) }),
  );
  for (const apiPort of apiPorts) {
    await waitForPort(apiPort, '127.0.0.1', 60_000);
    await waitUntilReady(`http://127.0.0.1:${apiPort}/ready`, 60_000);
  }

  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  say(`dashboard  http://127.0.0.1:${port}/`);
  say(`api        http://127.0.0.1:${port}/api  (docs at /api/docs)`);
  if (clusterMode) say(`api 2      http://127.0.0.1:${port + 1}/api; ${workers} worker processes`);
  if (!liveRefusal) {
    say(
      `demo staff (password ${DEMO_PASSWORD}): ${DEMO_STAFF.map((s) => `${s.username} [${s.role.toLowerCase()}]`).join(', ')}`,
    );
    say(`dev SMS outbox: http://127.0.0.1:${port}/api/v1/dev/sms?mobile=<10 digits>`);
  }
  say(`logs       ${logDir} (one file per process; TEEKA_VERBOSE=1 shows everything here)`);
  say('Ctrl-C stops everything');
} catch (error) {
  console.error(`[teeka] could not start: ${(error as Error).message}`);
  if ((error as Error).cause) console.error(`[teeka] cause: ${String((error as Error).cause)}`);
  await stopAll(1);
}
