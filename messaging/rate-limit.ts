/**
 * A token bucket per gateway: gateways and operators cap messages per second, and a burst of reminders must
 * queue here rather than earn 429s. It is per process: N workers send at up to N × the rate, so set the rate
 * to the gateway's limit divided by the number of workers. A tiny class is enough; a library buys nothing here.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SmsProvider } from './providers/types.js';

export class TokenBucket {
  private tokens: number;
  private refilledAt = performance.now();
  /** Callers take tokens one after another, in arrival order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    /** Tokens that may be spent at once after a quiet spell; 1 means evenly spaced sends. */
    readonly burst = 1,
  ) {
    if (!(ratePerSecond > 0)) throw new Error(`rate must be above 0 per second, got ${ratePerSecond}`);
    if (!(burst >= 1)) throw new Error(`burst must be at least 1, got ${burst}`);
    this.tokens = burst;
  }

  /** Resolves when the caller may send one message. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeWhenAvailable());
    this.queue = turn;
    return turn;
  }

  private async takeWhenAvailable(): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      await sleep(((1 - this.tokens) / this.ratePerSecond) * 1000);
      this.refill();
    }
    // May dip a hair below zero when a timer fires early; the next caller then waits that much longer.
    this.tokens -= 1;
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.ratePerSecond);
    this.refilledAt = now;
  }
}

/** The same provider, holding each send until the bucket gives a token. */
export function withRateLimit(provider: SmsProvider, bucket: TokenBucket): SmsProvider {
  return {
    name: provider.name,
    async send(message) {
      await bucket.take();
      return provider.send(message);
    },
  };
}
