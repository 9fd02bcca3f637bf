import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../schemas/common.js';
import { Mobile } from '../../schemas/v1.js';

/**
 * Development outbox: every SMS sent to a mobile, newest first, full text (OTPs included). Registered only
 * with the dev outbox provider, which sends nothing (see app.ts): with a real gateway these would be live OTPs.
 */
const devSmsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/dev/sms',
    {
      schema: {
        tags: ['development'],
        summary: 'Messages sent to a mobile (development only)',
        querystring: Type.Object({ mobile: Mobile }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            messages: Type.Array(
              Type.Object({
                id: Type.String(),
                template: Type.String(),
                body: Type.String(),
                status: Type.String(),
                createdAt: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const rows = await app.db
        .selectFrom('sms_message')
        .select(['id', 'template', 'body', 'status', 'created_at'])
        .where('mobile', '=', request.query.mobile)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(100)
        .execute();
      return {
        messages: rows.map((r) => ({
          id: r.id,
          template: r.template,
          body: r.body,
          status: r.status,
          createdAt: r.created_at.toISOString(),
        })),
      };
    },
  );
};

export default devSmsRoutes;
