/**
 * A simulated dry run's people: their journeys place their appointment's no-show check on the run's compressed day
 * (the journey's start standing for the run's calendar start, as the session day's workflow does), not on the real
 * India calendar seen from now, which put it at once in the afternoon and hours of the run's clock later at night.
 * A check that finds the day not yet closed looks again a grace period later. One journey on a worker of this
 * file's own, its activities stubbed: the day's status is what the test says.
 */
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defaultJourneyPolicy, scaleDuration } from '../../domain/journey-schedule.js';
import { simulationCalendarStart } from '../../domain/dry-run.js';
import { addDays, indiaDate, indiaInstant } from '../../domain/time.js';
import type { JourneyInput } from '../../workflows/shared.js';
import { workflowsPath } from '../../workflows/worker.js';
import { waitFor } from '../support/journey.js';

const taskQueue = `dry-run-clock-${randomUUID().slice(0, 8)}`;
/** The run's clock: a calendar minute is 0.2 s. */
const DAY_MS = 288_000;
const policy = defaultJourneyPolicy(DAY_MS);

/** What the stubbed activities saw and answer. */
const day = { status: 'OPEN', closesAtMs: 0 };
const releases: { status: string }[] = [];
const texts: string[] = [];

let worker: Worker;
let running: Promise<void>;
let client: Client;
beforeAll(async () => {
  const address = inject('temporalAddress');
  const namespace = inject('temporalNamespace');
  const nop = async () => undefined;
  worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    namespace,
    taskQueue,
    workflowsPath,
    activities: {
      projectStage: nop,
      projectInactive: nop,
      projectResumed: nop,
      completeDoseStep: nop,
      issueCertificate: nop,
      checkOtp: nop,
      reserveAppointment: nop,
      moveAppointment: nop,
      withdrawBeneficiary: nop,
      notifyBeneficiary: async (input: { template: string }) => void texts.push(input.template),
      describeSessionClosing: async () => ({ ...day, devicesToReport: 0 }),
      releaseAppointment: async () => {
        releases.push({ status: day.status });
        return 'RELEASED';
      },
    },
  });
  running = worker.run();
  client = new Client({ connection: await Connection.connect({ address }), namespace });
}, 120_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
});

describe("a simulated dry run's journey", () => {
  it("checks for a no-show on the run's clock, and only once the day has closed", { timeout: 120_000 }, async () => {
    // A run ten days ahead, its session 09:00-09:20: on the run's clock, the check is 60 calendar minutes (12 s)
    // after the journey's start; on the real calendar it would be ten days (48 minutes) away.
    const date = addDays(indiaDate(), 10);
    const calendarStartMs = simulationCalendarStart(date, '09:00:00');
    day.closesAtMs = indiaInstant(date, '09:20').getTime();
    const checkAfterMs = scaleDuration(day.closesAtMs + 30 * 60_000 - calendarStartMs, policy);
    const input: JourneyInput = {
      beneficiaryId: randomUUID(),
      referenceId: String(Date.now()).padStart(14, '7').slice(-14),
      verified: true,
      registeredAtMs: Date.now(),
      policy,
      calendarStartMs,
    };
    const before = Date.now();
    const journey = await client.workflow.start('beneficiaryJourneyWorkflow', {
      workflowId: `dry-run-clock-${randomUUID()}`,
      taskQueue,
      args: [input],
    });
    await journey.signal('bookingChanged', {
      version: 1,
      change: 'BOOKED',
      dose: 1,
      stage: 'DOSE1_BOOKED',
      reason: 'dose 1 booked',
      appointment: {
        appointmentId: randomUUID(),
        sessionDayId: randomUUID(),
        slotId: 1,
        dose: 1,
        date,
        startsAt: '09:00:00',
        endsAt: '09:20:00',
        siteName: 'Dry run PHC',
        closesAtMs: day.closesAtMs,
      },
    });
    // The timer the journey set for its check (after it texted the booking): the run's clock from its start,
    // however long the test took since.
    const history = await waitFor(async () => {
      const events = (await journey.fetchHistory()).events!;
      const texted = events.findIndex((e) => e.activityTaskCompletedEventAttributes);
      return texted >= 0 && events.slice(texted).some((e) => e.timerStartedEventAttributes) && { events };
    }, 'the booking taken on');
    const elapsedMs = Date.now() - before;
    expect(texts).toEqual(['BOOKING_CONFIRMED']);
    const timers = history
      .events!.filter((e) => e.timerStartedEventAttributes)
      .map((e) => {
        const t = e.timerStartedEventAttributes!.startToFireTimeout!;
        return Number(t.seconds ?? 0) * 1000 + Math.round((t.nanos ?? 0) / 1e6);
      });
    const check = timers.at(-1)!;
    expect(check).toBeLessThanOrEqual(checkAfterMs);
    expect(check).toBeGreaterThanOrEqual(checkAfterMs - elapsedMs);
    const markers = history.events!.flatMap((e) => {
      const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
      return data ? [JSON.parse(Buffer.from(data).toString('utf8')).id as string] : [];
    });
    expect(markers).toContain('dry-run-clock');

    // The day is still open when the check comes: the journey looks again rather than release the booking.
    await waitFor(
      async () =>
        (await journey.fetchHistory()).events!.filter((e) => e.timerStartedEventAttributes).length > timers.length,
      'the no-show check looking again',
      60_000,
    );
    expect(releases).toEqual([]);
    day.status = 'CLOSED';
    await waitFor(async () => texts.includes('NO_SHOW'), 'the no-show text', 60_000);
    expect(releases).toEqual([{ status: 'CLOSED' }]);
    const snapshot = await journey.query<{ stage: string }>('journeySnapshot');
    expect(snapshot.stage).toBe('VERIFIED');
    await journey.terminate('test over');
  });
});
