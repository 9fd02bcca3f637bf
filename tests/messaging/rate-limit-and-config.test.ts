/** createSmsProvider from the environment, and the rate it holds a gateway to. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSmsConfig } from '../../messaging/config.js';
import { createSmsProvider } from '../../messaging/providers/index.js';
import { TokenBucket } from '../../messaging/rate-limit.js';
import { FakeGateway } from './fake-gateway.js';

describe('rate limit', () => {
  let gateway: FakeGateway;
  beforeAll(async () => {
    gateway = await FakeGateway.start(() => ({ status: 200, body: { id: 'ok' } }));
  });
  afterAll(() => gateway.close());

  it('holds a provider to its configured messages per second, in arrival order', async () => {
    const provider = createSmsProvider({
      NODE_ENV: 'test',
      SMS_PROVIDER: 'webhook',
      SMS_WEBHOOK_URL: gateway.url,
      SMS_RATE_PER_SECOND: '5',
    });
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        provider.send({
          to: '9000000000',
          body: `message ${i}`,
          dltTemplateId: '1107000000000000000',
          senderId: 'TEEKAG',
          reference: String(i),
        }),
      ),
    );
    const elapsedMs = performance.now() - started;

    // 5/s with no burst: one at once, then one every 200 ms, so ~1.8 s for ten. Loose bounds only.
    expect(elapsedMs).toBeGreaterThanOrEqual(1_500);
    expect(gateway.requests.map((r) => r.json.reference)).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
    const spanMs = gateway.requests[9].receivedAt - gateway.requests[0].receivedAt;
    expect(spanMs).toBeGreaterThanOrEqual(1_400);
  });

  it('lets a burst through at once, then paces', async () => {
    const started = performance.now();
    const bucket = new TokenBucket(20, 3);
    let burstTaken = false;
    const burst = Promise.all([bucket.take(), bucket.take(), bucket.take()]).then(() => (burstTaken = true));
    // The three tokens are there already: the burst is granted before the event loop's next turn, with no timer.
    await new Promise((resolve) => setImmediate(resolve));
    expect(burstTaken).toBe(true);
    await burst;
    await Promise.all([bucket.take(), bucket.take()]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90); // two more at 20/s ≈ 100 ms
  });

  it('refuses a rate or burst that cannot work', () => {
    expect(() => new TokenBucket(0)).toThrow(/above 0/);
    expect(() => new TokenBucket(5, 0)).toThrow(/at least 1/);
  });
});

describe('SMS configuration', () => {
  it('defaults to the dev outbox outside production', () => {
    expect(loadSmsConfig({ NODE_ENV: 'development' })).toMatchObject({
      provider: 'dev',
      ratePerSecond: 10,
      rateBurst: 1,
      httpTimeoutMs: 10_000,
      sendingStaleMs: 300_000,
      callbackToken: undefined,
    });
    expect(createSmsProvider({ NODE_ENV: 'test' }).name).toBe('dev-outbox');
  });

  it('reads MSG91 and webhook settings', () => {
    expect(loadSmsConfig({ SMS_PROVIDER: 'msg91', MSG91_AUTH_KEY: 'k' }).msg91).toEqual({
      authKey: 'k',
      baseUrl: 'https://api.msg91.com',
      route: '4',
    });
    const webhook = loadSmsConfig({
      SMS_PROVIDER: 'webhook',
      SMS_WEBHOOK_URL: 'https://relay.example/sms',
      SMS_WEBHOOK_AUTH_HEADER: 'X-Api-Key: abc:def',
      SMS_WEBHOOK_MESSAGE_ID_FIELD: 'data.id',
    }).webhook;
    expect(webhook).toMatchObject({
      url: 'https://relay.example/sms',
      authHeader: { name: 'x-api-key', value: 'abc:def' },
      messageIdField: 'data.id',
    });
    expect(createSmsProvider({ SMS_PROVIDER: 'msg91', MSG91_AUTH_KEY: 'k' }).name).toBe('msg91');
  });

  it('fails fast on what would break sending or callbacks', () => {
    expect(() => loadSmsConfig({ SMS_PROVIDER: 'twilio' })).toThrow(/dev, msg91 or webhook/);
    expect(() => loadSmsConfig({ SMS_PROVIDER: 'msg91' })).toThrow(/MSG91_AUTH_KEY must be set/);
    expect(() => loadSmsConfig({ SMS_PROVIDER: 'webhook' })).toThrow(/SMS_WEBHOOK_URL must be set/);
    expect(() =>
      loadSmsConfig({ SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: 'http://x', SMS_WEBHOOK_AUTH_HEADER: 'no colon' }),
    ).toThrow(/Name: value/);
    expect(() => loadSmsConfig({ SMS_RATE_PER_SECOND: '-1' })).toThrow(/positive number/);
    expect(() => loadSmsConfig({ SMS_CALLBACK_TOKEN: 'short' })).toThrow(/at least 32/);
  });

  it('in production needs a real provider and a callback secret', () => {
    const token = 'c'.repeat(32);
    expect(() => loadSmsConfig({ NODE_ENV: 'production' })).toThrow(/SMS_PROVIDER must be set in production/);
    expect(() => loadSmsConfig({ NODE_ENV: 'production', SMS_PROVIDER: 'dev' })).toThrow(
      /refused when NODE_ENV=production/,
    );
    expect(() => loadSmsConfig({ NODE_ENV: 'production', SMS_PROVIDER: 'msg91', MSG91_AUTH_KEY: 'k' })).toThrow(
      /SMS_CALLBACK_TOKEN must be set/,
    );
    expect(
      loadSmsConfig({ NODE_ENV: 'production', SMS_PROVIDER: 'msg91', MSG91_AUTH_KEY: 'k', SMS_CALLBACK_TOKEN: token })
        .callbackToken,
    ).toBe(token);
  });
});
