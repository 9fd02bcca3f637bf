/**
 * Builds Go binaries once with `go install`, for the Temporal CLI and server that local runs and tests use. The
 * build runs at the lowest CPU priority and writes its raw output (`go: downloading …`, each package built) to a log
 * file; the console gets one line saying what is built and why, a line of progress every 20 s, and the result.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function hasGo(): boolean {
  return spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).status === 0;
}

export interface GoInstall {
  /** What is built, for the console: "the Temporal server v1.29.1". */
  what: string;
  packages: string[];
  /** Where the binaries go (GOBIN). */
  gobin: string;
  /** The raw output of the build. */
  logFile: string;
  say: (line: string) => void;
}

/** Resolves once built; rejects with the log file's name when the build fails. */
export async function goInstall(build: GoInstall): Promise<void> {
  mkdirSync(build.gobin, { recursive: true });
  mkdirSync(path.dirname(build.logFile), { recursive: true });
  build.say(`building ${build.what} once (a few minutes; later starts reuse it from ${build.gobin})`);
  build.say(`  the build's own output goes to ${build.logFile}`);
  const started = Date.now();
  const out = openSync(build.logFile, 'a');
  const child = spawn('nice', ['-n', '19', 'go', 'install', '-v', ...build.packages], {
    env: { ...process.env, GOBIN: build.gobin },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const progress = setInterval(() => {
    let built = 0;
    try {
      built = readFileSync(build.logFile, 'utf8')
        .split('\n')
        .filter((line) => line && !line.startsWith('go: ')).length;
    } catch {
      // not written yet
    }
    const minutes = Math.floor((Date.now() - started) / 60_000);
    const seconds = Math.round(((Date.now() - started) % 60_000) / 1000);
    build.say(`  still building ${build.what}: ${minutes} min ${seconds} s, ${built} packages compiled`);
  }, 20_000);
  try {
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) {
      throw new Error(
        `building ${build.what} failed (exit ${code}); the build's output is in ${build.logFile}. ` +
          `To build it by hand: GOBIN=${build.gobin} go install ${build.packages.join(' ')}`,
      );
    }
  } finally {
    clearInterval(progress);
  }
  build.say(`built ${build.what} in ${Math.round((Date.now() - started) / 1000)} s`);
}
