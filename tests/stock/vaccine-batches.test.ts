/**
 * Vaccine batches and stock, end to end through the API against real Postgres and Temporal: the registry, stock
 * issued to a session day, the batch rule on every dose (online and at an offline desk's sync), the open-vial
 * wastage at close, and tomorrow's stock against bookings in the district console.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertSessionDay } from '../support/fixtures.js';
import { ensureTestVaccine } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { bearer, eventId, todayTimes, walkIn } from '../desk/helpers.js';
import { bookPeople, intervene, quietDistrict, staffLogin, type District } from '../sessions/support.js';

let platform: TestPlatform;
let vaccine: string;
let otherVaccine: string;
let district: District;
let stateOfficer: Awaited<ReturnType<typeof staffLogin>>;
let districtOfficer: Awaited<ReturnType<typeof staffLogin>>;
const suffix = Math.random().toString(36).slice(2, 7).toUpperCase();
const GOOD = `SV-${suffix}`;
const OLD = `SV-OLD-${suffix}`;
const OTHER = `OV-${suffix}`;

beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 864_000, stallAfterMinutes: 600, rateLimitsEnabled: false });
  vaccine = await ensureTestVaccine(platform.db, 'STOCKVAX');
  otherVaccine = await ensureTestVaccine(platform.db, 'OTHERVAX');
  district = await quietDistrict(platform.db);
  stateOfficer = await staffLogin(platform.app, platform.db, 'STATE_OFFICER', district);
  districtOfficer = await staffLogin(platform.app, platform.db, 'DISTRICT_OFFICER', district);
});
afterAll(() => platform.close());

async function register(body: Record<string, unknown>, headers = stateOfficer.headers) {
  return platform.app.inject({ method: 'POST', url: '/api/v1/vaccine-batches', headers, payload: body });
}

async function batchId(number: string, code = vaccine): Promise<string> {
  const row = await platform.db
    .selectFrom('vaccine_batch')
    .select('id')
    .where('vaccine_code', '=', code)
    .where('batch_number', '=', number)
    .executeTakeFirstOrThrow();
  return row.id;
}

function issue(sessionDayId: string, batch: string, vialsIssued: number) {
  return platform.app.inject({
    method: 'PUT',
    url: `/api/v1/session-days/${sessionDayId}/stock/${batch}`,
    headers: districtOfficer.headers,
    payload: { vialsIssued },
  });
}

/** Vials received into a site's store: a session day's vials come from its site's store. */
async function receive(siteId: number, batch: string, vials: number) {
  const received = await platform.app.inject({
    method: 'POST',
    url: `/api/v1/sites/${siteId}/store/receipts`,
    headers: districtOfficer.headers,
    payload: { clientEventId: eventId(), batchId: batch, vials, deliveryNote: `DN-${suffix}` },
  });
  expect(received.statusCode, received.body).toBe(201);
}

function stockOf(sessionDayId: string, headers: Record<string, string>) {
  return platform.app.inject({ method: 'GET', url: `/api/v1/session-days/${sessionDayId}/stock`, headers });
}

describe('the batch registry', () => {
  it('takes batches from state officers, audited; refuses a repeat, a district officer and bad input', async () => {
    const today = indiaDate();
    const good = await register({
      vaccineCode: vaccine,
      batchNumber: GOOD.toLowerCase(),
      manufacturer: 'Teeka Test Biologicals',
      expiresOn: addDays(today, 100),
      dosesPerVial: 10,
    });
    expect(good.statusCode, good.body).toBe(201);
    expect(good.json()).toMatchObject({
      vaccineCode: vaccine,
      batchNumber: GOOD,
      dosesPerVial: 10,
      fromEarlierDoses: false,
    });
    const old = await register({
      vaccineCode: vaccine,
      batchNumber: OLD,
      manufacturer: 'Teeka Test Biologicals',
      expiresOn: addDays(today, -1),
      dosesPerVial: 10,
    });
    expect(old.statusCode, old.body).toBe(201);
    const other = await register({
      vaccineCode: otherVaccine,
      batchNumber: OTHER,
      manufacturer: 'Other Vaccines Ltd',
      expiresOn: addDays(today, 100),
      dosesPerVial: 5,
    });
    expect(other.statusCode, other.body).toBe(201);

    const again = await register({
      vaccineCode: vaccine,
      batchNumber: GOOD,
      manufacturer: 'Someone else',
      expiresOn: addDays(today, 10),
      dosesPerVial: 10,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'BATCH_ALREADY_REGISTERED' });
    const byDistrict = await register(
      { vaccineCode: vaccine, batchNumber: `X-${suffix}`, manufacturer: 'Someone', expiresOn: today, dosesPerVial: 10 },
      districtOfficer.headers,
    );
    expect(byDistrict.statusCode).toBe(403);
    const badVial = await register({
      vaccineCode: vaccine,
      batchNumber: `Y-${suffix}`,
      manufacturer: 'Teeka Test Biologicals',
      expiresOn: today,
      dosesPerVial: 0,
    });
    expect(badVial.statusCode).toBe(400);
    const noVaccine = await register({
      vaccineCode: 'NOSUCHVAX',
      batchNumber: `Z-${suffix}`,
      manufacturer: 'Teeka Test Biologicals',
      expiresOn: today,
      dosesPerVial: 10,
    });
    expect(noVaccine.statusCode).toBe(404);

    const listed = await platform.app.inject({
      method: 'GET',
      url: `/api/v1/vaccine-batches?vaccineCode=${vaccine}`,
      headers: districtOfficer.headers,
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().batches.map((b: { batchNumber: string }) => b.batchNumber)).toEqual(
      expect.arrayContaining([GOOD, OLD]),
    );
    const audit = await platform.db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'BATCH_REGISTERED')
      .where('entity_id', '=', good.json().id)
      .execute();
    expect(audit).toEqual([
      { actor_id: stateOfficer.staffId, details: expect.objectContaining({ batchNumber: GOOD, vaccineCode: vaccine }) },
    ]);
  });
});

describe('a dose names a known, unexpired batch of the session vaccine', () => {
  it('refuses an expired batch, a batch of another vaccine and an unknown one, online and at sync; counts a good one; works out the open-vial wastage at close', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { district, vaccine, walkin: 10 });
    const vaccinator = await staffLogin(app, db, 'VACCINATOR', district);
    await db
      .insertInto('session_assignment')
      .values({
        session_day_id: session.id,
        staff_id: vaccinator.staffId,
        session_date: indiaDate(),
        team_role: 'VACCINATOR',
      })
      .execute();

    // Stock: only batches of the session's vaccine, good on its date.
    const issuedOther = await issue(session.id, await batchId(OTHER, otherVaccine), 2);
    expect(issuedOther.statusCode).toBe(422);
    expect(issuedOther.json()).toMatchObject({ code: 'BATCH_OF_ANOTHER_VACCINE' });
    const issuedOld = await issue(session.id, await batchId(OLD), 2);
    expect(issuedOld.statusCode).toBe(422);
    expect(issuedOld.json()).toMatchObject({ code: 'BATCH_EXPIRED' });
    await receive(session.siteId, await batchId(GOOD), 3);
    const issued = await issue(session.id, await batchId(GOOD), 3);
    expect(issued.statusCode, issued.body).toBe(200);
    // The desk sees its day's batches to pick from.
    const deskView = await stockOf(session.id, vaccinator.headers);
    expect(deskView.statusCode).toBe(200);
    expect(deskView.json().batches).toEqual([
      expect.objectContaining({ batchNumber: GOOD, vialsIssued: 3, dosesPerVial: 10, dosesGiven: 0 }),
    ]);

    const dose = (person: { referenceId: string; secretCode: string }, batch: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/doses',
        headers: vaccinator.headers,
        payload: {
          referenceId: person.referenceId,
          secretCode: person.secretCode,
          sessionDayId: session.id,
          vaccineCode: vaccine,
          batch,
        },
      });
    const online = await walkIn(app, vaccinator.token, session.id);
    for (const [batch, code, words] of [
      [OLD.toLowerCase(), 'BATCH_EXPIRED', 'expired on'],
      [OTHER, 'BATCH_OF_ANOTHER_VACCINE', `batch of ${otherVaccine}`],
      [`NOPE-${suffix}`, 'BATCH_UNKNOWN', 'not in the batch registry'],
    ]) {
      const refused = await dose(online, batch);
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json()).toMatchObject({ code });
      expect(refused.json().message).toContain(words);
    }
    expect(await db.selectFrom('dose').select('id').where('session_day_id', '=', session.id).execute()).toEqual([]);

    const accepted = await dose(online, GOOD.toLowerCase());
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json()).toMatchObject({ batch: GOOD });

    // An offline desk's sync: each refused item says why; the good one is stored.
    const [t1, t2, t3] = todayTimes(3);
    const offline = [
      await walkIn(app, vaccinator.token, session.id),
      await walkIn(app, vaccinator.token, session.id),
      await walkIn(app, vaccinator.token, session.id),
    ];
    const item = (person: { referenceId: string; secretCode: string }, batch: string, at: Date) => ({
      kind: 'DOSE',
      clientEventId: eventId(),
      administeredAt: at.toISOString(),
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      sessionDayId: session.id,
      vaccineCode: vaccine,
      batch,
    });
    const synced = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/sync',
      headers: vaccinator.headers,
      payload: {
        deviceId: `stock-desk-${suffix}`,
        deviceTime: new Date().toISOString(),
        items: [item(offline[0]!, OLD, t1), item(offline[1]!, OTHER, t2), item(offline[2]!, GOOD, t3)],
      },
    });
    expect(synced.statusCode, synced.body).toBe(200);
    const results = synced.json().results as { index: number; outcome: string; code?: string; message?: string }[];
    expect(results.map((r) => [r.index, r.outcome, r.code ?? null])).toEqual([
      [0, 'rejected', 'BATCH_EXPIRED'],
      [1, 'rejected', 'BATCH_OF_ANOTHER_VACCINE'],
      [2, 'accepted', null],
    ]);
    expect(results[0]!.message).toContain(`batch ${OLD} expired on`);
    expect(results[1]!.message).toContain(`not of ${vaccine}`);

    const counted = await stockOf(session.id, districtOfficer.headers);
    expect(counted.json().batches).toEqual([
      expect.objectContaining({
        batchNumber: GOOD,
        vialsIssued: 3,
        dosesGiven: 2,
        vialsOpened: null,
        dosesWasted: null,
      }),
    ]);

    // Close: the vials opened must hold the doses given; the rest of them is the open-vial wastage.
    const tooFew = await intervene(app, vaccinator.headers, session.id, 'close', {
      vials: [{ batchId: await batchId(GOOD), vialsOpened: 0 }],
    });
    expect(tooFew.statusCode).toBe(422);
    expect(tooFew.json()).toMatchObject({ code: 'VIALS_TOO_FEW' });
    const closed = await intervene(app, vaccinator.headers, session.id, 'close', {
      vials: [{ batchId: await batchId(GOOD), vialsOpened: 1 }],
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'CLOSED', counts: { dosesRecorded: 2, wastage: 8 } });
    const after = await stockOf(session.id, districtOfficer.headers);
    expect(after.json().batches).toEqual([
      expect.objectContaining({ batchNumber: GOOD, vialsIssued: 3, vialsOpened: 1, dosesGiven: 2, dosesWasted: 8 }),
    ]);
    const closingAudit = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'STOCK_CLOSED')
      .where('entity_id', '=', session.id)
      .execute();
    expect(closingAudit).toEqual([
      {
        actor_id: vaccinator.staffId,
        details: { lines: [{ batchId: await batchId(GOOD), vialsOpened: 1, dosesWasted: 8 }] },
      },
    ]);
  });

  it('refuses a batch known only from doses recorded before the registry until an officer completes it', async () => {
    const { app, db } = platform;
    // As migration 2026-12-09T0430_vaccine_batches registers the batches earlier doses named.
    const legacy = `LEG-${suffix}`;
    await db
      .insertInto('vaccine_batch')
      .values({ vaccine_code: vaccine, batch_number: legacy, from_earlier_doses: true })
      .execute();
    const session = await insertSessionDay(db, { district, vaccine, walkin: 5 });
    const vaccinator = await staffLogin(app, db, 'VACCINATOR', district);
    await db
      .insertInto('session_assignment')
      .values({
        session_day_id: session.id,
        staff_id: vaccinator.staffId,
        session_date: indiaDate(),
        team_role: 'VACCINATOR',
      })
      .execute();
    const person = await walkIn(app, vaccinator.token, session.id);
    const dose = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/doses',
        headers: vaccinator.headers,
        payload: {
          referenceId: person.referenceId,
          secretCode: person.secretCode,
          sessionDayId: session.id,
          vaccineCode: vaccine,
          batch: legacy,
        },
      });
    const refused = await dose();
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'BATCH_INCOMPLETE' });

    const completed = await app.inject({
      method: 'PATCH',
      url: `/api/v1/vaccine-batches/${await batchId(legacy)}`,
      headers: stateOfficer.headers,
      payload: { manufacturer: 'Teeka Test Biologicals', expiresOn: addDays(indiaDate(), 30), dosesPerVial: 10 },
    });
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json()).toMatchObject({ fromEarlierDoses: false, dosesPerVial: 10 });
    // Every API process hears the change (the registry it keeps for doses is forgotten) before its next dose.
    const accepted = await dose();
    expect(accepted.statusCode, accepted.body).toBe(201);
    const audit = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'BATCH_CORRECTED')
      .where('entity_id', '=', await batchId(legacy))
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ before: { expiresOn: null }, after: { dosesPerVial: 10 } });
  });
});

describe("the district console's stock for tomorrow", () => {
  it('shows each session day of tomorrow with its bookings against the doses issued to it', async () => {
    const { app, db } = platform;
    const tomorrow = addDays(indiaDate(), 1);
    const session = await insertSessionDay(db, { district, vaccine, date: tomorrow, dose1: 20, dose2: 0 });
    await bookPeople(app, session.id, 12);
    const view = async () => {
      const answer = await app.inject({
        method: 'GET',
        url: `/api/v1/districts/${district.districtId}/stock/tomorrow`,
        headers: districtOfficer.headers,
      });
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json().date).toBe(tomorrow);
      return answer.json().sessions.find((s: { sessionDayId: string }) => s.sessionDayId === session.id);
    };
    expect(await view()).toMatchObject({ vaccineCode: vaccine, booked: 12, dosesIssued: 0, shortBy: 12, batches: [] });

    await receive(session.siteId, await batchId(GOOD), 2);
    expect((await issue(session.id, await batchId(GOOD), 1)).statusCode).toBe(200);
    expect(await view()).toMatchObject({ booked: 12, dosesIssued: 10, shortBy: 2 });
    expect((await issue(session.id, await batchId(GOOD), 2)).statusCode).toBe(200);
    expect(await view()).toMatchObject({ booked: 12, dosesIssued: 20, shortBy: 0 });

    const elsewhere = await staffLogin(app, db, 'DISTRICT_OFFICER', { stateId: 7, districtId: 7003, pincode: 110001 });
    const refused = await app.inject({
      method: 'GET',
      url: `/api/v1/districts/${district.districtId}/stock/tomorrow`,
      headers: elsewhere.headers,
    });
    expect(refused.statusCode).toBe(403);
    const issueAudit = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'STOCK_ISSUED')
      .where('entity_id', '=', session.id)
      .orderBy('id')
      .execute();
    expect(issueAudit.map((a) => a.details)).toEqual([
      expect.objectContaining({ batchNumber: GOOD, vialsIssued: 1, previous: null }),
      expect.objectContaining({ batchNumber: GOOD, vialsIssued: 2, previous: 1 }),
    ]);
  });
});
