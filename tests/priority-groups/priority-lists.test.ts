/**
 * Health-care and front-line worker lists uploaded by an officer, as people meet them: each listed worker is
 * registered with their group and invited by SMS, books from their own mobile while the public waits for its phase,
 * the same file uploaded again doubles nobody, and a bad file is refused whole with every row's problems.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertSessionDay, insertTestState, uniqueMobile } from '../support/fixtures.js';
import {
  aadhaar,
  bearer,
  book,
  loginBeneficiary,
  readSms,
  registerPerson,
  stageOf,
  uniqueIp,
  vaccinatorFor,
} from '../support/journey.js';
import { createActor } from '../support/route-matrix.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 86_400_000 });
});
afterAll(() => platform.close());

const HEADER = 'name,birth_year,gender,mobile,id_type,id_number,comorbidity';
const thisYear = () => Number(indiaDate().slice(0, 4));

function upload(token: string, csv: string, group: 'HCW' | 'FLW', dryRun = false) {
  return platform.app.inject({
    method: 'POST',
    url: `/api/v1/priority-lists/import?group=${group}${dryRun ? '&dry_run=true' : ''}`,
    headers: { ...bearer(token), 'content-type': 'text/csv' },
    payload: csv,
  });
}

async function peopleWithMobile(mobile: string) {
  return platform.db
    .selectFrom('beneficiary')
    .innerJoin('account', 'account.id', 'beneficiary.account_id')
    .select(['beneficiary.reference_id', 'beneficiary.name', 'beneficiary.priority_group', 'beneficiary.stage'])
    .where('account.mobile', '=', mobile)
    .where('beneficiary.deleted_at', 'is', null)
    .execute();
}

describe('worker lists', () => {
  it('registers each listed health worker, invites them by SMS, lets them book in their phase, shows their group at the door and counts it in the district report, and doubles nobody on a second upload', async () => {
    const { app, db } = platform;
    const place = await insertTestState(db);
    const stateOfficer = await createActor(platform, 'STATE_OFFICER', place);
    const phases = await app.inject({
      method: 'PUT',
      url: `/api/v1/states/${place.stateId}/eligibility-phases`,
      headers: bearer(stateOfficer.token),
      payload: {
        phases: [
          { name: 'Health-care workers', opensOn: indiaDate(), groups: ['HCW'], minAge: 18 },
          { name: 'Everyone 18+', opensOn: addDays(indiaDate(), 60), groups: ['GENERAL'], minAge: 18 },
        ],
      },
    });
    expect(phases.statusCode, phases.body).toBe(200);
    const officer = await createActor(platform, 'DISTRICT_OFFICER', place);

    const [nurse, doctor] = [uniqueMobile(), uniqueMobile()];
    const csv = [
      HEADER,
      `Anita Sharma,${thisYear() - 34},F,${nurse},1,${aadhaar()},N`,
      `Rahul Verma,${thisYear() - 51},M,${doctor},1,${aadhaar()},Y`,
    ].join('\n');
    const checked = await upload(officer.token, csv, 'HCW', true);
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json()).toMatchObject({ dryRun: true, rows: 2, toRegister: 2, registered: [] });
    expect(await peopleWithMobile(nurse)).toEqual([]);

    const first = await upload(officer.token, csv, 'HCW');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ group: 'HCW', rows: 2, toRegister: 2, alreadyListed: [] });
    const [anita] = await peopleWithMobile(nurse);
    expect(anita).toMatchObject({ name: 'Anita Sharma', priority_group: 'HCW', stage: 'VERIFIED' });
    expect(first.json().registered).toEqual([
      { row: 1, referenceId: anita!.reference_id },
      { row: 2, referenceId: expect.stringMatching(/^\d{14}$/) },
    ]);
    const invite = (await readSms(app, nurse)).find((m) => m.template === 'LISTED_WORKER_INVITED');
    expect(invite?.body).toContain(`ref ${anita!.reference_id}`);
    expect(invite?.status).toBe('SENT');
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'PRIORITY_LIST_IMPORTED')
      .where('actor_id', '=', officer.staffId)
      .execute();
    expect(audit).toEqual([
      { actor_id: officer.staffId, details: expect.objectContaining({ group: 'HCW', registered: 2 }) },
    ]);

    // The same file again: both skipped as already listed, nobody registered twice, no second invitation.
    const again = await upload(officer.token, csv, 'HCW');
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ rows: 2, toRegister: 0, registered: [], alreadyListed: [1, 2] });
    expect(await peopleWithMobile(nurse)).toHaveLength(1);
    expect(await peopleWithMobile(doctor)).toHaveLength(1);
    expect((await readSms(app, nurse)).filter((m) => m.template === 'LISTED_WORKER_INVITED')).toHaveLength(1);

    // The nurse logs in with her mobile (its OTP verifies it) and books in the health workers' phase; a member of
    // the public of the same age is refused until theirs opens.
    const session = await insertSessionDay(db, { district: place });
    const token = await loginBeneficiary(app, nurse, uniqueIp());
    const booked = await book(app, token, anita!.reference_id, session.id);
    expect(booked.statusCode, booked.body).toBe(201);
    expect(await stageOf(db, anita!.reference_id)).toBe('DOSE1_BOOKED');
    const publicToken = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    const neighbour = await registerPerson(app, publicToken, { birthYear: thisYear() - 34 });
    const refused = await book(app, publicToken, neighbour.json().referenceId, session.id);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('PHASE_NOT_OPEN');

    // At the door her group is shown; vaccinated, she is counted as a health worker in the district's daily report.
    const vaccinator = await vaccinatorFor(app, db, session.id, place);
    const { secret_code: secretCode } = await db
      .selectFrom('beneficiary')
      .select('secret_code')
      .where('reference_id', '=', anita!.reference_id)
      .executeTakeFirstOrThrow();
    const door = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: session.id, referenceId: anita!.reference_id, secretCode },
    });
    expect(door.statusCode, door.body).toBe(200);
    expect(door.json().person).toMatchObject({ name: 'Anita Sharma', priorityGroup: 'HCW' });
    const desk = await app.inject({ method: 'GET', url: '/api/v1/desk/today', headers: bearer(vaccinator.token) });
    expect(desk.json().sessions[0].people).toEqual([
      expect.objectContaining({ referenceId: anita!.reference_id, priorityGroup: 'HCW', verified: true }),
    ]);
    const dose = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: bearer(vaccinator.token),
      payload: {
        referenceId: anita!.reference_id,
        secretCode,
        sessionDayId: session.id,
        vaccineCode: 'COVAXIN',
        batch: 'B-1',
      },
    });
    expect(dose.statusCode, dose.body).toBe(201);
    const report = await app.inject({
      method: 'GET',
      url: `/api/v1/reports/district-daily?districtId=${place.districtId}`,
      headers: bearer(stateOfficer.token),
    });
    expect(report.statusCode, report.body).toBe(200);
    const [row] = parse(report.body, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(row).toMatchObject({ dose1_group_hcw: '1', dose1_group_flw: '0', dose1_group_general: '0' });
  });

  it('refuses a bad file whole, with every row its problems, and registers nobody', async () => {
    const { app } = platform;
    const officer = await createActor(platform, 'STATE_OFFICER');
    // Someone already registered themselves with this photo ID.
    const taken = aadhaar();
    const ownToken = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    expect((await registerPerson(app, ownToken, { idNumber: taken })).statusCode).toBe(201);

    const good = uniqueMobile();
    const twice = aadhaar();
    const crowded = uniqueMobile();
    const rows = [
      HEADER,
      `Good Worker,1980,F,${good},1,${aadhaar()},`,
      `First Copy,1985,M,${uniqueMobile()},1,${twice},N`,
      `Second Copy,1985,M,${uniqueMobile()},1,${twice},N`,
      `Already There,1970,F,${uniqueMobile()},1,${taken},N`,
      `Bad Fields,1990,X,12345,1,123412341234,maybe`,
      ...Array.from({ length: 5 }, (_, i) => `Crowded ${'ABCDE'[i]},1990,F,${crowded},1,${aadhaar()},N`),
    ].join('\n');
    const answer = await upload(officer.token, rows, 'FLW');
    expect(answer.statusCode, answer.body).toBe(422);
    expect(answer.json()).toMatchObject({
      code: 'INVALID_ROWS',
      message: '4 rows have problems; nobody was registered',
    });
    const errors = answer.json().errors as Array<{ row: number; column: string; message: string }>;
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'id_number'],
      [4, 'id_number'],
      [5, 'gender'],
      [5, 'mobile'],
      [5, 'id_number'],
      [5, 'comorbidity'],
      [10, 'mobile'],
    ]);
    expect(errors[0]!.message).toBe('the same photo ID is on row 2; one person is listed once');
    expect(errors[1]!.message).toMatch(/^this photo ID is already registered/);
    expect(errors[6]!.message).toBe('a mobile number can register at most 4 people');
    // No row's photo ID number is echoed back.
    expect(answer.body).not.toContain(taken);
    expect(await peopleWithMobile(good)).toEqual([]);
    expect(await peopleWithMobile(crowded)).toEqual([]);

    // A beneficiary or a vaccinator may not upload.
    const vaccinator = await createActor(platform, 'VACCINATOR');
    expect((await upload(vaccinator.token, rows, 'FLW', true)).statusCode).toBe(403);
  });
});
