/**
 * A dry run's test people: registered the way every person is (their journeys start, on the run's clock) and
 * booked through the real booking path; a simulation books them "before the day", at its compressed clock's start,
 * a drill now. Making them again finds the ones already made (by their test ID), so a simulation's preparation can
 * be retried. The simulation's day itself is a workflow (workflows/workflows/dry-run-simulation.ts) whose steps
 * are in dry-run-steps.ts.
 */
import type { FastifyInstance } from 'fastify';
import { bookAppointments } from '../../db/repositories/bookings.js';
import { dryRunPersonByIdHash, insertTestAccount, type DryRunSite } from '../../db/repositories/dry-runs.js';
import { testIdNumber, testMobile, type PlannedPerson } from '../../domain/dry-run.js';
import { hashIdNumber, normaliseIdNumber } from '../../domain/identity.js';
import { registerBeneficiary } from './registration.js';

export const OTHERS_ID_TYPE = 13;
export const DRY_RUN_ACTOR = { type: 'SYSTEM' as const, id: 'dry-run', role: null };

export interface TestPerson {
  plan: PlannedPerson;
  beneficiaryId?: string;
  referenceId?: string;
  secretCode?: string;
  slotId?: number | null;
}

/**
 * Registers and books a site's booked test people (walk-ins come at the door). `bookedAt` is when they book: a
 * simulation's clock start, or now for a drill.
 */
export async function createTestPeople(
  app: FastifyInstance,
  run: { id: string; dayMs: number | null },
  site: DryRunSite,
  plan: PlannedPerson[],
  bookedAt: Date,
): Promise<TestPerson[]> {
  const people: TestPerson[] = [];
  for (const planned of plan) {
    if (planned.kind === 'WALKIN') {
      people.push({ plan: planned });
      continue;
    }
    const idNumber = testIdNumber(run.id, site.siteId, planned.index);
    const made = await dryRunPersonByIdHash(
      app.db,
      run.id,
      hashIdNumber(app.config.idHashSecret, OTHERS_ID_TYPE, normaliseIdNumber(idNumber)),
      site.sessionDayId,
    );
    const slot = site.slots[planned.slot ?? 0];
    if (made?.booked) {
      people.push({
        plan: planned,
        beneficiaryId: made.id,
        referenceId: made.referenceId,
        secretCode: made.secretCode,
        slotId: slot?.id ?? null,
      });
      continue;
    }
    let accountId: string | undefined;
    while (!made && !accountId) accountId = await insertTestAccount(app.db, run.id, testMobile(Math.random));
    const person = made
      ? { beneficiaryId: made.id, referenceId: made.referenceId, secretCode: made.secretCode }
      : await registerBeneficiary(
          { db: app.db, config: app.config, temporal: app.temporal, log: app.log },
          {
            accountId: accountId!,
            verified: true,
            person: {
              name: `Test Person ${planned.index + 1}`,
              birthYear: planned.birthYear,
              gender: planned.gender,
              idType: OTHERS_ID_TYPE,
              idNumber,
            },
            actor: DRY_RUN_ACTOR,
            // A simulation's people book at its clock's start, and their journeys run on its clock from there.
            dryRun: { id: run.id, dayMs: run.dayMs, ...(run.dayMs ? { calendarStartMs: bookedAt.getTime() } : {}) },
          },
        );
    await bookAppointments(
      app.db,
      {
        people: [{ beneficiaryId: person.beneficiaryId }],
        sessionDayId: site.sessionDayId,
        slotId: slot?.id,
        channel: 'PORTAL',
        actor: DRY_RUN_ACTOR,
      },
      bookedAt,
    );
    people.push({
      plan: planned,
      beneficiaryId: person.beneficiaryId,
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      slotId: slot?.id ?? null,
    });
  }
  return people;
}
