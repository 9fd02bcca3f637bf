/**
 * Group commit for the record day's writes. Concurrent requests that each write one item (a dose, a booking) hand it
 * here; a lane that is free writes it at once, and the items that arrive while every lane is busy go together in
 * the lane's next statement, one transaction and one commit for all of them. Postgres then pays the transaction,
 * the commit (its WAL flush and, for writes that NOTIFY, the notification queue's commit lock) and the top-level
 * statement once per batch instead of once per item. A lone request waits for nothing: with a lane free it is
 * written alone, straight away.
 *
 * Each item is its own subtransaction inside the statement (the SQL side's `..._each` functions), so one item's
 * refusal or failure touches only that item; its result says so.
 */
import type { Db } from '../connection.js';

/**
 * The error that ended one item of a batch, as the SQL side's `..._each` functions report it (Postgres's own fields;
 * a rule's refusal is TK002 with the refusal's code as hint). The same shape as a statement's error, so a caller
 * maps both alike.
 */
export interface ItemError {
  code?: string;
  message: string;
  hint?: string | null;
  detail?: string | null;
}

export interface WrittenTogetherOptions<Item, Result> {
  /** Writes one batch in one statement and answers one result per item, in order. */
  write(items: Item[]): Promise<Result[]>;
  /** Statements in flight at once for one key; 1 makes every batch of a key wait for the one before it. */
  lanes: number;
  /** Items in one statement at most. */
  maxItems: number;
  /** Order of the items inside a batch, so concurrent batches take shared rows' locks in the same order. */
  order?: (a: Item, b: Item) => number;
}

interface Waiting<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

interface Queue<Item, Result> {
  waiting: Waiting<Item, Result>[];
  busyLanes: number;
}

export class WrittenTogether<Item, Result> {
  private readonly queues = new Map<string, Queue<Item, Result>>();

  constructor(private readonly options: WrittenTogetherOptions<Item, Result>) {}

  /** The item's result once the statement that wrote it has committed (or the error that ended that statement). */
  write(key: string, item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(key);
      if (!queue) this.queues.set(key, (queue = { waiting: [], busyLanes: 0 }));
      queue.waiting.push({ item, resolve, reject });
      if (queue.busyLanes < this.options.lanes) {
        queue.busyLanes++;
        void this.drain(key, queue);
      }
    });
  }

  private async drain(key: string, queue: Queue<Item, Result>): Promise<void> {
    while (queue.waiting.length) {
      const batch = queue.waiting.splice(0, this.options.maxItems);
      if (this.options.order) batch.sort((a, b) => this.options.order!(a.item, b.item));
      try {
        const results = await this.options.write(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    if (--queue.busyLanes === 0) this.queues.delete(key);
  }
}

/** One group-commit writer per database handle: `writerFor(db)` gives the same writer for the same pool each time. */
export function writtenTogetherOn<Item, Result>(
  options: (db: Db) => WrittenTogetherOptions<Item, Result>,
): (db: Db) => WrittenTogether<Item, Result> {
  const writers = new WeakMap<Db, WrittenTogether<Item, Result>>();
  return (db) => {
    let writer = writers.get(db);
    if (!writer) writers.set(db, (writer = new WrittenTogether(options(db))));
    return writer;
  };
}
