/**
 * Sign-in and sessions as an attacker tries them: guessing one staff password from many addresses, spraying many
 * usernames from one, rotating through an IPv6 /64, reviving an old token by deactivating, resetting and
 * reactivating, keeping a live socket after losing access, and keeping a beneficiary login alive forever through
 * refresh tokens (or reusing a stolen one).
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUNE, uniqueMobile } from '../support/fixtures.js';
import { bearer, loginTokens, requestOtp, TEST_STAFF_PASSWORD, uniqueIp, waitFor } from '../support/journey.js';
import { staffWithPassword } from '../support/staff.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { TEST_SECRETS } from '../support/secrets.js';
import { connectLive, KERALA, listenOnFreePort } from '../live/support.js';

let platform: TestPlatform;
/** Per-address caps small enough to reach. */
let capped: TestPlatform;
beforeAll(async () => {
  [platform, capped] = await Promise.all([
    startTestPlatform(),
    startTestPlatform({ otpPerIpPerHour: 3, publicRateLimitPer5Min: 3 }),
  ]);
});
afterAll(async () => {
  await Promise.all([platform?.close(), capped?.close()]);
});

function staffLogin(app: TestPlatform, username: string, password: string, ip = uniqueIp()) {
  return app.app.inject({
    method: 'POST',
    url: '/api/v1/staff/login',
    payload: { username, password },
    remoteAddress: ip,
  });
}

const me = (token: string) => platform.app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: bearer(token) });

describe('one staff account guessed from many addresses', () => {
  it('is locked after 5 wrong passwords in a row, whatever the addresses; the lock doubles and a reset lifts it', async () => {
    const staff = await staffWithPassword(platform.db, 'VACCINATOR');
    const officer = await staffWithPassword(platform.db, 'DISTRICT_OFFICER');
    for (let i = 0; i < 5; i++)
      expect((await staffLogin(platform, staff.username, `guess ${i}`)).statusCode, `guess ${i}`).toBe(401);
    // Even the right password, from a fresh address, waits out the lock.
    const locked = await staffLogin(platform, staff.username, TEST_STAFF_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({
      code: 'ACCOUNT_LOCKED',
      message: expect.stringContaining('too many wrong passwords'),
    });
    const lockedFor = locked.json().details.retryAfterSeconds;
    expect(lockedFor).toBeGreaterThan(50);
    expect(lockedFor).toBeLessThanOrEqual(60);
    const audit = await platform.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', staff.id)
      .where('action', '=', 'STAFF_LOGIN_LOCKED')
      .execute();
    expect(audit).toHaveLength(1);

    // When the lock has run out, one more wrong password locks it for twice as long.
    await platform.db
      .updateTable('staff_user')
      .set({ login_locked_until: new Date(Date.now() - 1000) })
      .where('id', '=', staff.id)
      .execute();
    expect((await staffLogin(platform, staff.username, 'guess 6')).statusCode).toBe(401);
    const longer = await staffLogin(platform, staff.username, TEST_STAFF_PASSWORD);
    expect(longer.statusCode).toBe(429);
    expect(longer.json().details.retryAfterSeconds).toBeGreaterThan(110);

    // The officer resets the password: the lock goes with the old password.
    const officerToken = (await staffLogin(platform, officer.username, TEST_STAFF_PASSWORD)).json().token;
    const reset = await platform.app.inject({
      method: 'PATCH',
      url: `/api/v1/staff/${staff.id}`,
      headers: bearer(officerToken),
      payload: { password: 'a brand new passphrase' },
    });
    expect(reset.statusCode, reset.body).toBe(200);
    expect((await staffLogin(platform, staff.username, 'a brand new passphrase')).statusCode).toBe(200);
  });
});

describe('one address spraying usernames', () => {
  it('gets 30 sign-in attempts per 15 minutes, known usernames or not; other addresses are untouched', async () => {
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push((await staffLogin(platform, `nobody.${randomUUID().slice(0, 8)}`, 'password', ip)).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    const real = await staffWithPassword(platform.db, 'VACCINATOR');
    const refused = await staffLogin(platform, real.username, TEST_STAFF_PASSWORD, ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('30 sign-in') });
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await staffLogin(platform, real.username, TEST_STAFF_PASSWORD)).statusCode).toBe(200);
  });
});

describe('IPv6 clients', () => {
  it('are counted by their /64: rotating addresses inside it does not reset the OTP cap or the public budget', async () => {
    const prefix = `2001:db8:${((Math.random() * 0xfff0) | 0).toString(16)}:42`;
    const otps = [];
    for (let i = 1; i <= 4; i++)
      otps.push((await requestOtp(capped.app, uniqueMobile(), `${prefix}::${i}`)).statusCode);
    expect(otps).toEqual([200, 200, 200, 429]);

    const calls = [];
    for (let i = 1; i <= 4; i++)
      calls.push(
        (
          await capped.app.inject({
            method: 'GET',
            url: '/api/v2/registration/beneficiary/genders',
            // Same /64, a different interface id each time.
            remoteAddress: `${prefix}:${(i * 4099).toString(16)}::9`,
          })
        ).statusCode,
      );
    expect(calls).toEqual([200, 200, 200, 429]);
    // Another /64 has its own budget.
    expect(
      (
        await capped.app.inject({
          method: 'GET',
          url: '/api/v2/registration/beneficiary/genders',
          remoteAddress: `2001:db8:${((Math.random() * 0xfff0) | 0).toString(16)}:43::1`,
        })
      ).statusCode,
    ).toBe(200);
  });
});

describe('staff tokens after losing access', () => {
  it('stay dead after deactivate, reset password, reactivate: only a new sign-in works', async () => {
    const officer = await staffWithPassword(platform.db, 'DISTRICT_OFFICER');
    const vaccinator = await staffWithPassword(platform.db, 'VACCINATOR');
    const officerToken = (await staffLogin(platform, officer.username, TEST_STAFF_PASSWORD)).json().token;
    // The attacker's copy of the vaccinator's token.
    const stolen = (await staffLogin(platform, vaccinator.username, TEST_STAFF_PASSWORD)).json().token;
    expect((await me(stolen)).statusCode).toBe(200);

    const patch = (payload: Record<string, unknown>) =>
      platform.app.inject({
        method: 'PATCH',
        url: `/api/v1/staff/${vaccinator.id}`,
        headers: bearer(officerToken),
        payload,
      });
    expect((await patch({ active: false })).statusCode).toBe(200);
    expect((await me(stolen)).statusCode).toBe(401);
    expect((await patch({ password: 'a fresh passphrase here' })).statusCode).toBe(200);
    expect((await patch({ active: true })).statusCode).toBe(200);
    expect((await me(stolen)).statusCode).toBe(401);
    expect(
      (await platform.app.inject({ method: 'GET', url: '/api/v1/desk/today', headers: bearer(stolen) })).statusCode,
    ).toBe(401);

    const fresh = await staffLogin(platform, vaccinator.username, 'a fresh passphrase here');
    expect(fresh.statusCode).toBe(200);
    expect((await me(fresh.json().token)).statusCode).toBe(200);
  });

  it('a password reset alone ends the tokens issued before it', async () => {
    const officer = await staffWithPassword(platform.db, 'DISTRICT_OFFICER');
    const vaccinator = await staffWithPassword(platform.db, 'VACCINATOR');
    const officerToken = (await staffLogin(platform, officer.username, TEST_STAFF_PASSWORD)).json().token;
    const before = (await staffLogin(platform, vaccinator.username, TEST_STAFF_PASSWORD)).json().token;
    const reset = await platform.app.inject({
      method: 'PATCH',
      url: `/api/v1/staff/${vaccinator.id}`,
      headers: bearer(officerToken),
      payload: { password: 'another fresh passphrase' },
    });
    expect(reset.statusCode).toBe(200);
    expect((await me(before)).statusCode).toBe(401);
  });

  it('their live sockets are disconnected at once: deactivation, password reset, logout', async () => {
    const district = KERALA(12);
    const url = await listenOnFreePort(platform);
    // The state officer manages the district officer whose sockets are watched.
    const officer = await staffWithPassword(platform.db, 'STATE_OFFICER', district);
    const officerToken = (await staffLogin(platform, officer.username, TEST_STAFF_PASSWORD)).json().token;
    const colleague = await staffWithPassword(platform.db, 'DISTRICT_OFFICER', district);

    const watch = async (token: string) => {
      const client = await connectLive(url, token);
      expect((await client.join(`district:${district.districtId}`)).ok).toBe(true);
      let gone = false;
      client.socket.on('disconnect', () => (gone = true));
      return { client, gone: () => gone };
    };
    const patch = (staffId: string, payload: Record<string, unknown>) =>
      platform.app.inject({
        method: 'PATCH',
        url: `/api/v1/staff/${staffId}`,
        headers: bearer(officerToken),
        payload,
      });

    // Deactivated: the socket closes without waiting for the minute's sweep.
    const deactivated = await watch((await staffLogin(platform, colleague.username, TEST_STAFF_PASSWORD)).json().token);
    const bystander = await watch(officerToken);
    expect((await patch(colleague.id, { active: false })).statusCode).toBe(200);
    await waitFor(async () => deactivated.gone(), 'the deactivated officer’s socket to close', 10_000);
    expect(bystander.gone()).toBe(false);
    expect((await patch(colleague.id, { active: true })).statusCode).toBe(200);

    // Password reset.
    const reset = await watch((await staffLogin(platform, colleague.username, TEST_STAFF_PASSWORD)).json().token);
    expect((await patch(colleague.id, { password: 'reset by the officer' })).statusCode).toBe(200);
    await waitFor(async () => reset.gone(), 'the socket of a reset password to close', 10_000);

    // Logout closes that token's socket only.
    const token = (await staffLogin(platform, colleague.username, 'reset by the officer')).json().token;
    const loggedOut = await watch(token);
    expect(
      (await platform.app.inject({ method: 'POST', url: '/api/v1/staff/logout', headers: bearer(token) })).statusCode,
    ).toBe(204);
    await waitFor(async () => loggedOut.gone(), 'the logged-out socket to close', 10_000);
    expect(bystander.gone()).toBe(false);
    bystander.client.close();
  });
});

describe('beneficiary login sessions', () => {
  const refresh = (refreshToken: string) =>
    platform.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });

  it('a refresh token presented a second time ends the whole session, for the thief and the owner alike', async () => {
    const first = await loginTokens(platform.app, uniqueMobile(), uniqueIp());
    const second = await refresh(first.refreshToken);
    expect(second.statusCode).toBe(200);
    // The thief replays the spent token.
    const replay = await refresh(first.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().message).toMatch(/already used/);
    // Every token of that session is dead now: the newest access token and the newest refresh token.
    const people = await platform.app.inject({
      method: 'GET',
      url: '/api/v1/beneficiaries',
      headers: bearer(second.json().token),
    });
    expect(people.statusCode).toBe(401);
    expect((await refresh(second.json().refreshToken)).statusCode).toBe(401);
  });

  it('cannot be stretched past 12 hours from its OTP by refreshing', async () => {
    const login = await loginTokens(platform.app, uniqueMobile(), uniqueIp());
    const { sub, mobile, sid } = JSON.parse(Buffer.from(login.refreshToken.split('.')[1], 'base64url').toString());
    // A refresh token as a rotation issues it, for a session that began 13 hours ago.
    const now = Math.floor(Date.now() / 1000);
    const stretched = await new SignJWT({ kind: 'refresh', mobile, sid, sat: now - 13 * 3600 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('teeka')
      .setSubject(sub)
      .setJti(randomUUID())
      .setIssuedAt(now - 60)
      .setExpirationTime(now + 11 * 3600)
      .sign(new TextEncoder().encode(TEST_SECRETS.TOKEN_SECRET));
    const answer = await refresh(stretched);
    expect(answer.statusCode).toBe(401);
    expect(answer.json()).not.toHaveProperty('token');

    // A fresh session's tokens end with the session: the refresh token expires 12 hours after the OTP.
    const claims = JSON.parse(Buffer.from(login.refreshToken.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.sat).toBeLessThanOrEqual(12 * 3600);
    const rotated = (await refresh(login.refreshToken)).json();
    const rotatedClaims = JSON.parse(Buffer.from(rotated.refreshToken.split('.')[1], 'base64url').toString());
    expect(rotatedClaims.sat).toBe(claims.sat);
    expect(rotatedClaims.exp).toBe(claims.exp);
  });
});
