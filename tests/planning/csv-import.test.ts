import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertSessionDay, insertSite } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { bearer, createActor, HOME, MUMBAI, type Actor, type MatrixEnv } from '../support/route-matrix.js';

let platform: TestPlatform;
let env: MatrixEnv;
let officer: Actor;
beforeAll(async () => {
  platform = await startTestPlatform();
  env = { app: platform.app, db: platform.db, config: platform.config };
  officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
});
afterAll(() => platform.close());

const HEADER =
  'site_id,date,vaccine,min_age,max_age,dose1_capacity,dose2_capacity,walkin_capacity,opens_at,closes_at,slot_minutes';
const day = (n: number) => addDays(indiaDate(), n);
const upload = (body: string, query = '') =>
  env.app.inject({
    method: 'POST',
    url: `/api/v1/session-days/import${query}`,
    headers: { ...bearer(officer.token), 'content-type': 'text/csv; charset=utf-8' },
    payload: body,
  });
const daysAt = (siteId: number) =>
  env.db.selectFrom('session_day').select(['id', 'date']).where('site_id', '=', siteId).orderBy('date').execute();

describe('planning session days from a CSV file', () => {
  it('creates every row when all are good, with their slots', async () => {
    const a = (await insertSite(env.db, HOME)).id;
    const b = (await insertSite(env.db, HOME)).id;
    const file = [
      HEADER,
      `${a},${day(1)},COVAXIN,18,,60,30,10,09:00,17:00,120`,
      `${a},${day(2)},covaxin,45,60,40,0,0,10:00,13:00,60`,
      `${b},${day(1)},COVISHIELD,18,44,25,25,5,09:00,12:00,90`,
      '',
    ].join('\n');

    const dry = await upload(file, '?dry_run=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toEqual({ dryRun: true, rows: 3, created: 0, sessionDayIds: [] });
    expect(await daysAt(a)).toEqual([]);

    const response = await upload(file);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ dryRun: false, rows: 3, created: 3 });
    expect(response.json().sessionDayIds).toHaveLength(3);
    expect((await daysAt(a)).map((d) => d.date)).toEqual([day(1), day(2)]);

    const slots = await env.db
      .selectFrom('session_slot')
      .select(['starts_at', 'ends_at', 'capacity'])
      .where('session_day_id', '=', response.json().sessionDayIds[2])
      .orderBy('starts_at')
      .execute();
    expect(slots).toEqual([
      { starts_at: '09:00:00', ends_at: '10:30:00', capacity: 25 },
      { starts_at: '10:30:00', ends_at: '12:00:00', capacity: 25 },
    ]);
    const audits = await env.db
      .selectFrom('audit_log')
      .select('actor_id')
      .where('action', '=', 'SESSION_DAY_CREATED')
      .where('entity_id', 'in', response.json().sessionDayIds)
      .execute();
    expect(audits).toHaveLength(3);
    expect(audits.every((row) => row.actor_id === officer.staffId)).toBe(true);
  });

  it('creates nothing when any row is bad, and lists the problems of every row', async () => {
    const mine = (await insertSite(env.db, HOME)).id;
    const theirs = (await insertSite(env.db, MUMBAI)).id;
    const taken = await insertSessionDay(env.db, {
      siteId: mine,
      date: day(5),
      opensAt: '09:00:00',
      closesAt: '17:00:00',
    });
    const file = [
      HEADER,
      `${mine},${day(1)},COVAXIN,18,,60,30,10,09:00,17:00,120`, //       1 good
      `${mine},${day(-1)},COVAXIN,18,,60,30,10,09:00,17:00,120`, //      2 in the past
      `${mine},${day(2)},NOVAX,18,,60,30,10,17:00,09:00,120`, //          3 unknown vaccine, hours reversed
      `${theirs},${day(2)},COVAXIN,18,,60,30,10,09:00,17:00,120`, //     4 outside the officer's district
      `${mine},${day(1)},COVAXIN,18,,60,30,10,09:00,17:00,120`, //       5 same site and date as row 1
      `${mine},${day(5)},COVAXIN,18,,60,30,10,09:00,17:00,120`, //       6 the site already has a day then
      `${mine},${day(6)},COVAXIN,eighteen,,60,30,10,09:00,17:00,10`, //  7 not a number; slot too short
      `999999999,${day(7)},COVAXIN,18,,60,30,10,09:00,17:00,120`, //     8 no such site
      `${mine},${day(8)},COVAXIN,18,,60,30`, //                           9 too few fields
    ].join('\n');

    const response = await upload(file);
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().message).toMatch(/8 rows have problems; nothing was created/);
    const errors: Array<{ row: number; column?: string; code?: string; message: string }> = response.json().errors;
    const at = (row: number) =>
      errors
        .filter((e) => e.row === row)
        .map((e) => e.column)
        .sort();
    expect(at(1)).toEqual([]);
    expect(at(2)).toEqual(['date']);
    expect(at(3)).toEqual(['closes_at', 'vaccine']);
    expect(at(4)).toEqual(['site_id']);
    expect(errors.find((e) => e.row === 4)!.message).toMatch(/outside your jurisdiction/);
    expect(errors.find((e) => e.row === 5)!.message).toMatch(/row 1/);
    expect(errors.find((e) => e.row === 6)!.message).toContain(taken.id);
    expect(at(7)).toEqual(['min_age', 'slot_minutes']);
    // Each problem also has a code and the values it names, for a screen to word in its reader's language.
    expect(errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'DATE_PAST'],
      [3, 'CLOSES_BEFORE_OPENS'],
      [3, 'VACCINE_NOT_IN_USE'],
      [4, 'SITE_OUTSIDE_JURISDICTION'],
      [5, 'DAY_TWICE_IN_FILE'],
      [6, 'DAY_ALREADY_PLANNED'],
      [7, 'FIELD_NOT_WHOLE'],
      [7, 'SLOT_MINUTES_RANGE'],
      [8, 'SITE_NOT_FOUND'],
      [9, 'CSV_FIELD_COUNT'],
      ...Array(4).fill([9, 'FIELD_MISSING']),
    ]);
    expect(errors.find((e) => e.row === 5)).toMatchObject({ params: { siteId: mine, date: day(1), other: 1 } });
    expect(errors.find((e) => e.row === 7 && e.column === 'min_age')!.message).toMatch(/whole number, not "eighteen"/);
    expect(at(8)).toEqual(['site_id']);
    expect(
      errors
        .filter((e) => e.row === 9)
        .map((e) => e.message)
        .join(),
    ).toMatch(/7 fields; the header has 11/);

    expect((await daysAt(mine)).map((d) => d.id)).toEqual([taken.id]);
  });

  it('explains a wrong header, an empty file and the wrong content type', async () => {
    const header = await upload('site,date\n1,2030-01-01');
    expect(header.statusCode).toBe(422);
    expect(header.json().errors[0]).toMatchObject({ row: 0 });
    expect(
      header
        .json()
        .errors.map((e: { message: string }) => e.message)
        .join(),
    ).toMatch(/no site_id column/);

    const empty = await upload(`${HEADER}\n`);
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors).toEqual([
      { row: 0, code: 'CSV_NO_ROWS', message: 'the file has a header but no rows' },
    ]);

    const json = await env.app.inject({
      method: 'POST',
      url: '/api/v1/session-days/import',
      headers: bearer(officer.token),
      payload: { rows: [] },
    });
    expect(json.statusCode).toBe(400);
  });

  it('refuses a file over the size limit', async () => {
    const row = `1,${day(1)},COVAXIN,18,,60,30,10,09:00,17:00,120`;
    const big = [HEADER, ...Array.from({ length: 25_000 }, () => row)].join('\n');
    expect((await upload(big)).statusCode).toBe(413);
  });
});
