/**
 * The precaution dose's interval per vaccine as officers change it: a state officer or national admin reads every
 * vaccine's and changes one with a reason (audited), the dose and booking rules read the new interval, and bad input
 * is refused with a message.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPrecautionSchedule } from '../../db/repositories/precaution.js';
import { PUNE } from '../support/fixtures.js';
import { bearer, ensureTestVaccine } from '../support/journey.js';
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
        { vaccineCode: code, primaryDoses: 2, afterDays: null, updatedAt: null },
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
  });
});
