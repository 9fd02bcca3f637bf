/**
 * SMS settings, read from the environment. (They belong in config/env.ts and the README's table; until they move
 * there this is the one place that reads them.)
 *
 * | variable                        | meaning                                                        | default                 |
 * |---------------------------------|----------------------------------------------------------------|-------------------------|
 * | `SMS_PROVIDER`                  | `dev` (nothing sent; read sms_message), `msg91` or `webhook`   | `dev`; required in production, where `dev` is refused |
 * | `SMS_RATE_PER_SECOND`           | messages per second per worker process to the gateway          | `10`                    |
 * | `SMS_RATE_BURST`                | messages that may go at once after a quiet spell               | `1`                     |
 * | `SMS_HTTP_TIMEOUT_MS`           | deadline of one gateway request                                | `10000`                 |
 * | `SMS_SENDING_STALE_SECONDS`     | a row left SENDING this long is settled as FAILED (unknown)    | `300`                   |
 * | `SMS_CALLBACK_TOKEN`            | shared secret delivery-report callbacks must present           | none (callbacks refused); ≥ 32 chars required in production for msg91/webhook |
 * | `MSG91_AUTH_KEY`                | MSG91 authkey                                                  | required for `msg91`    |
 * | `MSG91_BASE_URL`                | MSG91 API origin                                               | `https://api.msg91.com` |
 * | `MSG91_ROUTE`                   | MSG91 route (4 = transactional)                                | `4`                     |
 * | `SMS_WEBHOOK_URL`               | where the webhook provider POSTs                               | required for `webhook`  |
 * | `SMS_WEBHOOK_BODY_TEMPLATE`     | JSON body with {{to}} {{body}} {{dltTemplateId}} {{senderId}} {{reference}} | see WEBHOOK_DEFAULT_BODY_TEMPLATE |
 * | `SMS_WEBHOOK_AUTH_HEADER`       | one header sent with each request, `Name: value`               | none                    |
 * | `SMS_WEBHOOK_MESSAGE_ID_FIELD`  | dot path of the message id in the gateway's JSON reply         | `id`                    |
 */
import { MSG91_DEFAULT_BASE_URL } from './providers/msg91.js';
import { WEBHOOK_DEFAULT_BODY_TEMPLATE } from './providers/webhook.js';

export type SmsProviderKind = 'dev' | 'msg91' | 'webhook';

export interface SmsConfig {
  provider: SmsProviderKind;
  ratePerSecond: number;
  rateBurst: number;
  httpTimeoutMs: number;
  /** How long a SENDING row may be in flight before deliverSms settles it as FAILED (outcome unknown). */
  sendingStaleMs: number;
  /** Secret the delivery-report callback routes compare against (see delivery-reports.ts). */
  callbackToken?: string;
  msg91?: { authKey: string; baseUrl: string; route: string };
  webhook?: { url: string; bodyTemplate: string; authHeader?: { name: string; value: string }; messageIdField: string };
}

const MIN_CALLBACK_TOKEN_LENGTH = 32;

export function loadSmsConfig(env: NodeJS.ProcessEnv = process.env): SmsConfig {
  const production = env.NODE_ENV === 'production';
  const provider = providerKind(env, production);
  const callbackToken = env.SMS_CALLBACK_TOKEN || undefined;
  if (callbackToken !== undefined && callbackToken.length < MIN_CALLBACK_TOKEN_LENGTH) {
    throw new Error(`SMS_CALLBACK_TOKEN must be at least ${MIN_CALLBACK_TOKEN_LENGTH} characters`);
  }
  if (production && provider !== 'dev' && callbackToken === undefined) {
    throw new Error('SMS_CALLBACK_TOKEN must be set in production so delivery reports can be authenticated');
  }
  return {
    provider,
    ratePerSecond: positiveNumber(env, 'SMS_RATE_PER_SECOND', 10),
    rateBurst: positiveNumber(env, 'SMS_RATE_BURST', 1),
    httpTimeoutMs: positiveNumber(env, 'SMS_HTTP_TIMEOUT_MS', 10_000),
    sendingStaleMs: positiveNumber(env, 'SMS_SENDING_STALE_SECONDS', 300) * 1000,
    callbackToken,
    msg91: provider === 'msg91' ? msg91Settings(env) : undefined,
    webhook: provider === 'webhook' ? webhookSettings(env) : undefined,
  };
}

function providerKind(env: NodeJS.ProcessEnv, production: boolean): SmsProviderKind {
  const raw = env.SMS_PROVIDER || undefined;
  if (raw === undefined) {
    if (production) throw new Error('SMS_PROVIDER must be set in production (msg91 or webhook)');
    return 'dev';
  }
  if (raw !== 'dev' && raw !== 'msg91' && raw !== 'webhook') {
    throw new Error(`SMS_PROVIDER must be dev, msg91 or webhook, got "${raw}"`);
  }
  // A drive whose SMS silently go nowhere is worse than one that refuses to start.
  if (raw === 'dev' && production)
    throw new Error('SMS_PROVIDER=dev sends nothing and is refused when NODE_ENV=production');
  return raw;
}

function msg91Settings(env: NodeJS.ProcessEnv): NonNullable<SmsConfig['msg91']> {
  return {
    authKey: required(env, 'MSG91_AUTH_KEY', 'SMS_PROVIDER=msg91'),
    baseUrl: env.MSG91_BASE_URL || MSG91_DEFAULT_BASE_URL,
    route: env.MSG91_ROUTE || '4',
  };
}

function webhookSettings(env: NodeJS.ProcessEnv): NonNullable<SmsConfig['webhook']> {
  return {
    url: required(env, 'SMS_WEBHOOK_URL', 'SMS_PROVIDER=webhook'),
    bodyTemplate: env.SMS_WEBHOOK_BODY_TEMPLATE || WEBHOOK_DEFAULT_BODY_TEMPLATE,
    authHeader: env.SMS_WEBHOOK_AUTH_HEADER ? header(env.SMS_WEBHOOK_AUTH_HEADER) : undefined,
    messageIdField: env.SMS_WEBHOOK_MESSAGE_ID_FIELD || 'id',
  };
}

function required(env: NodeJS.ProcessEnv, name: string, when: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} must be set when ${when}`);
  return value;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/** 'Authorization: Bearer abc' -> { name: 'authorization', value: 'Bearer abc' }; the value is never echoed. */
function header(raw: string): { name: string; value: string } {
  const colon = raw.indexOf(':');
  const name = colon > 0 ? raw.slice(0, colon).trim() : '';
  const value = colon > 0 ? raw.slice(colon + 1).trim() : '';
  if (!/^[A-Za-z0-9-]+$/.test(name) || value === '')
    throw new Error('SMS_WEBHOOK_AUTH_HEADER must look like "Name: value"');
  return { name: name.toLowerCase(), value };
}
