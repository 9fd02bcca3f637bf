/** The outbox's promises: one row per key, one send per row, never a resend of a row whose fate is unknown. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import {
  deliverSms,
  enqueueSms,
  sendSms,
  SmsDeliveryInProgressError,
  type SmsRequest,
} from '../../messaging/sms-outbox.js';
import { createDevOutboxProvider } from '../../messaging/providers/dev-outbox.js';
import { createMsg91Provider } from '../../messaging/providers/msg91.js';
import type { SmsProvider } from '../../messaging/providers/types.js';
import { renderSms } from '../../messaging/templates.js';
import { uniqueMobile } from '../support/fixtures.js';
import { FakeGateway, msg91Accepted, msg91Gateway } from './fake-gateway.js';

const AUTH_KEY = 'test-msg91-authkey-outbox';

let db: Db;
let gateway: FakeGateway;
let msg91: SmsProvider;
beforeAll(async () => {
  ({ db } = createDb({ connectionString: inject('databaseUrl') }));
  gateway = await FakeGateway.start(msg91Gateway(AUTH_KEY));
  msg91 = createMsg91Provider({ authKey: AUTH_KEY, baseUrl: gateway.url, timeoutMs: 5_000 });
});
afterAll(async () => {
  await gateway.close();
  await db.destroy();
});
beforeEach(() => gateway.reset());

function otpRequest(overrides: Partial<SmsRequest> = {}): SmsRequest {
  return {
    idempotencyKey: `test:${randomUUID()}`,
    mobile: uniqueMobile(),
    template: 'OTP',
    vars: { otp: '482913', minutes: 10 },
    ...overrides,
  };
}

function row(id: string) {
  return db.selectFrom('sms_message').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('enqueueSms', () => {
  it('stores the rendered message once per idempotency key', async () => {
    const request = otpRequest({ locale: 'hi' });
    const first = await enqueueSms(db, request);
    const again = await enqueueSms(db, request);
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });

    const rendered = renderSms('OTP', request.vars, 'hi');
    expect(await row(first.id)).toMatchObject({
      idempotency_key: request.idempotencyKey,
      mobile: request.mobile,
      template: 'OTP',
      locale: 'hi',
      body: rendered.body,
      dlt_template_id: rendered.dltTemplateId,
      status: 'QUEUED',
      attempts: 0,
    });
  });

  it('joins the caller’s transaction: rolled back with it, nothing to send', async () => {
    const request = otpRequest();
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueueSms(trx, request);
        throw new Error('booking refused');
      }),
    ).rejects.toThrow('booking refused');
    const rows = await db
      .selectFrom('sms_message')
      .select('id')
      .where('idempotency_key', '=', request.idempotencyKey)
      .execute();
    expect(rows).toHaveLength(0);
  });

  it('refuses a key already used for another message, a malformed mobile and an unrenderable message', async () => {
    const request = otpRequest();
    await enqueueSms(db, request);
    await expect(enqueueSms(db, { ...request, mobile: uniqueMobile() })).rejects.toThrow(
      /already used for a different message/,
    );
    await expect(enqueueSms(db, otpRequest({ mobile: '12345' }))).rejects.toThrow(/10-digit Indian mobile/);
    await expect(enqueueSms(db, otpRequest({ vars: { otp: '1' } }))).rejects.toThrow(/missing minutes/);
  });
});

describe('deliverSms and sendSms', () => {
  it('dev-outbox sends nothing and leaves the message readable in the table', async () => {
    const { id, outcome } = await sendSms(db, createDevOutboxProvider(), otpRequest());
    expect(outcome).toBe('SENT');
    const stored = await row(id);
    expect(stored).toMatchObject({
      status: 'SENT',
      provider: 'dev-outbox',
      provider_message_id: `dev-${id}`,
      attempts: 1,
    });
    expect(stored.body).toContain('482913 is your Teeka verification code');
  });

  it('sends once however often a delivery is retried', async () => {
    const request = otpRequest();
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await sendSms(db, msg91, request)).outcome);
    expect(outcomes).toEqual(['SENT', 'ALREADY_SENT', 'ALREADY_SENT']);
    expect(gateway.requests).toHaveLength(1);
  });

  it('sends once when the same message is delivered concurrently', async () => {
    gateway.script({ ...msg91Accepted(), delayMs: 300 }); // keeps the winner in flight while the others arrive
    const request = otpRequest();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => sendSms(db, msg91, request)));

    const outcomes = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.outcome] : []));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(outcomes.filter((o) => o === 'SENT')).toHaveLength(1);
    expect(outcomes.every((o) => o === 'SENT' || o === 'ALREADY_SENT')).toBe(true);
    for (const failure of failures) expect(failure).toBeInstanceOf(SmsDeliveryInProgressError);

    // What a Temporal retry of the losers then finds:
    expect((await sendSms(db, msg91, request)).outcome).toBe('ALREADY_SENT');
    expect(gateway.requests).toHaveLength(1);
    const { id } = await enqueueSms(db, request);
    expect(await row(id)).toMatchObject({ status: 'SENT', attempts: 1 });
  });

  it('never resends a row a crashed sender left SENDING: in flight it is busy, stale it is settled as FAILED', async () => {
    const { id } = await enqueueSms(db, otpRequest());
    // As a sender that claimed the row and died would leave it:
    await db
      .updateTable('sms_message')
      .set({ status: 'SENDING', attempts: 1, provider: 'msg91', sent_at: sql`now()` })
      .where('id', '=', id)
      .execute();

    await expect(deliverSms(db, msg91, id)).rejects.toBeInstanceOf(SmsDeliveryInProgressError);
    expect((await row(id)).status).toBe('SENDING');

    await db
      .updateTable('sms_message')
      .set({ sent_at: sql`now() - interval '10 minutes'` })
      .where('id', '=', id)
      .execute();
    expect(await deliverSms(db, msg91, id, { sendingStaleMs: 5 * 60_000 })).toBe('FAILED');
    expect(await row(id)).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      last_error: expect.stringMatching(/^outcome unknown/),
    });
    expect(await deliverSms(db, msg91, id)).toBe('FAILED');
    expect(gateway.requests).toHaveLength(0);
  });

  it('sends again, once stale, a message the dev outbox was sending when its sender died: nobody is reached twice', async () => {
    const { id } = await enqueueSms(db, otpRequest());
    await db
      .updateTable('sms_message')
      .set({ status: 'SENDING', attempts: 1, provider: 'dev-outbox', sent_at: sql`now()` })
      .where('id', '=', id)
      .execute();
    const dev = createDevOutboxProvider();
    await expect(deliverSms(db, dev, id)).rejects.toBeInstanceOf(SmsDeliveryInProgressError);

    await db
      .updateTable('sms_message')
      .set({ sent_at: sql`now() - interval '10 minutes'` })
      .where('id', '=', id)
      .execute();
    expect(await deliverSms(db, dev, id, { sendingStaleMs: 5 * 60_000 })).toBe('SENT');
    expect(await row(id)).toMatchObject({ status: 'SENT', attempts: 2 });
    expect(await deliverSms(db, dev, id)).toBe('ALREADY_SENT');
  });

  it('fails, loudly and without a resend, when the provider breaks instead of answering', async () => {
    const broken: SmsProvider = {
      name: 'broken',
      async send() {
        throw new TypeError('undefined is not a function');
      },
    };
    const request = otpRequest();
    await expect(sendSms(db, broken, request)).rejects.toThrow(TypeError);
    const { id } = await enqueueSms(db, request);
    expect(await row(id)).toMatchObject({ status: 'FAILED', last_error: 'undefined is not a function' });
    expect((await sendSms(db, broken, request)).outcome).toBe('FAILED');
  });

  it('refuses to run inside a transaction, and reports a row that does not exist', async () => {
    const { id } = await enqueueSms(db, otpRequest());
    await expect(db.transaction().execute((trx) => deliverSms(trx, msg91, id))).rejects.toThrow(
      /must not run in a transaction/,
    );
    await expect(deliverSms(db, msg91, randomUUID())).rejects.toThrow(/no SMS with id/);
    expect(gateway.requests).toHaveLength(0);
  });
});
