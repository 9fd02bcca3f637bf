/** Figures, percentiles and where they are written (bench/results/<name>.json, summarised in BENCHMARKS.md). */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../stack/layout.js';
import { countError, errorKind } from './errors.js';

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function summarise(latenciesMs: number[]) {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: round(os.totalmem() / 2 ** 30),
    node: process.version,
    at: new Date().toISOString(),
  };
}

export function writeResult(name: string, result: Record<string, unknown>): void {
  const dir = path.join(projectRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const full = { benchmark: name, machine: machine(), ...result };
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(full, null, 2));
  console.log(`\n== ${name} ==\n${JSON.stringify(result, null, 2)}`);
}

/**
 * Runs `task` with `concurrency` workers over `items`, recording each successful call's latency. A call that
 * throws is counted by kind under `phase` (see errors.ts), never swallowed: the run then fails.
 */
export async function runConcurrent<T>(
  phase: string,
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
) {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const t0 = performance.now();
        try {
          await task(item);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          countError(phase, errorKind(error), 1, (error as Error)?.message);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { seconds, ok: latencies.length, perSecond: latencies.length / seconds, latencies, errors };
}

/** Like runConcurrent, for a fixed time: `concurrency` workers call `task` with a running number until `seconds` pass. */
export async function runForSeconds(
  phase: string,
  seconds: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
) {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const i = next++;
        const t0 = performance.now();
        try {
          await task(i);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          countError(phase, errorKind(error), 1, (error as Error)?.message);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { seconds: elapsed, ok: latencies.length, perSecond: latencies.length / elapsed, latencies, errors };
}
