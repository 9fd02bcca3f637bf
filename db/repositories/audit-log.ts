/**
 * Reading the audit log (the viewer for admins and state officers): newest first, filtered by actor, action, entity
 * and time, a page at a time (keyset on the id, so a page costs the same at the millionth row). A state officer
 * reads the entries of their state: what staff of the state did, and what was done to the state's session days,
 * sites, staff, doses, AEFI reports and appointments, whoever did it.
 */
import { sql, type SqlBool } from 'kysely';
import type { AuditLogTable } from '../schema.js';
import type { Executor } from './audit.js';

export interface AuditFilter {
  /** Only the state's entries (a state officer); undefined: every entry (a national admin). */
  stateId?: number;
  actorId?: string;
  actorType?: AuditLogTable['actor_type'];
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  /** Entries older than this id (the next page). */
  before?: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorType: string;
  actorId: string | null;
  actorRole: string | null;
  /** The staff member's name, for staff actors. */
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string;
  source: string;
  details: unknown;
}

/** The state an entry belongs to: its staff actor's, or its entity's. CASE guards each cast to its own entity type. */
function inState(stateId: number) {
  return sql<SqlBool>`(
    exists (select 1 from staff_user su where su.state_id = ${stateId}
      and su.id = (case when audit_log.actor_type = 'STAFF' and audit_log.actor_id ~ '^[0-9a-f-]{36}$' then audit_log.actor_id::uuid end))
    or exists (select 1 from staff_user su where su.state_id = ${stateId}
      and su.id = (case when audit_log.entity_type = 'staff_user' then audit_log.entity_id::uuid end))
    or exists (select 1 from session_day sd join district d on d.id = sd.district_id where d.state_id = ${stateId}
      and sd.id = (case when audit_log.entity_type = 'session_day' then audit_log.entity_id::uuid end))
    or exists (select 1 from site s join district d on d.id = s.district_id where d.state_id = ${stateId}
      and s.id = (case when audit_log.entity_type = 'site' then audit_log.entity_id::int end))
    or exists (select 1 from dose x join district d on d.id = x.district_id where d.state_id = ${stateId}
      and x.id = (case when audit_log.entity_type = 'dose' then audit_log.entity_id::uuid end))
    or exists (select 1 from aefi_report r join dose x on x.id = r.dose_id join district d on d.id = x.district_id
      where d.state_id = ${stateId} and r.id = (case when audit_log.entity_type = 'aefi_report' then audit_log.entity_id::uuid end))
    or exists (select 1 from appointment a join session_day sd on sd.id = a.session_day_id join district d on d.id = sd.district_id
      where d.state_id = ${stateId} and a.id = (case when audit_log.entity_type = 'appointment' then audit_log.entity_id::uuid end))
  )`;
}

export async function readAuditPage(db: Executor, filter: AuditFilter, limit: number): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .leftJoin('staff_user', (join) =>
      join.on(
        'staff_user.id',
        '=',
        sql`(case when audit_log.actor_type = 'STAFF' and audit_log.actor_id ~ '^[0-9a-f-]{36}$' then audit_log.actor_id::uuid end)`,
      ),
    )
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.actor_type',
      'audit_log.actor_id',
      'audit_log.actor_role',
      'staff_user.name as actor_name',
      'audit_log.action',
      'audit_log.entity_type',
      'audit_log.entity_id',
      'audit_log.source',
      'audit_log.details',
    ])
    .$if(filter.stateId !== undefined, (qb) => qb.where(inState(filter.stateId!)))
    .$if(filter.actorId !== undefined, (qb) => qb.where('audit_log.actor_id', '=', filter.actorId!))
    .$if(filter.actorType !== undefined, (qb) => qb.where('audit_log.actor_type', '=', filter.actorType!))
    .$if(filter.action !== undefined, (qb) => qb.where('audit_log.action', '=', filter.action!))
    .$if(filter.entityType !== undefined, (qb) => qb.where('audit_log.entity_type', '=', filter.entityType!))
    .$if(filter.entityId !== undefined, (qb) => qb.where('audit_log.entity_id', '=', filter.entityId!))
    .$if(filter.from !== undefined, (qb) => qb.where('audit_log.at', '>=', filter.from!))
    .$if(filter.to !== undefined, (qb) => qb.where('audit_log.at', '<', filter.to!))
    .$if(filter.before !== undefined, (qb) => qb.where('audit_log.id', '<', String(filter.before)))
    .orderBy('audit_log.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at.toISOString(),
    actorType: r.actor_type,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    actorName: r.actor_name,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    source: r.source,
    details: r.details,
  }));
}

/** Every matching entry, newest first, a page at a time (the export). */
export async function* auditPages(db: Executor, filter: AuditFilter, pageSize = 1000): AsyncGenerator<AuditEntry[]> {
  let before = filter.before;
  for (;;) {
    const page = await readAuditPage(db, { ...filter, before }, pageSize);
    if (!page.length) return;
    yield page;
    if (page.length < pageSize) return;
    before = page[page.length - 1]!.id;
  }
}
