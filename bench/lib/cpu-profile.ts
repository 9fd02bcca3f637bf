/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, .cpuprofile JSON: nodes, samples, timeDeltas): self time by
 * function and by package (a node_modules package, a Teeka folder, node's internals, or V8's own entries such as
 * (garbage collector) and (idle)). Each sample's time is the gap to the next sample, as Chrome's profiler counts it.
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
  const file = location(url);
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [first, second] = file.slice(modules + 'node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (!path.isAbsolute(file)) return `teeka:${file.split('/')[0]}`;
  return file;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idlePercent: number;
  byFunction: Array<{ selfMs: number; percent: number; name: string }>;
  byPackage: Array<{ selfMs: number; percent: number; name: string }>;
}

export function summariseProfile(file: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const us =
      i + 1 < profile.timeDeltas.length
        ? profile.timeDeltas[i + 1]
        : Math.max(0, profile.endTime - (profile.startTime + profile.timeDeltas.reduce((a, b) => a + b, 0)));
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
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ selfMs: round(us / 1000), percent: round((100 * us) / total), name }));
  return {
    file: path.relative(projectRoot, file),
    totalMs: round(total / 1000),
    idlePercent: round((100 * (packages.get('(idle)') ?? 0)) / total),
    byFunction: rank(fns),
    byPackage: rank(packages),
  };
}

/** Every .cpuprofile under `dir`, summarised. */
export function summariseProfiles(dir: string, top = 20): ProfileSummary[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const full = path.join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.cpuprofile')) files.push(full);
    }
  };
  walk(dir);
  return files.sort().map((f) => summariseProfile(f, top));
}

export function formatProfile(summary: ProfileSummary): string {
  const rows = (list: ProfileSummary['byFunction']) =>
    list.map((e) => `  ${e.selfMs.toFixed(0).padStart(9)} ms ${e.percent.toFixed(1).padStart(5)} %  ${e.name}`);
  return [
    `CPU profile ${summary.file}: ${round(summary.totalMs / 1000, 1)} s sampled, ${summary.idlePercent} % idle`,
    ' self time by function:',
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
