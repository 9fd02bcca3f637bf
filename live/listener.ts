/**
 * One dedicated Postgres connection per API process that LISTENs on the live channel. Not a pool connection: a
 * LISTEN belongs to a session, and a pooled client would be handed to queries. When the connection is lost
 * (Postgres restart, failover, network) it reconnects with backoff and reports `onResync`, because
 * notifications sent while nobody listened are gone: clients must take fresh snapshots.
 */
import pg from 'pg';
import { ACCESS_CHANNEL, BATCHES_CHANNEL, LIVE_CHANNEL } from './publish.js';

export interface LiveListenerOptions {
  connectionString: string;
  /** Called with each notification's payload, in commit order. */
  onPayload(payload: string): void;
  /** Called with each change to who may do what (migration 2026-12-08T0410_access_changes_announced). */
  onAccessChange?(payload: string): void;
  /** Called with each change to the vaccine batch registry (migration 2026-12-09T0430_vaccine_batches). */
  onBatchChange?(payload: string): void;
  /** Called when the connection is lost: until `onResync`, notifications go unheard. */
  onLost?(): void;
  /** Called after a lost connection is listening again. */
  onResync(): void;
  log: { warn(message: string): void; info(message: string): void };
  applicationName?: string;
  /** First and longest wait between reconnection attempts. */
  backoffMs?: { min: number; max: number };
}

/** Longest a caller waits for the barrier of `caughtUp` before it is told the changes may not all be heard. */
const BARRIER_TIMEOUT_MS = 2_000;

export class LiveListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private lostSinceLastListen = false;

  constructor(private readonly options: LiveListenerOptions) {}

  /** Listening, or retrying in the background when Postgres cannot be reached; resolves after the first attempt. */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Backend pid of the listening session (for operators and tests), when connected. */
  get backendPid(): number | undefined {
    return (this.client as (pg.Client & { processID?: number }) | undefined)?.processID;
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  private barrier: Promise<boolean> | undefined;
  private nextBarrier: Promise<boolean> | undefined;

  /**
   * Resolves true once every notification of a transaction that committed before this call has been handed to
   * the callbacks; false when not listening. A committing backend signals the listeners before it answers its own
   * client, and a listening backend sends pending notifications before it answers a query, so one `select 1` on
   * this connection is the barrier. Callers at once share one: a call while a barrier runs waits for the next.
   */
  caughtUp(): Promise<boolean> {
    if (this.nextBarrier) return this.nextBarrier;
    if (!this.barrier) return (this.barrier = this.startBarrier());
    const next = this.barrier.then(() => {
      this.nextBarrier = undefined;
      return (this.barrier = this.startBarrier());
    });
    this.nextBarrier = next;
    return next;
  }

  private startBarrier(): Promise<boolean> {
    const client = this.client;
    const answered = (client ? client.query('select 1') : Promise.reject(new Error('not listening'))).then(
      () => this.client === client,
      () => false,
    );
    // A connection that went silent (no reset from a lost peer) must not hold every staff request: after
    // BARRIER_TIMEOUT_MS the callers read the tables themselves.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), BARRIER_TIMEOUT_MS);
      timer.unref();
    });
    const done: Promise<boolean> = Promise.race([answered, timedOut]).finally(() => {
      clearTimeout(timer);
      if (this.barrier === done) this.barrier = undefined;
    });
    return done;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: this.options.applicationName ?? 'teeka-live-listener',
      keepAlive: true,
    });
    // Both fire on a lost connection; `lost` runs once per client.
    let lost = false;
    const onLost = (reason: string) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => {});
      this.options.onLost?.();
      if (this.stopped) return;
      this.options.log.warn(`[live] LISTEN connection lost (${reason}); reconnecting`);
      this.lostSinceLastListen = true;
      this.scheduleRetry();
    };
    client.on('error', (error) => onLost(error.message));
    client.on('end', () => onLost('connection ended'));
    client.on('notification', (message) => {
      if (message.channel === LIVE_CHANNEL && message.payload) this.options.onPayload(message.payload);
      if (message.channel === ACCESS_CHANNEL && message.payload) this.options.onAccessChange?.(message.payload);
      if (message.channel === BATCHES_CHANNEL) this.options.onBatchChange?.(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
      await client.query(`LISTEN ${ACCESS_CHANNEL}`);
      await client.query(`LISTEN ${BATCHES_CHANNEL}`);
    } catch (error) {
      onLost(error instanceof Error ? error.message : String(error));
      return;
    }
    if (this.stopped || lost) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.attempt = 0;
    if (this.lostSinceLastListen) {
      this.lostSinceLastListen = false;
      this.options.log.info('[live] listening again');
      this.options.onResync();
    }
  }

  private scheduleRetry(): void {
    const { min, max } = this.options.backoffMs ?? { min: 250, max: 10_000 };
    const delay = Math.min(max, min * 2 ** this.attempt++);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }
}
