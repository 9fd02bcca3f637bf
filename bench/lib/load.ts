/**
 * HTTP load with autocannon (a well-kept load generator): fixed duration or request count, fixed connections,
 * optionally a fixed overall rate. Every answer is classified: 2xx is a success, a non-2xx listed in `refusals`
 * (status and the body's `code`, e.g. "409 SESSION_FULL") is the right answer to that request, anything else —
 * other non-2xx answers, connection errors, timeouts — is an error counted under `phase` (see errors.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import autocannon from 'autocannon';
import { countError } from './errors.js';
import { percentile, round, summarise } from './report.js';

export interface LoadOptions extends Omit<autocannon.Options, 'requests'> {
  /** Where errors are counted, e.g. "doses: load". */
  phase: string;
  requests?: autocannon.Request[];
  /** Non-2xx answers that are correct for this load, as "<status> <code>" (e.g. "409 SESSION_FULL"). */
  refusals?: string[];
  /**
   * Each connection's own requests, instead of `requests` shared by all: a connection that stands for one desk
   * sends only that desk's requests, one after another, as the desk would.
   */
  requestsOfConnection?: (connection: number) => autocannon.Request[];
}

export interface LoadResult {
  seconds: number;
  /** Answers and errors together: everything the load generator sent that came to an end. */
  attempts: number;
  ok: number;
  refused: Record<string, number>;
  refusedTotal: number;
  errors: Record<string, number>;
  errorTotal: number;
  attemptsPerSecond: number;
  okPerSecond: number;
  /** Seconds from the start to the last successful answer (for the booking storm: until the last seat went). */
  lastOkAfterSeconds: number;
  /** Successes per second until the last one: the rate seats were taken at while they lasted. */
  okPerSecondUntilLastOk: number;
  /** Successful answers per whole second of the run (the first and last, partial, seconds left out). */
  okPerSecondOverTime: { seconds: number; min: number; p10: number; p50: number; max: number };
  latencyMs: ReturnType<typeof summarise>;
  okLatencyMs: ReturnType<typeof summarise>;
  refusedLatencyMs: ReturnType<typeof summarise>;
  /** Bytes on the wire per answer, headers included. */
  bytesPerAnswer: number;
}

function bodyCode(body: string): string {
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'string' ? code : '';
  } catch {
    return '';
  }
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const { phase, refusals = [], requests, requestsOfConnection, ...rest } = options;
  const refused: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const okLatencies: number[] = [];
  const refusedLatencies: number[] = [];
  const errorLatencies: number[] = [];
  const okBySecond: number[] = [];
  let bytes = 0;
  let answers = 0;
  // recordBody (onResponse) runs right before the tracker's 'response' event for the same answer.
  let lastKind = '';
  let lastSample = '';
  const classified = (list: autocannon.Request[]): autocannon.Request[] =>
    list.map((request) => ({
      ...request,
      onResponse: (status: number, body: string, context: object, headers?: IncomingHttpHeaders) => {
        if (status < 200 || status >= 300) {
          lastKind = `${status}${body ? ` ${bodyCode(body)}` : ''}`.trim();
          lastSample = body.slice(0, 300);
        } else lastKind = '';
        if (typeof request.onResponse === 'function') request.onResponse(status, body, context, headers);
      },
    }));
  const withClassifier = classified(requests ?? [{ method: 'GET' as const }]);
  let connections = 0;
  const setupClient = requestsOfConnection
    ? (client: autocannon.Client) => client.setRequests(classified(requestsOfConnection(connections++)))
    : undefined;
  const started = performance.now();
  let lastOkAt = started;
  let instance!: autocannon.Instance;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({ ...rest, requests: withClassifier, setupClient } as autocannon.Options, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
  instance.on('response', (_client: unknown, statusCode: number, resBytes: number, responseTime: number) => {
    bytes += resBytes;
    answers++;
    if (statusCode >= 200 && statusCode < 300) {
      okLatencies.push(responseTime);
      lastOkAt = performance.now();
      const second = Math.floor((lastOkAt - started) / 1000);
      okBySecond[second] = (okBySecond[second] ?? 0) + 1;
      return;
    }
    const kind = lastKind || String(statusCode);
    if (refusals.includes(kind)) {
      refused[kind] = (refused[kind] ?? 0) + 1;
      refusedLatencies.push(responseTime);
    } else {
      errors[kind] = (errors[kind] ?? 0) + 1;
      errorLatencies.push(responseTime);
      countError(phase, `HTTP ${kind}`, 1, lastSample);
    }
  });
  instance.on('reqError', (error: Error) => {
    const kind = error.message === 'request timed out' ? 'client timeout' : `${error.name}: ${error.message}`;
    errors[kind] = (errors[kind] ?? 0) + 1;
    countError(phase, kind);
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  const refusedTotal = Object.values(refused).reduce((a, b) => a + b, 0);
  const errorTotal = Object.values(errors).reduce((a, b) => a + b, 0);
  const attempts = okLatencies.length + refusedTotal + errorTotal;
  const full = Array.from({ length: okBySecond.length }, (_, i) => okBySecond[i] ?? 0)
    .slice(1, -1)
    .sort((a, b) => a - b);
  return {
    seconds: round(seconds, 2),
    attempts,
    ok: okLatencies.length,
    refused,
    refusedTotal,
    errors,
    errorTotal,
    attemptsPerSecond: round(attempts / seconds),
    okPerSecond: round(okLatencies.length / seconds),
    lastOkAfterSeconds: round((lastOkAt - started) / 1000, 2),
    okPerSecondUntilLastOk: lastOkAt > started ? round(okLatencies.length / ((lastOkAt - started) / 1000)) : 0,
    okPerSecondOverTime: {
      seconds: full.length,
      min: full[0] ?? NaN,
      p10: percentile(full, 10),
      p50: percentile(full, 50),
      max: full.at(-1) ?? NaN,
    },
    latencyMs: summarise([...okLatencies, ...refusedLatencies, ...errorLatencies]),
    okLatencyMs: summarise(okLatencies),
    refusedLatencyMs: summarise(refusedLatencies),
    bytesPerAnswer: answers ? Math.round(bytes / answers) : 0,
  };
}
