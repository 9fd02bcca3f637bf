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
    const [revoked, inactive] = await Promise.all([
      // The token itself, or the whole login session it belongs to (a beneficiary's logout), may be revoked.
      app.db
        .selectFrom('token_revocation')
        .select('jti')
        .where('jti', 'in', 'sid' in claims && claims.sid ? [claims.jti, claims.sid] : [claims.jti])
        .executeTakeFirst(),
      // A deactivated staff member's tokens stop working at once, not when they expire; so does every token
      // issued before a deactivation or password reset (an older generation), even after reactivation.
      claims.kind === 'staff' ? staffTokenOutdated(app.db, claims) : false,
    ]);
    if (revoked || inactive) return undefined;
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

/** Whether a staff token may no longer be used: its holder is deactivated, or it is of an earlier generation. */
export async function staffTokenOutdated(db: Db, claims: { staffId: string; generation: number }): Promise<boolean> {
  const staff = await db
    .selectFrom('staff_user')
    .select(['active', 'token_generation'])
    .where('id', '=', claims.staffId)
    .executeTakeFirst();
  return !staff || !staff.active || staff.token_generation !== claims.generation;
}

export function beneficiaryOf(request: FastifyRequest): BeneficiaryPrincipal {
  if (request.principal?.kind !== 'beneficiary') throw unauthorized();
  return request.principal;
}

export function staffOf(request: FastifyRequest): StaffPrincipal {
  if (request.principal?.kind !== 'staff') throw unauthorized();
  return request.principal;
}
