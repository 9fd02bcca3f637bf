import { loadSmsConfig, type SmsConfig } from '../config.js';
import { TokenBucket, withRateLimit } from '../rate-limit.js';
import { createDevOutboxProvider } from './dev-outbox.js';
import { createMsg91Provider } from './msg91.js';
import type { SmsProvider } from './types.js';
import { createWebhookProvider } from './webhook.js';

export { ProviderError, type OutgoingSms, type SmsProvider } from './types.js';

/** The provider SMS_PROVIDER names, rate-limited. Build it once per process: the rate limit lives in it. */
export function createSmsProvider(env: NodeJS.ProcessEnv = process.env): SmsProvider {
  return createSmsProviderFromConfig(loadSmsConfig(env));
}

export function createSmsProviderFromConfig(config: SmsConfig): SmsProvider {
  const provider =
    // dev-outbox talks to nobody, so it has no rate to keep.
    config.provider === 'dev'
      ? createDevOutboxProvider()
      : withRateLimit(gatewayProvider(config), new TokenBucket(config.ratePerSecond, config.rateBurst));
  return { ...provider, sendingStaleMs: config.sendingStaleMs };
}

function gatewayProvider(config: SmsConfig): SmsProvider {
  if (config.provider === 'msg91' && config.msg91)
    return createMsg91Provider({ ...config.msg91, timeoutMs: config.httpTimeoutMs });
  if (config.provider === 'webhook' && config.webhook)
    return createWebhookProvider({ ...config.webhook, timeoutMs: config.httpTimeoutMs });
  throw new Error(`SMS provider ${config.provider} has no settings (build the config with loadSmsConfig)`);
}
