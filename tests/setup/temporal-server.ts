/**
 * The cluster project's one-time setup: the Temporal server and its SQL tool, built once per machine (several
 * minutes the first time; stack/temporal-cluster.ts) before any file starts its cluster, so no file's own setup
 * waits on the build.
 */
import path from 'node:path';
import { dataDir } from '../../stack/layout.js';
import { resolveServerBinaries } from '../../stack/temporal-cluster.js';

export async function setup(): Promise<void> {
  await resolveServerBinaries(
    (line) => console.log(`[tests] ${line}`),
    path.join(dataDir(), 'logs', 'temporal-server-build.log'),
  );
}
