/**
 * One step at a time inside a workflow: update handlers and the main loop take turns, first come first served.
 *
 * `await condition(() => !busy); busy = true` is not a lock. The SDK resolves every condition that is true in one
 * sweep before any of their continuations run, so two waiters both see "not busy" and run side by side — found by
 * tests/reliability/faults-under-load.test.ts, where two retried bookings of one person both reserved a seat and
 * both sent a confirmation SMS. Here the lock is handed straight to the next waiter rather than released, so
 * nobody slips in between. Deterministic: plain promises, resolved in the order the waiters arrived.
 */
export class WorkflowMutex {
  private held = false;
  private readonly waiting: Array<() => void> = [];

  /** Nobody holds the lock or waits for it (for `condition(() => mutex.idle)` before the workflow returns). */
  get idle(): boolean {
    return !this.held;
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.held = true;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      // Still held: handed over to the next in line.
      if (next) next();
      else this.held = false;
    }
  }
}
