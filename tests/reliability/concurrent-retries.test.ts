/**
 * A device whose request timed out sends it again while the first is still being processed: the same dose (same
 * client event id) online, or the same offline batch, arriving twice at once. One of them stores the record; the
 * other answers it as a replay (200 `duplicate`) — never a conflict, never a 5xx, never two rows.
 * (Replays after the first finished, partial failures and clock skew: tests/desk/offline-sync.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay } from '../support/fixtures.js';
import { ensureTestVaccine, vaccinatorFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { bearer, bookedPerson, eventId, todayTimes, walkIn } from '../desk/helpers.js';

let platform: TestPlatform;
let vaccine: string;
beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 864_000 });
  vaccine = await ensureTestVaccine(platform.db);
});
afterAll(() => platform?.close());

async function dosesOf(referenceIds: string[]) {
  return platform.db
    .selectFrom('dose')
    .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
    .select(['beneficiary.reference_id', 'dose.client_event_id'])
    .where('beneficiary.reference_id', 'in', referenceIds)
    .execute();
}

describe('the same write sent twice at once', () => {
  it('online: one dose stored, the other request answered as its replay', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine, walkin: 5 });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const people = await Promise.all([
      bookedPerson(app, session.id),
      bookedPerson(app, session.id),
      bookedPerson(app, session.id),
    ]);
    for (const person of people) {
      const payload = {
        referenceId: person.referenceId,
        secretCode: person.secretCode,
        sessionDayId: session.id,
        vaccineCode: vaccine,
        batch: 'RT-001',
        clientEventId: eventId(),
      };
      const answers = await Promise.all(
        [1, 2, 3].map(() =>
          app.inject({ method: 'POST', url: '/api/v1/doses', headers: bearer(vaccinator.token), payload }),
        ),
      );
      expect(answers.map((a) => a.statusCode).sort(), answers.map((a) => a.body).join('\n')).toEqual([200, 200, 201]);
      expect(answers.map((a) => a.json().duplicate).sort()).toEqual([false, true, true]);
      expect(new Set(answers.map((a) => a.json().doseId)).size).toBe(1);
    }
    expect(await dosesOf(people.map((p) => p.referenceId))).toHaveLength(3);
  });

  it('offline: a batch resent while the first copy is still syncing stores each item once and answers the copy as duplicates', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine, walkin: 10 });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const people = await Promise.all([
      walkIn(app, vaccinator.token, session.id),
      walkIn(app, vaccinator.token, session.id),
      walkIn(app, vaccinator.token, session.id),
    ]);
    const times = todayTimes(people.length);
    const items = people.map((person, i) => ({
      kind: 'DOSE',
      clientEventId: eventId(),
      administeredAt: times[i].toISOString(),
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      sessionDayId: session.id,
      vaccineCode: vaccine,
      batch: 'RT-OFF',
    }));
    const payload = { deviceId: 'retry-tablet', deviceTime: new Date().toISOString(), items };
    const [first, second] = await Promise.all(
      [1, 2].map(() =>
        app.inject({ method: 'POST', url: '/api/v1/desk/sync', headers: bearer(vaccinator.token), payload }),
      ),
    );
    expect(first.statusCode, first.body).toBe(200);
    expect(second.statusCode, second.body).toBe(200);
    // Item by item, exactly one copy was accepted and the other was its duplicate; none was rejected.
    for (let i = 0; i < items.length; i++) {
      const outcomes = [first.json().results[i].outcome, second.json().results[i].outcome].sort();
      expect(outcomes, JSON.stringify([first.json().results[i], second.json().results[i]])).toEqual([
        'accepted',
        'duplicate',
      ]);
    }
    const stored = await dosesOf(people.map((p) => p.referenceId));
    expect(stored.map((d) => d.client_event_id).sort()).toEqual(items.map((i) => i.clientEventId).sort());
    const { walkin_used } = await db
      .selectFrom('session_day')
      .select('walkin_used')
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(walkin_used).toBe(people.length);
  });
});
