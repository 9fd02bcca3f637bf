/**
 * `npm start` from nothing: an empty data dir, no DATABASE_URL, no TEMPORAL_ADDRESS. It must bring up
 * embedded Postgres, the Temporal dev server, migrations, seed, worker and API, answer /ready, serve the
 * dashboard, and stop every child on SIGINT. A second start reuses the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../stack/layout.js';
import { freePort, isPortOpen } from '../../stack/ports.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'teeka-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function startPlatform(ports: Record<string, number>) {
  const env = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'TEMPORAL_ADDRESS',
    'NODE_ENV',
    'TEMPORAL_TASK_QUEUE',
    'VITEST',
    'VITEST_WORKER_ID',
    'VITEST_POOL_ID',
  ])
    delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'stack/start.ts'], {
    cwd: projectRoot,
    env: {
      ...env,
      TEEKA_DATA_DIR: dataDir,
      PORT: String(ports.api),
      TEEKA_PG_PORT: String(ports.pg),
      TEEKA_TEMPORAL_PORT: String(ports.temporal),
      TEEKA_TEMPORAL_UI_PORT: String(ports.ui),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const startedAt = Date.now();
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/\[teeka\] ready in/.test(output)) {
        clearInterval(timer);
        resolve();
      }
      if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`npm start exited early:\n${output}`));
      }
    }, 100);
  });
  return { child, output: () => output, seconds: (Date.now() - startedAt) / 1000 };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

describe('npm start on a fresh data directory', () => {
  it('brings the whole platform up, serves it, stops cleanly, and restarts on the same data', async () => {
    const ports = { api: await freePort(), pg: await freePort(), temporal: await freePort(), ui: await freePort() };

    const first = await startPlatform(ports);
    const ready = await fetch(`http://127.0.0.1:${ports.api}/ready`);
    expect(ready.status).toBe(200);
    // The public /ready says only ready or not; which dependency answers is on /metrics (hidden by the proxy).
    expect(await ready.json()).toEqual({ status: 'ready' });
    const metrics = await (await fetch(`http://127.0.0.1:${ports.api}/metrics`)).text();
    expect(metrics).toContain('teeka_dependency_up{dependency="postgres"} 1');
    expect(metrics).toContain('teeka_dependency_up{dependency="temporal"} 1');
    const page = await fetch(`http://127.0.0.1:${ports.api}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(first.output()).toMatch(/demo staff \(password /);
    expect(first.output()).toMatch(/demo data\s+\d+ new session days/);
    // Readable console; each child's raw output in its own file under the data dir.
    expect(first.output()).toContain(`logs       ${path.join(dataDir, 'logs')}`);
    expect(first.output()).not.toMatch(/modules by path|"level":\d/);
    expect(existsSync(path.join(dataDir, 'logs', 'worker.log'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'logs', 'api.log'))).toBe(true);
    expect(await stop(first.child)).toBe(0);
    for (const port of Object.values(ports)) expect(await isPortOpen(port)).toBe(false);

    const second = await startPlatform(ports);
    expect(second.output()).toMatch(/migrations up to date/);
    expect(second.output()).toMatch(/demo data\s+0 new session days/);
    expect((await fetch(`http://127.0.0.1:${ports.api}/ready`)).status).toBe(200);
    expect(await stop(second.child)).toBe(0);
    console.log(`npm start: first ${first.seconds.toFixed(1)} s, second ${second.seconds.toFixed(1)} s`);
  }, 240_000);
});
