/**
 * Live dashboards over socket.io (path `/socket.io`), for staff only.
 *
 * Delivery: a write publishes its event with pg_notify inside its own transaction (live/publish.ts), so an event
 * exists exactly when its fact commits. Each API process holds ONE dedicated Postgres connection that LISTENs on
 * `teeka_live` (live/listener.ts; it reconnects with backoff and then tells clients to `resync`) and emits every
 * event to its own sockets' rooms (live/fanout.ts). Postgres sends every notification to every listening process,
 * so with N API processes each client gets every event of its rooms whichever process handled the write — no
 * socket.io adapter, no Redis, and the worker publishes the same way (live/throughput.ts). The price is one
 * connection per API process and NOTIFY's commit-time queue lock, which is shared by all notifying transactions;
 * if that lock ever limits dose throughput, the step is a socket.io adapter fed from a transactional outbox.
 *
 * A socket authenticates its handshake with a staff token (`auth: { token }`, the REST tokens): bad, expired or
 * revoked tokens get a connect_error. A socket is disconnected at once when its token is logged out or its holder is
 * deactivated or has their password reset (a notification on `teeka_access` reaches every API process; a sweep
 * every minute catches any that was missed), and every connection ends when its token expires. It then asks to `join` rooms — `national`, `state:<id>`, `district:<id>`,
 * `session:<uuid>` — each checked against the token's jurisdiction; a refused join is answered with an error ack
 * and the socket never receives that room's events. See docs/live-events.md for every message.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { Server, type Socket } from 'socket.io';
import type { Db } from '../../db/connection.js';
import { readDashboard, readSessionLiveView, withConsistentRead } from '../../db/repositories/dashboard.js';
import { LiveFanout, PgSnapshot, type RoomSnapshot } from '../../live/fanout.js';
import { LiveListener } from '../../live/listener.js';
import { currentDryRunSessionDays } from '../../db/repositories/dry-runs.js';
import { parseRoom, type Room } from '../../live/rooms.js';
import { parseAccessChange, type AccessChange } from '../auth/access-cache.js';
import { assertDistrictAccess, assertNationalAccess, assertStateAccess } from '../auth/jurisdiction.js';
import { AppError, notFound } from '../errors.js';
import { batchRegistryOf } from '../services/vaccine-batches.js';
import type { StaffPrincipal } from './auth.js';

declare module 'fastify' {
  interface FastifyInstance {
    live: { io: Server; listener: LiveListener; fanout: LiveFanout };
  }
}

export const LIVE_PATH = '/socket.io';
/** Rooms one socket may be in, and joins it may have in flight: bounds the snapshot reads one client can cause. */
const MAX_ROOMS_PER_SOCKET = 20;
const MAX_JOINS_IN_FLIGHT = 2;
const REVOCATION_SWEEP_MS = 60_000;

export type JoinAck = { ok: true; room: string } | { ok: false; error: { code: string; message: string } };

export default fp(async function live(app: FastifyInstance) {
  // Clients only send room names: a small message cap leaves nothing to abuse.
  const io = new Server(app.server, { path: LIVE_PATH, serveClient: false, maxHttpBufferSize: 64 * 1024 });
  const fanout = new LiveFanout(io, { log: app.log });
  const batches = batchRegistryOf(app.db);
  const listener = new LiveListener({
    connectionString: app.config.databaseUrl,
    applicationName: `teeka-live-${process.pid}`,
    onPayload: (payload) => fanout.handlePayload(payload),
    onAccessChange: (payload) => {
      const change = parseAccessChange(payload);
      if (!change) return;
      app.accessCache.changed(change);
      dropRevokedSockets(change);
    },
    onBatchChange: () => batches.changed(),
    onLost: () => {
      app.accessCache.forgetAll();
      batches.changed();
    },
    onResync: () => {
      app.accessCache.forgetAll();
      batches.changed();
      fanout.resync('the live feed was interrupted; join your rooms again for fresh snapshots');
      // Revocations sent while nobody listened are lost: check every socket now.
      sweepNow();
    },
    log: { warn: (m) => app.log.warn(m), info: (m) => app.log.info(m) },
  });
  app.decorate('live', { io, listener, fanout });
  // The batch registry the dose check keeps (api/services/vaccine-batches.ts), while this connection hears its changes.
  batches.attach(() => listener.listening);

  /**
   * A staff member's standing changed (deactivated, password reset: every socket of theirs closes; a reactivation
   * brings no old token back) or one token was revoked (a logout). A team change leaves sockets as they are.
   */
  function dropRevokedSockets(change: AccessChange): void {
    if ('sessionDayId' in change) return;
    for (const socket of io.of('/').sockets.values()) {
      const staff = socket.data.staff as StaffPrincipal | undefined;
      if (!staff) continue;
      if ('staffId' in change ? staff.staffId === change.staffId : staff.jti === change.jti) socket.disconnect(true);
    }
  }
  const sweepNow = () =>
    void disconnectRevoked(app.db, io).catch((error: unknown) =>
      app.log.warn({ err: error }, '[live] revocation sweep failed'),
    );

  /** The same check as REST (signature, expiry, revocation): a staff principal or undefined. */
  const staffFromToken = async (token: unknown): Promise<StaffPrincipal | undefined> => {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return undefined;
    // app.authenticate reads only the Authorization header of the request it is given.
    const principal = await app.authenticate({ headers: { authorization: `Bearer ${token}` } } as FastifyRequest);
    return principal?.kind === 'staff' ? principal : undefined;
  };

  io.use((socket, next) => {
    staffFromToken(socket.handshake.auth?.token).then(
      (staff) => {
        if (!staff)
          return next(connectError('UNAUTHENTICATED', 'a valid staff token is required: connect with auth: { token }'));
        socket.data.staff = staff;
        next();
      },
      (error: unknown) => {
        app.log.error({ err: error }, '[live] handshake check failed');
        next(connectError('UNAVAILABLE', 'could not check the token; try again'));
      },
    );
  });

  io.on('connection', (socket: Socket) => {
    const staff = socket.data.staff as StaffPrincipal;
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, staff.exp * 1000 - Date.now()));
    expiry.unref();
    let joinsInFlight = 0;

    socket.on('join', async (name: unknown, ack?: (reply: JoinAck) => void) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const room = parseRoom(name);
      if (!room)
        return reply(refusal('BAD_ROOM', 'rooms are national, state:<id>, district:<id> and session:<session day id>'));
      if (joinsInFlight >= MAX_JOINS_IN_FLIGHT)
        return reply(refusal('TOO_MANY_REQUESTS', 'wait for your other joins to finish'));
      if (!socket.rooms.has(room.name) && socket.rooms.size - 1 >= MAX_ROOMS_PER_SOCKET) {
        return reply(refusal('TOO_MANY_ROOMS', `a connection can be in at most ${MAX_ROOMS_PER_SOCKET} rooms`));
      }
      joinsInFlight++;
      try {
        // Checked again: the token may have been revoked since the handshake.
        const current = await staffFromToken(socket.handshake.auth?.token);
        if (!current) {
          reply(refusal('UNAUTHENTICATED', 'your token is no longer valid'));
          socket.disconnect(true);
          return;
        }
        await assertRoomAccess(app.db, app.assertSessionAccess, current, room);
        const joined = await fanout.join(socket, room.name, () => readRoomSnapshot(app.db, room));
        reply(joined ? { ok: true, room: room.name } : refusal('CANCELLED', 'you left the room before it was joined'));
      } catch (error) {
        if (error instanceof AppError && error.statusCode < 500) {
          reply(refusal(error.code, error.message));
        } else {
          app.log.error({ err: error, room: room.name }, '[live] join failed');
          reply(refusal('INTERNAL', 'could not join the room; try again'));
        }
      } finally {
        joinsInFlight--;
      }
    });

    socket.on('leave', (name: unknown, ack?: (reply: JoinAck) => void) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const room = parseRoom(name);
      if (!room) return reply(refusal('BAD_ROOM', 'no such room'));
      fanout.leave(socket, room.name);
      reply({ ok: true, room: room.name });
    });

    socket.on('disconnect', () => {
      clearTimeout(expiry);
      fanout.forget(socket);
    });
  });

  // Revocations arrive at once through Postgres (dropRevokedSockets); the sweep is the backstop for any that were
  // missed (a listener reconnecting), within a minute.
  const sweep = setInterval(sweepNow, REVOCATION_SWEEP_MS);
  sweep.unref();

  app.addHook('onReady', async () => {
    await listener.start();
    // Dry runs planned before this process listened; later ones are announced on the feed itself.
    fanout.markDryRunSessions(await currentDryRunSessionDays(app.db));
  });
  // Open websockets would keep the HTTP server from closing.
  app.addHook('preClose', async () => {
    clearInterval(sweep);
    io.local.disconnectSockets(true);
    io.engine.close();
  });
  app.addHook('onClose', async () => {
    fanout.close();
    await listener.stop();
  });
});

async function assertRoomAccess(
  db: Db,
  assertSessionAccess: FastifyInstance['assertSessionAccess'],
  staff: StaffPrincipal,
  room: Room,
): Promise<void> {
  switch (room.kind) {
    case 'national':
      return assertNationalAccess(staff);
    case 'state':
      return assertStateAccess(db, staff, room.id);
    case 'district':
      return assertDistrictAccess(db, staff, room.id);
    case 'session':
      await assertSessionAccess(staff, room.id);
      return;
  }
}

/** The room's snapshot — the REST dashboard, or the session's live view — and the MVCC snapshot it was read on. */
async function readRoomSnapshot(db: Db, room: Room): Promise<RoomSnapshot> {
  return withConsistentRead(db, async (trx) => {
    const { rows } = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(trx);
    const data =
      room.kind === 'session'
        ? await readSessionLiveView(trx, room.id)
        : await readDashboard(
            trx,
            room.kind === 'national'
              ? { kind: 'national' }
              : room.kind === 'state'
                ? { kind: 'state', stateId: room.id }
                : { kind: 'district', districtId: room.id },
          );
    if (!data) throw notFound(room.kind);
    return { data, visibility: PgSnapshot.parse(rows[0].snapshot) };
  });
}

/** Disconnects every socket whose token is revoked, whose holder is deactivated, or whose generation is past. */
async function disconnectRevoked(db: Db, io: Server): Promise<void> {
  const sockets = [...io.of('/').sockets.values()].filter((s) => s.data.staff);
  const staffOf = (socket: Socket) => socket.data.staff as StaffPrincipal;
  for (let i = 0; i < sockets.length; i += 5_000) {
    const batch = sockets.slice(i, i + 5_000);
    const [revoked, staff] = await Promise.all([
      db
        .selectFrom('token_revocation')
        .select('jti')
        .where(
          'jti',
          'in',
          batch.map((s) => staffOf(s).jti),
        )
        .execute(),
      db
        .selectFrom('staff_user')
        .select(['id', 'active', 'token_generation'])
        .where('id', 'in', [...new Set(batch.map((s) => staffOf(s).staffId))])
        .execute(),
    ]);
    const revokedJtis = new Set(revoked.map((r) => r.jti));
    const current = new Map(staff.map((s) => [s.id, s]));
    for (const socket of batch) {
      const { jti, staffId, generation } = staffOf(socket);
      const holder = current.get(staffId);
      if (revokedJtis.has(jti) || !holder?.active || holder.token_generation !== generation) socket.disconnect(true);
    }
  }
}

function refusal(code: string, message: string): JoinAck {
  return { ok: false, error: { code, message } };
}

function connectError(code: string, message: string): Error {
  return Object.assign(new Error(message), { data: { code } });
}
