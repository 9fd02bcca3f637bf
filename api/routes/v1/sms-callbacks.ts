import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { loadSmsConfig } from '../../../messaging/config.js';
import {
  CALLBACK_TOKEN_HEADER,
  callbackTokenMatches,
  MalformedDeliveryReportError,
  parseMsg91DeliveryReport,
  parseWebhookDeliveryReport,
} from '../../../messaging/delivery-reports.js';
import { applyDeliveryReport } from '../../../messaging/outbox.js';
import { badRequest, unauthorized } from '../../errors.js';
import { errorResponses } from '../../schemas/common.js';

const PARSERS = { msg91: parseMsg91DeliveryReport, webhook: parseWebhookDeliveryReport } as const;

/**
 * Delivery-status callbacks from SMS gateways. Gateways do not sign them, so each carries our shared token
 * (query `token` or the x-teeka-callback-token header), compared in constant time.
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
        summary: 'Delivery-status callback from an SMS gateway',
        params: Type.Object({ provider: Type.Union([Type.Literal('msg91'), Type.Literal('webhook')]) }),
        querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: Type.Object({ updated: Type.Integer(), received: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const presented = request.query.token ?? (request.headers[CALLBACK_TOKEN_HEADER] as string | undefined);
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

export default smsCallbackRoutes;
