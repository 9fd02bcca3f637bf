/** What every SMS gateway adapter implements. Adapters send; the outbox (messaging/sms-outbox.ts) decides when. */

export interface OutgoingSms {
  /** 10-digit Indian mobile number, no country code. */
  to: string;
  body: string;
  dltTemplateId: string;
  senderId: string;
  /** Our outbox row id: lets a gateway's delivery reports and logs point back at the row. */
  reference: string;
}

export interface SmsProvider {
  /** Stored in sms_message.provider; delivery reports are matched on (provider, provider_message_id). */
  name: string;
  send(message: OutgoingSms): Promise<{ providerMessageId: string }>;
  /**
   * Sending the same message again reaches nobody twice (the dev outbox: nothing leaves the machine). A message its
   * sender died while sending is then sent again once stale, instead of being settled as FAILED, outcome unknown.
   */
  resendIsHarmless?: boolean;
  /** How long a message may stay SENDING before it is settled (SMS_SENDING_STALE_SECONDS); five minutes unless set. */
  sendingStaleMs?: number;
}

/**
 * A gateway refused or could not be reached. `retryable` says whether the same request may succeed later:
 * network failures, timeouts, 408, 429 and 5xx are; other 4xx and explicit rejections are not.
 * Messages carry status codes and the gateway's own words, never the recipient's number or the body.
 */
export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly provider: string;
  readonly retryable: boolean;
  readonly status?: number;
  /** From a Retry-After header, for an activity that wants to honour it (ApplicationFailure nextRetryDelay). */
  readonly retryAfterMs?: number;

  constructor(
    provider: string,
    message: string,
    options: { retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(`${provider}: ${message}`, { cause: options.cause });
    this.provider = provider;
    this.retryable = options.retryable;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}
