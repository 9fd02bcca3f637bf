/**
 * Putting staff on a session day and taking them off: one session day per person per date, within the day's
 * district, by the team roles their staff role allows.
 */
import { sql } from 'kysely';
import { Refusal } from '../../domain/refusals.js';
import type { TeamRole } from '../schema.js';
import { refuse } from '../../domain/errors.js';
import { indiaDate } from '../../domain/time.js';
import { writeAudit, type Actor, type Executor } from './audit.js';
import { FINAL_STATUSES } from '../../domain/session-status.js';

export interface Assignment {
  sessionDayId: string;
  staffId: string;
  teamRole: TeamRole;
  /** False when the person was already on this day (with this team role, or now given it). */
  created: boolean;
}

/**
 * Puts a staff member of the day's district on it. One session day per person per date, enforced by the
 * unique constraint `session_assignment_one_session_per_day`: a clash names the other day. Assigning someone
 * already on this day is a no-op (or changes their team role).
 */
export async function assignStaff(
  db: Executor,
  input: { sessionDayId: string; staffId: string; teamRole: TeamRole; actor: Actor; now?: Date },
): Promise<Assignment> {
  const today = indiaDate(input.now ?? new Date());
  const run = async (trx: Executor): Promise<Assignment> => {
    const day = await trx
      .selectFrom('session_day')
      .select(['id', 'date', 'district_id', 'status'])
      .where('id', '=', input.sessionDayId)
      .executeTakeFirst();
    if (!day) return refuse(Refusal.SESSION_NOT_FOUND, 'no session day has that id');
    if (FINAL_STATUSES.has(day.status) || day.date < today) {
      return refuse(
        Refusal.SESSION_DAY_NOT_EDITABLE,
        `this session day is ${day.date < today ? 'past' : day.status.toLowerCase()}; its team can no longer change`,
      );
    }
    const staff = await trx
      .selectFrom('staff_user')
      .select(['id', 'name', 'role', 'district_id', 'active'])
      .where('id', '=', input.staffId)
      .executeTakeFirst();
    if (!staff) return refuse(Refusal.STAFF_NOT_FOUND, `no staff member has the id ${input.staffId}`);
    if (!staff.active) return refuse(Refusal.STAFF_INACTIVE, `${staff.name} is deactivated and cannot be assigned`);
    if (staff.district_id !== day.district_id) {
      return refuse(Refusal.STAFF_OUTSIDE_DISTRICT, `${staff.name} does not work in this session day's district`);
    }
    if (input.teamRole === 'VACCINATOR' && staff.role !== 'VACCINATOR') {
      return refuse(
        Refusal.TEAM_ROLE_NOT_ALLOWED,
        `${staff.name} is a ${staff.role.toLowerCase().replace('_', ' ')}, not a vaccinator`,
      );
    }

    const inserted = await trx
      .insertInto('session_assignment')
      .values({
        session_day_id: day.id,
        staff_id: staff.id,
        session_date: day.date,
        team_role: input.teamRole,
        assigned_by: input.actor.type === 'STAFF' ? (input.actor.id ?? null) : null,
      })
      .onConflict((oc) => oc.constraint('session_assignment_one_session_per_day').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) {
      await writeAudit(trx, {
        actor: input.actor,
        action: 'STAFF_ASSIGNED',
        entityType: 'session_day',
        entityId: day.id,
        details: { staffId: staff.id, teamRole: input.teamRole, date: day.date },
      });
      return { sessionDayId: day.id, staffId: staff.id, teamRole: input.teamRole, created: true };
    }

    const other = await trx
      .selectFrom('session_assignment')
      .innerJoin('session_day', 'session_day.id', 'session_assignment.session_day_id')
      .innerJoin('site', 'site.id', 'session_day.site_id')
      .select([
        'session_assignment.id',
        'session_assignment.session_day_id',
        'session_assignment.team_role',
        'site.name as site_name',
      ])
      .where('session_assignment.staff_id', '=', staff.id)
      .where('session_assignment.session_date', '=', day.date)
      .executeTakeFirstOrThrow();
    if (other.session_day_id !== day.id) {
      return refuse(
        Refusal.STAFF_DOUBLE_BOOKED,
        `${staff.name} is already assigned to ${other.site_name} on ${day.date} (session day ${other.session_day_id})`,
        {
          otherSessionDayId: other.session_day_id,
          otherSiteName: other.site_name,
          date: day.date,
        },
      );
    }
    if (other.team_role !== input.teamRole) {
      await trx
        .updateTable('session_assignment')
        .set({ team_role: input.teamRole })
        .where('id', '=', other.id)
        .execute();
      await writeAudit(trx, {
        actor: input.actor,
        action: 'STAFF_TEAM_ROLE_CHANGED',
        entityType: 'session_day',
        entityId: day.id,
        details: { staffId: staff.id, from: other.team_role, to: input.teamRole },
      });
    }
    return { sessionDayId: day.id, staffId: staff.id, teamRole: input.teamRole, created: false };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/**
 * Takes a staff member off a day, unless they recorded doses there (their records must stay theirs). Given a
 * transaction it joins it (a replacement unassigns and assigns in one).
 */
export async function unassignStaff(
  db: Executor,
  input: { sessionDayId: string; staffId: string; actor: Actor },
): Promise<void> {
  const run = async (trx: Executor) => {
    const { doses } = await trx
      .selectFrom('dose')
      .select(sql<number>`count(*)`.as('doses'))
      .where('session_day_id', '=', input.sessionDayId)
      .where('vaccinator_id', '=', input.staffId)
      .executeTakeFirstOrThrow();
    if (doses > 0) {
      refuse(Refusal.ASSIGNMENT_HAS_DOSES, `this person recorded ${doses} doses on this day and stays on its team`);
    }
    const removed = await trx
      .deleteFrom('session_assignment')
      .where('session_day_id', '=', input.sessionDayId)
      .where('staff_id', '=', input.staffId)
      .returning(['team_role', 'session_date'])
      .executeTakeFirst();
    if (!removed) return refuse(Refusal.ASSIGNMENT_NOT_FOUND, 'that person is not assigned to this session day');
    await writeAudit(trx, {
      actor: input.actor,
      action: 'STAFF_UNASSIGNED',
      entityType: 'session_day',
      entityId: input.sessionDayId,
      details: { staffId: input.staffId, teamRole: removed.team_role, date: removed.session_date },
    });
  };
  await (db.isTransaction ? run(db) : db.transaction().execute(run));
}
