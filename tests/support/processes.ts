/** Worker processes for tests that need to kill and restart one. */
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../../stack/layout.js';
import { TEST_SECRETS } from './secrets.js';

export interface WorkerTarget {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
}

/** Starts `workflows/worker.ts` as its own process on the given task queue; resolves once it polls. */
export async function spawnWorker(target: WorkerTarget, extraEnv: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workflows/worker.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: target.databaseUrl,
      TEMPORAL_ADDRESS: target.temporalAddress,
      TEMPORAL_NAMESPACE: target.temporalNamespace,
      TEMPORAL_TASK_QUEUE: target.taskQueue,
      DB_POOL_SIZE: '5',
      // Sweeps would start every test's session days onto this private task queue.
      SESSION_SWEEP: 'off',
      ...TEST_SECRETS,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('polling task queue')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited before polling (code ${code})`)));
  });
  child.stdout!.resume();
  return child;
}

export async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}
