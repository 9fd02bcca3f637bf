/**
 * A patient HTTP client, as a well-behaved app or desk would be: each attempt has a deadline, network errors and
 * 5xx answers are retried (on the next API process, with backoff) carrying the same request — the same client
 * event id for a dose — until an answer that is not a fault arrives or the overall deadline passes.
 */

export interface Answer {
  status: number;
  body: any;
  attempts: number;
  /** Faults seen before the answer: 'network', 'timeout' or a 5xx status. */
  faults: string[];
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Deadline of one attempt. */
  attemptTimeoutMs?: number;
  /** Give up (status 0) after this long. */
  deadlineMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RetryingClient {
  private next = 0;

  constructor(private readonly baseUrls: string[]) {}

  async call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const deadline = Date.now() + (options.deadlineMs ?? 180_000);
    const faults: string[] = [];
    let base = this.next++ % this.baseUrls.length;
    for (let attempt = 1; ; attempt++) {
      const url = `${this.baseUrls[base]}${path}`;
      const headers: Record<string, string> = {};
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      try {
        const response = await fetch(url, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(options.attemptTimeoutMs ?? 30_000),
        });
        const text = await response.text();
        if (response.status < 500) {
          return { status: response.status, body: text ? safeJson(text) : undefined, attempts: attempt, faults };
        }
        faults.push(String(response.status));
      } catch (error) {
        faults.push((error as Error).name === 'TimeoutError' ? 'timeout' : `network (${describe(error)})`);
      }
      if (Date.now() > deadline) return { status: 0, body: undefined, attempts: attempt, faults };
      // Another process may be alive while this one restarts.
      base = (base + 1) % this.baseUrls.length;
      await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)));
    }
  }
}

/** The cause of a fetch failure: ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET... */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
