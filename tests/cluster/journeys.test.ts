/**
 * The production topology: a real Temporal cluster on Postgres (frontend, history, matching and the internal
 * worker, each its own process; stack/temporal-cluster.ts), two Teeka workers and two API processes, reached over
 * HTTP only. One person goes the whole way from OTP to fully vaccinated. Then, under faults, 150 people book and are vaccinated through the HTTP API (tests/reliability/load-with-faults.ts) while the history
 * service is SIGKILLed and started again, then the matching service, then the frontend. Afterwards nothing
 * acknowledged is lost or doubled and every journey finishes at DOSE1_DONE, in Postgres and in its workflow.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePeopleThroughFaults } from '../reliability/load-with-faults.js';
import { startIsolatedStack, type IsolatedStack } from '../reliability/stack.js';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import {
  ensureTestVaccine,
  loginBeneficiary,
  readSms,
  registerPerson,
  stageOf,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';

let stack: IsolatedStack;

beforeAll(async () => {
  // Real days: no reminder, no-show or dose-2 timer falls due while the test runs, so every SMS is accounted for.
  stack = await startIsolatedStack({
    apis: 2,
    workers: 2,
    temporal: 'cluster',
    env: { DAY_MS: '86400000', SMS_RATE_PER_SECOND: '200', SMS_RATE_BURST: '20' },
  });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The journey helpers' `app.inject`, answered by real HTTP requests to the API processes in turn (each request may
 * land on either, as behind a load balancer).
 */
function overHttp(baseUrls: string[]): FastifyInstance {
  let next = 0;
  const inject = async (request: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    payload?: unknown;
  }) => {
    const response = await fetch(`${baseUrls[next++ % baseUrls.length]}${request.url}`, {
      method: request.method,
      headers: { ...(request.payload === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
      body: request.payload === undefined ? undefined : JSON.stringify(request.payload),
    });
    const body = await response.text();
    return { statusCode: response.status, body, json: () => JSON.parse(body) };
  };
  return { inject } as unknown as FastifyInstance;
}

describe('a journey on a Temporal cluster', () => {
  it('logs in, registers, books, gets dose 1, is told dose 2 is due, books it, gets it, and is fully vaccinated', async () => {
    const { db } = stack;
    const app = overHttp(stack.apiUrls);
    const vaccine = await ensureTestVaccine(db);
    const first = await insertSessionDay(db, { vaccine, dose1: 5, dose2: 5, district: PUNE });
    const mobile = uniqueMobile();
    const token = await loginBeneficiary(app, mobile);
    const auth = { authorization: `Bearer ${token}` };
    const registered = await registerPerson(app, token);
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId, secretCode } = registered.json();

    const booked = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: auth,
      payload: { referenceId, sessionDayId: first.id },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json()).toMatchObject({ dose: 1, stage: 'DOSE1_BOOKED' });
    const vaccinator = await vaccinatorFor(app, db, first.id);
    const dose1 = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: { authorization: `Bearer ${vaccinator.token}` },
      payload: { referenceId, secretCode, sessionDayId: first.id, vaccineCode: vaccine, batch: 'CL-001' },
    });
    expect(dose1.statusCode, dose1.body).toBe(201);
    await waitFor(async () => (await stageOf(db, referenceId)) === 'DOSE1_DONE', 'DOSE1_DONE');
    await waitFor(async () => (await readSms(app, mobile)).some((m) => m.template === 'DOSE2_DUE'), 'dose-2 due SMS');

    const second = await insertSessionDay(db, { vaccine, dose1: 5, dose2: 5, district: PUNE });
    const booked2 = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: auth,
      payload: { referenceId, sessionDayId: second.id },
    });
    expect(booked2.statusCode, booked2.body).toBe(201);
    expect(booked2.json()).toMatchObject({ dose: 2, stage: 'DOSE2_BOOKED' });
    const secondVaccinator = await vaccinatorFor(app, db, second.id);
    const dose2 = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: { authorization: `Bearer ${secondVaccinator.token}` },
      payload: { referenceId, secretCode, sessionDayId: second.id, vaccineCode: vaccine, batch: 'CL-002' },
    });
    expect(dose2.statusCode, dose2.body).toBe(201);
    await waitFor(async () => (await stageOf(db, referenceId)) === 'FULLY_VACCINATED', 'FULLY_VACCINATED');
    await waitFor(
      async () => (await readSms(app, mobile)).some((m) => m.template === 'FULLY_VACCINATED'),
      'fully vaccinated SMS',
    );

    const mine = await app.inject({ method: 'GET', url: `/api/v1/beneficiaries/${referenceId}`, headers: auth });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().doses.map((d: { dose: number; batch: string }) => [d.dose, d.batch])).toEqual([
      [1, 'CL-001'],
      [2, 'CL-002'],
    ]);
    expect((await readSms(app, mobile)).map((m) => m.template).reverse()).toEqual([
      'OTP',
      'BOOKING_CONFIRMED',
      'DOSE_RECORDED',
      'DOSE2_DUE',
      'BOOKING_CONFIRMED',
      'DOSE_RECORDED',
      'FULLY_VACCINATED',
    ]);
    // The journey signs the certificate; the person downloads it.
    await waitFor(
      async () =>
        (await app.inject({ method: 'GET', url: `/api/v1/beneficiaries/${referenceId}/certificate`, headers: auth }))
          .statusCode === 200,
      'the certificate',
    );
  }, 120_000);
});

describe('a Temporal cluster under load', () => {
  it('loses and doubles nothing while history, then matching, then the frontend are SIGKILLed and restarted', async () => {
    await servePeopleThroughFaults(
      stack,
      async (fault) => {
        await sleep(4_000);
        await fault('history SIGKILL', () => stack.killAndRestartTemporalService('history'));
        await sleep(4_000);
        await fault('matching SIGKILL', () => stack.killAndRestartTemporalService('matching'));
        await sleep(4_000);
        await fault('frontend SIGKILL', () => stack.killAndRestartTemporalService('frontend'));
      },
      'cluster-faults',
    );
  }, 600_000);
});
