/**
 * A state's eligibility phases as people meet them: an officer sets them (audited), a booking, a reschedule, the
 * desk's walk-in, an offline walk-in at sync and a Co-WIN partner app are all refused for a person no opened phase
 * covers, and a phase opens on its date (the session's date: a session the day before is refused, one on the day
 * taken). Each test works in a state of its own, so no other file's bookings meet these phases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eligibilityRefusal, phaseRefusal } from '../../domain/booking-rules.js';
import type { EligibilityPhase } from '../../domain/priority-groups.js';
import { slotLabel } from '../../domain/slots.js';
import { addDays, indiaDate } from '../../domain/time.js';
import { cowinClient, cowinLogin } from '../cowin/client.js';
import { eventId, walkInPerson } from '../desk/helpers.js';
import { insertSessionDay, insertTestState, uniqueMobile, type District } from '../support/fixtures.js';
import {
  bearer,
  book,
  loginBeneficiary,
  registerPerson,
  seatsOf,
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

const today = () => indiaDate();
const year = (date: string) => Number(date.slice(0, 4));

/** Listed workers first (long open), 45+ with comorbidities from today, 60+ in 3 days, everyone 18+ in 6. */
function drive(): EligibilityPhase[] {
  return [
    { name: 'Phase 1', opensOn: addDays(today(), -30), groups: ['HCW', 'FLW'], minAge: 18, maxAge: null },
    { name: 'Phase 2b', opensOn: today(), groups: ['COMORBID'], minAge: 45, maxAge: null },
    { name: 'Phase 2', opensOn: addDays(today(), 3), groups: ['GENERAL'], minAge: 60, maxAge: null },
    { name: 'Phase 3', opensOn: addDays(today(), 6), groups: ['GENERAL'], minAge: 18, maxAge: null },
  ];
}

async function stateWithPhases(
  phases = drive(),
): Promise<{ place: District; officer: { token: string; staffId: string } }> {
  const place = await insertTestState(platform.db);
  const officer = await createActor(platform, 'STATE_OFFICER', place);
  const saved = await platform.app.inject({
    method: 'PUT',
    url: `/api/v1/states/${place.stateId}/eligibility-phases`,
    headers: bearer(officer.token),
    payload: { phases: phases.map(({ maxAge, ...p }) => (maxAge === null ? p : { ...p, maxAge })) },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  return { place, officer };
}

/** A verified person of the given age this year, logged in on their own mobile. */
async function personAged(age: number, extra: { comorbidity?: boolean } = {}) {
  const mobile = uniqueMobile();
  const token = await loginBeneficiary(platform.app, mobile, uniqueIp());
  const registered = await registerPerson(platform.app, token, { birthYear: year(today()) - age, ...extra });
  expect(registered.statusCode, registered.body).toBe(201);
  return { mobile, token, referenceId: registered.json().referenceId as string };
}

describe('the rule', () => {
  const phases = drive();
  const day = (date: string) => ({ date, minAge: 18, maxAge: null, phases });
  const publicAged = (age: number, date: string) => ({
    birthYear: year(date) - age,
    priorityGroup: null,
    comorbidity: false,
  });

  it('opens a phase on its date, for the groups and ages it names', () => {
    const opens = addDays(today(), 6);
    expect(phaseRefusal(day(addDays(opens, -1)), publicAged(30, opens))).toMatchObject({
      code: 'PHASE_NOT_OPEN',
      details: { opensOn: opens, phase: 'Phase 3' },
    });
    expect(phaseRefusal(day(opens), publicAged(30, opens))).toBeUndefined();
    // A listed worker is covered by their own phase, long open; a declared comorbidity at 45+ from today.
    const worker = { birthYear: year(today()) - 30, priorityGroup: 'HCW' as const, comorbidity: false };
    expect(phaseRefusal(day(today()), worker)).toBeUndefined();
    const comorbid = { birthYear: year(today()) - 50, priorityGroup: null, comorbidity: true };
    expect(phaseRefusal(day(today()), comorbid)).toBeUndefined();
    expect(phaseRefusal(day(addDays(today(), -1)), comorbid)?.code).toBe('PHASE_NOT_OPEN');
    // No phase covers a 12-year-old at all; a state with no phases restricts nobody.
    expect(phaseRefusal(day(opens), publicAged(12, opens))?.message).toMatch(/no phase of this state's drive covers/);
    expect(phaseRefusal({ date: today(), phases: [] }, publicAged(12, today()))).toBeUndefined();
    // The session's own ages come first.
    expect(eligibilityRefusal({ ...day(opens), minAge: 45 }, publicAged(30, opens))?.code).toBe('AGE_NOT_ELIGIBLE');
  });
});

describe('phases through the API', () => {
  it('are set by the state officer as a whole list, audited, and refused when they make no sense', async () => {
    const { place, officer } = await stateWithPhases();
    const read = await platform.app.inject({
      method: 'GET',
      url: `/api/v1/states/${place.stateId}/eligibility-phases`,
      headers: bearer(officer.token),
    });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ stateId: place.stateId, restricted: true });
    expect(read.json().phases.map((p: { name: string }) => p.name)).toEqual([
      'Phase 1',
      'Phase 2b',
      'Phase 2',
      'Phase 3',
    ]);
    const audit = await platform.db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'ELIGIBILITY_PHASES_SET')
      .where('entity_id', '=', String(place.stateId))
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: officer.staffId, details: { before: [], after: drive() } });

    const bad = await platform.app.inject({
      method: 'PUT',
      url: `/api/v1/states/${place.stateId}/eligibility-phases`,
      headers: bearer(officer.token),
      payload: {
        phases: [
          { name: 'Old', opensOn: today(), groups: ['GENERAL'], minAge: 60, maxAge: 45 },
          { name: 'old', opensOn: today(), groups: ['HCW', 'HCW'], minAge: 18 },
        ],
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'INVALID_PHASES' });
    expect(bad.json().message).toContain('phase 1: maxAge must not be below minAge');
    expect(bad.json().message).toContain('phase 2: name each group once');
    // Nothing changed.
    const again = await platform.app.inject({
      method: 'GET',
      url: `/api/v1/states/${place.stateId}/eligibility-phases`,
      headers: bearer(officer.token),
    });
    expect(again.json().phases).toHaveLength(4);

    // Another state's officer may not touch them.
    const other = await createActor(platform, 'STATE_OFFICER', await insertTestState(platform.db));
    const foreign = await platform.app.inject({
      method: 'PUT',
      url: `/api/v1/states/${place.stateId}/eligibility-phases`,
      headers: bearer(other.token),
      payload: { phases: [] },
    });
    expect(foreign.statusCode).toBe(403);
  });

  it('refuses a too-young person until the phase opens on its date, on booking and on rescheduling', async () => {
    const { db, app } = platform;
    const { place } = await stateWithPhases();
    const opens = addDays(today(), 6);
    const dayBefore = await insertSessionDay(db, { district: place, date: addDays(opens, -1) });
    const onTheDay = await insertSessionDay(db, { district: place, date: opens });

    const young = await personAged(30);
    const early = await book(app, young.token, young.referenceId, dayBefore.id);
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({
      code: 'PHASE_NOT_OPEN',
      message: `a member of the public aged 30 may be vaccinated at sessions from ${opens}: Phase 3 (18+, from ${opens})`,
      details: { opensOn: opens },
    });
    expect(await seatsOf(db, dayBefore.id)).toMatchObject({ dose1_booked: 0 });

    const booked = await book(app, young.token, young.referenceId, onTheDay.id);
    expect(booked.statusCode, booked.body).toBe(201);

    // Moving the appointment to before the phase is refused, and it stays where it was.
    const moved = await app.inject({
      method: 'POST',
      url: `/api/v1/appointments/${booked.json().appointmentId}/reschedule`,
      headers: bearer(young.token),
      payload: { sessionDayId: dayBefore.id },
    });
    expect(moved.statusCode, moved.body).toBe(422);
    expect(moved.json().code).toBe('PHASE_NOT_OPEN');
    expect(await seatsOf(db, onTheDay.id)).toMatchObject({ dose1_booked: 1 });
    expect(await seatsOf(db, dayBefore.id)).toMatchObject({ dose1_booked: 0 });

    // A 65-year-old is in phase 2, open three days from now.
    const older = await personAged(65);
    expect((await book(app, older.token, older.referenceId, dayBefore.id)).statusCode).toBe(201);
  });

  it('refuses a walk-in at the desk and at offline sync, and takes one the phases cover', async () => {
    const { db, app } = platform;
    const { place } = await stateWithPhases();
    const session = await insertSessionDay(db, { district: place, walkin: 5 });
    const vaccinator = await vaccinatorFor(app, db, session.id, place);
    const born = (age: number) => year(today()) - age;

    const young = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/walk-ins',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: session.id, mobile: uniqueMobile(), person: walkInPerson({ birthYear: born(30) }) },
    });
    expect(young.statusCode).toBe(422);
    expect(young.json()).toMatchObject({ code: 'PHASE_NOT_OPEN', details: { opensOn: addDays(today(), 6) } });

    const comorbid = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/walk-ins',
      headers: bearer(vaccinator.token),
      payload: {
        sessionDayId: session.id,
        mobile: uniqueMobile(),
        person: walkInPerson({ birthYear: born(50), comorbidity: true }),
      },
    });
    expect(comorbid.statusCode, comorbid.body).toBe(201);

    const offline = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/sync',
      headers: bearer(vaccinator.token),
      payload: {
        deviceId: 'desk-phases-01',
        deviceTime: new Date().toISOString(),
        items: [
          {
            kind: 'WALKIN',
            clientEventId: eventId(),
            registeredAt: new Date(Date.now() - 60_000).toISOString(),
            sessionDayId: session.id,
            mobile: uniqueMobile(),
            person: walkInPerson({ birthYear: born(25) }),
          },
        ],
      },
    });
    expect(offline.statusCode, offline.body).toBe(200);
    expect(offline.json().results).toEqual([expect.objectContaining({ outcome: 'rejected', code: 'PHASE_NOT_OPEN' })]);
  });

  it('refuses the dose of a registered person who never booked and whom the session or the phases do not take', async () => {
    const { db, app } = platform;
    const { place } = await stateWithPhases();
    const session = await insertSessionDay(db, { district: place, walkin: 5 });
    const senior = await insertSessionDay(db, { district: place, walkin: 5, minAge: 45 });
    const desks = {
      [session.id]: await vaccinatorFor(app, db, session.id, place),
      [senior.id]: await vaccinatorFor(app, db, senior.id, place),
    };
    const dose = (person: { referenceId: string; secretCode: string }, sessionDayId: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/doses',
        headers: bearer(desks[sessionDayId]!.token),
        payload: {
          referenceId: person.referenceId,
          secretCode: person.secretCode,
          sessionDayId,
          vaccineCode: 'COVAXIN',
          batch: 'RULES-1',
          clientEventId: eventId(),
        },
      });
    const registered = async (age: number, extra: { comorbidity?: boolean } = {}) => {
      const token = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
      const made = await registerPerson(app, token, { birthYear: year(today()) - age, ...extra });
      expect(made.statusCode, made.body).toBe(201);
      return made.json() as { referenceId: string; secretCode: string };
    };

    // 30 and of the public: no phase covers them before Phase 3 opens in 6 days.
    const young = await registered(30);
    const refused = await dose(young, session.id);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'PHASE_NOT_OPEN' });
    // 50 with a comorbidity: Phase 2b (45 and over) opened today, and the session for 45 and over takes them.
    const comorbid = await registered(50, { comorbidity: true });
    expect((await dose(comorbid, senior.id)).statusCode).toBe(201);
    // A listed worker of 30 is in Phase 1, yet too young for the 45+ session.
    const worker = await registered(30);
    await db
      .updateTable('beneficiary')
      .set({ priority_group: 'HCW' })
      .where('reference_id', '=', worker.referenceId)
      .execute();
    const tooYoung = await dose(worker, senior.id);
    expect(tooYoung.statusCode, tooYoung.body).toBe(422);
    expect(tooYoung.json()).toMatchObject({ code: 'AGE_NOT_ELIGIBLE' });
    expect((await dose(worker, session.id)).statusCode).toBe(201);
    const stored = await db
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .select('beneficiary.reference_id')
      .where('beneficiary.reference_id', 'in', [young.referenceId, comorbid.referenceId, worker.referenceId])
      .execute();
    expect(stored.map((r) => r.reference_id).sort()).toEqual([comorbid.referenceId, worker.referenceId].sort());
  });

  it("the portal's slot search offers a person only the sessions whose phases take them, as booking decides", async () => {
    const { db, app } = platform;
    const { place } = await stateWithPhases();
    const sessions = {
      today: await insertSessionDay(db, { district: place }),
      phase2: await insertSessionDay(db, { district: place, date: addDays(today(), 3) }),
      phase3: await insertSessionDay(db, { district: place, date: addDays(today(), 6) }),
    };
    const search = await app.inject({
      method: 'GET',
      url: `/api/v1/sessions?districtId=${place.districtId}&date=${today()}&days=7`,
    });
    expect(search.statusCode, search.body).toBe(200);
    const answer = search.json() as {
      sessions: Array<{
        sessionDayId: string;
        date: string;
        minAge: number;
        maxAge: number | null;
        site: { stateId: number };
      }>;
      eligibilityPhases: Array<{ stateId: number; phases: EligibilityPhase[] }>;
    };
    expect(answer.eligibilityPhases).toEqual([
      { stateId: place.stateId, phases: drive().map((phase) => expect.objectContaining(phase)) },
    ]);
    // What the portal offers (dashboard/src/portal/slot-search.ts): the sessions the booking's one rule takes the
    // person at, from the person's record and the phases the search answered.
    const offered = async (person: { token: string; referenceId: string }) => {
      const read = await app.inject({
        method: 'GET',
        url: `/api/v1/beneficiaries/${person.referenceId}`,
        headers: bearer(person.token),
      });
      expect(read.statusCode, read.body).toBe(200);
      const phasesOf = new Map(answer.eligibilityPhases.map((state) => [state.stateId, state.phases]));
      return answer.sessions
        .filter(
          (session) =>
            !eligibilityRefusal({ ...session, phases: phasesOf.get(session.site.stateId) ?? [] }, read.json()),
        )
        .map((session) => session.sessionDayId);
    };

    // 30 and of the public: only once Phase 3 opens; 65: from Phase 2; 50 with a comorbidity: from today.
    const young = await personAged(30);
    const senior = await personAged(65);
    const comorbid = await personAged(50, { comorbidity: true });
    expect(await offered(young)).toEqual([sessions.phase3.id]);
    expect(await offered(senior)).toEqual([sessions.phase2.id, sessions.phase3.id]);
    expect(await offered(comorbid)).toEqual([sessions.today.id, sessions.phase2.id, sessions.phase3.id]);
    // What is left out is what booking refuses; what is offered, booking takes.
    const refused = await book(app, young.token, young.referenceId, sessions.phase2.id);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'PHASE_NOT_OPEN' });
    const taken = await book(app, young.token, young.referenceId, sessions.phase3.id);
    expect(taken.statusCode, taken.body).toBe(201);
  });

  it('refuses a Co-WIN partner booking and reschedule with a Co-WIN style error code', async () => {
    const { db, app } = platform;
    const { place } = await stateWithPhases();
    const session = await insertSessionDay(db, { district: place, date: addDays(today(), 2) });
    const slot = await db
      .selectFrom('session_slot')
      .select(['starts_at', 'ends_at'])
      .where('session_day_id', '=', session.id)
      .orderBy('starts_at')
      .executeTakeFirstOrThrow();
    const client = cowinClient(app, uniqueIp());
    const token = await cowinLogin(app, client, uniqueMobile());
    const registered = await client.post(
      '/v2/registration/beneficiary/new',
      {
        name: 'Kiran Patil',
        birth_year: String(year(today()) - 30),
        gender_id: 1,
        photo_id_type: 1,
        photo_id_number: walkInPerson().idNumber,
        comorbidity_ind: 'N',
        consent_version: 'V1',
      },
      { token },
    );
    expect(registered.statusCode, registered.body).toBe(200);
    const refused = await client.post(
      '/v2/appointment/schedule',
      {
        dose: 1,
        session_id: session.id,
        slot: slotLabel(slot.starts_at, slot.ends_at),
        beneficiaries: [registered.json().beneficiary_reference_id],
      },
      { token },
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ errorCode: 'APPOIN9015' });
    expect(refused.json().error).toContain('may be vaccinated at sessions from');
    expect(await seatsOf(db, session.id)).toMatchObject({ dose1_booked: 0 });

    // Booked on the phase's date, the appointment cannot be moved before it either.
    const onTheDay = await insertSessionDay(db, { district: place, date: addDays(today(), 6) });
    const label = async (sessionDayId: string) => {
      const first = await db
        .selectFrom('session_slot')
        .select(['starts_at', 'ends_at'])
        .where('session_day_id', '=', sessionDayId)
        .orderBy('starts_at')
        .executeTakeFirstOrThrow();
      return slotLabel(first.starts_at, first.ends_at);
    };
    const booked = await client.post(
      '/v2/appointment/schedule',
      {
        dose: 1,
        session_id: onTheDay.id,
        slot: await label(onTheDay.id),
        beneficiaries: [registered.json().beneficiary_reference_id],
      },
      { token },
    );
    expect(booked.statusCode, booked.body).toBe(200);
    const moved = await client.post(
      '/v2/appointment/reschedule',
      {
        appointment_id: booked.json().appointment_confirmation_no,
        session_id: session.id,
        slot: await label(session.id),
      },
      { token },
    );
    expect(moved.statusCode).toBe(400);
    expect(moved.json()).toMatchObject({ errorCode: 'APPOIN9015' });
    expect(await seatsOf(db, onTheDay.id)).toMatchObject({ dose1_booked: 1 });
    expect(await seatsOf(db, session.id)).toMatchObject({ dose1_booked: 0 });
  });
});
