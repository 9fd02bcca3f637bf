import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { loadSmsConfig } from '../../../messaging/config.js';
import {
  CALLBACK_TOKEN_BODY_FIELD,
  CALLBACK_TOKEN_HEADER,
  callbackTokenMatches,
  MalformedDeliveryReportError,
  parseMsg91DeliveryReport,
  parseWebhookDeliveryReport,
} from '../../../messaging/delivery-reports.js';
import { applyDeliveryReport } from '../../../messaging/sms-outbox.js';
import { badRequest, unauthorized } from '../../errors.js';
import { errorResponses } from '../../schemas/common.js';

const PARSERS = { msg91: parseMsg91DeliveryReport, webhook: parseWebhookDeliveryReport } as const;

/**
 * Delivery-status callbacks from SMS gateways. Gateways do not sign them, so each carries our shared token, compared
 * in constant time: in the x-teeka-callback-token header, or (for MSG91's Webhook (New), which sends a JSON body of
 * our choosing but no custom header) as the body field `teekaCallbackToken`. Never in the URL: URLs are written to
 * access logs (nginx's, a load balancer's, the gateway's), so a URL token is refused with a 400 that says so.
 */
const smsCallbackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { callbackToken } = loadSmsConfig();
  // MSG91's v2 reports arrive form-encoded; the parser takes the raw string.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 256 * 1024 },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/sms/delivery-reports/:provider',
    {
      schema: {
        tags: ['sms'],
        summary: `Delivery-status callback from an SMS gateway; our token in the ${CALLBACK_TOKEN_HEADER} header`,
        params: Type.Object({ provider: Type.Union([Type.Literal('msg91'), Type.Literal('webhook')]) }),
        querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: Type.Object({ updated: Type.Integer(), received: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      if (request.query.token !== undefined) {
        throw badRequest(
          'TOKEN_IN_URL',
          `send the callback token in the ${CALLBACK_TOKEN_HEADER} header, not in the URL: URLs are written to access logs. Change the callback URL at the gateway, and rotate SMS_CALLBACK_TOKEN if this one was ever logged`,
        );
      }
      const presented = (request.headers[CALLBACK_TOKEN_HEADER] as string | undefined) ?? bodyToken(request.body);
      if (!callbackTokenMatches(callbackToken, presented)) throw unauthorized('bad callback token');
      let reports;
      try {
        reports = PARSERS[request.params.provider](request.body);
      } catch (error) {
        if (error instanceof MalformedDeliveryReportError) throw badRequest('MALFORMED_REPORT', error.message);
        throw error;
      }
      let updated = 0;
      for (const report of reports) if ((await applyDeliveryReport(app.db, report)) === 'UPDATED') updated++;
      return { updated, received: reports.length };
    },
  );
};

/** The token a JSON body carries (MSG91 Webhook (New): add `"teekaCallbackToken": "<SMS_CALLBACK_TOKEN>"`). */
function bodyToken(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const token = (body as Record<string, unknown>)[CALLBACK_TOKEN_BODY_FIELD];
  return typeof token === 'string' ? token : undefined;
}

export default smsCallbackRoutes;
