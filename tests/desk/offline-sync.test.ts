import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indiaDate, indiaInstant } from '../../domain/time.js';
import { insertSessionDay } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { doseAdministeredSignal, workflowIds } from '../../workflows/shared.js';
import { uniqueMobile } from '../support/fixtures.js';
import {
  aadhaar,
  ensureTestVaccine,
  loginBeneficiary,
  registerPerson,
  stageOf,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { createActor, HOME } from '../support/route-matrix.js';
import { bearer, bookedPerson, eventId, todayTimes, walkIn, walkInPerson } from './helpers.js';

let platform: TestPlatform;
let vaccine: string;
beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 864_000 });
  vaccine = await ensureTestVaccine(platform.db);
});
afterAll(() => platform.close());

type Item = Record<string, unknown>;

function sync(token: string, items: Item[], deviceTime = new Date(), deviceId = 'desk-tablet-01') {
  return platform.app.inject({
    method: 'POST',
    url: '/api/v1/desk/sync',
    headers: bearer(token),
    payload: { deviceId, deviceTime: deviceTime.toISOString(), items },
  });
}

function doseItem(
  person: { referenceId: string; secretCode: string },
  sessionDayId: string,
  administeredAt: Date,
  extra: Item = {},
): Item {
  return {
    kind: 'DOSE',
    clientEventId: eventId(),
    administeredAt: administeredAt.toISOString(),
    referenceId: person.referenceId,
    secretCode: person.secretCode,
    sessionDayId,
    vaccineCode: vaccine,
    batch: 'OFF-001',
    ...extra,
  };
}

/** What the batch left in the database: replays must leave every count where it was. */
async function footprint(sessionDayId: string, referenceIds: string[]) {
  const { db } = platform;
  const count = async (query: { execute(): Promise<unknown[]> }) => (await query.execute()).length;
  const doseIds = (await db.selectFrom('dose').select('id').where('session_day_id', '=', sessionDayId).execute()).map(
    (d) => d.id,
  );
  return {
    doses: doseIds.length,
    aefi: doseIds.length ? await count(db.selectFrom('aefi_report').select('id').where('dose_id', 'in', doseIds)) : 0,
    doseAudits: doseIds.length
      ? await count(
          db
            .selectFrom('audit_log')
            .select('id')
            .where('action', '=', 'DOSE_RECORDED')
            .where('entity_id', 'in', doseIds),
        )
      : 0,
    signals: await count(
      db
        .selectFrom('workflow_outbox')
        .select('id')
        .where('signal_name', '=', doseAdministeredSignal.name)
        .where('workflow_id', 'in', referenceIds.map(workflowIds.journey)),
    ),
    walkinUsed: (
      await db.selectFrom('session_day').select('walkin_used').where('id', '=', sessionDayId).executeTakeFirstOrThrow()
    ).walkin_used,
  };
}

describe('offline sync', () => {
  it('stores a batch in the order things happened, answers duplicates and conflicts per item, moves each journey, and a replayed batch stores nothing twice', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine, walkin: 5 });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const booked = await bookedPerson(app, session.id);
    const walkedIn = await walkIn(app, vaccinator.token, session.id);
    const intruder = await walkIn(app, vaccinator.token, session.id);
    const [t1, t2, t3, t4] = todayTimes(4);

    const bookedDose = doseItem(booked, session.id, t3);
    const walkInDose = doseItem(walkedIn, session.id, t1);
    // Listed before its dose but timed after it: processed after it because items go in time order.
    const aefi = {
      kind: 'AEFI',
      clientEventId: eventId(),
      reportedAt: t2.toISOString(),
      doseClientEventId: walkInDose.clientEventId,
      severity: 'MINOR',
      symptoms: ['DIZZINESS'],
    };
    const items = [
      bookedDose,
      aefi,
      walkInDose,
      { ...bookedDose }, // the same event twice in one batch
      doseItem(intruder, session.id, t4, { clientEventId: bookedDose.clientEventId }), // another person under a used id
    ];

    const first = await sync(vaccinator.token, items);
    expect(first.statusCode, first.body).toBe(200);
    const outcome = first.json();
    expect(
      outcome.results.map((r: { index: number; outcome: string; code?: string }) => [
        r.index,
        r.outcome,
        r.code ?? null,
      ]),
    ).toEqual([
      [0, 'accepted', null],
      [1, 'accepted', null],
      [2, 'accepted', null],
      [3, 'duplicate', null],
      [4, 'rejected', 'CLIENT_EVENT_CONFLICT'],
    ]);
    expect(outcome).toMatchObject({ accepted: 3, duplicates: 1, rejected: 1, clockSkewWithinTolerance: true });
    expect(outcome.results[1].aefi).toMatchObject({ referenceId: walkedIn.referenceId, duringObservation: true });
    expect(outcome.results[3].dose.doseId).toBe(outcome.results[0].dose.doseId);
    expect(outcome.results[4].message).toContain('another person');

    const stored = await db
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .select(['beneficiary.reference_id', 'dose.source', 'dose.vaccinator_id'])
      .where('dose.session_day_id', '=', session.id)
      .orderBy('dose.administered_at')
      .execute();
    expect(stored).toEqual([
      { reference_id: walkedIn.referenceId, source: 'OFFLINE', vaccinator_id: vaccinator.staffId },
      { reference_id: booked.referenceId, source: 'OFFLINE', vaccinator_id: vaccinator.staffId },
    ]);
    for (const person of [booked, walkedIn]) {
      await waitFor(
        async () => (await stageOf(db, person.referenceId)) === 'DOSE1_DONE',
        `${person.referenceId} DOSE1_DONE`,
      );
    }
    const batchAudit = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'source'])
      .where('action', '=', 'OFFLINE_BATCH_SYNCED')
      .where('entity_id', '=', 'desk-tablet-01')
      .where('actor_id', '=', vaccinator.staffId)
      .execute();
    expect(batchAudit).toEqual([{ actor_id: vaccinator.staffId, source: 'OFFLINE' }]);

    // The client timed out and sends the same batch again (with a later device clock): nothing is stored twice.
    const journeys = [booked.referenceId, walkedIn.referenceId, intruder.referenceId];
    const before = await footprint(session.id, journeys);
    expect(before).toMatchObject({ doses: 2, aefi: 1, doseAudits: 2, signals: 2, walkinUsed: 1 });
    const again = await sync(vaccinator.token, items, new Date());
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().results.map((r: { outcome: string; code?: string }) => [r.outcome, r.code ?? null])).toEqual([
      ['duplicate', null],
      ['duplicate', null],
      ['duplicate', null],
      ['duplicate', null],
      ['rejected', 'CLIENT_EVENT_CONFLICT'],
    ]);
    expect(again.json().results[0].dose.doseId).toBe(outcome.results[0].dose.doseId);
    expect(await footprint(session.id, journeys)).toEqual(before);
  });

  it('registers a walk-in registered with no network and stores the dose given to them, once, however often the batch is resent', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine, walkin: 5 });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const [t1, t2, t3] = todayTimes(3);
    const person = walkInPerson({ name: 'Sunita Offline' });
    const registration = {
      kind: 'WALKIN',
      clientEventId: eventId(),
      registeredAt: t1.toISOString(),
      sessionDayId: session.id,
      mobile: uniqueMobile(),
      person,
    };
    const dose = {
      kind: 'DOSE',
      clientEventId: eventId(),
      administeredAt: t2.toISOString(),
      walkInClientEventId: registration.clientEventId,
      sessionDayId: session.id,
      vaccineCode: vaccine,
      batch: 'OFF-WALK',
    };
    // A dose naming a registration this server never stored, and one naming both a person and a registration.
    const orphan = {
      ...dose,
      clientEventId: eventId(),
      walkInClientEventId: eventId(),
      administeredAt: t3.toISOString(),
    };
    const both = { ...dose, clientEventId: eventId(), referenceId: '12345678901234' };
    // Listed dose first: items go in the order they happened, so the registration is stored before its dose.
    const items = [dose, registration, orphan, both];

    const first = await sync(vaccinator.token, items);
    expect(first.statusCode, first.body).toBe(200);
    const results = first.json().results as Array<{ outcome: string; code?: string; walkIn?: { referenceId: string } }>;
    expect(results.map((r) => [r.outcome, r.code ?? null])).toEqual([
      ['accepted', null],
      ['accepted', null],
      ['rejected', 'WALKIN_NOT_REGISTERED'],
      ['rejected', 'INVALID_ITEM'],
    ]);
    const referenceId = results[1]!.walkIn!.referenceId;
    expect(referenceId).toMatch(/^\d{14}$/);
    expect(results[1]).not.toHaveProperty('walkIn.secretCode');

    // The person, their identity check (the photo ID, when it was seen on the device) and their dose.
    const stored = await db
      .selectFrom('beneficiary')
      .innerJoin('dose', 'dose.beneficiary_id', 'beneficiary.id')
      .innerJoin('verification_check', 'verification_check.id', 'dose.verification_id')
      .select([
        'beneficiary.name',
        'dose.source',
        'dose.session_day_id',
        'verification_check.method',
        'verification_check.verified_at',
      ])
      .where('beneficiary.reference_id', '=', referenceId)
      .execute();
    expect(stored).toEqual([
      {
        name: 'Sunita Offline',
        source: 'OFFLINE',
        session_day_id: session.id,
        method: 'PHOTO_ID',
        verified_at: expect.any(Date),
      },
    ]);
    expect(Math.abs(stored[0]!.verified_at.getTime() - t1.getTime())).toBeLessThan(60_000);
    await waitFor(async () => (await stageOf(db, referenceId)) === 'DOSE1_DONE', `${referenceId} DOSE1_DONE`);
    const registeredAudit = await db
      .selectFrom('audit_log')
      .select(['source', 'actor_id'])
      .where('action', '=', 'BENEFICIARY_REGISTERED')
      .where('details', '@>', JSON.stringify({ referenceId }))
      .execute();
    expect(registeredAudit).toEqual([{ source: 'OFFLINE', actor_id: vaccinator.staffId }]);

    // Sent again (the answer was lost): nobody registered twice, no second dose, the seat counted once.
    const before = await footprint(session.id, [referenceId]);
    expect(before).toMatchObject({ doses: 1, signals: 1, walkinUsed: 1 });
    const again = await sync(vaccinator.token, [registration, dose]);
    expect(again.json().results.map((r: { outcome: string; walkIn?: { referenceId: string } }) => r.outcome)).toEqual([
      'duplicate',
      'duplicate',
    ]);
    expect(again.json().results[0].walkIn.referenceId).toBe(referenceId);
    expect(await footprint(session.id, [referenceId])).toEqual(before);
    const people = await db
      .selectFrom('beneficiary')
      .select('reference_id')
      .where('name', '=', 'Sunita Offline')
      .where('id_last4', '=', person.idNumber.slice(-4))
      .execute();
    expect(people).toEqual([{ reference_id: referenceId }]);

    // The same photo ID brought by another phone's walk-in is the same person; the dose that phone also recorded
    // at this session is the one already stored, so it is refused and nothing is stored twice.
    const twin = { ...registration, clientEventId: eventId(), mobile: uniqueMobile() };
    const twinDose = { ...dose, clientEventId: eventId(), walkInClientEventId: twin.clientEventId };
    const refused = await sync(vaccinator.token, [twin, twinDose], new Date(), 'desk-tablet-02');
    expect(refused.json().results.map((r: { outcome: string; code?: string }) => [r.outcome, r.code ?? null])).toEqual([
      ['accepted', null],
      ['rejected', 'DOSE_ALREADY_RECORDED'],
    ]);
    expect(refused.json().results[0].walkIn).toEqual({
      referenceId,
      duplicate: false,
      matchedRegistration: { differs: [], disputeId: null },
    });
    expect(await footprint(session.id, [referenceId])).toEqual(before);
  });

  it('stores the dose of a walk-in registered offline whose photo ID was registered online meanwhile against that person, once, and opens a dispute for an officer when the offered name differs', async () => {
    const { app, db, config } = platform;
    const session = await insertSessionDay(db, { vaccine, walkin: 5 });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const [t1, t2] = todayTimes(2);
    // Registered on the portal while the desk had no network.
    const idNumber = aadhaar();
    const portal = await loginBeneficiary(app, uniqueMobile());
    const online = await registerPerson(app, portal, { name: 'Meera Joshi', birthYear: 1985, gender: 'F', idNumber });
    expect(online.statusCode, online.body).toBe(201);
    const referenceId = online.json().referenceId as string;

    // The desk registered her as a walk-in with her name spelt otherwise, and vaccinated her.
    const registration = {
      kind: 'WALKIN',
      clientEventId: eventId(),
      registeredAt: t1.toISOString(),
      sessionDayId: session.id,
      mobile: uniqueMobile(),
      person: walkInPerson({ name: 'Mira Joshi', birthYear: 1985, gender: 'F', idNumber }),
    };
    const dose = {
      kind: 'DOSE',
      clientEventId: eventId(),
      administeredAt: t2.toISOString(),
      walkInClientEventId: registration.clientEventId,
      sessionDayId: session.id,
      vaccineCode: vaccine,
      batch: 'OFF-WALK',
    };
    const synced = await sync(vaccinator.token, [registration, dose]);
    expect(synced.statusCode, synced.body).toBe(200);
    const [walkInResult, doseResult] = synced.json().results;
    expect([walkInResult.outcome, doseResult.outcome]).toEqual(['accepted', 'accepted']);
    expect(walkInResult.walkIn).toMatchObject({
      referenceId,
      duplicate: false,
      matchedRegistration: { differs: ['name'], disputeId: expect.any(String) },
    });
    expect(doseResult.dose).toMatchObject({ referenceId, dose: 1 });

    // One person holds the photo ID, with the dose and its check at the door (the photo ID, seen on the device).
    const people = await db
      .selectFrom('beneficiary')
      .select(['reference_id', 'name'])
      .where('name', 'in', ['Meera Joshi', 'Mira Joshi'])
      .where('id_last4', '=', idNumber.slice(-4))
      .execute();
    expect(people).toEqual([{ reference_id: referenceId, name: 'Meera Joshi' }]);
    const stored = await db
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .innerJoin('verification_check', 'verification_check.id', 'dose.verification_id')
      .select(['beneficiary.reference_id', 'dose.source', 'verification_check.method'])
      .where('dose.session_day_id', '=', session.id)
      .execute();
    expect(stored).toEqual([{ reference_id: referenceId, source: 'OFFLINE', method: 'PHOTO_ID' }]);
    // Her journey hears of the dose as usual.
    await waitFor(async () => (await stageOf(db, referenceId)) === 'DOSE1_DONE', `${referenceId} DOSE1_DONE`);

    // The district officer sees the dispute: the walk-in's offered details next to the registration holding the ID.
    const officer = await createActor({ app, db, config }, 'DISTRICT_OFFICER', HOME);
    const listed = await app.inject({
      method: 'GET',
      url: `/api/v1/identity-disputes?districtId=${HOME.districtId}`,
      headers: bearer(officer.token),
    });
    expect(listed.statusCode, listed.body).toBe(200);
    const dispute = listed
      .json()
      .disputes.find((d: { disputeId: string }) => d.disputeId === walkInResult.walkIn.matchedRegistration.disputeId);
    expect(dispute).toMatchObject({
      status: 'OPEN',
      claimant: { name: 'Mira Joshi', birthYear: 1985, gender: 'F' },
      holder: { referenceId, name: 'Meera Joshi', birthYear: 1985, doses: 1 },
    });
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'source', 'details'])
      .where('action', 'in', ['OFFLINE_WALKIN_MATCHED_REGISTRATION', 'IDENTITY_DISPUTE_OPENED'])
      .where('details', '@>', JSON.stringify({ clientEventId: registration.clientEventId }))
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({ action: 'IDENTITY_DISPUTE_OPENED', actor_id: vaccinator.staffId, source: 'OFFLINE' }),
      expect.objectContaining({
        action: 'OFFLINE_WALKIN_MATCHED_REGISTRATION',
        actor_id: vaccinator.staffId,
        details: expect.objectContaining({ referenceId, differs: ['name'], mobileDiffers: true }),
      }),
    ]);

    // Sent again: nothing stored twice, no second dispute.
    const before = await footprint(session.id, [referenceId]);
    expect(before).toMatchObject({ doses: 1, signals: 1 });
    const again = await sync(vaccinator.token, [registration, dose]);
    expect(again.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(again.json().results[0].walkIn.referenceId).toBe(referenceId);
    expect(await footprint(session.id, [referenceId])).toEqual(before);
    const disputes = await db
      .selectFrom('identity_dispute')
      .innerJoin('beneficiary', 'beneficiary.id', 'identity_dispute.holder_beneficiary_id')
      .select('identity_dispute.id')
      .where('beneficiary.reference_id', '=', referenceId)
      .execute();
    expect(disputes).toHaveLength(1);
  });

  it('stores the dose of a walk-in whose photo ID another offline desk registered and synced first against that registration, with no dispute when the details agree', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine, walkin: 5 });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const [t1, t2, t3] = todayTimes(3);
    const person = walkInPerson({ name: 'Anil  Deshmukh' });
    // Desk B registered him and he left its queue; desk A registered him again and vaccinated him.
    const atDeskB = {
      kind: 'WALKIN',
      clientEventId: eventId(),
      registeredAt: t1.toISOString(),
      sessionDayId: session.id,
      mobile: uniqueMobile(),
      person,
    };
    const atDeskA = { ...atDeskB, clientEventId: eventId(), registeredAt: t2.toISOString(), mobile: uniqueMobile() };
    const dose = {
      kind: 'DOSE',
      clientEventId: eventId(),
      administeredAt: t3.toISOString(),
      walkInClientEventId: atDeskA.clientEventId,
      sessionDayId: session.id,
      vaccineCode: vaccine,
      batch: 'OFF-WALK',
    };
    const fromB = await sync(vaccinator.token, [atDeskB], new Date(), 'desk-tablet-b');
    expect(fromB.json().results[0].outcome).toBe('accepted');
    const referenceId = fromB.json().results[0].walkIn.referenceId as string;

    // Desk A's walk-in typed the name with one space: the same person key, nothing to dispute.
    const fromA = await sync(
      vaccinator.token,
      [{ ...atDeskA, person: { ...person, name: 'Anil Deshmukh' } }, dose],
      new Date(),
      'desk-tablet-a',
    );
    expect(fromA.statusCode, fromA.body).toBe(200);
    expect(fromA.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['accepted', 'accepted']);
    expect(fromA.json().results[0].walkIn).toEqual({
      referenceId,
      duplicate: false,
      matchedRegistration: { differs: [], disputeId: null },
    });
    expect(fromA.json().results[1].dose).toMatchObject({ referenceId, dose: 1 });
    await waitFor(async () => (await stageOf(db, referenceId)) === 'DOSE1_DONE', `${referenceId} DOSE1_DONE`);
    expect(await footprint(session.id, [referenceId])).toMatchObject({ doses: 1, signals: 1 });
    const people = await db
      .selectFrom('beneficiary')
      .select('reference_id')
      .where('id_last4', '=', person.idNumber.slice(-4))
      .where('birth_year', '=', person.birthYear)
      .execute();
    expect(people).toEqual([{ reference_id: referenceId }]);
    // Each desk's registration is the person's check at its door.
    const registrations = await db
      .selectFrom('walkin_registration')
      .innerJoin('beneficiary', 'beneficiary.id', 'walkin_registration.beneficiary_id')
      .select(['walkin_registration.client_event_id', 'beneficiary.reference_id'])
      .where('walkin_registration.session_day_id', '=', session.id)
      .orderBy('walkin_registration.registered_at')
      .execute();
    expect(registrations).toEqual([
      { client_event_id: atDeskB.clientEventId, reference_id: referenceId },
      { client_event_id: atDeskA.clientEventId, reference_id: referenceId },
    ]);
    const disputes = await db
      .selectFrom('identity_dispute')
      .innerJoin('beneficiary', 'beneficiary.id', 'identity_dispute.holder_beneficiary_id')
      .select('identity_dispute.id')
      .where('beneficiary.reference_id', '=', referenceId)
      .execute();
    expect(disputes).toEqual([]);
  });

  it('stores a dose given with no network even when the walk-in quota was used up meanwhile, beyond the quota and audited; online the quota still refuses', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine, walkin: 1 });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const [first, second, third] = [
      await walkIn(app, vaccinator.token, session.id),
      await walkIn(app, vaccinator.token, session.id),
      await walkIn(app, vaccinator.token, session.id),
    ];
    const [t1, t2] = todayTimes(2);
    const items = [doseItem(first, session.id, t1), doseItem(second, session.id, t2)];

    const synced = await sync(vaccinator.token, items);
    expect(synced.statusCode, synced.body).toBe(200);
    expect(synced.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['accepted', 'accepted']);
    const doses = await db
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .select(['beneficiary.reference_id', 'dose.id'])
      .where('dose.session_day_id', '=', session.id)
      .execute();
    expect(doses.map((d) => d.reference_id).sort()).toEqual([first.referenceId, second.referenceId].sort());
    const secondDose = doses.find((d) => d.reference_id === second.referenceId)!;
    const beyond = await db
      .selectFrom('audit_log')
      .select(['entity_id', 'source', 'actor_id'])
      .where('action', '=', 'WALKIN_BEYOND_QUOTA')
      .where('details', '@>', JSON.stringify({ sessionDayId: session.id }))
      .execute();
    expect(beyond).toEqual([{ entity_id: secondDose.id, source: 'OFFLINE', actor_id: vaccinator.staffId }]);
    const before = await footprint(session.id, [first.referenceId, second.referenceId]);
    expect(before).toMatchObject({ doses: 2, walkinUsed: 1 });

    // Sent again: nothing stored twice, nothing audited twice.
    const again = await sync(vaccinator.token, items);
    expect(again.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(await footprint(session.id, [first.referenceId, second.referenceId])).toEqual(before);
    const beyondAfter = await db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'WALKIN_BEYOND_QUOTA')
      .where('details', '@>', JSON.stringify({ sessionDayId: session.id }))
      .execute();
    expect(beyondAfter).toHaveLength(1);

    // Online, the desk asks before it vaccinates: no walk-in seat, no dose.
    const online = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: bearer(vaccinator.token),
      payload: {
        referenceId: third.referenceId,
        secretCode: third.secretCode,
        sessionDayId: session.id,
        vaccineCode: vaccine,
        batch: 'OFF-001',
        clientEventId: eventId(),
      },
    });
    expect(online.statusCode, online.body).toBe(409);
    expect(online.json()).toMatchObject({ code: 'WALKIN_QUOTA_FULL' });
  });

  it('stores the good items of a partly failing batch and says why each bad one was rejected', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine, walkin: 5 });
    const notMine = await insertSessionDay(db, { vaccine, walkin: 5 });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const good = await walkIn(app, vaccinator.token, session.id);
    const wrongCode = await walkIn(app, vaccinator.token, session.id);
    const [t1, t2, t3, t4] = todayTimes(4);

    const response = await sync(vaccinator.token, [
      doseItem(wrongCode, session.id, t1, { secretCode: wrongCode.secretCode === '0000' ? '0001' : '0000' }),
      doseItem(good, session.id, t2),
      doseItem(good, notMine.id, t3),
      { ...doseItem(good, session.id, t4), batch: '<script>' },
      {
        kind: 'DOSE',
        clientEventId: eventId(),
        administeredAt: t4.toISOString(),
        referenceId: good.referenceId,
        sessionDayId: session.id,
        vaccineCode: vaccine,
        batch: 'OFF-002',
      },
      { kind: 'VACCINE_WASTED', clientEventId: eventId() },
      {
        kind: 'AEFI',
        clientEventId: eventId(),
        reportedAt: t4.toISOString(),
        doseClientEventId: 'ev-never-synced',
        severity: 'MINOR',
        symptoms: ['RASH'],
      },
      doseItem(good, session.id, t4), // a second dose for the same person at the same session, under a new id
    ]);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().results.map((r: { outcome: string; code?: string }) => [r.outcome, r.code ?? null])).toEqual(
      [
        ['rejected', 'SECRET_CODE_MISMATCH'],
        ['accepted', null],
        ['rejected', 'FORBIDDEN'],
        ['rejected', 'INVALID_ITEM'],
        ['rejected', 'IDENTITY_PROOF_REQUIRED'],
        ['rejected', 'INVALID_ITEM'],
        ['rejected', 'DOSE_NOT_FOUND'],
        ['rejected', 'DOSE_ALREADY_RECORDED'],
      ],
    );
    for (const result of response.json().results) expect(result.retryable).toBeUndefined();
    const stored = await db
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .select('beneficiary.reference_id')
      .where('dose.session_day_id', 'in', [session.id, notMine.id])
      .execute();
    expect(stored).toEqual([{ reference_id: good.referenceId }]);
    await waitFor(async () => (await stageOf(db, good.referenceId)) === 'DOSE1_DONE', 'DOSE1_DONE');
  });

  it('corrects item times by the batch clock skew, tolerates and records a small skew, and rejects future and implausibly old times', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine, walkin: 10 });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await walkIn(app, vaccinator.token, session.id));
    const [early, late] = todayTimes(2);

    // The device clock runs 2 minutes behind the server's.
    const skew = 2 * 60_000;
    const deviceNow = new Date(Date.now() - skew);
    const onDevice = (at: Date) => new Date(at.getTime() - skew);
    const yesterdayEvening = indiaInstant(indiaDate(new Date(Date.now() - 86_400_000)), '20:00');
    const items = [
      doseItem(people[0], session.id, onDevice(late)),
      doseItem(people[1], session.id, new Date(deviceNow.getTime() + 15 * 60_000)), // 15 minutes in the future
      doseItem(people[2], session.id, new Date(deviceNow.getTime() - 8 * 86_400_000)), // 8 days ago
      doseItem(people[3], session.id, onDevice(yesterdayEvening)), // before the session day
      doseItem(people[4], session.id, onDevice(early)),
    ];
    const response = await sync(vaccinator.token, items, deviceNow);
    expect(response.statusCode, response.body).toBe(200);
    const outcome = response.json();
    expect(outcome.results.map((r: { outcome: string; code?: string }) => [r.outcome, r.code ?? null])).toEqual([
      ['accepted', null],
      ['rejected', 'CLOCK_IN_FUTURE'],
      ['rejected', 'CLOCK_TOO_OLD'],
      ['rejected', 'CLOCK_BEFORE_SESSION_DAY'],
      ['accepted', null],
    ]);
    expect(outcome.clockSkewWithinTolerance).toBe(true);
    // The server stamps receipt from its own request timer: allow a few ms of rounding either side.
    expect(outcome.clockSkewMs).toBeGreaterThanOrEqual(skew - 50);
    expect(outcome.clockSkewMs).toBeLessThan(skew + 30_000);

    const stored = await db
      .selectFrom('dose')
      .select(['client_event_id', 'administered_at', 'clock_skew_ms', 'source'])
      .where('session_day_id', '=', session.id)
      .orderBy('administered_at')
      .execute();
    expect(stored).toHaveLength(2);
    for (const dose of stored) {
      expect(dose.clock_skew_ms).toBe(outcome.clockSkewMs);
      expect(dose.source).toBe('OFFLINE');
    }
    // Stored on the server clock: the device reading plus the batch skew.
    const deviceReading = (id: string) =>
      Date.parse(items.find((item) => item.clientEventId === id)!.administeredAt as string);
    expect(stored.map((d) => d.administered_at.getTime())).toEqual(
      stored.map((d) => deviceReading(d.client_event_id) + outcome.clockSkewMs),
    );
    expect(Math.abs(stored[0].administered_at.getTime() - early.getTime())).toBeLessThan(30_000);
    expect(Math.abs(stored[1].administered_at.getTime() - late.getTime())).toBeLessThan(30_000);

    // A device whose clock is days off cannot be trusted to have kept time while offline.
    const lost = await sync(
      vaccinator.token,
      [doseItem(people[1], session.id, new Date(Date.now() - 10 * 86_400_000))],
      new Date(Date.now() - 10 * 86_400_000),
    );
    expect(lost.json()).toMatchObject({
      clockSkewWithinTolerance: false,
      rejected: 1,
      results: [{ code: 'CLOCK_UNRELIABLE' }],
    });
  });

  it('refuses a batch of more than 500 items as a whole', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const response = await sync(
      vaccinator.token,
      Array.from({ length: 501 }, () => ({ kind: 'DOSE' })),
    );
    expect(response.statusCode).toBe(400);
  });
});
