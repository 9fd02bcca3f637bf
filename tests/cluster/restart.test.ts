/**
 * A whole Temporal cluster restarted while journeys sleep: people are booked for a session three days ahead, so
 * each journey waits on its day-before reminder timer. Every service of the cluster is SIGKILLed and the cluster is
 * started again on the same Postgres; afterwards each sleeping journey's reminder fires, exactly once, and the
 * journeys are still running at DOSE1_BOOKED. Days are compressed (DAY_MS) so the timers fall due within minutes.
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBeneficiaryTokens } from '../../api/auth/tokens.js';
import { addDays, indiaDate } from '../../domain/time.js';
import { journeySnapshotQuery, workflowIds } from '../../workflows/shared.js';
import { RetryingClient } from '../reliability/client.js';
import { startIsolatedStack, type IsolatedStack } from '../reliability/stack.js';
import { insertAccount, insertSessionDay, PUNE } from '../support/fixtures.js';
import { aadhaar } from '../support/journey.js';
import { TEST_SECRETS } from '../support/secrets.js';

/** A calendar day lasts 90 s: the reminder (00:00 two India days ahead) falls due 90 to 180 s after booking. */
const DAY_MS = 90_000;
const PEOPLE = 20;

let stack: IsolatedStack;

beforeAll(async () => {
  stack = await startIsolatedStack({ apis: 2, workers: 2, temporal: 'cluster', env: { DAY_MS: String(DAY_MS) } });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a Temporal cluster restarted with journeys asleep', () => {
  it('fires every sleeping journey’s reminder after the whole cluster was SIGKILLed and started again', async () => {
    const { db } = stack;
    const client = new RetryingClient(stack.apiUrls);
    const session = await insertSessionDay(db, {
      district: PUNE,
      date: addDays(indiaDate(), 3),
      vaccine: 'COVAXIN',
      dose1: PEOPLE,
      dose2: 0,
    });

    const people: Array<{ referenceId: string; mobile: string }> = [];
    for (let i = 0; i < PEOPLE; i++) {
      const account = await insertAccount(db);
      const { token } = await issueBeneficiaryTokens(TEST_SECRETS.TOKEN_SECRET, {
        accountId: account.id,
        mobile: account.mobile,
      });
      const registered = await client.call('POST', '/api/v1/beneficiaries', {
        token,
        body: { name: 'Sleeping Tester', birthYear: 1975, gender: 'M', idType: 1, idNumber: aadhaar() },
      });
      expect(registered.status, JSON.stringify(registered.body)).toBe(201);
      const booked = await client.call('POST', '/api/v1/appointments', {
        token,
        body: { referenceId: registered.body.referenceId, sessionDayId: session.id },
      });
      expect(booked.status, JSON.stringify(booked.body)).toBe(201);
      people.push({ referenceId: registered.body.referenceId, mobile: account.mobile });
    }
    const mobiles = people.map((p) => p.mobile);
    const smsOf = (template: string) =>
      db
        .selectFrom('sms_message')
        .select(['mobile', 'status', 'created_at'])
        .where('template', '=', template)
        .where('mobile', 'in', mobiles)
        .execute();

    // Every journey has taken its booking and sleeps toward the reminder.
    const deadline = Date.now() + 60_000;
    while ((await smsOf('BOOKING_CONFIRMED')).length < PEOPLE) {
      if (Date.now() > deadline) throw new Error(`booking confirmations missing\n${stack.logs()}`);
      await sleep(500);
    }
    expect(await smsOf('APPOINTMENT_REMINDER')).toEqual([]);

    const killedAt = new Date();
    await stack.killAndRestartTemporal(2_000);
    const restartedAt = new Date();
    // Still asleep when the cluster came back: no reminder was written while it was down.
    expect((await smsOf('APPOINTMENT_REMINDER')).filter((m) => m.created_at < restartedAt)).toEqual([]);

    const reminderDeadline = Date.now() + 4 * DAY_MS;
    while ((await smsOf('APPOINTMENT_REMINDER')).length < PEOPLE) {
      if (Date.now() > reminderDeadline) {
        throw new Error(
          `${(await smsOf('APPOINTMENT_REMINDER')).length} of ${PEOPLE} reminders after the restart\n${stack.logs()}`,
        );
      }
      await sleep(1_000);
    }
    await sleep(3_000); // a doubled reminder would show by now
    const reminders = await smsOf('APPOINTMENT_REMINDER');
    expect(reminders).toHaveLength(PEOPLE);
    expect(new Set(reminders.map((m) => m.mobile)).size).toBe(PEOPLE);
    for (const reminder of reminders) expect(reminder.created_at.getTime()).toBeGreaterThan(killedAt.getTime());

    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const temporal = new Client({ connection });
      for (const { referenceId } of people) {
        const snapshot = await temporal.workflow
          .getHandle(workflowIds.journey(referenceId))
          .query(journeySnapshotQuery);
        expect(snapshot.stage, referenceId).toBe('DOSE1_BOOKED');
      }
    } finally {
      await connection.close();
    }
  }, 600_000);
});
