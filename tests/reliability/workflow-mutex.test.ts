/** The lock that lets a journey's update handlers and main loop take turns (workflows/workflows/mutex.ts). */
import { describe, expect, it } from 'vitest';
import { WorkflowMutex } from '../../workflows/workflows/mutex.js';

describe('WorkflowMutex', () => {
  it('never lets two waiters in at once, even when they were all released by the same event, and serves them in order', async () => {
    const mutex = new WorkflowMutex();
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // The first holds the lock until the gate opens; five more queue behind it.
    const holders = [0, 1, 2, 3, 4, 5].map((n) =>
      mutex.exclusive(async () => {
        inside++;
        most = Math.max(most, inside);
        order.push(n);
        if (n === 0) await gate;
        await Promise.resolve();
        inside--;
      }),
    );
    expect(mutex.idle).toBe(false);
    open();
    await Promise.all(holders);
    expect(most).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(mutex.idle).toBe(true);
  });

  it('passes the lock on when a holder throws', async () => {
    const mutex = new WorkflowMutex();
    const failing = mutex.exclusive(async () => {
      throw new Error('refused');
    });
    const next = mutex.exclusive(async () => 'served');
    await expect(failing).rejects.toThrow('refused');
    await expect(next).resolves.toBe('served');
    expect(mutex.idle).toBe(true);
  });
});
