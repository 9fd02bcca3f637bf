/** Bulk data for benchmarks, written with set-based SQL so set-up takes seconds, not minutes. */
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import { createSessionDay } from '../../db/repositories/session-days.js';
import { hashPassword } from '../../domain/passwords.js';
import { indiaDate } from '../../domain/time.js';
import { defaultJourneyPolicy, type JourneyPolicy } from '../../domain/journey-schedule.js';
import { workflowIds, type JourneyInput } from '../../workflows/shared.js';
import { runConcurrent } from './report.js';

export const BENCH_DISTRICT = { id: 27024, stateId: 27 };
export const BENCH_PASSWORD = 'bench-password-2026';

export interface Person {
  beneficiaryId: string;
  referenceId: string;
  secretCode: string;
  accountId: string;
  mobile: string;
}

/** `count` people, one mobile each, reference ids prefixed so runs never collide. */
export async function createPeople(
  db: Db,
  count: number,
  prefix: string,
  stage: 'VERIFIED' | 'REGISTERED' = 'VERIFIED',
): Promise<Person[]> {
  const base = Number(prefix) * 1e10;
  const mobileBase = Number(prefix) * 1e7;
  await sql`
    insert into account (mobile, verified_at)
    select '6' || lpad((${mobileBase} + g)::text, 9, '0'), now() from generate_series(1, ${count}) g
    on conflict (mobile) do nothing`.execute(db);
  const { rows } = await sql<{ id: string; reference_id: string; secret_code: string; account_id: string }>`
    insert into beneficiary (reference_id, account_id, name, birth_year, gender, id_type, id_hash, id_last4, secret_code, stage)
    select lpad((${base}::bigint + g)::text, 14, '9'), a.id, 'Bench Person ' || g, 1980, 'F', 1,
           md5(${prefix} || ':' || g), lpad((g % 10000)::text, 4, '0'), lpad((g % 10000)::text, 4, '0'), ${stage}
    from generate_series(1, ${count}) g
    join account a on a.mobile = '6' || lpad((${mobileBase} + g)::text, 9, '0')
    returning id, reference_id, secret_code, account_id`.execute(db);
  const mobiles = new Map(
    (
      await db
        .selectFrom('account')
        .select(['id', 'mobile'])
        .where(
          'id',
          'in',
          rows.map((r) => r.account_id),
        )
        .execute()
    ).map((a) => [a.id, a.mobile]),
  );
  return rows.map((r) => ({
    beneficiaryId: r.id,
    referenceId: r.reference_id,
    secretCode: r.secret_code,
    accountId: r.account_id,
    mobile: mobiles.get(r.account_id)!,
  }));
}

export async function temporalClient(address: string): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection, namespace: 'default' }), close: () => connection.close() };
}

/** Starts one journey per person exactly as registration does; returns the start rate. */
/** The batch every benchmark dose names: registered for every vaccine, unexpired (a dose must name one). */
export const BENCH_BATCH = 'BENCH-1';

export async function registerBenchBatch(db: Db): Promise<void> {
  await sql`
    insert into vaccine_batch (vaccine_code, batch_number, manufacturer, expires_on, doses_per_vial)
    select code, ${BENCH_BATCH}, 'Benchmark manufacturer', date '2099-12-31', 10 from vaccine
    on conflict do nothing`.execute(db);
}

export async function startJourneys(
  client: Client,
  taskQueue: string,
  people: Person[],
  options: {
    verified: boolean;
    policy?: JourneyPolicy;
    concurrency?: number;
    /** Every journey's OTP expires at this instant (its first timer), however long the starts take. */
    otpExpiresAtMs?: number;
  },
) {
  const policy = options.policy ?? defaultJourneyPolicy(86_400_000);
  return runConcurrent('fixtures: start journeys', people, options.concurrency ?? 64, async (person) => {
    const registeredAtMs = Date.now();
    const input: JourneyInput = {
      beneficiaryId: person.beneficiaryId,
      referenceId: person.referenceId,
      verified: options.verified,
      registeredAtMs,
      policy:
        options.otpExpiresAtMs === undefined
          ? policy
          : { ...policy, otpLifetimeMs: Math.max(1, options.otpExpiresAtMs - registeredAtMs) },
    };
    await client.workflow.start('beneficiaryJourneyWorkflow', {
      workflowId: workflowIds.journey(person.referenceId),
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  });
}

/**
 * Session days today at one site each, each with a logged-in vaccinator assigned, spread over as many
 * districts as sessions (a national day spreads over ~750 districts; one district would queue every dose on
 * that district's rollup rows).
 */
export async function createSessionsWithVaccinators(
  db: Db,
  apiUrl: string,
  count: number,
  options: { dose1: number; walkin: number; vaccine?: string; tag: string },
) {
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const districts = await db
    .selectFrom('district')
    .select(['id', 'state_id', 'lat', 'lng'])
    .orderBy('id')
    .limit(count)
    .execute();
  const sessions: Array<{ sessionDayId: string; token: string }> = [];
  for (let i = 0; i < count; i++) {
    const district = districts[i % districts.length];
    const site = await db
      .insertInto('site')
      .values({
        name: `Bench site ${options.tag}-${i}`,
        name_hi: null,
        address: 'Bench road',
        block: 'Bench',
        pincode: 411001,
        district_id: district.id,
        lat: district.lat,
        lng: district.lng,
        ownership: 'GOVERNMENT',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sessionDayId = await createSessionDay(db, {
      site_id: site.id,
      date: indiaDate(),
      vaccine_code: options.vaccine ?? 'COVISHIELD',
      opens_at: '00:00:00',
      closes_at: '23:59:00',
      dose1_capacity: options.dose1,
      dose2_capacity: 0,
      walkin_capacity: options.walkin,
      slotMinutes: 1439,
    });
    const username = `bench.${options.tag}.${i}`;
    const staff = await db
      .insertInto('staff_user')
      .values({
        username,
        password_hash: passwordHash,
        name: `Bench Vaccinator ${i}`,
        role: 'VACCINATOR',
        state_id: district.state_id,
        district_id: district.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('session_assignment')
      .values({
        session_day_id: sessionDayId,
        staff_id: staff.id,
        session_date: indiaDate(),
        team_role: 'VACCINATOR',
        assigned_by: null,
      })
      .execute();
    const login = await fetch(`${apiUrl}/api/v1/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: BENCH_PASSWORD }),
    });
    if (!login.ok) throw new Error(`staff login failed: ${login.status} ${await login.text()}`);
    sessions.push({ sessionDayId, token: (await login.json()).token });
  }
  return sessions;
}
