/**
 * Journeys at scale: a national day sends millions of reminders, each a timer step of a journey (a workflow task and
 * its activity). N journeys are started as registration starts them, all with their first timer (the OTP expiry) at
 * one instant after the starts, when the platform is at rest; then every one fires and projects EXPIRED into
 * Postgres. Reports the timer steps per second from that instant until the last has fired (and per whole second),
 * the CPU each process spent per step, Postgres's statements per step, and fails unless every journey fired.
 *
 * Baseline, on the idle platform before the journeys: starts of the trivial health-check workflow, beside the
 * journeys' own start rate.
 *
 * BENCH_JOURNEYS (50,000); BENCH_JOURNEYS_WATCH_S (1,800): how long to wait for the last timer;
 * BENCH_JOURNEYS_START_S: seconds allowed for the starts before the timers fall due (default: from the baseline's
 * rate, with room to settle).
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { defaultJourneyPolicy } from '../domain/journey-schedule.js';
import { cpuMsPer, cpuSampler, formatCpu, waitForIdle } from './lib/cpu.js';
import { profileWindow } from './lib/cpu-profile.js';
import { countError } from './lib/errors.js';
import { createPeople, startJourneys, temporalClient } from './lib/fixtures.js';
import { enableStatementStats, formatStatements, resetStatementStats, statementStats } from './lib/pg-stats.js';
import { platformGroups, settle, type BenchPlatform } from './lib/platform.js';
import { samplePeakRss } from './lib/process-stats.js';
import { percentile, round, runConcurrent, summarise, writeResult } from './lib/report.js';
import { runBenchmark } from './lib/run.js';

const WATCH_S = Number(process.env.BENCH_JOURNEYS_WATCH_S ?? 1_800);
const NOOP_STARTS = 5_000;

async function expiredCount(platform: BenchPlatform): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from beneficiary where stage = 'EXPIRED' and name like 'Bench Person %'`.execute(
    platform.db,
  );
  return rows[0].n;
}

export async function benchJourneys(platform: BenchPlatform, count = Number(process.env.BENCH_JOURNEYS ?? 50_000)) {
  const { client, close } = await temporalClient(platform.temporalAddress);
  const stopSampling = samplePeakRss({
    worker: platform.processes.worker[0].pid!,
    temporal: platform.processes.temporal?.pid ?? 0,
  });
  try {
    const people = await createPeople(platform.db, count, '7', 'REGISTERED');
    const statements = await enableStatementStats(platform.db);

    // Baseline, on the idle platform: no-op workflow starts.
    const idleBeforeBaseline = await settle(platform);
    const baseline = await runConcurrent(
      'journeys: baseline no-op starts',
      Array.from({ length: Math.min(NOOP_STARTS, count) }, () => randomUUID()),
      64,
      async (probeId) => {
        await client.workflow.start('healthCheckWorkflow', {
          workflowId: `bench-noop-${probeId}`,
          taskQueue: platform.taskQueue,
          args: [{ probeId }],
        });
      },
    );
    const idleBeforeStarts = await waitForIdle(platformGroups(platform));

    // The starts, each journey's OTP expiring at one instant after them: the timers then fire as one backlog. The
    // default room is about three times the starts' own time: the worker takes each journey's first task behind them.
    const startSeconds = Number(
      process.env.BENCH_JOURNEYS_START_S ?? Math.ceil(count / (0.3 * baseline.perSecond) + 120),
    );
    const otpExpiresAtMs = Date.now() + startSeconds * 1000;
    const startCpu = cpuSampler(platform.pids());
    const started = await startJourneys(client, platform.taskQueue, people, {
      verified: false,
      policy: defaultJourneyPolicy(86_400_000),
      concurrency: 64,
      otpExpiresAtMs,
    });
    const startCpuReport = startCpu.stop();
    const idleBeforeTimers = await settle(platform, { runningJourneys: count });
    if (Date.now() > otpExpiresAtMs || (await expiredCount(platform)) > 0) {
      countError(
        'journeys: timers',
        `the starts and the settle took past the timers' instant (${startSeconds} s); raise BENCH_JOURNEYS_START_S`,
      );
    }

    // The timers: from their instant until the last has fired.
    await new Promise((r) => setTimeout(r, Math.max(0, otpExpiresAtMs - Date.now())));
    if (statements) await resetStatementStats(platform.db);
    const timerCpu = cpuSampler(platform.pids());
    const endProfileWindow = profileWindow('the timer steps');
    const perSecond: number[] = [];
    let fired = 0;
    let lastFiredAtMs = otpExpiresAtMs;
    for (let second = 1; fired < count && second <= WATCH_S; second++) {
      await new Promise((r) => setTimeout(r, Math.max(0, otpExpiresAtMs + second * 1000 - Date.now())));
      const now = await expiredCount(platform);
      perSecond.push(now - fired);
      if (now > fired) lastFiredAtMs = Date.now();
      fired = now;
    }
    const timerCpuReport = timerCpu.stop();
    endProfileWindow();
    const timerStatements = statements ? await statementStats(platform.db, fired) : undefined;
    if (fired < count) {
      countError(
        'journeys: timers',
        'journeys that had not fired their first timer when the watch ended',
        count - fired,
      );
    }
    const firingSeconds = (lastFiredAtMs - otpExpiresAtMs) / 1000;
    const whole = [...perSecond.slice(0, Math.max(1, Math.floor(firingSeconds)))].sort((a, b) => a - b);
    const peak = stopSampling();
    const result = {
      command: `BENCH_JOURNEYS=${count} npm run bench -- journeys`,
      journeys: count,
      baseline: {
        idleBefore: idleBeforeBaseline,
        noopStarts: baseline.ok,
        noopStartsPerSecond: round(baseline.perSecond),
      },
      starts: {
        idleBefore: idleBeforeStarts,
        perSecond: round(started.perSecond),
        latencyMs: summarise(started.latencies),
        ratioToNoopStarts: round(started.perSecond / baseline.perSecond, 2),
        cpu: { ...startCpuReport, cpuMsPerStart: cpuMsPer(startCpuReport, count) },
      },
      timers: {
        idleBefore: idleBeforeTimers,
        fired,
        allFiredAfterSeconds: round(firingSeconds),
        stepsPerSecond: round(fired / Math.max(firingSeconds, 1)),
        perSecondOverTime: {
          seconds: whole.length,
          min: whole[0],
          p10: percentile(whole, 10),
          p50: percentile(whole, 50),
          max: whole.at(-1),
        },
        cpu: { ...timerCpuReport, cpuMsPerStep: cpuMsPer(timerCpuReport, fired) },
        ...(timerStatements ? { statements: timerStatements } : {}),
      },
      workerPeakRssMiB: peak.worker,
      temporalServerPeakRssMiB: peak.temporal,
    };
    writeResult('journeys', result);
    console.log(
      [
        `journeys: ${count} started at ${result.starts.perSecond}/s (no-op workflow starts on the idle platform: ` +
          `${result.baseline.noopStartsPerSecond}/s, ratio ${result.starts.ratioToNoopStarts})`,
        `timer steps: ${fired} of ${count} fired in ${result.timers.allFiredAfterSeconds} s = ` +
          `${result.timers.stepsPerSecond}/s (per second: min ${whole[0]}, p10 ${result.timers.perSecondOverTime.p10}, ` +
          `median ${result.timers.perSecondOverTime.p50}, max ${whole.at(-1)})`,
        formatCpu('the starts', startCpuReport, count, 'start'),
        formatCpu('the timer steps', timerCpuReport, fired, 'step'),
        ...(timerStatements ? [formatStatements('the timer steps', timerStatements, 'step')] : []),
        `peak RSS: worker ${peak.worker} MiB, Temporal ${peak.temporal} MiB`,
      ].join('\n'),
    );
    return result;
  } finally {
    stopSampling();
    await close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runBenchmark('journeys', benchJourneys);
