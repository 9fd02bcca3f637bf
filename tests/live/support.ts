/** Helpers for the live-dashboard tests: staff tokens, doses through the real API, socket.io clients. */
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { expect } from 'vitest';
import type { JoinAck } from '../../api/plugins/live.js';
import type { StaffRole } from '../../db/schema.js';
import { createSessionDay } from '../../db/repositories/session-days.js';
import { indiaDate } from '../../domain/time.js';
import { insertAccount, insertBeneficiary, insertSite, LIVE_TEST_STATES } from '../support/fixtures.js';
import type { TestPlatform } from '../support/platform.js';
import { waitFor } from '../support/journey.js';
import { staffWithToken } from '../support/staff.js';

export type District = { stateId: number; districtId: number; pincode: number };

/** Districts only the live tests use, so their figures are exact while other files run. */
export const KERALA = (n: number): District => ({
  stateId: LIVE_TEST_STATES.KERALA,
  districtId: 32000 + n,
  pincode: 682001,
});
export const GOA = (n: number): District => ({ stateId: LIVE_TEST_STATES.GOA, districtId: 30000 + n, pincode: 403001 });
export const MANIPUR = (n: number): District => ({
  stateId: LIVE_TEST_STATES.MANIPUR,
  districtId: 14000 + n,
  pincode: 795001,
});

/** A staff member of the role and district, with the same kind of token staff login issues. */
export async function staffToken(
  platform: TestPlatform,
  role: StaffRole,
  district: District,
): Promise<{ token: string; staffId: string }> {
  const { token, staffId } = await staffWithToken(platform.db, platform.config.tokenSecret, role, district);
  return { token, staffId };
}

export interface TodaySession {
  sessionDayId: string;
  vaccineCode: string;
  vaccinatorToken: string;
}

/**
 * A session day today in the district, open all day with walk-in seats, and a vaccinator assigned to it. The test
 * sets its status itself: it is created marked as having its workflow, so the worker's session sweep
 * (workflows/session-sweep.ts) does not start one that would open or un-stall it under the test's feet.
 */
export async function todaySession(
  platform: TestPlatform,
  district: District,
  walkins = 20,
  vaccine = 'COVAXIN',
): Promise<TodaySession> {
  const site = await insertSite(platform.db, district);
  const date = indiaDate();
  const sessionDayId = await createSessionDay(platform.db, {
    site_id: site.id,
    date,
    vaccine_code: vaccine,
    opens_at: '00:00:00',
    closes_at: '23:59:00',
    dose1_capacity: 10,
    dose2_capacity: 10,
    walkin_capacity: walkins,
    slotMinutes: 480,
    workflow_started_at: new Date(),
  });
  const vaccinator = await staffToken(platform, 'VACCINATOR', district);
  await platform.db
    .insertInto('session_assignment')
    .values({
      session_day_id: sessionDayId,
      staff_id: vaccinator.staffId,
      session_date: date,
      team_role: 'VACCINATOR',
      assigned_by: null,
    })
    .execute();
  return { sessionDayId, vaccineCode: vaccine, vaccinatorToken: vaccinator.token };
}

/**
 * Records a dose at the session through POST /api/v1/doses: a new person's first dose, or the next dose of
 * `referenceId`. `app` is the instance the request goes through.
 */
export async function recordDose(
  platform: TestPlatform,
  session: TodaySession,
  options: { app?: TestPlatform['app']; referenceId?: string } = {},
): Promise<{ referenceId: string }> {
  const referenceId =
    options.referenceId ?? (await insertBeneficiary(platform.db, (await insertAccount(platform.db)).id)).reference_id;
  const response = await (options.app ?? platform.app).inject({
    method: 'POST',
    url: '/api/v1/doses',
    headers: { authorization: `Bearer ${session.vaccinatorToken}` },
    payload: {
      referenceId,
      secretCode: '4321',
      sessionDayId: session.sessionDayId,
      vaccineCode: session.vaccineCode,
      batch: 'LIVE-1',
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return { referenceId };
}

export async function listenOnFreePort(platform: TestPlatform): Promise<string> {
  await platform.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = platform.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export interface Received {
  name: string;
  payload: any;
}

/** A connected client that records every message it receives. */
export interface LiveClient {
  socket: Socket;
  received: Received[];
  join(room: string): Promise<JoinAck>;
  /** Waits for a message matching the predicate (already received or arriving later). */
  next(name: string, match?: (payload: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): void;
}

export function openSocket(url: string, token: string | undefined): Socket {
  return connect(url, {
    path: '/socket.io',
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
}

export async function connectLive(url: string, token: string): Promise<LiveClient> {
  const socket = openSocket(url, token);
  const received: Received[] = [];
  socket.onAny((name: string, payload: unknown) => received.push({ name, payload }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return {
    socket,
    received,
    join: (room) => socket.timeout(10_000).emitWithAck('join', room),
    next: (name, match = () => true, timeoutMs = 5_000) =>
      waitFor(
        async () => received.find((m) => m.name === name && match(m.payload))?.payload,
        `a "${name}" message`,
        timeoutMs,
      ),
    close: () => socket.disconnect(),
  };
}

/** Resolves with the connect_error a refused handshake gets. */
export function refusedConnection(
  url: string,
  token: string | undefined,
): Promise<Error & { data?: { code: string } }> {
  const socket = openSocket(url, token);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error('the connection was accepted'));
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      resolve(error as Error & { data?: { code: string } });
    });
  });
}
