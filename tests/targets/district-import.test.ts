import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { bearer, createActor, type Actor, type MatrixEnv } from '../support/route-matrix.js';

/**
 * The current district list imported by an admin. States only this file touches: Arunachal Pradesh (17 GeoNames
 * districts; about 26 today) and the Andaman and Nicobar Islands.
 */
const ARUNACHAL = 12;
const ANDAMAN = 35;
const LOWER_SUBANSIRI = 12009;
const NORTH_AND_MIDDLE_ANDAMAN = 35002;
/** One of Lower Subansiri's pincodes in GeoNames; Kamle district was carved out of Lower Subansiri in 2017. */
const KAMLE_PINCODE = 791120;

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
    url: `/api/v1/districts/import${query}`,
    headers: { ...bearer(actor.token), 'content-type': 'text/csv' },
    payload: body,
  });
const get = (actor: Actor | undefined, url: string) =>
  env.app.inject({ method: 'GET', url, headers: actor ? bearer(actor.token) : {} });
const districtsOf = (stateId: number) =>
  env.db
    .selectFrom('district')
    .select(['id', 'name', 'name_hi', 'lat', 'lng', 'target_population', 'target_is_demo'])
    .where('state_id', '=', stateId)
    .orderBy('id')
    .execute();
const auditsBy = (actor: Actor) =>
  env.db
    .selectFrom('audit_log')
    .select(['actor_role', 'entity_type', 'details'])
    .where('action', '=', 'DISTRICTS_IMPORTED')
    .where('actor_id', '=', actor.staffId)
    .execute();

describe('importing the current district list from a CSV file', () => {
  it('adds a new district with the pincodes carved out of its parent; officers can plan in it at once', async () => {
    const before = await districtsOf(ARUNACHAL);
    const file = [
      'state_id,district_id,name,name_hi,lat,lng,target_population,pincodes',
      `${ARUNACHAL},,Kamle,कमले,27.67,93.77,22000,${KAMLE_PINCODE}`,
      `${ARUNACHAL},,Kra Daadi,,27.95,93.45,,`,
      `${ARUNACHAL},${LOWER_SUBANSIRI},Lower Subansiri,,27.58,93.82,,`,
      `${ARUNACHAL},,Tawang,,27.5939,91.8837,,`, // unchanged, matched by name
      '',
    ].join('\n');

    // A dry run says what would happen, with the ids the new districts would get, and changes nothing.
    const dry = await upload(admin, file, '?dry_run=true');
    expect(dry.statusCode, dry.body).toBe(200);
    const next = Math.max(...before.map((d) => d.id)) + 1;
    expect(dry.json()).toMatchObject({
      dryRun: true,
      rows: 4,
      created: [
        { districtId: next, stateId: ARUNACHAL, name: 'Kamle' },
        { districtId: next + 1, stateId: ARUNACHAL, name: 'Kra Daadi' },
      ],
      updated: 1,
      unchanged: 1,
      pincodesMoved: 0,
    });
    // Districts the file does not name are kept and listed, so the admin sees what the file leaves out.
    expect(dry.json().unlisted).toHaveLength(before.length - 2);
    expect(await districtsOf(ARUNACHAL)).toEqual(before);

    const response = await upload(admin, file);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ dryRun: false, updated: 1, unchanged: 1, pincodesMoved: 1 });
    const after = await districtsOf(ARUNACHAL);
    expect(after).toHaveLength(before.length + 2);
    expect(after.find((d) => d.id === next)).toEqual({
      id: next,
      name: 'Kamle',
      name_hi: 'कमले',
      lat: 27.67,
      lng: 93.77,
      target_population: 22000,
      target_is_demo: false,
    });
    expect(after.find((d) => d.id === next + 1)).toMatchObject({ name: 'Kra Daadi', target_is_demo: true });
    expect(after.find((d) => d.id === LOWER_SUBANSIRI)).toMatchObject({ lat: 27.58, lng: 93.82 });
    const pincode = await env.db
      .selectFrom('pincode')
      .select('district_id')
      .where('pincode', '=', KAMLE_PINCODE)
      .executeTakeFirstOrThrow();
    expect(pincode.district_id).toBe(next);

    // The same file again changes nothing: the new districts are found by name.
    const again = await upload(admin, file);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ created: [], updated: 0, unchanged: 4, pincodesMoved: 0 });

    // One audit row per import that changed something, naming what it created, changed and moved.
    const audits = await auditsBy(admin);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_role: 'NATIONAL_ADMIN', entity_type: 'district_import' });
    expect(audits[0].details).toMatchObject({
      created: [
        { id: next, stateId: ARUNACHAL, name: 'Kamle' },
        { id: next + 1, stateId: ARUNACHAL, name: 'Kra Daadi' },
      ],
      updated: [{ id: LOWER_SUBANSIRI, changes: { lat: [27.5781, 27.58], lng: [93.8163, 93.82] } }],
      pincodesMoved: [{ pincode: KAMLE_PINCODE, from: LOWER_SUBANSIRI, to: next }],
    });

    // The new district is everywhere the list is read: the dashboard's list, the Co-WIN location API, the war
    // room of its state; its officer plans a site with the pincode that moved to it.
    const listed = (await get(undefined, '/api/v1/geo/districts')).json().districts;
    expect(listed).toContainEqual({
      id: next,
      stateId: ARUNACHAL,
      name: 'Kamle',
      nameHi: 'कमले',
      lat: 27.67,
      lng: 93.77,
    });
    expect(listed.length).toBeGreaterThanOrEqual(660);
    const cowin = await get(undefined, `/api/v2/admin/location/districts/${ARUNACHAL}`);
    expect(cowin.json().districts).toContainEqual({ district_id: next, district_name: 'Kamle' });
    const warRoom = await get(admin, `/api/v1/dashboard/states/${ARUNACHAL}`);
    expect(warRoom.json().coverage).toContainEqual(
      expect.objectContaining({ id: next, name: 'Kamle', targetPopulation: 22000, targetIsDemo: false }),
    );
    const officer = await createActor(env, 'DISTRICT_OFFICER', {
      stateId: ARUNACHAL,
      districtId: next,
      pincode: KAMLE_PINCODE,
    });
    const site = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: bearer(officer.token),
      payload: {
        districtId: next,
        name: 'Kamle District Hospital',
        address: 'Raga',
        block: 'Raga',
        pincode: KAMLE_PINCODE,
        lat: 27.67,
        lng: 93.77,
        ownership: 'GOVERNMENT',
      },
    });
    expect(site.statusCode, site.body).toBe(201);
  });

  it('renames a district by its id and leaves its records where they are', async () => {
    const file = `state_id,district_id,name,lat,lng\n${ANDAMAN},${NORTH_AND_MIDDLE_ANDAMAN},North and Middle Andaman,12.783,92.8992\n`;
    const response = await upload(admin, file);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ created: [], updated: 1, unchanged: 0 });
    expect(response.json().unlisted.map((d: { name: string }) => d.name)).toEqual(['Nicobar', 'South Andaman']);
    const districts = await districtsOf(ANDAMAN);
    expect(districts.find((d) => d.id === NORTH_AND_MIDDLE_ANDAMAN)!.name).toBe('North and Middle Andaman');
  });

  it('changes nothing when any row is bad, and lists the problems of every row', async () => {
    const before = await districtsOf(ANDAMAN);
    const file = [
      'state_id,district_id,name,lat,lng,pincodes',
      `${ANDAMAN},,Port Blair,11.62,92.72,744101`, //        1 good
      `99,,Nowhere,11.6,92.7,`, //                             2 no such state
      `${ANDAMAN},12001,Changlang,27.3,96.0,`, //              3 a district of another state
      `${ANDAMAN},,Port Blair,11.6,92.7,`, //                  4 same name as row 1
      `${ANDAMAN},,Havelock,92.7,11.6,`, //                    5 latitude and longitude swapped
      `${ANDAMAN},,,11.6,92.7,`, //                            6 no name
      `${ANDAMAN},,Neil Island,11.8,93.0,744101 74410`, //    7 a 5-digit pincode (and one on row 1)
      `${ANDAMAN},35001,South Andaman,11.6,92.7,`, //          8 the name of another district of the state
      `${ANDAMAN},,Ross Island,11.68,92.76,744101`, //         9 a pincode on row 1 too
    ].join('\n');
    const response = await upload(admin, file);
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'INVALID_ROWS',
      message: '8 rows have problems; nothing was changed',
    });
    const errors: Array<{ row: number; column?: string; message: string }> = response.json().errors;
    const at = (row: number) => errors.filter((error) => error.row === row).map((e) => [e.column, e.message]);
    expect(at(1)).toEqual([]);
    expect(at(2)).toEqual([['state_id', 'there is no state 99']]);
    expect(at(3)).toEqual([['district_id', expect.stringMatching(/^there is no district 12001 in state 35/)]]);
    expect(at(4)).toEqual([['name', 'Port Blair is also on row 1; a district appears once']]);
    expect(at(5)).toEqual([
      ['lat', 'lat 92.7 is outside India (6 to 38)'],
      ['lng', 'lng 11.6 is outside India (68 to 98)'],
    ]);
    expect(at(6)).toEqual([['name', 'name is missing']]);
    // One problem per row and column: the unreadable pincode first.
    expect(at(7)).toEqual([['pincodes', '"74410" is not a 6-digit pincode']]);
    expect(at(8)).toEqual([['name', 'South Andaman is already district 35003 of state 35']]);
    expect(at(9)).toEqual([['pincodes', 'pincode 744101 is also on row 1']]);
    expect(await districtsOf(ANDAMAN)).toEqual(before);

    // Field by field fine, but against the list: another state's district, another district's name.
    const against = await upload(
      admin,
      [
        'state_id,district_id,name,lat,lng',
        `${ANDAMAN},12001,Changlang,27.3,96.0`,
        `${ANDAMAN},35001,South Andaman,11.6,92.7`,
      ].join('\n'),
    );
    expect(against.statusCode, against.body).toBe(422);
    expect(against.json().errors).toEqual([
      { row: 1, column: 'district_id', message: expect.stringMatching(/^there is no district 12001 in state 35/) },
      { row: 2, column: 'name', message: 'South Andaman is already district 35003 of state 35' },
    ]);
    expect(await districtsOf(ANDAMAN)).toEqual(before);
  });

  it('is for national admins only', async () => {
    const officer = await createActor(env, 'STATE_OFFICER', { stateId: ANDAMAN, districtId: 35001, pincode: 744301 });
    const response = await upload(officer, `state_id,name,lat,lng\n${ANDAMAN},Port Blair,11.62,92.72\n`);
    expect(response.statusCode).toBe(403);
  });
});
