/** OTP login as a person meets it: tries, locks, expiry, hourly caps, refresh-token rotation and logout. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueMobile } from '../support/fixtures.js';
import { bearer, latestOtp, loginTokens, requestOtp, sleep, uniqueIp, wrongOtp } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
/** Same database and Temporal, but OTPs live 1.5 s. */
let shortLived: TestPlatform;
beforeAll(async () => {
  [platform, shortLived] = await Promise.all([startTestPlatform(), startTestPlatform({ otpLifetimeMs: 1_500 })]);
});
afterAll(async () => {
  await Promise.all([platform?.close(), shortLived?.close()]);
});

async function sendOtp(app = platform.app, mobile = uniqueMobile()) {
  const sent = await requestOtp(app, mobile, uniqueIp());
  expect(sent.statusCode, sent.body).toBe(200);
  return { mobile, txnId: sent.json().txnId as string, otp: await latestOtp(app, mobile) };
}

function verify(txnId: string, otp: string, app = platform.app) {
  return app.inject({ method: 'POST', url: '/api/v1/auth/otp/verify', payload: { txnId, otp } });
}

describe('OTP login', () => {
  it('logs in with the OTP from the SMS, and the token opens the account', async () => {
    const { app } = platform;
    const mobile = uniqueMobile();
    const sent = await requestOtp(app, mobile, uniqueIp());
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({ txnId: expect.any(String), expiresInSeconds: 180 });
    const otp = await latestOtp(app, mobile);

    const verified = await verify(sent.json().txnId, otp);
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({
      token: expect.any(String),
      refreshToken: expect.any(String),
      expiresInSeconds: 900,
    });
    const mine = await app.inject({
      method: 'GET',
      url: '/api/v1/beneficiaries',
      headers: bearer(verified.json().token),
    });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toEqual({ beneficiaries: [] });

    const account = await platform.db
      .selectFrom('account')
      .select('verified_at')
      .where('mobile', '=', mobile)
      .executeTakeFirstOrThrow();
    expect(account.verified_at).toBeInstanceOf(Date);
    // An OTP is good once.
    const again = await verify(sent.json().txnId, otp);
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ code: 'OTP_USED', message: expect.stringContaining('already been used') });
  });

  it('tells how many tries are left after a wrong OTP, and the third wrong try locks the OTP', async () => {
    const { txnId, otp } = await sendOtp();
    const wrong = wrongOtp(otp);

    const first = await verify(txnId, wrong);
    expect(first.statusCode).toBe(401);
    expect(first.json()).toMatchObject({
      code: 'OTP_INVALID',
      message: 'wrong OTP; 2 tries left',
      details: { attemptsLeft: 2 },
    });
    const second = await verify(txnId, wrong);
    expect(second.json()).toMatchObject({
      code: 'OTP_INVALID',
      message: 'wrong OTP; 1 try left',
      details: { attemptsLeft: 1 },
    });
    const third = await verify(txnId, wrong);
    expect(third.statusCode).toBe(401);
    expect(third.json()).toMatchObject({
      code: 'OTP_INVALID',
      message: 'wrong OTP; no tries left, request a new OTP',
      details: { attemptsLeft: 0 },
    });

    // Locked: even the right OTP is refused now.
    const right = await verify(txnId, otp);
    expect(right.statusCode).toBe(429);
    expect(right.json()).toMatchObject({ code: 'OTP_LOCKED', message: 'too many wrong tries; request a new OTP' });
    const stored = await platform.db
      .selectFrom('otp_challenge')
      .select(['attempts', 'verified_at'])
      .where('id', '=', txnId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ attempts: 3, verified_at: null });
  });

  it('counts at most 3 tries when 10 wrong guesses arrive at once', async () => {
    const { txnId, otp } = await sendOtp();
    const answers = await Promise.all(Array.from({ length: 10 }, () => verify(txnId, wrongOtp(otp))));
    const codes = answers.map((a) => a.json().code);
    expect(codes.filter((c) => c === 'OTP_INVALID')).toHaveLength(3);
    expect(codes.filter((c) => c === 'OTP_LOCKED')).toHaveLength(7);
    expect(answers.filter((a) => a.json().code === 'OTP_LOCKED').every((a) => a.statusCode === 429)).toBe(true);
    const stored = await platform.db
      .selectFrom('otp_challenge')
      .select('attempts')
      .where('id', '=', txnId)
      .executeTakeFirstOrThrow();
    expect(stored.attempts).toBe(3);
    expect((await verify(txnId, otp)).json().code).toBe('OTP_LOCKED');
  });

  it('refuses an expired OTP', async () => {
    const { txnId, otp } = await sendOtp(shortLived.app);
    await sleep(2_000);
    const late = await verify(txnId, otp, shortLived.app);
    expect(late.statusCode).toBe(401);
    expect(late.json()).toMatchObject({ code: 'OTP_EXPIRED', message: 'this OTP has expired; request a new one' });
  });

  it('caps OTPs at 5 per mobile per hour, whatever the network', async () => {
    const mobile = uniqueMobile();
    for (let i = 0; i < 5; i++) {
      const sent = await requestOtp(platform.app, mobile, uniqueIp());
      expect(sent.statusCode, sent.body).toBe(200);
    }
    const sixth = await requestOtp(platform.app, mobile, uniqueIp());
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json()).toMatchObject({
      code: 'TOO_MANY_OTPS',
      message: expect.stringContaining('too many OTPs requested for this mobile'),
    });
    const challenges = await platform.db
      .selectFrom('otp_challenge')
      .select('id')
      .where('mobile', '=', mobile)
      .execute();
    expect(challenges).toHaveLength(5);
  });

  it('caps five requests at once on one mobile at exactly 5 OTPs', async () => {
    const mobile = uniqueMobile();
    const answers = await Promise.all(Array.from({ length: 8 }, () => requestOtp(platform.app, mobile, uniqueIp())));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(5);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(3);
  });
});

describe('tokens', () => {
  it('rotates the refresh token: it works once, and a reused one is refused', async () => {
    const { app } = platform;
    const mobile = uniqueMobile();
    const first = await loginTokens(app, mobile, uniqueIp());

    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const second = refreshed.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/beneficiaries', headers: bearer(second.token) })).statusCode,
    ).toBe(200);

    const reused = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(reused.statusCode).toBe(401);
    expect(reused.json().message).toMatch(/already used/);

    // An access token is not a refresh token.
    const wrongKind = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: second.token },
    });
    expect(wrongKind.statusCode).toBe(401);
    expect(wrongKind.json().message).toBe('invalid or expired refresh token; log in again');
    // The reuse ended the whole session: the newest refresh token is dead too.
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refreshToken: second.refreshToken },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('refreshes once even when the same refresh token is sent twice at once', async () => {
    const { app } = platform;
    const { refreshToken } = await loginTokens(app, uniqueMobile(), uniqueIp());
    const answers = await Promise.all(
      [1, 2, 3].map(() => app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } })),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401, 401]);
  });

  it('logout revokes the access token', async () => {
    const { app } = platform;
    const { token } = await loginTokens(app, uniqueMobile(), uniqueIp());
    expect((await app.inject({ method: 'GET', url: '/api/v1/beneficiaries', headers: bearer(token) })).statusCode).toBe(
      200,
    );
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) });
    expect(out.statusCode, out.body).toBe(204);
    const after = await app.inject({ method: 'GET', url: '/api/v1/beneficiaries', headers: bearer(token) });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ message: 'log in with your mobile number and OTP' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) })).statusCode).toBe(
      401,
    );
  });
});
