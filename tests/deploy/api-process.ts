/** API processes for the scale-out tests: `api/server.ts` as its own process, as a deployment runs it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../stack/ports.js';
import { projectRoot } from '../../stack/layout.js';
import { TEST_SECRETS } from '../support/secrets.js';
import type { WorkerTarget } from '../support/processes.js';

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote to stdout (its JSON log). */
  output(): string;
}

/** Starts `api/server.ts` on a free loopback port; resolves once /ready answers 200 (Postgres and Temporal reached). */
export async function spawnApi(target: WorkerTarget, extraEnv: NodeJS.ProcessEnv = {}): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: target.databaseUrl,
      TEMPORAL_ADDRESS: target.temporalAddress,
      TEMPORAL_NAMESPACE: target.temporalNamespace,
      TEMPORAL_TASK_QUEUE: target.taskQueue,
      DB_POOL_SIZE: '5',
      ...TEST_SECRETS,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`api exited before it was ready (${signal ?? code})`))),
  );
  const ready = (async () => {
    // Generous: on a loaded 2-core machine a cold start (tsx compiling every module) takes tens of seconds.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const status = await fetch(`${url}/ready`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return;
      if (Date.now() > deadline) throw new Error(`${url}/ready did not answer 200 within 120 s; its log:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  try {
    await Promise.race([ready, exited]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, url, output: () => output };
}

/** Resolves with the exit code and signal once the process has exited. */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
