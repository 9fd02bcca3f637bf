/**
 * A live-dashboard client that knows several API addresses: when its connection drops it tries the next address
 * (and the next, round and round) until one accepts, then joins its rooms again. Each join sends a fresh snapshot,
 * so what happened while it was away is in the snapshot and nothing is counted twice (api/plugins/live.ts).
 * This is the logic a dashboard needs when it is not behind a proxy that fails over for it.
 */
import { io, type Socket } from 'socket.io-client';
import type { JoinAck } from '../../api/plugins/live.js';
import { LIVE_PATH } from '../../api/plugins/live.js';

export interface LiveMessage {
  name: string;
  payload: any;
  /** The API address the message came from. */
  url: string;
}

export interface Reconnection {
  from: string;
  to: string;
  /** From losing the connection to having every room joined again. */
  gapMs: number;
}

const RETRY_DELAY_MS = 100;
const CONNECT_TIMEOUT_MS = 2_000;

export class FailoverLiveClient {
  readonly messages: LiveMessage[] = [];
  readonly reconnections: Reconnection[] = [];
  private socket: Socket | undefined;
  private index = 0;
  private closed = false;

  constructor(
    private readonly urls: string[],
    private readonly token: string,
    private readonly rooms: string[],
  ) {}

  /** The address of the API this client is connected to now. */
  get url(): string {
    return this.urls[this.index];
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  async start(): Promise<void> {
    await this.connect(this.index);
  }

  close(): void {
    this.closed = true;
    this.socket?.disconnect();
  }

  /** Connects to urls[index] and joins every room; rejects when that API does not accept. */
  private async connect(index: number): Promise<void> {
    const url = this.urls[index];
    const socket = io(url, {
      path: LIVE_PATH,
      auth: { token: this.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: CONNECT_TIMEOUT_MS,
    });
    socket.onAny((name: string, payload: unknown) => this.messages.push({ name, payload, url }));
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (error) => reject(error));
      });
      for (const room of this.rooms) {
        const ack: JoinAck = await socket.timeout(CONNECT_TIMEOUT_MS).emitWithAck('join', room);
        if (!ack.ok) throw new Error(`join ${room} refused: ${ack.error.code}`);
      }
    } catch (error) {
      socket.disconnect();
      throw error;
    }
    this.socket = socket;
    this.index = index;
    socket.once('disconnect', () => {
      if (!this.closed) void this.failOver(url, Date.now());
    });
  }

  private async failOver(from: string, lostAt: number): Promise<void> {
    let next = this.index;
    while (!this.closed) {
      next = (next + 1) % this.urls.length;
      try {
        await this.connect(next);
        this.reconnections.push({ from, to: this.urls[next], gapMs: Date.now() - lostAt });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
      }
    }
  }
}
