/**
 * The join protocol of live/fanout.ts with events arriving at awkward moments — while the snapshot is being read,
 * or late for a snapshot that already counted them — which the end-to-end tests cannot time on purpose.
 */
import type { Server, Socket } from 'socket.io';
import { describe, expect, it } from 'vitest';
import { LiveFanout, PgSnapshot, type ReceivedEvent } from '../../live/fanout.js';

/** Just enough of socket.io's rooms for the fan-out: members per room, one delivery per socket per emit. */
class FakeServer {
  readonly members = new Map<string, Set<FakeSocket>>();
  to(rooms: string | string[]) {
    const targets = new Set<FakeSocket>();
    for (const room of [rooms].flat()) for (const socket of this.members.get(room) ?? []) targets.add(socket);
    return { emit: (name: string, payload: unknown) => targets.forEach((s) => s.received.push({ name, payload })) };
  }
  emit(name: string, payload: unknown) {
    const all = new Set([...this.members.values()].flatMap((set) => [...set]));
    all.forEach((s) => s.received.push({ name, payload }));
  }
}

class FakeSocket {
  readonly received: Array<{ name: string; payload: any }> = [];
  readonly rooms = new Set<string>(['own-id']);
  constructor(private readonly server: FakeServer) {}
  emit(name: string, payload: unknown) {
    this.received.push({ name, payload });
  }
  join(room: string) {
    this.rooms.add(room);
    this.server.members.set(room, (this.server.members.get(room) ?? new Set()).add(this));
  }
  leave(room: string) {
    this.rooms.delete(room);
    this.server.members.get(room)?.delete(this);
  }
}

function setup() {
  const server = new FakeServer();
  const fanout = new LiveFanout(server as unknown as Server, { mergeMs: 60_000, log: { warn: () => {} } });
  const socket = () => new FakeSocket(server);
  return { server, fanout, socket };
}

const dose = (txid: number, districtId = 501, dose = 1): ReceivedEvent => ({
  type: 'dose.recorded',
  stateId: 5,
  districtId,
  sessionDayId: '00000000-0000-4000-8000-000000000001',
  at: new Date().toISOString(),
  data: { dose },
  txid: BigInt(txid),
});

/** A snapshot read that the test finishes when it likes. */
function pendingSnapshot(text: string) {
  let finish!: () => void;
  const read = new Promise<{ data: unknown; visibility: PgSnapshot }>((resolve) => {
    finish = () => resolve({ data: { dosesToday: 10 }, visibility: PgSnapshot.parse(text) });
  });
  return { read: () => read, finish };
}

describe('joining a room: snapshot first, then every event once', () => {
  it('drops held events the snapshot saw, sends the rest after it, then delivers through the room', async () => {
    const { server, fanout, socket } = setup();
    const client = socket();
    // Snapshot 100:104:102 — it saw 99 and 101 and 103, not 102 (in progress) nor 104 and later.
    const snapshot = pendingSnapshot('100:104:102');
    const joining = fanout.join(client as unknown as Socket, 'district:501', snapshot.read);
    fanout.dispatch(dose(99));
    fanout.dispatch(dose(101));
    fanout.dispatch(dose(102));
    fanout.dispatch(dose(104));
    expect(client.received).toEqual([]);
    snapshot.finish();
    expect(await joining).toBe(true);

    fanout.dispatch(dose(105));
    expect(client.received.map((m) => m.name)).toEqual([
      'snapshot',
      'dose.recorded',
      'coverage',
      'dose.recorded',
      'coverage',
      'dose.recorded',
      'coverage',
    ]);
    expect(client.rooms.has('district:501')).toBe(true);
    expect(server.members.get('district:501')?.has(client)).toBe(true);
  });

  it('drops an event the snapshot already counted even when it arrives after the snapshot was sent', async () => {
    const { fanout, socket } = setup();
    const client = socket();
    const snapshot = pendingSnapshot('200:203:');
    const joining = fanout.join(client as unknown as Socket, 'district:501', snapshot.read);
    snapshot.finish();
    await joining;
    // 202 committed before the snapshot but its notification comes late: already counted.
    fanout.dispatch(dose(202));
    expect(client.received.map((m) => m.name)).toEqual(['snapshot']);
    expect(client.rooms.has('district:501')).toBe(false);
    fanout.dispatch(dose(203));
    fanout.dispatch(dose(204));
    expect(client.received.map((m) => m.name)).toEqual([
      'snapshot',
      'dose.recorded',
      'coverage',
      'dose.recorded',
      'coverage',
    ]);
    expect(client.rooms.has('district:501')).toBe(true);
  });

  it('merges coverage for state rooms without counting an increment twice for a joining socket', async () => {
    const { fanout, socket } = setup();
    const member = socket();
    await fanout.join(member as unknown as Socket, 'state:5', async () => ({
      data: {},
      visibility: PgSnapshot.parse('1:1:'),
    }));
    fanout.dispatch(dose(1)); // promotes `member` (the snapshot did not see txid 1)
    fanout.dispatch(dose(2, 501, 2));
    fanout.dispatch(dose(3, 502));

    const joiner = socket();
    await fanout.join(joiner as unknown as Socket, 'state:5', async () => ({
      data: {},
      visibility: PgSnapshot.parse('4:4:'),
    }));
    fanout.dispatch(dose(4, 502)); // the joiner's first new event: sent to it alone, then it joins the room
    fanout.dispatch(dose(5, 501));
    (fanout as unknown as { flushMerged(room: string): void }).flushMerged('state:5');

    const increments = (s: FakeSocket) =>
      s.received.filter((m) => m.name === 'coverage').flatMap((m) => m.payload.increments);
    const total = (s: FakeSocket) => increments(s).reduce((n, i) => n + i.doses, 0);
    // member: 1 sent directly at its own promotion, then 2, 3, 4 merged before the joiner joined, then 5.
    expect(total(member)).toBe(5);
    // joiner: 4 directly, then 5 through the room; nothing its snapshot (txids < 4) had counted.
    expect(total(joiner)).toBe(2);
    expect(member.received.some((m) => m.name === 'dose.recorded')).toBe(false);
  });

  it('sends nothing to a socket that left before its snapshot was ready', async () => {
    const { fanout, socket } = setup();
    const client = socket();
    const snapshot = pendingSnapshot('10:10:');
    const joining = fanout.join(client as unknown as Socket, 'district:501', snapshot.read);
    fanout.dispatch(dose(11));
    fanout.leave(client as unknown as Socket, 'district:501');
    snapshot.finish();
    expect(await joining).toBe(false);
    fanout.dispatch(dose(12));
    expect(client.received).toEqual([]);
  });

  it("keeps a dry run's events to its session room: nothing reaches a district, state or national room", async () => {
    const { fanout, socket } = setup();
    const watch = async (room: string) => {
      const s = socket();
      await fanout.join(s as unknown as Socket, room, async () => ({ data: {}, visibility: PgSnapshot.parse('1:1:') }));
      return s;
    };
    const rehearsal = '00000000-0000-4000-8000-0000000000d1';
    const [district, state, national, session] = await Promise.all([
      watch('district:501'),
      watch('state:5'),
      watch('national'),
      watch(`session:${rehearsal}`),
    ]);
    fanout.dispatch({
      type: 'dryrun.sessions',
      stateId: 0,
      districtId: 0,
      at: new Date().toISOString(),
      data: { sessionDayIds: [rehearsal] },
      txid: 2n,
    });
    fanout.dispatch({ ...dose(3), sessionDayId: rehearsal });
    fanout.dispatch({ ...dose(4), type: 'session.status', sessionDayId: rehearsal, data: { status: 'STALLED' } });
    for (const room of ['state:5', 'national'])
      (fanout as unknown as { flushMerged(r: string): void }).flushMerged(room);

    const seen = (s: FakeSocket) => s.received.map((m) => m.name).filter((name) => name !== 'snapshot');
    for (const outside of [district, state, national]) expect(seen(outside)).toEqual([]);
    expect(seen(session)).toEqual(['dose.recorded', 'session.status']);
    // A real day's dose still reaches the district.
    fanout.dispatch(dose(5));
    expect(seen(district)).toEqual(['dose.recorded', 'coverage']);
  });
});
