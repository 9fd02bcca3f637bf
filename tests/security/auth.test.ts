/**
 * Who gets in: expired, forged and revoked tokens are refused; a deactivated staff member's token stops working
 * at once; OTP requests are capped per IP (and X-Forwarded-For is believed only from a private proxy); staff
 * passwords cannot be guessed at speed and are stored as Argon2id with OWASP's parameters; RATE_LIMITS=off
 * switches every per-IP limit off together. (Per-OTP tries and the per-mobile cap: tests/journey/otp.test.ts;
 * account lockouts, per-address sign-in caps and sessions: tests/security/sign-in-and-sessions.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAccount, insertStaff, PUNE, uniqueMobile } from '../support/fixtures.js';
import { bearer, loginTokens, requestOtp, TEST_STAFF_PASSWORD, uniqueIp } from '../support/journey.js';
import { staffWithPassword } from '../support/staff.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { TEST_SECRETS } from '../support/secrets.js';

let platform: TestPlatform;
/** Per-IP caps small enough to reach. */
let capped: TestPlatform;
/** RATE_LIMITS=off. */
let unlimited: TestPlatform;
beforeAll(async () => {
  [platform, capped, unlimited] = await Promise.all([
    startTestPlatform(),
    startTestPlatform({ otpPerIpPerHour: 3, publicRateLimitPer5Min: 3 }),
    startTestPlatform({ otpPerIpPerHour: 3, publicRateLimitPer5Min: 3, rateLimitsEnabled: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([platform?.close(), capped?.close(), unlimited?.close()]);
});

const key = (secret: string) => new TextEncoder().encode(secret);

/** A token shaped exactly like ours, with chosen claims, expiry and key. */
async function craft(
  claims: Record<string, unknown>,
  subject: string,
  options: { expiresAt?: number; secret?: string; issuer?: string } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(options.issuer ?? 'teeka')
    .setSubject(subject)
    .setJti(randomUUID())
    .setIssuedAt(now - 3_600)
    .setExpirationTime(options.expiresAt ?? now + 600)
    .sign(key(options.secret ?? TEST_SECRETS.TOKEN_SECRET));
}

function staffLogin(app: TestPlatform, username: string, password: string, ip = '10.9.9.9') {
  return app.app.inject({
    method: 'POST',
    url: '/api/v1/staff/login',
    payload: { username, password },
    remoteAddress: ip,
  });
}

describe('tokens', () => {
  it('refuses an expired token (401), staff or beneficiary, though signed with our key', async () => {
    const account = await insertAccount(platform.db);
    const staff = await insertStaff(platform.db, 'DISTRICT_OFFICER', PUNE);
    const past = Math.floor(Date.now() / 1000) - 60;
    const beneficiary = { kind: 'beneficiary', mobile: account.mobile };
    const officer = {
      kind: 'staff',
      role: 'DISTRICT_OFFICER',
      stateId: PUNE.stateId,
      districtId: PUNE.districtId,
      name: 'Officer',
    };

    // The same claims, not expired, are accepted: only the expiry differs.
    expect(
      (
        await platform.app.inject({
          method: 'GET',
          url: '/api/v1/beneficiaries',
          headers: bearer(await craft(beneficiary, account.id)),
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await platform.app.inject({
          method: 'GET',
          url: '/api/v1/staff/me',
          headers: bearer(await craft(officer, staff.id)),
        })
      ).statusCode,
    ).toBe(200);

    const expiredBeneficiary = await platform.app.inject({
      method: 'GET',
      url: '/api/v1/beneficiaries',
      headers: bearer(await craft(beneficiary, account.id, { expiresAt: past })),
    });
    expect(expiredBeneficiary.statusCode).toBe(401);
    expect(expiredBeneficiary.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const expiredStaff = await platform.app.inject({
      method: 'GET',
      url: '/api/v1/staff/me',
      headers: bearer(await craft(officer, staff.id, { expiresAt: past })),
    });
    expect(expiredStaff.statusCode).toBe(401);
    const expiredPartner = await platform.app.inject({
      method: 'GET',
      url: '/api/v2/appointment/beneficiaries',
      headers: bearer(await craft(beneficiary, account.id, { expiresAt: past })),
    });
    expect(expiredPartner.statusCode).toBe(401);
  });

  it('refuses forged tokens: another key, another issuer, alg none, a refresh token as an access token', async () => {
    const account = await insertAccount(platform.db);
    const claims = { kind: 'beneficiary', mobile: account.mobile };
    const header = (token: string) => ({
      method: 'GET' as const,
      url: '/api/v1/beneficiaries',
      headers: bearer(token),
    });
    const payload = Buffer.from(
      JSON.stringify({
        ...claims,
        sub: account.id,
        iss: 'teeka',
        jti: randomUUID(),
        exp: Math.floor(Date.now() / 1000) + 600,
      }),
    ).toString('base64url');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    for (const token of [
      await craft(claims, account.id, { secret: 'another-secret-that-is-long-enough-0123456789' }),
      await craft(claims, account.id, { issuer: 'someone-else' }),
      unsigned,
      await craft({ kind: 'refresh', mobile: account.mobile }, account.id),
      'not.a.token',
    ]) {
      expect((await platform.app.inject(header(token))).statusCode, token).toBe(401);
    }
  });

  it('logout revokes a staff token at once', async () => {
    const staff = await staffWithPassword(platform.db, 'VACCINATOR');
    const { token } = (await staffLogin(platform, staff.username, TEST_STAFF_PASSWORD, uniqueIp())).json();
    expect(
      (await platform.app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: bearer(token) })).statusCode,
    ).toBe(200);
    expect(
      (await platform.app.inject({ method: 'POST', url: '/api/v1/staff/logout', headers: bearer(token) })).statusCode,
    ).toBe(204);
    expect(
      (await platform.app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: bearer(token) })).statusCode,
    ).toBe(401);
    expect(
      (await platform.app.inject({ method: 'GET', url: '/api/v1/desk/today', headers: bearer(token) })).statusCode,
    ).toBe(401);
  });

  it("stops a deactivated staff member's token at once, for good", async () => {
    const officer = await staffWithPassword(platform.db, 'DISTRICT_OFFICER');
    const vaccinator = await staffWithPassword(platform.db, 'VACCINATOR');
    const officerToken = (await staffLogin(platform, officer.username, TEST_STAFF_PASSWORD, uniqueIp())).json().token;
    const vaccinatorToken = (await staffLogin(platform, vaccinator.username, TEST_STAFF_PASSWORD, uniqueIp())).json()
      .token;
    expect(
      (await platform.app.inject({ method: 'GET', url: '/api/v1/desk/today', headers: bearer(vaccinatorToken) }))
        .statusCode,
    ).toBe(200);

    const patch = (active: boolean) =>
      platform.app.inject({
        method: 'PATCH',
        url: `/api/v1/staff/${vaccinator.id}`,
        headers: bearer(officerToken),
        payload: { active },
      });
    expect((await patch(false)).statusCode).toBe(200);
    // The very next request with the token issued before is refused.
    expect(
      (await platform.app.inject({ method: 'GET', url: '/api/v1/desk/today', headers: bearer(vaccinatorToken) }))
        .statusCode,
    ).toBe(401);
    expect(
      (await platform.app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: bearer(vaccinatorToken) }))
        .statusCode,
    ).toBe(401);
    expect((await staffLogin(platform, vaccinator.username, TEST_STAFF_PASSWORD, uniqueIp())).statusCode).toBe(401);
    // Reactivation does not revive tokens issued before the deactivation: the staff member signs in again.
    expect((await patch(true)).statusCode).toBe(200);
    expect(
      (await platform.app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: bearer(vaccinatorToken) }))
        .statusCode,
    ).toBe(401);
    const again = (await staffLogin(platform, vaccinator.username, TEST_STAFF_PASSWORD, uniqueIp())).json().token;
    expect(
      (await platform.app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: bearer(again) })).statusCode,
    ).toBe(200);
  });
});

describe('OTP requests per IP', () => {
  it('caps OTPs from one address per hour, whatever the mobile, even when they arrive at once', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 3; i++) expect((await requestOtp(capped.app, uniqueMobile(), ip)).statusCode).toBe(200);
    const fourth = await requestOtp(capped.app, uniqueMobile(), ip);
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json()).toMatchObject({
      code: 'TOO_MANY_OTPS',
      message: expect.stringContaining('from this network'),
    });
    // Another address has its own budget.
    expect((await requestOtp(capped.app, uniqueMobile(), uniqueIp())).statusCode).toBe(200);

    const burstIp = uniqueIp();
    const burst = await Promise.all(Array.from({ length: 8 }, () => requestOtp(capped.app, uniqueMobile(), burstIp)));
    expect(burst.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
    const stored = await capped.db
      .selectFrom('otp_challenge')
      .select('id')
      .where('requester_ip', '=', burstIp)
      .execute();
    expect(stored).toHaveLength(3);
  });

  it('believes X-Forwarded-For only from a proxy on a private network, so the cap cannot be dodged by forging it', async () => {
    const internet = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    const forged = (i: number) =>
      capped.app.inject({
        method: 'POST',
        url: '/api/v1/auth/otp',
        payload: { mobile: uniqueMobile() },
        remoteAddress: internet,
        headers: { 'x-forwarded-for': `10.77.0.${i}` },
      });
    const answers = [];
    for (let i = 1; i <= 4; i++) answers.push((await forged(i)).statusCode);
    expect(answers).toEqual([200, 200, 200, 429]);
    expect(
      await capped.db.selectFrom('otp_challenge').select('requester_ip').where('requester_ip', '=', internet).execute(),
    ).toHaveLength(3);

    // Behind our own proxy (loopback or a private network), the client address it forwards is the one counted.
    const client = uniqueIp();
    const proxied = await capped.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { mobile: uniqueMobile() },
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': client },
    });
    expect(proxied.statusCode).toBe(200);
    expect(
      await capped.db.selectFrom('otp_challenge').select('requester_ip').where('requester_ip', '=', client).execute(),
    ).toHaveLength(1);
  });
});

describe('staff passwords', () => {
  it('are stored as Argon2id with m=19456, t=2, p=1', async () => {
    const admin = await insertStaff(platform.db, 'NATIONAL_ADMIN');
    const token = await craft(
      { kind: 'staff', role: 'NATIONAL_ADMIN', stateId: null, districtId: null, name: 'Admin' },
      admin.id,
    );
    const username = `pw.${randomUUID().slice(0, 8)}`;
    const created = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/staff',
      headers: bearer(token),
      payload: {
        username,
        password: 'a long enough secret',
        name: 'Hash Check',
        role: 'VACCINATOR',
        districtId: PUNE.districtId,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { password_hash } = await platform.db
      .selectFrom('staff_user')
      .select('password_hash')
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    expect(password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}$/);
    expect(password_hash).not.toContain('a long enough secret');
  });
});

describe('RATE_LIMITS=off', () => {
  it('switches every per-IP limit off together: OTP per IP, Co-WIN public calls and staff login tries', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++) expect((await requestOtp(unlimited.app, uniqueMobile(), ip)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await unlimited.app.inject({
            method: 'GET',
            url: '/api/v2/registration/beneficiary/genders',
            remoteAddress: ip,
          })
        ).statusCode,
      ).toBe(200);
    }
    // More sign-in attempts from one address than its budget of 30.
    for (let i = 0; i < 32; i++)
      expect((await staffLogin(unlimited, `nobody.${randomUUID().slice(0, 8)}`, 'guess', ip)).statusCode).toBe(401);
    const staff = await staffWithPassword(unlimited.db, 'VACCINATOR');
    expect((await staffLogin(unlimited, staff.username, TEST_STAFF_PASSWORD, ip)).statusCode).toBe(200);
    // The per-mobile cap is not a per-IP limit: it stays.
    const mobile = uniqueMobile();
    for (let i = 0; i < 5; i++) expect((await requestOtp(unlimited.app, mobile, uniqueIp())).statusCode).toBe(200);
    expect((await requestOtp(unlimited.app, mobile, uniqueIp())).statusCode).toBe(429);
  });

  it('and with limits on, the same calls are refused past their caps', async () => {
    const ip = uniqueIp();
    const public4 = [];
    for (let i = 0; i < 4; i++)
      public4.push(
        (await capped.app.inject({ method: 'GET', url: '/api/v2/registration/beneficiary/genders', remoteAddress: ip }))
          .statusCode,
      );
    expect(public4).toEqual([200, 200, 200, 429]);
  });
});

describe('a beneficiary session', () => {
  it('ends at logout: the access token and the refresh token both stop working, and other logins go on', async () => {
    const mobile = uniqueMobile();
    const session = await loginTokens(platform.app, mobile, uniqueIp());
    const other = await loginTokens(platform.app, mobile, uniqueIp());
    // Rotated once before the logout: the session continues under new tokens.
    const rotated = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect(
      (await platform.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(rotated.json().token) }))
        .statusCode,
    ).toBe(204);

    expect(
      (
        await platform.app.inject({
          method: 'GET',
          url: '/api/v1/beneficiaries',
          headers: bearer(rotated.json().token),
        })
      ).statusCode,
    ).toBe(401);
    // The first access token of the same session too, though it has not expired.
    expect(
      (await platform.app.inject({ method: 'GET', url: '/api/v1/beneficiaries', headers: bearer(session.token) }))
        .statusCode,
    ).toBe(401);
    const refresh = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: rotated.json().refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
    expect(refresh.json().message).toMatch(/logged out/);
    // Another device's login of the same mobile is its own session.
    expect(
      (await platform.app.inject({ method: 'GET', url: '/api/v1/beneficiaries', headers: bearer(other.token) }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await platform.app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refreshToken: other.refreshToken },
        })
      ).statusCode,
    ).toBe(200);
  });
});
