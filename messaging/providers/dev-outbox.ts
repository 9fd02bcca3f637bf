import type { SmsProvider } from './types.js';

/**
 * Development and tests: nothing leaves the machine. The message is already a row in sms_message (body included),
 * which is where a developer reads an OTP; the row ends SENT with provider_message_id `dev-<outbox id>`.
 */
export const DEV_OUTBOX_PROVIDER = 'dev-outbox';

export function createDevOutboxProvider(): SmsProvider {
  return {
    name: DEV_OUTBOX_PROVIDER,
    resendIsHarmless: true,
    async send(message) {
      return { providerMessageId: `dev-${message.reference}` };
    },
  };
}
