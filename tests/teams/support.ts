/** People and steps for the session-team tests. */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/connection.js';
import type { StaffRole } from '../../db/schema.js';
import type { District } from '../support/fixtures.js';

export { quietDistrict as someDistrict, type District } from '../support/fixtures.js';
import { bearer } from '../support/journey.js';
import { staffWithToken } from '../support/staff.js';

export { bearer };

export interface Member {
  staffId: string;
  token: string;
  mobile: string;
  headers: { authorization: string };
}

/** A staff member of the role in the district, with a signed token (no password login: it is rate-limited per IP). */
export function staffMember(
  _app: FastifyInstance,
  db: Db,
  config: Config,
  role: StaffRole,
  district: District,
): Promise<Member> {
  return staffWithToken(db, config.tokenSecret, role, district);
}

/** Puts a staff member on a session day through the officers' API. */
export async function assign(
  app: FastifyInstance,
  officer: Member,
  sessionDayId: string,
  staffId: string,
  teamRole: 'VACCINATOR' | 'VERIFIER' | 'OBSERVER',
) {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/session-days/${sessionDayId}/assignments`,
    headers: officer.headers,
    payload: { staffId, teamRole },
  });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response;
}

/** Templates of the SMS sent to a mobile, with how many of each. */
export async function smsByTemplate(db: Db, mobile: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('sms_message').select('template').where('mobile', '=', mobile).execute();
  const counts: Record<string, number> = {};
  for (const { template } of rows) counts[template] = (counts[template] ?? 0) + 1;
  return counts;
}

/** The audit rows about an entity, oldest first. */
export async function auditOf(db: Db, entityType: string, entityId: string) {
  return db
    .selectFrom('audit_log')
    .select(['action', 'actor_id', 'details'])
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
}
