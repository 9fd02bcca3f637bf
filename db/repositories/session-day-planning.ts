/**
 * Creating session days from plans: one, or a whole CSV file all-or-nothing, checked against the sites, the
 * caller's jurisdiction, the vaccines and the days already planned. Editing a planned day is
 * session-day-edits.ts, its team session-day-assignments.ts, the officers' view of planned days planned-days.ts.
 */
import type { Db } from '../connection.js';
import {
  checkSessionPlan,
  isCalendarDate,
  normaliseTime,
  type PlanProblem,
  type SessionPlan,
} from '../../domain/session-plan.js';
import { indiaDate } from '../../domain/time.js';
import { writeAudit, type Actor } from './audit.js';
import { assignStaff } from './session-day-assignments.js';
import { createSessionDay } from './session-days.js';

export interface PlannedSessionDay extends SessionPlan {
  /** Vaccinators to put on the day at once (team role VACCINATOR). */
  vaccinatorIds?: string[];
}

/** What kind of wrong a problem is, so a single request can answer with the right status. */
export type ProblemKind = 'invalid' | 'not_found' | 'forbidden' | 'conflict';
export interface PlanningProblem extends PlanProblem {
  /** Index of the plan in the list given. */
  index: number;
  kind: ProblemKind;
}

export type PlanningResult = { ok: true; sessionDayIds: string[] } | { ok: false; problems: PlanningProblem[] };

export interface PlanningOptions {
  actor: Actor;
  /** The caller's jurisdiction (the API's rule, passed in). */
  mayPlanIn(district: { id: number; stateId: number }): boolean;
  /** Validate only; nothing is written. */
  dryRun?: boolean;
  /** Recorded in each audit row, e.g. 'csv'. */
  via?: string;
  /** How a plan is named in messages about another one: 'row 3' for a CSV file. */
  label?(index: number): string;
  now?: Date;
}

/**
 * Checks every plan (fields, site, jurisdiction, vaccine, clashes with existing days and with each other) and,
 * only if all are sound, creates them all in one transaction. The sites are locked while checking so that two
 * uploads cannot both plan the same site and date.
 */
export async function planSessionDays(
  db: Db,
  plans: PlannedSessionDay[],
  options: PlanningOptions,
): Promise<PlanningResult> {
  const now = options.now ?? new Date();
  const today = indiaDate(now);
  return db.transaction().execute(async (trx): Promise<PlanningResult> => {
    const problems: PlanningProblem[] = [];
    const label = options.label ?? ((index: number) => `item ${index + 1}`);
    const add = (index: number, kind: ProblemKind, problem: PlanProblem) => problems.push({ index, kind, ...problem });

    plans.forEach((plan, index) => checkSessionPlan(plan, today, now).forEach((p) => add(index, 'invalid', p)));

    const siteIds = [...new Set(plans.map((p) => p.siteId).filter(Number.isInteger))].sort((a, b) => a - b);
    const sites = new Map(
      (siteIds.length
        ? await trx
            .selectFrom('site')
            .innerJoin('district', 'district.id', 'site.district_id')
            .select(['site.id', 'site.name', 'site.district_id', 'district.state_id', 'district.name as district_name'])
            .where('site.id', 'in', siteIds)
            .orderBy('site.id')
            .forUpdate('site')
            .execute()
        : []
      ).map((s) => [s.id, s]),
    );
    const vaccines = new Set(
      (await trx.selectFrom('vaccine').select('code').where('active', '=', true).execute()).map((v) => v.code),
    );
    const dates = [...new Set(plans.map((p) => p.date).filter(isCalendarDate))];
    const existing =
      siteIds.length && dates.length
        ? await trx
            .selectFrom('session_day')
            .select(['id', 'site_id', 'date'])
            .where('site_id', 'in', siteIds)
            .where('date', 'in', dates)
            .where('status', '<>', 'CANCELLED')
            .execute()
        : [];
    const existingByKey = new Map(existing.map((e) => [`${e.site_id}|${e.date}`, e.id]));
    const firstIndexByKey = new Map<string, number>();

    plans.forEach((plan, index) => {
      if (!vaccines.has(plan.vaccineCode))
        add(index, 'invalid', {
          column: 'vaccine',
          code: 'VACCINE_NOT_IN_USE',
          params: { vaccine: plan.vaccineCode, vaccines: [...vaccines].sort().join(', ') },
          message: `${plan.vaccineCode} is not a vaccine in use (${[...vaccines].sort().join(', ')})`,
        });
      const site = sites.get(plan.siteId);
      if (!site)
        return add(index, 'not_found', {
          column: 'site_id',
          code: 'SITE_NOT_FOUND',
          params: { siteId: plan.siteId },
          message: `site ${plan.siteId} does not exist`,
        });
      if (!options.mayPlanIn({ id: site.district_id, stateId: site.state_id })) {
        // Nothing more is said about a site the caller may not plan (not even its existing days).
        return add(index, 'forbidden', {
          column: 'site_id',
          code: 'SITE_OUTSIDE_JURISDICTION',
          params: { siteId: plan.siteId, district: site.district_name },
          message: `site ${plan.siteId} is in ${site.district_name} district, outside your jurisdiction`,
        });
      }
      const key = `${plan.siteId}|${plan.date}`;
      const clash = existingByKey.get(key);
      if (clash)
        add(index, 'conflict', {
          column: 'date',
          code: 'DAY_ALREADY_PLANNED',
          params: { siteId: plan.siteId, date: plan.date },
          message: `site ${plan.siteId} already has a session day on ${plan.date} (${clash})`,
        });
      const first = firstIndexByKey.get(key);
      if (first !== undefined)
        add(index, 'conflict', {
          column: 'date',
          code: 'DAY_TWICE_IN_FILE',
          params: { siteId: plan.siteId, date: plan.date, other: first + 1 },
          message: `site ${plan.siteId} on ${plan.date} is already planned by ${label(first)}`,
        });
      else firstIndexByKey.set(key, index);
    });

    if (problems.length) return { ok: false, problems: problems.sort((a, b) => a.index - b.index) };
    if (options.dryRun) return { ok: true, sessionDayIds: [] };

    const sessionDayIds: string[] = [];
    for (const [index, plan] of plans.entries()) {
      const opensAt = normaliseTime(plan.opensAt)!;
      const closesAt = normaliseTime(plan.closesAt)!;
      const id = await createSessionDay(trx, {
        site_id: plan.siteId,
        date: plan.date,
        vaccine_code: plan.vaccineCode,
        min_age: plan.minAge,
        max_age: plan.maxAge,
        opens_at: opensAt,
        closes_at: closesAt,
        dose1_capacity: plan.dose1Capacity,
        dose2_capacity: plan.dose2Capacity,
        walkin_capacity: plan.walkinCapacity,
        slotMinutes: plan.slotMinutes,
      });
      await writeAudit(trx, {
        actor: options.actor,
        action: 'SESSION_DAY_CREATED',
        entityType: 'session_day',
        entityId: id,
        details: {
          siteId: plan.siteId,
          date: plan.date,
          vaccineCode: plan.vaccineCode,
          ...(options.via ? { via: options.via, index } : {}),
        },
      });
      for (const staffId of plan.vaccinatorIds ?? []) {
        await assignStaff(trx, { sessionDayId: id, staffId, teamRole: 'VACCINATOR', actor: options.actor, now });
      }
      sessionDayIds.push(id);
    }
    return { ok: true, sessionDayIds };
  });
}
