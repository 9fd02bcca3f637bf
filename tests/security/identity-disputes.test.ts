/**
 * Someone registers another person's Aadhaar first: the holder is refused everywhere (409). A district officer,
 * shown the ID, records the claim, sees the registration holding it, and releases it (audited); the holder then
 * registers. A registration with a dose is not released; an officer of another district cannot act.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDose } from '../../api/services/doses.js';
import { createActor, DELHI, HOME, panNumber } from '../support/route-matrix.js';
import { insertSessionDay, uniqueMobile } from '../support/fixtures.js';
import {
  aadhaar,
  bearer,
  book,
  loginBeneficiary,
  registerPerson,
  uniqueIp,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

describe('a squatted photo ID', () => {
  it('is released by a district officer after a dispute, audited, and its holder can then register', async () => {
    const { app, db, config } = platform;
    const env = { app, db, config };
    const idNumber = aadhaar();
    const squatter = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    expect((await registerPerson(app, squatter, { idNumber, name: 'Impostor Name', birthYear: 1992 })).statusCode).toBe(
      201,
    );
    const holderToken = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    const refused = await registerPerson(app, holderToken, { idNumber, name: 'Sunita Patil', birthYear: 1975 });
    expect(refused.statusCode).toBe(409);

    const officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
    const opened = await app.inject({
      method: 'POST',
      url: '/api/v1/identity-disputes',
      headers: bearer(officer.token),
      payload: {
        districtId: HOME.districtId,
        idType: 1,
        idNumber,
        claimant: { name: 'Sunita Patil', birthYear: 1975, gender: 'F', mobile: uniqueMobile() },
      },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const dispute = opened.json();
    // Enough to see the mismatch: the registration's name, year of birth, ID type and last 4.
    expect(dispute).toMatchObject({
      status: 'OPEN',
      holder: {
        name: 'Impostor Name',
        birthYear: 1992,
        idType: 1,
        idNumberMasked: `XXXXXXXX${idNumber.slice(-4)}`,
        doses: 0,
      },
    });
    expect(dispute.holder.mobileMasked).toMatch(/^\*{6}\d{4}$/);

    // An officer of another district can neither see nor decide it.
    const elsewhere = await createActor(env, 'DISTRICT_OFFICER', DELHI);
    const foreign = await app.inject({
      method: 'POST',
      url: `/api/v1/identity-disputes/${dispute.disputeId}/release`,
      headers: bearer(elsewhere.token),
      payload: { reason: 'not mine to decide' },
    });
    expect(foreign.statusCode).toBe(403);

    const released = await app.inject({
      method: 'POST',
      url: `/api/v1/identity-disputes/${dispute.disputeId}/release`,
      headers: bearer(officer.token),
      payload: { reason: 'Aadhaar card seen; the registration used another person’s name' },
    });
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json().status).toBe('RELEASED');
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', dispute.disputeId)
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'IDENTITY_DISPUTE_OPENED', actor_id: officer.staffId },
      { action: 'IDENTITY_RELEASED', actor_id: officer.staffId },
    ]);

    // The holder registers now (the withdrawal goes through the squatter's journey).
    await waitFor(
      async () =>
        (await registerPerson(app, holderToken, { idNumber, name: 'Sunita Patil', birthYear: 1975 })).statusCode ===
        201,
      'the holder to register their own ID',
      20_000,
    );
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/identity-disputes/${dispute.disputeId}/reject`,
      headers: bearer(officer.token),
      payload: { reason: 'second thoughts' },
    });
    expect(again.statusCode).toBe(409);
  });
});

describe('one person registered under two photo-ID types', () => {
  it('is flagged: the door check shows the first registration and its dose, and an officer reviews the pair', async () => {
    const { app, db, config } = platform;
    const letters = () =>
      Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
    const person = { name: `Kavita ${letters()}`, birthYear: 1980, gender: 'F' };
    const day = await insertSessionDay(db, { district: HOME });
    const vaccinator = await vaccinatorFor(app, db, day.id, HOME);

    // The first course, under Aadhaar.
    const firstToken = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    const first = await registerPerson(app, firstToken, { ...person, idType: 1, idNumber: aadhaar() });
    expect(first.statusCode, first.body).toBe(201);
    expect((await book(app, firstToken, first.json().referenceId, day.id)).statusCode).toBe(201);
    await storeDose(
      db,
      { type: 'STAFF', id: vaccinator.staffId, role: 'VACCINATOR' },
      {
        referenceId: first.json().referenceId,
        secretCode: first.json().secretCode,
        sessionDayId: day.id,
        vaccineCode: 'COVAXIN',
        batch: 'DUP-1',
        source: 'ONLINE',
      },
    );

    // The same person again, from another mobile, under PAN: registered (namesakes exist), but flagged.
    const secondToken = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    const second = await registerPerson(app, secondToken, { ...person, idType: 6, idNumber: panNumber() });
    expect(second.statusCode, second.body).toBe(201);
    // A namesake born in another year is not flagged.
    const namesake = await registerPerson(app, secondToken, {
      ...person,
      birthYear: 1990,
      idType: 6,
      idNumber: panNumber(),
    });
    expect(namesake.statusCode, namesake.body).toBe(201);
    expect((await book(app, secondToken, second.json().referenceId, day.id)).statusCode).toBe(201);

    const door = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: day.id, referenceId: second.json().referenceId, secretCode: second.json().secretCode },
    });
    expect(door.statusCode, door.body).toBe(200);
    expect(door.json().otherRegistrations).toEqual([
      expect.objectContaining({ referenceId: first.json().referenceId, idType: 1, doses: 1, outcome: null }),
    ]);

    const officer = await createActor({ app, db, config }, 'DISTRICT_OFFICER', HOME);
    const listed = await app.inject({
      method: 'GET',
      url: `/api/v1/duplicate-person-hints?districtId=${HOME.districtId}`,
      headers: bearer(officer.token),
    });
    expect(listed.statusCode, listed.body).toBe(200);
    const mine = listed.json().hints.filter((h: any) => h.other.referenceId === first.json().referenceId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      outcome: null,
      registration: { referenceId: second.json().referenceId, idType: 6, doses: 0 },
      other: { referenceId: first.json().referenceId, idType: 1, doses: 1, name: person.name, birthYear: 1980 },
    });

    const elsewhere = await createActor({ app, db, config }, 'DISTRICT_OFFICER', DELHI);
    const foreign = await app.inject({
      method: 'POST',
      url: `/api/v1/duplicate-person-hints/${mine[0].hintId}/review`,
      headers: bearer(elsewhere.token),
      payload: { outcome: 'DIFFERENT_PEOPLE', reason: 'not mine to decide' },
    });
    expect(foreign.statusCode).toBe(403);
    const reviewed = await app.inject({
      method: 'POST',
      url: `/api/v1/duplicate-person-hints/${mine[0].hintId}/review`,
      headers: bearer(officer.token),
      payload: { outcome: 'SAME_PERSON', reason: 'the same person, seen with both cards' },
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json().outcome).toBe('SAME_PERSON');
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', mine[0].hintId)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['DUPLICATE_PERSON_FLAGGED', 'DUPLICATE_PERSON_REVIEWED']);
    expect(audit[1]!.actor_id).toBe(officer.staffId);
  });
});
