/**
 * Live rooms beyond tests/live/socket.test.ts (which covers each role's rooms and none, forged, expired or revoked
 * staff tokens): a person's own valid token is not a staff token; a staff member deactivated while connected is
 * dropped and joins nothing more; hostile room names are refused as such, never reaching a query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBeneficiaryTokens } from '../../api/auth/tokens.js';
import { insertAccount } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import {
  connectLive,
  MANIPUR,
  listenOnFreePort,
  refusedConnection,
  staffToken,
  type LiveClient,
} from '../live/support.js';

let platform: TestPlatform;
let url: string;
const clients: LiveClient[] = [];
// Districts of their own, so nothing here meets the live tests' figures.
const HOME = MANIPUR(6);

beforeAll(async () => {
  platform = await startTestPlatform();
  url = await listenOnFreePort(platform);
});
afterAll(async () => {
  for (const client of clients) client.close();
  await platform?.close();
});

async function client(token: string): Promise<LiveClient> {
  const live = await connectLive(url, token);
  clients.push(live);
  return live;
}

describe('live rooms', () => {
  it("refuse a beneficiary's valid token at the handshake", async () => {
    const account = await insertAccount(platform.db);
    const { token } = await issueBeneficiaryTokens(platform.config.tokenSecret, {
      accountId: account.id,
      mobile: account.mobile,
    });
    expect(
      (
        await platform.app.inject({
          method: 'GET',
          url: '/api/v1/beneficiaries',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(200);
    expect((await refusedConnection(url, token)).data).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('drop a staff member deactivated while connected, by whatever path, and let them join nothing more', async () => {
    const officer = await staffToken(platform, 'DISTRICT_OFFICER', HOME);
    const live = await client(officer.token);
    expect((await live.join(`district:${HOME.districtId}`)).ok).toBe(true);
    let dropped = false;
    live.socket.on('disconnect', () => (dropped = true));
    // Plain SQL, not the staff API: the table itself announces the change (teeka_access).
    await platform.db.updateTable('staff_user').set({ active: false }).where('id', '=', officer.staffId).execute();
    await expect.poll(() => dropped, { timeout: 10_000 }).toBe(true);
    // Gone: a join is never answered as joined, and the token opens no new connection.
    expect(live.socket.connected).toBe(false);
    expect((await refusedConnection(url, officer.token)).data).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('answer hostile room names as bad rooms', async () => {
    const admin = await client((await staffToken(platform, 'NATIONAL_ADMIN', HOME)).token);
    for (const room of [
      'district:1 OR 1=1',
      "state:27'; drop table dose;--",
      '__proto__',
      'constructor',
      `district:${'9'.repeat(400)}`,
      'session:not-a-uuid',
      'x'.repeat(10_000),
      '',
      'national:extra',
    ]) {
      expect(await admin.join(room), room.slice(0, 60)).toMatchObject({
        ok: false,
        error: { code: expect.stringMatching(/^(BAD_ROOM|NOT_FOUND)$/) },
      });
    }
    for (const room of [42, null, { room: 'national' }, ['national']] as unknown[]) {
      expect(await admin.join(room as string), JSON.stringify(room)).toMatchObject({
        ok: false,
        error: { code: 'BAD_ROOM' },
      });
    }
  });
});
