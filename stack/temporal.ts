/**
 * Temporal for local runs and tests: TEMPORAL_ADDRESS when given, otherwise the Temporal
 * dev server (`temporal server start-dev`) as a child process.
 *
 * The binary is found as TEMPORAL_CLI_PATH, then `temporal` on PATH, then a copy built once
 * with `go install` into a per-user cache keyed by version, which every checkout on the
 * machine shares (a fresh clone does not rebuild it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { goInstall, hasGo } from './go-build.js';
import { dataDir } from './layout.js';
import { waitForPort } from './ports.js';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

export function temporalCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'teeka', 'temporal-cli', TEMPORAL_CLI_VERSION);
}

function onPath(command: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const found = result.stdout.trim();
  return result.status === 0 && found ? found : undefined;
}

/**
 * Finds (or builds once) the Temporal CLI binary; throws with instructions when it cannot. `say` gets the build's
 * progress, and its raw output goes to `buildLog`.
 */
export async function resolveTemporalBinary(
  say: (line: string) => void = () => {},
  buildLog = path.join(dataDir(), 'logs', 'temporal-cli-build.log'),
): Promise<string> {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`TEMPORAL_CLI_PATH points to ${configured}, which does not exist`);
    return configured;
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;

  const cacheDir = temporalCacheDir();
  const cached = path.join(cacheDir, 'temporal');
  if (existsSync(cached)) return cached;

  if (!hasGo()) {
    throw new Error(
      'The Temporal CLI was not found. Either set TEMPORAL_ADDRESS to a running Temporal server, ' +
        'set TEMPORAL_CLI_PATH to a temporal binary, put `temporal` on PATH, or install Go and run:\n' +
        `  GOBIN=${cacheDir} go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`,
    );
  }
  await goInstall({
    what: `the Temporal CLI ${TEMPORAL_CLI_VERSION} (it runs Temporal's dev server)`,
    packages: [`${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`],
    gobin: cacheDir,
    logFile: buildLog,
    say,
  });
  if (!existsSync(cached)) throw new Error(`the build finished but ${cached} is missing; see ${buildLog}`);
  return cached;
}

export interface TemporalHandle {
  address: string;
  namespace: string;
  uiUrl?: string;
  child?: ChildProcess;
  stop(): Promise<void>;
}

export interface TemporalOptions {
  port: number;
  uiPort: number;
  /** SQLite file for the dev server; omitted = in memory (tests). */
  dbFile?: string;
  log?: (line: string) => void;
  /** Lines for a person watching (a first start's build of the CLI); default: `log`. */
  say?: (line: string) => void;
}

/** Features we rely on that the dev server keeps behind dynamic config on some versions. */
const DEV_SERVER_DYNAMIC_CONFIG = [
  'frontend.enableUpdateWorkflowExecution=true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
  'frontend.enableExecuteMultiOperation=true',
  // The dev server reads search attributes from its database on every use unless told not to; we define none.
  'system.forceSearchAttributesCacheRefreshOnRead=false',
];

export async function ensureTemporal(options: TemporalOptions): Promise<TemporalHandle> {
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  if (process.env.TEMPORAL_ADDRESS) {
    return { address: process.env.TEMPORAL_ADDRESS, namespace, stop: async () => {} };
  }
  const binary = await resolveTemporalBinary(options.say ?? options.log);
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    ...DEV_SERVER_DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value]),
  ];
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (chunk: Buffer) => options.log?.(chunk.toString().trimEnd());
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`the Temporal dev server exited early (code ${code}); is port ${options.port} taken?`)),
    ),
  );
  const address = `127.0.0.1:${options.port}`;
  await Promise.race([waitForTemporal(address, namespace), exited]);
  exited.catch(() => {}); // exits after a stop() are expected
  return {
    address,
    namespace,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    child,
    stop: () => stopChild(child),
  };
}

/** Waits until the frontend answers and the namespace is registered. */
export async function waitForTemporal(address: string, namespace: string, timeoutMs = 60_000): Promise<void> {
  const [host, port] = address.split(':');
  await waitForPort(Number(port), host, timeoutMs);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Temporal at ${address} did not become ready`, { cause: error });
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}
