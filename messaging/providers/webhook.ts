/**
 * Any HTTP gateway (or an in-house relay) that takes one JSON POST per message. The body is a template whose
 * `{{to}}`, `{{body}}`, `{{dltTemplateId}}`, `{{senderId}}` and `{{reference}}` are replaced by JSON-escaped values,
 * so a placeholder belongs inside a JSON string: `{"mobile":"91{{to}}","text":"{{body}}"}`.
 * The gateway's message id is read from its JSON reply at `messageIdField` (a dot path); a gateway that returns
 * none gets our outbox id as its message id, so its delivery reports should quote the `{{reference}}` it was sent.
 */
import { parseJson, postToGateway } from './http.js';
import type { OutgoingSms, SmsProvider } from './types.js';

export const WEBHOOK_DEFAULT_BODY_TEMPLATE =
  '{"to":"{{to}}","body":"{{body}}","dltTemplateId":"{{dltTemplateId}}","senderId":"{{senderId}}","reference":"{{reference}}"}';
const WEBHOOK_PLACEHOLDERS = ['to', 'body', 'dltTemplateId', 'senderId', 'reference'] as const;
const PLACEHOLDER = /\{\{(\w+)\}\}/g;
const PROVIDER = 'webhook';

export interface WebhookOptions {
  url: string;
  bodyTemplate?: string;
  /** Sent with every request, e.g. { name: 'authorization', value: 'Bearer …' }. */
  authHeader?: { name: string; value: string };
  /** Dot path of the message id in the gateway's JSON reply. */
  messageIdField?: string;
  timeoutMs: number;
}

export function createWebhookProvider(options: WebhookOptions): SmsProvider {
  const bodyTemplate = options.bodyTemplate ?? WEBHOOK_DEFAULT_BODY_TEMPLATE;
  assertWebhookBodyTemplate(bodyTemplate);
  const messageIdPath = (options.messageIdField ?? 'id').split('.');
  const headers = options.authHeader ? { [options.authHeader.name]: options.authHeader.value } : undefined;
  return {
    name: PROVIDER,
    async send(message) {
      const reply = await postToGateway(PROVIDER, options.url, {
        body: renderWebhookBody(bodyTemplate, message),
        headers,
        timeoutMs: options.timeoutMs,
      });
      const id = valueAt(parseJson(reply.text), messageIdPath);
      return { providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id) : message.reference };
    },
  };
}

export function renderWebhookBody(template: string, message: OutgoingSms): string {
  return template.replace(PLACEHOLDER, (_, key: string) =>
    JSON.stringify(message[key as keyof OutgoingSms]).slice(1, -1),
  );
}

/** Fails at start-up, not at the first send: unknown placeholders, or a template that does not render to JSON. */
export function assertWebhookBodyTemplate(template: string): void {
  const unknown = [...template.matchAll(PLACEHOLDER)]
    .map((m) => m[1])
    .filter((key) => !(WEBHOOK_PLACEHOLDERS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new Error(
      `SMS webhook body template: unknown placeholder(s) ${unknown.join(', ')} (known: ${WEBHOOK_PLACEHOLDERS.join(', ')})`,
    );
  }
  const sample = renderWebhookBody(template, {
    to: '9000000000',
    body: 'a "quoted"\nline',
    dltTemplateId: '1',
    senderId: 'X',
    reference: 'r',
  });
  if (parseJson(sample) === undefined) throw new Error('SMS webhook body template does not render to valid JSON');
}

function valueAt(json: unknown, path: string[]): unknown {
  let node = json;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
