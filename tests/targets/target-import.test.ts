import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { bearer, createActor, type Actor, type MatrixEnv, type Place } from '../support/route-matrix.js';

/**
 * States only this file touches, one per test, so demo flags and sums are exact while other files run:
 * Sikkim (4 districts), Mizoram, Tripura, Meghalaya, Nagaland.
 */
const place = (stateId: number, n = 1): Place => ({ stateId, districtId: stateId * 1000 + n, pincode: 110001 });
const SIKKIM = 11;
const MIZORAM = 15;
const TRIPURA = 16;
const MEGHALAYA = 17;
const NAGALAND = 13;

let platform: TestPlatform;
let env: MatrixEnv;
let admin: Actor;
beforeAll(async () => {
  platform = await startTestPlatform();
  env = { app: platform.app, db: platform.db, config: platform.config };
  admin = await createActor(env, 'NATIONAL_ADMIN');
});
afterAll(() => platform.close());

const upload = (actor: Actor, body: string, query = '') =>
  env.app.inject({
    method: 'POST',
    url: `/api/v1/targets/import${query}`,
    headers: { ...bearer(actor.token), 'content-type': 'text/csv' },
    payload: body,
  });
const get = (actor: Actor, url: string) => env.app.inject({ method: 'GET', url, headers: bearer(actor.token) });
const districtsOf = (stateId: number) =>
  env.db
    .selectFrom('district')
    .select(['id', 'target_population', 'target_is_demo'])
    .where('state_id', '=', stateId)
    .orderBy('id')
    .execute();

describe('importing target populations from a CSV file', () => {
  it('sets every district of the file, no longer demo, and the war room measures coverage against them', async () => {
    const before = await districtsOf(SIKKIM);
    expect(before.every((d) => d.target_is_demo)).toBe(true);
    const file = ['district_id,target_population', ...before.map((d, i) => `${d.id},${300_000 + i * 1000}`), ''].join(
      '\n',
    );

    const response = await upload(admin, file);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toEqual({ dryRun: false, rows: 4, updated: 4 });

    const after = await districtsOf(SIKKIM);
    expect(after).toEqual(
      before.map((d, i) => ({ id: d.id, target_population: 300_000 + i * 1000, target_is_demo: false })),
    );

    // The state's target is the sum of its districts', and no longer called a demo one.
    const dashboard = await get(admin, `/api/v1/dashboard/states/${SIKKIM}`);
    expect(dashboard.statusCode, dashboard.body).toBe(200);
    expect(dashboard.json().totals).toMatchObject({ targetPopulation: 1_206_000, targetIsDemo: false });
    expect(
      dashboard
        .json()
        .coverage.map((c: { id: number; targetPopulation: number; targetIsDemo: boolean }) => [
          c.id,
          c.targetPopulation,
          c.targetIsDemo,
        ])
        .sort(),
    ).toEqual(after.map((d) => [d.id, d.target_population, false]).sort());
    const national = await get(admin, '/api/v1/dashboard/national');
    expect(national.json().coverage.find((c: { id: number }) => c.id === SIKKIM)).toMatchObject({
      targetPopulation: 1_206_000,
      targetIsDemo: false,
    });

    const targets = await get(admin, `/api/v1/targets?stateId=${SIKKIM}`);
    expect(targets.statusCode, targets.body).toBe(200);
    expect(targets.json()).toMatchObject({ stateId: SIKKIM, targetPopulation: 1_206_000, targetIsDemo: false });
    expect(targets.json().districts).toHaveLength(4);

    // One audit row for the import, by the admin, naming every district with its old and new figure.
    const audits = await env.db
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_role', 'details'])
      .where('action', '=', 'TARGETS_IMPORTED')
      .where('actor_id', '=', admin.staffId)
      .execute();
    expect(audits).toHaveLength(1);
    expect(audits[0].actor_role).toBe('NATIONAL_ADMIN');
    const details = audits[0].details as unknown as {
      count: number;
      districts: Array<{ districtId: number; targetPopulation: number; previous: number; previousWasDemo: boolean }>;
    };
    expect(details.count).toBe(4);
    expect(details.districts).toContainEqual({
      districtId: before[0].id,
      targetPopulation: 300_000,
      previous: before[0].target_population,
      previousWasDemo: true,
    });
  });

  it("lets a state officer set their state's districts; the state stays a demo target while any district is", async () => {
    const officer = await createActor(env, 'STATE_OFFICER', place(MIZORAM));
    const before = await districtsOf(MIZORAM);
    const [first, ...rest] = before;

    const response = await upload(officer, `state_id,district_id,target_population\n${MIZORAM},${first.id},412345\n`);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toEqual({ dryRun: false, rows: 1, updated: 1 });

    const targets = await get(officer, `/api/v1/targets?stateId=${MIZORAM}`);
    expect(targets.statusCode, targets.body).toBe(200);
    const body = targets.json();
    expect(body.districts.find((d: { districtId: number }) => d.districtId === first.id)).toMatchObject({
      targetPopulation: 412345,
      targetIsDemo: false,
    });
    expect(body.districts.filter((d: { targetIsDemo: boolean }) => d.targetIsDemo)).toHaveLength(rest.length);
    expect(body).toMatchObject({
      targetIsDemo: true,
      targetPopulation: 412345 + rest.reduce((n, d) => n + d.target_population, 0),
    });

    const dashboard = (await get(officer, `/api/v1/dashboard/states/${MIZORAM}`)).json();
    expect(dashboard.totals).toMatchObject({ targetPopulation: body.targetPopulation, targetIsDemo: true });
    expect(dashboard.coverage.find((c: { id: number }) => c.id === first.id)).toMatchObject({
      targetPopulation: 412345,
      targetIsDemo: false,
    });
  });

  it('changes nothing when any row is bad, and lists the problems of every row', async () => {
    const before = await districtsOf(TRIPURA);
    const [a, b, c, d, e, f] = before.map((district) => district.id);
    const file = [
      'district_id,target_population,state_id',
      `${a},500000,`, //               1 good
      `999999,500000,`, //             2 no such district
      `${b},-5,`, //                   3 negative
      `${c},2000000001,`, //           4 more than 2e9
      `${a},600000,`, //               5 same district as row 1
      `tripura,500000,`, //            6 not a number
      `${d},500000,${MEGHALAYA}`, //   7 district in another state than state_id says
      `${e},500000`, //                8 too few fields
      `${f},12.5,`, //                 9 not a whole number
    ].join('\n');

    const response = await upload(admin, file);
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'INVALID_ROWS',
      message: '8 rows have problems; nothing was changed',
    });
    const errors: Array<{ row: number; column?: string; message: string }> = response.json().errors;
    const at = (row: number) => errors.filter((error) => error.row === row);
    expect(at(1)).toEqual([]);
    expect(at(2)).toEqual([{ row: 2, column: 'district_id', message: 'there is no district 999999' }]);
    expect(at(3)).toEqual([
      {
        row: 3,
        column: 'target_population',
        code: 'FIELD_NEGATIVE',
        params: { column: 'target_population', value: '-5' },
        message: expect.stringMatching(/must not be negative/),
      },
    ]);
    expect(at(4)).toEqual([
      {
        row: 4,
        column: 'target_population',
        code: 'FIELD_TOO_LARGE',
        params: expect.objectContaining({ max: 2_000_000_000 }),
        message: expect.stringMatching(/at most 2,00,00,00,000/),
      },
    ]);
    expect(at(5)).toEqual([{ row: 5, column: 'district_id', message: expect.stringMatching(/also on row 1/) }]);
    expect(at(6)).toEqual([
      {
        row: 6,
        column: 'district_id',
        code: 'FIELD_NOT_WHOLE',
        params: { column: 'district_id', value: 'tripura' },
        message: 'district_id must be a whole number, not "tripura"',
      },
    ]);
    expect(at(7)).toEqual([
      {
        row: 7,
        column: 'state_id',
        message: expect.stringMatching(new RegExp(`is in state ${TRIPURA}, not ${MEGHALAYA}`)),
      },
    ]);
    expect(at(8).map((error) => error.message)).toEqual(['this row has 2 fields; the header has 3']);
    expect(at(9)).toEqual([
      {
        row: 9,
        column: 'target_population',
        code: 'FIELD_NOT_WHOLE',
        params: { column: 'target_population', value: '12.5' },
        message: 'target_population must be a whole number, not "12.5"',
      },
    ]);

    expect(await districtsOf(TRIPURA)).toEqual(before);
    const audits = await env.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'TARGETS_IMPORTED')
      .where('actor_id', '=', admin.staffId)
      .execute();
    expect(audits).toHaveLength(1); // the first test's import only
  });

  it('explains a wrong header and an empty file', async () => {
    const header = await upload(admin, 'district,target_population\n11001,5\n');
    expect(header.statusCode).toBe(422);
    expect(header.json().errors).toEqual([
      {
        row: 0,
        column: 'district_id',
        code: 'CSV_COLUMN_MISSING',
        params: { column: 'district_id' },
        message: 'the header has no district_id column',
      },
      {
        row: 0,
        column: 'district',
        code: 'CSV_COLUMN_UNKNOWN',
        params: { column: 'district', columns: 'district_id,target_population,state_id' },
        message: 'unknown column "district"; the columns are district_id,target_population,state_id',
      },
    ]);
    const empty = await upload(admin, 'district_id,target_population\n');
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors).toEqual([
      { row: 0, code: 'CSV_NO_ROWS', message: 'the file has a header but no rows' },
    ]);
  });

  it("refuses, row by row, a state officer's districts outside their state", async () => {
    const officer = await createActor(env, 'STATE_OFFICER', place(TRIPURA));
    const tripura = await districtsOf(TRIPURA);
    const meghalaya = await districtsOf(MEGHALAYA);

    const response = await upload(
      officer,
      `district_id,target_population\n${tripura[3].id},700000\n${meghalaya[0].id},700000\n`,
    );
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().errors).toEqual([
      { row: 2, column: 'district_id', message: expect.stringMatching(/outside your jurisdiction/) },
    ]);
    expect(await districtsOf(TRIPURA)).toEqual(tripura);
    expect(await districtsOf(MEGHALAYA)).toEqual(meghalaya);

    expect((await get(officer, `/api/v1/targets?stateId=${MEGHALAYA}`)).statusCode).toBe(403);
  });

  it('only checks on a dry run', async () => {
    const before = await districtsOf(NAGALAND);
    const response = await upload(
      admin,
      `district_id,target_population\n${before[0].id},250000\n${before[1].id},0\n`,
      '?dry_run=true',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ dryRun: true, rows: 2, updated: 0 });
    expect(await districtsOf(NAGALAND)).toEqual(before);
  });

  it('refuses district officers and vaccinators (403)', async () => {
    for (const role of ['DISTRICT_OFFICER', 'VACCINATOR'] as const) {
      const actor = await createActor(env, role, place(NAGALAND));
      const imported = await upload(actor, `district_id,target_population\n${place(NAGALAND).districtId},250000\n`);
      expect(imported.statusCode, `${role}: ${imported.body}`).toBe(403);
      expect((await get(actor, `/api/v1/targets?stateId=${NAGALAND}`)).statusCode).toBe(403);
    }
    expect((await districtsOf(NAGALAND)).every((d) => d.target_is_demo)).toBe(true);
  });
});
