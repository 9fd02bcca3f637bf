import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay, uniqueMobile } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { bookedPerson, walkInPerson } from '../desk/helpers.js';
import { assign, auditOf, someDistrict, staffMember, type District, type Member } from './support.js';

let platform: TestPlatform;
let district: District;
let officer: Member;
beforeAll(async () => {
  // Real-length days: today's session stays open for the whole test.
  platform = await startTestPlatform({ dayMs: 86_400_000 });
  district = await someDistrict(platform.db);
  officer = await staffMember(platform.app, platform.db, platform.config, 'DISTRICT_OFFICER', district);
});
afterAll(() => platform.close());

const eventId = () => `ev-${randomUUID()}`;

/** Today's session day with a full team: three staff members, one per team role. */
async function fullTeam() {
  const { app, db, config } = platform;
  const day = await insertSessionDay(db, { district, walkin: 2 });
  const verifier = await staffMember(app, db, config, 'VACCINATOR', district);
  const vaccinator = await staffMember(app, db, config, 'VACCINATOR', district);
  const observer = await staffMember(app, db, config, 'VACCINATOR', district);
  await assign(app, officer, day.id, verifier.staffId, 'VERIFIER');
  await assign(app, officer, day.id, vaccinator.staffId, 'VACCINATOR');
  await assign(app, officer, day.id, observer.staffId, 'OBSERVER');
  return { day, verifier, vaccinator, observer };
}

const post = (as: Member, url: string, payload?: Record<string, unknown>) =>
  platform.app.inject({ method: 'POST', url, headers: as.headers, ...(payload ? { payload } : {}) });
const get = (as: Member, url: string) => platform.app.inject({ method: 'GET', url, headers: as.headers });

describe('the work-flow at the site', () => {
  it('records the check at the door, the dose and the release as acts of the verifier, the vaccinator and the observer', async () => {
    const { app, db } = platform;
    const { day, verifier, vaccinator, observer } = await fullTeam();
    const person = await bookedPerson(app, day.id);

    // Each member's desk shows their own step.
    const stepsOf = async (member: Member) =>
      (await get(member, '/api/v1/desk/today'))
        .json()
        .sessions.find((s: { sessionDayId: string }) => s.sessionDayId === day.id);
    expect(await stepsOf(verifier)).toMatchObject({ teamRole: 'VERIFIER', steps: ['VERIFY'] });
    expect(await stepsOf(vaccinator)).toMatchObject({ teamRole: 'VACCINATOR', steps: ['VACCINATE'] });
    expect(await stepsOf(observer)).toMatchObject({ teamRole: 'OBSERVER', steps: ['OBSERVE'] });

    const check = await post(verifier, '/api/v1/desk/verify', {
      sessionDayId: day.id,
      referenceId: person.referenceId,
      secretCode: person.secretCode,
    });
    expect(check.statusCode, check.body).toBe(200);
    const { verificationId } = check.json();

    const dose = await post(vaccinator, '/api/v1/doses', {
      referenceId: person.referenceId,
      verificationId,
      sessionDayId: day.id,
      vaccineCode: 'COVAXIN',
      batch: 'TEAM-1',
    });
    expect(dose.statusCode, dose.body).toBe(201);
    const { doseId } = dose.json();

    // Under observation: 30 minutes to go, and not yet releasable.
    const watching = await get(observer, `/api/v1/desk/observation?sessionDayId=${day.id}`);
    expect(watching.statusCode, watching.body).toBe(200);
    expect(watching.json()).toMatchObject({ observationMinutes: 30, readyToRelease: [] });
    expect(watching.json().underObservation).toEqual([
      expect.objectContaining({
        doseId,
        referenceId: person.referenceId,
        dose: 1,
        minutesRemaining: 30,
        aefiReports: 0,
      }),
    ]);
    const early = await post(observer, `/api/v1/desk/observation/${doseId}/release`);
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'OBSERVATION_NOT_OVER',
      message: expect.stringContaining('30 more minutes'),
      details: { minutesRemaining: 30 },
    });

    // An adverse event seen by the observer during the period is linked to the dose.
    const aefi = await post(observer, '/api/v1/aefi', {
      doseId,
      severity: 'MINOR',
      symptoms: ['DIZZINESS'],
      clientEventId: eventId(),
    });
    expect(aefi.statusCode, aefi.body).toBe(201);
    expect(aefi.json()).toMatchObject({ doseId, duringObservation: true, reportedBy: observer.staffId });

    // Thirty-one minutes later (the dose's time moved back instead of waiting): ready to release.
    await db
      .updateTable('dose')
      .set({ administered_at: new Date(Date.now() - 31 * 60_000) })
      .where('id', '=', doseId)
      .execute();
    const ready = (await get(observer, `/api/v1/desk/observation?sessionDayId=${day.id}`)).json();
    expect(ready.underObservation).toEqual([]);
    expect(ready.readyToRelease).toEqual([expect.objectContaining({ doseId, minutesRemaining: 0, aefiReports: 1 })]);
    const released = await post(observer, `/api/v1/desk/observation/${doseId}/release`);
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({
      doseId,
      releasedBy: observer.staffId,
      observedMinutes: 31,
      aefiReports: 1,
      duplicate: false,
    });
    const again = await post(observer, `/api/v1/desk/observation/${doseId}/release`);
    expect(again.json()).toMatchObject({ releasedAt: released.json().releasedAt, duplicate: true });
    expect((await get(observer, `/api/v1/desk/observation?sessionDayId=${day.id}`)).json().readyToRelease).toEqual([]);

    // Three acts, three people, each on record under their own name.
    expect(new Set([verifier.staffId, vaccinator.staffId, observer.staffId]).size).toBe(3);
    const checkRow = await db
      .selectFrom('verification_check')
      .select('verified_by')
      .where('id', '=', verificationId)
      .executeTakeFirstOrThrow();
    const doseRow = await db
      .selectFrom('dose')
      .select(['vaccinator_id', 'verification_id'])
      .where('id', '=', doseId)
      .executeTakeFirstOrThrow();
    expect(checkRow.verified_by).toBe(verifier.staffId);
    expect(doseRow).toEqual({ vaccinator_id: vaccinator.staffId, verification_id: verificationId });
    expect((await auditOf(db, 'verification_check', verificationId)).map((a) => [a.action, a.actor_id])).toEqual([
      ['IDENTITY_VERIFIED', verifier.staffId],
    ]);
    expect((await auditOf(db, 'dose', doseId)).map((a) => [a.action, a.actor_id])).toEqual([
      ['DOSE_RECORDED', vaccinator.staffId],
      ['OBSERVATION_RELEASED', observer.staffId],
    ]);
  });

  it('refuses each member a step that is not theirs, with a message saying whose it is', async () => {
    const { app } = platform;
    const { day, verifier, vaccinator, observer } = await fullTeam();
    const person = await bookedPerson(app, day.id);

    const vaccinatorVerifies = await post(vaccinator, '/api/v1/desk/verify', {
      sessionDayId: day.id,
      referenceId: person.referenceId,
      secretCode: person.secretCode,
    });
    expect(vaccinatorVerifies.statusCode).toBe(403);
    expect(vaccinatorVerifies.json()).toMatchObject({
      code: 'NOT_YOUR_STEP',
      details: { step: 'VERIFY', yourTeamRole: 'VACCINATOR' },
    });
    expect(vaccinatorVerifies.json().message).toBe(
      "checking identity at the door is the verifier's step at this session day; you are its vaccinator (your step: recording doses)",
    );

    const observerVaccinates = await post(observer, '/api/v1/doses', {
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      sessionDayId: day.id,
      vaccineCode: 'COVAXIN',
      batch: 'TEAM-2',
    });
    expect(observerVaccinates.statusCode).toBe(403);
    expect(observerVaccinates.json().message).toMatch(
      /^recording doses is the vaccinator's step at this session day; you are its observer/,
    );

    // Walk-ins are registered at the door: the verifier's step too, not the vaccinator's.
    const walkIn = { sessionDayId: day.id, mobile: uniqueMobile(), person: walkInPerson() };
    expect((await post(vaccinator, '/api/v1/desk/walk-ins', walkIn)).statusCode).toBe(403);
    const registered = await post(verifier, '/api/v1/desk/walk-ins', walkIn);
    expect(registered.statusCode, registered.body).toBe(201);

    const verifierSyncsDose = await post(verifier, '/api/v1/desk/sync', {
      deviceId: 'verifier-phone',
      deviceTime: new Date().toISOString(),
      items: [
        {
          kind: 'DOSE',
          clientEventId: eventId(),
          administeredAt: new Date().toISOString(),
          referenceId: person.referenceId,
          sessionDayId: day.id,
          vaccineCode: 'COVAXIN',
          batch: 'TEAM-3',
          secretCode: person.secretCode,
        },
      ],
    });
    expect(verifierSyncsDose.statusCode, verifierSyncsDose.body).toBe(200);
    expect(verifierSyncsDose.json().results).toEqual([
      expect.objectContaining({ outcome: 'rejected', code: 'NOT_YOUR_STEP' }),
    ]);

    const dose = await post(vaccinator, '/api/v1/doses', {
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      sessionDayId: day.id,
      vaccineCode: 'COVAXIN',
      batch: 'TEAM-4',
    });
    expect(dose.statusCode, dose.body).toBe(201);
    const { doseId } = dose.json();
    const vaccinatorReports = await post(vaccinator, '/api/v1/aefi', {
      doseId,
      severity: 'MINOR',
      symptoms: ['FEVER'],
      clientEventId: eventId(),
    });
    expect(vaccinatorReports.statusCode).toBe(403);
    expect(vaccinatorReports.json().message).toMatch(/is the observer's step/);
    expect((await get(verifier, `/api/v1/desk/observation?sessionDayId=${day.id}`)).statusCode).toBe(403);
    expect((await post(vaccinator, `/api/v1/desk/observation/${doseId}/release`)).statusCode).toBe(403);

    // Someone not on the team is refused before their step is asked.
    const stranger = await staffMember(app, platform.db, platform.config, 'VACCINATOR', district);
    const notMine = await get(stranger, `/api/v1/desk/observation?sessionDayId=${day.id}`);
    expect(notMine.statusCode).toBe(403);
    expect(notMine.json().message).toMatch(/not assigned/);
  });

  it('lets the vaccinator of a small team verify, vaccinate and observe', async () => {
    const { app, db, config } = platform;
    const day = await insertSessionDay(db, { district });
    const vaccinator = await staffMember(app, db, config, 'VACCINATOR', district);
    await assign(app, officer, day.id, vaccinator.staffId, 'VACCINATOR');
    const person = await bookedPerson(app, day.id);

    const today = (await get(vaccinator, '/api/v1/desk/today'))
      .json()
      .sessions.find((s: { sessionDayId: string }) => s.sessionDayId === day.id);
    expect(today).toMatchObject({ teamRole: 'VACCINATOR', steps: ['VERIFY', 'VACCINATE', 'OBSERVE'] });
    const check = await post(vaccinator, '/api/v1/desk/verify', {
      sessionDayId: day.id,
      referenceId: person.referenceId,
      secretCode: person.secretCode,
    });
    expect(check.statusCode, check.body).toBe(200);
    const dose = await post(vaccinator, '/api/v1/doses', {
      referenceId: person.referenceId,
      verificationId: check.json().verificationId,
      sessionDayId: day.id,
      vaccineCode: 'COVAXIN',
      batch: 'TEAM-5',
    });
    expect(dose.statusCode, dose.body).toBe(201);
    const watching = await get(vaccinator, `/api/v1/desk/observation?sessionDayId=${day.id}`);
    expect(watching.statusCode, watching.body).toBe(200);
    expect(watching.json().underObservation).toHaveLength(1);

    // With an observer added, observing is theirs alone.
    const observer = await staffMember(app, db, config, 'VACCINATOR', district);
    await assign(app, officer, day.id, observer.staffId, 'OBSERVER');
    expect((await get(vaccinator, `/api/v1/desk/observation?sessionDayId=${day.id}`)).statusCode).toBe(403);
    expect(
      (await get(observer, `/api/v1/desk/observation?sessionDayId=${day.id}`)).json().underObservation,
    ).toHaveLength(1);
  });
});
