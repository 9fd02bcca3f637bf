/** The delivery-status callback route: authenticated by our shared token, updating the outbox row it names. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueMobile } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const TOKEN = 'callback-token-for-tests-0123456789abcdef';
let platform: TestPlatform;
beforeAll(async () => {
  process.env.SMS_CALLBACK_TOKEN = TOKEN;
  platform = await startTestPlatform();
});
afterAll(async () => {
  delete process.env.SMS_CALLBACK_TOKEN;
  await platform.close();
});

async function sentMessage(providerMessageId: string) {
  return platform.db
    .insertInto('sms_message')
    .values({
      idempotency_key: `test:${randomUUID()}`,
      mobile: uniqueMobile(),
      template: 'OTP',
      body: 'x',
      status: 'SENT',
      provider: 'msg91',
      provider_message_id: providerMessageId,
      sent_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

const statusOf = async (id: string) =>
  await platform.db
    .selectFrom('sms_message')
    .select(['status', 'last_error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('POST /api/v1/sms/delivery-reports/:provider', () => {
  it('marks a message delivered from a MSG91 JSON report carrying our token in its body (Webhook (New))', async () => {
    const requestId = `req-${randomUUID()}`;
    const message = await sentMessage(requestId);
    const response = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/sms/delivery-reports/msg91',
      payload: { requestId, status: '1', failureReason: '', teekaCallbackToken: TOKEN },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ updated: 1, received: 1 });
    expect((await statusOf(message.id)).status).toBe('DELIVERED');
  });

  it('reads MSG91 v2 form-encoded reports and records failures', async () => {
    const requestId = `req-${randomUUID()}`;
    const message = await sentMessage(requestId);
    const data = JSON.stringify([{ requestId, report: [{ number: '919876543210', status: '2', desc: 'FAILED' }] }]);
    const response = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/sms/delivery-reports/msg91',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-teeka-callback-token': TOKEN },
      payload: `data=${encodeURIComponent(data)}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect((await statusOf(message.id)).status).toBe('FAILED');
  });

  it('refuses a wrong or missing token and a malformed report, changing nothing', async () => {
    const requestId = `req-${randomUUID()}`;
    const message = await sentMessage(requestId);
    const body = { requestId, status: '1', desc: 'DELIVERED' };
    expect(
      (
        await platform.app.inject({
          method: 'POST',
          url: '/api/v1/sms/delivery-reports/msg91',
          headers: { 'x-teeka-callback-token': 'wrong' },
          payload: body,
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (await platform.app.inject({ method: 'POST', url: '/api/v1/sms/delivery-reports/msg91', payload: body }))
        .statusCode,
    ).toBe(401);
    const malformed = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/sms/delivery-reports/msg91',
      headers: { 'x-teeka-callback-token': TOKEN },
      payload: { status: '1' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(
      (
        await platform.app.inject({
          method: 'POST',
          url: '/api/v1/sms/delivery-reports/carrier-pigeon',
          headers: { 'x-teeka-callback-token': TOKEN },
          payload: body,
        })
      ).statusCode,
    ).toBe(400);
    expect((await statusOf(message.id)).status).toBe('SENT');
  });

  it('refuses the token in the URL, where access logs would keep it, even when it is right', async () => {
    const requestId = `req-${randomUUID()}`;
    const message = await sentMessage(requestId);
    const response = await platform.app.inject({
      method: 'POST',
      url: `/api/v1/sms/delivery-reports/webhook?token=${TOKEN}`,
      payload: { providerMessageId: requestId, status: 'DELIVERED' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'TOKEN_IN_URL',
      message: expect.stringContaining('x-teeka-callback-token header'),
    });
    expect((await statusOf(message.id)).status).toBe('SENT');
  });
});
