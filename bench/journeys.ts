/**
 * Journeys at scale: N journeys started (as registration starts them), every one reaching and firing its
 * first timer (the OTP expiry, compressed to a minute) and projecting EXPIRED into Postgres. Reports the start
 * rate, the time until all fired, worker CPU and memory and Temporal server memory; baseline: the start rate of
 * the trivial health-check workflow on the same server in the same run.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defaultJourneyPolicy } from '../domain/journey-schedule.js';
import { createPeople, startJourneys, temporalClient } from './lib/fixtures.js';
import { countError } from './lib/errors.js';
import { type BenchPlatform } from './lib/platform.js';
import { cpuSeconds, samplePeakRss } from './lib/process-stats.js';
import { round, runConcurrent, summarise, writeResult } from './lib/report.js';
import { runBenchmark } from './lib/run.js';

export async function benchJourneys(platform: BenchPlatform, count = Number(process.env.BENCH_JOURNEYS ?? 50_000)) {
  const { client, close } = await temporalClient(platform.temporalAddress);
  const worker = platform.processes.worker[0].pid!;
  const stopSampling = samplePeakRss({ worker, temporal: platform.processes.temporal?.pid ?? 0 });
  try {
    const baselineCount = Math.min(5_000, count);
    const baseline = await runConcurrent(
      'journeys: baseline no-op starts',
      Array.from({ length: baselineCount }, () => randomUUID()),
      64,
      async (probeId) => {
        await client.workflow.start('healthCheckWorkflow', {
          workflowId: `bench-noop-${probeId}`,
          taskQueue: platform.taskQueue,
          args: [{ probeId }],
        });
      },
    );

    const people = await createPeople(platform.db, count, '7', 'REGISTERED');
    const otpLifetimeMs = 60_000;
    const cpuBefore = cpuSeconds(worker);
    const started = await startJourneys(client, platform.taskQueue, people, {
      verified: false,
      policy: { ...defaultJourneyPolicy(86_400_000), otpLifetimeMs },
      concurrency: 64,
    });
    const startedAt = Date.now();
    // Every journey's first timer fires one OTP lifetime after its start and projects EXPIRED.
    let expired = 0;
    for (;;) {
      const row = await platform.db
        .selectFrom('beneficiary')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('stage', '=', 'EXPIRED')
        .where('name', 'like', 'Bench Person %')
        .executeTakeFirstOrThrow();
      expired = row.n;
      if (expired >= count || Date.now() - startedAt > 30 * 60_000) break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    if (expired < count) {
      countError(
        'journeys: timers',
        'journeys that had not fired their first timer when the watch ended',
        count - expired,
      );
    }
    const firedWithinSeconds = round((Date.now() - startedAt) / 1000 + started.seconds);
    const workerCpu = round(cpuSeconds(worker) - cpuBefore);
    const peak = stopSampling();
    const result = {
      command: 'npm run bench -- journeys',
      journeys: count,
      startsPerSecond: round(started.perSecond),
      startLatencyMs: summarise(started.latencies),
      startErrors: started.errors,
      baselineNoopStartsPerSecond: round(baseline.perSecond),
      startRateVsNoop: round(started.perSecond / baseline.perSecond, 2),
      reachedFirstTimer: expired,
      allFiredWithinSeconds: firedWithinSeconds,
      otpLifetimeSeconds: otpLifetimeMs / 1000,
      workerCpuSeconds: workerCpu,
      workerPeakRssMiB: peak.worker,
      temporalServerPeakRssMiB: peak.temporal,
    };
    writeResult('journeys', result);
    return result;
  } finally {
    stopSampling();
    await close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runBenchmark('journeys', benchJourneys);
