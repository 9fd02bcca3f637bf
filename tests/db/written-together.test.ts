/**
 * Group commit: a request with a lane free is written alone at once; requests that arrive while every lane is busy
 * share the next statement; each gets its own result; a failed statement fails only its own batch.
 */
import { describe, expect, it } from 'vitest';
import { WrittenTogether } from '../../db/repositories/written-together.js';

/** A writer whose statements finish only when the test says so, recording what each statement carried. */
function heldWriter(lanes: number, maxItems = 100) {
  const statements: number[][] = [];
  const pending: Array<{ finish(): void; fail(error: Error): void }> = [];
  const writer = new WrittenTogether<number, string>({
    lanes,
    maxItems,
    order: (a, b) => a - b,
    write(items) {
      statements.push(items);
      return new Promise((resolve, reject) => {
        pending.push({ finish: () => resolve(items.map((n) => `wrote ${n}`)), fail: reject });
      });
    },
  });
  const nextTick = () => new Promise((r) => setImmediate(r));
  return { writer, statements, pending, nextTick };
}

describe('written together', () => {
  it('writes a lone item at once, and the items that arrive while the lane is busy together, in order', async () => {
    const { writer, statements, pending, nextTick } = heldWriter(1);
    const first = writer.write('day-1', 7);
    await nextTick();
    expect(statements).toEqual([[7]]);
    const later = [5, 9, 3].map((n) => writer.write('day-1', n));
    await nextTick();
    expect(statements).toHaveLength(1);
    pending[0]!.finish();
    expect(await first).toBe('wrote 7');
    await nextTick();
    expect(statements).toEqual([[7], [3, 5, 9]]);
    pending[1]!.finish();
    expect(await Promise.all(later)).toEqual(['wrote 5', 'wrote 9', 'wrote 3']);
  });

  it('keeps each key to its own statements, and uses every lane before batching', async () => {
    const { writer, statements, pending, nextTick } = heldWriter(2);
    const answers = [writer.write('a', 1), writer.write('a', 2), writer.write('b', 3), writer.write('a', 4)];
    await nextTick();
    expect(statements).toEqual([[1], [2], [3]]);
    pending.forEach((p) => p.finish());
    await nextTick();
    expect(statements).toEqual([[1], [2], [3], [4]]);
    pending[3]!.finish();
    expect(await Promise.all(answers)).toEqual(['wrote 1', 'wrote 2', 'wrote 3', 'wrote 4']);
  });

  it('puts at most maxItems in one statement', async () => {
    const { writer, statements, pending, nextTick } = heldWriter(1, 2);
    const answers = [1, 2, 3, 4, 5].map((n) => writer.write('k', n));
    for (let i = 0; i < 3; i++) {
      await nextTick();
      pending[i]!.finish();
    }
    await Promise.all(answers);
    expect(statements).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('fails only the batch whose statement failed, and goes on with the next', async () => {
    const { writer, statements, pending, nextTick } = heldWriter(1);
    const first = writer.write('k', 1);
    await nextTick();
    const second = [writer.write('k', 2), writer.write('k', 3)];
    pending[0]!.fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await nextTick();
    expect(statements).toEqual([[1], [2, 3]]);
    pending[1]!.finish();
    expect(await Promise.all(second)).toEqual(['wrote 2', 'wrote 3']);
  });
});
