/**
 * Per-address limits across API processes. With REDIS_URL set (Redis at 127.0.0.1:6379 on this machine), two
 * `api/server.ts` processes spend one budget: a client that alternates between them gets the budget once, not
 * twice. Without it each process counts for itself, as SECURITY.md says.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawnApi, type ApiProcess } from '../deploy/api-process.js';

const REDIS_URL = process.env.TEEKA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BUDGET = 4;

const target = () => ({
  databaseUrl: inject('databaseUrl'),
  temporalAddress: inject('temporalAddress'),
  temporalNamespace: inject('temporalNamespace'),
  taskQueue: inject('taskQueue'),
});

const shared: ApiProcess[] = [];
const separate: ApiProcess[] = [];
beforeAll(async () => {
  // A key prefix of this run's own: other runs on the same Redis never share its counts.
  const prefix = `teeka-test:${randomUUID()}:`;
  const limits = { RATE_LIMIT_PUBLIC_PER_5MIN: String(BUDGET) };
  // Two at a time: four cold starts at once are slow on a busy two-core machine.
  shared.push(
    ...(await Promise.all([1, 2].map(() => spawnApi(target(), { ...limits, REDIS_URL, REDIS_KEY_PREFIX: prefix })))),
  );
  separate.push(...(await Promise.all([1, 2].map(() => spawnApi(target(), { ...limits, REDIS_URL: '' })))));
}, 300_000);
afterAll(() => {
  for (const api of [...shared, ...separate]) api.child.kill('SIGTERM');
});

/** Public Co-WIN calls, alternating between the two processes; the status of each. */
async function alternate(apis: ApiProcess[], calls: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < calls; i++) {
    const response = await fetch(`${apis[i % 2].url}/api/v2/registration/beneficiary/genders`);
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}

describe('per-address limits across two API processes', () => {
  it('with REDIS_URL, one budget: the call after the budget is refused whichever process answers it', async () => {
    const statuses = await alternate(shared, BUDGET + 2);
    expect(statuses).toEqual([...Array(BUDGET).fill(200), 429, 429]);
  });

  it('without it, each process counts for itself', async () => {
    const statuses = await alternate(separate, BUDGET * 2 + 1);
    expect(statuses.slice(0, BUDGET * 2).every((s) => s === 200)).toBe(true);
    expect(statuses[BUDGET * 2]).toBe(429);
  });
});
