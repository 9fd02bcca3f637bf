/**
 * Doses that arrive at once share one statement and one commit (db/repositories/written-together.ts); each is
 * still answered for itself. A refused dose (the walk-in quota used up by the others) refuses only itself, the
 * same event sent twice in one batch is stored once, and a booked person's dose in the same batch completes their
 * appointment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay } from '../support/fixtures.js';
import { ensureTestVaccine, vaccinatorFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { bearer, bookedPerson, eventId, walkIn } from './helpers.js';

let platform: TestPlatform;
let vaccine: string;
beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 864_000 });
  vaccine = await ensureTestVaccine(platform.db);
});
afterAll(() => platform?.close());

describe('doses sent at once', () => {
  it('answers each for itself: the walk-in quota refuses only the doses past it, a repeated event is stored once', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine, walkin: 7 });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const walkIns = [];
    for (let i = 0; i < 7; i++) walkIns.push(await walkIn(app, vaccinator.token, session.id));
    const booked = await bookedPerson(app, session.id);
    // Seven people registered at the door, but only four walk-in doses left by the time they reach the vaccinator.
    await db.updateTable('session_day').set({ walkin_capacity: 4 }).where('id', '=', session.id).execute();

    const dose = (person: { referenceId: string; secretCode: string }, clientEventId = eventId()) => ({
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      sessionDayId: session.id,
      vaccineCode: vaccine,
      batch: 'AT-ONCE-1',
      clientEventId,
    });
    const repeated = dose(walkIns[0]!);
    const payloads = [repeated, ...walkIns.slice(1).map((p) => dose(p)), dose(booked), repeated];
    const answers = await Promise.all(
      payloads.map((payload) =>
        app.inject({ method: 'POST', url: '/api/v1/doses', headers: bearer(vaccinator.token), payload }),
      ),
    );

    expect(
      answers.every((a) => [200, 201, 409].includes(a.statusCode)),
      answers.map((a) => a.body).join('\n'),
    ).toBe(true);
    for (const answer of answers.filter((a) => a.statusCode === 409))
      expect(answer.json()).toMatchObject({ code: 'WALKIN_QUOTA_FULL' });
    const bookedAnswer = answers[payloads.length - 2]!;
    expect(bookedAnswer.statusCode, bookedAnswer.body).toBe(201);
    // The repeated event: both copies turned away for the quota, or one stored and the other answered as its replay.
    const copies = [answers[0]!, answers[payloads.length - 1]!];
    const repeatedStored = copies.some((a) => a.statusCode !== 409);
    if (repeatedStored) {
      expect(copies.map((a) => a.statusCode).sort()).toEqual([200, 201]);
      expect(copies[0]!.json().doseId).toBe(copies[1]!.json().doseId);
    } else {
      expect(copies.map((a) => a.statusCode)).toEqual([409, 409]);
    }
    // The booked person and four walk-ins are vaccinated; the three other walk-ins are turned away for the quota.
    const others = answers.slice(1, payloads.length - 2);
    expect(others.filter((a) => a.statusCode === 201)).toHaveLength(repeatedStored ? 3 : 4);
    expect(others.filter((a) => a.statusCode === 409)).toHaveLength(repeatedStored ? 3 : 2);

    const stored = await db
      .selectFrom('dose')
      .select(['beneficiary_id', 'appointment_id'])
      .where('session_day_id', '=', session.id)
      .execute();
    expect(stored).toHaveLength(5);
    expect(new Set(stored.map((d) => d.beneficiary_id)).size).toBe(5);
    expect(stored.filter((d) => d.appointment_id !== null)).toHaveLength(1);
    const day = await db
      .selectFrom('session_day')
      .select(['walkin_used', 'doses_recorded'])
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(day).toEqual({ walkin_used: 4, doses_recorded: 5 });
  });
});
