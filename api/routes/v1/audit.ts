/**
 * The audit viewer (admins and state officers): every write is an audit row (db/repositories/audit.ts); here they
 * are read a page at a time with filters, or exported whole as CSV or XLSX (streamed, and itself audited).
 * A state officer sees their state's entries only (db/repositories/audit-log.ts says which those are).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { auditPages, readAuditPage, type AuditEntry, type AuditFilter } from '../../../db/repositories/audit-log.js';
import { addDays, indiaInstant } from '../../../domain/time.js';
import { badRequest } from '../../errors.js';
import { staffOf, type StaffPrincipal } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { AuditPage } from '../../schemas/audit.js';
import { IsoDate } from '../../schemas/v1.js';
import { sendReport, type ReportColumn } from '../../services/report-export.js';

const AUDIT_ROLES = ['STATE_OFFICER', 'NATIONAL_ADMIN'] as const;
const Text = Type.String({ minLength: 1, maxLength: 100 });
const Filters = {
  actorId: Type.Optional(Text),
  actorType: Type.Optional(
    Type.Union([Type.Literal('STAFF'), Type.Literal('BENEFICIARY'), Type.Literal('SYSTEM'), Type.Literal('PARTNER')]),
  ),
  action: Type.Optional(Type.String({ pattern: '^[A-Z0-9_]{1,60}$' })),
  entityType: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$' })),
  entityId: Type.Optional(Text),
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
};
const PageQuery = Type.Object(
  {
    ...Filters,
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
const ExportQuery = Type.Object(
  { ...Filters, format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')])) },
  { additionalProperties: false },
);

/** The filter as the repository takes it: India dates to instants, the caller's state for a state officer. */
function auditFilter(staff: StaffPrincipal, query: Static<typeof PageQuery> | Static<typeof ExportQuery>): AuditFilter {
  if (query.from && query.to && query.from > query.to)
    throw badRequest('INVALID_RANGE', '`from` must not be after `to`');
  return {
    stateId: staff.role === 'NATIONAL_ADMIN' ? undefined : (staff.stateId ?? -1),
    actorId: query.actorId,
    actorType: query.actorType,
    action: query.action,
    entityType: query.entityType,
    entityId: query.entityId,
    from: query.from ? indiaInstant(query.from, '00:00') : undefined,
    to: query.to ? indiaInstant(addDays(query.to, 1), '00:00') : undefined,
    before: 'before' in query ? query.before : undefined,
  };
}

const COLUMNS: ReportColumn<AuditEntry>[] = [
  { header: 'id', value: (e) => e.id, width: 10 },
  { header: 'at', value: (e) => e.at, width: 24 },
  { header: 'actor_type', value: (e) => e.actorType },
  { header: 'actor_id', value: (e) => e.actorId, width: 38 },
  { header: 'actor_role', value: (e) => e.actorRole, width: 18 },
  { header: 'actor_name', value: (e) => e.actorName, width: 20 },
  { header: 'action', value: (e) => e.action, width: 26 },
  { header: 'entity_type', value: (e) => e.entityType, width: 16 },
  { header: 'entity_id', value: (e) => e.entityId, width: 38 },
  { header: 'source', value: (e) => e.source },
  { header: 'details', value: (e) => JSON.stringify(e.details), width: 60 },
];

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    {
      preHandler: app.requireStaff(...AUDIT_ROLES),
      schema: {
        tags: ['audit'],
        summary:
          'Audit log entries, newest first, filtered by actor, action, entity and India dates (a page at a time)',
        querystring: PageQuery,
        response: {
          200: AuditPage,
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const entries = await readAuditPage(app.db, auditFilter(staffOf(request), request.query), limit);
      return { entries, next: entries.length === limit ? entries[entries.length - 1]!.id : null };
    },
  );

  app.get(
    '/audit/export',
    {
      preHandler: app.requireStaff(...AUDIT_ROLES),
      schema: {
        tags: ['audit'],
        summary: 'Every audit entry matching the filters, as CSV or XLSX (streamed; the export is itself audited)',
        querystring: ExportQuery,
        response: { 200: Type.String({ description: 'the audit log file' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const filter = auditFilter(staff, request.query);
      const format = request.query.format ?? 'csv';
      return sendReport(
        reply,
        { db: app.db, staff, format },
        {
          filename: `audit-log-${filter.stateId === undefined ? 'india' : `state-${filter.stateId}`}`,
          report: 'audit-log',
          details: { ...request.query },
          columns: COLUMNS,
          rows: auditPages(app.db, filter),
        },
      );
    },
  );
};

export default auditRoutes;
