/**
 * Load with faults, scripted and repeatable: on an isolated stack (tests/reliability/stack.ts), 150 people each
 * book and are then vaccinated through the HTTP API, by clients that retry network errors and 5xx answers with the
 * same request (the same client event id for a dose), while a plan of faults runs. Afterwards nothing acknowledged
 * is lost or doubled: every booking and dose is stored once, every journey is DOSE1_DONE (in Postgres and in the
 * workflow itself), each person got exactly one booking and one dose SMS, no session day is overbooked and the
 * workflow outbox is empty. Used by tests/reliability/faults-under-load.test.ts (dev server) and
 * tests/cluster/faults.test.ts (a Temporal cluster whose services are killed one by one).
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { issueBeneficiaryTokens, issueStaffToken } from '../../api/auth/tokens.js';
import { journeySnapshotQuery, workflowIds } from '../../workflows/shared.js';
import { insertAccount, insertSessionDay, insertStaff, PUNE } from '../support/fixtures.js';
import { aadhaar } from '../support/journey.js';
import { TEST_SECRETS } from '../support/secrets.js';
import { RetryingClient, type Answer } from './client.js';
import type { IsolatedStack } from './stack.js';

const PEOPLE = 150;
const SESSIONS = 3;
/** Seats for exactly everyone: people spill from a full session day to the next, so seat counting is tested too. */
const SEATS_PER_SESSION = PEOPLE / SESSIONS;
/** One person starts every LAUNCH_EVERY_MS: the load lasts about 40 s, across every fault. */
const LAUNCH_EVERY_MS = 250;

interface Person {
  index: number;
  token: string;
  referenceId: string;
  secretCode: string;
  /** Where the booking ended up, and whether the API said so (2xx) or we learned it after a fault. */
  sessionDayId?: string;
  bookingAcknowledged: boolean;
  bookingConfirmedAfterFault: boolean;
  doseAcknowledged: boolean;
  doseClientEventId: string;
  answers: Array<{ step: string; status: number; code?: string; attempts: number; faults: string[] }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(
  stack: IsolatedStack,
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${stack.logs()}`);
    await sleep(500);
  }
}

/** ['network', 'network', '500'] → ['network ×2', '500']: what a client went through, readably. */
function collapse(faults: string[]): string[] {
  const out: Array<{ fault: string; n: number }> = [];
  for (const fault of faults) {
    if (out.at(-1)?.fault === fault) out.at(-1)!.n++;
    else out.push({ fault, n: 1 });
  }
  return out.map(({ fault, n }) => (n > 1 ? `${fault} ×${n}` : fault));
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function inBatches<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Runs one fault: `name` for the report, `act` kills and restarts something (resolves once it is back). */
export type Fault = (name: string, act: () => Promise<void>) => Promise<void>;

/**
 * Serves the people while `plan` runs its faults (it starts with the load; each person starts every
 * LAUNCH_EVERY_MS, so the load lasts about 40 s), then checks everything. `label` prefixes the report's lines.
 */
export async function servePeopleThroughFaults(
  stack: IsolatedStack,
  plan: (fault: Fault) => Promise<void>,
  label: string,
): Promise<void> {
  let temporalConnection: Connection | undefined;
  try {
    const { db } = stack;
    const client = new RetryingClient(stack.apiUrls);

    // --- the place: three session days of today, a vaccinator assigned to each
    const sessions: Array<{ id: string; vaccinatorToken: string }> = [];
    for (let s = 0; s < SESSIONS; s++) {
      const day = await insertSessionDay(db, {
        district: PUNE,
        vaccine: 'COVAXIN',
        dose1: SEATS_PER_SESSION,
        dose2: 0,
        walkin: 0,
      });
      const staff = await insertStaff(db, 'VACCINATOR', PUNE);
      const { date } = await db
        .selectFrom('session_day')
        .select('date')
        .where('id', '=', day.id)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('session_assignment')
        .values({
          session_day_id: day.id,
          staff_id: staff.id,
          session_date: date,
          team_role: 'VACCINATOR',
          assigned_by: null,
        })
        .execute();
      const { token } = await issueStaffToken(TEST_SECRETS.TOKEN_SECRET, {
        id: staff.id,
        role: 'VACCINATOR',
        stateId: PUNE.stateId,
        districtId: PUNE.districtId,
        name: 'Fault Vaccinator',
      });
      sessions.push({ id: day.id, vaccinatorToken: token });
    }

    // --- the people: a verified mobile each, registered through the API before the faults begin
    const people: Person[] = [];
    await inBatches(
      Array.from({ length: PEOPLE }, (_, i) => i),
      8,
      async (index) => {
        const account = await insertAccount(db);
        const { token } = await issueBeneficiaryTokens(TEST_SECRETS.TOKEN_SECRET, {
          accountId: account.id,
          mobile: account.mobile,
        });
        const registered = await client.call('POST', '/api/v1/beneficiaries', {
          token,
          body: { name: 'Faulty Tester', birthYear: 1980, gender: 'F', idType: 1, idNumber: aadhaar() },
        });
        expect(registered.status, JSON.stringify(registered.body)).toBe(201);
        people.push({
          index,
          token,
          referenceId: registered.body.referenceId,
          secretCode: registered.body.secretCode,
          bookingAcknowledged: false,
          bookingConfirmedAfterFault: false,
          doseAcknowledged: false,
          doseClientEventId: `fault-${randomUUID()}`,
          answers: [],
        });
      },
    );
    people.sort((a, b) => a.index - b.index);

    let inFlight = 0;
    const note = (person: Person, step: string, answer: Answer) =>
      person.answers.push({
        step,
        status: answer.status,
        code: answer.body?.code,
        attempts: answer.attempts,
        faults: collapse(answer.faults),
      });

    async function book(person: Person): Promise<void> {
      for (let tried = 0; tried < SESSIONS; tried++) {
        const session = sessions[(person.index + tried) % SESSIONS];
        const answer = await client.call('POST', '/api/v1/appointments', {
          token: person.token,
          body: { referenceId: person.referenceId, sessionDayId: session.id },
        });
        note(person, 'book', answer);
        if (answer.status === 201) {
          person.sessionDayId = answer.body.sessionDayId;
          person.bookingAcknowledged = true;
          return;
        }
        if (answer.status === 409 && answer.body?.code === 'ALREADY_BOOKED') {
          // An attempt cut off by a fault had gone through: the person's own page says where.
          const mine = await client.call('GET', `/api/v1/beneficiaries/${person.referenceId}`, { token: person.token });
          const live = mine.body?.appointments?.find(
            (a: { dose: number; status: string }) => a.dose === 1 && a.status === 'BOOKED',
          );
          if (live) {
            person.sessionDayId = live.sessionDayId;
            person.bookingConfirmedAfterFault = true;
          }
          return;
        }
        if (!(answer.status === 409 && answer.body?.code === 'SESSION_FULL')) return;
      }
    }

    async function vaccinate(person: Person): Promise<void> {
      const session = sessions.find((s) => s.id === person.sessionDayId)!;
      const answer = await client.call('POST', '/api/v1/doses', {
        token: session.vaccinatorToken,
        body: {
          referenceId: person.referenceId,
          secretCode: person.secretCode,
          sessionDayId: session.id,
          vaccineCode: 'COVAXIN',
          batch: 'FLT-001',
          clientEventId: person.doseClientEventId,
        },
      });
      note(person, 'dose', answer);
      person.doseAcknowledged = answer.status === 201 || answer.status === 200;
    }

    async function journey(person: Person): Promise<void> {
      inFlight++;
      try {
        await book(person);
        if (person.sessionDayId) await vaccinate(person);
      } finally {
        inFlight--;
      }
    }

    // --- the load and the faults, at once
    const started = Date.now();
    const faultLog: string[] = [];
    const load = (async () => {
      const running: Array<Promise<void>> = [];
      for (const person of people) {
        running.push(journey(person));
        await sleep(LAUNCH_EVERY_MS);
      }
      await Promise.all(running);
    })();
    const fault = async (name: string, act: () => Promise<void>) => {
      const at = Date.now();
      const busy = inFlight;
      await act();
      faultLog.push(
        `${name} at ${((at - started) / 1000).toFixed(1)} s with ${busy} journeys in flight, back after ${((Date.now() - at) / 1000).toFixed(1)} s`,
      );
    };
    const faults = plan(fault);
    await Promise.all([load, faults]);
    const loadSeconds = (Date.now() - started) / 1000;

    // --- let the relay and the journeys catch up
    const vaccinated = people.filter((p) => p.doseAcknowledged);
    const referenceIds = people.map((p) => p.referenceId);
    await waitUntil(
      stack,
      'the workflow outbox to drain',
      async () => {
        const { count } = await db
          .selectFrom('workflow_outbox')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('delivered_at', 'is', null)
          .executeTakeFirstOrThrow();
        return count === 0;
      },
      90_000,
    );
    await waitUntil(
      stack,
      'every vaccinated journey to reach DOSE1_DONE',
      async () => {
        const rows = await db
          .selectFrom('beneficiary')
          .select('stage')
          .where(
            'reference_id',
            'in',
            vaccinated.map((p) => p.referenceId),
          )
          .execute();
        return rows.length === vaccinated.length && rows.every((r) => r.stage === 'DOSE1_DONE');
      },
      120_000,
    );
    const smsOf = async () =>
      db
        .selectFrom('sms_message')
        .innerJoin('account', 'account.mobile', 'sms_message.mobile')
        .innerJoin('beneficiary', 'beneficiary.account_id', 'account.id')
        .select(['beneficiary.reference_id', 'sms_message.template', 'sms_message.status'])
        .where('beneficiary.reference_id', 'in', referenceIds)
        .execute();
    await waitUntil(
      stack,
      'the booking and dose SMS of everyone vaccinated',
      async () => {
        const sent = (await smsOf()).filter((m) => m.status === 'SENT');
        return (
          sent.filter((m) => m.template === 'DOSE_RECORDED').length >= vaccinated.length &&
          sent.filter((m) => m.template === 'BOOKING_CONFIRMED').length >= vaccinated.length
        );
      },
      90_000,
    );
    // Give a doubled signal, timer or SMS the time to show up before counting.
    await sleep(3_000);

    // --- what is stored
    const doses = await db
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .select(['beneficiary.reference_id', 'dose.client_event_id', 'dose.session_day_id'])
      .where('beneficiary.reference_id', 'in', referenceIds)
      .execute();
    const appointments = await db
      .selectFrom('appointment')
      .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
      .select(['beneficiary.reference_id', 'appointment.session_day_id', 'appointment.status'])
      .where('beneficiary.reference_id', 'in', referenceIds)
      .where('appointment.dose_number', '=', 1)
      .where('appointment.status', 'in', ['BOOKED', 'COMPLETED'])
      .execute();
    const tally = (rows: Array<{ reference_id: string }>) => {
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(row.reference_id, (counts.get(row.reference_id) ?? 0) + 1);
      return counts;
    };
    const dosesPer = tally(doses);
    const bookingsPer = tally(appointments);

    const bookingsAcknowledged = people.filter((p) => p.bookingAcknowledged);
    const report = {
      people: PEOPLE,
      load: `${loadSeconds.toFixed(1)} s`,
      faults: faultLog,
      bookings: {
        sent: people.length,
        acknowledged: bookingsAcknowledged.length,
        confirmedAfterFault: people.filter((p) => p.bookingConfirmedAfterFault).length,
        stored: bookingsPer.size,
        duplicated: [...bookingsPer.values()].filter((n) => n > 1).length,
        lost: bookingsAcknowledged.filter((p) => !bookingsPer.has(p.referenceId)).length,
      },
      doses: {
        sent: people.filter((p) => p.answers.some((a) => a.step === 'dose')).length,
        acknowledged: vaccinated.length,
        stored: dosesPer.size,
        duplicated: [...dosesPer.values()].filter((n) => n > 1).length,
        lost: vaccinated.filter((p) => !dosesPer.has(p.referenceId)).length,
      },
      requestsRetried: people.flatMap((p) => p.answers).filter((a) => a.faults.length > 0).length,
      faultsSeenByClients: people
        .flatMap((p) => p.answers.flatMap((a) => a.faults))
        .reduce<Record<string, number>>((acc, f) => {
          const [kind, times] = f.split(' ×');
          return { ...acc, [kind]: (acc[kind] ?? 0) + Number(times ?? 1) };
        }, {}),
      unanswered: people
        .filter((p) => !p.doseAcknowledged)
        .map((p) => ({ referenceId: p.referenceId, answers: p.answers })),
    };
    console.log(`[${label}] ${JSON.stringify({ ...report, unanswered: report.unanswered.slice(0, 3) }, null, 2)}`);
    const doubled = [...bookingsPer.entries()].filter(([, n]) => n > 1).map(([referenceId]) => referenceId);
    if (doubled.length) {
      const rows = await db
        .selectFrom('appointment')
        .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
        .select([
          'beneficiary.reference_id',
          'appointment.id',
          'appointment.session_day_id',
          'appointment.status',
          'appointment.booked_at',
          'appointment.updated_at',
          'appointment.channel',
        ])
        .where('beneficiary.reference_id', 'in', doubled)
        .orderBy('appointment.booked_at')
        .execute();
      const audits = await db
        .selectFrom('audit_log')
        .selectAll()
        .where(
          'entity_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      console.log(
        `[${label}] doubled bookings: ${JSON.stringify({ rows, audits, answers: people.filter((p) => doubled.includes(p.referenceId)).map((p) => ({ ref: p.referenceId, sessionDayId: p.sessionDayId, answers: p.answers })) }, null, 2)}`,
      );
    }
    if (report.unanswered.length) {
      console.log(`[${label}] ${report.unanswered.length} people not served; process output:\n${stack.logs()}`);
      const connection = await Connection.connect({ address: stack.temporalAddress });
      try {
        for (const { referenceId } of report.unanswered.slice(0, 3)) {
          const history = await new Client({ connection }).workflow
            .getHandle(workflowIds.journey(referenceId))
            .fetchHistory();
          const events = (history.events ?? []).map(
            (e) =>
              `${e.eventId} ${e.eventType} ${e.activityTaskScheduledEventAttributes?.activityType?.name ?? ''}${e.activityTaskFailedEventAttributes?.failure?.message ?? ''}`,
          );
          console.log(`[${label}] history of ${referenceId}:\n  ${events.join('\n  ')}`);
        }
      } finally {
        await connection.close();
      }
    }

    // Everyone got through: every booking and every dose ended acknowledged (or, for a booking, confirmed).
    expect(report.unanswered.length).toBe(0);
    expect(report.bookings.lost).toBe(0);
    expect(report.bookings.duplicated).toBe(0);
    expect(report.doses.lost).toBe(0);
    expect(report.doses.duplicated).toBe(0);
    expect(report.bookings.stored).toBe(PEOPLE);
    expect(report.doses.stored).toBe(PEOPLE);
    // Each dose is the one its device sent, at the session day its person was booked on.
    const personOf = new Map(people.map((p) => [p.referenceId, p]));
    for (const dose of doses) {
      expect(dose.client_event_id).toBe(personOf.get(dose.reference_id)!.doseClientEventId);
      expect(dose.session_day_id).toBe(personOf.get(dose.reference_id)!.sessionDayId);
    }
    expect(appointments.every((a) => a.status === 'COMPLETED')).toBe(true);

    // Journeys: the projection and the workflows themselves agree on DOSE1_DONE.
    const stages = await db
      .selectFrom('beneficiary')
      .select(['reference_id', 'stage'])
      .where('reference_id', 'in', referenceIds)
      .execute();
    expect(stages.filter((s) => s.stage !== 'DOSE1_DONE')).toEqual([]);
    temporalConnection = await Connection.connect({ address: stack.temporalAddress });
    const temporal = new Client({ connection: temporalConnection });
    const snapshots: Array<{ referenceId: string; stage: string; dosesReceived: number }> = [];
    await inBatches(referenceIds, 10, async (referenceId) => {
      const snapshot = await temporal.workflow.getHandle(workflowIds.journey(referenceId)).query(journeySnapshotQuery);
      snapshots.push({ referenceId, stage: snapshot.stage, dosesReceived: snapshot.dosesReceived });
    });
    expect(snapshots.filter((s) => s.stage !== 'DOSE1_DONE' || s.dosesReceived !== 1)).toEqual([]);
    const history = await db
      .selectFrom('journey_stage_history')
      .innerJoin('beneficiary', 'beneficiary.id', 'journey_stage_history.beneficiary_id')
      .select(['beneficiary.reference_id', 'journey_stage_history.to_stage'])
      .where('beneficiary.reference_id', 'in', referenceIds)
      .execute();
    expect(history.length).toBe(PEOPLE * 3); // VERIFIED, DOSE1_BOOKED, DOSE1_DONE: each once

    // SMS: exactly one booking confirmation and one dose SMS per person, each sent.
    const sms = await smsOf();
    const smsCounts: Record<string, number> = {};
    for (const m of sms) smsCounts[`${m.template}:${m.status}`] = (smsCounts[`${m.template}:${m.status}`] ?? 0) + 1;
    console.log(`[${label}] sms ${JSON.stringify(smsCounts)}`);
    const doubledSms = [
      ...tally(
        sms
          .filter((m) => m.template === 'BOOKING_CONFIRMED' || m.template === 'DOSE_RECORDED')
          .map((m) => ({ reference_id: `${m.reference_id} ${m.template}` })),
      ).entries(),
    ].filter(([, n]) => n > 1);
    for (const [key] of doubledSms) {
      const [referenceId, template] = key.split(' ');
      const rows = await db
        .selectFrom('sms_message')
        .select(['idempotency_key', 'status', 'created_at'])
        .where('template', '=', template)
        .where('mobile', '=', (eb) =>
          eb
            .selectFrom('account')
            .innerJoin('beneficiary', 'beneficiary.account_id', 'account.id')
            .select('account.mobile')
            .where('beneficiary.reference_id', '=', referenceId),
        )
        .execute();
      const events: string[] = [];
      for await (const event of (await temporal.workflow.getHandle(workflowIds.journey(referenceId)).fetchHistory())
        .events ?? []) {
        const update =
          event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ??
          event.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId ??
          '';
        const activity = event.activityTaskScheduledEventAttributes?.activityType?.name ?? '';
        events.push(`${event.eventId} ${event.eventType} ${update}${activity}`);
      }
      console.log(
        `[${label}] doubled ${template} for ${referenceId}: ${JSON.stringify(rows)}\n  answers ${JSON.stringify(personOf.get(referenceId)?.answers)}\n  ${events.join('\n  ')}`,
      );
    }
    expect(smsCounts).toEqual({ 'BOOKING_CONFIRMED:SENT': PEOPLE, 'DOSE_RECORDED:SENT': PEOPLE });
    for (const template of ['BOOKING_CONFIRMED', 'DOSE_RECORDED']) {
      expect(new Set(sms.filter((m) => m.template === template).map((m) => m.reference_id)).size).toBe(PEOPLE);
    }

    // Seats: no session day overbooked, and its counter matches the appointments it holds.
    const days = await db
      .selectFrom('session_day')
      .select([
        'id',
        'dose1_capacity',
        'dose1_booked',
        sql<number>`(select count(*) from appointment a where a.session_day_id = session_day.id and a.status in ('BOOKED', 'COMPLETED'))`.as(
          'held',
        ),
      ])
      .where(
        'id',
        'in',
        sessions.map((s) => s.id),
      )
      .execute();
    for (const day of days) {
      expect(day.dose1_booked).toBeLessThanOrEqual(day.dose1_capacity);
      expect(day.dose1_booked).toBe(Number(day.held));
    }

    // Nothing left undelivered in the workflow outbox.
    const pending = await db
      .selectFrom('workflow_outbox')
      .select(['id', 'kind', 'last_error'])
      .where('delivered_at', 'is', null)
      .execute();
    expect(pending).toEqual([]);
  } finally {
    await temporalConnection?.close();
  }
}
