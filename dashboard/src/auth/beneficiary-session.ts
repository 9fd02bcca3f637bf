import type { Static } from 'typebox';
import type * as v1 from '../../../api/schemas/v1';
import { ApiError, apiRequest, type ApiRequestOptions } from '../api/client';
import { createStoredValue } from './stored';

export interface BeneficiarySession {
  token: string;
  refreshToken: string;
  expiresAt: number;
  mobile: string;
}

/** The tokens a login or a refresh answers (api/schemas/v1.ts). */
type Tokens = Static<typeof v1.Tokens>;

const store = createStoredValue<BeneficiarySession>('teeka.beneficiary');

export const useBeneficiarySession = store.useValue;

export function saveBeneficiaryTokens(mobile: string, tokens: Tokens): void {
  store.write({
    token: tokens.token,
    refreshToken: tokens.refreshToken,
    expiresAt: Date.now() + tokens.expiresInSeconds * 1000,
    mobile,
  });
}

export function beneficiaryLogout(): void {
  const session = store.read();
  store.write(undefined);
  if (session) void apiRequest('/api/v1/auth/logout', { method: 'POST', token: session.token }).catch(() => {});
}

let refreshing: Promise<string | undefined> | undefined;

/** One refresh at a time: the refresh token is single-use, so two parallel refreshes would log the person out. */
async function refreshedToken(): Promise<string | undefined> {
  refreshing ??= (async () => {
    const session = store.read();
    if (!session) return undefined;
    try {
      const tokens = await apiRequest<Tokens>('/api/v1/auth/refresh', {
        method: 'POST',
        body: { refreshToken: session.refreshToken },
      });
      saveBeneficiaryTokens(session.mobile, tokens);
      return tokens.token;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) store.write(undefined);
      return undefined;
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/** An API call as the logged-in beneficiary; an expired token is refreshed once and the call repeated. */
export async function asBeneficiary<T>(path: string, options: Omit<ApiRequestOptions, 'token'> = {}): Promise<T> {
  const session = store.read();
  if (!session) throw new ApiError(401, 'log in with your mobile number and OTP');
  const token = session.expiresAt - 10_000 > Date.now() ? session.token : await refreshedToken();
  if (!token) throw new ApiError(401, 'your login has expired; log in again');
  try {
    return await apiRequest<T>(path, { ...options, token });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    const fresh = await refreshedToken();
    if (!fresh) throw error;
    return apiRequest<T>(path, { ...options, token: fresh });
  }
}

export function currentBeneficiaryToken(): string | undefined {
  return store.read()?.token;
}
