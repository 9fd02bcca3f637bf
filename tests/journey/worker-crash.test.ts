/**
 * The worker is SIGKILLed mid-journey and restarted: the journey continues where it was, and no timer or SMS
 * is lost or doubled. The test runs its own worker on its own task queue so it can kill it.
 */
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertSessionDay, uniqueMobile } from '../support/fixtures.js';
import { loginBeneficiary, readSms, registerPerson, stageOf, waitFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { kill, spawnWorker } from '../support/processes.js';

const taskQueue = `journey-crash-${randomUUID().slice(0, 8)}`;
let platform: TestPlatform;
let worker: ChildProcess | undefined;
const target = () => ({
  databaseUrl: inject('databaseUrl'),
  temporalAddress: inject('temporalAddress'),
  temporalNamespace: inject('temporalNamespace'),
  taskQueue,
});

beforeAll(async () => {
  // 4 s a day: a session two days ahead has its reminder within seconds and its no-show a few seconds later.
  platform = await startTestPlatform({
    dayMs: 4_000,
    temporal: { address: inject('temporalAddress'), namespace: inject('temporalNamespace'), taskQueue },
  });
  worker = await spawnWorker(target());
});
afterAll(async () => {
  if (worker) await kill(worker, 'SIGTERM');
  await platform.close();
});

describe('a journey survives its worker being killed', () => {
  it('sends the booking confirmation, the reminder and the no-show SMS exactly once across a SIGKILL', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, {
      vaccine: 'COVAXIN',
      date: addDays(indiaDate(), 2),
      opensAt: '09:00:00',
      closesAt: '17:00:00',
      slotMinutes: 120,
    });
    const mobile = uniqueMobile();
    const token = await loginBeneficiary(app, mobile);
    const { referenceId } = (await registerPerson(app, token)).json();
    const booked = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: { authorization: `Bearer ${token}` },
      payload: { referenceId, sessionDayId: session.id },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    // The kill lands while the journey waits for its reminder, not while the confirmation is with the gateway: an
    // SMS whose sender died mid-send is held until SMS_SENDING_STALE_SECONDS (messaging/sms-outbox.ts).
    await waitFor(
      async () =>
        (await readSms(app, mobile)).some(
          (m) => m.template === 'BOOKING_CONFIRMED' && (m.status === 'SENT' || m.status === 'DELIVERED'),
        ),
      'the booking confirmation sent',
    );

    await kill(worker!, 'SIGKILL');
    // While no worker runs, the reminder falls due; nothing is sent.
    await new Promise((r) => setTimeout(r, 3_000));
    worker = await spawnWorker(target());

    await waitFor(
      async () => (await readSms(app, mobile)).some((m) => m.template === 'NO_SHOW'),
      'no-show SMS',
      40_000,
    );
    await waitFor(async () => (await stageOf(db, referenceId)) === 'VERIFIED', 'back to VERIFIED');
    // Give a doubled timer or SMS time to show up before counting.
    await new Promise((r) => setTimeout(r, 2_000));
    const counts: Record<string, number> = {};
    for (const m of await readSms(app, mobile)) counts[m.template] = (counts[m.template] ?? 0) + 1;
    expect(counts).toEqual({ OTP: 1, BOOKING_CONFIRMED: 1, APPOINTMENT_REMINDER: 1, NO_SHOW: 1 });

    const day = await db
      .selectFrom('session_day')
      .select(['dose1_booked', 'no_shows'])
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(day).toEqual({ dose1_booked: 0, no_shows: 1 });
    const history = await db
      .selectFrom('journey_stage_history')
      .innerJoin('beneficiary', 'beneficiary.id', 'journey_stage_history.beneficiary_id')
      .select('to_stage')
      .where('beneficiary.reference_id', '=', referenceId)
      .orderBy('journey_stage_history.id')
      .execute();
    expect(history.map((h) => h.to_stage)).toEqual(['VERIFIED', 'DOSE1_BOOKED', 'VERIFIED']);
  }, 90_000);
});
