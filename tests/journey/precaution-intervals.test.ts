/**
 * The precaution dose's interval per vaccine, and per priority group of a vaccine, as officers change it: a state
 * officer or national admin reads every vaccine's and changes one (or a group's) with a reason (audited), the dose
 * and booking rules and the journey's due date read the new interval (a health worker's their group's), and bad
 * input is refused with a message.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPrecautionSchedule } from '../../db/repositories/precaution.js';
import { indiaDate, addDays } from '../../domain/time.js';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import {
  bearer,
  ensureTestVaccine,
  loginBeneficiary,
  registerPerson,
  stageOf,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { createActor } from '../support/route-matrix.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

const vaccineCode = () => `PI${randomBytes(3).toString('hex').toUpperCase()}`;

describe('precaution intervals', () => {
  it('a state officer reads every vaccine and changes one with a reason, audited, and the rules use it', async () => {
    const { app, db } = platform;
    const officer = await createActor(platform, 'STATE_OFFICER', PUNE);
    const code = await ensureTestVaccine(db, vaccineCode());

    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/precaution-intervals',
      headers: bearer(officer.token),
    });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().intervals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ vaccineCode: 'COVAXIN', primaryDoses: 2, afterDays: expect.any(Number) }),
        { vaccineCode: code, primaryDoses: 2, afterDays: null, updatedAt: null, groups: [] },
      ]),
    );

    const set = (afterDays: number) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/precaution-intervals/${code}`,
        headers: bearer(officer.token),
        payload: { afterDays, reason: 'State technical advisory group: 9 months' },
      });
    const first = await set(270);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ vaccineCode: code, afterDays: 270, updatedAt: expect.any(String) });
    expect((await set(180)).json()).toMatchObject({ afterDays: 180 });
    // The rules read the interval afresh: a dose or booking decided now is held to 180 days.
    expect((await readPrecautionSchedule(db, code)).rules).toEqual([{ vaccineCode: code, afterDays: 180 }]);

    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'PRECAUTION_INTERVAL_SET')
      .where('entity_id', '=', code)
      .orderBy('at')
      .execute();
    expect(audit.map((row) => row.details)).toEqual([
      { before: null, after: 270, reason: 'State technical advisory group: 9 months' },
      { before: 270, after: 180, reason: 'State technical advisory group: 9 months' },
    ]);
    expect(audit[0]!.actor_id).toBe(officer.staffId);
  });

  it('refuses bad input with a message, a vaccine with no precaution dose, and other roles', async () => {
    const { app, db } = platform;
    const admin = await createActor(platform, 'NATIONAL_ADMIN');
    const code = await ensureTestVaccine(db, vaccineCode());
    const single = vaccineCode();
    await db.insertInto('vaccine').values({ code: single, name: single, doses: 1 }).execute();
    const put = (vaccine: string, payload: object, token = admin.token) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/precaution-intervals/${encodeURIComponent(vaccine)}`,
        headers: bearer(token),
        payload,
      });

    for (const payload of [
      { afterDays: -1, reason: 'negative' },
      { afterDays: 4000, reason: 'eleven years' },
      { afterDays: 12.5, reason: 'half a day' },
      { afterDays: 180 },
      { afterDays: 180, reason: '<b>bold</b>' },
      { afterDays: 180, reason: 'fine', group: 'HCW' },
    ]) {
      const refused = await put(code, payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(400);
      expect(refused.json().message).toEqual(expect.any(String));
    }
    const unknown = await put('NO-SUCH-VACCINE', { afterDays: 180, reason: 'no such vaccine' });
    expect(unknown.statusCode).toBe(404);
    const oneDose = await put(single, { afterDays: 180, reason: 'one dose' });
    expect(oneDose.statusCode, oneDose.body).toBe(422);
    expect(oneDose.json()).toMatchObject({ code: 'NO_PRECAUTION_DOSE' });

    const district = await createActor(platform, 'DISTRICT_OFFICER');
    expect((await put(code, { afterDays: 180, reason: 'not mine' }, district.token)).statusCode).toBe(403);
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/precaution-intervals' });
    expect(anonymous.statusCode).toBe(401);
    expect((await readPrecautionSchedule(db, code)).rules).toEqual([]);

    // A group's interval: the same checks, and a group that is no priority group is refused.
    const putGroup = (vaccine: string, group: string, payload: object, token = admin.token) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/precaution-intervals/${encodeURIComponent(vaccine)}/groups/${group}`,
        headers: bearer(token),
        payload,
      });
    for (const [group, payload] of [
      ['GENERAL', { afterDays: 180, reason: 'not a priority group' }],
      ['hcw', { afterDays: 180, reason: 'lower case' }],
      ['HCW', { afterDays: -1, reason: 'negative' }],
      ['HCW', { afterDays: 180 }],
      ['HCW', { afterDays: 12.5, reason: 'half a day' }],
      ['HCW', { afterDays: 180, reason: '<i>x</i>' }],
    ] as const) {
      const refused = await putGroup(code, group, payload);
      expect(refused.statusCode, `${group} ${JSON.stringify(payload)}`).toBe(400);
      expect(refused.json().message).toEqual(expect.any(String));
    }
    expect((await putGroup('NO-SUCH-VACCINE', 'HCW', { afterDays: 180, reason: 'none' })).statusCode).toBe(404);
    const oneDoseGroup = await putGroup(single, 'FLW', { afterDays: 180, reason: 'one dose' });
    expect(oneDoseGroup.statusCode, oneDoseGroup.body).toBe(422);
    expect(oneDoseGroup.json()).toMatchObject({ code: 'NO_PRECAUTION_DOSE' });
    expect((await putGroup(code, 'HCW', { afterDays: 180, reason: 'not mine' }, district.token)).statusCode).toBe(403);
    const vaccinator = await createActor(platform, 'VACCINATOR', PUNE);
    expect((await putGroup(code, 'HCW', { afterDays: 180, reason: 'not mine' }, vaccinator.token)).statusCode).toBe(
      403,
    );
    const anonymousGroup = await app.inject({
      method: 'PUT',
      url: `/api/v1/precaution-intervals/${code}/groups/HCW`,
      payload: { afterDays: 180, reason: 'nobody' },
    });
    expect(anonymousGroup.statusCode).toBe(401);
    expect((await readPrecautionSchedule(db, code)).rules).toEqual([]);
  });

  it("a priority group's own interval overrides the vaccine's: a health worker's precaution dose is due on it", async () => {
    const { app, db } = platform;
    const officer = await createActor(platform, 'STATE_OFFICER', PUNE);
    const code = await ensureTestVaccine(db, vaccineCode());
    const put = (url: string, payload: object) =>
      app.inject({ method: 'PUT', url, headers: bearer(officer.token), payload });

    const vaccineWide = await put(`/api/v1/precaution-intervals/${code}`, { afterDays: 273, reason: '39 weeks' });
    expect(vaccineWide.statusCode, vaccineWide.body).toBe(200);
    const hcw = await put(`/api/v1/precaution-intervals/${code}/groups/HCW`, {
      afterDays: 120,
      reason: 'Health workers first: 4 months',
    });
    expect(hcw.statusCode, hcw.body).toBe(200);
    expect(hcw.json()).toMatchObject({
      vaccineCode: code,
      afterDays: 273,
      groups: [{ group: 'HCW', afterDays: 120, updatedAt: expect.any(String) }],
    });
    // Set twice, then a second group: each change is audited with its group, the interval before and after.
    expect(
      (await put(`/api/v1/precaution-intervals/${code}/groups/HCW`, { afterDays: 90, reason: 'again' })).json(),
    ).toMatchObject({ groups: [{ group: 'HCW', afterDays: 90 }] });
    const flw = await put(`/api/v1/precaution-intervals/${code}/groups/FLW`, { afterDays: 200, reason: 'front line' });
    expect(flw.json().groups).toEqual([
      expect.objectContaining({ group: 'FLW', afterDays: 200 }),
      expect.objectContaining({ group: 'HCW', afterDays: 90 }),
    ]);
    // null: the front-line workers follow the vaccine's interval again.
    const removed = await put(`/api/v1/precaution-intervals/${code}/groups/FLW`, { afterDays: null, reason: 'undo' });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().groups).toEqual([expect.objectContaining({ group: 'HCW', afterDays: 90 })]);
    const listed = await app.inject({
      method: 'GET',
      url: '/api/v1/precaution-intervals',
      headers: bearer(officer.token),
    });
    expect(listed.json().intervals).toContainEqual(
      expect.objectContaining({
        vaccineCode: code,
        afterDays: 273,
        groups: [expect.objectContaining({ group: 'HCW' })],
      }),
    );
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'PRECAUTION_INTERVAL_SET')
      .where('entity_id', '=', code)
      .orderBy('at')
      .execute();
    expect(audit.map((row) => row.details)).toEqual([
      { before: null, after: 273, reason: '39 weeks' },
      { group: 'HCW', before: null, after: 120, reason: 'Health workers first: 4 months' },
      { group: 'HCW', before: 120, after: 90, reason: 'again' },
      { group: 'FLW', before: null, after: 200, reason: 'front line' },
      { group: 'FLW', before: 200, after: null, reason: 'undo' },
    ]);
    expect(new Set(audit.map((row) => row.actor_id))).toEqual(new Set([officer.staffId]));

    // One account, two people: a health worker (from an employer's list) and a member of the public, each given
    // both doses today. The journey projects the precaution dose's due date from the dose-2 signal.
    const mobile = uniqueMobile();
    const token = await loginBeneficiary(app, mobile);
    const people = [];
    for (const name of ['Asha Kulkarni', 'Ravi Kulkarni']) {
      const registered = await registerPerson(app, token, { name });
      expect(registered.statusCode, registered.body).toBe(201);
      people.push(registered.json() as { referenceId: string; secretCode: string });
    }
    const [worker, publicPerson] = people as [(typeof people)[0], (typeof people)[0]];
    await db
      .updateTable('beneficiary')
      .set({ priority_group: 'HCW' })
      .where('reference_id', '=', worker.referenceId)
      .execute();
    for (const person of people) {
      for (const dose of [1, 2]) {
        const session = await insertSessionDay(db, { vaccine: code, dose1: 5, dose2: 5, walkin: 5, district: PUNE });
        const vaccinator = await vaccinatorFor(app, db, session.id);
        const given = await app.inject({
          method: 'POST',
          url: '/api/v1/doses',
          headers: bearer(vaccinator.token),
          payload: {
            referenceId: person.referenceId,
            secretCode: person.secretCode,
            sessionDayId: session.id,
            vaccineCode: code,
            batch: 'PRE-001',
          },
        });
        expect(given.statusCode, given.body).toBe(201);
        expect(given.json()).toMatchObject({ dose });
      }
      await waitFor(async () => (await stageOf(db, person.referenceId)) === 'FULLY_VACCINATED', 'FULLY_VACCINATED');
    }
    const today = indiaDate();
    const mine = await app.inject({ method: 'GET', url: '/api/v1/beneficiaries', headers: bearer(token) });
    expect(mine.statusCode, mine.body).toBe(200);
    const dueOn = (referenceId: string) =>
      mine.json().beneficiaries.find((b: { referenceId: string }) => b.referenceId === referenceId)?.nextDoseDueOn;
    expect(dueOn(worker.referenceId)).toBe(addDays(today, 90));
    expect(dueOn(publicPerson.referenceId)).toBe(addDays(today, 273));
  });
});
