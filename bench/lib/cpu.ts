/**
 * CPU by process during a run, from /proc (Linux): each group is a root process with its live descendants and
 * the children it has reaped (utime + stime + cutime + cstime), so Postgres counts the postmaster and every
 * backend, even one that ended mid-run. A descendant that is itself the root of another group belongs to that
 * group (the bench process starts the API, the worker and Postgres; only what is left is the load generator).
 * The machine's busy cores are sampled too: what none of our groups used was used by someone else on the box.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { round } from './report.js';

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * Cores the application's processes may use and still count as idle. Under BENCH_CPU_PROF=1 V8's sampling
 * profiler keeps every profiled thread a little busy (the API and worker read ~0.1–0.25 cores at rest), so a
 * profiled run allows more and its baselines are not for the results table.
 */
const PROFILING = process.env.BENCH_CPU_PROF === '1';
export const IDLE_CORES = PROFILING ? 0.5 : 0.15;

interface Stat {
  ppid: number;
  ticks: number;
}

function readStats(): Map<number, Stat> {
  const stats = new Map<number, Stat>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      // The command name may hold spaces and parentheses; the fields start after the last ')'.
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // f[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
      stats.set(pid, { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // the process ended while we looked
    }
  }
  return stats;
}

function machineBusyTicks(): number {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = f.map(Number);
  return user + nice + system + irq + softirq + steal;
}

/** Ticks of each group: its root and the root's descendants that are not roots of other groups. */
function groupTicks(stats: Map<number, Stat>, roots: Record<string, number>): Record<string, number> {
  const rootOf = new Map(Object.entries(roots).map(([name, pid]) => [pid, name]));
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  const ticks: Record<string, number> = {};
  for (const [name, root] of Object.entries(roots)) {
    let sum = 0;
    const stack = [root];
    while (stack.length) {
      const pid = stack.pop()!;
      if (pid !== root && rootOf.has(pid)) continue;
      sum += stats.get(pid)?.ticks ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    ticks[name] = sum;
  }
  return ticks;
}

export interface CpuReport {
  seconds: number;
  /** Cores used on average over the window, per group, and by the whole machine. */
  cores: Record<string, number>;
  cpuSeconds: Record<string, number>;
  machineBusyCores: number;
  /** Busy cores none of our groups account for: other work on the same machine. */
  otherCores: number;
}

/** Starts measuring the given process groups (name → root pid; missing pids are left out). */
export function cpuSampler(groups: Record<string, number | undefined>) {
  const roots = Object.fromEntries(Object.entries(groups).filter(([, pid]) => pid)) as Record<string, number>;
  const t0 = performance.now();
  const before = groupTicks(readStats(), roots);
  const machineBefore = machineBusyTicks();
  return {
    stop(): CpuReport {
      const seconds = (performance.now() - t0) / 1000;
      const after = groupTicks(readStats(), roots);
      const cpuSeconds: Record<string, number> = {};
      const cores: Record<string, number> = {};
      let ours = 0;
      for (const name of Object.keys(roots)) {
        // A group whose processes all ended reads 0; never report negative use.
        const s = Math.max(0, after[name] - before[name]) / TICKS_PER_SECOND;
        ours += s;
        cpuSeconds[name] = round(s, 2);
        cores[name] = round(s / seconds, 2);
      }
      const machine = (machineBusyTicks() - machineBefore) / TICKS_PER_SECOND;
      return {
        seconds: round(seconds, 1),
        cores,
        cpuSeconds,
        machineBusyCores: round(machine / seconds, 2),
        otherCores: round(Math.max(0, machine - ours) / seconds, 2),
      };
    },
  };
}

/** CPU milliseconds each group spent per successful operation. */
export function cpuMsPer(report: CpuReport, operations: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(report.cpuSeconds).map(([name, s]) => [name, operations ? round((s * 1000) / operations, 2) : NaN]),
  );
}

/** One line per group, busiest first: "api 0.85 cores (12.3 CPU-ms/op)". */
export function formatCpu(label: string, report: CpuReport, operations?: number, unit = 'op'): string {
  const per = operations !== undefined ? cpuMsPer(report, operations) : undefined;
  const lines = Object.entries(report.cores)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([name, cores]) =>
        `  ${name.padEnd(16)} ${cores.toFixed(2)} cores${per ? `  ${per[name].toFixed(2)} CPU-ms/${unit}` : ''}`,
    );
  return [
    `CPU during ${label} (${report.seconds} s; machine busy ${report.machineBusyCores} cores, of which ${report.otherCores} outside this run):`,
    ...lines,
  ].join('\n');
}

/**
 * Waits until the platform is idle: the given groups together under `maxCores` over a 3-second window (the
 * worker finishing the journeys just started, autovacuum, the server's own timers). Returns how long it waited
 * and whether it got there; baselines are measured only on an idle platform.
 */
export async function waitForIdle(
  groups: Record<string, number | undefined>,
  options: { maxCores?: number; timeoutMs?: number } = {},
): Promise<{ idle: boolean; waitedSeconds: number; lastCores: number; byProcess: Record<string, number> }> {
  const maxCores = options.maxCores ?? IDLE_CORES;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const t0 = Date.now();
  for (;;) {
    const sampler = cpuSampler(groups);
    await new Promise((r) => setTimeout(r, 3_000));
    const report = sampler.stop();
    const cores = round(
      Object.values(report.cores).reduce((a, b) => a + b, 0),
      2,
    );
    if (cores <= maxCores || Date.now() > deadline) {
      const idle = cores <= maxCores;
      if (!idle) {
        console.warn(`WARNING: the platform did not come to rest: ${cores} cores (${JSON.stringify(report.cores)})`);
      }
      return { idle, waitedSeconds: round((Date.now() - t0) / 1000, 1), lastCores: cores, byProcess: report.cores };
    }
  }
}

/**
 * The application's processes (API, worker, Temporal) during a baseline, which must find them idle; a warning
 * is printed when they were not, because the baseline then understates the machine.
 */
export function applicationCoresDuring(label: string, report: CpuReport): number {
  const cores = round(
    Object.entries(report.cores)
      .filter(([name]) => !['postgres', 'load-generator'].includes(name) && !name.endsWith('-server'))
      .reduce((a, [, c]) => a + c, 0),
    2,
  );
  if (cores > IDLE_CORES) console.warn(`WARNING: the platform used ${cores} cores during ${label}; it was not idle`);
  else if (PROFILING && cores > 0.15)
    console.warn(`note: ${cores} cores of API/worker during ${label} (the profiler's own sampling)`);
  return cores;
}
