/** GET /metrics: what an operator's Prometheus sees after a person books and is vaccinated through the API. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import {
  book,
  loginBeneficiary,
  readSms,
  registerPerson,
  uniqueIp,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 864_000 });
});
afterAll(() => platform.close());

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

async function scrape(): Promise<{ text: string; samples: Sample[]; contentType: string }> {
  const response = await platform.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  const samples = response.body
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a Prometheus sample: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1], labels, value: Number(match[3]) };
    });
  return { text: response.body, samples, contentType: String(response.headers['content-type']) };
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('Prometheus metrics', () => {
  it('count requests by route pattern, bookings and doses, and read doses and SMS from Postgres', async () => {
    const { app, db } = platform;
    const before = await scrape();
    expect(before.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    // The process's own metrics.
    expect(value(before.samples, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(value(before.samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    const dosesBefore = value(before.samples, 'teeka_doses_administered', { dose: '1' })!;
    expect(dosesBefore).toBeGreaterThanOrEqual(0);

    const session = await insertSessionDay(db, { dose1: 5, district: PUNE });
    const mobile = uniqueMobile();
    const token = await loginBeneficiary(app, mobile, uniqueIp());
    const registered = await registerPerson(app, token);
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId, secretCode } = registered.json();
    const mine = await app.inject({
      method: 'GET',
      url: `/api/v1/beneficiaries/${referenceId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(mine.statusCode).toBe(200);
    expect((await book(app, token, referenceId, session.id)).statusCode).toBe(201);
    await waitFor(
      async () => (await readSms(app, mobile)).some((m) => m.template === 'BOOKING_CONFIRMED'),
      'booking SMS',
    );
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const dose = {
      referenceId,
      secretCode,
      sessionDayId: session.id,
      vaccineCode: 'COVAXIN',
      batch: 'MET-1',
      clientEventId: `metrics-${randomUUID()}`,
    };
    const recorded = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: { authorization: `Bearer ${vaccinator.token}` },
      payload: dose,
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    // The same dose sent again (same client event id) is a replay, not a second dose.
    const replayed = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: { authorization: `Bearer ${vaccinator.token}` },
      payload: dose,
    });
    expect(replayed.statusCode, replayed.body).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/no-such-thing' })).statusCode).toBe(404);

    const after = await scrape();
    // Per process: this app answered exactly these.
    expect(value(after.samples, 'teeka_bookings_total', { route: '/api/v1/appointments' })).toBe(1);
    expect(value(after.samples, 'teeka_doses_recorded_total', { route: '/api/v1/doses' })).toBe(1);
    expect(
      value(after.samples, 'teeka_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/doses',
        status_code: '201',
      }),
    ).toBe(1);
    expect(
      value(after.samples, 'teeka_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/doses',
        status_code: '200',
      }),
    ).toBe(1);
    expect(
      value(after.samples, 'teeka_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/beneficiaries/:referenceId',
        status_code: '200',
      }),
    ).toBe(1);
    expect(
      value(after.samples, 'teeka_http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status_code: '404',
      }),
    ).toBe(1);
    // Route patterns only: nothing a person typed, no id, becomes a label.
    for (const secret of [referenceId, mobile, session.id]) expect(after.text).not.toContain(secret);

    // Read from Postgres: every process reports the same, whichever wrote.
    expect(value(after.samples, 'teeka_doses_administered', { dose: '1' })).toBeGreaterThanOrEqual(dosesBefore + 1);
    for (const status of ['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'FAILED']) {
      expect(value(after.samples, 'teeka_sms_messages_last_hour', { status }), status).toBeGreaterThanOrEqual(0);
    }
    const sentLastHour = ['SENT', 'DELIVERED'].reduce(
      (sum, status) => sum + value(after.samples, 'teeka_sms_messages_last_hour', { status })!,
      0,
    );
    expect(sentLastHour, "at least this person's OTP and confirmation").toBeGreaterThanOrEqual(2);
    expect(value(after.samples, 'teeka_sms_pending', { status: 'QUEUED' })).toBeGreaterThanOrEqual(0);
    expect(value(after.samples, 'teeka_workflow_commands_pending')).toBeGreaterThanOrEqual(0);
    expect(value(after.samples, 'teeka_workflow_commands_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);
  });
});
