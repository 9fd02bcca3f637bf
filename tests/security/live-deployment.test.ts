/**
 * A deployment that forgets NODE_ENV=production is still live when it sends real SMS or listens beyond loopback:
 * it refuses the development defaults (derived secrets, a generated certificate key) and says why, and never
 * serves the dev SMS outbox, whose rows are live OTPs, unless the dev outbox is the SMS provider.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadSigningKeys } from '../../certificates/keys.js';
import { loadConfig } from '../../config/env.js';
import { loadSmsConfig } from '../../messaging/config.js';
import { createSmsProviderFromConfig } from '../../messaging/providers/index.js';
import { uniqueMobile } from '../support/fixtures.js';
import { requestOtp, uniqueIp } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const SECRETS = {
  ID_HASH_SECRET: 'live-id-hash-secret-that-must-never-be-printed-1',
  TOKEN_SECRET: 'live-token-secret-that-must-never-be-printed-22',
};

describe('a live deployment that forgets NODE_ENV', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });
  /** NODE_ENV unset (development by default), as a deployment that forgot it. */
  const liveEnv = (env: Record<string, string>) => {
    for (const name of ['NODE_ENV', 'ID_HASH_SECRET', 'TOKEN_SECRET', 'CERT_SIGNING_KEYS', 'SMS_PROVIDER', 'HOST'])
      delete process.env[name];
    Object.assign(process.env, { DATABASE_URL: 'postgres://teeka@127.0.0.1:9/teeka', ...env });
  };
  // Nothing listens there: no SMS leaves the machine.
  const webhookSms = { SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: 'http://127.0.0.1:9/send' };

  it('refuses the development secrets and signing key, and says why', async () => {
    liveEnv(webhookSms);
    expect(() => loadConfig()).toThrow(
      'ID_HASH_SECRET must be set to at least 32 characters: SMS_PROVIDER=webhook sends real SMS, so its public development default is refused',
    );
    liveEnv({ ...webhookSms, ID_HASH_SECRET: SECRETS.ID_HASH_SECRET });
    expect(() => loadConfig()).toThrow(
      /TOKEN_SECRET must be set to at least 32 characters: SMS_PROVIDER=webhook sends real SMS/,
    );
    liveEnv({ HOST: '0.0.0.0' });
    expect(() => loadConfig()).toThrow(/ID_HASH_SECRET must be set .*: HOST=0.0.0.0 listens beyond this machine/);

    liveEnv({ ...webhookSms, ID_HASH_SECRET: SECRETS.ID_HASH_SECRET, TOKEN_SECRET: SECRETS.TOKEN_SECRET });
    const config = loadConfig();
    expect(config.nodeEnv).toBe('development');
    await expect(
      loadSigningKeys({ nodeEnv: config.nodeEnv, dataDir: config.dataDir, configured: undefined }),
    ).rejects.toThrow(/CERT_SIGNING_KEYS must be set \(SMS_PROVIDER=webhook sends real SMS, so no development key/);

    // On a developer's own machine the defaults still work.
    liveEnv({});
    expect(loadConfig().tokenSecret).toMatch(/development-only/);
  });

  it('serves the dev SMS outbox (live OTPs) only when no SMS leaves the machine', async () => {
    const withGateway = await startTestPlatform(
      { nodeEnv: 'development' },
      { sms: createSmsProviderFromConfig(loadSmsConfig({ ...webhookSms })) },
    );
    const withOutbox = await startTestPlatform({ nodeEnv: 'development' });
    try {
      const mobile = uniqueMobile();
      expect((await requestOtp(withOutbox.app, mobile, uniqueIp())).statusCode).toBe(200);
      const read = (platform: TestPlatform) =>
        platform.app.inject({ method: 'GET', url: `/api/v1/dev/sms?mobile=${mobile}` });
      expect((await read(withGateway)).statusCode).toBe(404);
      const outbox = await read(withOutbox);
      expect(outbox.statusCode).toBe(200);
      expect(outbox.json().messages[0].template).toBe('OTP');
    } finally {
      await Promise.all([withGateway.close(), withOutbox.close()]);
    }
  });
});
