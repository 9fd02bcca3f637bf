/** Gateways' delivery callbacks, parsed and applied to the outbox. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import {
  callbackTokenMatches,
  MalformedDeliveryReportError,
  parseMsg91DeliveryReport,
  parseWebhookDeliveryReport,
} from '../../messaging/delivery-reports.js';
import { applyDeliveryReport, sendSms, type SmsRequest } from '../../messaging/sms-outbox.js';
import { createMsg91Provider } from '../../messaging/providers/msg91.js';
import { createWebhookProvider } from '../../messaging/providers/webhook.js';
import { uniqueMobile } from '../support/fixtures.js';
import { FakeGateway, msg91Gateway } from './fake-gateway.js';

const AUTH_KEY = 'test-msg91-authkey-reports';

let db: Db;
let gateway: FakeGateway;
beforeAll(async () => {
  ({ db } = createDb({ connectionString: inject('databaseUrl') }));
  gateway = await FakeGateway.start(msg91Gateway(AUTH_KEY));
});
afterAll(async () => {
  await gateway.close();
  await db.destroy();
});

function reminder(): SmsRequest {
  return {
    idempotencyKey: `test:${randomUUID()}`,
    mobile: uniqueMobile(),
    template: 'APPOINTMENT_REMINDER',
    vars: {
      name: 'Ravi Kumar',
      dose: 2,
      date: '14 Jan 2027',
      slot: '11:00-13:00',
      site: 'UPHC Aundh',
      secretCode: '9031',
    },
  };
}

/** Sends through the MSG91 fake and returns the row id and the request id MSG91 would quote back. */
async function sentViaMsg91() {
  const msg91 = createMsg91Provider({ authKey: AUTH_KEY, baseUrl: gateway.url, timeoutMs: 2_000 });
  const request = reminder();
  const { id } = await sendSms(db, msg91, request);
  const { provider_message_id } = await row(id);
  return { id, requestId: provider_message_id!, mobile: request.mobile };
}

function row(id: string) {
  return db.selectFrom('sms_message').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** MSG91 webhook v2: a urlencoded form whose `data` field is a JSON string. */
function msg91FormBody(requestId: string, mobile: string, status: string, desc: string, failedReason = ''): string {
  const data = JSON.stringify([
    {
      senderId: 'TEEKAG',
      requestId,
      report: [{ date: '2027-01-13 10:06:20', number: `91${mobile}`, status, desc, failedReason }],
      userId: '27001',
      campaignName: 'API',
    },
  ]);
  return new URLSearchParams({ data }).toString();
}

describe('MSG91 delivery reports', () => {
  it('marks a message DELIVERED from a v2 form callback, and a repeat changes nothing', async () => {
    const { id, requestId, mobile } = await sentViaMsg91();
    const reports = parseMsg91DeliveryReport(msg91FormBody(requestId, mobile, '1', 'DELIVERED'));
    expect(reports).toEqual([{ provider: 'msg91', providerMessageId: requestId, status: 'DELIVERED' }]);

    expect(await applyDeliveryReport(db, reports[0])).toBe('UPDATED');
    const stored = await row(id);
    expect(stored.status).toBe('DELIVERED');
    expect(stored.delivered_at).toBeInstanceOf(Date);
    expect(await applyDeliveryReport(db, reports[0])).toBe('UNCHANGED');

    // A late failure report does not undo a delivery.
    expect(await applyDeliveryReport(db, { ...reports[0], status: 'FAILED', error: 'late' })).toBe('UNCHANGED');
    expect((await row(id)).status).toBe('DELIVERED');
  });

  it('marks a message FAILED from a v3 JSON callback, in MSG91’s words and without the number', async () => {
    const { id, requestId, mobile } = await sentViaMsg91();
    const reports = parseMsg91DeliveryReport({
      requestId,
      number: `91${mobile}`,
      senderId: 'TEEKAG',
      status: '17',
      desc: 'Blocked number',
    });
    expect(reports).toEqual([
      { provider: 'msg91', providerMessageId: requestId, status: 'FAILED', error: 'Blocked number (MSG91 status 17)' },
    ]);

    expect(await applyDeliveryReport(db, reports[0])).toBe('UPDATED');
    const stored = await row(id);
    expect(stored).toMatchObject({
      status: 'FAILED',
      last_error: 'Blocked number (MSG91 status 17)',
      delivered_at: null,
    });
  });

  it('reads the parsed form object, the new webhook’s fields, and skips reports that are not final', () => {
    const parsedForm = Object.fromEntries(
      new URLSearchParams(msg91FormBody('req-1', '9000000001', '2', 'FAILED', 'Absent subscriber')),
    );
    expect(parseMsg91DeliveryReport(parsedForm)).toEqual([
      {
        provider: 'msg91',
        providerMessageId: 'req-1',
        status: 'FAILED',
        error: 'FAILED: Absent subscriber (MSG91 status 2)',
      },
    ]);
    expect(
      parseMsg91DeliveryReport(JSON.stringify({ requestId: 'req-2', status: 'Delivered', telNum: '919000000002' })),
    ).toEqual([{ provider: 'msg91', providerMessageId: 'req-2', status: 'DELIVERED' }]);
    expect(parseMsg91DeliveryReport({ requestId: 'req-3', status: '8', desc: 'SENT' })).toEqual([]);
  });

  it('rejects what is not a report', () => {
    expect(() => parseMsg91DeliveryReport('not json, no data')).toThrow(MalformedDeliveryReportError);
    expect(() => parseMsg91DeliveryReport({ status: '1' })).toThrow(/without a requestId/);
    expect(() => parseMsg91DeliveryReport({ data: '[{"requestId":' })).toThrow(/not valid JSON/);
  });

  it('says when a report names no message we sent', async () => {
    expect(
      await applyDeliveryReport(db, {
        provider: 'msg91',
        providerMessageId: `nope-${randomUUID()}`,
        status: 'DELIVERED',
      }),
    ).toBe('UNKNOWN_MESSAGE');
  });
});

describe('webhook delivery reports', () => {
  it('applies the documented shape, one report or several', async () => {
    const relay = await FakeGateway.start(() => ({ status: 200, body: { id: `relay-${randomUUID()}` } }));
    try {
      const webhook = createWebhookProvider({ url: relay.url, timeoutMs: 2_000 });
      const first = await sendSms(db, webhook, reminder());
      const second = await sendSms(db, webhook, reminder());
      const ids = await Promise.all([first.id, second.id].map(async (id) => (await row(id)).provider_message_id!));

      const reports = parseWebhookDeliveryReport([
        { providerMessageId: ids[0], status: 'delivered' },
        { providerMessageId: ids[1], status: 'FAILED', error: 'DND' },
      ]);
      for (const report of reports) expect(await applyDeliveryReport(db, report)).toBe('UPDATED');
      expect((await row(first.id)).status).toBe('DELIVERED');
      expect(await row(second.id)).toMatchObject({ status: 'FAILED', last_error: 'DND' });
    } finally {
      await relay.close();
    }
  });

  it('rejects reports without an id or with another status', () => {
    expect(() => parseWebhookDeliveryReport({ status: 'DELIVERED' })).toThrow(/providerMessageId/);
    expect(() => parseWebhookDeliveryReport({ providerMessageId: 'x', status: 'QUEUED' })).toThrow(
      /DELIVERED or FAILED/,
    );
    expect(() => parseWebhookDeliveryReport('x')).toThrow(MalformedDeliveryReportError);
  });
});

describe('callback authentication', () => {
  it('matches only the exact shared secret', () => {
    const secret = 'a-callback-secret-of-32-characters!';
    expect(callbackTokenMatches(secret, secret)).toBe(true);
    expect(callbackTokenMatches(secret, `${secret}x`)).toBe(false);
    expect(callbackTokenMatches(secret, 'short')).toBe(false);
    expect(callbackTokenMatches(secret, undefined)).toBe(false);
    expect(callbackTokenMatches(undefined, secret)).toBe(false);
  });
});
