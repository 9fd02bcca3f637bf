/**
 * Staff accounts: created and managed by officers (who may manage whom is the API's rule, in
 * api/routes/v1/planning/staff.ts). Passwords are stored only as argon2id hashes; every change is audited
 * without the password in it.
 */
import type { Db } from '../connection.js';
import { Refusal } from '../../domain/refusals.js';
import type { StaffRole } from '../schema.js';
import { refuse } from '../../domain/errors.js';
import { hashPassword } from '../../domain/passwords.js';
import { writeAudit, type Actor } from './audit.js';

export interface StaffView {
  id: string;
  username: string;
  name: string;
  mobile: string | null;
  role: StaffRole;
  stateId: number | null;
  districtId: number | null;
  active: boolean;
  createdAt: string;
}

export interface NewStaff {
  username: string;
  password: string;
  name: string;
  mobile: string | null;
  role: StaffRole;
  stateId: number | null;
  districtId: number | null;
}

/** Where to list staff: one district, one state, or everywhere. */
export type StaffScope = { districtId: number } | { stateId: number } | Record<string, never>;

const VIEW_COLUMNS = [
  'id',
  'username',
  'name',
  'mobile',
  'role',
  'state_id',
  'district_id',
  'active',
  'created_at',
] as const;

function toView(row: {
  id: string;
  username: string;
  name: string;
  mobile: string | null;
  role: StaffRole;
  state_id: number | null;
  district_id: number | null;
  active: boolean;
  created_at: Date;
}): StaffView {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    mobile: row.mobile,
    role: row.role,
    stateId: row.state_id,
    districtId: row.district_id,
    active: row.active,
    createdAt: row.created_at.toISOString(),
  };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && e.constraint === constraint;
}

export async function createStaff(db: Db, input: NewStaff, actor: Actor): Promise<StaffView> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('staff_user')
        .values({
          username: input.username,
          password_hash: passwordHash,
          name: input.name,
          mobile: input.mobile,
          role: input.role,
          state_id: input.stateId,
          district_id: input.districtId,
        })
        .returning(VIEW_COLUMNS)
        .executeTakeFirstOrThrow();
      await writeAudit(trx, {
        actor,
        action: 'STAFF_CREATED',
        entityType: 'staff_user',
        entityId: row.id,
        details: { username: row.username, role: row.role, stateId: row.state_id, districtId: row.district_id },
      });
      return toView(row);
    });
  } catch (error) {
    if (isUniqueViolation(error, 'staff_user_username_key')) {
      return refuse(Refusal.USERNAME_TAKEN, `the username ${input.username} is already taken; choose another`, {
        username: input.username,
      });
    }
    throw error;
  }
}

export async function findStaff(db: Db, staffId: string): Promise<StaffView | undefined> {
  const row = await db.selectFrom('staff_user').select(VIEW_COLUMNS).where('id', '=', staffId).executeTakeFirst();
  return row && toView(row);
}

export async function listStaff(
  db: Db,
  scope: StaffScope,
  filter: { role?: StaffRole; active?: boolean } = {},
): Promise<StaffView[]> {
  const rows = await db
    .selectFrom('staff_user')
    .select(VIEW_COLUMNS)
    .$if('districtId' in scope, (qb) => qb.where('district_id', '=', (scope as { districtId: number }).districtId))
    .$if('stateId' in scope, (qb) => qb.where('state_id', '=', (scope as { stateId: number }).stateId))
    .$if(filter.role !== undefined, (qb) => qb.where('role', '=', filter.role!))
    .$if(filter.active !== undefined, (qb) => qb.where('active', '=', filter.active!))
    .orderBy('role')
    .orderBy('name')
    .orderBy('username')
    .limit(1000)
    .execute();
  return rows.map(toView);
}

export interface StaffChanges {
  active?: boolean;
  password?: string;
  name?: string;
  mobile?: string | null;
}

/** Applies an officer's changes (deactivate, reactivate, reset password, correct name or mobile), audited one action each. */
export async function updateStaff(db: Db, staffId: string, changes: StaffChanges, actor: Actor): Promise<StaffView> {
  const passwordHash = changes.password === undefined ? undefined : await hashPassword(changes.password);
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('staff_user')
      .select(VIEW_COLUMNS)
      .where('id', '=', staffId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return refuse(Refusal.STAFF_NOT_FOUND, 'no staff member has that id');
    // Deactivation and a password reset end every token issued before them: reactivating brings none back.
    const endsTokens = changes.active === false || passwordHash !== undefined;
    const row = await trx
      .updateTable('staff_user')
      .set((eb) => ({
        ...(changes.active !== undefined ? { active: changes.active } : {}),
        ...(passwordHash !== undefined
          ? { password_hash: passwordHash, failed_logins: 0, login_locked_until: null }
          : {}),
        ...(endsTokens ? { token_generation: eb('token_generation', '+', 1) } : {}),
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.mobile !== undefined ? { mobile: changes.mobile } : {}),
      }))
      .where('id', '=', staffId)
      .returning(VIEW_COLUMNS)
      .executeTakeFirstOrThrow();
    const audit = (action: string, details: Record<string, unknown> = {}) =>
      writeAudit(trx, {
        actor,
        action,
        entityType: 'staff_user',
        entityId: staffId,
        details: { username: before.username, ...details },
      });
    if (changes.active !== undefined && changes.active !== before.active)
      await audit(changes.active ? 'STAFF_REACTIVATED' : 'STAFF_DEACTIVATED');
    if (passwordHash !== undefined) await audit('STAFF_PASSWORD_RESET');
    const corrected = (['name', 'mobile'] as const).filter(
      (field) => changes[field] !== undefined && changes[field] !== before[field],
    );
    if (corrected.length) await audit('STAFF_UPDATED', { fields: corrected });
    // Their open live sockets close when this commits, on every API process (the table announces the change).
    return toView(row);
  });
}
