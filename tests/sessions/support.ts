/** Steps and observations for the session-day tests. */
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { expect } from 'vitest';
import type { Db } from '../../db/connection.js';
import type { StaffRole } from '../../db/schema.js';
import { LIVE_CHANNEL, type LiveEvent } from '../../live/publish.js';
import { uniqueMobile, type District } from '../support/fixtures.js';
import { bearer, loginBeneficiary, registerPerson, uniqueIp } from '../support/journey.js';
import { staffWithToken } from '../support/staff.js';

export { quietDistrict, type District } from '../support/fixtures.js';

/** A staff member of the role, logged in. */
export async function staffLogin(app: FastifyInstance, db: Db, role: StaffRole, district: District) {
  const { staffId, token, mobile, headers } = await staffWithToken(db, app.config.tokenSecret, role, district, {
    login: { app },
  });
  return { staffId, token, mobile, headers };
}

export interface BookedPerson {
  referenceId: string;
  secretCode: string;
  mobile: string;
}

/** `count` people registered (four to a mobile, as families do) and booked at the session day through the API. */
export async function bookPeople(app: FastifyInstance, sessionDayId: string, count: number): Promise<BookedPerson[]> {
  const people: BookedPerson[] = [];
  while (people.length < count) {
    const mobile = uniqueMobile();
    const token = await loginBeneficiary(app, mobile, uniqueIp());
    for (let i = 0; i < 4 && people.length < count; i++) {
      const registered = await registerPerson(app, token, {
        name: `Person ${String.fromCharCode(65 + (people.length % 26))}`,
      });
      expect(registered.statusCode, registered.body).toBe(201);
      const { referenceId, secretCode } = registered.json();
      const booked = await app.inject({
        method: 'POST',
        url: '/api/v1/appointments',
        headers: bearer(token),
        payload: { referenceId, sessionDayId },
      });
      expect(booked.statusCode, booked.body).toBe(201);
      people.push({ referenceId, secretCode, mobile });
    }
  }
  return people;
}

/** Collects the live events of one session day, as the dashboards' LISTEN would see them. */
export async function listenLive(databaseUrl: string, sessionDayId: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const events: LiveEvent[] = [];
  client.on('notification', (message) => {
    const event = JSON.parse(message.payload ?? '{}') as LiveEvent;
    if (event.sessionDayId === sessionDayId) events.push(event);
  });
  await client.query(`listen ${LIVE_CHANNEL}`);
  return {
    events,
    /** The statuses announced by 'session.status' events, in order. */
    statuses: () => events.filter((e) => e.type === 'session.status').map((e) => `${e.data.status}`),
    close: () => client.end(),
  };
}

/** The audit actions written about a session day, in order. */
export async function auditOf(db: Db, sessionDayId: string) {
  return db
    .selectFrom('audit_log')
    .select(['action', 'actor_type', 'actor_id', 'actor_role', 'details'])
    .where('entity_type', '=', 'session_day')
    .where('entity_id', '=', sessionDayId)
    .orderBy('id')
    .execute();
}

export async function statusOf(db: Db, sessionDayId: string) {
  return (await db.selectFrom('session_day').select('status').where('id', '=', sessionDayId).executeTakeFirstOrThrow())
    .status;
}

export async function smsCount(db: Db, mobile: string, template: string): Promise<number> {
  const rows = await db
    .selectFrom('sms_message')
    .select('id')
    .where('mobile', '=', mobile)
    .where('template', '=', template)
    .execute();
  return rows.length;
}

export function intervene(
  app: FastifyInstance,
  headers: Record<string, string>,
  sessionDayId: string,
  kind: string,
  payload: Record<string, unknown> = {},
) {
  return app.inject({
    method: 'POST',
    url: `/api/v1/session-days/${sessionDayId}/interventions/${kind}`,
    headers,
    payload,
  });
}
