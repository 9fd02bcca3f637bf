/**
 * Planning session days: creating them (one, or a whole CSV file all-or-nothing), editing seats, hours and
 * ages without ever going below what people already hold, and putting staff on them. Booked seats are
 * protected by locking the session day row first: seat-taking (appointments.ts) updates that row too, so an
 * edit and a booking never interleave.
 */
import { sql } from 'kysely';
import { Refusal } from '../../domain/refusals.js';
import type { Db } from '../connection.js';
import type { StaffRole, TeamRole } from '../schema.js';
import { refuse } from '../../domain/errors.js';
import {
  checkSessionPlan,
  isCalendarDate,
  normaliseTime,
  rebalanceSlotSeats,
  slotLength,
  type PlanProblem,
  type SessionPlan,
} from '../../domain/session-plan.js';
import { indiaDate } from '../../domain/time.js';
import { writeAudit, type Actor, type Executor } from './audit.js';
import { createSessionDay, insertPlannedSlots } from './session-days.js';

/** Session days in these states are over: nothing about them is planned any more. */
const FINISHED_STATUSES = ['CLOSED', 'CANCELLED'];

// ---------------------------------------------------------------------------------------------------------
// Creating

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
          message: `${plan.vaccineCode} is not a vaccine in use (${[...vaccines].sort().join(', ')})`,
        });
      const site = sites.get(plan.siteId);
      if (!site) return add(index, 'not_found', { column: 'site_id', message: `site ${plan.siteId} does not exist` });
      if (!options.mayPlanIn({ id: site.district_id, stateId: site.state_id })) {
        // Nothing more is said about a site the caller may not plan (not even its existing days).
        return add(index, 'forbidden', {
          column: 'site_id',
          message: `site ${plan.siteId} is in ${site.district_name} district, outside your jurisdiction`,
        });
      }
      const key = `${plan.siteId}|${plan.date}`;
      const clash = existingByKey.get(key);
      if (clash)
        add(index, 'conflict', {
          column: 'date',
          message: `site ${plan.siteId} already has a session day on ${plan.date} (${clash})`,
        });
      const first = firstIndexByKey.get(key);
      if (first !== undefined)
        add(index, 'conflict', {
          column: 'date',
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

// ---------------------------------------------------------------------------------------------------------
// Editing

export interface SessionDayChanges {
  minAge?: number;
  maxAge?: number | null;
  dose1Capacity?: number;
  dose2Capacity?: number;
  walkinCapacity?: number;
  opensAt?: string;
  closesAt?: string;
  slotMinutes?: number;
}

/**
 * Changes seats, walk-in quota, hours or ages of a planned day. Seats never drop below what is booked; ages
 * never exclude someone booked; hours (and slot length) change only while nobody has booked, because the
 * slots are then planned afresh. With bookings, seat changes are spread over the existing slots instead.
 */
export async function editSessionDay(
  db: Db,
  sessionDayId: string,
  changes: SessionDayChanges,
  options: { actor: Actor; now?: Date },
): Promise<void> {
  const now = options.now ?? new Date();
  await db.transaction().execute(async (trx) => {
    const day = await trx
      .selectFrom('session_day')
      .selectAll()
      .where('id', '=', sessionDayId)
      .forUpdate()
      .executeTakeFirst();
    if (!day) return refuse(Refusal.SESSION_NOT_FOUND, 'no session day has that id');
    if (FINISHED_STATUSES.includes(day.status)) {
      return refuse(
        Refusal.SESSION_DAY_NOT_EDITABLE,
        `this session day is ${day.status.toLowerCase()}; it can no longer be changed`,
      );
    }
    const slots = await trx
      .selectFrom('session_slot')
      .selectAll()
      .where('session_day_id', '=', sessionDayId)
      .orderBy('starts_at')
      .forUpdate()
      .execute();
    const currentSlotMinutes = slots.length ? slotLength(slots[0]) : 120;

    const plan: SessionPlan = {
      siteId: day.site_id,
      date: day.date,
      vaccineCode: day.vaccine_code,
      minAge: changes.minAge ?? day.min_age,
      maxAge: changes.maxAge !== undefined ? changes.maxAge : day.max_age,
      dose1Capacity: changes.dose1Capacity ?? day.dose1_capacity,
      dose2Capacity: changes.dose2Capacity ?? day.dose2_capacity,
      walkinCapacity: changes.walkinCapacity ?? day.walkin_capacity,
      opensAt: changes.opensAt ?? day.opens_at,
      closesAt: changes.closesAt ?? day.closes_at,
      slotMinutes: changes.slotMinutes ?? currentSlotMinutes,
    };
    const problems = checkSessionPlan(plan, indiaDate(now), now);
    if (problems.length) {
      return refuse(Refusal.INVALID_SESSION_PLAN, problems.map((p) => p.message).join('; '), { problems });
    }
    const opensAt = normaliseTime(plan.opensAt)!;
    const closesAt = normaliseTime(plan.closesAt)!;

    for (const [label, capacity, held] of [
      ['dose 1 capacity', plan.dose1Capacity, day.dose1_booked],
      ['dose 2 capacity', plan.dose2Capacity, day.dose2_booked],
      ['walk-in quota', plan.walkinCapacity, day.walkin_used],
    ] as const) {
      if (capacity < held) {
        refuse(
          Refusal.CAPACITY_BELOW_BOOKED,
          `the ${label} cannot go below the ${held} already ${label === 'walk-in quota' ? 'used' : 'booked'} (asked for ${capacity})`,
          {
            asked: capacity,
            held,
          },
        );
      }
    }

    if (plan.minAge !== day.min_age || plan.maxAge !== day.max_age) {
      const year = Number(day.date.slice(0, 4));
      const { excluded } = await trx
        .selectFrom('appointment')
        .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
        .select(sql<number>`count(*)`.as('excluded'))
        .where('appointment.session_day_id', '=', sessionDayId)
        .where('appointment.status', '=', 'BOOKED')
        .where((eb) =>
          eb.or([
            eb(sql<number>`${year} - beneficiary.birth_year`, '<', plan.minAge),
            ...(plan.maxAge === null ? [] : [eb(sql<number>`${year} - beneficiary.birth_year`, '>', plan.maxAge)]),
          ]),
        )
        .executeTakeFirstOrThrow();
      if (excluded > 0) {
        refuse(
          Refusal.AGE_RANGE_EXCLUDES_BOOKED,
          `${excluded} people booked on this day fall outside ages ${plan.minAge}${plan.maxAge === null ? '+' : `–${plan.maxAge}`}`,
          { excluded },
        );
      }
    }

    const { appointments } = await trx
      .selectFrom('appointment')
      .select(sql<number>`count(*)`.as('appointments'))
      .where('session_day_id', '=', sessionDayId)
      .executeTakeFirstOrThrow();
    const taken = appointments > 0 || day.walkin_used > 0 || day.doses_recorded > 0;
    const hoursChange =
      opensAt !== day.opens_at || closesAt !== day.closes_at || plan.slotMinutes !== currentSlotMinutes;
    const seatsChange =
      plan.dose1Capacity !== day.dose1_capacity ||
      plan.dose2Capacity !== day.dose2_capacity ||
      plan.walkinCapacity !== day.walkin_capacity;

    if (hoursChange && taken) {
      refuse(
        Refusal.HOURS_LOCKED,
        'people have already booked or been vaccinated on this day, so its hours and slots can no longer change; change seats only, or cancel and plan a new day',
      );
    }
    if (hoursChange || (seatsChange && !taken)) {
      // Nobody holds a slot: plan them afresh, exactly as a new day would be.
      await trx.deleteFrom('session_slot').where('session_day_id', '=', sessionDayId).execute();
      await insertPlannedSlots(trx, sessionDayId, {
        opensAt,
        closesAt,
        slotMinutes: plan.slotMinutes,
        onlineCapacity: plan.dose1Capacity + plan.dose2Capacity,
        walkinCapacity: plan.walkinCapacity,
      });
    } else if (seatsChange) {
      const hours = { opensAt, closesAt, slotMinutes: plan.slotMinutes };
      const online = rebalanceSlotSeats(
        slots.map((s) => ({ startsAt: s.starts_at, used: s.booked })),
        hours,
        plan.dose1Capacity + plan.dose2Capacity,
      );
      const walkin = rebalanceSlotSeats(
        slots.map((s) => ({ startsAt: s.starts_at, used: s.walkin_used })),
        hours,
        plan.walkinCapacity,
      );
      for (const [i, slot] of slots.entries()) {
        if (online[i] !== slot.capacity || walkin[i] !== slot.walkin_capacity) {
          await trx
            .updateTable('session_slot')
            .set({ capacity: online[i], walkin_capacity: walkin[i] })
            .where('id', '=', slot.id)
            .execute();
        }
      }
    }

    await trx
      .updateTable('session_day')
      .set({
        min_age: plan.minAge,
        max_age: plan.maxAge,
        dose1_capacity: plan.dose1Capacity,
        dose2_capacity: plan.dose2Capacity,
        walkin_capacity: plan.walkinCapacity,
        opens_at: opensAt,
        closes_at: closesAt,
        updated_at: now,
      })
      .where('id', '=', sessionDayId)
      .execute();

    const before: Record<string, unknown> = {
      minAge: day.min_age,
      maxAge: day.max_age,
      dose1Capacity: day.dose1_capacity,
      dose2Capacity: day.dose2_capacity,
      walkinCapacity: day.walkin_capacity,
      opensAt: day.opens_at,
      closesAt: day.closes_at,
      slotMinutes: currentSlotMinutes,
    };
    const after: Record<string, unknown> = { ...plan, opensAt, closesAt };
    const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
    await writeAudit(trx, {
      actor: options.actor,
      action: 'SESSION_DAY_EDITED',
      entityType: 'session_day',
      entityId: sessionDayId,
      details: { changes: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])) },
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Staff on a session day

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
    if (FINISHED_STATUSES.includes(day.status) || day.date < today) {
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

// ---------------------------------------------------------------------------------------------------------
// Reading

export interface PlannedDayView {
  id: string;
  siteId: number;
  siteName: string;
  districtId: number;
  date: string;
  vaccineCode: string;
  status: string;
  minAge: number;
  maxAge: number | null;
  opensAt: string;
  closesAt: string;
  dose1Capacity: number;
  dose2Capacity: number;
  walkinCapacity: number;
  dose1Booked: number;
  dose2Booked: number;
  walkinUsed: number;
  /** Online seats taken (dose 1 + dose 2). */
  booked: number;
  vaccinated: number;
  noShows: number;
  slots: Array<{
    slotId: number;
    startsAt: string;
    endsAt: string;
    capacity: number;
    booked: number;
    walkinCapacity: number;
    walkinUsed: number;
  }>;
  team: Array<{ staffId: string; name: string; role: StaffRole; teamRole: TeamRole }>;
}

export type SessionDayScope = { districtId: number } | { stateId: number } | Record<string, never>;

/** The officers' view of session days: seats, bookings, doses and no-shows so far, slots and team. */
export async function listPlannedDays(
  db: Executor,
  query: { scope: SessionDayScope; date?: string; ids?: string[] },
): Promise<PlannedDayView[]> {
  const { scope } = query;
  const rows = await db
    .selectFrom('session_day')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .innerJoin('district', 'district.id', 'session_day.district_id')
    .select([
      'session_day.id',
      'session_day.site_id',
      'site.name as site_name',
      'session_day.district_id',
      'session_day.date',
      'session_day.vaccine_code',
      'session_day.status',
      'session_day.min_age',
      'session_day.max_age',
      'session_day.opens_at',
      'session_day.closes_at',
      'session_day.dose1_capacity',
      'session_day.dose2_capacity',
      'session_day.walkin_capacity',
      'session_day.dose1_booked',
      'session_day.dose2_booked',
      'session_day.walkin_used',
      'session_day.doses_recorded',
      'session_day.no_shows',
    ])
    .$if('districtId' in scope, (qb) =>
      qb.where('session_day.district_id', '=', (scope as { districtId: number }).districtId),
    )
    .$if('stateId' in scope, (qb) => qb.where('district.state_id', '=', (scope as { stateId: number }).stateId))
    .$if(query.date !== undefined, (qb) => qb.where('session_day.date', '=', query.date!))
    .$if(query.ids !== undefined, (qb) =>
      qb.where('session_day.id', 'in', query.ids!.length ? query.ids! : ['00000000-0000-0000-0000-000000000000']),
    )
    .orderBy('session_day.date')
    .orderBy('site.name')
    .limit(1000)
    .execute();
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const slots = await db
    .selectFrom('session_slot')
    .select(['id', 'session_day_id', 'starts_at', 'ends_at', 'capacity', 'booked', 'walkin_capacity', 'walkin_used'])
    .where('session_day_id', 'in', ids)
    .orderBy('starts_at')
    .execute();
  const team = await db
    .selectFrom('session_assignment')
    .innerJoin('staff_user', 'staff_user.id', 'session_assignment.staff_id')
    .select([
      'session_assignment.session_day_id',
      'staff_user.id',
      'staff_user.name',
      'staff_user.role',
      'session_assignment.team_role',
    ])
    .where('session_assignment.session_day_id', 'in', ids)
    .orderBy('staff_user.name')
    .execute();
  const group = <T extends { session_day_id: string }>(items: T[]) => {
    const map = new Map<string, T[]>();
    for (const item of items) map.set(item.session_day_id, [...(map.get(item.session_day_id) ?? []), item]);
    return map;
  };
  const slotsByDay = group(slots);
  const teamByDay = group(team);
  return rows.map((r) => ({
    id: r.id,
    siteId: r.site_id,
    siteName: r.site_name,
    districtId: r.district_id,
    date: r.date,
    vaccineCode: r.vaccine_code,
    status: r.status,
    minAge: r.min_age,
    maxAge: r.max_age,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    dose1Capacity: r.dose1_capacity,
    dose2Capacity: r.dose2_capacity,
    walkinCapacity: r.walkin_capacity,
    dose1Booked: r.dose1_booked,
    dose2Booked: r.dose2_booked,
    walkinUsed: r.walkin_used,
    booked: r.dose1_booked + r.dose2_booked,
    vaccinated: r.doses_recorded,
    noShows: r.no_shows,
    slots: (slotsByDay.get(r.id) ?? []).map((s) => ({
      slotId: s.id,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      capacity: s.capacity,
      booked: s.booked,
      walkinCapacity: s.walkin_capacity,
      walkinUsed: s.walkin_used,
    })),
    team: (teamByDay.get(r.id) ?? []).map((t) => ({
      staffId: t.id,
      name: t.name,
      role: t.role,
      teamRole: t.team_role,
    })),
  }));
}
