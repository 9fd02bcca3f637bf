import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import {
  connectLive,
  KERALA,
  listenOnFreePort,
  recordDose,
  staffToken,
  todaySession,
  type LiveClient,
} from './support.js';

let first: TestPlatform;
let second: TestPlatform;
let client: LiveClient | undefined;
let firstClosed = false;

beforeAll(async () => {
  [first, second] = await Promise.all([startTestPlatform(), startTestPlatform()]);
});
afterAll(async () => {
  client?.close();
  await Promise.all([firstClosed ? undefined : first.close(), second.close()]);
});

describe('two API instances, no socket.io adapter', () => {
  it('deliver to a client on one instance the event of a write that went through the other', async () => {
    const district = KERALA(10);
    const [url1, url2] = [await listenOnFreePort(first), await listenOnFreePort(second)];
    expect(url1).not.toBe(url2);
    const session = await todaySession(first, district);
    client = await connectLive(url1, (await staffToken(first, 'DISTRICT_OFFICER', district)).token);
    expect((await client.join(`district:${district.districtId}`)).ok).toBe(true);

    await recordDose(second, session, { app: second.app });

    const event = await client.next('dose.recorded', (e) => e.sessionDayId === session.sessionDayId, 3_000);
    expect(event).toMatchObject({ districtId: district.districtId, data: { dose: 1 } });
    expect(client.received.filter((m) => m.name === 'dose.recorded')).toHaveLength(1);

    // An instance shutting down closes its sockets rather than waiting on them.
    const disconnected = new Promise<string>((resolve) => client!.socket.once('disconnect', resolve));
    await first.close();
    firstClosed = true;
    expect(await disconnected).toEqual(expect.any(String));
  });
});
