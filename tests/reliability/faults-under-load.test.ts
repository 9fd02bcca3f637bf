/**
 * Faults under load, scripted and repeatable. An isolated stack (its own Postgres, a Temporal dev server on a
 * SQLite file, one worker, two API processes) serves 150 people who each book and are then vaccinated through
 * the HTTP API (tests/reliability/load-with-faults.ts). While they do, the worker is SIGKILLed, then an API
 * process, then the Temporal server — each started again — and Postgres is stopped and started. Afterwards nothing
 * acknowledged is lost or doubled: every booking and dose is stored once, every journey is DOSE1_DONE, each person
 * got exactly one booking and one dose SMS, no session day is overbooked and the workflow outbox is empty.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { servePeopleThroughFaults } from './load-with-faults.js';
import { startIsolatedStack, type IsolatedStack } from './stack.js';

let stack: IsolatedStack;

beforeAll(async () => {
  // Real days: no reminder, no-show or dose-2 timer falls due while the test runs, so every SMS is accounted for.
  stack = await startIsolatedStack({
    apis: 2,
    env: { DAY_MS: '86400000', SMS_RATE_PER_SECOND: '200', SMS_RATE_BURST: '20' },
  });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('faults under load', () => {
  it('loses and doubles nothing acknowledged while the worker, an API, Temporal and Postgres fail in turn', async () => {
    await servePeopleThroughFaults(
      stack,
      async (fault) => {
        await sleep(3_000);
        await fault('worker SIGKILL', () => stack.killAndRestartWorker());
        await sleep(2_000);
        await fault('API process SIGKILL', () => stack.killAndRestartApi(0));
        await sleep(2_000);
        await fault('Temporal server SIGKILL', () => stack.killAndRestartTemporal());
        await sleep(2_000);
        await fault('Postgres stop/start', () => stack.restartPostgres());
      },
      'faults-under-load',
    );
  }, 420_000);
});
