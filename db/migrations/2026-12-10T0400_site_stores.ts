import { type Kysely, sql } from 'kysely';

/**
 * Each site's store of vaccine (its cold-chain point): the vials of each batch it holds, and a ledger of every
 * movement with the balance after it.
 *
 * `site_batch_store`: the vials of a batch in a site's store now. Never below zero: every movement out is one
 * conditional update (`vials + change >= 0`), so two officers issuing the last vials at once cannot both have them.
 *
 * `site_stock_movement`: the ledger. RECEIVED (from the district, with its delivery note), ISSUED to a session day
 * and RETURNED from it (fewer vials issued, or the unopened ones at close), DISCARDED (expired, damaged, with the
 * reason), and CARRIED_OVER (below). `vials` is signed (into the store positive), `balance` is the store's vials of
 * that batch after it, `seq` orders a site's ledger. A receipt or discard carries the client event id it was sent
 * with, so a replay is answered from the ledger and not recorded twice.
 *
 * Stock issued before the store existed is carried over: for every session day already holding vials, the ledger
 * records them as received into its site's store and issued to that day in the same moment (CARRIED_OVER, then
 * ISSUED), so every store starts at zero and those days keep working: a later change to their stock (more vials,
 * fewer, the unopened ones returned at close) moves through the store like any other day's. A day closed with its
 * vials counted holds only the vials it opened; its unopened vials were never in a store this ledger knew.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table site_batch_store (
      site_id integer not null references site(id),
      batch_id uuid not null references vaccine_batch(id),
      vials integer not null check (vials between 0 and 10000000),
      updated_at timestamptz not null default now(),
      primary key (site_id, batch_id)
    );
    create index site_batch_store_batch_idx on site_batch_store (batch_id);

    create table site_stock_movement (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity,
      site_id integer not null references site(id),
      batch_id uuid not null references vaccine_batch(id),
      kind text not null check (kind in ('RECEIVED', 'ISSUED', 'RETURNED', 'DISCARDED', 'CARRIED_OVER')),
      vials integer not null check (vials <> 0),
      balance integer not null check (balance >= 0),
      session_day_id uuid references session_day(id) on delete set null,
      delivery_note text,
      discard_reason text check (discard_reason in ('EXPIRED', 'DAMAGED', 'COLD_CHAIN_BREACH', 'OTHER')),
      note text,
      client_event_id text unique,
      recorded_by uuid references staff_user(id),
      recorded_at timestamptz not null default now(),
      constraint site_stock_movement_direction check (
        (kind in ('RECEIVED', 'RETURNED', 'CARRIED_OVER') and vials > 0) or (kind in ('ISSUED', 'DISCARDED') and vials < 0)),
      constraint site_stock_movement_receipt check ((kind = 'RECEIVED') = (delivery_note is not null)),
      constraint site_stock_movement_discard check ((kind = 'DISCARDED') = (discard_reason is not null))
    );
    create index site_stock_movement_ledger_idx on site_stock_movement (site_id, seq desc);
    create index site_stock_movement_session_idx on site_stock_movement (session_day_id, batch_id)
      where session_day_id is not null;

  `.execute(db);
  await carryOverIssuedStock(db);
}

/**
 * The carry-over of stock issued before the stores (see above), exported so a test can run it over rows of its
 * own inside a transaction it rolls back.
 */
export async function carryOverIssuedStock(db: Kysely<any>): Promise<void> {
  await sql`
    with held as (
      select d.site_id, s.session_day_id, s.batch_id, s.issued_by, s.issued_at,
             case when s.closed_at is not null and s.vials_opened is not null
                  then least(s.vials_issued, s.vials_opened) else s.vials_issued end as vials
      from session_batch_stock s join session_day d on d.id = s.session_day_id
    )
    insert into site_stock_movement (site_id, batch_id, kind, vials, balance, session_day_id, note, recorded_by,
                                     recorded_at)
    select h.site_id, h.batch_id, m.kind, m.vials, m.balance, h.session_day_id, m.note, h.issued_by, h.issued_at
    from held h
    cross join lateral (values (1, 'CARRIED_OVER', h.vials, h.vials, 'issued before the store ledger'),
                               (2, 'ISSUED', -h.vials, 0, null)) as m(step, kind, vials, balance, note)
    where h.vials > 0
    order by h.issued_at, h.session_day_id, h.batch_id, m.step;

    insert into site_batch_store (site_id, batch_id, vials)
      select distinct d.site_id, s.batch_id, 0
      from session_batch_stock s join session_day d on d.id = s.session_day_id
      on conflict do nothing;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table site_stock_movement;
    drop table site_batch_store;
  `.execute(db);
}
