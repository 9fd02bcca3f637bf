/**
 * 200 people try to book one session day's 20 dose-1 seats at the same moment (each seat taken in Postgres in the
 * request, each journey told afterwards): exactly 20 get a seat, the 180 others a clear refusal, no counter drifts,
 * and each journey confirms its person's booking once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { issueBeneficiaryTokens } from '../../api/auth/tokens.js';
import { registerBeneficiary } from '../../api/services/registration.js';
import { insertAccount, insertSessionDay, PUNE } from '../support/fixtures.js';
import { aadhaar, book, readSms, waitFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const PEOPLE = 200;
const SEATS = 20;

let platform: TestPlatform;
beforeAll(async () => {
  // Real-length days: no reminder or no-show timer falls due during the test.
  platform = await startTestPlatform({ dayMs: 86_400_000 });
});
afterAll(() => platform.close());

/** A verified person with their own account and token, journey started, registered like the API does it. */
async function verifiedPerson(index: number) {
  const { app, db, config, temporal } = platform;
  const account = await insertAccount(db);
  const person = await registerBeneficiary(
    { db, config, temporal, log: app.log },
    {
      accountId: account.id,
      verified: true,
      person: {
        name: `Storm Person ${String.fromCharCode(65 + (index % 26))}`,
        birthYear: 1970 + (index % 30),
        gender: index % 2 ? 'M' : 'F',
        idType: 1,
        idNumber: aadhaar(),
      },
      actor: { type: 'BENEFICIARY', id: account.id },
    },
  );
  const { token } = await issueBeneficiaryTokens(config.tokenSecret, { accountId: account.id, mobile: account.mobile });
  return { ...person, token, mobile: account.mobile };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe('a booking storm', () => {
  it(`gives ${SEATS} seats to exactly ${SEATS} of ${PEOPLE} people booking at once`, async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { dose1: SEATS, dose2: 0, district: PUNE });
    const people: Awaited<ReturnType<typeof verifiedPerson>>[] = [];
    for (let batch = 0; batch < PEOPLE; batch += 20) {
      people.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => verifiedPerson(batch + i)))));
    }

    const started = performance.now();
    const answers = await Promise.all(
      people.map(async (p) => {
        const t0 = performance.now();
        const response = await book(app, p.token, p.referenceId, session.id);
        return { person: p, response, ms: performance.now() - t0 };
      }),
    );
    const wallMs = performance.now() - started;
    const latencies = answers.map((a) => a.ms).sort((x, y) => x - y);
    console.log(
      `booking storm: ${PEOPLE} concurrent bookings for ${SEATS} seats in ${Math.round(wallMs)} ms; ` +
        `latency p50 ${Math.round(percentile(latencies, 50))} ms, p99 ${Math.round(percentile(latencies, 99))} ms, max ${Math.round(latencies.at(-1)!)} ms`,
    );

    const booked = answers.filter((a) => a.response.statusCode === 201);
    const refused = answers.filter((a) => a.response.statusCode !== 201);
    expect(booked).toHaveLength(SEATS);
    expect(refused).toHaveLength(PEOPLE - SEATS);
    for (const { response } of refused) {
      expect(response.statusCode, response.body).toBe(409);
      expect(['SESSION_FULL', 'SLOT_FULL']).toContain(response.json().code);
      expect(response.json().message).toMatch(/seats left|slot/);
    }
    for (const { response } of booked)
      expect(response.json()).toMatchObject({ dose: 1, stage: 'DOSE1_BOOKED', sessionDayId: session.id });

    const day = await db
      .selectFrom('session_day')
      .select(['dose1_booked', 'dose2_booked'])
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(day).toEqual({ dose1_booked: SEATS, dose2_booked: 0 });
    const slots = await db
      .selectFrom('session_slot')
      .select(['booked', 'capacity'])
      .where('session_day_id', '=', session.id)
      .execute();
    expect(slots.reduce((sum, s) => sum + s.booked, 0)).toBe(SEATS);
    expect(slots.every((s) => s.booked <= s.capacity)).toBe(true);
    const appointments = await db
      .selectFrom('appointment')
      .select(['beneficiary_id', 'status'])
      .where('session_day_id', '=', session.id)
      .execute();
    expect(appointments).toHaveLength(SEATS);
    expect(appointments.every((a) => a.status === 'BOOKED')).toBe(true);
    expect(new Set(appointments.map((a) => a.beneficiary_id))).toEqual(
      new Set(booked.map((a) => a.person.beneficiaryId)),
    );

    const stages = await db
      .selectFrom('beneficiary')
      .select(['id', 'stage'])
      .where(
        'id',
        'in',
        people.map((p) => p.beneficiaryId),
      )
      .execute();
    const bookedIds = new Set(booked.map((a) => a.person.beneficiaryId));
    expect(
      stages
        .filter((s) => s.stage === 'DOSE1_BOOKED')
        .map((s) => s.id)
        .sort(),
    ).toEqual([...bookedIds].sort());
    expect(stages.filter((s) => s.stage === 'VERIFIED')).toHaveLength(PEOPLE - SEATS);

    // Each seat holder is told once; nobody refused is told anything.
    await waitFor(async () => {
      const told = await Promise.all(
        booked.map(
          async (a) => (await readSms(app, a.person.mobile)).filter((m) => m.template === 'BOOKING_CONFIRMED').length,
        ),
      );
      return told.every((n) => n === 1);
    }, 'one confirmation per seat');
    const refusedSms = await db
      .selectFrom('sms_message')
      .select('id')
      .where(
        'mobile',
        'in',
        refused.map((a) => a.person.mobile),
      )
      .execute();
    expect(refusedSms).toEqual([]);
  }, 120_000);
});
