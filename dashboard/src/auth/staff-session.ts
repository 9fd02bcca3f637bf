import type { Static } from 'typebox';
import type { StaffLogin } from '../../../api/schemas/staff-auth';
import { ApiError, apiGet, apiPost } from '../api/client';
import type { StaffProfile } from './permissions';
import { createStoredValue } from './stored';

export interface StaffSession {
  token: string;
  /** Epoch ms after which the token is no longer accepted. */
  expiresAt: number;
  staff: StaffProfile;
}

const store = createStoredValue<StaffSession>('teeka.staff');

export function useStaffSession(): StaffSession | undefined {
  const session = store.useValue();
  return session && session.expiresAt > Date.now() ? session : undefined;
}

export function currentStaffSession(): StaffSession | undefined {
  const session = store.read();
  return session && session.expiresAt > Date.now() ? session : undefined;
}

export async function staffLogin(username: string, password: string): Promise<StaffSession> {
  const answer = await apiPost<Static<typeof StaffLogin>>('/api/v1/staff/login', { username, password });
  const session = { token: answer.token, expiresAt: Date.now() + answer.expiresInSeconds * 1000, staff: answer.staff };
  store.write(session);
  return session;
}

export async function staffLogout(): Promise<void> {
  const session = store.read();
  store.write(undefined);
  if (session) await apiPost('/api/v1/staff/logout', undefined, { token: session.token }).catch(() => {});
}

/** Forgets a session the server no longer accepts (expired or revoked), so the sign-in page shows. */
export function forgetStaffSessionIf(error: unknown): void {
  if (error instanceof ApiError && error.status === 401) store.write(undefined);
}

/** Checks the stored token against /staff/me (after a restart of the server, a revoked token shows at once). */
export async function refreshStaffProfile(): Promise<void> {
  const session = store.read();
  if (!session) return;
  try {
    const staff = await apiGet<StaffProfile>('/api/v1/staff/me', { token: session.token });
    store.write({ ...session, staff });
  } catch (error) {
    forgetStaffSessionIf(error);
  }
}
