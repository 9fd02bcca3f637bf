/**
 * API tokens: short-lived HS256 JWTs (jose) with a jti, so any token can be revoked before it expires.
 * Beneficiaries get a 15-minute access token and a 12-hour refresh token (rotated on use), both carrying the id
 * of their login session (`sid`, kept through rotations) so that logging out revokes the whole session, refresh
 * token included; staff get an 8-hour token carrying their role and jurisdiction.
 */
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { StaffRole } from '../../db/schema.js';

export const BENEFICIARY_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_SECONDS = 12 * 60 * 60;
export const STAFF_TOKEN_SECONDS = 8 * 60 * 60;
const ISSUER = 'teeka';

export type Principal =
  | { kind: 'beneficiary'; accountId: string; mobile: string; jti: string; exp: number; sid?: string }
  | {
      kind: 'staff';
      staffId: string;
      role: StaffRole;
      stateId: number | null;
      districtId: number | null;
      name: string;
      jti: string;
      exp: number;
    };

export type RefreshClaims = {
  kind: 'refresh';
  accountId: string;
  mobile: string;
  jti: string;
  exp: number;
  sid?: string;
};

const key = (secret: string) => new TextEncoder().encode(secret);

async function sign(
  secret: string,
  claims: Record<string, unknown>,
  subject: string,
  seconds: number,
): Promise<{ token: string; jti: string }> {
  const jti = randomUUID();
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setSubject(subject)
    .setJti(jti)
    .setIssuedAt()
    .setExpirationTime(`${seconds}s`)
    .sign(key(secret));
  return { token, jti };
}

/** A new login session, or the next pair of an existing one (`sid` of the refresh token being rotated). */
export async function issueBeneficiaryTokens(
  secret: string,
  account: { accountId: string; mobile: string },
  sid: string = randomUUID(),
) {
  const access = await sign(
    secret,
    { kind: 'beneficiary', mobile: account.mobile, sid },
    account.accountId,
    BENEFICIARY_TOKEN_SECONDS,
  );
  const refresh = await sign(
    secret,
    { kind: 'refresh', mobile: account.mobile, sid },
    account.accountId,
    REFRESH_TOKEN_SECONDS,
  );
  return { token: access.token, refreshToken: refresh.token, expiresInSeconds: BENEFICIARY_TOKEN_SECONDS };
}

export async function issueStaffToken(
  secret: string,
  staff: { id: string; role: StaffRole; stateId: number | null; districtId: number | null; name: string },
) {
  const { token } = await sign(
    secret,
    { kind: 'staff', role: staff.role, stateId: staff.stateId, districtId: staff.districtId, name: staff.name },
    staff.id,
    STAFF_TOKEN_SECONDS,
  );
  return { token, expiresInSeconds: STAFF_TOKEN_SECONDS };
}

/** Verifies signature, issuer and expiry; returns undefined for anything invalid. Revocation is checked by the caller. */
export async function readToken(secret: string, token: string): Promise<Principal | RefreshClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, algorithms: ['HS256'] });
    const base = {
      jti: String(payload.jti),
      exp: Number(payload.exp),
      ...(typeof payload.sid === 'string' ? { sid: payload.sid } : {}),
    };
    if (payload.kind === 'beneficiary')
      return { kind: 'beneficiary', accountId: String(payload.sub), mobile: String(payload.mobile), ...base };
    if (payload.kind === 'refresh')
      return { kind: 'refresh', accountId: String(payload.sub), mobile: String(payload.mobile), ...base };
    if (payload.kind === 'staff') {
      return {
        kind: 'staff',
        staffId: String(payload.sub),
        role: payload.role as StaffRole,
        stateId: (payload.stateId as number | null) ?? null,
        districtId: (payload.districtId as number | null) ?? null,
        name: String(payload.name),
        ...base,
      };
    }
    return undefined;
  } catch (error) {
    if (error instanceof errors.JOSEError) return undefined;
    throw error;
  }
}
