/**
 * A war-room socket client for benchmarks: joins rooms with an admin token and measures, for each dose event,
 * the time from the dose's commit (its recordedAt) to the event reaching the client.
 */
import { io, type Socket } from 'socket.io-client';
import { hashPassword } from '../../domain/passwords.js';
import type { Db } from '../../db/connection.js';
import { BENCH_PASSWORD } from './fixtures.js';
import { summarise } from './report.js';

export async function adminToken(db: Db, apiUrl: string): Promise<string> {
  await db
    .insertInto('staff_user')
    .values({
      username: 'bench.admin',
      password_hash: await hashPassword(BENCH_PASSWORD),
      name: 'Bench admin',
      role: 'NATIONAL_ADMIN',
      state_id: null,
      district_id: null,
    })
    .onConflict((oc) => oc.column('username').doNothing())
    .execute();
  const login = await fetch(`${apiUrl}/api/v1/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench.admin', password: BENCH_PASSWORD }),
  });
  return (await login.json()).token;
}

export async function liveProbe(apiUrl: string, token: string, rooms: string[]) {
  const socket: Socket = io(apiUrl, { path: '/socket.io', auth: { token }, transports: ['websocket'] });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  for (const room of rooms) {
    const ack = await socket.emitWithAck('join', room);
    if (!ack.ok) throw new Error(`join ${room}: ${JSON.stringify(ack.error)}`);
  }
  const doseLatencies: number[] = [];
  const coverageLags: number[] = [];
  socket.on('dose.recorded', (event: { data: { recordedAt: string } }) =>
    doseLatencies.push(Date.now() - Date.parse(event.data.recordedAt)),
  );
  socket.on('coverage', (message: { room: string; at: string }) => {
    if (message.room === 'national') coverageLags.push(Date.now() - Date.parse(message.at));
  });
  return {
    stop() {
      socket.close();
      return { doseEventLatencyMs: summarise(doseLatencies), nationalCoverageMessageLagMs: summarise(coverageLags) };
    },
  };
}
