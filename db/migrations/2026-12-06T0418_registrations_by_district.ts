import { type Kysely, sql } from 'kysely';

/**
 * Registrations by district, so state and district war rooms show their own "registrations today". People register
 * with no address, so a person is counted in the district where they first booked a slot or were vaccinated, on
 * the India date they registered (the public report counts registrations in an area the same way):
 * - beneficiary_district: that district, once per person (the primary key; later bookings elsewhere change nothing);
 * - district_daily_registrations: people per district and registration date, over 8 shards so a booking storm in one
 *   district does not queue on one counter row;
 * kept by triggers on appointment and dose inserts (whichever comes first), which also publish a live
 * `registration.counted` event to the district's room for people registered today (docs/live-events.md).
 * Existing people are backfilled.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('beneficiary_district')
    .addColumn('beneficiary_id', 'uuid', (c) => c.primaryKey().references('beneficiary.id'))
    .addColumn('district_id', 'integer', (c) => c.notNull().references('district.id'))
    .addColumn('registered_on', 'date', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('district_daily_registrations')
    .addColumn('district_id', 'integer', (c) => c.notNull().references('district.id'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('shard', 'smallint', (c) => c.notNull())
    .addColumn('registrations', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('district_daily_registrations_pk', ['district_id', 'date', 'shard'])
    .execute();
  await db.schema
    .createIndex('district_daily_registrations_date_idx')
    .on('district_daily_registrations')
    .column('date')
    .execute();

  await sql`
    create function count_registration_in_district() returns trigger language plpgsql as $$
    declare
      home integer;
      home_state integer;
      registered date;
    begin
      if tg_table_name = 'appointment' then
        select district_id into home from session_day where id = new.session_day_id;
      else
        home := new.district_id;
      end if;
      insert into beneficiary_district (beneficiary_id, district_id, registered_on)
        select b.id, home, (b.created_at at time zone 'Asia/Kolkata')::date from beneficiary b where b.id = new.beneficiary_id
        on conflict (beneficiary_id) do nothing
        returning registered_on into registered;
      if registered is null then
        return null; -- already counted where they first booked or were vaccinated
      end if;
      insert into district_daily_registrations (district_id, date, shard, registrations)
        values (home, registered, (hashtext(new.beneficiary_id::text) & 7)::smallint, 1)
        on conflict (district_id, date, shard) do update
          set registrations = district_daily_registrations.registrations + 1;
      if registered <> (now() at time zone 'Asia/Kolkata')::date then
        return null; -- counted for its own (earlier) date; today's live figure does not move
      end if;
      select state_id into home_state from district where id = home;
      -- The live event of live/publish.ts, with the transaction id the socket server compares with snapshots.
      perform pg_notify('teeka_live', jsonb_build_object(
        'type', 'registration.counted', 'stateId', home_state, 'districtId', home,
        'at', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'data', jsonb_build_object('registeredOn', registered),
        'txid', pg_current_xact_id()::text)::text);
      return null;
    end $$;
  `.execute(db);
  await sql`lock table appointment, dose in share row exclusive mode`.execute(db);
  await sql`create trigger count_registration_in_district after insert on appointment for each row execute function count_registration_in_district()`.execute(
    db,
  );
  await sql`create trigger count_registration_in_district after insert on dose for each row execute function count_registration_in_district()`.execute(
    db,
  );
  // Everyone already booked or vaccinated: the district of their earliest booking or dose.
  await sql`
    insert into beneficiary_district (beneficiary_id, district_id, registered_on)
    select distinct on (first.beneficiary_id) first.beneficiary_id, first.district_id,
           (b.created_at at time zone 'Asia/Kolkata')::date
    from (
      select a.beneficiary_id, s.district_id, a.booked_at as at
        from appointment a join session_day s on s.id = a.session_day_id
      union all
      select beneficiary_id, district_id, administered_at from dose
    ) first
    join beneficiary b on b.id = first.beneficiary_id
    order by first.beneficiary_id, first.at
  `.execute(db);
  await sql`
    insert into district_daily_registrations (district_id, date, shard, registrations)
    select district_id, registered_on, (hashtext(beneficiary_id::text) & 7)::smallint, count(*)
    from beneficiary_district group by 1, 2, 3
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger count_registration_in_district on dose`.execute(db);
  await sql`drop trigger count_registration_in_district on appointment`.execute(db);
  await sql`drop function count_registration_in_district()`.execute(db);
  await db.schema.dropTable('district_daily_registrations').execute();
  await db.schema.dropTable('beneficiary_district').execute();
}
