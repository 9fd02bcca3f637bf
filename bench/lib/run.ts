/**
 * Runs one benchmark on a fresh platform and stops it; with BENCH_CPU_PROF=1, summarises the API's and worker's
 * CPU profiles once they are written (at the processes' exit), over the windows the benchmark marked.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatProfile, summariseProfiles, takeProfileWindows } from './cpu-profile.js';
import { countError, errorKind, reportErrors } from './errors.js';
import { startBenchPlatform, type BenchPlatform } from './platform.js';

export async function onPlatform(name: string, run: (platform: BenchPlatform) => Promise<unknown>): Promise<void> {
  const platform = await startBenchPlatform({ name });
  console.log(`${name}: Temporal ${platform.temporalKind}`);
  takeProfileWindows();
  try {
    await run(platform);
  } catch (error) {
    countError(name, errorKind(error), 1, (error as Error)?.stack);
  } finally {
    await platform.stop();
  }
  const windows = takeProfileWindows();
  if (platform.profileDir) {
    const summaries = summariseProfiles(platform.profileDir, windows);
    if (!summaries.length)
      countError(`${name}: cpu profile`, 'no .cpuprofile written (did a process not exit cleanly?)');
    for (const summary of summaries) console.log(`\n${formatProfile(summary)}`);
    writeFileSync(path.join(platform.profileDir, 'summary.json'), JSON.stringify(summaries, null, 2));
  }
}

/** The entry point of `tsx bench/<name>.ts`: one benchmark, its errors printed, non-zero exit on any. */
export async function runBenchmark(name: string, run: (platform: BenchPlatform) => Promise<unknown>): Promise<void> {
  await onPlatform(name, run);
  reportErrors();
}
