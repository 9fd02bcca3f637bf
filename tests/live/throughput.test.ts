import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThroughputEmitter } from '../../live/throughput.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import {
  connectLive,
  listenOnFreePort,
  MANIPUR,
  recordDose,
  staffToken,
  todaySession,
  type LiveClient,
} from './support.js';

let platform: TestPlatform;
let url: string;
const emitters: ThroughputEmitter[] = [];
let client: LiveClient | undefined;

beforeAll(async () => {
  platform = await startTestPlatform();
  url = await listenOnFreePort(platform);
});
afterAll(async () => {
  client?.close();
  for (const emitter of emitters) await emitter.stop();
  await platform.close();
});

function emitter(lockKey: bigint): ThroughputEmitter {
  const made = new ThroughputEmitter({
    db: platform.db,
    connectionString: platform.config.databaseUrl,
    log: () => {},
    lockKey,
  });
  emitters.push(made);
  return made;
}

describe('per-minute throughput', () => {
  it('is emitted by one worker only, per district that gave doses in the minute, to that district’s room', async () => {
    const [busy, quiet] = [MANIPUR(1), MANIPUR(2)];
    const session = await todaySession(platform, busy);
    client = await connectLive(url, (await staffToken(platform, 'STATE_OFFICER', busy)).token);
    expect((await client.join(`district:${busy.districtId}`)).ok).toBe(true);
    expect((await client.join(`district:${quiet.districtId}`)).ok).toBe(true);
    for (let i = 0; i < 3; i++) await recordDose(platform, session);
    const minuteEnd = new Date(Date.now() + 1);

    // Two workers share one lock key (a key of this test's own, apart from the suite's worker).
    const lockKey = BigInt(randomInt(1, 2 ** 47));
    const [first, second] = [emitter(lockKey), emitter(lockKey)];
    const emitted = await first.tick(minuteEnd);
    expect(await second.tick(minuteEnd)).toBeUndefined();
    expect(first.isLeader).toBe(true);
    expect(second.isLeader).toBe(false);
    expect(emitted).toBeGreaterThanOrEqual(1);

    // The suite's own worker may emit its minute too; this test's tick is the one at `minuteEnd`.
    const throughput = await client.next(
      'throughput',
      (e) => e.districtId === busy.districtId && e.at === minuteEnd.toISOString(),
      3_000,
    );
    expect(throughput).toMatchObject({
      type: 'throughput',
      stateId: busy.stateId,
      at: minuteEnd.toISOString(),
      data: { lastMinute: 3 },
    });
    expect(throughput.data.thisHour).toBeGreaterThanOrEqual(3);
    expect(client.received.filter((m) => m.name === 'throughput' && m.payload.districtId === quiet.districtId)).toEqual(
      [],
    );

    // The leader stops (its worker shut down): the other takes over at its next tick.
    await first.stop();
    expect(await second.tick(minuteEnd)).toBeGreaterThanOrEqual(1);
    expect(second.isLeader).toBe(true);
  });
});
