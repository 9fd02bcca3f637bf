/**
 * Session teams: who is on a session day and in which team role, the observation period of each vaccinated
 * person and their release, each district's staff load, and replacing an absent member in one step.
 * Assigning and unassigning themselves are session-day-assignments.ts's.
 */
import { sql, type NotNull } from 'kysely';
import { Refusal } from '../../domain/refusals.js';
import type { StaffRole, TeamRole } from '../schema.js';
import { refuse } from '../../domain/errors.js';
import { addDays, indiaDate } from '../../domain/time.js';
import { writeAudit, type Actor, type Executor } from './audit.js';
import { assignStaff, unassignStaff } from './session-day-assignments.js';

/** The observation period after a dose (the same as AEFI reports' `during_observation`). */
export { OBSERVATION_MS } from './aefi.js';

export interface TeamMember {
  assignmentId: number;
  sessionDayId: string;
  staffId: string;
  name: string;
  mobile: string | null;
  role: StaffRole;
  teamRole: TeamRole;
}

/** The members of each session day's team. */
export async function teamsOf(db: Executor, sessionDayIds: string[]): Promise<Map<string, TeamMember[]>> {
  const teams = new Map<string, TeamMember[]>(sessionDayIds.map((id) => [id, []]));
  if (!sessionDayIds.length) return teams;
  const rows = await db
    .selectFrom('session_assignment')
    .innerJoin('staff_user', 'staff_user.id', 'session_assignment.staff_id')
    .select([
      'session_assignment.id',
      'session_assignment.session_day_id',
      'session_assignment.team_role',
      'staff_user.id as staff_id',
      'staff_user.name',
      'staff_user.mobile',
      'staff_user.role',
    ])
    .where('session_assignment.session_day_id', 'in', sessionDayIds)
    .orderBy('session_assignment.id')
    .execute();
  for (const r of rows) {
    teams.get(r.session_day_id)!.push({
      assignmentId: r.id,
      sessionDayId: r.session_day_id,
      staffId: r.staff_id,
      name: r.name,
      mobile: r.mobile,
      role: r.role,
      teamRole: r.team_role,
    });
  }
  return teams;
}

export async function teamOf(db: Executor, sessionDayId: string): Promise<TeamMember[]> {
  return (await teamsOf(db, [sessionDayId])).get(sessionDayId)!;
}

// ── observation ────────────────────────────────────────────────────────────────────────────────────────

export interface ObservedPerson {
  doseId: string;
  referenceId: string;
  name: string;
  dose: number;
  administeredAt: string;
  observeUntil: string;
  /** Whole minutes left, rounded up; 0 once the period is over. */
  minutesRemaining: number;
  /** Adverse events reported after this dose so far. */
  aefiReports: number;
}

/**
 * The people vaccinated at a session day and not yet released: those still within the observation period
 * (soonest done first), and those whose period is over and who wait to be released.
 */
export async function observationList(db: Executor, sessionDayId: string, now: Date, observationMs: number) {
  const rows = await db
    .selectFrom('dose')
    .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
    .leftJoin('observation_release', 'observation_release.dose_id', 'dose.id')
    .select((eb) => [
      'dose.id',
      'dose.dose_number',
      'dose.administered_at',
      'beneficiary.reference_id',
      'beneficiary.name',
      eb
        .selectFrom('aefi_report')
        .select(sql<number>`count(*)`.as('n'))
        .whereRef('aefi_report.dose_id', '=', 'dose.id')
        .as('aefi_reports'),
    ])
    .where('dose.session_day_id', '=', sessionDayId)
    .where('observation_release.dose_id', 'is', null)
    .orderBy('dose.administered_at')
    .limit(1000)
    .execute();
  const people: ObservedPerson[] = rows.map((r) => {
    const until = r.administered_at.getTime() + observationMs;
    return {
      doseId: r.id,
      referenceId: r.reference_id,
      name: r.name,
      dose: r.dose_number,
      administeredAt: r.administered_at.toISOString(),
      observeUntil: new Date(until).toISOString(),
      minutesRemaining: Math.max(0, Math.ceil((until - now.getTime()) / 60_000)),
      aefiReports: Number(r.aefi_reports ?? 0),
    };
  });
  return {
    underObservation: people.filter((p) => p.minutesRemaining > 0),
    readyToRelease: people.filter((p) => p.minutesRemaining === 0),
  };
}

export interface ObservationRelease {
  doseId: string;
  referenceId: string;
  sessionDayId: string;
  releasedBy: string;
  releasedAt: string;
  observedMinutes: number;
  aefiReports: number;
  /** True when the person had been released already (this request changed nothing). */
  duplicate: boolean;
}

/**
 * Records that the observer let a vaccinated person go once their observation period was over. Once per dose: a
 * repeated release answers the first one. Refused while the period runs (OBSERVATION_NOT_OVER).
 */
export async function releaseFromObservation(
  db: Executor,
  observer: Actor & { id: string },
  input: { doseId: string; now: Date; observationMs: number },
): Promise<ObservationRelease> {
  const run = async (trx: Executor): Promise<ObservationRelease> => {
    const dose = await trx
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .select((eb) => [
        'dose.id',
        'dose.session_day_id',
        'dose.administered_at',
        'beneficiary.reference_id',
        eb
          .selectFrom('aefi_report')
          .select(sql<number>`count(*)`.as('n'))
          .whereRef('aefi_report.dose_id', '=', 'dose.id')
          .as('aefi_reports'),
      ])
      .where('dose.id', '=', input.doseId)
      // Observation follows a dose given at a session, never one an officer added from evidence.
      .where('dose.session_day_id', 'is not', null)
      .$narrowType<{ session_day_id: NotNull }>()
      .executeTakeFirst();
    if (!dose) return refuse(Refusal.DOSE_NOT_FOUND, 'no recorded dose has that id');
    const view = (
      row: { released_by: string; released_at: Date; observed_minutes: number },
      duplicate: boolean,
    ): ObservationRelease => ({
      doseId: dose.id,
      referenceId: dose.reference_id,
      sessionDayId: dose.session_day_id,
      releasedBy: row.released_by,
      releasedAt: row.released_at.toISOString(),
      observedMinutes: row.observed_minutes,
      aefiReports: Number(dose.aefi_reports ?? 0),
      duplicate,
    });
    const earlier = await trx
      .selectFrom('observation_release')
      .selectAll()
      .where('dose_id', '=', dose.id)
      .executeTakeFirst();
    if (earlier) return view(earlier, true);

    const observedMs = input.now.getTime() - dose.administered_at.getTime();
    if (observedMs < input.observationMs) {
      const left = Math.ceil((input.observationMs - observedMs) / 60_000);
      return refuse(
        Refusal.OBSERVATION_NOT_OVER,
        `this person was vaccinated ${Math.max(0, Math.floor(observedMs / 60_000))} minutes ago; keep them under observation ${left} more ${left === 1 ? 'minute' : 'minutes'}`,
        {
          minutesRemaining: left,
          observeUntil: new Date(dose.administered_at.getTime() + input.observationMs).toISOString(),
        },
      );
    }
    const observedMinutes = Math.floor(observedMs / 60_000);
    const inserted = await trx
      .insertInto('observation_release')
      .values({ dose_id: dose.id, released_by: observer.id, released_at: input.now, observed_minutes: observedMinutes })
      // A parallel release of the same person won: answer with theirs.
      .onConflict((oc) => oc.column('dose_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted)
      return view(
        await trx
          .selectFrom('observation_release')
          .selectAll()
          .where('dose_id', '=', dose.id)
          .executeTakeFirstOrThrow(),
        true,
      );
    await writeAudit(trx, {
      actor: observer,
      action: 'OBSERVATION_RELEASED',
      entityType: 'dose',
      entityId: dose.id,
      details: {
        referenceId: dose.reference_id,
        sessionDayId: dose.session_day_id,
        observedMinutes,
        aefiReports: Number(dose.aefi_reports ?? 0),
      },
    });
    return view(inserted, false);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

// ── staff load ─────────────────────────────────────────────────────────────────────────────────────────

export interface StaffDuty {
  date: string;
  sessionDayId: string;
  siteId: number;
  siteName: string;
  teamRole: TeamRole;
  opensAt: string;
  closesAt: string;
  status: string;
  /** Online seats booked at that session day (dose 1 + dose 2). */
  booked: number;
}

export interface StaffLoad {
  staffId: string;
  name: string;
  role: StaffRole;
  active: boolean;
  duties: StaffDuty[];
  totals: { sessionDays: number; byTeamRole: Record<TeamRole, number> };
}

/**
 * Every staff member of a district (active ones, and deactivated ones who still have duties in the range) with
 * their session days from `from` to `to` (India dates), busiest first. Cancelled days are left out: nobody works
 * them.
 */
export async function staffLoad(
  db: Executor,
  query: { districtId: number; from: string; to: string },
): Promise<StaffLoad[]> {
  const duties = await db
    .selectFrom('session_assignment')
    .innerJoin('session_day', 'session_day.id', 'session_assignment.session_day_id')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .innerJoin('staff_user', 'staff_user.id', 'session_assignment.staff_id')
    .select([
      'session_assignment.staff_id',
      'session_assignment.session_date',
      'session_assignment.team_role',
      'session_day.id as session_day_id',
      'session_day.status',
      'session_day.opens_at',
      'session_day.closes_at',
      'session_day.dose1_booked',
      'session_day.dose2_booked',
      'site.id as site_id',
      'site.name as site_name',
    ])
    .where('staff_user.district_id', '=', query.districtId)
    .where('session_assignment.session_date', '>=', query.from)
    .where('session_assignment.session_date', '<=', query.to)
    .where('session_day.status', '<>', 'CANCELLED')
    .orderBy('session_assignment.session_date')
    .execute();
  const busy = [...new Set(duties.map((d) => d.staff_id))];
  const staff = await db
    .selectFrom('staff_user')
    .select(['id', 'name', 'role', 'active'])
    .where('district_id', '=', query.districtId)
    .where((eb) => eb.or([eb('active', '=', true), ...(busy.length ? [eb('id', 'in', busy)] : [])]))
    .orderBy('name')
    .execute();
  const loads = staff.map((s): StaffLoad => {
    const mine = duties.filter((d) => d.staff_id === s.id);
    const byTeamRole: Record<TeamRole, number> = { VACCINATOR: 0, VERIFIER: 0, OBSERVER: 0 };
    for (const d of mine) byTeamRole[d.team_role]++;
    return {
      staffId: s.id,
      name: s.name,
      role: s.role,
      active: s.active,
      duties: mine.map((d) => ({
        date: d.session_date,
        sessionDayId: d.session_day_id,
        siteId: d.site_id,
        siteName: d.site_name,
        teamRole: d.team_role,
        opensAt: d.opens_at,
        closesAt: d.closes_at,
        status: d.status,
        booked: d.dose1_booked + d.dose2_booked,
      })),
      totals: { sessionDays: mine.length, byTeamRole },
    };
  });
  return loads.sort((a, b) => b.totals.sessionDays - a.totals.sessionDays || a.name.localeCompare(b.name));
}

// ── replacing an absent member ─────────────────────────────────────────────────────────────────────────

export interface Replacement {
  sessionDayId: string;
  teamRole: TeamRole;
  /** The absent member's assignment, as it was (its row is gone). */
  removed: TeamMember;
  added: TeamMember;
}

/**
 * Takes an absent member off a session day and puts the replacement on it in the same team role, in one
 * transaction: either both happen or neither. The planning rules hold for both halves (one session day per
 * person per date, same district, active, vaccinators as vaccinators; someone who recorded doses there stays),
 * each half writes its own audit row, and a STAFF_REPLACED row ties them together.
 */
export async function replaceStaff(
  db: Executor,
  input: { sessionDayId: string; absentStaffId: string; replacementStaffId: string; actor: Actor; now?: Date },
): Promise<Replacement> {
  const run = async (trx: Executor): Promise<Replacement> => {
    if (input.absentStaffId === input.replacementStaffId) {
      return refuse(Refusal.SAME_PERSON, 'the replacement is the person being replaced; name someone else');
    }
    // Serialises changes to this day's team (two officers replacing the same absent person).
    const day = await trx
      .selectFrom('session_day')
      .select(['id', 'date', 'status'])
      .where('id', '=', input.sessionDayId)
      .forUpdate()
      .executeTakeFirst();
    if (!day) return refuse(Refusal.SESSION_NOT_FOUND, 'no session day has that id');
    const team = await teamOf(trx, day.id);
    const removed = team.find((m) => m.staffId === input.absentStaffId);
    if (!removed)
      return refuse(Refusal.ASSIGNMENT_NOT_FOUND, "the person to replace is not on this session day's team");
    const already = team.find((m) => m.staffId === input.replacementStaffId);
    if (already) {
      return refuse(
        Refusal.ALREADY_ON_TEAM,
        `${already.name} is already on this session day's team (as ${already.teamRole.toLowerCase()}); name someone who is not`,
      );
    }
    await unassignStaff(trx, { sessionDayId: day.id, staffId: removed.staffId, actor: input.actor });
    await assignStaff(trx, {
      sessionDayId: day.id,
      staffId: input.replacementStaffId,
      teamRole: removed.teamRole,
      actor: input.actor,
      now: input.now,
    });
    const added = (await teamOf(trx, day.id)).find((m) => m.staffId === input.replacementStaffId)!;
    await writeAudit(trx, {
      actor: input.actor,
      action: 'STAFF_REPLACED',
      entityType: 'session_day',
      entityId: day.id,
      details: {
        absentStaffId: removed.staffId,
        replacementStaffId: added.staffId,
        teamRole: removed.teamRole,
        date: day.date,
      },
    });
    return { sessionDayId: day.id, teamRole: removed.teamRole, removed, added };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** Today in India, and the day `days` later; the default range of a staff-load view. */
export function defaultLoadRange(now = new Date(), days = 6): { from: string; to: string } {
  const from = indiaDate(now);
  return { from, to: addDays(from, days) };
}
