/** One JSON POST to a gateway with a deadline, its failures sorted into retryable or not. */
import { redactNumbers } from '../redact.js';
import { ProviderError } from './types.js';

export interface GatewayReply {
  status: number;
  text: string;
}

/** Resolves with a 2xx reply; throws ProviderError for everything else. */
export async function postToGateway(
  provider: string,
  url: string,
  options: { body: string; headers?: Record<string, string>; timeoutMs: number },
): Promise<GatewayReply> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: options.body,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    // Refused, reset, DNS, or no answer in time. A timeout may hide an accepted message; we retry anyway
    // (at-least-once at this boundary), because a lost booking confirmation costs more than a repeated one.
    throw new ProviderError(provider, `request failed: ${networkErrorText(error, options.timeoutMs)}`, {
      retryable: true,
      cause: error,
    });
  }

  let text = '';
  try {
    text = await response.text();
  } catch (error) {
    // A 2xx whose body broke off was probably accepted: do not send it again.
    if (response.ok) {
      throw new ProviderError(provider, `HTTP ${response.status} with an unreadable body`, {
        retryable: false,
        status: response.status,
        cause: error,
      });
    }
  }
  if (response.ok) return { status: response.status, text };

  const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
  throw new ProviderError(provider, `HTTP ${response.status}: ${excerpt(text)}`, {
    retryable,
    status: response.status,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
  });
}

/** JSON of a reply body, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function networkErrorText(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no response within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function excerpt(text: string): string {
  const line = redactNumbers(text).replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line || '(empty body)';
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
