import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../db/schema.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import {
  ALL_ROLES,
  bearer,
  beneficiaryToken,
  createActor,
  HOME,
  NON_STAFF_ROUTES,
  outsidePlaces,
  registeredV1Routes,
  STAFF_ROUTES,
  type MatrixEnv,
  type RouteCase,
} from '../support/route-matrix.js';

let platform: TestPlatform;
let env: MatrixEnv;
beforeAll(async () => {
  // Real-length days: the session-day workflows the interventions start sleep rather than tick.
  platform = await startTestPlatform({ dayMs: 86_400_000 });
  env = { app: platform.app, db: platform.db, config: platform.config };
});
afterAll(() => platform.close());

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

async function call(route: RouteCase, token: string | undefined, actor: Parameters<RouteCase['request']>[1]) {
  const { headers, ...spec } = await route.request(env, actor);
  return env.app.inject({ method: route.method, ...spec, headers: { ...headers, ...(token ? bearer(token) : {}) } });
}

describe('the role × route matrix of /api/v1', () => {
  it('lists every registered /api/v1 route, and nothing that is not registered', () => {
    const registered = registeredV1Routes(env.app).map(key).sort();
    const listed = [...STAFF_ROUTES, ...NON_STAFF_ROUTES].map(key).sort();
    expect(registered).toContain('POST /api/v1/doses');
    expect(new Set(listed).size, 'a route is listed twice').toBe(listed.length);
    expect(
      registered.filter((r) => !listed.includes(r)),
      'registered routes missing from tests/support/route-matrix.ts',
    ).toEqual([]);
    expect(
      listed.filter((r) => !registered.includes(r)),
      'listed routes that are not registered',
    ).toEqual([]);
  });

  for (const route of STAFF_ROUTES) {
    describe(key(route), () => {
      it('refuses a request without a token (401)', async () => {
        const response = await call(route, undefined, undefined);
        expect(response.statusCode, response.body).toBe(401);
      });

      it('refuses a beneficiary and every wrong role (403)', async () => {
        const asBeneficiary = await call(route, await beneficiaryToken(env), undefined);
        expect(asBeneficiary.statusCode, asBeneficiary.body).toBe(403);
        for (const role of ALL_ROLES.filter((r) => !route.roles.includes(r))) {
          const actor = await createActor(env, role, HOME);
          const response = await call(route, actor.token, actor);
          expect(response.statusCode, `${role}: ${response.body}`).toBe(403);
        }
      });

      if (route.jurisdiction !== 'own') {
        const outsiders = route.roles.flatMap((role) => outsidePlaces(role).map((place) => ({ role, place })));
        if (outsiders.length) {
          it(`refuses ${[...new Set(outsiders.map((o) => o.role))].join(', ')} from outside the resource's district or state (${route.outside ?? 403})`, async () => {
            for (const { role, place } of outsiders) {
              const actor = await createActor(env, role, place);
              const response = await call(route, actor.token, actor);
              expect(response.statusCode, `${role} of district ${place.districtId}: ${response.body}`).toBe(
                route.outside ?? 403,
              );
              route.checkOutside?.(response.json());
            }
          });
        }
      }

      it(`serves ${route.roles.join(', ')} in the right place (${route.ok ?? '2xx'})`, async () => {
        for (const role of route.roles as StaffRole[]) {
          const actor = await createActor(env, role, HOME);
          const response = await call(route, actor.token, actor);
          if (route.ok) expect(response.statusCode, `${role}: ${response.body}`).toBe(route.ok);
          else expect(response.statusCode, `${role}: ${response.body}`).toBeLessThan(300);
        }
      });
    });
  }
});
