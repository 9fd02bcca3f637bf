/**
 * Once a minute, a `throughput` live event per district that gave doses in that minute: doses in the minute and in
 * its India clock hour. Runs in the worker; with several workers exactly one emits, the holder of a session-level
 * Postgres advisory lock on its own connection. If that worker dies its connection closes, the lock is free, and
 * another worker takes over at its next tick.
 *
 * The minute is [M − 60 s, M) for the last minute boundary M, read 2 s after M so doses given just before M have
 * committed. Candidates come from the hour's rollup rows; each district's minute is one range scan of the
 * dose (district_id, administered_at) index — never a scan of `dose`.
 */
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../db/connection.js';
import { indiaHourStart } from '../domain/time.js';
import { publishLiveEvent } from './publish.js';

const MINUTE_MS = 60_000;
const SETTLE_MS = 2_000;
/** Advisory lock key of the emitter ("teeka throughput"); tests pass their own. */
export const THROUGHPUT_LOCK_KEY = 0x7465_656b_7470n;

export interface ThroughputFigures {
  districtId: number;
  stateId: number;
  lastMinute: number;
  thisHour: number;
}

/** Districts with doses in [minuteEnd − 60 s, minuteEnd), with that minute's doses and those of the hour it ends in. */
export async function readThroughput(db: Db, minuteEnd: Date): Promise<ThroughputFigures[]> {
  const minuteStart = new Date(minuteEnd.getTime() - MINUTE_MS);
  // A minute ending on a boundary lies in one hour; any other may span two.
  const hours = [indiaHourStart(minuteStart), indiaHourStart(new Date(minuteEnd.getTime() - 1))];
  const { rows } = await sql<{ district_id: number; state_id: number; last_minute: number; this_hour: number }>`
    select c.district_id, d.state_id, m.last_minute, coalesce(h.doses, 0) as this_hour
    from (select distinct district_id from district_hourly_doses where hour in (${hours[0]}, ${hours[1]})) c
    join district d on d.id = c.district_id
    left join district_hourly_doses h on h.district_id = c.district_id and h.hour = ${hours[1]}
    cross join lateral (
      select count(*) as last_minute from dose
      where dose.district_id = c.district_id and dose.administered_at >= ${minuteStart} and dose.administered_at < ${minuteEnd}
    ) m
    where m.last_minute > 0
    order by c.district_id
  `.execute(db);
  return rows.map((r) => ({
    districtId: r.district_id,
    stateId: r.state_id,
    lastMinute: Number(r.last_minute),
    thisHour: Number(r.this_hour),
  }));
}

/** Publishes one minute's throughput events in one transaction; returns how many districts had doses. */
export async function emitThroughput(db: Db, minuteEnd: Date): Promise<number> {
  const figures = await readThroughput(db, minuteEnd);
  if (!figures.length) return 0;
  const minuteStart = new Date(minuteEnd.getTime() - MINUTE_MS).toISOString();
  await db.transaction().execute(async (trx) => {
    for (const f of figures) {
      await publishLiveEvent(trx, {
        type: 'throughput',
        stateId: f.stateId,
        districtId: f.districtId,
        at: minuteEnd.toISOString(),
        data: { minuteStart, lastMinute: f.lastMinute, thisHour: f.thisHour },
      });
    }
  });
  return figures.length;
}

export interface ThroughputEmitterOptions {
  db: Db;
  connectionString: string;
  log: (message: string) => void;
  lockKey?: bigint;
}

/** The worker's once-a-minute loop; only the advisory-lock holder among all workers emits. */
export class ThroughputEmitter {
  private lockClient: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ThroughputEmitterOptions) {}

  get isLeader(): boolean {
    return this.lockClient !== undefined;
  }

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running.catch(() => {});
    const client = this.lockClient;
    this.lockClient = undefined;
    await client?.end().catch(() => {});
  }

  /** One tick: become (or stay) the leader, then emit the minute that ended at `minuteEnd`. Undefined when not the leader. */
  async tick(minuteEnd: Date): Promise<number | undefined> {
    if (!(await this.lead())) return undefined;
    return emitThroughput(this.options.db, minuteEnd);
  }

  private schedule(): void {
    if (this.stopped) return;
    const now = Date.now();
    const nextMinute = Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    this.timer = setTimeout(
      () => {
        this.running = this.tick(new Date(nextMinute))
          .catch((error: unknown) =>
            this.options.log(
              `[live] throughput tick failed: ${error instanceof Error ? error.message : String(error)}`,
            ),
          )
          .finally(() => this.schedule());
      },
      nextMinute + SETTLE_MS - now,
    );
    this.timer.unref();
  }

  /** Holds the lock on a dedicated connection; a lost connection loses the lead until a later tick wins it again. */
  private async lead(): Promise<boolean> {
    if (this.lockClient) return true;
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: 'teeka-throughput',
      keepAlive: true,
    });
    const lost = () => {
      if (this.lockClient === client) this.lockClient = undefined;
      client.end().catch(() => {});
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [
        String(this.options.lockKey ?? THROUGHPUT_LOCK_KEY),
      ]);
      if (rows[0]?.locked && !this.stopped) {
        this.lockClient = client;
        return true;
      }
    } catch (error) {
      this.options.log(
        `[live] throughput lock check failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await client.end().catch(() => {});
    return false;
  }
}

/** Starts the loop in a worker process; returns its stop function. */
export function startThroughputEmitter(options: ThroughputEmitterOptions): () => Promise<void> {
  const emitter = new ThroughputEmitter(options);
  emitter.start();
  return () => emitter.stop();
}
