/**
 * The role × route matrix: every staff route of /api/v1, who may call it, and how to build one valid request
 * for it. tests/planning/role-matrix.test.ts checks each entry five ways (no token → 401, a beneficiary → 403,
 * a wrong role → 403, the right role from elsewhere → 403/404, the right role in the right place → 2xx) and
 * fails when a registered route is in neither STAFF_ROUTES nor NON_STAFF_ROUTES.
 *
 * Adding a staff route? Add an entry to STAFF_ROUTES: its method and path exactly as registered, its roles, and
 * a `request` that builds fresh resources in HOME and returns the request `actor` would send (no
 * authorization header; the test adds it). A public or beneficiary route goes in NON_STAFF_ROUTES with why.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { expect } from 'vitest';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/connection.js';
import { assignStaff } from '../../db/repositories/session-day-assignments.js';
import type { StaffRole } from '../../db/schema.js';
import { addDays, indiaDate } from '../../domain/time.js';
import { issueBeneficiaryTokens } from '../../api/auth/tokens.js';
import { storeDose } from '../../api/services/doses.js';
import { SessionDayService } from '../../api/services/session-days.js';
import {
  insertAccount,
  insertBeneficiary,
  insertSessionDay,
  insertSite,
  insertStaff,
  NEW_DELHI,
  PUNE,
  uniqueMobile,
} from './fixtures.js';
import { staffWithToken } from './staff.js';
import { aadhaar, waitFor } from './journey.js';
import { registerBeneficiary } from '../../api/services/registration.js';

export interface Place {
  stateId: number;
  districtId: number;
  pincode: number;
}

/** Where every matrix resource lives. */
export const HOME: Place = PUNE;
/** Same state as HOME, another district. */
export const MUMBAI: Place = { stateId: 27, districtId: 27017, pincode: 400001 };
/** Another state. */
export const DELHI: Place = NEW_DELHI;

export const ALL_ROLES: readonly StaffRole[] = ['VACCINATOR', 'DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'];
export const OFFICERS: readonly StaffRole[] = ['DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'];

export interface MatrixEnv {
  app: FastifyInstance;
  db: Db;
  config: Config;
}

/** A staff member with a signed token, as the API sees them. */
export interface Actor {
  staffId: string;
  username: string;
  role: StaffRole;
  stateId: number | null;
  districtId: number | null;
  token: string;
}

export function createActor(env: MatrixEnv, role: StaffRole, place: Place = HOME): Promise<Actor> {
  return staffWithToken(env.db, env.config.tokenSecret, role, place);
}

/** A logged-in beneficiary (an account holder), for checking that staff routes refuse them. */
export async function beneficiaryToken(env: MatrixEnv): Promise<string> {
  const account = await insertAccount(env.db);
  return (await issueBeneficiaryTokens(env.config.tokenSecret, { accountId: account.id, mobile: account.mobile }))
    .token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Actors of `role` who are not in HOME's jurisdiction (none for a national admin). */
export function outsidePlaces(role: StaffRole): Place[] {
  switch (role) {
    case 'NATIONAL_ADMIN':
      return [];
    case 'STATE_OFFICER':
      return [DELHI];
    case 'DISTRICT_OFFICER':
    case 'VACCINATOR':
      return [MUMBAI, DELHI];
  }
}

export type RequestSpec = Omit<InjectOptions, 'method' | 'url'> & { url: string };

export interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As registered, e.g. '/api/v1/sites/:siteId'. */
  path: string;
  /** The staff roles it serves. */
  roles: readonly StaffRole[];
  /** 'place' (default): the caller's district or state must cover HOME. 'own': it acts on the caller only. */
  jurisdiction?: 'place' | 'own';
  /** What the right role from elsewhere gets: 403, or 404 where the route hides what it cannot show, or 422
   *  where refusals are reported per item (a CSV row naming the site outside the caller's jurisdiction). */
  outside?: number;
  /** For routes that answer per item (outside is then 200 or 422): asserts the answer refused the item. */
  checkOutside?(body: any): void;
  /** What the right role in the right place gets (default: any 2xx). */
  ok?: number;
  /** A valid request acting on fresh resources in HOME, as `actor` (undefined: anyone) would send it. */
  request(env: MatrixEnv, actor: Actor | undefined): Promise<RequestSpec>;
}

export interface NonStaffRoute {
  method: RouteCase['method'];
  path: string;
  why: 'public' | 'beneficiary' | 'partner callback' | 'staff login' | 'development only';
}

// --- builders shared by entries

const tomorrow = () => addDays(indiaDate(), 1);

async function plannedDay(env: MatrixEnv, date = tomorrow()) {
  return insertSessionDay(env.db, {
    district: HOME,
    date,
    opensAt: '09:00:00',
    closesAt: '17:00:00',
    slotMinutes: 120,
    walkin: 5,
  });
}

/** A dry run of HOME's district with nothing in it yet (its findings are all zeros). */
async function dryRunIn(env: MatrixEnv): Promise<string> {
  const officer = await insertStaff(env.db, 'DISTRICT_OFFICER', HOME);
  const { id } = await env.db
    .insertInto('dry_run')
    .values({
      name: 'Matrix dry run',
      mode: 'SIMULATION',
      state_id: HOME.stateId,
      district_id: HOME.districtId,
      date: indiaDate(),
      day_ms: 600_000,
      parameters: JSON.stringify({ serviceMinutes: { verify: 2, vaccinate: 4, release: 1 } }),
      status: 'FINISHED',
      created_by: officer.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Puts a vaccinator of HOME on the session day, as an officer would (the right place for a vaccinator). */
async function assignIfHomeVaccinator(env: MatrixEnv, actor: Actor | undefined, sessionDayId: string) {
  if (actor?.role === 'VACCINATOR' && actor.districtId === HOME.districtId) {
    await assignStaff(env.db, {
      sessionDayId,
      staffId: actor.staffId,
      teamRole: 'VACCINATOR',
      actor: { type: 'SYSTEM', id: 'route-matrix' },
    });
  }
}

/** A dose recorded today at a HOME session day, by a HOME vaccinator. */
async function recordedDose(env: MatrixEnv) {
  const day = await insertSessionDay(env.db, { district: HOME, walkin: 5 });
  const vaccinator = await insertStaff(env.db, 'VACCINATOR', HOME);
  await assignStaff(env.db, {
    sessionDayId: day.id,
    staffId: vaccinator.id,
    teamRole: 'VACCINATOR',
    actor: { type: 'SYSTEM', id: 'route-matrix' },
  });
  const person = await insertBeneficiary(env.db, (await insertAccount(env.db)).id);
  const { dose } = await storeDose(
    env.db,
    { type: 'STAFF', id: vaccinator.id, role: 'VACCINATOR' },
    {
      referenceId: person.reference_id,
      secretCode: '4321',
      sessionDayId: day.id,
      vaccineCode: 'COVAXIN',
      batch: 'RM-1',
      source: 'ONLINE',
    },
  );
  return { dose, day, person, vaccinatorId: vaccinator.id };
}

/** A registered COVAXIN batch good for decades (tests/support/suite-batches.ts): its id. */
async function matrixBatch(env: MatrixEnv): Promise<string> {
  const batch = await env.db
    .selectFrom('vaccine_batch')
    .select('id')
    .where('vaccine_code', '=', 'COVAXIN')
    .where('batch_number', '=', 'RM-2')
    .executeTakeFirstOrThrow();
  return batch.id;
}

/** Vials of the matrix batch in a site's store (as a receipt would leave them). */
async function stockSiteStore(env: MatrixEnv, siteId: number, vials: number): Promise<void> {
  await env.db
    .insertInto('site_batch_store')
    .values({ site_id: siteId, batch_id: await matrixBatch(env), vials })
    .onConflict((oc) => oc.columns(['site_id', 'batch_id']).doUpdateSet({ vials }))
    .execute();
}

/** Whether `actor` holds one of `roles` with HOME in their jurisdiction (the only callers a request gets far with). */
function servesHome(actor: Actor | undefined, roles: readonly StaffRole[]): actor is Actor {
  if (!actor || !roles.includes(actor.role)) return false;
  if (actor.role === 'NATIONAL_ADMIN') return true;
  if (actor.role === 'STATE_OFFICER') return actor.stateId === HOME.stateId;
  return actor.districtId === HOME.districtId;
}

/**
 * Today's session day in HOME, open now (its workflow started and past PLANNED), for interventions. The
 * workflow is started only for a caller the route serves: everyone else is refused before it is reached.
 */
async function openToday(env: MatrixEnv, actor: Actor | undefined, roles: readonly StaffRole[]) {
  const day = await insertSessionDay(env.db, { district: HOME, walkin: 5 });
  await assignIfHomeVaccinator(env, actor, day.id);
  if (!servesHome(actor, roles)) return day;
  await new SessionDayService(env.db, env.app.temporal, env.config).ensureStarted(day.id);
  await waitFor(
    async () =>
      (await env.db.selectFrom('session_day').select('status').where('id', '=', day.id).executeTakeFirstOrThrow())
        .status === 'OPEN',
    'the session day to open',
  );
  return day;
}

async function intervene(env: MatrixEnv, sessionDayId: string, kind: 'pause', body: Record<string, unknown> = {}) {
  const admin = await createActor(env, 'NATIONAL_ADMIN');
  const response = await env.app.inject({
    method: 'POST',
    url: `/api/v1/session-days/${sessionDayId}/interventions/${kind}`,
    headers: bearer(admin.token),
    payload: body,
  });
  if (response.statusCode !== 200) throw new Error(`${kind}: ${response.body}`);
}

/** Today's session day in HOME (assigned to a HOME vaccinator actor) and a person booked nowhere, secret code 4321. */
async function deskCase(env: MatrixEnv, actor: Actor | undefined) {
  const day = await insertSessionDay(env.db, { district: HOME, walkin: 5 });
  await assignIfHomeVaccinator(env, actor, day.id);
  const account = await insertAccount(env.db);
  const person = await insertBeneficiary(env.db, account.id);
  return { day, person, mobile: account.mobile };
}

/** A per-item answer refused the item for jurisdiction: a sync result, or a CSV row error. */
const refusedAsOutside = (body: {
  results?: Array<{ outcome: string; code?: string }>;
  errors?: Array<{ message: string }>;
}) => {
  if (body.results) {
    expect(body.results).toEqual([expect.objectContaining({ outcome: 'rejected', code: 'FORBIDDEN' })]);
  } else {
    expect(body.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/outside your jurisdiction/) }),
    ]);
  }
};

const csv = (rows: string[]) =>
  [
    'site_id,date,vaccine,min_age,max_age,dose1_capacity,dose2_capacity,walkin_capacity,opens_at,closes_at,slot_minutes',
    ...rows,
  ].join('\n');

// --- the table

/** A photo ID registered by someone (the squatter), with no dose. */
async function squattedId(env: MatrixEnv) {
  const idNumber = aadhaar();
  const account = await insertAccount(env.db);
  // Registered with its journey, as the squatter did: a release withdraws it through the journey.
  const registered = await registerBeneficiary(
    { db: env.db, config: env.config, temporal: env.app.temporal, log: env.app.log },
    {
      accountId: account.id,
      verified: true,
      person: { name: 'Squatter', birthYear: 1990, gender: 'M', idType: 1, idNumber },
      actor: { type: 'BENEFICIARY', id: account.id },
    },
  );
  return { idNumber, holder: { id: registered.beneficiaryId } };
}

/** An open identity dispute in HOME over a squatted ID. */
async function openDispute(env: MatrixEnv): Promise<string> {
  const { holder } = await squattedId(env);
  const officer = await insertStaff(env.db, 'DISTRICT_OFFICER', HOME);
  const row = await env.db
    .insertInto('identity_dispute')
    .values({
      district_id: HOME.districtId,
      holder_beneficiary_id: holder.id,
      id_type: 1,
      id_last4: '0000',
      claimant_name: 'Rightful Holder',
      claimant_birth_year: 1980,
      claimant_gender: 'F',
      claimant_mobile: uniqueMobile(),
      opened_by: officer.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A random, well-formed PAN (5 letters, 4 digits, a letter). */
export function panNumber(): string {
  const letter = () => String.fromCharCode(65 + Math.floor(Math.random() * 26));
  return `${Array.from({ length: 5 }, letter).join('')}${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}${letter()}`;
}

/** One person registered under Aadhaar and again under PAN (flagged as a pair), the first booked in HOME. */
async function flaggedPair(env: MatrixEnv): Promise<string> {
  const person = {
    name: `Twice Registered ${randomUUID()
      .replace(/[^a-f]/g, '')
      .slice(0, 6)}`,
    birthYear: 1970,
  };
  const register = async (idType: number, idNumber: string) => {
    const account = await insertAccount(env.db);
    return registerBeneficiary(
      { db: env.db, config: env.config, temporal: env.app.temporal, log: env.app.log },
      {
        accountId: account.id,
        verified: true,
        person: { ...person, gender: 'F', idType, idNumber },
        actor: { type: 'BENEFICIARY', id: account.id },
      },
    );
  };
  const first = await register(1, aadhaar());
  await register(6, panNumber());
  const day = await insertSessionDay(env.db, { district: HOME });
  await env.db
    .insertInto('appointment')
    .values({ beneficiary_id: first.beneficiaryId, session_day_id: day.id, dose_number: 1, status: 'CANCELLED' })
    .execute();
  const hint = await env.db
    .selectFrom('duplicate_person_hint')
    .select('id')
    .where('other_beneficiary_id', '=', first.beneficiaryId)
    .executeTakeFirstOrThrow();
  return hint.id;
}

export const STAFF_ROUTES: RouteCase[] = [
  // Staff administration
  {
    method: 'POST',
    path: '/api/v1/staff',
    roles: OFFICERS,
    ok: 201,
    request: async () => ({
      url: '/api/v1/staff',
      payload: {
        username: `rm.${randomUUID().slice(0, 8)}`,
        password: 'a long enough secret',
        name: 'Matrix Vaccinator',
        role: 'VACCINATOR',
        districtId: HOME.districtId,
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/staff',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/staff?districtId=${HOME.districtId}` }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/staff/:staffId',
    roles: OFFICERS,
    ok: 200,
    request: async (env) => ({
      url: `/api/v1/staff/${(await insertStaff(env.db, 'VACCINATOR', HOME)).id}`,
      payload: { active: false },
    }),
  },

  // Sites
  {
    method: 'POST',
    path: '/api/v1/sites',
    roles: OFFICERS,
    ok: 201,
    request: async () => ({
      url: '/api/v1/sites',
      payload: {
        districtId: HOME.districtId,
        name: 'Matrix Centre',
        address: '1 Matrix Road',
        block: 'Haveli',
        pincode: HOME.pincode,
        lat: 18.5,
        lng: 73.8,
        ownership: 'GOVERNMENT',
      },
    }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/sites/:siteId',
    roles: OFFICERS,
    ok: 200,
    request: async (env) => ({
      url: `/api/v1/sites/${(await insertSite(env.db, HOME)).id}`,
      payload: { block: 'Pune City' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/sites',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/sites?districtId=${HOME.districtId}` }),
  },

  // Session days
  {
    method: 'POST',
    path: '/api/v1/session-days',
    roles: OFFICERS,
    ok: 201,
    request: async (env) => ({
      url: '/api/v1/session-days',
      payload: {
        siteId: (await insertSite(env.db, HOME)).id,
        date: tomorrow(),
        vaccineCode: 'COVAXIN',
        dose1Capacity: 40,
        dose2Capacity: 20,
        walkinCapacity: 10,
        opensAt: '09:00',
        closesAt: '17:00',
        slotMinutes: 60,
      },
    }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/session-days/:sessionDayId',
    roles: OFFICERS,
    ok: 200,
    request: async (env) => ({
      url: `/api/v1/session-days/${(await plannedDay(env)).id}`,
      payload: { walkinCapacity: 8 },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/session-days',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/session-days?districtId=${HOME.districtId}&date=${tomorrow()}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/session-days/import',
    roles: OFFICERS,
    ok: 201,
    outside: 422,
    checkOutside: refusedAsOutside,
    request: async (env) => ({
      url: '/api/v1/session-days/import',
      headers: { 'content-type': 'text/csv' },
      payload: csv([`${(await insertSite(env.db, HOME)).id},${tomorrow()},COVAXIN,18,,30,10,5,09:00,13:00,60`]),
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/session-days/:sessionDayId/assignments',
    roles: OFFICERS,
    ok: 201,
    request: async (env) => {
      const day = await plannedDay(env);
      const vaccinator = await insertStaff(env.db, 'VACCINATOR', HOME);
      return {
        url: `/api/v1/session-days/${day.id}/assignments`,
        payload: { staffId: vaccinator.id, teamRole: 'VACCINATOR' },
      };
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/session-days/:sessionDayId/assignments/:staffId',
    roles: OFFICERS,
    ok: 204,
    request: async (env) => {
      const day = await plannedDay(env);
      const vaccinator = await insertStaff(env.db, 'VACCINATOR', HOME);
      await assignStaff(env.db, {
        sessionDayId: day.id,
        staffId: vaccinator.id,
        teamRole: 'VACCINATOR',
        actor: { type: 'SYSTEM', id: 'route-matrix' },
      });
      return { url: `/api/v1/session-days/${day.id}/assignments/${vaccinator.id}` };
    },
  },

  // Session teams (api/routes/v1/team.ts)
  {
    method: 'POST',
    path: '/api/v1/session-days/:sessionDayId/slots/generate',
    roles: OFFICERS,
    ok: 200,
    request: async (env) => ({
      url: `/api/v1/session-days/${(await plannedDay(env)).id}/slots/generate`,
      payload: { slotMinutes: 60 },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/session-days/:sessionDayId/assignments/:staffId/replace',
    roles: OFFICERS,
    ok: 200,
    request: async (env) => {
      const day = await plannedDay(env);
      const absent = await insertStaff(env.db, 'VACCINATOR', HOME);
      await assignStaff(env.db, {
        sessionDayId: day.id,
        staffId: absent.id,
        teamRole: 'VACCINATOR',
        actor: { type: 'SYSTEM', id: 'route-matrix' },
      });
      const replacement = await insertStaff(env.db, 'VACCINATOR', HOME);
      return {
        url: `/api/v1/session-days/${day.id}/assignments/${absent.id}/replace`,
        payload: { replacementStaffId: replacement.id },
      };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/staff/load',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/staff/load?districtId=${HOME.districtId}` }),
  },

  // Staff session
  {
    method: 'GET',
    path: '/api/v1/staff/me',
    roles: ALL_ROLES,
    jurisdiction: 'own',
    ok: 200,
    request: async () => ({ url: '/api/v1/staff/me' }),
  },
  {
    method: 'POST',
    path: '/api/v1/staff/logout',
    roles: ALL_ROLES,
    jurisdiction: 'own',
    ok: 204,
    request: async () => ({ url: '/api/v1/staff/logout' }),
  },

  // Duplicate-person hints
  {
    method: 'GET',
    path: '/api/v1/duplicate-person-hints',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/duplicate-person-hints?districtId=${HOME.districtId}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/duplicate-person-hints/:hintId/review',
    roles: OFFICERS,
    ok: 200,
    request: async (env) => ({
      url: `/api/v1/duplicate-person-hints/${await flaggedPair(env)}/review`,
      payload: { outcome: 'DIFFERENT_PEOPLE', reason: 'two people of the same name, seen at the district office' },
    }),
  },

  // Dry runs (api/routes/v1/dry-runs.ts): a drill of one test person, so nothing runs on after the request.
  {
    method: 'POST',
    path: '/api/v1/dry-runs',
    roles: OFFICERS,
    ok: 201,
    request: async (env) => {
      const site = await insertSite(env.db, HOME);
      const vaccinator = await insertStaff(env.db, 'VACCINATOR', HOME);
      return {
        url: '/api/v1/dry-runs',
        payload: {
          name: 'Matrix drill',
          mode: 'DRILL',
          siteIds: [site.id],
          parameters: { opensAt: '00:00', closesAt: '23:59', slotMinutes: 720, people: 1, seats: 5, walkinSeats: 0 },
          team: [{ staffId: vaccinator.id, teamRole: 'VACCINATOR' }],
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/dry-runs',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/dry-runs?districtId=${HOME.districtId}` }),
  },
  ...(['', '/people', '/sessions', '/findings', '/findings.csv', '/findings.pdf'] as const).map((tail): RouteCase => ({
    method: 'GET',
    path: `/api/v1/dry-runs/:dryRunId${tail}`,
    roles: OFFICERS,
    ok: 200,
    request: async (env) => ({ url: `/api/v1/dry-runs/${await dryRunIn(env)}${tail}` }),
  })),
  {
    method: 'DELETE',
    path: '/api/v1/dry-runs/:dryRunId',
    roles: OFFICERS,
    ok: 200,
    request: async (env) => ({ url: `/api/v1/dry-runs/${await dryRunIn(env)}` }),
  },

  // Vaccinator desk
  {
    method: 'POST',
    path: '/api/v1/doses',
    roles: ['VACCINATOR'],
    ok: 201,
    request: async (env, actor) => {
      const day = await insertSessionDay(env.db, { district: HOME, walkin: 5 });
      await assignIfHomeVaccinator(env, actor, day.id);
      const person = await insertBeneficiary(env.db, (await insertAccount(env.db)).id);
      return {
        url: '/api/v1/doses',
        payload: {
          referenceId: person.reference_id,
          secretCode: '4321',
          sessionDayId: day.id,
          vaccineCode: 'COVAXIN',
          batch: 'RM-2',
        },
      };
    },
  },

  // Certificates
  {
    method: 'POST',
    path: '/api/v1/certificates/:certificateId/revoke',
    roles: OFFICERS,
    ok: 200,
    request: async (env) => {
      const { person } = await recordedDose(env);
      const beneficiary = await env.db
        .selectFrom('beneficiary')
        .select('id')
        .where('reference_id', '=', person.reference_id)
        .executeTakeFirstOrThrow();
      const certificate = await env.app.certificates.issue({ beneficiaryId: beneficiary.id, kind: 'PROVISIONAL' });
      return { url: `/api/v1/certificates/${certificate.id}/revoke`, payload: { reason: 'name corrected' } };
    },
  },

  // Identity disputes
  {
    method: 'POST',
    path: '/api/v1/identity-disputes',
    roles: OFFICERS,
    ok: 201,
    request: async (env) => {
      const { idNumber } = await squattedId(env);
      return {
        url: '/api/v1/identity-disputes',
        payload: {
          districtId: HOME.districtId,
          idType: 1,
          idNumber,
          claimant: { name: 'Rightful Holder', birthYear: 1980, gender: 'F', mobile: uniqueMobile() },
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/identity-disputes',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/identity-disputes?districtId=${HOME.districtId}` }),
  },
  ...(['release', 'reject'] as const).map((decision): RouteCase => ({
    method: 'POST',
    path: `/api/v1/identity-disputes/:disputeId/${decision}`,
    roles: OFFICERS,
    ok: 200,
    request: async (env) => ({
      url: `/api/v1/identity-disputes/${await openDispute(env)}/${decision}`,
      payload: { reason: 'photo ID seen at the district office' },
    }),
  })),

  // Person lookup: officers by jurisdiction, desk staff at a session day they are on (the request names one, so
  // anyone from elsewhere is refused for the day before a person is looked at).
  {
    method: 'POST',
    path: '/api/v1/people/lookup',
    roles: ALL_ROLES,
    ok: 200,
    request: async (env, actor) => {
      const { day, person } = await recordedDose(env);
      await assignIfHomeVaccinator(env, actor, day.id);
      return { url: '/api/v1/people/lookup', payload: { referenceId: person.reference_id, sessionDayId: day.id } };
    },
  },

  // Corrections by an officer: the person must be of the officer's jurisdiction (404 otherwise, as for a lookup).
  {
    method: 'POST',
    path: '/api/v1/people/:referenceId/correction',
    roles: OFFICERS,
    outside: 404,
    ok: 200,
    request: async (env) => {
      const { person } = await recordedDose(env);
      return {
        url: `/api/v1/people/${person.reference_id}/correction`,
        payload: { name: 'Corrected Name', reason: 'name as on the Aadhaar card' },
      };
    },
  },

  // A certificate a failed reissue left the person without, issued again by an officer of their jurisdiction.
  {
    method: 'POST',
    path: '/api/v1/people/:referenceId/certificates/reissue',
    roles: OFFICERS,
    outside: 404,
    ok: 200,
    request: async (env) => {
      const { person } = await recordedDose(env);
      const { id } = await env.app.certificates.issue({ beneficiaryId: person.id, kind: 'PROVISIONAL' });
      await env.db.updateTable('certificate').set({ revoked_at: new Date() }).where('id', '=', id).execute();
      return {
        url: `/api/v1/people/${person.reference_id}/certificates/reissue`,
        payload: { reason: 'the reissue after a correction failed' },
      };
    },
  },

  // A dose given elsewhere, added by an officer of the person's jurisdiction (404 from elsewhere, as for a lookup).
  {
    method: 'POST',
    path: '/api/v1/people/:referenceId/doses-elsewhere',
    roles: OFFICERS,
    outside: 404,
    ok: 201,
    request: async (env) => {
      const person = await insertBeneficiary(env.db, (await insertAccount(env.db)).id);
      await env.db.updateTable('beneficiary').set({ stage: 'VERIFIED' }).where('id', '=', person.id).execute();
      await env.db
        .insertInto('beneficiary_district')
        .values({ beneficiary_id: person.id, district_id: HOME.districtId, registered_on: indiaDate() })
        .execute();
      return {
        url: `/api/v1/people/${person.reference_id}/doses-elsewhere`,
        payload: {
          clientEventId: `matrix-${randomUUID()}`,
          dose: 1,
          vaccineCode: 'COVAXIN',
          givenOn: addDays(indiaDate(), -10),
          place: 'District hospital, another state',
          evidence: { reference: 'CARD-1', note: 'vaccination card seen' },
        },
      };
    },
  },

  // Vaccinator desk
  {
    method: 'GET',
    path: '/api/v1/desk/today',
    roles: ['VACCINATOR'],
    jurisdiction: 'own',
    ok: 200,
    request: async () => ({ url: '/api/v1/desk/today' }),
  },
  {
    method: 'POST',
    path: '/api/v1/desk/verify',
    roles: ['VACCINATOR'],
    ok: 200,
    request: async (env, actor) => {
      const { day, person } = await deskCase(env, actor);
      return {
        url: '/api/v1/desk/verify',
        payload: { sessionDayId: day.id, referenceId: person.reference_id, secretCode: '4321' },
      };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/desk/verify/otp',
    roles: ['VACCINATOR'],
    ok: 200,
    request: async (env, actor) => {
      const { day, mobile } = await deskCase(env, actor);
      return { url: '/api/v1/desk/verify/otp', payload: { sessionDayId: day.id, mobile } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/desk/walk-ins',
    roles: ['VACCINATOR'],
    ok: 201,
    request: async (env, actor) => {
      const { day } = await deskCase(env, actor);
      return {
        url: '/api/v1/desk/walk-ins',
        payload: {
          sessionDayId: day.id,
          mobile: uniqueMobile(),
          person: { name: 'Kavita Shinde', birthYear: 1975, gender: 'F', idType: 1, idNumber: aadhaar() },
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/desk/sync',
    roles: ['VACCINATOR'],
    ok: 200,
    outside: 200,
    checkOutside: refusedAsOutside,
    request: async (env, actor) => {
      const { day, person } = await deskCase(env, actor);
      const now = new Date().toISOString();
      return {
        url: '/api/v1/desk/sync',
        payload: {
          deviceId: 'matrix-device',
          deviceTime: now,
          items: [
            {
              kind: 'DOSE',
              clientEventId: `rm-${randomUUID()}`,
              administeredAt: now,
              referenceId: person.reference_id,
              sessionDayId: day.id,
              vaccineCode: 'COVAXIN',
              batch: 'RM-3',
              secretCode: '4321',
            },
          ],
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/aefi',
    roles: ['VACCINATOR'],
    ok: 201,
    request: async (env, actor) => {
      const { dose, day } = await recordedDose(env);
      await assignIfHomeVaccinator(env, actor, day.id);
      return {
        url: '/api/v1/aefi',
        payload: { doseId: dose.doseId, severity: 'MINOR', symptoms: ['FEVER'], clientEventId: `rm-${randomUUID()}` },
      };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/doses/:doseId/aefi',
    roles: ALL_ROLES,
    ok: 200,
    request: async (env, actor) => {
      const { dose, day } = await recordedDose(env);
      await assignIfHomeVaccinator(env, actor, day.id);
      return { url: `/api/v1/doses/${dose.doseId}/aefi` };
    },
  },

  {
    method: 'GET',
    path: '/api/v1/desk/observation',
    roles: ['VACCINATOR'],
    ok: 200,
    request: async (env, actor) => ({
      url: `/api/v1/desk/observation?sessionDayId=${(await deskCase(env, actor)).day.id}`,
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/desk/observation/:doseId/release',
    roles: ['VACCINATOR'],
    ok: 200,
    request: async (env, actor) => {
      const { dose, day } = await recordedDose(env);
      await assignIfHomeVaccinator(env, actor, day.id);
      // Vaccinated 31 minutes ago: the observation period is over.
      await env.db
        .updateTable('dose')
        .set({ administered_at: new Date(Date.now() - 31 * 60_000) })
        .where('id', '=', dose.doseId)
        .execute();
      return { url: `/api/v1/desk/observation/${dose.doseId}/release` };
    },
  },

  // War room
  {
    method: 'GET',
    path: '/api/v1/dashboard/national',
    roles: ['NATIONAL_ADMIN'],
    ok: 200,
    request: async () => ({ url: '/api/v1/dashboard/national' }),
  },
  {
    method: 'GET',
    path: '/api/v1/dashboard/states/:id',
    roles: ['STATE_OFFICER', 'NATIONAL_ADMIN'],
    ok: 200,
    request: async () => ({ url: `/api/v1/dashboard/states/${HOME.stateId}` }),
  },
  {
    method: 'GET',
    path: '/api/v1/dashboard/districts/:id',
    roles: ALL_ROLES,
    ok: 200,
    request: async () => ({ url: `/api/v1/dashboard/districts/${HOME.districtId}` }),
  },

  // Officers' reports (CSV / XLSX downloads) and the places a due list can be narrowed to
  {
    method: 'GET',
    path: '/api/v1/reports/places',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/reports/places?districtId=${HOME.districtId}` }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/due-list',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/reports/due-list?districtId=${HOME.districtId}` }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/session-days',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/reports/session-days?districtId=${HOME.districtId}` }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/district-daily',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/reports/district-daily?districtId=${HOME.districtId}&format=xlsx` }),
  },
  {
    method: 'GET',
    path: '/api/v1/reports/aefi',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/reports/aefi?districtId=${HOME.districtId}` }),
  },

  // The audit viewer: a state officer reads their state's entries, a national admin all (no place: nothing to refuse)
  {
    method: 'GET',
    path: '/api/v1/audit',
    roles: ['STATE_OFFICER', 'NATIONAL_ADMIN'],
    jurisdiction: 'own',
    ok: 200,
    request: async () => ({ url: '/api/v1/audit?entityType=session_day&limit=5' }),
  },
  {
    method: 'GET',
    path: '/api/v1/audit/export',
    roles: ['STATE_OFFICER', 'NATIONAL_ADMIN'],
    jurisdiction: 'own',
    ok: 200,
    request: async () => ({ url: `/api/v1/audit/export?from=${indiaDate()}&action=SESSION_OPENED` }),
  },

  // Vaccine batches: the country's registry (no place to refuse), and each session day's stock by its place.
  {
    method: 'GET',
    path: '/api/v1/vaccine-batches',
    roles: OFFICERS,
    jurisdiction: 'own',
    ok: 200,
    request: async () => ({ url: '/api/v1/vaccine-batches?vaccineCode=COVAXIN' }),
  },
  {
    method: 'GET',
    path: '/api/v1/precaution-intervals',
    roles: ['STATE_OFFICER', 'NATIONAL_ADMIN'],
    jurisdiction: 'own',
    ok: 200,
    request: async () => ({ url: '/api/v1/precaution-intervals' }),
  },
  {
    method: 'PUT',
    path: '/api/v1/precaution-intervals/:vaccineCode',
    roles: ['STATE_OFFICER', 'NATIONAL_ADMIN'],
    jurisdiction: 'own',
    ok: 200,
    // The seeded interval, unchanged: other files' precaution doses keep theirs.
    request: async () => ({
      url: '/api/v1/precaution-intervals/SPUTNIK%20V',
      payload: { afterDays: 273, reason: 'route matrix check' },
    }),
  },
  {
    method: 'PUT',
    path: '/api/v1/precaution-intervals/:vaccineCode/groups/:group',
    roles: ['STATE_OFFICER', 'NATIONAL_ADMIN'],
    jurisdiction: 'own',
    ok: 200,
    // No group interval of its own, as before: other files' front-line workers keep the vaccine's.
    request: async () => ({
      url: '/api/v1/precaution-intervals/SPUTNIK%20V/groups/FLW',
      payload: { afterDays: null, reason: 'route matrix check' },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/vaccine-batches',
    roles: ['STATE_OFFICER', 'NATIONAL_ADMIN'],
    jurisdiction: 'own',
    ok: 201,
    request: async () => ({
      url: '/api/v1/vaccine-batches',
      payload: {
        vaccineCode: 'COVAXIN',
        batchNumber: `RM-${randomUUID().slice(0, 8)}`,
        manufacturer: 'Bharat Biotech',
        expiresOn: addDays(indiaDate(), 200),
        dosesPerVial: 20,
      },
    }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/vaccine-batches/:batchId',
    roles: ['STATE_OFFICER', 'NATIONAL_ADMIN'],
    jurisdiction: 'own',
    ok: 200,
    request: async (env) => ({
      url: `/api/v1/vaccine-batches/${await matrixBatch(env)}`,
      payload: { manufacturer: 'Bharat Biotech' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/session-days/:sessionDayId/stock',
    roles: ALL_ROLES,
    ok: 200,
    request: async (env, actor) => {
      const day = await plannedDay(env, indiaDate());
      await assignIfHomeVaccinator(env, actor, day.id);
      return { url: `/api/v1/session-days/${day.id}/stock` };
    },
  },
  {
    method: 'PUT',
    path: '/api/v1/session-days/:sessionDayId/stock/:batchId',
    roles: OFFICERS,
    ok: 200,
    request: async (env) => {
      const day = await plannedDay(env);
      // A session day's vials come from its site's store.
      await stockSiteStore(env, day.siteId, 12);
      return { url: `/api/v1/session-days/${day.id}/stock/${await matrixBatch(env)}`, payload: { vialsIssued: 12 } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/districts/:districtId/stock/tomorrow',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/districts/${HOME.districtId}/stock/tomorrow` }),
  },

  // Sites' stores: a site's officers (its district's, and above) by the site's place.
  {
    method: 'GET',
    path: '/api/v1/sites/:siteId/store',
    roles: OFFICERS,
    ok: 200,
    request: async (env) => ({ url: `/api/v1/sites/${(await insertSite(env.db, HOME)).id}/store` }),
  },
  {
    method: 'POST',
    path: '/api/v1/sites/:siteId/store/receipts',
    roles: OFFICERS,
    ok: 201,
    request: async (env) => ({
      url: `/api/v1/sites/${(await insertSite(env.db, HOME)).id}/store/receipts`,
      payload: {
        clientEventId: `rm-${randomUUID()}`,
        batchId: await matrixBatch(env),
        vials: 5,
        deliveryNote: 'DN-RM',
      },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/sites/:siteId/store/discards',
    roles: OFFICERS,
    ok: 201,
    request: async (env) => {
      const site = await insertSite(env.db, HOME);
      await stockSiteStore(env, site.id, 5);
      return {
        url: `/api/v1/sites/${site.id}/store/discards`,
        payload: { clientEventId: `rm-${randomUUID()}`, batchId: await matrixBatch(env), vials: 1, reason: 'DAMAGED' },
      };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/districts/:districtId/stores',
    roles: OFFICERS,
    ok: 200,
    request: async () => ({ url: `/api/v1/districts/${HOME.districtId}/stores` }),
  },

  // Target populations (what war-room coverage is measured against)
  {
    method: 'GET',
    path: '/api/v1/targets',
    roles: ['STATE_OFFICER', 'NATIONAL_ADMIN'],
    ok: 200,
    request: async () => ({ url: `/api/v1/targets?stateId=${HOME.stateId}` }),
  },
  {
    // A dry run: the same role and per-row jurisdiction checks, without making HOME's demo target real under other files' feet.
    method: 'POST',
    path: '/api/v1/targets/import',
    roles: ['STATE_OFFICER', 'NATIONAL_ADMIN'],
    ok: 200,
    outside: 422,
    checkOutside: refusedAsOutside,
    request: async () => ({
      url: '/api/v1/targets/import?dry_run=true',
      headers: { 'content-type': 'text/csv' },
      payload: `district_id,target_population\n${HOME.districtId},5000000\n`,
    }),
  },

  // Eligibility phases of a state
  {
    method: 'GET',
    path: '/api/v1/states/:stateId/eligibility-phases',
    roles: ['STATE_OFFICER', 'NATIONAL_ADMIN'],
    ok: 200,
    request: async () => ({ url: `/api/v1/states/${HOME.stateId}/eligibility-phases` }),
  },
  {
    // A dry run: the same role and state checks, without restricting HOME's bookings under other files' feet.
    method: 'PUT',
    path: '/api/v1/states/:stateId/eligibility-phases',
    roles: ['STATE_OFFICER', 'NATIONAL_ADMIN'],
    ok: 200,
    request: async () => ({
      url: `/api/v1/states/${HOME.stateId}/eligibility-phases?dry_run=true`,
      payload: { phases: [{ name: 'Phase 1', opensOn: '2021-01-16', groups: ['HCW'], minAge: 18 }] },
    }),
  },

  {
    // A dry run: listed workers carry no place, so only the role is checked (and no one is registered here).
    method: 'POST',
    path: '/api/v1/priority-lists/import',
    roles: OFFICERS,
    jurisdiction: 'own',
    ok: 200,
    request: async () => ({
      url: '/api/v1/priority-lists/import?group=HCW&dry_run=true',
      headers: { 'content-type': 'text/csv' },
      payload: `name,birth_year,gender,mobile,id_type,id_number\nAnita Sharma,1985,F,${uniqueMobile()},1,${aadhaar()}\n`,
    }),
  },

  {
    // A dry run: the same role check, without adding a district under other files' feet.
    method: 'POST',
    path: '/api/v1/districts/import',
    roles: ['NATIONAL_ADMIN'],
    ok: 200,
    request: async () => ({
      url: '/api/v1/districts/import?dry_run=true',
      headers: { 'content-type': 'text/csv' },
      payload: `state_id,district_id,name,lat,lng\n${HOME.stateId},${HOME.districtId},Pune,18.52,73.86\n`,
    }),
  },

  // District console: a session day's status and the officers' interventions (Updates of its workflow)
  {
    method: 'GET',
    path: '/api/v1/session-days/:sessionDayId/status',
    roles: OFFICERS,
    ok: 200,
    request: async (env) => ({ url: `/api/v1/session-days/${(await plannedDay(env)).id}/status` }),
  },
  {
    method: 'POST',
    path: '/api/v1/session-days/:sessionDayId/interventions/extend',
    roles: OFFICERS,
    ok: 200,
    request: async (env, actor) => ({
      url: `/api/v1/session-days/${(await openToday(env, actor, OFFICERS)).id}/interventions/extend`,
      payload: { minutes: 1 },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/session-days/:sessionDayId/interventions/pause',
    roles: OFFICERS,
    ok: 200,
    request: async (env, actor) => ({
      url: `/api/v1/session-days/${(await openToday(env, actor, OFFICERS)).id}/interventions/pause`,
      payload: { reason: 'vaccine carrier late' },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/session-days/:sessionDayId/interventions/resume',
    roles: OFFICERS,
    ok: 200,
    request: async (env, actor) => {
      const day = await openToday(env, actor, OFFICERS);
      if (servesHome(actor, OFFICERS)) await intervene(env, day.id, 'pause');
      return { url: `/api/v1/session-days/${day.id}/interventions/resume`, payload: {} };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/session-days/:sessionDayId/interventions/cancel',
    roles: OFFICERS,
    ok: 200,
    request: async (env) => ({
      url: `/api/v1/session-days/${(await plannedDay(env)).id}/interventions/cancel`,
      payload: { reason: 'site flooded' },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/session-days/:sessionDayId/interventions/assign',
    roles: OFFICERS,
    ok: 200,
    request: async (env) => {
      const day = await plannedDay(env);
      const vaccinator = await insertStaff(env.db, 'VACCINATOR', HOME);
      return { url: `/api/v1/session-days/${day.id}/interventions/assign`, payload: { staffId: vaccinator.id } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/session-days/:sessionDayId/interventions/close',
    roles: ALL_ROLES,
    ok: 200,
    request: async (env, actor) => ({
      url: `/api/v1/session-days/${(await openToday(env, actor, ALL_ROLES)).id}/interventions/close`,
      payload: {},
    }),
  },
];

export const NON_STAFF_ROUTES: NonStaffRoute[] = [
  { method: 'GET', path: '/api/v1/geo/states', why: 'public' },
  { method: 'GET', path: '/api/v1/geo/states/:stateId/districts', why: 'public' },
  { method: 'GET', path: '/api/v1/geo/districts', why: 'public' },
  { method: 'GET', path: '/api/v1/sessions', why: 'public' },
  { method: 'POST', path: '/api/v1/auth/otp', why: 'public' },
  { method: 'POST', path: '/api/v1/auth/otp/verify', why: 'public' },
  { method: 'POST', path: '/api/v1/auth/refresh', why: 'public' },
  { method: 'POST', path: '/api/v1/auth/logout', why: 'beneficiary' },
  { method: 'POST', path: '/api/v1/registrations', why: 'public' },
  { method: 'POST', path: '/api/v1/beneficiaries/:referenceId/verify', why: 'public' },
  { method: 'GET', path: '/api/v1/beneficiaries', why: 'beneficiary' },
  { method: 'PUT', path: '/api/v1/account/language', why: 'beneficiary' },
  { method: 'POST', path: '/api/v1/beneficiaries', why: 'beneficiary' },
  { method: 'GET', path: '/api/v1/beneficiaries/:referenceId', why: 'beneficiary' },
  { method: 'DELETE', path: '/api/v1/beneficiaries/:referenceId', why: 'beneficiary' },
  { method: 'GET', path: '/api/v1/beneficiaries/:referenceId/certificate', why: 'beneficiary' },
  { method: 'POST', path: '/api/v1/beneficiaries/:referenceId/correction', why: 'beneficiary' },
  { method: 'POST', path: '/api/v1/appointments', why: 'beneficiary' },
  { method: 'POST', path: '/api/v1/appointments/:appointmentId/reschedule', why: 'beneficiary' },
  { method: 'POST', path: '/api/v1/appointments/:appointmentId/cancel', why: 'beneficiary' },
  { method: 'POST', path: '/api/v1/certificates/verify', why: 'public' },
  { method: 'POST', path: '/api/v1/sms/delivery-reports/:provider', why: 'partner callback' },
  { method: 'POST', path: '/api/v1/staff/login', why: 'staff login' },
  { method: 'GET', path: '/api/v1/dev/sms', why: 'development only' },
  { method: 'GET', path: '/api/v1/reports/v2/getPublicReports', why: 'public' },
];

/**
 * Every route of /api/v1 the app registered (HEAD routes, which Fastify adds for each GET, left out), read from
 * Fastify's own route tree: `printRoutes({ commonPrefix: false })` prints one node per line, indented four
 * characters per level, each with its methods in brackets and its path relative to its parent.
 */
export function registeredV1Routes(app: FastifyInstance): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  const pathAtDepth: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)[└├]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = [...match[1]].length / 4;
    const path = (depth ? pathAtDepth[depth - 1] : '') + match[2];
    pathAtDepth[depth] = path;
    pathAtDepth.length = depth + 1;
    for (const method of match[3]?.split(', ') ?? []) {
      if (method !== 'HEAD' && path.startsWith('/api/v1/')) routes.push({ method, path });
    }
  }
  return routes;
}
