/**
 * Sites' stores of vaccine, end to end through the API against real Postgres and Temporal: vials received from
 * the district (with the delivery note), issued to the site's session days only from its store, the unopened ones
 * returned at close, discards with their reason; the ledger's running balance, the audit, replays answered once,
 * the district's warning of batches expiring within 7 days, and who may do what.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleSessionStock } from '../../api/services/site-stores.js';
import { carryOverIssuedStock } from '../../db/migrations/2026-12-10T0400_site_stores.js';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertSessionDay, insertSite } from '../support/fixtures.js';
import { ensureTestVaccine } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { intervene, quietDistrict, staffLogin, type District } from '../sessions/support.js';

let platform: TestPlatform;
let vaccine: string;
let district: District;
let officer: Awaited<ReturnType<typeof staffLogin>>;
const suffix = randomUUID().slice(0, 6).toUpperCase();

beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 864_000, stallAfterMinutes: 600, rateLimitsEnabled: false });
  vaccine = await ensureTestVaccine(platform.db, 'STOREVAX');
  district = await quietDistrict(platform.db);
  officer = await staffLogin(platform.app, platform.db, 'DISTRICT_OFFICER', district);
});
afterAll(() => platform.close());

async function batch(number: string, expiresInDays: number, dosesPerVial = 10): Promise<string> {
  const row = await platform.db
    .insertInto('vaccine_batch')
    .values({
      vaccine_code: vaccine,
      batch_number: `${number}-${suffix}`,
      manufacturer: 'Test manufacturer',
      expires_on: addDays(indiaDate(), expiresInDays),
      doses_per_vial: dosesPerVial,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const eventId = () => `st-${randomUUID()}`;

function receive(siteId: number, body: Record<string, unknown>, headers = officer.headers) {
  return platform.app.inject({ method: 'POST', url: `/api/v1/sites/${siteId}/store/receipts`, headers, payload: body });
}

function discard(siteId: number, body: Record<string, unknown>, headers = officer.headers) {
  return platform.app.inject({ method: 'POST', url: `/api/v1/sites/${siteId}/store/discards`, headers, payload: body });
}

function issue(sessionDayId: string, batchId: string, vialsIssued: number) {
  return platform.app.inject({
    method: 'PUT',
    url: `/api/v1/session-days/${sessionDayId}/stock/${batchId}`,
    headers: officer.headers,
    payload: { vialsIssued },
  });
}

async function store(siteId: number, headers = officer.headers) {
  const answer = await platform.app.inject({ method: 'GET', url: `/api/v1/sites/${siteId}/store`, headers });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json() as {
    batches: { batchId: string; vials: number; expiry: string }[];
    ledger: { kind: string; vials: number; balance: number; batchId: string; sessionDayId: string | null }[];
  };
}

const vialsOf = async (siteId: number, batchId: string) =>
  (await store(siteId)).batches.find((b) => b.batchId === batchId)?.vials ?? 0;

describe("a site's store", () => {
  it('receives vials once per client event, issues them to session days and refuses more than it holds, takes back the unopened ones at close, and discards with a reason; the ledger keeps the running balance', async () => {
    const { app, db } = platform;
    const site = await insertSite(db, district);
    const good = await batch('GOOD', 100);

    // A receipt from the district, with its delivery note; the same request again is answered, not recorded twice.
    const receipt = { clientEventId: eventId(), batchId: good, vials: 10, deliveryNote: 'DN/2026/0412' };
    const first = await receive(site.id, receipt);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      duplicate: false,
      movement: { kind: 'RECEIVED', vials: 10, balance: 10, deliveryNote: 'DN/2026/0412', batchId: good },
    });
    const again = await receive(site.id, receipt);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, movement: { id: first.json().movement.id, balance: 10 } });
    const reused = await receive(site.id, { ...receipt, vials: 11 });
    expect(reused.statusCode).toBe(409);
    expect(reused.json()).toMatchObject({ code: 'CLIENT_EVENT_REUSED' });
    expect(await vialsOf(site.id, good)).toBe(10);

    // Issued to a session day of the site: drawn from the store; more than the store holds is refused.
    const day = await insertSessionDay(db, { siteId: site.id, vaccine, walkin: 10 });
    expect((await issue(day.id, good, 4)).statusCode).toBe(200);
    expect(await vialsOf(site.id, good)).toBe(6);
    const tooMany = await issue(day.id, good, 12);
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json()).toMatchObject({ code: 'STORE_TOO_FEW' });
    expect(tooMany.json().message).toContain('holds 6 vial(s)');
    const unchanged = await db
      .selectFrom('session_batch_stock')
      .select('vials_issued')
      .where('session_day_id', '=', day.id)
      .executeTakeFirstOrThrow();
    expect(unchanged.vials_issued).toBe(4);
    // Fewer issued: the difference goes back to the store.
    expect((await issue(day.id, good, 2)).statusCode).toBe(200);
    expect(await vialsOf(site.id, good)).toBe(8);
    // Another site's session day draws on its own store, which holds none of the batch.
    const elsewhere = await insertSessionDay(db, { district, vaccine, walkin: 10 });
    const empty = await issue(elsewhere.id, good, 1);
    expect(empty.statusCode).toBe(422);
    expect(empty.json()).toMatchObject({ code: 'STORE_TOO_FEW' });

    // Closed with 1 of its 2 vials opened: the unopened one goes back. Counted again with 2 opened: taken back.
    const vaccinator = await staffLogin(app, db, 'VACCINATOR', district);
    await db
      .insertInto('session_assignment')
      .values({
        session_day_id: day.id,
        staff_id: vaccinator.staffId,
        session_date: indiaDate(),
        team_role: 'VACCINATOR',
      })
      .execute();
    const closed = await intervene(app, vaccinator.headers, day.id, 'close', {
      vials: [{ batchId: good, vialsOpened: 1 }],
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'CLOSED', counts: { wastage: 10 } });
    expect(await vialsOf(site.id, good)).toBe(9);
    const recounted = await intervene(app, officer.headers, day.id, 'close', {
      vials: [{ batchId: good, vialsOpened: 2 }],
    });
    expect(recounted.statusCode, recounted.body).toBe(200);
    expect(await vialsOf(site.id, good)).toBe(8);

    // Discards: with a reason; another reason needs its note; never more than the store holds.
    const damaged = await discard(site.id, { clientEventId: eventId(), batchId: good, vials: 3, reason: 'DAMAGED' });
    expect(damaged.statusCode, damaged.body).toBe(201);
    expect(damaged.json().movement).toMatchObject({
      kind: 'DISCARDED',
      vials: -3,
      balance: 5,
      discardReason: 'DAMAGED',
    });
    const unexplained = await discard(site.id, { clientEventId: eventId(), batchId: good, vials: 1, reason: 'OTHER' });
    expect(unexplained.statusCode).toBe(400);
    expect(unexplained.json()).toMatchObject({ code: 'DISCARD_NOTE_REQUIRED' });
    const tooManyOut = await discard(site.id, { clientEventId: eventId(), batchId: good, vials: 6, reason: 'EXPIRED' });
    expect(tooManyOut.statusCode).toBe(422);
    expect(tooManyOut.json()).toMatchObject({ code: 'STORE_TOO_FEW' });

    // The ledger, newest first, each movement with the balance after it.
    const { ledger, batches } = await store(site.id);
    expect(ledger.map((m) => [m.kind, m.vials, m.balance])).toEqual([
      ['DISCARDED', -3, 5],
      ['ISSUED', -1, 8],
      ['RETURNED', 1, 9],
      ['RETURNED', 2, 8],
      ['ISSUED', -4, 6],
      ['RECEIVED', 10, 10],
    ]);
    expect(ledger.filter((m) => m.sessionDayId === day.id)).toHaveLength(4);
    expect(batches).toEqual([expect.objectContaining({ batchId: good, vials: 5, expiry: 'GOOD' })]);

    // Audited: every movement with who made it.
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'details'])
      .where('entity_type', '=', 'site')
      .where('entity_id', '=', String(site.id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'STORE_RECEIVED',
      'STORE_ISSUED',
      'STORE_RETURNED',
      'STORE_RETURNED',
      'STORE_ISSUED',
      'STORE_DISCARDED',
    ]);
    expect(audit[0]).toMatchObject({
      actor_id: officer.staffId,
      details: expect.objectContaining({ vials: 10, balance: 10, deliveryNote: 'DN/2026/0412' }),
    });
    expect(audit[2]).toMatchObject({ actor_id: officer.staffId });
    expect(audit[3]).toMatchObject({ actor_id: vaccinator.staffId });
  });

  it('gives the last vials to one of two session days asking at once', async () => {
    const { db } = platform;
    const site = await insertSite(db, district);
    const good = await batch('RACE', 100);
    expect(
      (await receive(site.id, { clientEventId: eventId(), batchId: good, vials: 5, deliveryNote: 'DN-R' })).statusCode,
    ).toBe(201);
    const days = [
      await insertSessionDay(db, { siteId: site.id, vaccine, date: addDays(indiaDate(), 1) }),
      await insertSessionDay(db, { siteId: site.id, vaccine, date: addDays(indiaDate(), 2) }),
    ];
    const answers = await Promise.all(days.map((d) => issue(d.id, good, 4)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 422]);
    expect(await vialsOf(site.id, good)).toBe(1);
  });

  it('refuses bad input, expired and unknown batches, unknown sites, and officers outside the district', async () => {
    const { app, db } = platform;
    const site = await insertSite(db, district);
    const good = await batch('IN', 100);
    const expired = await batch('OUT', -1);
    const body = { clientEventId: eventId(), batchId: good, vials: 2, deliveryNote: 'DN-1' };
    for (const [bad, code] of [
      [{ ...body, vials: 0 }, 400],
      [{ ...body, vials: 1.5 }, 400],
      [{ ...body, deliveryNote: '<b>x</b>' }, 400],
      [{ ...body, deliveryNote: undefined }, 400],
      [{ ...body, clientEventId: 'short' }, 400],
      [{ ...body, extra: 1 }, 400],
    ] as const) {
      const answer = await receive(site.id, bad);
      expect(answer.statusCode, JSON.stringify(bad)).toBe(code);
    }
    const stale = await receive(site.id, { ...body, batchId: expired });
    expect(stale.statusCode).toBe(422);
    expect(stale.json()).toMatchObject({ code: 'BATCH_EXPIRED' });
    const unknown = await receive(site.id, { ...body, batchId: randomUUID() });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'BATCH_NOT_FOUND' });
    const nowhere = await receive(2_000_000_000, body);
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json()).toMatchObject({ code: 'SITE_NOT_FOUND' });
    const badReason = await discard(site.id, { clientEventId: eventId(), batchId: good, vials: 1, reason: 'LOST' });
    expect(badReason.statusCode).toBe(400);

    // Officers of another district or state: refused; a vaccinator: refused; the state's officer: allowed.
    const other = await staffLogin(app, db, 'DISTRICT_OFFICER', { stateId: 7, districtId: 7003, pincode: 110001 });
    expect((await receive(site.id, body, other.headers)).statusCode).toBe(403);
    const read = await app.inject({ method: 'GET', url: `/api/v1/sites/${site.id}/store`, headers: other.headers });
    expect(read.statusCode).toBe(403);
    const vaccinator = await staffLogin(app, db, 'VACCINATOR', district);
    expect((await receive(site.id, body, vaccinator.headers)).statusCode).toBe(403);
    const stateOfficer = await staffLogin(app, db, 'STATE_OFFICER', district);
    expect((await receive(site.id, body, stateOfficer.headers)).statusCode).toBe(201);
    expect(await vialsOf(site.id, good)).toBe(2);
  });

  it('warns the district of batches held that expire within 7 days', async () => {
    const { app, db } = platform;
    const site = await insertSite(db, district);
    const soon = await batch('SOON', 3);
    const later = await batch('LATER', 30);
    const today = await batch('TODAY', 0);
    for (const batchId of [soon, later, today])
      expect(
        (await receive(site.id, { clientEventId: eventId(), batchId, vials: 2, deliveryNote: 'DN-E' })).statusCode,
      ).toBe(201);
    const answer = await app.inject({
      method: 'GET',
      url: `/api/v1/districts/${district.districtId}/stores`,
      headers: officer.headers,
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const mine = (
      answer.json().expiring as { siteId: number; batchId: string; expiry: string; vials: number }[]
    ).filter((e) => e.siteId === site.id);
    expect(mine).toEqual([
      expect.objectContaining({ batchId: today, expiry: 'EXPIRING', vials: 2, expiresOn: indiaDate() }),
      expect.objectContaining({ batchId: soon, expiry: 'EXPIRING', vials: 2, expiresOn: addDays(indiaDate(), 3) }),
    ]);
    const listed = (answer.json().sites as { id: number; batches: { batchId: string }[] }[]).find(
      (s) => s.id === site.id,
    );
    expect(listed?.batches.map((b) => b.batchId)).toEqual([today, soon, later]);
    // Discarded, a batch is no longer warned of.
    expect(
      (await discard(site.id, { clientEventId: eventId(), batchId: soon, vials: 2, reason: 'EXPIRED' })).statusCode,
    ).toBe(201);
    const after = await app.inject({
      method: 'GET',
      url: `/api/v1/districts/${district.districtId}/stores`,
      headers: officer.headers,
    });
    expect(
      (after.json().expiring as { siteId: number; batchId: string }[])
        .filter((e) => e.siteId === site.id)
        .map((e) => e.batchId),
    ).toEqual([today]);
  });
});

describe('a cancelled session day', () => {
  it("gives its unopened vials back to its site's store by itself, with a ledger row and an audit row", async () => {
    const { app, db } = platform;
    const site = await insertSite(db, district);
    const good = await batch('CANCEL', 100);
    const received = await receive(site.id, {
      clientEventId: eventId(),
      batchId: good,
      vials: 10,
      deliveryNote: 'DN-C',
    });
    expect(received.statusCode, received.body).toBe(201);
    const day = await insertSessionDay(db, { siteId: site.id, vaccine, date: addDays(indiaDate(), 1) });
    expect((await issue(day.id, good, 3)).statusCode).toBe(200);
    expect(await vialsOf(site.id, good)).toBe(7);

    const cancelled = await intervene(app, officer.headers, day.id, 'cancel', { reason: 'site flooded' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await vialsOf(site.id, good)).toBe(10);
    const { ledger } = await store(site.id);
    expect(ledger.filter((m) => m.sessionDayId === day.id).map((m) => [m.kind, m.vials, m.balance])).toEqual(
      expect.arrayContaining([
        ['ISSUED', -3, 7],
        ['RETURNED', 3, 10],
      ]),
    );
    const line = await db
      .selectFrom('session_batch_stock')
      .select('vials_issued')
      .where('session_day_id', '=', day.id)
      .executeTakeFirstOrThrow();
    expect(line.vials_issued).toBe(0);
    const audited = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'STORE_RETURNED')
      .where('entity_id', '=', String(site.id))
      .execute();
    expect(audited.map((a) => a.details)).toEqual([
      expect.objectContaining({ vials: 3, balance: 10, sessionDayId: day.id, note: 'session day cancelled' }),
    ]);
  });
});

describe('stock issued before the stores', () => {
  it('is carried over as received and issued at once, so the session day keeps working through its store', async () => {
    const { db } = platform;
    const site = await insertSite(db, district);
    const good = await batch('LEGACY', 100);
    const open = await insertSessionDay(db, { siteId: site.id, vaccine, date: addDays(indiaDate(), 3) });
    const closed = await insertSessionDay(db, { siteId: site.id, vaccine, date: addDays(indiaDate(), 4) });
    // Rolled back at the end: the carry-over runs over every session day's stock, other tests' too.
    const rolledBack = new Error('rolled back');
    await expect(
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto('session_batch_stock')
          .values([
            { session_day_id: open.id, batch_id: good, vials_issued: 3 },
            {
              session_day_id: closed.id,
              batch_id: good,
              vials_issued: 4,
              vials_opened: 1,
              doses_wasted: 10,
              closed_at: new Date(),
            },
          ])
          .execute();
        await carryOverIssuedStock(trx);
        const ledger = await trx
          .selectFrom('site_stock_movement')
          .select(['kind', 'vials', 'balance', 'session_day_id'])
          .where('site_id', '=', site.id)
          .orderBy('seq')
          .execute();
        const byDay = (id: string) =>
          ledger.filter((m) => m.session_day_id === id).map((m) => [m.kind, m.vials, m.balance]);
        expect(byDay(open.id)).toEqual([
          ['CARRIED_OVER', 3, 3],
          ['ISSUED', -3, 0],
        ]);
        // Closed with 1 vial opened: it holds that one; its unopened vials were never in a store the ledger knew.
        expect(byDay(closed.id)).toEqual([
          ['CARRIED_OVER', 1, 1],
          ['ISSUED', -1, 0],
        ]);
        // Fewer vials issued to the open day afterwards: the difference goes into the store, as for any day.
        await trx
          .updateTable('session_batch_stock')
          .set({ vials_issued: 1 })
          .where('session_day_id', '=', open.id)
          .execute();
        await settleSessionStock(trx, { type: 'STAFF', id: officer.staffId, role: 'DISTRICT_OFFICER' }, open.id, good);
        const held = await trx
          .selectFrom('site_batch_store')
          .select('vials')
          .where('site_id', '=', site.id)
          .where('batch_id', '=', good)
          .executeTakeFirstOrThrow();
        expect(held.vials).toBe(2);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
  });
});
