import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSecret } from '../config/env.js';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Local state of `npm start` (Postgres cluster, Temporal's SQLite file, dev secrets). Never committed. */
export function dataDir(): string {
  return path.resolve(process.env.TEEKA_DATA_DIR ?? path.join(projectRoot, '.data'));
}

const SECRET_NAMES = ['ID_HASH_SECRET', 'TOKEN_SECRET'] as const;

/**
 * Development secrets, generated once and kept in the data dir so tokens and ID hashes stay valid
 * across restarts. Values already in the environment win.
 */
export function developmentSecrets(dir: string): Record<string, string> {
  const file = path.join(dir, 'secrets.json');
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  let changed = false;
  for (const name of SECRET_NAMES) {
    if (!stored[name]) {
      stored[name] = generateSecret();
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  const result: Record<string, string> = {};
  for (const name of SECRET_NAMES) result[name] = process.env[name] ?? stored[name];
  return result;
}
