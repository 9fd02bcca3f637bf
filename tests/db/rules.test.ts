import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import { insertAccount, insertBeneficiary, insertSessionDay, insertStaff, PUNE } from '../support/fixtures.js';

let db: Db;
beforeAll(() => {
  ({ db } = createDb({ connectionString: inject('databaseUrl') }));
});
afterAll(() => db.destroy());

async function dose(
  beneficiaryId: string,
  session: { id: string; siteId: number },
  vaccinatorId: string,
  doseNumber = 1,
  clientEventId = randomUUID(),
) {
  return db
    .insertInto('dose')
    .values({
      beneficiary_id: beneficiaryId,
      dose_number: doseNumber,
      vaccine_code: 'COVAXIN',
      batch: 'B-001',
      site_id: session.siteId,
      session_day_id: session.id,
      district_id: PUNE.districtId,
      vaccinator_id: vaccinatorId,
      administered_at: new Date(),
      client_event_id: clientEventId,
    })
    .execute();
}

describe('rules the database enforces by itself', () => {
  it('refuses a second live registration of the same identity document, from any mobile', async () => {
    const first = await insertAccount(db);
    const second = await insertAccount(db);
    await insertBeneficiary(db, first.id, 'same-identity-hash-' + randomUUID());
    const hash = 'dup-' + randomUUID();
    await insertBeneficiary(db, first.id, hash);
    await expect(insertBeneficiary(db, second.id, hash)).rejects.toThrow(/beneficiary_identity_unique/);
  });

  it('refuses a fifth person on one mobile', async () => {
    const account = await insertAccount(db);
    for (let i = 0; i < 4; i++) await insertBeneficiary(db, account.id);
    await expect(insertBeneficiary(db, account.id)).rejects.toThrow(/at most 4 people/);
  });

  it('refuses dose N twice for one person and a replayed client event id', async () => {
    const account = await insertAccount(db);
    const person = await insertBeneficiary(db, account.id);
    const other = await insertBeneficiary(db, account.id);
    const session = await insertSessionDay(db);
    const vaccinator = await insertStaff(db, 'VACCINATOR');
    const eventId = randomUUID();
    await dose(person.id, session, vaccinator.id, 1, eventId);
    await expect(dose(person.id, session, vaccinator.id, 1)).rejects.toThrow(/dose_one_per_number/);
    await expect(dose(other.id, session, vaccinator.id, 1, eventId)).rejects.toThrow(/client_event_id/);
  });

  it('never lets booked seats exceed capacity, per dose, per slot and for walk-ins', async () => {
    const session = await insertSessionDay(db, { dose1: 1, dose2: 0, walkin: 1 });
    await db.updateTable('session_day').set({ dose1_booked: 1 }).where('id', '=', session.id).execute();
    await expect(
      db.updateTable('session_day').set({ dose1_booked: 2 }).where('id', '=', session.id).execute(),
    ).rejects.toThrow(/session_day_dose1_not_overbooked/);
    await expect(
      db.updateTable('session_day').set({ dose2_booked: 1 }).where('id', '=', session.id).execute(),
    ).rejects.toThrow(/session_day_dose2_not_overbooked/);
    await expect(
      db.updateTable('session_day').set({ walkin_used: 2 }).where('id', '=', session.id).execute(),
    ).rejects.toThrow(/session_day_walkin_within_quota/);
    await expect(
      db
        .updateTable('session_slot')
        .set({ booked: sql`capacity + 1` })
        .where('session_day_id', '=', session.id)
        .execute(),
    ).rejects.toThrow(/session_slot_not_overbooked/);
  });

  it('keeps one live appointment per person per dose', async () => {
    const account = await insertAccount(db);
    const person = await insertBeneficiary(db, account.id);
    const session = await insertSessionDay(db);
    const book = () =>
      db
        .insertInto('appointment')
        .values({ beneficiary_id: person.id, session_day_id: session.id, dose_number: 1 })
        .execute();
    await book();
    await expect(book()).rejects.toThrow(/appointment_one_live_per_dose/);
    await db.updateTable('appointment').set({ status: 'CANCELLED' }).where('beneficiary_id', '=', person.id).execute();
    await book();
  });

  it('puts a staff member on at most one session day per date', async () => {
    const vaccinator = await insertStaff(db, 'VACCINATOR');
    const a = await insertSessionDay(db, { date: '2031-01-05' });
    const b = await insertSessionDay(db, { date: '2031-01-05' });
    const assign = (sessionDayId: string) =>
      db
        .insertInto('session_assignment')
        .values({
          session_day_id: sessionDayId,
          staff_id: vaccinator.id,
          session_date: '2031-01-05',
          team_role: 'VACCINATOR',
          assigned_by: null,
        })
        .execute();
    await assign(a.id);
    await expect(assign(b.id)).rejects.toThrow(/session_assignment_one_session_per_day/);
  });

  it('binds officers and vaccinators to a jurisdiction', async () => {
    await expect(
      db
        .insertInto('staff_user')
        .values({
          username: `x-${randomUUID()}`,
          password_hash: 'x',
          name: 'No district',
          role: 'DISTRICT_OFFICER',
          state_id: 27,
          district_id: null,
        })
        .execute(),
    ).rejects.toThrow(/staff_user_jurisdiction/);
  });

  it('rejects malformed mobiles, reference ids and secret codes', async () => {
    await expect(db.insertInto('account').values({ mobile: '12345' }).execute()).rejects.toThrow(/check/);
    const account = await insertAccount(db);
    await expect(
      db
        .insertInto('beneficiary')
        .values({
          reference_id: 'ABC',
          account_id: account.id,
          name: 'X',
          birth_year: 1980,
          gender: 'M',
          id_type: 1,
          id_hash: randomUUID(),
          id_last4: '1111',
          secret_code: '12',
        })
        .execute(),
    ).rejects.toThrow(/check/);
  });

  it('rolls doses up into district coverage, hourly counts and the session day', async () => {
    const account = await insertAccount(db);
    const person = await insertBeneficiary(db, account.id);
    const session = await insertSessionDay(db);
    const vaccinator = await insertStaff(db, 'VACCINATOR');
    const before = await db
      .selectFrom('district_coverage')
      .select('dose1')
      .where('district_id', '=', PUNE.districtId)
      .executeTakeFirst();
    await dose(person.id, session, vaccinator.id);
    const after = await db
      .selectFrom('district_coverage')
      .select('dose1')
      .where('district_id', '=', PUNE.districtId)
      .executeTakeFirstOrThrow();
    expect(after.dose1).toBe((before?.dose1 ?? 0) + 1);
    const day = await db
      .selectFrom('session_day')
      .select(['doses_recorded', 'last_dose_at'])
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(day.doses_recorded).toBe(1);
    expect(day.last_dose_at).toBeInstanceOf(Date);
  });
});
