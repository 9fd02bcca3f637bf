/**
 * Journeys sleep for months, so a release must replay every history recorded by the code before it. Each file in
 * ./histories is a real history recorded with an earlier release (binary protobuf, as `fetchHistory` returns it:
 * booking, reschedule, cancel, reminder and no-show, a cancelled session, dose 1 then dose 2 booked, withdrawal
 * while booked, a whole journey with each dose's step in one local activity, a no-show waiting for a desk device
 * whose late dose then completed the booking, a booking moved because its session was cancelled) and session days
 * (a dose while PLANNED under the code before `open-on-dose`, a day opened by its dose); the current workflow code
 * must replay each without a nondeterminism error. Add a recording whenever a workflow's commands change:
 * `RECORD_JOURNEY_HISTORY=tests/journey/histories/<name>.binpb npx vitest run tests/journey/full-journey.test.ts`
 * (the waiting no-show: `RECORD_NO_SHOW_WAIT_HISTORY=... npx vitest run tests/desk/late-sync.test.ts`; a moved
 * booking: `RECORD_SESSION_MOVE_HISTORY=... npx vitest run tests/sessions/interventions.test.ts`; a day opened by
 * its dose: `RECORD_SESSION_OPEN_ON_DOSE_HISTORY=... npx vitest run tests/sessions/session-day.test.ts`; the
 * precaution dose booked and given: `RECORD_PRECAUTION_HISTORY=... npx vitest run tests/journey/precaution.test.ts`).
 * `old-code-dose2-names-precaution-due` was recorded by scripts/record-journey-history.ts in a checkout of the
 * release before `precaution-dose`: its dose-2 signal names a precaution due date and the old code still ends the
 * journey at FULLY_VACCINATED, which the current code must replay rather than wait for the precaution dose.
 * `old-code-verified-asleep-then-booked` and `old-code-dose1-followups-spent-then-dose2` were recorded by
 * scripts/record-inactive-histories.ts (`old`) in a checkout of the release before `ends-when-inactive`: journeys
 * asleep with no timer (never booked; every dose-2 follow-up sent), woken later by their person, which the current
 * code must replay without the timer that now ends such a journey. The same script (`new`) recorded the journeys
 * that end awaiting return and one resumed for its person's booking.
 * `old-code-late-dose1-due-and-overdue-at-once` was recorded by scripts/record-late-dose-histories.ts (`old`) with
 * the release before `late-dose1-one-text`: a dose 1 given 60 days before it was recorded, whose dose-2 due text
 * and three overdue follow-ups went out at once; the same script (`new`) recorded the one overdue text of now.
 * `dry-run-clock-no-show` (scripts/record-dry-run-clock-history.ts): a simulated dry run's person whose no-show check
 * runs on the run's clock, finds the day open, looks again and releases the booking once it has closed.
 * `local-steps-full-journey` (`RECORD_JOURNEY_HISTORY`, above): a whole journey under `local-steps`, its stages and
 * texts taken in local activities.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../workflows/worker.js';

const dir = new URL('./histories/', import.meta.url);
const files = readdirSync(dir).filter((name) => name.endsWith('.binpb'));

describe('workflow histories recorded by earlier releases', () => {
  it(`replay with the current workflow code (${files.length} histories)`, async () => {
    expect(files.length).toBeGreaterThan(0);
    const histories = files.map((name) => ({
      workflowId: name.replace(/\.binpb$/, ''),
      history: temporal.api.history.v1.History.decode(readFileSync(new URL(name, dir))),
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
