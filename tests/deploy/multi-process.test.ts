/**
 * Scale-out, for real: two API processes and two worker processes on loopback, against the suite's Postgres and
 * Temporal, on a task queue of their own — the shape of docker-compose.yml without Docker. People are served by
 * whichever API their requests reach and whichever worker polls first; nothing may be lost or done twice, and a
 * live dashboard keeps receiving every event whichever process handled the write, even when its API dies.
 */
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import type { StaffRole } from '../../db/schema.js';
import { workflowIds } from '../../workflows/shared.js';
import { insertAccount, insertBeneficiary, insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import { aadhaar, stageOf, uniqueIp, waitFor } from '../support/journey.js';
import { kill, spawnWorker } from '../support/processes.js';
import { TEST_SECRETS } from '../support/secrets.js';
import { connectLive, type LiveClient } from '../live/support.js';
import { exitOf, spawnApi, type ApiProcess } from './api-process.js';
import { FailoverLiveClient } from './failover-live-client.js';
import { staffWithToken } from '../support/staff.js';

const taskQueue = `scaleout-${randomUUID().slice(0, 8)}`;
const target = () => ({
  databaseUrl: inject('databaseUrl'),
  temporalAddress: inject('temporalAddress'),
  temporalNamespace: inject('temporalNamespace'),
  taskQueue,
});
// A day of 864 s: today's sessions stay open for the whole file, and no reminder falls due while it runs.
const processEnv = { DAY_MS: '864000', SESSION_SWEEP: 'off' };

let db: Db;
let temporal: Connection;
const apis: ApiProcess[] = [];
const workers: ChildProcess[] = [];
const liveClients: Array<{ close(): void }> = [];

beforeAll(async () => {
  ({ db } = createDb({ connectionString: inject('databaseUrl'), poolSize: 4 }));
  temporal = await Connection.connect({ address: inject('temporalAddress') });
  // Each process is kept as soon as it is up, so afterAll stops it even if another one fails to start.
  await Promise.all([
    ...[1, 2].map(() => spawnApi(target(), processEnv).then((api) => apis.push(api))),
    ...[1, 2].map(() => spawnWorker(target(), processEnv).then((worker) => workers.push(worker))),
  ]);
}, 240_000);
afterAll(async () => {
  for (const client of liveClients) client.close();
  await Promise.all([
    ...apis.map((api) => kill(api.child, 'SIGTERM')),
    ...workers.map((worker) => kill(worker, 'SIGTERM')),
  ]);
  await temporal?.close();
  await db?.destroy();
});

interface Reply {
  status: number;
  body: any;
}

async function call(
  api: ApiProcess,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; ip?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  // The API trusts the proxy's X-Forwarded-For (api/app.ts): each person comes from an address of their own.
  if (options.ip) headers['x-forwarded-for'] = options.ip;
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function smsTemplates(api: ApiProcess, mobile: string): Promise<string[]> {
  const reply = await call(api, 'GET', `/api/v1/dev/sms?mobile=${mobile}`);
  expect(reply.status).toBe(200);
  return reply.body.messages.map((m: { template: string }) => m.template);
}

function counts(values: string[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const value of values) result[value] = (result[value] ?? 0) + 1;
  return result;
}

interface Person {
  mobile: string;
  referenceId: string;
  secretCode: string;
  token: string;
}

/** OTP, login, registration and booking, each step through the API the step number picks. */
async function registerAndBook(first: ApiProcess, second: ApiProcess, sessionDayId: string): Promise<Person> {
  const mobile = uniqueMobile();
  const ip = uniqueIp();
  const sent = await call(first, 'POST', '/api/v1/auth/otp', { body: { mobile }, ip });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  const otpSms = await waitFor(async () => {
    const reply = await call(second, 'GET', `/api/v1/dev/sms?mobile=${mobile}`);
    return reply.body.messages.find((m: { template: string }) => m.template === 'OTP') as { body: string } | undefined;
  }, 'OTP SMS');
  const otp = /\b(\d{6})\b/.exec(otpSms.body)![1];
  const verified = await call(second, 'POST', '/api/v1/auth/otp/verify', { body: { txnId: sent.body.txnId, otp }, ip });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  const token: string = verified.body.token;
  const registered = await call(first, 'POST', '/api/v1/beneficiaries', {
    token,
    ip,
    body: { name: 'Asha Kulkarni', birthYear: 1979, gender: 'F', idType: 1, idNumber: aadhaar() },
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const booked = await call(second, 'POST', '/api/v1/appointments', {
    token,
    ip,
    body: { referenceId: registered.body.referenceId, sessionDayId },
  });
  expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  return { mobile, referenceId: registered.body.referenceId, secretCode: registered.body.secretCode, token };
}

/** A staff member of PUNE with a token like the one staff login issues; a vaccinator is assigned to the session day. */
async function staffToken(role: StaffRole, sessionDayId?: string): Promise<string> {
  return (await staffWithToken(db, TEST_SECRETS.TOKEN_SECRET, role, PUNE, { sessionDayId })).token;
}

async function recordDose(
  api: ApiProcess,
  vaccinatorToken: string,
  sessionDayId: string,
  person: { referenceId: string; secretCode: string },
): Promise<void> {
  const reply = await call(api, 'POST', '/api/v1/doses', {
    token: vaccinatorToken,
    body: {
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      sessionDayId,
      vaccineCode: 'COVAXIN',
      batch: 'SCALE-1',
    },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
}

/** A person registered straight in the database (secret code 4321), for doses given to walk-ins. */
async function walkIn(): Promise<{ referenceId: string; secretCode: string }> {
  const person = await insertBeneficiary(db, (await insertAccount(db)).id);
  return { referenceId: person.reference_id, secretCode: '4321' };
}

/** Runs `task` for each item, at most `parallel` at a time. */
async function inBatches<T, R>(
  items: T[],
  parallel: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += parallel) {
    results.push(...(await Promise.all(items.slice(i, i + parallel).map((item, j) => task(item, i + j)))));
  }
  return results;
}

/** The identities of the workers that completed workflow tasks or ran activities of a journey. */
async function workerIdentities(client: Client, referenceId: string): Promise<Set<string>> {
  const history = await client.workflow.getHandle(workflowIds.journey(referenceId)).fetchHistory();
  const identities = new Set<string>();
  for (const event of history.events ?? []) {
    const identity =
      event.workflowTaskCompletedEventAttributes?.identity ?? event.activityTaskStartedEventAttributes?.identity;
    if (identity) identities.add(identity);
  }
  return identities;
}

describe('two API and two worker processes', () => {
  it('share twenty people between them: every step once, journeys on both workers', async () => {
    const [api1, api2] = apis;
    const session = await insertSessionDay(db, { dose1: 30, district: PUNE });
    const people = await inBatches(Array.from({ length: 20 }), 4, (_, i) =>
      i % 2 === 0 ? registerAndBook(api1, api2, session.id) : registerAndBook(api2, api1, session.id),
    );
    const vaccinator = await staffToken('VACCINATOR', session.id);
    await inBatches(people, 4, (person, i) => recordDose(apis[i % 2], vaccinator, session.id, person));

    for (const person of people) {
      await waitFor(async () => (await stageOf(db, person.referenceId)) === 'DOSE1_DONE', 'DOSE1_DONE');
      await waitFor(async () => (await smsTemplates(api1, person.mobile)).includes('DOSE_RECORDED'), 'dose SMS');
    }
    // Give a step run twice (by both workers, or by both APIs) time to show before counting.
    await new Promise((r) => setTimeout(r, 2_000));
    for (const person of people) {
      expect(counts(await smsTemplates(api2, person.mobile)), person.referenceId).toEqual({
        OTP: 1,
        BOOKING_CONFIRMED: 1,
        DOSE_RECORDED: 1,
      });
    }
    const seats = await db
      .selectFrom('session_day')
      .select(['dose1_booked', 'doses_recorded'])
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(seats).toEqual({ dose1_booked: 20, doses_recorded: 20 });

    // Both workers took part, and no other worker touched this task queue.
    const expected = workers.map((worker) => `${os.hostname()}-${worker.pid}`);
    const client = new Client({ connection: temporal, namespace: inject('temporalNamespace') });
    const perWorker = new Map(expected.map((identity) => [identity, 0]));
    for (const person of people) {
      for (const identity of await workerIdentities(client, person.referenceId)) {
        expect(expected, `journey ${person.referenceId} ran on ${identity}`).toContain(identity);
        perWorker.set(identity, perWorker.get(identity)! + 1);
      }
    }
    console.info(
      `[scale-out] journeys with tasks on each worker: ${[...perWorker].map(([identity, n]) => `${identity}: ${n}/20`).join(', ')}`,
    );
    for (const [identity, journeys] of perWorker) expect(journeys, identity).toBeGreaterThan(0);
  }, 180_000);

  it('deliver every live event of a room to clients of both APIs, whichever API recorded the dose', async () => {
    const [api1, api2] = apis;
    const session = await insertSessionDay(db, { dose1: 5, walkin: 10, district: PUNE });
    const officer = await staffToken('DISTRICT_OFFICER');
    const room = `district:${PUNE.districtId}`;
    const clients: LiveClient[] = [];
    for (const api of apis) {
      const client = await connectLive(api.url, officer);
      liveClients.push(client);
      expect(await client.join(room)).toEqual({ ok: true, room });
      clients.push(client);
    }

    const vaccinator = await staffToken('VACCINATOR', session.id);
    const throughApi = [api2, api1, api2, api1];
    for (const api of throughApi) await recordDose(api, vaccinator, session.id, await walkIn());

    const ofThisSession = (client: LiveClient) =>
      client.received.filter((m) => m.name === 'dose.recorded' && m.payload.sessionDayId === session.id);
    for (const [i, client] of clients.entries()) {
      await waitFor(
        async () => ofThisSession(client).length >= throughApi.length,
        `all doses on the client of API ${i + 1}`,
        10_000,
      );
    }
    // Give a doubled delivery time to arrive, then count: each client got each dose exactly once.
    await new Promise((r) => setTimeout(r, 500));
    for (const client of clients) {
      expect(ofThisSession(client)).toHaveLength(throughApi.length);
      expect(ofThisSession(client).every((m) => m.payload.districtId === PUNE.districtId)).toBe(true);
    }
  }, 60_000);

  it('move a live client of an API that is killed to the other API within one reconnect, missing nothing', async () => {
    const [api1, api2] = apis;
    const session = await insertSessionDay(db, { dose1: 5, walkin: 10, district: PUNE });
    const vaccinator = await staffToken('VACCINATOR', session.id);
    const room = `session:${session.id}`;
    const client = new FailoverLiveClient([api1.url, api2.url], await staffToken('DISTRICT_OFFICER'), [room]);
    liveClients.push(client);
    await client.start();
    expect(client.url).toBe(api1.url);
    await recordDose(api2, vaccinator, session.id, await walkIn());

    /** What the client believes the session has vaccinated: its latest snapshot plus the doses heard since. */
    const vaccinatedSeen = () => {
      let count: number | undefined;
      for (const m of client.messages) {
        if (m.name === 'snapshot' && m.payload.room === room) count = m.payload.data.vaccinated;
        else if (m.name === 'dose.recorded' && m.payload.sessionDayId === session.id && count !== undefined) count++;
      }
      return count;
    };
    await waitFor(async () => vaccinatedSeen() === 1, 'the first dose on the live client', 10_000);

    api1.child.kill('SIGKILL');
    // A dose recorded while the client has no connection: it must still reach the client's figures.
    await recordDose(api2, vaccinator, session.id, await walkIn());
    await waitFor(async () => client.reconnections.length === 1, 'the client back on the other API', 15_000);
    expect(await exitOf(api1.child)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(client.url).toBe(api2.url);
    expect(client.connected).toBe(true);
    const [reconnection] = client.reconnections;
    expect(reconnection).toMatchObject({ from: api1.url, to: api2.url });
    console.info(`[scale-out] live client without a connection for ${reconnection.gapMs} ms after its API was killed`);

    await waitFor(async () => vaccinatedSeen() === 2, 'the dose recorded during the gap', 10_000);
    await recordDose(api2, vaccinator, session.id, await walkIn());
    await waitFor(async () => vaccinatedSeen() === 3, 'a dose recorded after the reconnect', 10_000);
    const truth = await db
      .selectFrom('session_day')
      .select('doses_recorded')
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(vaccinatedSeen()).toBe(truth.doses_recorded);
  }, 60_000);
});
