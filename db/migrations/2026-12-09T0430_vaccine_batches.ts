import { type Kysely, sql } from 'kysely';

/**
 * The vaccine batch registry and each session day's stock of it.
 *
 * `vaccine_batch`: one row per batch of a vaccine (its number kept trimmed and in capitals, the form a dose names
 * it by). Doses recorded before the registry named their batch as free text: every distinct batch they name is
 * registered here as found in those doses (`from_earlier_doses`), with the manufacturer, expiry and vial size left
 * for an officer to complete. Until then a new dose may not name it (domain/vaccine-batches.ts), and the old doses
 * stay exactly as recorded.
 *
 * `session_batch_stock`: vials of a batch issued to a session day, and at close the vials opened and the doses
 * wasted in them. Doses given per batch are counted from `dose` when read (a session day's doses are few and
 * indexed), so recording a dose takes no lock of its own here.
 *
 * Every change to the registry is announced on `teeka_batches` when it commits, so each API process forgets the
 * batches it keeps for checking doses (api/services/vaccine-batches.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table vaccine_batch (
      id uuid primary key default gen_random_uuid(),
      vaccine_code text not null references vaccine(code),
      batch_number text not null check (batch_number = upper(btrim(batch_number)) and batch_number <> ''),
      manufacturer text,
      expires_on date,
      doses_per_vial integer check (doses_per_vial between 1 and 50),
      from_earlier_doses boolean not null default false,
      created_by uuid references staff_user(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint vaccine_batch_number_unique unique (vaccine_code, batch_number),
      constraint vaccine_batch_complete check (
        from_earlier_doses or (manufacturer is not null and expires_on is not null and doses_per_vial is not null))
    );

    insert into vaccine_batch (vaccine_code, batch_number, from_earlier_doses)
      select distinct vaccine_code, upper(btrim(batch)), true from dose where btrim(batch) <> ''
      on conflict do nothing;

    create table session_batch_stock (
      session_day_id uuid not null references session_day(id) on delete cascade,
      batch_id uuid not null references vaccine_batch(id),
      vials_issued integer not null check (vials_issued between 0 and 100000),
      vials_opened integer check (vials_opened between 0 and 100000),
      doses_wasted integer check (doses_wasted between 0 and 5000000),
      issued_by uuid references staff_user(id),
      issued_at timestamptz not null default now(),
      closed_by uuid references staff_user(id),
      closed_at timestamptz,
      primary key (session_day_id, batch_id)
    );
    create index session_batch_stock_batch_idx on session_batch_stock (batch_id);

    create function announce_vaccine_batch() returns trigger language plpgsql as $$
    begin
      perform pg_notify('teeka_batches', json_build_object('vaccineCode',
        case when tg_op = 'DELETE' then old.vaccine_code else new.vaccine_code end)::text);
      return null;
    end $$;
    create trigger vaccine_batch_announced after insert or update or delete on vaccine_batch
      for each row execute function announce_vaccine_batch();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop trigger vaccine_batch_announced on vaccine_batch;
    drop function announce_vaccine_batch();
    drop table session_batch_stock;
    drop table vaccine_batch;
  `.execute(db);
}
