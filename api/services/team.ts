/**
 * Session teams in the API: each member's step at the desk (domain/team.ts), the observation period and release,
 * replacing an absent member, each district's staff load, generating a day's slots again, and the SMS each
 * change to a team sends (messaging/staff-notices.ts) — always after the change is committed.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Refusal } from '../../domain/refusals.js';
import type { Db } from '../../db/connection.js';
import { findDoseRef } from '../../db/repositories/aefi.js';
import type { Actor } from '../../db/repositories/audit.js';
import { assignStaff, unassignStaff, type Assignment } from '../../db/repositories/session-day-assignments.js';
import { editSessionDay, type SessionDayChanges } from '../../db/repositories/session-day-edits.js';
import { regenerateSlots } from '../../db/repositories/slot-generation.js';
import {
  OBSERVATION_MS,
  observationList,
  releaseFromObservation,
  replaceStaff,
  staffLoad,
  teamOf,
  teamsOf,
} from '../../db/repositories/team.js';
import type { TeamRole } from '../../db/schema.js';
import { refuse } from '../../domain/errors.js';
import { observationMs } from '../../domain/dry-run.js';
import { simulationDayMs } from '../../db/repositories/dry-runs.js';
import { shapeOf, stepRefusal, stepsOf, type TeamStep } from '../../domain/team.js';
import { addDays, daysBetween, indiaDate } from '../../domain/time.js';
import { dutiesOf, notifyAssigned, notifyRemoved, notifyTeamOfChange } from '../../messaging/staff-notices.js';
import { assertDistrictAccess, type SessionTeam } from '../auth/jurisdiction.js';
import { AppError, badRequest, forbidden } from '../errors.js';
import type { StaffPrincipal } from '../plugins/auth.js';

const actorOf = (staff: StaffPrincipal): Actor & { id: string } => ({
  type: 'STAFF',
  id: staff.staffId,
  role: staff.role,
});

// ── steps at the desk ──────────────────────────────────────────────────────────────────────────────────

/**
 * Refuses (403 NOT_YOUR_STEP) a team member acting on a step that is not theirs at this session day. Officers are
 * not on the rota (they act by jurisdiction), so they pass. Call after the session access check.
 */
export async function assertTeamStep(
  db: Db,
  staff: StaffPrincipal,
  sessionDayId: string,
  step: TeamStep,
  /** The day's team as the session access check read it (assertSessionAccess); read here when not given. */
  known?: SessionTeam,
): Promise<void> {
  if (staff.role !== 'VACCINATOR') return;
  const team = known ?? (await teamOf(db, sessionDayId));
  const me = team.find((m) => m.staffId === staff.staffId);
  if (!me) throw forbidden('you are not assigned to that session day');
  const why = stepRefusal(step, me.teamRole, shapeOf(team.map((m) => m.teamRole)));
  if (why) throw new AppError('NOT_YOUR_STEP', why, { step, yourTeamRole: me.teamRole });
}

/** For the desk's day list: the caller's team role at each of their session days and the steps it takes. */
export async function myStepsAt(
  db: Db,
  staffId: string,
  sessionDayIds: string[],
): Promise<Map<string, { teamRole: TeamRole; steps: TeamStep[] }>> {
  const teams = await teamsOf(db, sessionDayIds);
  const mine = new Map<string, { teamRole: TeamRole; steps: TeamStep[] }>();
  for (const [sessionDayId, team] of teams) {
    const me = team.find((m) => m.staffId === staffId);
    if (me)
      mine.set(sessionDayId, {
        teamRole: me.teamRole,
        steps: stepsOf(me.teamRole, shapeOf(team.map((m) => m.teamRole))),
      });
  }
  return mine;
}

// ── observation ────────────────────────────────────────────────────────────────────────────────────────

export async function observationAt(
  app: FastifyInstance,
  staff: StaffPrincipal,
  sessionDayId: string,
  now = new Date(),
) {
  await app.assertSessionAccess(staff, sessionDayId);
  await assertTeamStep(app.db, staff, sessionDayId, 'OBSERVE');
  return {
    sessionDayId,
    at: now.toISOString(),
    observationMinutes: OBSERVATION_MS / 60_000,
    ...(await observationList(app.db, sessionDayId, now, observationMs(await simulationDayMs(app.db, sessionDayId)))),
  };
}

export async function releaseObserved(app: FastifyInstance, staff: StaffPrincipal, doseId: string, now = new Date()) {
  const dose = await findDoseRef(app.db, { doseId });
  if (!dose) return refuse(Refusal.DOSE_NOT_FOUND, 'no recorded dose has that id');
  await app.assertSessionAccess(staff, dose.sessionDayId);
  await assertTeamStep(app.db, staff, dose.sessionDayId, 'OBSERVE');
  return releaseFromObservation(app.db, actorOf(staff), {
    doseId,
    now,
    observationMs: observationMs(await simulationDayMs(app.db, dose.sessionDayId)),
  });
}

// ── officers: team changes, each followed by its SMS ───────────────────────────────────────────────────

/** Puts a staff member on a day (the planning route), then tells them: assigned, or their team role changed. */
export async function assignAndTell(
  app: FastifyInstance,
  staff: StaffPrincipal,
  input: { sessionDayId: string; staffId: string; teamRole: TeamRole },
  log: FastifyBaseLogger,
): Promise<Assignment> {
  const before = (await dutiesOf(app.db, input.sessionDayId, [input.staffId]))[0];
  const assignment = await assignStaff(app.db, { ...input, actor: actorOf(staff) });
  if (assignment.created) await notifyAssigned(app.db, app.sms, input.sessionDayId, [input.staffId], log);
  else if (before && before.teamRole !== assignment.teamRole) {
    await notifyTeamOfChange(app.db, app.sms, input.sessionDayId, `role-${assignment.teamRole}-${Date.now()}`, {
      staffIds: [input.staffId],
      log,
    });
  }
  return assignment;
}

/** Takes a staff member off a day (the planning route), then tells them it is cancelled. */
export async function unassignAndTell(
  app: FastifyInstance,
  staff: StaffPrincipal,
  input: { sessionDayId: string; staffId: string },
  log: FastifyBaseLogger,
): Promise<void> {
  const duty = (await dutiesOf(app.db, input.sessionDayId, [input.staffId]))[0];
  await unassignStaff(app.db, { ...input, actor: actorOf(staff) });
  if (duty) await notifyRemoved(app.db, app.sms, duty, log);
}

/** Edits a planned day (the planning route); when its hours changed, the whole team is told the new hours. */
export async function editAndTell(
  app: FastifyInstance,
  staff: StaffPrincipal,
  sessionDayId: string,
  changes: SessionDayChanges,
  log: FastifyBaseLogger,
): Promise<void> {
  const hours = () =>
    app.db
      .selectFrom('session_day')
      .select(['opens_at', 'closes_at', 'updated_at'])
      .where('id', '=', sessionDayId)
      .executeTakeFirst();
  const before = await hours();
  await editSessionDay(app.db, sessionDayId, changes, { actor: actorOf(staff) });
  const after = await hours();
  if (before && after && (before.opens_at !== after.opens_at || before.closes_at !== after.closes_at)) {
    await notifyTeamOfChange(
      app.db,
      app.sms,
      sessionDayId,
      `hours-${after.opens_at.slice(0, 5)}-${after.closes_at.slice(0, 5)}-${after.updated_at.getTime()}`,
      { log },
    );
  }
}

/** After new session days were planned with their vaccinators: STAFF_ASSIGNED to each. */
export async function tellNewTeams(
  app: FastifyInstance,
  sessionDayIds: string[],
  log: FastifyBaseLogger,
): Promise<void> {
  const teams = await teamsOf(app.db, sessionDayIds);
  for (const [sessionDayId, team] of teams) {
    if (team.length)
      await notifyAssigned(
        app.db,
        app.sms,
        sessionDayId,
        team.map((m) => m.staffId),
        log,
      );
  }
}

/**
 * Replaces an absent member in one step, then tells the replacement they are assigned, the absent member their
 * duty is cancelled, and the rest of the team that it changed.
 */
export async function replaceAndTell(
  app: FastifyInstance,
  staff: StaffPrincipal,
  input: { sessionDayId: string; absentStaffId: string; replacementStaffId: string },
  log: FastifyBaseLogger,
) {
  await app.assertSessionAccess(staff, input.sessionDayId);
  const absentDuty = (await dutiesOf(app.db, input.sessionDayId, [input.absentStaffId]))[0];
  const replaced = await replaceStaff(app.db, { ...input, actor: actorOf(staff) });
  await notifyAssigned(app.db, app.sms, input.sessionDayId, [replaced.added.staffId], log);
  if (absentDuty) await notifyRemoved(app.db, app.sms, absentDuty, log);
  const rest = (await teamOf(app.db, input.sessionDayId)).filter((m) => m.staffId !== replaced.added.staffId);
  await notifyTeamOfChange(app.db, app.sms, input.sessionDayId, `replaced-${replaced.added.assignmentId}`, {
    staffIds: rest.map((m) => m.staffId),
    log,
  });
  const team = await teamOf(app.db, input.sessionDayId);
  return {
    sessionDayId: input.sessionDayId,
    teamRole: replaced.teamRole,
    removedStaffId: replaced.removed.staffId,
    replacementStaffId: replaced.added.staffId,
    team: team.map((m) => ({ staffId: m.staffId, name: m.name, role: m.role, teamRole: m.teamRole })),
  };
}

// ── staff load ─────────────────────────────────────────────────────────────────────────────────────────

/** Longest range one staff-load request may span. */
export const MAX_LOAD_DAYS = 62;

export async function districtStaffLoad(
  app: FastifyInstance,
  staff: StaffPrincipal,
  query: { districtId?: number; from?: string; to?: string },
) {
  const districtId =
    query.districtId ?? (staff.role === 'DISTRICT_OFFICER' ? (staff.districtId ?? undefined) : undefined);
  if (districtId === undefined)
    throw badRequest('DISTRICT_REQUIRED', 'name the district (districtId) whose staff load to show');
  await assertDistrictAccess(app.db, staff, districtId);
  const from = query.from ?? indiaDate();
  const to = query.to ?? addDays(from, 6);
  if (to < from) throw badRequest('INVALID_RANGE', `to (${to}) is before from (${from})`);
  if (daysBetween(from, to) >= MAX_LOAD_DAYS)
    throw badRequest('RANGE_TOO_LONG', `show at most ${MAX_LOAD_DAYS} days at a time`);
  return { districtId, from, to, staff: await staffLoad(app.db, { districtId, from, to }) };
}

// ── slots ──────────────────────────────────────────────────────────────────────────────────────────────

export async function generateSlots(
  app: FastifyInstance,
  staff: StaffPrincipal,
  sessionDayId: string,
  slotMinutes: number,
) {
  await app.assertSessionAccess(staff, sessionDayId);
  return regenerateSlots(app.db, { sessionDayId, slotMinutes, actor: actorOf(staff) });
}
