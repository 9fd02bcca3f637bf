/**
 * MSG91 (msg91.com), the gateway most Indian deployments use.
 *
 * Which API, and why: MSG91 has two ways to send a DLT-registered text.
 *  - "Send SMS via Flow" / OneAPI, `POST https://control.msg91.com/api/v5/flow` with header `authkey` and
 *    `{ template_id, short_url, recipients: [{ mobiles: '91XXXXXXXXXX', VAR1: … }] }`. `template_id` is MSG91's
 *    own template (created in its panel and mapped there to the DLT id) and MSG91 fills in the variables itself.
 *  - "Send SMS" v2, `POST https://api.msg91.com/api/v2/sendsms` with header `authkey` and a JSON body
 *    `{ sender, route, country, unicode, DLT_TE_ID, sms: [{ message, to: [...] }] }`: we send the final text and
 *    the DLT template id travels in `DLT_TE_ID` (MSG91's help "Map SMS Content Template on MSG91 API/Panel" and
 *    its DLT notes for B2B platforms: non-OneAPI users pass the DLT template id in the API call).
 * We use v2: the outbox stores the rendered body and its DLT id (not the variables), so a retry re-sends exactly
 * what was rendered, and no per-template mapping has to be kept in step in MSG91's panel.
 *
 * Documented reply (api.msg91.com/apidoc/textsms/send-sms-v1.php): `{ "message": "<request id>", "type": "success" }`
 * or `{ "type": "error", "message": "Missing Authentication Key", "code": "106" }`. The request id is what the
 * delivery-report webhook quotes as `requestId`; we store it as provider_message_id (one recipient per request,
 * so it names one message). route 4 = transactional. `unicode: 1` is needed for non-GSM text (Hindi).
 * Numbers go in international form (91 + 10 digits), as the API's `mobiles`/`to` parameters ask.
 */
import { isGsm7 } from '../encoding.js';
import { redactNumbers } from '../redact.js';
import { parseJson, postToGateway } from './http.js';
import { ProviderError, type SmsProvider } from './types.js';

export const MSG91_DEFAULT_BASE_URL = 'https://api.msg91.com';
const PROVIDER = 'msg91';

export interface Msg91Options {
  authKey: string;
  /** Scheme and host (tests point it at a local fake). */
  baseUrl?: string;
  /** MSG91 route: 4 is transactional. */
  route?: string;
  timeoutMs: number;
}

interface Msg91Reply {
  type?: unknown;
  message?: unknown;
  code?: unknown;
}

export function createMsg91Provider(options: Msg91Options): SmsProvider {
  const url = `${(options.baseUrl ?? MSG91_DEFAULT_BASE_URL).replace(/\/+$/, '')}/api/v2/sendsms`;
  const route = options.route ?? '4';
  return {
    name: PROVIDER,
    async send(message) {
      const payload = {
        sender: message.senderId,
        route,
        country: '91',
        unicode: isGsm7(message.body) ? 0 : 1,
        DLT_TE_ID: message.dltTemplateId,
        sms: [{ message: message.body, to: [`91${message.to}`] }],
      };
      const reply = await postToGateway(PROVIDER, url, {
        body: JSON.stringify(payload),
        headers: { authkey: options.authKey },
        timeoutMs: options.timeoutMs,
      });
      const json = parseJson(reply.text) as Msg91Reply | undefined;
      if (json?.type === 'success' && typeof json.message === 'string' && json.message !== '') {
        return { providerMessageId: json.message };
      }
      if (json?.type === 'error') {
        // MSG91 reports request errors (bad key, template mismatch, bad number) in the body, often with HTTP 200.
        throw new ProviderError(
          PROVIDER,
          `rejected: ${redactNumbers(String(json.message))} (code ${String(json.code ?? 'none')})`,
          {
            retryable: false,
            status: reply.status,
          },
        );
      }
      // A 2xx we cannot read may still have been accepted: failing it beats sending it twice.
      throw new ProviderError(PROVIDER, `HTTP ${reply.status} without a request id; not resent`, {
        retryable: false,
        status: reply.status,
      });
    },
  };
}
