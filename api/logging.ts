import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config/env.js';

/**
 * Structured logs that never carry secrets: tokens, OTPs and ID numbers are redacted wherever they appear.
 * Request URLs are logged without their query string, which may hold a mobile number or an OTP.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  '*.otp',
  '*.token',
  '*.password',
  '*.photo_id_number',
  '*.idNumber',
  '*.secretCode',
];

export function loggerOptions(config: Config, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req(request) {
        return { method: request.method, url: request.url.split('?')[0], remoteAddress: request.ip };
      },
    },
  };
}
