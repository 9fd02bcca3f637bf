/** Calls to the Co-WIN compatible API through app.inject, as a partner app makes them (paths as in the contract). */
import { createHash } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { latestOtp } from '../support/journey.js';

export interface CowinCall {
  token?: string;
  headers?: Record<string, string>;
}

export interface CowinClient {
  get(path: string, call?: CowinCall): Promise<LightMyRequestResponse>;
  post(path: string, body: unknown, call?: CowinCall): Promise<LightMyRequestResponse>;
}

/** `path` is what follows the base URL `https://host/api`, e.g. `/v2/admin/location/states`. */
export function cowinClient(app: FastifyInstance, ip: string): CowinClient {
  const headers = (call?: CowinCall) => ({
    ...(call?.token ? { authorization: `Bearer ${call.token}` } : {}),
    ...call?.headers,
  });
  return {
    get: (path, call) => app.inject({ method: 'GET', url: `/api${path}`, headers: headers(call), remoteAddress: ip }),
    post: (path, body, call) =>
      app.inject({
        method: 'POST',
        url: `/api${path}`,
        payload: body as object,
        headers: headers(call),
        remoteAddress: ip,
      }),
  };
}

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Today in India as the contract's DD-MM-YYYY, shifted by `days`. */
export function cowinDate(days = 0): string {
  const india = new Date(Date.now() + 330 * 60_000 + days * 86_400_000);
  const iso = india.toISOString().slice(0, 10);
  const [y, m, d] = iso.split('-');
  return `${d}-${m}-${y}`;
}

/** generateOTP → the OTP from the development SMS outbox → confirmOTP with its SHA-256 → the Bearer token. */
export async function cowinLogin(app: FastifyInstance, client: CowinClient, mobile: string): Promise<string> {
  const sent = await client.post('/v2/auth/public/generateOTP', { mobile });
  expect(sent.statusCode, sent.body).toBe(200);
  const confirmed = await client.post('/v2/auth/public/confirmOTP', {
    otp: sha256(await latestOtp(app, mobile)),
    txnId: sent.json().txnId,
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return confirmed.json().token;
}
