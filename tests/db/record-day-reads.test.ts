import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import {
  insertAccount,
  insertBeneficiary,
  insertSessionDay,
  insertTestState,
  uniqueDigits,
} from '../support/fixtures.js';

let db: Db;
beforeAll(() => {
  ({ db } = createDb({ connectionString: inject('databaseUrl') }));
});
afterAll(() => db.destroy());

interface TableReads {
  relname: string;
  /** Rows read by sequential and index scans together. */
  rows_read: number;
}

/**
 * Runs `read` in a transaction on a connection of its own and answers what it read from each table, from that
 * connection's statistics not yet reported (pg_stat_xact_user_tables), so no other work shows.
 */
async function tableReadsOf<T>(read: (tx: Db) => Promise<T>): Promise<{ result: T; reads: Map<string, TableReads> }> {
  // With the tables' sizes known, as a running platform's are (autovacuum), not the planner's guess for new ones.
  await sql`analyze beneficiary, dose, verification_check, session_day, district, site, vaccine, appointment, eligibility_phase`.execute(
    db,
  );
  const own = createDb({ connectionString: inject('databaseUrl'), poolSize: 1 }).db;
  try {
    return await own.transaction().execute(async (tx) => {
      const result = await read(tx);
      const { rows } = await sql<TableReads>`
        select relname, (seq_tup_read + coalesce(idx_tup_fetch, 0))::int as rows_read
        from pg_stat_xact_user_tables`.execute(tx);
      return { result, reads: new Map(rows.map((row) => [row.relname, row])) };
    });
  } finally {
    await own.destroy();
  }
}

/** People enough that reading them all would cost more than finding one, as on any real day. */
async function insertOthers(count: number) {
  const base = uniqueDigits(8);
  await sql`
    with accounts as (
      insert into account (mobile, verified_at)
      select '7' || lpad((${Number(base)}::bigint + i)::text, 9, '0'), now() from generate_series(1, ${count}) i
      returning id, mobile)
    insert into beneficiary (reference_id, account_id, name, birth_year, gender, id_type, id_hash, id_last4, secret_code)
    select '77' || substr(mobile, 2, 9) || '000', id, 'Someone Else', 1980, 'F', 1, md5(mobile || random()::text), '1234', '4321'
    from accounts`.execute(db);
}

describe("the record day's facts reads find their rows by key", () => {
  it("a dose's facts read the person by reference id and the session day's district without scanning", async () => {
    const account = await insertAccount(db);
    await insertOthers(2_000);
    const person = await insertBeneficiary(db, account.id);
    const session = await insertSessionDay(db);

    const { result, reads } = await tableReadsOf(async (tx) => {
      const { rows } = await sql<{ facts: { person: { id: string } | null; day: { stateId: number } | null } }>`
        select dose_facts(${person.reference_id}, ${session.id}::uuid, ${randomUUID()}, null) as facts`.execute(tx);
      return rows[0]!.facts;
    });

    expect(result.person?.id).toBe(person.id);
    expect(result.day?.stateId).toEqual(expect.any(Number));
    expect(reads.get('beneficiary')?.rows_read).toBe(1);
    expect(reads.get('district')?.rows_read).toBe(1);
    expect(reads.get('session_day')?.rows_read).toBe(1);
  });

  it("a dose's facts read a walk-in's state phases by the state, and a booking among the person's own", async () => {
    // Two states with phases: only the session's state's are read.
    const place = await insertTestState(db);
    const elsewhere = await insertTestState(db);
    for (const state of [place, elsewhere])
      await db
        .insertInto('eligibility_phase')
        .values([
          {
            state_id: state.stateId,
            name: 'Phase 1',
            opens_on: '2021-01-16',
            groups: ['HCW'],
            min_age: 18,
            max_age: null,
          },
          {
            state_id: state.stateId,
            name: 'Phase 3',
            opens_on: '2021-05-01',
            groups: ['GENERAL'],
            min_age: 18,
            max_age: null,
          },
        ])
        .execute();
    const session = await insertSessionDay(db, { district: place });
    // Others booked at the same session day: finding whether this person is booked there must not read theirs.
    await sql`
      insert into appointment (beneficiary_id, session_day_id, dose_number, status)
      select b.id, ${session.id}::uuid, 1, 'BOOKED' from beneficiary b
      where b.name = 'Someone Else' and not exists (select 1 from appointment a where a.beneficiary_id = b.id)
      limit 200`.execute(db);
    const walkIn = await insertBeneficiary(db, (await insertAccount(db)).id);
    const booked = await insertBeneficiary(db, (await insertAccount(db)).id);
    await db
      .insertInto('appointment')
      .values({ beneficiary_id: booked.id, session_day_id: session.id, dose_number: 1, status: 'BOOKED' })
      .execute();
    const factsOf = (referenceId: string) =>
      tableReadsOf(async (tx) => {
        const { rows } = await sql<{ facts: { walkIn: { phases: { name: string }[] } | null } }>`
          select dose_facts(${referenceId}, ${session.id}::uuid, ${randomUUID()}, null) as facts`.execute(tx);
        return rows[0]!.facts;
      });

    const unbooked = await factsOf(walkIn.reference_id);
    expect(unbooked.result.walkIn?.phases.map((p) => p.name)).toEqual(['Phase 1', 'Phase 3']);
    expect(unbooked.reads.get('eligibility_phase')?.rows_read).toBe(2);
    expect(unbooked.reads.get('appointment')?.rows_read ?? 0).toBe(0);
    for (const table of ['beneficiary', 'session_day', 'district', 'vaccine'])
      expect(unbooked.reads.get(table)?.rows_read, table).toBe(1);

    // A booked person met the rule when booking: the phases are not read at all.
    const withBooking = await factsOf(booked.reference_id);
    expect(withBooking.result.walkIn).toBeNull();
    expect(withBooking.reads.get('appointment')?.rows_read).toBe(1);
    expect(withBooking.reads.get('eligibility_phase')?.rows_read ?? 0).toBe(0);
  });

  it("a booking's facts read the session day's district by key", async () => {
    const account = await insertAccount(db);
    const person = await insertBeneficiary(db, account.id);
    const session = await insertSessionDay(db);

    const { result, reads } = await tableReadsOf(async (tx) => {
      const { rows } = await sql<{ facts: { day: { siteName: string; stateId: number } | null } }>`
        select booking_facts(null, null, array[${person.id}]::uuid[], null, ${session.id}::uuid, null, null, null,
                             now()) as facts`.execute(tx);
      return rows[0]!.facts;
    });

    expect(result.day?.siteName).toEqual(expect.any(String));
    expect(result.day?.stateId).toEqual(expect.any(Number));
    // The day's state, once for the day and once for its eligibility phases; never the districts around it.
    expect(reads.get('district')?.rows_read).toBeLessThanOrEqual(2);
  });
});
