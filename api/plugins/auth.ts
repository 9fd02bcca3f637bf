/**
 * Who is calling: a Bearer token is read once per request into `request.principal`. Routes declare what they
 * need with `app.requireBeneficiary` or `app.requireStaff(...roles)` as a preHandler; jurisdiction checks
 * live next to the data they protect (api/auth/jurisdiction.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/connection.js';
import type { StaffRole } from '../../db/schema.js';
import { forbidden, unauthorized } from '../errors.js';
import { readToken, type Principal } from '../auth/tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyInstance {
    requireBeneficiary: preHandlerAsyncHookHandler;
    requireStaff: (...roles: StaffRole[]) => preHandlerAsyncHookHandler;
    authenticate(request: FastifyRequest): Promise<Principal | undefined>;
    revokeToken(jti: string, expSeconds: number): Promise<void>;
  }
}

export type BeneficiaryPrincipal = Extract<Principal, { kind: 'beneficiary' }>;
export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

export default fp(async function auth(app: FastifyInstance) {
  app.decorateRequest('principal', undefined);

  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) return undefined;
    const claims = await readToken(app.config.tokenSecret, header.slice(7).trim());
    if (!claims || claims.kind === 'refresh') return undefined;
    // Kept per token while its changes are heard (api/auth/access-cache.ts): one read per token, not per request.
    const usable =
      claims.kind === 'staff'
        ? await app.accessCache.tokenUsable(claims, () => staffTokenUsable(app.db, claims))
        : // The token itself, or the whole login session it belongs to (a logout), may be revoked.
          await app.accessCache.tokenUsable(
            claims,
            async () => !(await revoked(app.db, claims.sid ? [claims.jti, claims.sid] : [claims.jti])),
          );
    if (!usable) return undefined;
    request.principal = claims;
    return claims;
  });

  app.decorate('revokeToken', async (jti: string, expSeconds: number) => {
    await app.db
      .insertInto('token_revocation')
      .values({ jti, expires_at: new Date(expSeconds * 1000) })
      .onConflict((oc) => oc.column('jti').doNothing())
      .execute();
  });

  app.decorate('requireBeneficiary', async function (request: FastifyRequest, _reply: FastifyReply) {
    const principal = await app.authenticate(request);
    if (!principal) throw unauthorized('log in with your mobile number and OTP');
    if (principal.kind !== 'beneficiary') throw forbidden('this needs a beneficiary login');
  });

  app.decorate(
    'requireStaff',
    (...roles: StaffRole[]) =>
      async function (request: FastifyRequest, _reply: FastifyReply) {
        const principal = await app.authenticate(request);
        if (!principal) throw unauthorized('staff login required');
        if (principal.kind !== 'staff') throw forbidden('this needs a staff login');
        if (roles.length && !roles.includes(principal.role))
          throw forbidden(`this needs one of the roles ${roles.join(', ')}`);
      },
  );
});

async function revoked(db: Db, ids: string[]): Promise<boolean> {
  const row = await db.selectFrom('token_revocation').select('jti').where('jti', 'in', ids).executeTakeFirst();
  return row !== undefined;
}

/**
 * Whether a staff token may still be used, in one read: it is not revoked (a logout), its holder is active, and it
 * is of their current generation — deactivation and a password reset move the generation on, so every token issued
 * before them stops working at once, even after reactivation.
 */
export async function staffTokenUsable(
  db: Db,
  claims: { staffId: string; generation: number; jti: string },
): Promise<boolean> {
  const staff = await db
    .selectFrom('staff_user')
    .select((eb) => [
      'active',
      'token_generation',
      eb.exists(eb.selectFrom('token_revocation').select('jti').where('jti', '=', claims.jti)).as('revoked'),
    ])
    .where('id', '=', claims.staffId)
    .executeTakeFirst();
  return !!staff && staff.active && staff.token_generation === claims.generation && !staff.revoked;
}

export function beneficiaryOf(request: FastifyRequest): BeneficiaryPrincipal {
  if (request.principal?.kind !== 'beneficiary') throw unauthorized();
  return request.principal;
}

export function staffOf(request: FastifyRequest): StaffPrincipal {
  if (request.principal?.kind !== 'staff') throw unauthorized();
  return request.principal;
}
