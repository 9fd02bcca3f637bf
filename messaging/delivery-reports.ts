/**
 * Delivery-report callbacks: each gateway's payload turned into DeliveryReports for applyDeliveryReport().
 *
 * Mounting (api/): one POST route per gateway, e.g. /api/v1/sms/delivery-reports/msg91. Neither MSG91 nor a
 * typical gateway signs its callbacks, so each carries our shared secret: in the `x-teeka-callback-token` header
 * (the webhook gateway's own setting), or for MSG91's Webhook (New), whose JSON body we write but which sends no
 * custom header, as the body field `teekaCallbackToken`. Never in the URL: proxies and gateways log URLs. Compare
 * it with callbackTokenMatches() (constant time) before parsing, answer 401 on a mismatch, 400 on
 * MalformedDeliveryReportError, 200 otherwise. A report for an unknown message (UNKNOWN_MESSAGE) can race the row's
 * SENT update by milliseconds; answering 200 anyway is fine for a status we can also live without.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { DeliveryReport } from './sms-outbox.js';

export const CALLBACK_TOKEN_HEADER = 'x-teeka-callback-token';
/** Where a JSON report may carry the token instead (MSG91 Webhook (New) lets us choose the body, not headers). */
export const CALLBACK_TOKEN_BODY_FIELD = 'teekaCallbackToken';

export class MalformedDeliveryReportError extends Error {
  override name = 'MalformedDeliveryReportError';
}

/** Constant-time comparison of the presented secret with ours; false when either is missing. */
export function callbackTokenMatches(expected: string | undefined, presented: string | undefined): boolean {
  if (!expected || !presented) return false;
  // Hashing first gives equal-length inputs, which timingSafeEqual needs, without leaking the length.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(presented));
}

/**
 * MSG91's SMS webhook (msg91.com/help/how-can-i-get-the-delivery-reports-on-my-webhook-url), any of:
 *  - v2, `application/x-www-form-urlencoded` with one field `data`, a JSON string:
 *    `[{"senderId":"…","requestId":"…","report":[{"date":"…","number":"91…","status":"1","desc":"DELIVERED"}],…}]`
 *    (pass the raw body string, or the parsed form object `{ data }`);
 *  - v3, JSON: `{"requestId":"…","number":"91…","status":"1","desc":"DELIVERED",…}`;
 *  - "Webhook (New)", JSON fields of our choosing: configure at least
 *    `{"requestId":"{{requestId}}","status":"{{status}}","failureReason":"{{failureReason}}"}`.
 * `requestId` is the id the send API returned (our provider_message_id). Status codes: 1 delivered; 2 failed,
 * 9 NDNC, 16 and 25 rejected, 17 blocked number — all final failures. Anything else (submitted, sent/pending)
 * is not final and is skipped. Configure v2 or v3; v4 (for CleverTap) carries no request id.
 */
export function parseMsg91DeliveryReport(body: unknown): DeliveryReport[] {
  const entries = msg91Entries(typeof body === 'string' ? decodeMsg91Body(body) : body);
  const reports: DeliveryReport[] = [];
  for (const entry of entries) {
    const requestId = entry.requestId;
    if (typeof requestId !== 'string' || requestId === '')
      throw new MalformedDeliveryReportError('MSG91 report without a requestId');
    // v2 nests per-number results under `report`; v3 and the new webhook are flat.
    const results = Array.isArray(entry.report) ? (entry.report as Record<string, unknown>[]) : [entry];
    for (const result of results) {
      const status = msg91Status(result.status, result.desc);
      if (status === undefined) continue;
      reports.push({
        provider: 'msg91',
        providerMessageId: requestId,
        status,
        ...(status === 'FAILED' ? { error: msg91FailureText(result) } : {}),
      });
    }
  }
  return reports;
}

/**
 * The webhook gateway's callback, a shape we define: one report or an array of them,
 * `{ "providerMessageId": "<its id, or the {{reference}} it was sent>", "status": "DELIVERED" | "FAILED", "error": "…" }`.
 */
export function parseWebhookDeliveryReport(body: unknown): DeliveryReport[] {
  const items = Array.isArray(body) ? body : [body];
  return items.map((item) => {
    if (item === null || typeof item !== 'object')
      throw new MalformedDeliveryReportError('webhook report must be a JSON object');
    const { providerMessageId, status, error } = item as Record<string, unknown>;
    if (typeof providerMessageId !== 'string' || providerMessageId === '') {
      throw new MalformedDeliveryReportError('webhook report without a providerMessageId');
    }
    const normalized = typeof status === 'string' ? status.toUpperCase() : status;
    if (normalized !== 'DELIVERED' && normalized !== 'FAILED') {
      throw new MalformedDeliveryReportError('webhook report status must be DELIVERED or FAILED');
    }
    return {
      provider: 'webhook',
      providerMessageId,
      status: normalized,
      ...(normalized === 'FAILED' && typeof error === 'string' && error !== '' ? { error } : {}),
    };
  });
}

/** A raw body: JSON (v3, new webhook) or a urlencoded form whose `data` field holds JSON (v2). */
function decodeMsg91Body(raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJsonOrThrow(trimmed);
  const data = new URLSearchParams(trimmed).get('data');
  if (data === null) throw new MalformedDeliveryReportError('MSG91 form report without a data field');
  return { data };
}

function msg91Entries(body: unknown): Record<string, unknown>[] {
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'data' in body) {
    const data = (body as { data: unknown }).data;
    return msg91Entries(typeof data === 'string' ? parseJsonOrThrow(data) : data);
  }
  const entries = Array.isArray(body) ? body : [body];
  if (entries.some((entry) => entry === null || typeof entry !== 'object')) {
    throw new MalformedDeliveryReportError('MSG91 report must be a JSON object or array of objects');
  }
  return entries as Record<string, unknown>[];
}

const MSG91_DELIVERED = new Set(['1', 'delivered']);
const MSG91_FAILED = new Set(['2', '9', '16', '17', '25', 'failed', 'rejected', 'ndnc', 'blocked']);

function msg91Status(status: unknown, desc: unknown): DeliveryReport['status'] | undefined {
  const code = String(status ?? desc ?? '')
    .trim()
    .toLowerCase();
  if (MSG91_DELIVERED.has(code)) return 'DELIVERED';
  if (MSG91_FAILED.has(code)) return 'FAILED';
  return undefined;
}

/** The reason in MSG91's words, never the number it was sent to. */
function msg91FailureText(result: Record<string, unknown>): string {
  const reason = [result.desc, result.failedReason ?? result.failureReason].filter(
    (part) => typeof part === 'string' && part !== '',
  );
  return `${reason.join(': ') || 'failed'} (MSG91 status ${String(result.status)})`;
}

function parseJsonOrThrow(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedDeliveryReportError('delivery report is not valid JSON');
  }
}
