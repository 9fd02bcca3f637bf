import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './layout.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the dashboard when dist/ is missing or older than its sources. */
export function ensureDashboardBuilt(log: (line: string) => void): void {
  const dashboard = path.join(projectRoot, 'dashboard');
  const index = path.join(dashboard, 'dist', 'index.html');
  if (existsSync(index)) {
    const sources = Math.max(
      newestMtime(path.join(dashboard, 'src')),
      statSync(path.join(dashboard, 'index.html')).mtimeMs,
    );
    if (statSync(index).mtimeMs >= sources) return;
  }
  log('building the dashboard (vite build)');
  const result = spawnSync(
    process.execPath,
    [
      path.join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'dashboard/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: projectRoot,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('the dashboard build failed (see above)');
}
