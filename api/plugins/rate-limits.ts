/**
 * Every per-client budget of the API, in one place: what is counted, per what, and how many in what window.
 *
 * | budget            | counted per                    | default                          | where                                           |
 * |-------------------|--------------------------------|----------------------------------|-------------------------------------------------|
 * | `publicCalls`     | client address                 | RATE_LIMIT_PUBLIC_PER_5MIN / 5 min | every public Co-WIN endpoint, the public reports, and every slot search (`/api/v1/sessions`, Co-WIN's public and logged-in availability) |
 * | `staffLogin`      | client address                 | 30 / 15 min                      | POST /api/v1/staff/login, before any password hash is computed |
 * | `pdfByAccount`    | beneficiary account            | 10 / minute                      | certificate and appointment-slip PDFs           |
 * | `pdfByAddress`    | client address                 | 30 / minute                      | the same                                        |
 *
 * Budgets counted in Postgres because they must hold whatever the deployment: OTPs per mobile and per address
 * (db/repositories/otp.ts), wrong staff passwords per account (api/routes/v1/staff-auth.ts), wrong secret codes.
 *
 * A client address is keyed by `clientAddressKey` (api/client-address.ts): IPv4 as is, IPv6 by its /64. With REDIS_URL set the counts live in Redis and every API process spends
 * from the same budget; without it each process counts for itself (N processes = N budgets). RATE_LIMITS=off
 * switches every budget off (refused in production).
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { clientAddressKey } from '../client-address.js';
import { AppError } from '../errors.js';

export interface BudgetSpec {
  max: number;
  windowMs: number;
  /** Shown in the 429 message: "at most 10 <what> in 1 minute <per>". */
  what: string;
  per: string;
  /** Whose budget a request spends; undefined = this request spends none. */
  key: (request: FastifyRequest) => string | undefined;
}

/** Spends one unit of the budget for the request; throws 429 RATE_LIMITED (with Retry-After) once it is spent. */
export type BudgetCheck = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface RateLimits {
  publicCalls: BudgetCheck;
  staffLogin: BudgetCheck;
  /** PDFs rendered for a person: per account and per address (both must have room). */
  pdfDownloads: BudgetCheck;
}

declare module 'fastify' {
  interface FastifyInstance {
    limits: RateLimits;
  }
}

const MINUTE = 60_000;
export const STAFF_LOGIN_PER_ADDRESS = { max: 30, windowMs: 15 * MINUTE };
export const PDF_PER_ACCOUNT = { max: 10, windowMs: MINUTE };
export const PDF_PER_ADDRESS = { max: 30, windowMs: MINUTE };

const byAddress = (request: FastifyRequest) => clientAddressKey(request.ip);
const byAccount = (request: FastifyRequest) =>
  request.principal?.kind === 'beneficiary' ? request.principal.accountId : undefined;

function windowText(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

export default fp(async function rateLimits(app: FastifyInstance) {
  const { config } = app;
  const noLimit: BudgetCheck = async () => {};
  if (!config.rateLimitsEnabled) {
    app.decorate('limits', { publicCalls: noLimit, staffLogin: noLimit, pdfDownloads: noLimit });
    return;
  }

  let redis: Redis | undefined;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, {
      // A limit check must not hang a request: fail fast while Redis is away (the check then lets it through).
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2_000,
      lazyConnect: true,
    });
    let warned = false;
    redis.on('error', (error: Error) => {
      if (!warned) app.log.warn(`[limits] Redis unavailable, limits not counted meanwhile: ${error.message}`);
      warned = true;
    });
    redis.on('ready', () => (warned = false));
    await redis.connect().catch((error: Error) => app.log.warn(`[limits] cannot reach Redis: ${error.message}`));
    app.addHook('onClose', async () => void (await redis?.quit().catch(() => {})));
  }

  /** One @fastify/rate-limit store per budget, in its own scope so its Redis keys are `<prefix>rate:<name>:<key>`. */
  async function budget(name: string, spec: BudgetSpec): Promise<BudgetCheck> {
    if (spec.max <= 0) return noLimit;
    let limiter!: ReturnType<FastifyInstance['createRateLimit']>;
    await app.register(async (scope) => {
      await scope.register(rateLimit, {
        global: false,
        max: spec.max,
        timeWindow: spec.windowMs,
        keyGenerator: (request) => spec.key(request) ?? '',
        ...(redis ? { redis, nameSpace: `${config.redisKeyPrefix}rate:${name}:` } : {}),
        // Redis away: serve rather than refuse everyone (logged above); Postgres-held caps still hold.
        skipOnError: true,
      });
      limiter = scope.createRateLimit();
    });
    return async (request, reply) => {
      if (spec.key(request) === undefined) return;
      const result = await limiter(request);
      if (result.isAllowed) return;
      reply.header('x-ratelimit-limit', result.max);
      reply.header('x-ratelimit-remaining', result.remaining);
      reply.header('x-ratelimit-reset', result.ttlInSeconds);
      if (!result.isExceeded) return;
      reply.header('retry-after', result.ttlInSeconds);
      throw new AppError(
        'RATE_LIMITED',
        `Too many requests: at most ${spec.max} ${spec.what} in ${windowText(spec.windowMs)} ${spec.per}; retry in ${result.ttlInSeconds} s`,
        { retryAfterSeconds: result.ttlInSeconds },
      );
    };
  }

  const publicCalls = await budget('public', {
    max: config.publicRateLimitPer5Min,
    windowMs: 5 * MINUTE,
    what: 'calls',
    per: 'from one address',
    key: byAddress,
  });
  const staffLogin = await budget('staff-login', {
    ...STAFF_LOGIN_PER_ADDRESS,
    what: 'sign-in attempts',
    per: 'from one address',
    key: byAddress,
  });
  const pdfByAccount = await budget('pdf-account', {
    ...PDF_PER_ACCOUNT,
    what: 'PDF downloads',
    per: 'for one mobile number',
    key: byAccount,
  });
  const pdfByAddress = await budget('pdf-address', {
    ...PDF_PER_ADDRESS,
    what: 'PDF downloads',
    per: 'from one address',
    key: byAddress,
  });
  app.decorate('limits', {
    publicCalls,
    staffLogin,
    async pdfDownloads(request, reply) {
      await pdfByAccount(request, reply);
      await pdfByAddress(request, reply);
    },
  });
});
