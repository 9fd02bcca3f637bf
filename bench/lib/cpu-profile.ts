/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, .cpuprofile JSON: nodes, samples, timeDeltas): self time by
 * function and by package (a node_modules package, a Teeka folder, node's internals, or V8's own entries such as
 * (garbage collector) and (idle)). Each sample's time is the gap to the next sample, as Chrome's profiler counts it.
 *
 * A profile covers its process's whole life (start-up, fixtures, baselines, idle waits); benchmarks mark the
 * windows that matter (the load) with profileWindow, and only samples inside a window are counted. V8's profile
 * timestamps and process.hrtime are both the machine's monotonic clock, in every process.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../stack/layout.js';
import { round } from './report.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function location(url: string): string {
  if (!url) return '';
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  return file.startsWith(projectRoot) ? path.relative(projectRoot, file) : file;
}

function packageOf(frame: ProfileNode['callFrame']): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  // Temporal's worker runs the workflows from a webpack bundle in a vm context: our workflows and its workflow library.
  if (url.startsWith('workflow-bundle-')) return 'workflow bundle (workflows/ + @temporalio/workflow)';
  if (url.startsWith('evalmachine.')) return '(vm context glue)';
  if (url.startsWith('wasm:')) return '(wasm)';
  const file = location(url);
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [first, second] = file.slice(modules + 'node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.startsWith('file://') && !path.isAbsolute(file)) return `teeka:${file.split('/')[0]}`;
  return file;
}

export interface ProfileWindow {
  label: string;
  startUs: number;
  endUs: number;
}

const windows: ProfileWindow[] = [];
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Marks a window of the run (e.g. "doses: load") for the profile summary; call the returned function at its end. */
export function profileWindow(label: string): () => void {
  const startUs = nowUs();
  return () => void windows.push({ label, startUs, endUs: nowUs() });
}

/** The windows marked since the last call, which clears them. */
export function takeProfileWindows(): ProfileWindow[] {
  return windows.splice(0);
}

export interface ProfileSummary {
  file: string;
  /** "api-0, main thread": the process folder and the thread id in the file's name. */
  process: string;
  window: string;
  totalMs: number;
  busyMs: number;
  idlePercent: number;
  byFunction: Array<{ selfMs: number; percent: number; name: string }>;
  byPackage: Array<{ selfMs: number; percent: number; name: string }>;
}

export function summariseProfile(file: string, window?: ProfileWindow, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    if (window && (at < window.startUs || at > window.endUs)) continue;
    const us = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : profile.endTime - at;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + Math.max(0, us));
  }
  const fns = new Map<string, number>();
  const packages = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    const where = location(frame.url);
    const name = `${frame.functionName || '(anonymous)'}${where ? ` ${where}:${frame.lineNumber + 1}` : ''}`;
    fns.set(name, (fns.get(name) ?? 0) + us);
    const pkg = packageOf(frame);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    total += us;
  }
  const idle = packages.get('(idle)') ?? 0;
  const busy = total - idle;
  // Percentages are of the busy time: where the CPU went, not how long the thread waited.
  const rank = (m: Map<string, number>) =>
    [...m]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ selfMs: round(us / 1000), percent: round((100 * us) / Math.max(1, busy)), name }));
  const thread = /\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(path.basename(file));
  const tid = thread ? Number(thread[2]) : NaN;
  return {
    file: path.relative(projectRoot, file),
    process: `${path.basename(path.dirname(file))}, ${tid === 0 ? 'main thread' : `thread ${tid}`}`,
    window: window?.label ?? 'whole life',
    totalMs: round(total / 1000),
    busyMs: round(busy / 1000),
    idlePercent: round((100 * idle) / Math.max(1, total)),
    byFunction: rank(fns),
    byPackage: rank(packages),
  };
}

/**
 * Every .cpuprofile under `dir`, summarised per window (or over its whole life when there are none); threads
 * that were busy less than 50 ms in a window (the module loader's, mostly) are left out.
 */
export function summariseProfiles(dir: string, windows: ProfileWindow[] = [], top = 20): ProfileSummary[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const full = path.join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.cpuprofile')) files.push(full);
    }
  };
  walk(dir);
  const summaries: ProfileSummary[] = [];
  for (const window of windows.length ? windows : [undefined]) {
    for (const file of files.sort()) {
      const summary = summariseProfile(file, window, top);
      if (summary.busyMs >= 50) summaries.push(summary);
    }
  }
  return summaries;
}

export function formatProfile(summary: ProfileSummary): string {
  const rows = (list: ProfileSummary['byFunction']) =>
    list.map((e) => `  ${e.selfMs.toFixed(0).padStart(9)} ms ${e.percent.toFixed(1).padStart(5)} %  ${e.name}`);
  return [
    `CPU profile of ${summary.process} during ${summary.window}: ${round(summary.totalMs / 1000, 1)} s sampled, ` +
      `${summary.idlePercent} % idle, ${round(summary.busyMs / 1000, 1)} s busy (${summary.file})`,
    ' self time by function (% of busy time):',
    ...rows(summary.byFunction),
    ' self time by package:',
    ...rows(summary.byPackage),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `npx tsx bench/lib/cpu-profile.ts <dir or file>...`: summarise profiles already written.
  for (const target of process.argv.slice(2)) {
    const summaries = statSync(target).isDirectory() ? summariseProfiles(target) : [summariseProfile(target)];
    for (const s of summaries) console.log(`${formatProfile(s)}\n`);
  }
}
