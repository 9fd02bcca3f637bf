/**
 * Dry runs in SQL: the run itself, what it creates (session days, simulated staff, test people and accounts),
 * a simulation's arrivals at the door, the facts its findings are made of, and its deletion, which removes
 * everything the run created and nothing else (real rows never carry a dry run's id, and a trigger keeps a dry
 * run's people and session days apart from real ones).
 */
import { sql } from 'kysely';
import type { Db } from '../connection.js';
import type { DryRunMode, DryRunStatus, TeamRole } from '../schema.js';
import {
  calendarMinutes,
  OBSERVATION_MINUTES,
  type SiteFacts,
  type SlotFacts,
  type WorkStep,
} from '../../domain/dry-run.js';
import { addDays, indiaDate, timeToMinutes } from '../../domain/time.js';
import { writeAudit, type Actor, type Executor } from './audit.js';

const REAL_DAY_MS = 86_400_000;

export interface DryRunView {
  id: string;
  name: string;
  mode: DryRunMode;
  stateId: number;
  districtId: number | null;
  date: string;
  dayMs: number | null;
  parameters: unknown;
  smsNumbers: string[];
  status: DryRunStatus;
  failure: string | null;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  sessionDayIds: string[];
}

function dryRunQuery(db: Executor) {
  return db.selectFrom('dry_run').select((eb) => [
    'dry_run.id',
    'dry_run.name',
    'dry_run.mode',
    'dry_run.state_id as stateId',
    'dry_run.district_id as districtId',
    'dry_run.date',
    'dry_run.day_ms as dayMs',
    'dry_run.parameters',
    'dry_run.sms_numbers as smsNumbers',
    'dry_run.status',
    'dry_run.failure',
    'dry_run.created_by as createdBy',
    'dry_run.created_at as createdAt',
    'dry_run.started_at as startedAt',
    'dry_run.finished_at as finishedAt',
    eb
      .selectFrom('session_day')
      .select(sql<string[]>`coalesce(array_agg(session_day.id order by session_day.site_id), '{}')`.as('ids'))
      .whereRef('session_day.dry_run_id', '=', 'dry_run.id')
      .as('sessionDayIds'),
  ]);
}

export async function findDryRun(db: Executor, id: string): Promise<DryRunView | undefined> {
  const row = await dryRunQuery(db).where('dry_run.id', '=', id).executeTakeFirst();
  return row ? { ...row, sessionDayIds: row.sessionDayIds ?? [] } : undefined;
}

/** Dry runs in a district, a state (all its districts and state-wide runs) or everywhere, newest first. */
export async function listDryRuns(
  db: Executor,
  scope: { districtId?: number; stateId?: number },
  limit = 100,
): Promise<DryRunView[]> {
  const rows = await dryRunQuery(db)
    .$if(scope.stateId !== undefined, (qb) => qb.where('dry_run.state_id', '=', scope.stateId!))
    .$if(scope.districtId !== undefined, (qb) => qb.where('dry_run.district_id', '=', scope.districtId!))
    .orderBy('dry_run.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, sessionDayIds: row.sessionDayIds ?? [] }));
}

export async function insertDryRun(
  trx: Executor,
  row: {
    name: string;
    mode: DryRunMode;
    stateId: number;
    districtId: number | null;
    date: string;
    dayMs: number | null;
    parameters: unknown;
    smsNumbers?: string[];
    createdBy: string;
  },
  actor: Actor,
): Promise<string> {
  const { id } = await trx
    .insertInto('dry_run')
    .values({
      name: row.name,
      mode: row.mode,
      state_id: row.stateId,
      district_id: row.districtId,
      date: row.date,
      day_ms: row.dayMs,
      parameters: JSON.stringify(row.parameters),
      sms_numbers: row.smsNumbers ?? [],
      created_by: row.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeAudit(trx, {
    actor,
    action: 'DRY_RUN_CREATED',
    entityType: 'dry_run',
    entityId: id,
    details: { name: row.name, mode: row.mode, stateId: row.stateId, districtId: row.districtId, date: row.date },
  });
  return id;
}

/** Moves a run on (PLANNED → RUNNING → FINISHED or FAILED); audited as the system's step. */
export async function setDryRunStatus(
  db: Db,
  id: string,
  status: DryRunStatus,
  details: { failure?: string } = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('dry_run')
      .set({
        status,
        ...(status === 'RUNNING' ? { started_at: new Date() } : {}),
        ...(status === 'FINISHED' || status === 'FAILED' ? { finished_at: new Date() } : {}),
        ...(details.failure ? { failure: details.failure.slice(0, 500) } : {}),
      })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, {
      actor: { type: 'SYSTEM', id: 'dry-run', role: null },
      action: `DRY_RUN_${status}`,
      entityType: 'dry_run',
      entityId: id,
      details,
    });
  });
}

/** Session days of dry runs from yesterday on (India): the live feed keeps their events to their own rooms. */
export async function currentDryRunSessionDays(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('session_day')
    .select('id')
    .where('dry_run_id', 'is not', null)
    .where('date', '>=', addDays(indiaDate(), -1))
    .execute();
  return rows.map((r) => r.id);
}

/** A simulation's day length, for a session day of one (null: a real day or a drill, on the real clock). */
export async function simulationDayMs(db: Executor, sessionDayId: string): Promise<number | null> {
  const row = await db
    .selectFrom('session_day')
    .innerJoin('dry_run', 'dry_run.id', 'session_day.dry_run_id')
    .select(['dry_run.day_ms', 'dry_run.mode'])
    .where('session_day.id', '=', sessionDayId)
    .executeTakeFirst();
  return row?.mode === 'SIMULATION' ? row.day_ms : null;
}

/** Simulated team members of a run's session day: staff who never log in (no password), on its team. */
export async function insertSimulatedTeam(
  trx: Executor,
  input: {
    dryRunId: string;
    sessionDayId: string;
    date: string;
    stateId: number;
    districtId: number;
    label: string;
    members: { teamRole: TeamRole; name: string }[];
  },
): Promise<{ staffId: string; teamRole: TeamRole; name: string }[]> {
  const made = [];
  for (const [i, member] of input.members.entries()) {
    const { id } = await trx
      .insertInto('staff_user')
      .values({
        username: `dryrun-${input.label}-${i + 1}`.toLowerCase().slice(0, 40),
        password_hash: '!',
        name: member.name,
        mobile: null,
        role: 'VACCINATOR',
        state_id: input.stateId,
        district_id: input.districtId,
        dry_run_id: input.dryRunId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('session_assignment')
      .values({
        session_day_id: input.sessionDayId,
        staff_id: id,
        session_date: input.date,
        team_role: member.teamRole,
        assigned_by: null,
      })
      .execute();
    made.push({ staffId: id, teamRole: member.teamRole, name: member.name });
  }
  return made;
}

/** A test account of the run (one per test person: a mobile holds at most four). */
export async function insertTestAccount(db: Executor, dryRunId: string, mobile: string): Promise<string | undefined> {
  const row = await db
    .insertInto('account')
    .values({ mobile, dry_run_id: dryRunId, verified_at: new Date() })
    .onConflict((oc) => oc.column('mobile').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export interface DryRunSite {
  sessionDayId: string;
  siteId: number;
  siteName: string;
  districtId: number;
  stateId: number;
  date: string;
  opensAt: string;
  closesAt: string;
  vaccineCode: string;
  slots: { id: number; startsAt: string; endsAt: string; capacity: number }[];
  team: { staffId: string; teamRole: TeamRole; name: string }[];
}

export async function dryRunSites(db: Executor, dryRunId: string): Promise<DryRunSite[]> {
  const days = await db
    .selectFrom('session_day')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .innerJoin('district', 'district.id', 'session_day.district_id')
    .select([
      'session_day.id',
      'session_day.site_id',
      'site.name',
      'session_day.district_id',
      'district.state_id',
      'session_day.date',
      'session_day.opens_at',
      'session_day.closes_at',
      'session_day.vaccine_code',
    ])
    .where('session_day.dry_run_id', '=', dryRunId)
    .orderBy('session_day.site_id')
    .execute();
  const ids = days.map((d) => d.id);
  const slots = ids.length
    ? await db
        .selectFrom('session_slot')
        .select(['id', 'session_day_id', 'starts_at', 'ends_at', 'capacity'])
        .where('session_day_id', 'in', ids)
        .orderBy('starts_at')
        .execute()
    : [];
  const team = ids.length
    ? await db
        .selectFrom('session_assignment')
        .innerJoin('staff_user', 'staff_user.id', 'session_assignment.staff_id')
        .select([
          'session_assignment.session_day_id',
          'staff_user.id',
          'staff_user.name',
          'session_assignment.team_role',
        ])
        .where('session_assignment.session_day_id', 'in', ids)
        .orderBy('session_assignment.id')
        .execute()
    : [];
  return days.map((d) => ({
    sessionDayId: d.id,
    siteId: d.site_id,
    siteName: d.name,
    districtId: d.district_id,
    stateId: d.state_id,
    date: d.date,
    opensAt: d.opens_at,
    closesAt: d.closes_at,
    vaccineCode: d.vaccine_code,
    slots: slots
      .filter((s) => s.session_day_id === d.id)
      .map((s) => ({ id: s.id, startsAt: s.starts_at, endsAt: s.ends_at, capacity: s.capacity })),
    team: team
      .filter((m) => m.session_day_id === d.id)
      .map((m) => ({ staffId: m.id, teamRole: m.team_role, name: m.name })),
  }));
}

/** One arrival at the door of a simulation's session day, written as the person leaves the door. */
export async function recordArrival(
  db: Executor,
  row: {
    dryRunId: string;
    sessionDayId: string;
    slotId: number | null;
    beneficiaryId: string | null;
    kind: 'BOOKED' | 'WALKIN';
    arrivedAt: Date;
    queueOnArrival: number;
    outcome: 'VERIFIED' | 'TURNED_AWAY';
    reason?: string;
  },
): Promise<string> {
  const { id } = await db
    .insertInto('dry_run_arrival')
    .values({
      dry_run_id: row.dryRunId,
      session_day_id: row.sessionDayId,
      slot_id: row.slotId,
      beneficiary_id: row.beneficiaryId,
      kind: row.kind,
      arrived_at: row.arrivedAt,
      queue_on_arrival: row.queueOnArrival,
      outcome: row.outcome,
      reason: row.reason ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A person checked at the door who was then not vaccinated (the day closed, a refusal at the dose). */
export async function markTurnedAway(db: Executor, arrivalId: string, reason: string): Promise<void> {
  await db.updateTable('dry_run_arrival').set({ outcome: 'TURNED_AWAY', reason }).where('id', '=', arrivalId).execute();
}

/**
 * A run's test people with what their slips say (reference id, secret code, slot): a drill's staff check them at
 * the desk as they would a real person. They are nobody, so nothing here is personal.
 */
export async function dryRunPeople(db: Executor, dryRunId: string) {
  return db
    .selectFrom('beneficiary')
    .leftJoin('appointment', (join) =>
      join.onRef('appointment.beneficiary_id', '=', 'beneficiary.id').on('appointment.status', '!=', 'CANCELLED'),
    )
    .leftJoin('session_day', 'session_day.id', 'appointment.session_day_id')
    .leftJoin('site', 'site.id', 'session_day.site_id')
    .leftJoin('session_slot', 'session_slot.id', 'appointment.slot_id')
    .select([
      'beneficiary.reference_id as referenceId',
      'beneficiary.name',
      'beneficiary.birth_year as birthYear',
      'beneficiary.secret_code as secretCode',
      'beneficiary.stage',
      'appointment.session_day_id as sessionDayId',
      'site.name as siteName',
      'session_slot.starts_at as slotStartsAt',
      'appointment.status as appointmentStatus',
    ])
    .where('beneficiary.dry_run_id', '=', dryRunId)
    .orderBy('beneficiary.created_at')
    .execute();
}

/** The workflows a run started: its people's journeys and its session days'. */
export async function dryRunWorkflowIds(db: Executor, dryRunId: string) {
  const people = await db.selectFrom('beneficiary').select('reference_id').where('dry_run_id', '=', dryRunId).execute();
  const days = await db.selectFrom('session_day').select('id').where('dry_run_id', '=', dryRunId).execute();
  return { referenceIds: people.map((p) => p.reference_id), sessionDayIds: days.map((d) => d.id) };
}

/**
 * Removes the run and everything it created, children first, in one transaction: its session days and what
 * happened at them (bookings, checks, doses, releases, AEFI reports), its people and accounts (their journey
 * history, SMS, OTPs, certificates), its simulated staff, its arrivals, and the workflow commands still queued
 * for its journeys and days. Rows without the run's id are never touched. The audit log keeps every row
 * (it is never edited); the deletion itself is audited with what was removed.
 */
export async function deleteDryRun(db: Db, dryRunId: string, actor: Actor): Promise<Record<string, number>> {
  return db.transaction().execute(async (trx) => {
    const removed: Record<string, number> = {};
    const count = (table: string, result: { numDeletedRows: bigint }[]) => {
      removed[table] = (removed[table] ?? 0) + result.reduce((n, r) => n + Number(r.numDeletedRows), 0);
    };
    const days = trx.selectFrom('session_day').select('id').where('dry_run_id', '=', dryRunId);
    const people = trx.selectFrom('beneficiary').select('id').where('dry_run_id', '=', dryRunId);
    const doses = trx.selectFrom('dose').select('id').where('session_day_id', 'in', days);
    const mobiles = trx.selectFrom('account').select('mobile').where('dry_run_id', '=', dryRunId);
    const { referenceIds, sessionDayIds } = await dryRunWorkflowIds(trx, dryRunId);
    const workflowIds = [
      ...referenceIds.map((r) => `beneficiary-${r}`),
      ...sessionDayIds.map((d) => `session-day-${d}`),
    ];

    count('dry_run_arrival', await trx.deleteFrom('dry_run_arrival').where('dry_run_id', '=', dryRunId).execute());
    count('aefi_report', await trx.deleteFrom('aefi_report').where('dose_id', 'in', doses).execute());
    count('observation_release', await trx.deleteFrom('observation_release').where('dose_id', 'in', doses).execute());
    count('certificate', await trx.deleteFrom('certificate').where('beneficiary_id', 'in', people).execute());
    count('dose', await trx.deleteFrom('dose').where('session_day_id', 'in', days).execute());
    count(
      'verification_check',
      await trx.deleteFrom('verification_check').where('session_day_id', 'in', days).execute(),
    );
    count('appointment', await trx.deleteFrom('appointment').where('session_day_id', 'in', days).execute());
    count(
      'journey_stage_history',
      await trx.deleteFrom('journey_stage_history').where('beneficiary_id', 'in', people).execute(),
    );
    count(
      'duplicate_person_hint',
      await trx
        .deleteFrom('duplicate_person_hint')
        .where((eb) => eb.or([eb('beneficiary_id', 'in', people), eb('other_beneficiary_id', 'in', people)]))
        .execute(),
    );
    count(
      'beneficiary_district',
      await trx.deleteFrom('beneficiary_district').where('beneficiary_id', 'in', people).execute(),
    );
    // What went to the run's staff numbers (its stall alerts, copies of its people's SMS), keyed `<key>:drill:<mobile>`,
    // before the people's own messages whose keys the copies name.
    const { rows: copies } = await sql<{ n: string }>`
      with gone as (
        delete from sms_message c
        using dry_run r
        where r.id = ${dryRunId} and c.mobile = any(r.sms_numbers) and c.idempotency_key ~ ':drill:[0-9]{10}$'
          and (
            substring(c.idempotency_key from '^(.*):drill:[0-9]{10}$') in (
              select o.idempotency_key from sms_message o
              where o.mobile in (select mobile from account where dry_run_id = ${dryRunId}))
            or split_part(c.idempotency_key, ':', 1) in (
              select 'session-day-' || id from session_day where dry_run_id = ${dryRunId})
          )
        returning 1)
      select count(*) as n from gone`.execute(trx);
    removed.sms_message = Number(copies[0]?.n ?? 0);
    count('sms_message', await trx.deleteFrom('sms_message').where('mobile', 'in', mobiles).execute());
    count('otp_challenge', await trx.deleteFrom('otp_challenge').where('mobile', 'in', mobiles).execute());
    if (workflowIds.length) {
      count(
        'workflow_outbox',
        await trx.deleteFrom('workflow_outbox').where('workflow_id', 'in', workflowIds).execute(),
      );
    }
    count(
      'session_assignment',
      await trx.deleteFrom('session_assignment').where('session_day_id', 'in', days).execute(),
    );
    count('session_slot', await trx.deleteFrom('session_slot').where('session_day_id', 'in', days).execute());
    count('beneficiary', await trx.deleteFrom('beneficiary').where('dry_run_id', '=', dryRunId).execute());
    count('account', await trx.deleteFrom('account').where('dry_run_id', '=', dryRunId).execute());
    count('session_day', await trx.deleteFrom('session_day').where('dry_run_id', '=', dryRunId).execute());
    count('staff_user', await trx.deleteFrom('staff_user').where('dry_run_id', '=', dryRunId).execute());
    count('dry_run', await trx.deleteFrom('dry_run').where('id', '=', dryRunId).execute());
    await writeAudit(trx, {
      actor,
      action: 'DRY_RUN_DELETED',
      entityType: 'dry_run',
      entityId: dryRunId,
      details: { removed },
    });
    return removed;
  });
}

// ── findings: what the database holds for each site of a run ─────────────────────────────────────────

const minutesBetween = (from: Date, to: Date, dayMs: number) => calendarMinutes(to.getTime() - from.getTime(), dayMs);

/**
 * Every fact a run's findings are made of, per site, read from the rows the run wrote: its session days, slots
 * and team; the arrivals at the door (a simulation's); the real door checks, doses, releases and AEFI reports;
 * stalls and officers' interventions from the audit log; the SMS its people were sent. Durations are calendar
 * minutes (a simulation's real milliseconds scaled back by its day length).
 */
export async function dryRunSiteFacts(db: Executor, dryRunId: string): Promise<SiteFacts[]> {
  const run = await db
    .selectFrom('dry_run')
    .select(['day_ms', 'mode'])
    .where('id', '=', dryRunId)
    .executeTakeFirstOrThrow();
  const dayMs = run.mode === 'SIMULATION' && run.day_ms ? run.day_ms : REAL_DAY_MS;
  const sites = await dryRunSites(db, dryRunId);
  const facts: SiteFacts[] = [];
  for (const site of sites) {
    const id = site.sessionDayId;
    const day = await db
      .selectFrom('session_day')
      .select([
        'status',
        'opens_at',
        'closes_at',
        'extended_until',
        'date',
        'dose1_capacity',
        'dose2_capacity',
        'walkin_capacity',
      ])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const slots = await db
      .selectFrom('session_slot')
      .select(['id', 'starts_at', 'ends_at', 'capacity', 'walkin_capacity', 'booked'])
      .where('session_day_id', '=', id)
      .orderBy('starts_at')
      .execute();
    const appointments = await db
      .selectFrom('appointment')
      .select(['status', 'slot_id'])
      .where('session_day_id', '=', id)
      .execute();
    const arrivals = await db
      .selectFrom('dry_run_arrival')
      .leftJoin('verification_check as vc', (join) =>
        join
          .onRef('vc.session_day_id', '=', 'dry_run_arrival.session_day_id')
          .onRef('vc.beneficiary_id', '=', 'dry_run_arrival.beneficiary_id'),
      )
      .select([
        'dry_run_arrival.slot_id',
        'dry_run_arrival.kind',
        'dry_run_arrival.arrived_at',
        'dry_run_arrival.queue_on_arrival',
        'dry_run_arrival.outcome',
        sql<Date | null>`min(vc.verified_at)`.as('verified_at'),
      ])
      .where('dry_run_arrival.session_day_id', '=', id)
      .groupBy('dry_run_arrival.id')
      .execute();
    const doses = await db
      .selectFrom('dose')
      .leftJoin('verification_check as vc', 'vc.id', 'dose.verification_id')
      .leftJoin('observation_release as r', 'r.dose_id', 'dose.id')
      .select([
        'dose.id',
        'dose.vaccinator_id',
        'dose.appointment_id',
        'dose.administered_at',
        'dose.source',
        'vc.verified_at',
        'r.released_at',
      ])
      .where('dose.session_day_id', '=', id)
      .execute();
    const aefi = await db
      .selectFrom('aefi_report')
      .innerJoin('dose', 'dose.id', 'aefi_report.dose_id')
      .select(['aefi_report.severity', sql<number>`count(*)`.as('n')])
      .where('dose.session_day_id', '=', id)
      .groupBy('aefi_report.severity')
      .execute();
    const audit = await db
      .selectFrom('audit_log')
      .select([
        sql<number>`count(*) filter (where action = 'SESSION_STALLED')`.as('stalls'),
        sql<number>`count(*) filter (where actor_type = 'STAFF')`.as('interventions'),
      ])
      .where('entity_type', '=', 'session_day')
      .where('entity_id', '=', id)
      .executeTakeFirstOrThrow();
    // The SMS of the people booked or vaccinated here (each test person has a mobile of their own).
    const sms = await db
      .selectFrom('sms_message')
      .select([
        sql<number>`count(*) filter (where status in ('SENT', 'DELIVERED'))`.as('sent'),
        sql<number>`count(*) filter (where status = 'DELIVERED')`.as('delivered'),
        sql<number>`count(*) filter (where status = 'FAILED')`.as('failed'),
      ])
      .where(
        'mobile',
        'in',
        db
          .selectFrom('account')
          .innerJoin('beneficiary', 'beneficiary.account_id', 'account.id')
          .select('account.mobile')
          .where('account.dry_run_id', '=', dryRunId)
          .where((eb) =>
            eb.or([
              eb.exists(
                eb
                  .selectFrom('appointment')
                  .select('appointment.id')
                  .whereRef('appointment.beneficiary_id', '=', 'beneficiary.id')
                  .where('appointment.session_day_id', '=', id),
              ),
              eb.exists(
                eb
                  .selectFrom('dose')
                  .select('dose.id')
                  .whereRef('dose.beneficiary_id', '=', 'beneficiary.id')
                  .where('dose.session_day_id', '=', id),
              ),
            ]),
          ),
      )
      .executeTakeFirstOrThrow();

    const closesAt = day.extended_until
      ? day.extended_until.toLocaleTimeString('en-GB', { timeZone: 'Asia/Kolkata', hour12: false })
      : day.closes_at;
    const openMinutes = timeToMinutes(closesAt) - timeToMinutes(day.opens_at);

    const stepMinutes: Record<WorkStep, number[]> = {
      DOOR_CHECK: arrivals.flatMap((a) => (a.verified_at ? [minutesBetween(a.arrived_at, a.verified_at, dayMs)] : [])),
      VACCINATION: doses.flatMap((d) =>
        d.verified_at ? [minutesBetween(d.verified_at, d.administered_at, dayMs)] : [],
      ),
      OBSERVATION: doses.flatMap((d) =>
        d.released_at ? [Math.min(OBSERVATION_MINUTES, minutesBetween(d.administered_at, d.released_at, dayMs))] : [],
      ),
      RELEASE: doses.flatMap((d) =>
        d.released_at
          ? [Math.max(0, minutesBetween(d.administered_at, d.released_at, dayMs) - OBSERVATION_MINUTES)]
          : [],
      ),
    };

    const slotFacts: SlotFacts[] = slots.map((slot) => {
      const here = arrivals.filter((a) => a.slot_id === slot.id);
      const verified = here.filter((a) => a.outcome === 'VERIFIED');
      return {
        startsAt: slot.starts_at,
        endsAt: slot.ends_at,
        seats: slot.capacity + slot.walkin_capacity,
        booked: appointments.filter((a) => a.slot_id === slot.id).length,
        arrived: here.length,
        walkIns: here.filter((a) => a.kind === 'WALKIN').length,
        verified: verified.length,
        turnedAway: here.filter((a) => a.outcome === 'TURNED_AWAY').length,
        waits: verified.flatMap((a) => (a.verified_at ? [minutesBetween(a.arrived_at, a.verified_at, dayMs)] : [])),
        longestQueue: here.reduce((n, a) => Math.max(n, a.queue_on_arrival), 0),
      };
    });

    facts.push({
      sessionDayId: id,
      siteId: site.siteId,
      siteName: site.siteName,
      districtId: site.districtId,
      status: day.status,
      openMinutes,
      seats: day.dose1_capacity + day.dose2_capacity,
      walkinSeats: day.walkin_capacity,
      // Walk-ins are vaccinated without an appointment: every appointment here is a booking.
      booked: appointments.length,
      walkInsArrived: arrivals.filter((a) => a.kind === 'WALKIN').length,
      walkInsVaccinated: doses.filter((d) => d.appointment_id === null).length,
      doses: doses.length,
      noShows: appointments.filter((a) => a.status === 'NO_SHOW').length,
      turnedAway: arrivals.filter((a) => a.outcome === 'TURNED_AWAY').length,
      vaccinators: site.team
        .filter((m) => m.teamRole === 'VACCINATOR')
        .map((m) => ({
          staffId: m.staffId,
          name: m.name,
          doses: doses.filter((d) => d.vaccinator_id === m.staffId).length,
        })),
      stepMinutes,
      slots: slotFacts,
      stalls: audit.stalls,
      interventions: audit.interventions,
      sms,
      aefi: {
        minor: aefi.find((a) => a.severity === 'MINOR')?.n ?? 0,
        serious: aefi.find((a) => a.severity === 'SERIOUS')?.n ?? 0,
        severe: aefi.find((a) => a.severity === 'SEVERE')?.n ?? 0,
      },
      offlineDoses: doses.filter((d) => d.source === 'OFFLINE').length,
    });
  }
  return facts;
}

/**
 * A run's test person by the keyed hash of their test ID, with whether they hold a live booking at the session
 * day: a simulation's preparation, retried, finds the people it already made.
 */
export async function dryRunPersonByIdHash(db: Executor, dryRunId: string, idHash: string, sessionDayId: string) {
  return db
    .selectFrom('beneficiary')
    .select((eb) => [
      'beneficiary.id',
      'beneficiary.reference_id as referenceId',
      'beneficiary.secret_code as secretCode',
      eb
        .exists(
          eb
            .selectFrom('appointment')
            .select('appointment.id')
            .whereRef('appointment.beneficiary_id', '=', 'beneficiary.id')
            .where('appointment.session_day_id', '=', sessionDayId),
        )
        .as('booked'),
    ])
    .where('beneficiary.dry_run_id', '=', dryRunId)
    .where('beneficiary.id_hash', '=', idHash)
    .executeTakeFirst();
}

/** A test person's slip as the desk would read it: their id and secret code, by reference id. */
export async function dryRunPersonByReference(db: Executor, dryRunId: string, referenceId: string) {
  return db
    .selectFrom('beneficiary')
    .select(['id', 'secret_code as secretCode'])
    .where('dry_run_id', '=', dryRunId)
    .where('reference_id', '=', referenceId)
    .executeTakeFirst();
}

/** The arrival already written for a person at a run's session day (a door step retried finds it). */
export async function arrivalOf(
  db: Executor,
  sessionDayId: string,
  beneficiaryId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('dry_run_arrival')
    .select('id')
    .where('session_day_id', '=', sessionDayId)
    .where('beneficiary_id', '=', beneficiaryId)
    .executeTakeFirst();
  return row?.id;
}

/** Status and closing (an extension included) of session days, for a simulation following them. */
export async function sessionDayReadings(db: Executor, sessionDayIds: string[]) {
  if (!sessionDayIds.length) return [];
  return db
    .selectFrom('session_day')
    .select(['id', 'status', 'date', 'closes_at', 'extended_until'])
    .where('id', 'in', sessionDayIds)
    .execute();
}

/** The dry run a session day belongs to, with the staff numbers listed for its SMS; undefined for a real day. */
export async function dryRunSmsOfDay(
  db: Executor,
  sessionDayId: string,
): Promise<{ smsNumbers: string[] } | undefined> {
  const row = await db
    .selectFrom('session_day')
    .innerJoin('dry_run', 'dry_run.id', 'session_day.dry_run_id')
    .select('dry_run.sms_numbers')
    .where('session_day.id', '=', sessionDayId)
    .executeTakeFirst();
  return row && { smsNumbers: row.sms_numbers };
}

/** The dry run whose test account holds a mobile, with its listed staff numbers; undefined for a real mobile. */
/** The same, for a queued message by its id: read before the message is claimed, so a failed read claims nothing. */
export async function dryRunSmsOfMessage(db: Executor, smsId: string): Promise<{ smsNumbers: string[] } | undefined> {
  const row = await db
    .selectFrom('sms_message')
    .innerJoin('account', 'account.mobile', 'sms_message.mobile')
    .innerJoin('dry_run', 'dry_run.id', 'account.dry_run_id')
    .select('dry_run.sms_numbers')
    .where('sms_message.id', '=', smsId)
    .executeTakeFirst();
  return row && { smsNumbers: row.sms_numbers };
}

export async function dryRunSmsOfMobile(db: Executor, mobile: string): Promise<{ smsNumbers: string[] } | undefined> {
  const row = await db
    .selectFrom('account')
    .innerJoin('dry_run', 'dry_run.id', 'account.dry_run_id')
    .select('dry_run.sms_numbers')
    .where('account.mobile', '=', mobile)
    .executeTakeFirst();
  return row && { smsNumbers: row.sms_numbers };
}
