/**
 * Who did what: every write of the full journey, the vaccinator's desk, planning and the officers' interventions
 * leaves an audit row naming its real actor (the person's account, the vaccinator, the officer) — not just "the
 * system" — with the right entity and source.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { SessionDayService } from '../../api/services/session-days.js';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import { aadhaar, bearer, loginTokens, registerPerson, uniqueIp, waitFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { eventId, todayTimes } from '../desk/helpers.js';
import { staffWithToken } from '../support/staff.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 864_000, stallAfterMinutes: 600 });
});
afterAll(() => platform?.close());

async function auditOf(entityId: string) {
  return platform.db
    .selectFrom('audit_log')
    .select(['action', 'actor_type', 'actor_id', 'actor_role', 'entity_type', 'source'])
    .where('entity_id', '=', entityId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** The audit row of `action` on the entity, which must exist once. */
async function expectAudit(
  entityId: string,
  action: string,
  actor: { type: string; id: string | null },
  extra: Record<string, unknown> = {},
) {
  const rows = (await auditOf(entityId)).filter((r) => r.action === action);
  expect(rows, `${action} on ${entityId}`).toHaveLength(1);
  expect(rows[0], action).toMatchObject({ actor_type: actor.type, actor_id: actor.id, ...extra });
}

async function staffLogin(role: 'VACCINATOR' | 'DISTRICT_OFFICER') {
  const { staffId, token } = await staffWithToken(platform.db, platform.config.tokenSecret, role, PUNE, {
    login: { app: platform.app, remoteAddress: uniqueIp() },
  });
  return { id: staffId, token };
}

describe('audit rows', () => {
  it('name the person behind each step of a journey: registration, booking, rescheduling, cancelling', async () => {
    const { app, db } = platform;
    const [first, second] = [
      await insertSessionDay(db, { district: PUNE }),
      await insertSessionDay(db, { district: PUNE }),
    ];
    const { token } = await loginTokens(app, uniqueMobile(), uniqueIp());
    const registered = await app.inject({
      method: 'POST',
      url: '/api/v1/beneficiaries',
      headers: bearer(token),
      payload: { name: 'Audit Person', birthYear: 1980, gender: 'M', idType: 1, idNumber: aadhaar() },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const person = await db
      .selectFrom('beneficiary')
      .select(['id', 'account_id'])
      .where('reference_id', '=', registered.json().referenceId)
      .executeTakeFirstOrThrow();
    const me = { type: 'BENEFICIARY', id: person.account_id };
    await expectAudit(person.id, 'BENEFICIARY_REGISTERED', me);

    const book = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: bearer(token),
      payload: { referenceId: registered.json().referenceId, sessionDayId: first.id },
    });
    expect(book.statusCode, book.body).toBe(201);
    await expectAudit(book.json().appointmentId, 'APPOINTMENT_BOOKED', me);
    const moved = await app.inject({
      method: 'POST',
      url: `/api/v1/appointments/${book.json().appointmentId}/reschedule`,
      headers: bearer(token),
      payload: { sessionDayId: second.id },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    await expectAudit(moved.json().appointmentId, 'APPOINTMENT_RESCHEDULED', me);
    const cancelled = await app.inject({
      method: 'POST',
      url: `/api/v1/appointments/${moved.json().appointmentId}/cancel`,
      headers: bearer(token),
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await expectAudit(moved.json().appointmentId, 'APPOINTMENT_CANCELLED', me);
  });

  it('name who withdrew a person: the account on /api/v1 and on the Co-WIN API, the officer releasing a disputed ID', async () => {
    const { app, db } = platform;
    const day = await insertSessionDay(db, { district: PUNE });
    const { token } = await loginTokens(app, uniqueMobile(), uniqueIp());
    const account = async (referenceId: string) =>
      db
        .selectFrom('beneficiary')
        .select(['id', 'account_id'])
        .where('reference_id', '=', referenceId)
        .executeTakeFirstOrThrow();
    /** The withdrawal's rows: the person withdrawn, their stage change, and a live appointment's cancellation. */
    // The withdrawal is an Update of the person's journey: its rows are written when the request answers.
    const expectWithdrawnBy = async (personId: string, actor: { type: string; id: string }, appointmentId?: string) => {
      const stageRows = (await auditOf(personId)).filter((r) => r.action === 'JOURNEY_STAGE_CHANGED');
      expect(stageRows.at(-1)).toMatchObject({ actor_type: actor.type, actor_id: actor.id, source: 'ONLINE' });
      await expectAudit(personId, 'BENEFICIARY_WITHDRAWN', actor, { source: 'ONLINE' });
      if (appointmentId) await expectAudit(appointmentId, 'APPOINTMENT_CANCELLED', actor);
    };

    // On /api/v1, with a booking that the withdrawal cancels.
    const first = await registerPerson(app, token, { name: 'Withdrawn Online' });
    expect(first.statusCode, first.body).toBe(201);
    const booked = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: bearer(token),
      payload: { referenceId: first.json().referenceId, sessionDayId: day.id },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const withdrawn = await app.inject({
      method: 'DELETE',
      url: `/api/v1/beneficiaries/${first.json().referenceId}`,
      headers: bearer(token),
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(204);
    const firstPerson = await account(first.json().referenceId);
    const me = { type: 'BENEFICIARY', id: firstPerson.account_id };
    await expectWithdrawnBy(firstPerson.id, me, booked.json().appointmentId);

    // On the Co-WIN API.
    const second = await registerPerson(app, token, { name: 'Withdrawn Partner' });
    expect(second.statusCode, second.body).toBe(201);
    const deleted = await app.inject({
      method: 'POST',
      url: '/api/v2/registration/beneficiary/delete',
      headers: bearer(token),
      payload: { beneficiary_reference_id: second.json().referenceId },
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    await expectWithdrawnBy((await account(second.json().referenceId)).id, me);

    // A district officer releasing a squatted photo ID.
    const idNumber = aadhaar();
    const squatted = await registerPerson(app, token, { name: 'Squatter Name', idNumber });
    expect(squatted.statusCode, squatted.body).toBe(201);
    const officer = await staffLogin('DISTRICT_OFFICER');
    const opened = await app.inject({
      method: 'POST',
      url: '/api/v1/identity-disputes',
      headers: bearer(officer.token),
      payload: {
        districtId: PUNE.districtId,
        idType: 1,
        idNumber,
        claimant: { name: 'Rightful Holder', birthYear: 1975, gender: 'F', mobile: uniqueMobile() },
      },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const released = await app.inject({
      method: 'POST',
      url: `/api/v1/identity-disputes/${opened.json().disputeId}/release`,
      headers: bearer(officer.token),
      payload: { reason: 'Aadhaar card seen at the district office' },
    });
    expect(released.statusCode, released.body).toBe(200);
    await expectWithdrawnBy((await account(squatted.json().referenceId)).id, { type: 'STAFF', id: officer.id });
  });

  it('name the vaccinator for every desk write: login, check at the door, walk-in, dose (online and offline), AEFI', async () => {
    const { app, db } = platform;
    const day = await insertSessionDay(db, { district: PUNE, walkin: 5 });
    const vaccinator = await staffLogin('VACCINATOR');
    await db
      .insertInto('session_assignment')
      .values({
        session_day_id: day.id,
        staff_id: vaccinator.id,
        session_date: indiaDate(),
        team_role: 'VACCINATOR',
        assigned_by: null,
      })
      .execute();
    const them = { type: 'STAFF', id: vaccinator.id };
    await expectAudit(vaccinator.id, 'STAFF_LOGIN', them);

    const walkIn = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/walk-ins',
      headers: bearer(vaccinator.token),
      payload: {
        sessionDayId: day.id,
        mobile: uniqueMobile(),
        person: { name: 'Walk In', birthYear: 1970, gender: 'F', idType: 1, idNumber: aadhaar() },
      },
    });
    expect(walkIn.statusCode, walkIn.body).toBe(201);
    const { referenceId, secretCode } = walkIn.json();
    const person = await db
      .selectFrom('beneficiary')
      .select('id')
      .where('reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();
    await expectAudit(person.id, 'BENEFICIARY_REGISTERED', them);

    const verified = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: day.id, referenceId, secretCode },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    await expectAudit(verified.json().verificationId, 'IDENTITY_VERIFIED', them);

    const dose = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: bearer(vaccinator.token),
      payload: { referenceId, secretCode, sessionDayId: day.id, vaccineCode: 'COVAXIN', batch: 'AUD-1' },
    });
    expect(dose.statusCode, dose.body).toBe(201);
    await expectAudit(dose.json().doseId, 'DOSE_RECORDED', them, { source: 'ONLINE', actor_role: 'VACCINATOR' });

    const aefi = await app.inject({
      method: 'POST',
      url: '/api/v1/aefi',
      headers: bearer(vaccinator.token),
      payload: { doseId: dose.json().doseId, severity: 'MINOR', symptoms: ['FEVER'], clientEventId: eventId() },
    });
    expect(aefi.statusCode, aefi.body).toBe(201);
    await expectAudit(aefi.json().aefiId, 'AEFI_REPORTED', them);

    // Offline: a second walk-in's dose arrives in a batch.
    const other = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/walk-ins',
      headers: bearer(vaccinator.token),
      payload: {
        sessionDayId: day.id,
        mobile: uniqueMobile(),
        person: { name: 'Offline Person', birthYear: 1972, gender: 'M', idType: 1, idNumber: aadhaar() },
      },
    });
    const [at] = todayTimes(1);
    const deviceId = `audit-${randomUUID().slice(0, 8)}`;
    const sync = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/sync',
      headers: bearer(vaccinator.token),
      payload: {
        deviceId,
        deviceTime: new Date().toISOString(),
        items: [
          {
            kind: 'DOSE',
            clientEventId: eventId(),
            administeredAt: at.toISOString(),
            referenceId: other.json().referenceId,
            secretCode: other.json().secretCode,
            sessionDayId: day.id,
            vaccineCode: 'COVAXIN',
            batch: 'AUD-2',
          },
        ],
      },
    });
    expect(sync.statusCode, sync.body).toBe(200);
    expect(sync.json().results[0].outcome).toBe('accepted');
    await expectAudit(sync.json().results[0].dose.doseId, 'DOSE_RECORDED', them, { source: 'OFFLINE' });
    await expectAudit(deviceId, 'OFFLINE_BATCH_SYNCED', them, { source: 'OFFLINE' });
  });

  it('name the officer for planning writes, staff administration, interventions and certificate revocation', async () => {
    const { app, db, config } = platform;
    const officer = await staffLogin('DISTRICT_OFFICER');
    const me = { type: 'STAFF', id: officer.id };
    await expectAudit(officer.id, 'STAFF_LOGIN', me);
    const as = bearer(officer.token);

    const site = await app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: as,
      payload: {
        districtId: PUNE.districtId,
        name: 'Audit Centre',
        address: '1 Audit Road',
        block: 'Haveli',
        pincode: PUNE.pincode,
        lat: 18.5,
        lng: 73.8,
        ownership: 'GOVERNMENT',
      },
    });
    expect(site.statusCode, site.body).toBe(201);
    await expectAudit(String(site.json().id), 'SITE_CREATED', me);
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/api/v1/sites/${site.json().id}`,
          headers: as,
          payload: { block: 'Pune City' },
        })
      ).statusCode,
    ).toBe(200);
    await expectAudit(String(site.json().id), 'SITE_UPDATED', me);

    const planned = await app.inject({
      method: 'POST',
      url: '/api/v1/session-days',
      headers: as,
      payload: {
        siteId: site.json().id,
        date: addDays(indiaDate(), 2),
        vaccineCode: 'COVAXIN',
        dose1Capacity: 20,
        dose2Capacity: 10,
        walkinCapacity: 5,
        opensAt: '09:00',
        closesAt: '13:00',
        slotMinutes: 60,
      },
    });
    expect(planned.statusCode, planned.body).toBe(201);
    const plannedId = planned.json().id ?? planned.json().sessionDayId;
    await expectAudit(plannedId, 'SESSION_DAY_CREATED', me);
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/api/v1/session-days/${plannedId}`,
          headers: as,
          payload: { walkinCapacity: 8 },
        })
      ).statusCode,
    ).toBe(200);
    await expectAudit(plannedId, 'SESSION_DAY_EDITED', me);

    const staff = await app.inject({
      method: 'POST',
      url: '/api/v1/staff',
      headers: as,
      payload: {
        username: `audit.${randomUUID().slice(0, 8)}`,
        password: 'a long enough secret',
        name: 'Audit Vaccinator',
        role: 'VACCINATOR',
        districtId: PUNE.districtId,
      },
    });
    expect(staff.statusCode, staff.body).toBe(201);
    await expectAudit(staff.json().id, 'STAFF_CREATED', me);
    const assigned = await app.inject({
      method: 'POST',
      url: `/api/v1/session-days/${plannedId}/assignments`,
      headers: as,
      payload: { staffId: staff.json().id, teamRole: 'VACCINATOR' },
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const unassigned = await app.inject({
      method: 'DELETE',
      url: `/api/v1/session-days/${plannedId}/assignments/${staff.json().id}`,
      headers: as,
    });
    expect(unassigned.statusCode, unassigned.body).toBe(204);
    const teamActions = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('action', 'in', ['STAFF_ASSIGNED', 'STAFF_UNASSIGNED'])
      .where('details', '@>', JSON.stringify({ staffId: staff.json().id }))
      .execute();
    expect(teamActions.map((a) => [a.action, a.actor_id]).sort()).toEqual([
      ['STAFF_ASSIGNED', officer.id],
      ['STAFF_UNASSIGNED', officer.id],
    ]);
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/api/v1/staff/${staff.json().id}`,
          headers: as,
          payload: { active: false },
        })
      ).statusCode,
    ).toBe(200);
    await expectAudit(staff.json().id, 'STAFF_DEACTIVATED', me);

    // Interventions on today's open session, through its workflow.
    const today = await insertSessionDay(db, { district: PUNE, walkin: 5 });
    await new SessionDayService(db, app.temporal, config).ensureStarted(today.id);
    await waitFor(
      async () =>
        (await db.selectFrom('session_day').select('status').where('id', '=', today.id).executeTakeFirstOrThrow())
          .status === 'OPEN',
      'the session to open',
    );
    for (const [kind, body] of [
      ['pause', { reason: 'carrier late' }],
      ['resume', {}],
      ['extend', { minutes: 1 }],
    ] as const) {
      const answer = await app.inject({
        method: 'POST',
        url: `/api/v1/session-days/${today.id}/interventions/${kind}`,
        headers: as,
        payload: body,
      });
      expect(answer.statusCode, `${kind}: ${answer.body}`).toBe(200);
    }
    for (const action of ['SESSION_PAUSED', 'SESSION_RESUMED', 'SESSION_EXTENDED'])
      await expectAudit(today.id, action, me);

    // A certificate revoked after a correction.
    const vaccinator = await staffLogin('VACCINATOR');
    await db
      .insertInto('session_assignment')
      .values({
        session_day_id: today.id,
        staff_id: vaccinator.id,
        session_date: indiaDate(),
        team_role: 'VACCINATOR',
        assigned_by: null,
      })
      .execute();
    const walkIn = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/walk-ins',
      headers: bearer(vaccinator.token),
      payload: {
        sessionDayId: today.id,
        mobile: uniqueMobile(),
        person: { name: 'Certificate Holder', birthYear: 1968, gender: 'F', idType: 1, idNumber: aadhaar() },
      },
    });
    expect(walkIn.statusCode, walkIn.body).toBe(201);
    const dose = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: bearer(vaccinator.token),
      payload: {
        referenceId: walkIn.json().referenceId,
        secretCode: walkIn.json().secretCode,
        sessionDayId: today.id,
        vaccineCode: 'COVAXIN',
        batch: 'AUD-3',
      },
    });
    expect(dose.statusCode, dose.body).toBe(201);
    // The journey issues the certificate after the dose.
    const certificate = await waitFor(
      () =>
        db
          .selectFrom('certificate')
          .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
          .select('certificate.id')
          .where('beneficiary.reference_id', '=', walkIn.json().referenceId)
          .executeTakeFirst(),
      'the certificate',
    );
    const revoked = await app.inject({
      method: 'POST',
      url: `/api/v1/certificates/${certificate.id}/revoke`,
      headers: as,
      payload: { reason: 'name corrected' },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    await expectAudit(certificate.id, 'CERTIFICATE_REVOKED', me);
  });
});
