/**
 * Fans the live events this process hears on Postgres out to its own socket.io rooms, and joins sockets to rooms
 * so that each gets its room's snapshot first and then every later event exactly once.
 *
 * Snapshot, then deltas, nothing doubled: a join is "pending" before its snapshot is read, and events for the room
 * are held for it meanwhile. The snapshot is read on one repeatable-read transaction together with
 * `pg_current_snapshot()`; each event carries the id of the transaction that published it (live/publish.ts). A held
 * event whose transaction is visible in the snapshot is already counted and is dropped; the first one that is not
 * is sent, and from then on the socket is an ordinary member of the room. That switch is final because Postgres
 * delivers notifications in commit order: every later event committed after one the snapshot did not see.
 */
import type { Server, Socket } from 'socket.io';
import { coverageRoomsFor, roomNames, roomsFor } from './rooms.js';
import type { CoverageIncrement, CoverageMessage, LiveEvent, SnapshotMessage } from './events.js';

export type { CoverageIncrement, CoverageMessage } from './events.js';

export interface ReceivedEvent extends LiveEvent {
  /** Publishing transaction (xid8); absent only for events not sent through publishLiveEvent. */
  txid?: bigint;
}

/** A Postgres MVCC snapshot (`pg_current_snapshot()`): which transactions' effects a read saw. */
export class PgSnapshot {
  private constructor(
    readonly xmin: bigint,
    readonly xmax: bigint,
    readonly inProgress: ReadonlySet<bigint>,
  ) {}

  /** Parses `xmin:xmax:xip,xip,...`. */
  static parse(text: string): PgSnapshot {
    const [xmin, xmax, xip = ''] = text.split(':');
    return new PgSnapshot(BigInt(xmin), BigInt(xmax), new Set(xip ? xip.split(',').map((x) => BigInt(x)) : []));
  }

  /** True when a committed transaction's effects are in the snapshot (pg_visible_in_snapshot). */
  sees(txid: bigint): boolean {
    if (txid < this.xmin) return true;
    if (txid >= this.xmax) return false;
    return !this.inProgress.has(txid);
  }
}

export interface RoomSnapshot {
  data: unknown;
  visibility: PgSnapshot;
}

interface PendingJoin {
  socket: Socket;
  room: string;
  /** Set once the snapshot has been read. */
  visibility?: PgSnapshot;
  /** Events heard while the snapshot was being read. */
  held: ReceivedEvent[];
  /** Now an ordinary member of the room. */
  promoted: boolean;
  /** Left, disconnected, joined again or promoted: no longer pending. */
  cancelled: boolean;
}

export interface FanoutOptions {
  /** How long state and national rooms merge coverage increments before sending them. */
  mergeMs?: number;
  log: { warn(message: string): void };
}

export class LiveFanout {
  private readonly pending = new Map<string, Set<PendingJoin>>();
  private readonly merged = new Map<string, Map<number, CoverageIncrement>>();
  /** Session days of dry runs: their events reach their own session rooms only. */
  private readonly dryRunSessions = new Set<string>();
  private mergeTimer: NodeJS.Timeout | undefined;
  private readonly mergeMs: number;

  constructor(
    private readonly io: Server,
    private readonly options: FanoutOptions,
  ) {
    this.mergeMs = options.mergeMs ?? 1_000;
  }

  /** A NOTIFY payload from the listener. Malformed payloads are logged and dropped. */
  handlePayload(payload: string): void {
    let event: ReceivedEvent;
    try {
      const parsed = JSON.parse(payload) as LiveEvent & { txid?: string };
      if (typeof parsed.type !== 'string' || typeof parsed.at !== 'string') throw new Error('no type or time');
      const { txid, ...rest } = parsed;
      event = { ...rest, txid: txid === undefined ? undefined : BigInt(txid) };
    } catch (error) {
      this.options.log.warn(
        `[live] dropped a malformed live event: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    try {
      this.dispatch(event);
    } catch (error) {
      // Never let one bad event (a reserved socket.io name, say) take down the listener.
      this.options.log.warn(
        `[live] could not fan out a ${event.type} event: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** The rooms an event goes to, and those whose coverage it moves: a dry run's reach its session room only. */
  private routeOf(event: ReceivedEvent): { rooms: string[]; coverage: { now: string[]; merged: string[] } } {
    if (event.sessionDayId && this.dryRunSessions.has(event.sessionDayId.toLowerCase()))
      return { rooms: [roomNames.session(event.sessionDayId)], coverage: { now: [], merged: [] } };
    return { rooms: roomsFor(event), coverage: coverageRoomsFor(event) };
  }

  /** Marks session days as a dry run's (the `dryrun.sessions` event, and those already planned at start). */
  markDryRunSessions(sessionDayIds: readonly string[]): void {
    for (const id of sessionDayIds) this.dryRunSessions.add(id.toLowerCase());
  }

  dispatch(event: ReceivedEvent): void {
    if (event.type === 'dryrun.sessions') {
      const ids = (event.data as { sessionDayIds?: unknown }).sessionDayIds;
      if (Array.isArray(ids)) this.markDryRunSessions(ids.filter((id): id is string => typeof id === 'string'));
      return;
    }
    const { rooms, coverage } = this.routeOf(event);
    if (rooms.length) this.io.to(rooms).emit(event.type, wire(event));
    for (const room of coverage.now) this.io.to(room).emit('coverage', coverageMessage(room, event));
    for (const room of coverage.merged) this.merge(room, coverageIncrement(event));

    for (const room of new Set([...rooms, ...coverage.now, ...coverage.merged])) {
      for (const join of this.pending.get(room) ?? []) this.offer(join, event);
    }
  }

  /**
   * Joins `socket` to `room`: sends `snapshot` {room, at, data}, then the room's events. Joining a room again starts
   * over with a fresh snapshot. Resolves false when the socket left or disconnected before the snapshot was ready.
   */
  async join(socket: Socket, room: string, readSnapshot: () => Promise<RoomSnapshot>): Promise<boolean> {
    this.leave(socket, room);
    const join: PendingJoin = { socket, room, held: [], promoted: false, cancelled: false };
    this.addPending(join);
    let snapshot: RoomSnapshot;
    try {
      snapshot = await readSnapshot();
    } catch (error) {
      this.removePending(join);
      throw error;
    }
    if (join.cancelled) return false;
    const message: SnapshotMessage = { room, at: new Date().toISOString(), data: snapshot.data };
    socket.emit('snapshot', message);
    join.visibility = snapshot.visibility;
    const held = join.held;
    join.held = [];
    for (const event of held) {
      if (join.promoted)
        this.sendDirect(join, event); // promoted by an earlier held event: the rest are new to it
      else this.offer(join, event);
    }
    return true;
  }

  leave(socket: Socket, room: string): void {
    for (const join of this.pending.get(room) ?? []) {
      if (join.socket === socket) this.removePending(join);
    }
    void socket.leave(room);
  }

  /** Drops a disconnected socket's pending joins (socket.io removes it from its rooms). */
  forget(socket: Socket): void {
    for (const joins of this.pending.values()) {
      for (const join of joins) if (join.socket === socket) this.removePending(join);
    }
  }

  /** Events may have been missed (the LISTEN connection was lost): every client should join its rooms again. */
  resync(reason: string): void {
    this.io.emit('resync', { reason });
  }

  close(): void {
    clearTimeout(this.mergeTimer);
    this.mergeTimer = undefined;
    this.merged.clear();
    for (const joins of this.pending.values()) for (const join of joins) join.cancelled = true;
    this.pending.clear();
  }

  /** An event for a pending join's room: hold it, drop it (already in the snapshot) or send it and promote. */
  private offer(join: PendingJoin, event: ReceivedEvent): void {
    if (!join.visibility) {
      join.held.push(event);
      return;
    }
    if (event.txid !== undefined && join.visibility.sees(event.txid)) return;
    this.sendDirect(join, event);
    this.promote(join);
  }

  /** Sends one event to a joining socket, as its room would have sent it. */
  private sendDirect(join: PendingJoin, event: ReceivedEvent): void {
    const { rooms, coverage } = this.routeOf(event);
    // A socket in several of the event's rooms got it once already, through another of them.
    if (rooms.includes(join.room) && !rooms.some((r) => r !== join.room && join.socket.rooms.has(r))) {
      join.socket.emit(event.type, wire(event));
    }
    if (coverage.now.includes(join.room) || coverage.merged.includes(join.room)) {
      join.socket.emit('coverage', coverageMessage(join.room, event));
    }
  }

  private promote(join: PendingJoin): void {
    this.removePending(join);
    join.promoted = true;
    // Increments merged so far are for the members before this socket, which has had its own.
    this.flushMerged(join.room);
    void join.socket.join(join.room);
  }

  private addPending(join: PendingJoin): void {
    const joins = this.pending.get(join.room) ?? new Set();
    joins.add(join);
    this.pending.set(join.room, joins);
  }

  private removePending(join: PendingJoin): void {
    join.cancelled = true;
    const joins = this.pending.get(join.room);
    joins?.delete(join);
    if (joins?.size === 0) this.pending.delete(join.room);
  }

  private merge(room: string, increment: CoverageIncrement): void {
    const byDistrict = this.merged.get(room) ?? new Map<number, CoverageIncrement>();
    const sum = byDistrict.get(increment.districtId);
    byDistrict.set(
      increment.districtId,
      sum
        ? {
            ...sum,
            doses: sum.doses + increment.doses,
            dose1: sum.dose1 + increment.dose1,
            dose2: sum.dose2 + increment.dose2,
          }
        : increment,
    );
    this.merged.set(room, byDistrict);
    if (!this.mergeTimer) {
      this.mergeTimer = setTimeout(() => {
        this.mergeTimer = undefined;
        for (const room of [...this.merged.keys()]) this.flushMerged(room);
      }, this.mergeMs);
      this.mergeTimer.unref();
    }
  }

  private flushMerged(room: string): void {
    const byDistrict = this.merged.get(room);
    if (!byDistrict) return;
    this.merged.delete(room);
    const message: CoverageMessage = { room, at: new Date().toISOString(), increments: [...byDistrict.values()] };
    this.io.to(room).emit('coverage', message);
  }
}

/** The event as clients see it: the transaction id stays on the server. */
function wire(event: ReceivedEvent): LiveEvent {
  const { txid: _txid, ...rest } = event;
  return rest;
}

function coverageIncrement(event: ReceivedEvent): CoverageIncrement {
  const dose = Number(event.data.dose);
  return {
    stateId: event.stateId,
    districtId: event.districtId,
    doses: 1,
    dose1: dose === 1 ? 1 : 0,
    dose2: dose === 2 ? 1 : 0,
  };
}

function coverageMessage(room: string, event: ReceivedEvent): CoverageMessage {
  return { room, at: event.at, increments: [coverageIncrement(event)] };
}
