/**
 * `npm start`: the whole platform on embedded defaults.
 *   Postgres (DATABASE_URL or embedded) -> Temporal (TEMPORAL_ADDRESS or dev server) -> migrations -> seed
 *   -> dashboard build -> worker + API as child processes. Ctrl-C stops everything, children first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { developmentDefaultsRefusal } from '../config/env.js';
import { createDb } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { DEMO_PASSWORD, DEMO_STAFF, seedDemoData, seedReferenceData } from '../db/seed.js';
import { ensureDashboardBuilt } from './dashboard-build.js';
import { dataDir, developmentSecrets, projectRoot } from './layout.js';
import { ensurePostgres } from './postgres.js';
import { waitForPort } from './ports.js';
import { ensureTemporal, stopChild } from './temporal.js';

const started = Date.now();
const say = (line: string) => console.log(`[teeka] ${line}`);
const quiet = process.env.TEEKA_VERBOSE ? (line: string) => console.log(line) : () => {};

const dir = dataDir();
const port = Number(process.env.PORT ?? 3000);
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
    stdio: ['ignore', 'inherit', 'inherit'],
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

  const temporal = await ensureTemporal({
    port: Number(process.env.TEEKA_TEMPORAL_PORT ?? 7233),
    uiPort: Number(process.env.TEEKA_TEMPORAL_UI_PORT ?? 8233),
    dbFile: path.join(dir, 'temporal.sqlite'),
    log: (line) => (line.includes('error') ? console.error(line) : quiet(line)),
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
  run('worker', 'workflows/worker.ts', env);
  run('api', 'api/server.ts', env);
  await waitForPort(port, '127.0.0.1', 60_000);
  await waitUntilReady(`http://127.0.0.1:${port}/ready`, 60_000);

  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  say(`dashboard  http://127.0.0.1:${port}/`);
  say(`api        http://127.0.0.1:${port}/api  (docs at /api/docs)`);
  if (!liveRefusal) {
    say(
      `demo staff (password ${DEMO_PASSWORD}): ${DEMO_STAFF.map((s) => `${s.username} [${s.role.toLowerCase()}]`).join(', ')}`,
    );
    say(`dev SMS outbox: http://127.0.0.1:${port}/api/v1/dev/sms?mobile=<10 digits>`);
  }
  say('Ctrl-C stops everything');
} catch (error) {
  console.error(`[teeka] could not start: ${(error as Error).message}`);
  if ((error as Error).cause) console.error(`[teeka] cause: ${String((error as Error).cause)}`);
  await stopAll(1);
}
