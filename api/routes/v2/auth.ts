import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CowinRouteOptions } from '../../plugins/cowin-v2.js';
import {
  BEARER,
  CaptchaResponse,
  ConfirmOtpBody,
  cowinBearerErrors,
  cowinPublicErrors,
  GenerateMobileOtpBody,
  GenerateOtpBody,
  TokenResponse,
  TxnResponse,
} from '../../schemas/cowin-v2.js';
import { captchaSvg } from '../../services/cowin-captcha.js';
import { loginWithOtp, requestOtp } from '../../services/otp.js';

/**
 * Mobile OTP login, as Co-WIN's public pair (generateOTP / confirmOTP) and its portal pair (generateMobileOTP /
 * validateMobileOtp, whose `secret` is accepted and ignored). Clients send the SHA-256 hex of the OTP, the
 * form our OTP challenges are checked in. Same OTPs, caps and accounts as /api/v1. getRecaptcha answers as Co-WIN
 * did (api/services/cowin-captcha.ts).
 */
const authRoutes: FastifyPluginAsyncTypebox<CowinRouteOptions> = async (app, { publicLimit, requireBearer }) => {
  const errors = cowinPublicErrors;

  const sendOtp = async (mobile: string, ip: string) => {
    const { txnId } = await requestOtp(app, mobile, ip, 'LOGIN');
    return { txnId };
  };
  const confirm = async (txnId: string, otpSha256: string) => {
    const { token } = await loginWithOtp(app, txnId, otpSha256.toLowerCase());
    return { token };
  };

  app.post(
    '/auth/public/generateOTP',
    {
      onRequest: publicLimit,
      schema: {
        tags: ['co-win auth'],
        summary: 'Send an OTP by SMS to a mobile',
        body: GenerateOtpBody,
        response: { 200: TxnResponse, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return sendOtp(request.body.mobile, request.ip);
    },
  );

  app.post(
    '/auth/public/confirmOTP',
    {
      onRequest: publicLimit,
      schema: {
        tags: ['co-win auth'],
        summary: 'Confirm the OTP (SHA-256 hex) and receive a Bearer token',
        body: ConfirmOtpBody,
        response: { 200: TokenResponse, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return confirm(request.body.txnId, request.body.otp);
    },
  );

  app.post(
    '/auth/generateMobileOTP',
    {
      onRequest: publicLimit,
      schema: {
        tags: ['co-win auth'],
        summary: 'Send an OTP by SMS (portal pair; `secret` is ignored)',
        body: GenerateMobileOtpBody,
        response: { 200: TxnResponse, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return sendOtp(request.body.mobile, request.ip);
    },
  );

  app.post(
    '/auth/validateMobileOtp',
    {
      onRequest: publicLimit,
      schema: {
        tags: ['co-win auth'],
        summary: 'Confirm the OTP (SHA-256 hex) and receive a Bearer token (portal pair)',
        body: ConfirmOtpBody,
        response: { 200: TokenResponse, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return confirm(request.body.txnId, request.body.otp);
    },
  );

  app.post(
    '/auth/getRecaptcha',
    {
      preHandler: requireBearer,
      schema: {
        tags: ['co-win auth'],
        summary:
          'A captcha image (SVG, 150×50) as booking clients fetch before scheduling; its answer is accepted and not checked',
        security: BEARER,
        response: { 200: CaptchaResponse, ...cowinBearerErrors },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { captcha: captchaSvg() };
    },
  );
};

export default authRoutes;
