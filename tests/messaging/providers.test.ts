/** The MSG91 and webhook adapters, through the outbox, against local fakes that speak their protocols. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import { sendSms, type SmsRequest } from '../../messaging/sms-outbox.js';
import { createMsg91Provider } from '../../messaging/providers/msg91.js';
import { ProviderError, type SmsProvider } from '../../messaging/providers/types.js';
import { createWebhookProvider } from '../../messaging/providers/webhook.js';
import { renderSms } from '../../messaging/templates.js';
import { freePort } from '../../stack/ports.js';
import { uniqueMobile } from '../support/fixtures.js';
import { FakeGateway, msg91Accepted, msg91Gateway } from './fake-gateway.js';

const AUTH_KEY = 'test-msg91-authkey-0123456789';
const BOOKING = {
  name: 'Sunita Deshpande',
  dose: 1,
  date: '12 Jan 2027',
  slot: '09:00-11:00',
  site: 'PHC Kothrud',
  secretCode: '4821',
  referenceId: '73920461835270',
};

let db: Db;
beforeAll(() => {
  ({ db } = createDb({ connectionString: inject('databaseUrl') }));
});
afterAll(() => db.destroy());

function bookingRequest(overrides: Partial<SmsRequest> = {}): SmsRequest {
  return {
    idempotencyKey: `test:${randomUUID()}`,
    mobile: uniqueMobile(),
    template: 'BOOKING_CONFIRMED',
    vars: BOOKING,
    ...overrides,
  };
}

function row(id: string) {
  return db.selectFrom('sms_message').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('MSG91 adapter (v2 sendsms with DLT_TE_ID)', () => {
  let gateway: FakeGateway;
  let msg91: SmsProvider;
  beforeAll(async () => {
    gateway = await FakeGateway.start(msg91Gateway(AUTH_KEY));
    msg91 = createMsg91Provider({ authKey: AUTH_KEY, baseUrl: gateway.url, timeoutMs: 2_000 });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.reset());

  it('posts the rendered text with its DLT template id, sender and 91-prefixed number, and stores the request id', async () => {
    const request = bookingRequest();
    const { id, outcome } = await sendSms(db, msg91, request);
    expect(outcome).toBe('SENT');

    expect(gateway.requests).toHaveLength(1);
    const [hit] = gateway.requests;
    const rendered = renderSms('BOOKING_CONFIRMED', BOOKING, 'en');
    expect(hit.method).toBe('POST');
    expect(hit.path).toBe('/api/v2/sendsms');
    expect(hit.headers.authkey).toBe(AUTH_KEY);
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.json).toEqual({
      sender: 'TEEKAG',
      route: '4',
      country: '91',
      unicode: 0,
      DLT_TE_ID: rendered.dltTemplateId,
      sms: [{ message: rendered.body, to: [`91${request.mobile}`] }],
    });
    expect(hit.json.sms[0].to[0]).toMatch(/^91[6-9]\d{9}$/);

    const stored = await row(id);
    expect(stored).toMatchObject({
      status: 'SENT',
      provider: 'msg91',
      attempts: 1,
      last_error: null,
      dlt_template_id: rendered.dltTemplateId,
    });
    expect(stored.provider_message_id).toMatch(/^[0-9a-f]{24}$/);
    expect(stored.sent_at).toBeInstanceOf(Date);
  });

  it('flags Hindi text as unicode', async () => {
    await sendSms(db, msg91, bookingRequest({ locale: 'hi' }));
    expect(gateway.requests[0].json).toMatchObject({
      unicode: 1,
      DLT_TE_ID: renderSms('BOOKING_CONFIRMED', BOOKING, 'hi').dltTemplateId,
    });
  });

  it('puts the message back in the queue on a 500 and sends it once when retried', async () => {
    gateway.script({ status: 500, body: { type: 'error', message: 'Internal error' } });
    const request = bookingRequest();

    const error = await rejection(sendSms(db, msg91, request));
    expect(error).toMatchObject({ retryable: true, status: 500 });
    const { id } = await db
      .selectFrom('sms_message')
      .select('id')
      .where('idempotency_key', '=', request.idempotencyKey)
      .executeTakeFirstOrThrow();
    expect(await row(id)).toMatchObject({
      status: 'QUEUED',
      attempts: 1,
      sent_at: null,
      last_error: expect.stringContaining('HTTP 500'),
    });

    expect(await sendSms(db, msg91, request)).toEqual({ id, outcome: 'SENT' });
    expect(await sendSms(db, msg91, request)).toEqual({ id, outcome: 'ALREADY_SENT' });
    expect(gateway.requests).toHaveLength(2);
    expect(await row(id)).toMatchObject({ status: 'SENT', attempts: 2, last_error: null });
  });

  it('fails the message for good on a 400, without echoing the number into last_error', async () => {
    const request = bookingRequest();
    gateway.script({
      status: 400,
      body: { type: 'error', message: `Invalid mobile number 91${request.mobile}`, code: '211' },
    });

    const { id, outcome } = await sendSms(db, msg91, request);
    expect(outcome).toBe('FAILED');
    const stored = await row(id);
    expect(stored).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      sent_at: null,
      last_error: expect.stringContaining('HTTP 400'),
    });
    expect(stored.last_error).not.toContain(request.mobile);

    expect(await sendSms(db, msg91, request)).toEqual({ id, outcome: 'FAILED' });
    expect(gateway.requests).toHaveLength(1);
  });

  it('treats an error reported in a 200 body (a wrong authkey) as final', async () => {
    const wrongKey = createMsg91Provider({ authKey: 'not-the-key', baseUrl: gateway.url, timeoutMs: 2_000 });
    gateway.script({ status: 200, body: { type: 'error', message: 'Authentication failure', code: '301' } });
    const { id, outcome } = await sendSms(db, wrongKey, bookingRequest());
    expect(outcome).toBe('FAILED');
    expect((await row(id)).last_error).toMatch(/rejected: Authentication failure \(code 301\)/);
  });

  it('retries after a 429, passing on Retry-After', async () => {
    gateway.script(
      { status: 429, headers: { 'retry-after': '2' }, body: { type: 'error', message: 'Too many requests' } },
      msg91Accepted(),
    );
    const request = bookingRequest();
    const error = await rejection(sendSms(db, msg91, request));
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2_000 });
    expect((await sendSms(db, msg91, request)).outcome).toBe('SENT');
    expect(gateway.requests).toHaveLength(2);
  });

  it('retries when the gateway cannot be reached or does not answer in time', async () => {
    const unreachable = createMsg91Provider({
      authKey: AUTH_KEY,
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      timeoutMs: 2_000,
    });
    expect(await rejection(sendSms(db, unreachable, bookingRequest()))).toMatchObject({
      retryable: true,
      status: undefined,
    });

    const impatient = createMsg91Provider({ authKey: AUTH_KEY, baseUrl: gateway.url, timeoutMs: 100 });
    gateway.script({ ...msg91Accepted(), delayMs: 500 });
    const error = await rejection(sendSms(db, impatient, bookingRequest()));
    expect(error).toMatchObject({ retryable: true });
    expect(error.message).toMatch(/no response within 100 ms/);
  });
});

describe('webhook adapter', () => {
  const AUTH = { name: 'authorization', value: 'Bearer webhook-secret' };
  const BODY_TEMPLATE =
    '{"msisdn":"91{{to}}","text":"{{body}}","template":"{{dltTemplateId}}","from":"{{senderId}}","ref":"{{reference}}"}';
  let gateway: FakeGateway;
  let webhook: SmsProvider;
  beforeAll(async () => {
    gateway = await FakeGateway.start((request) =>
      request.headers.authorization === AUTH.value
        ? { status: 202, body: { data: { id: `gw-${randomUUID()}` } } }
        : { status: 401, body: { error: 'unauthorised' } },
    );
    webhook = createWebhookProvider({
      url: `${gateway.url}/send`,
      bodyTemplate: BODY_TEMPLATE,
      authHeader: AUTH,
      messageIdField: 'data.id',
      timeoutMs: 2_000,
    });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.reset());

  it('posts the body template with JSON-escaped values and the auth header, and keeps the gateway id', async () => {
    const vars = { ...BOOKING, name: 'Anita "Annie" D\\Souza' };
    const request = bookingRequest({ vars });
    gateway.script({ status: 202, body: { data: { id: 'gw-42' } } });
    const { id, outcome } = await sendSms(db, webhook, request);
    expect(outcome).toBe('SENT');

    const [hit] = gateway.requests;
    const rendered = renderSms('BOOKING_CONFIRMED', vars, 'en');
    expect(hit.path).toBe('/send');
    expect(hit.headers.authorization).toBe(AUTH.value);
    expect(hit.json).toEqual({
      msisdn: `91${request.mobile}`,
      text: rendered.body,
      template: rendered.dltTemplateId,
      from: 'TEEKAG',
      ref: id,
    });
    expect(await row(id)).toMatchObject({ status: 'SENT', provider: 'webhook', provider_message_id: 'gw-42' });
  });

  it('uses our outbox id as the message id when the gateway returns none', async () => {
    gateway.script({ status: 200, body: 'OK' });
    const { id } = await sendSms(db, webhook, bookingRequest());
    expect(await row(id)).toMatchObject({ status: 'SENT', provider: 'webhook', provider_message_id: id });
  });

  it('retries a 503 and a 429 once each, and fails a 422 for good', async () => {
    gateway.script({ status: 503 }, { status: 429 });
    const request = bookingRequest();
    expect(await rejection(sendSms(db, webhook, request))).toMatchObject({ retryable: true, status: 503 });
    expect(await rejection(sendSms(db, webhook, request))).toMatchObject({ retryable: true, status: 429 });
    expect((await sendSms(db, webhook, request)).outcome).toBe('SENT');
    expect((await sendSms(db, webhook, request)).outcome).toBe('ALREADY_SENT');
    expect(gateway.requests).toHaveLength(3);

    gateway.script({ status: 422, body: { error: 'template not approved' } });
    const rejected = await sendSms(db, webhook, bookingRequest());
    expect(rejected.outcome).toBe('FAILED');
    expect((await row(rejected.id)).last_error).toMatch(/HTTP 422: .*template not approved/);
  });

  it('refuses a body template with unknown placeholders or that is not JSON, at creation', () => {
    expect(() =>
      createWebhookProvider({ url: gateway.url, bodyTemplate: '{"to":"{{phone}}"}', timeoutMs: 1_000 }),
    ).toThrow(/unknown placeholder\(s\) phone/);
    expect(() => createWebhookProvider({ url: gateway.url, bodyTemplate: '{"to":"{{to}}"', timeoutMs: 1_000 })).toThrow(
      /valid JSON/,
    );
  });
});
