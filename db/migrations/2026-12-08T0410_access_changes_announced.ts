import { type Kysely, sql } from 'kysely';

/**
 * Every change to who may do what is announced on `teeka_access` when it commits, from the tables themselves, so
 * no write path can forget it: a staff member's standing (active, token generation: deactivation and password
 * reset), a revoked token (a logout, a refresh session ended), and a session day's team or place (assignments,
 * district, the day deleted). Each API process LISTENs: it drops the live sockets the change ends and forgets the
 * access answers it kept (api/auth/access-cache.ts). Payloads: {"staffId"}, {"jti"}, {"sessionDayId"}.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function announce_staff_standing() returns trigger language plpgsql as $$
    begin
      if (old.active, old.token_generation) is distinct from (new.active, new.token_generation) then
        perform pg_notify('teeka_access', json_build_object('staffId', new.id)::text);
      end if;
      return null;
    end $$;
    create trigger staff_standing_announced after update of active, token_generation on staff_user
      for each row execute function announce_staff_standing();

    create function announce_token_revoked() returns trigger language plpgsql as $$
    begin
      perform pg_notify('teeka_access', json_build_object('jti', new.jti)::text);
      return null;
    end $$;
    create trigger token_revocation_announced after insert on token_revocation
      for each row execute function announce_token_revoked();

    create function announce_session_team() returns trigger language plpgsql as $$
    begin
      perform pg_notify('teeka_access', json_build_object('sessionDayId',
        case when tg_op = 'DELETE' then old.session_day_id else new.session_day_id end)::text);
      if tg_op = 'UPDATE' and old.session_day_id <> new.session_day_id then
        perform pg_notify('teeka_access', json_build_object('sessionDayId', old.session_day_id)::text);
      end if;
      return null;
    end $$;
    create trigger session_team_announced after insert or update or delete on session_assignment
      for each row execute function announce_session_team();

    create function announce_session_place() returns trigger language plpgsql as $$
    begin
      perform pg_notify('teeka_access', json_build_object('sessionDayId', old.id)::text);
      return null;
    end $$;
    create trigger session_place_announced after update of district_id on session_day
      for each row when (old.district_id is distinct from new.district_id) execute function announce_session_place();
    create trigger session_day_deletion_announced after delete on session_day
      for each row execute function announce_session_place();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop trigger session_day_deletion_announced on session_day;
    drop trigger session_place_announced on session_day;
    drop function announce_session_place();
    drop trigger session_team_announced on session_assignment;
    drop function announce_session_team();
    drop trigger token_revocation_announced on token_revocation;
    drop function announce_token_revoked();
    drop trigger staff_standing_announced on staff_user;
    drop function announce_staff_standing();
  `.execute(db);
}
