/**
 * API tokens: short-lived HS256 JWTs (jose) with a jti, so any token can be revoked before it expires.
 * Beneficiaries get a 15-minute access token and a refresh token (rotated on use), both carrying the id of their
 * login session (`sid`) and when it began (`sat`), kept through rotations: logging out, or presenting a refresh
 * token already spent, revokes the whole session, and no token of a session outlives SESSION_MAX_SECONDS from its
 * OTP however often it is refreshed. Staff get an 8-hour token carrying their role, jurisdiction and token
 * generation (`gen`): deactivation and a password reset move the generation on, ending every earlier token.
 */
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import type { StaffRole } from '../../db/schema.js';

export const BENEFICIARY_TOKEN_SECONDS = 15 * 60;
/** A beneficiary's login session ends this long after its OTP, however often it is refreshed. */
export const SESSION_MAX_SECONDS = 12 * 60 * 60;
/** Kept for callers that revoke a whole session: nothing of a session lives longer. */
export const REFRESH_TOKEN_SECONDS = SESSION_MAX_SECONDS;
export const STAFF_TOKEN_SECONDS = 8 * 60 * 60;
const ISSUER = 'teeka';

export type Principal =
  | { kind: 'beneficiary'; accountId: string; mobile: string; jti: string; exp: number; sid?: string; sat?: number }
  | {
      kind: 'staff';
      staffId: string;
      role: StaffRole;
      stateId: number | null;
      districtId: number | null;
      name: string;
      jti: string;
      exp: number;
      /** staff_user.token_generation when issued; 0 for tokens issued before generations existed. */
      generation: number;
    };

export type RefreshClaims = {
  kind: 'refresh';
  accountId: string;
  mobile: string;
  jti: string;
  exp: number;
  sid?: string;
  /** When the login session began (epoch seconds). */
  sat?: number;
};

/**
 * The HMAC key of a secret, imported once: given the secret's bytes, jose imports them into a WebCrypto key on every
 * sign and verify, a third of a verification's cost (a booking storm verifies a new person's token per attempt).
 */
const hmacKeys = new Map<string, Promise<CryptoKey>>();
function key(secret: string): Promise<CryptoKey> {
  let imported = hmacKeys.get(secret);
  if (!imported) {
    const bytes = new TextEncoder().encode(secret);
    imported = crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    hmacKeys.set(secret, imported);
  }
  return imported;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function sign(
  secret: string,
  claims: Record<string, unknown>,
  subject: string,
  expiresAt: number,
): Promise<{ token: string; jti: string }> {
  const jti = randomUUID();
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setSubject(subject)
    .setJti(jti)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(await key(secret));
  return { token, jti };
}

/**
 * A new login session, or the next pair of an existing one (the `sid` and `sat` of the refresh token being
 * rotated). Neither token lives past the session's end.
 */
export async function issueBeneficiaryTokens(
  secret: string,
  account: { accountId: string; mobile: string },
  session: { sid: string; sat: number } = { sid: randomUUID(), sat: nowSeconds() },
) {
  const now = nowSeconds();
  const sessionEnd = session.sat + SESSION_MAX_SECONDS;
  const accessExpiry = Math.min(now + BENEFICIARY_TOKEN_SECONDS, sessionEnd);
  const claims = { mobile: account.mobile, sid: session.sid, sat: session.sat };
  const access = await sign(secret, { kind: 'beneficiary', ...claims }, account.accountId, accessExpiry);
  const refresh = await sign(secret, { kind: 'refresh', ...claims }, account.accountId, sessionEnd);
  return { token: access.token, refreshToken: refresh.token, expiresInSeconds: Math.max(0, accessExpiry - now) };
}

export async function issueStaffToken(
  secret: string,
  staff: {
    id: string;
    role: StaffRole;
    stateId: number | null;
    districtId: number | null;
    name: string;
    /** staff_user.token_generation now; 0 for a new account. */
    generation?: number;
  },
) {
  const { token } = await sign(
    secret,
    {
      kind: 'staff',
      role: staff.role,
      stateId: staff.stateId,
      districtId: staff.districtId,
      name: staff.name,
      gen: staff.generation ?? 0,
    },
    staff.id,
    nowSeconds() + STAFF_TOKEN_SECONDS,
  );
  return { token, expiresInSeconds: STAFF_TOKEN_SECONDS };
}

/**
 * Tokens already verified, by their exact text: a token never changes, so a desk's next request skips the HMAC.
 * Expiry is checked again on every use; revocation is the caller's check, as for a token read the first time.
 */
const verifiedTokens = new LRUCache<string, { secret: string; claims: Principal | RefreshClaims }>({ max: 20_000 });

/** Verifies signature, issuer and expiry; returns undefined for anything invalid. Revocation is checked by the caller. */
export async function readToken(secret: string, token: string): Promise<Principal | RefreshClaims | undefined> {
  const known = verifiedTokens.get(token);
  if (known && known.secret === secret) return known.claims.exp > nowSeconds() ? known.claims : undefined;
  const claims = await verifyToken(secret, token);
  if (claims) verifiedTokens.set(token, { secret, claims });
  return claims;
}

async function verifyToken(secret: string, token: string): Promise<Principal | RefreshClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, await key(secret), { issuer: ISSUER, algorithms: ['HS256'] });
    const base = {
      jti: String(payload.jti),
      exp: Number(payload.exp),
      ...(typeof payload.sid === 'string' ? { sid: payload.sid } : {}),
      ...(typeof payload.sat === 'number' ? { sat: payload.sat } : {}),
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
        generation: typeof payload.gen === 'number' ? payload.gen : 0,
        jti: base.jti,
        exp: base.exp,
      };
    }
    return undefined;
  } catch (error) {
    if (error instanceof errors.JOSEError) return undefined;
    throw error;
  }
}
