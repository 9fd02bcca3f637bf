/** A local HTTP server standing in for an SMS gateway: records every request and answers from a script. */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Parsed JSON body (undefined when it is not JSON). */
  json: any;
  receivedAt: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

export class FakeGateway {
  readonly requests: RecordedRequest[] = [];
  private readonly scripted: Reply[] = [];

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly url: string,
    private readonly fallback: (request: RecordedRequest) => Reply,
  ) {}

  static async start(fallback: (request: RecordedRequest) => Reply): Promise<FakeGateway> {
    let gateway: FakeGateway | undefined;
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        json: tryJson(body),
        receivedAt: performance.now(),
      };
      gateway!.requests.push(request);
      const reply = gateway!.scripted.shift() ?? gateway!.fallback(request);
      if (reply.delayMs) await sleep(reply.delayMs);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    gateway = new FakeGateway(server, `http://127.0.0.1:${port}`, fallback);
    return gateway;
  }

  /** The next requests get these replies, in order; later ones get the fallback again. */
  script(...replies: Reply[]): void {
    this.scripted.push(...replies);
  }

  /** Forget earlier requests and unused scripted replies. */
  reset(): void {
    this.requests.length = 0;
    this.scripted.length = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** MSG91's documented success reply to /api/v2/sendsms, with a fresh 24-hex request id. */
export function msg91Accepted(): Reply {
  return { status: 200, body: { message: randomBytes(12).toString('hex'), type: 'success' } };
}

/** Speaks MSG91's protocol: refuses a wrong authkey the way MSG91 documents, accepts anything else. */
export function msg91Gateway(authKey: string): (request: RecordedRequest) => Reply {
  return (request) =>
    request.headers.authkey === authKey
      ? msg91Accepted()
      : { status: 401, body: { type: 'error', message: 'Authentication failure', code: '301' } };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
