/**
 * Officers' reports, as CSV or XLSX downloads streamed while they are read and audited (api/services/report-export.ts):
 * the session report, the daily district report, due lists for ASHA/ANM mobilisation by block and site, and the
 * AEFI line list; and the blocks and sites a due list can be narrowed to. Each covers the caller's jurisdiction or
 * a part of it: a district officer their district, a state officer their state or one of its districts, a national
 * admin any of them.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../../../db/connection.js';
import {
  aefiLineList,
  blocksOf,
  districtDailyReport,
  dueList,
  sessionReport,
  type AefiLineRow,
  type DistrictDayRow,
  type DueRow,
  type ReportScope,
  type SessionReportRow,
} from '../../../db/repositories/reports.js';
import { AGE_BANDS } from '../../../domain/age-bands.js';
import { daysBetween, indiaDate } from '../../../domain/time.js';
import { assertDistrictAccess, assertNationalAccess, assertStateAccess } from '../../auth/jurisdiction.js';
import { badRequest } from '../../errors.js';
import { staffOf, type StaffPrincipal } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { DistrictId, StateId } from '../../schemas/planning.js';
import { ReportPlaces } from '../../schemas/reports.js';
import { IsoDate } from '../../schemas/v1.js';
import { sendReport, type ReportColumn, type ReportFormat } from '../../services/report-export.js';

const OFFICERS = ['DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'] as const;
/** The longest date range one export may cover. */
export const MAX_REPORT_DAYS = 366;

const Format = Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { default: 'csv' }));
const Place = { stateId: Type.Optional(StateId), districtId: Type.Optional(DistrictId) };
const Range = { from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) };
const download = {
  200: Type.String({ description: 'the report file (text/csv or an XLSX workbook)' }),
  ...errorResponses,
};

/** The place a report covers: the one asked for, checked against the caller's jurisdiction, else all of theirs. */
export async function reportScope(
  db: Db,
  staff: StaffPrincipal,
  place: { stateId?: number; districtId?: number },
): Promise<ReportScope> {
  if (place.districtId !== undefined) {
    await assertDistrictAccess(db, staff, place.districtId);
    return { kind: 'district', districtId: place.districtId };
  }
  if (place.stateId !== undefined) {
    await assertStateAccess(db, staff, place.stateId);
    return { kind: 'state', stateId: place.stateId };
  }
  if (staff.role === 'DISTRICT_OFFICER' && staff.districtId) return { kind: 'district', districtId: staff.districtId };
  if (staff.role === 'STATE_OFFICER' && staff.stateId) return { kind: 'state', stateId: staff.stateId };
  assertNationalAccess(staff);
  return { kind: 'national' };
}

function dateRange(query: { from?: string; to?: string }): { from: string; to: string } {
  const to = query.to ?? indiaDate();
  const from = query.from ?? to;
  if (from > to) throw badRequest('INVALID_RANGE', '`from` must not be after `to`');
  if (daysBetween(from, to) >= MAX_REPORT_DAYS)
    throw badRequest('RANGE_TOO_LONG', `a report covers at most ${MAX_REPORT_DAYS} days; export a year at a time`);
  return { from, to };
}

const placeName = (scope: ReportScope) =>
  scope.kind === 'district'
    ? `district-${scope.districtId}`
    : scope.kind === 'state'
      ? `state-${scope.stateId}`
      : 'india';

const col = <Row>(header: string, value: ReportColumn<Row>['value'], width?: number): ReportColumn<Row> => ({
  header,
  value,
  width,
});

const DUE_COLUMNS: ReportColumn<DueRow>[] = [
  col('block', (r) => r.block, 18),
  col('site', (r) => r.site, 28),
  col('name', (r) => r.name, 24),
  col('gender', (r) => r.gender, 8),
  col('age', (r) => r.age, 6),
  col('reference_id', (r) => r.referenceId, 16),
  col('photo_id', (r) => r.photoId, 14),
  col('mobile', (r) => r.mobile, 12),
  col('vaccine', (r) => r.vaccine),
  col('dose1_on', (r) => r.dose1On, 12),
  col('due_from', (r) => r.dueFrom, 12),
  col('overdue_after', (r) => r.overdueAfter, 12),
  col('status', (r) => r.status, 10),
  col('dose2_booked_on', (r) => r.dose2BookedOn, 14),
];

const SESSION_COLUMNS: ReportColumn<SessionReportRow>[] = [
  col('date', (r) => r.date, 12),
  col('state', (r) => r.state, 18),
  col('district', (r) => r.district, 18),
  col('block', (r) => r.block, 18),
  col('site', (r) => r.site, 28),
  col('vaccine', (r) => r.vaccine),
  col('status', (r) => r.status, 11),
  col('capacity', (r) => r.capacity, 9),
  col('booked', (r) => r.booked, 8),
  col('vaccinated', (r) => r.vaccinated, 10),
  col('no_shows', (r) => r.noShows, 9),
  col('walk_ins', (r) => r.walkIns, 9),
  col('wastage', (r) => r.wastage, 9),
  col('team', (r) => r.team, 40),
  col('stalls', (r) => r.stalls, 7),
];

const AEFI_COLUMNS: ReportColumn<AefiLineRow>[] = [
  col('reported_at', (r) => r.reportedAt, 22),
  col('state', (r) => r.state, 18),
  col('district', (r) => r.district, 18),
  col('block', (r) => r.block, 18),
  col('site', (r) => r.site, 28),
  col('vaccine', (r) => r.vaccine),
  col('batch', (r) => r.batch),
  col('dose', (r) => r.dose, 6),
  col('vaccinated_at', (r) => r.vaccinatedAt, 22),
  col('reference_id', (r) => r.referenceId, 16),
  col('age', (r) => r.age, 6),
  col('gender', (r) => r.gender, 8),
  col('severity', (r) => r.severity, 10),
  col('symptoms', (r) => r.symptoms, 36),
  col('during_observation', (r) => r.duringObservation),
  col('notes', (r) => r.notes, 30),
  col('reported_by', (r) => r.reportedBy, 20),
];

function districtDayColumns(vaccines: string[]): ReportColumn<DistrictDayRow>[] {
  return [
    col('date', (r) => r.date, 12),
    col('state', (r) => r.state, 18),
    col('district', (r) => r.district, 18),
    col('target_population', (r) => r.targetPopulation),
    col('target_is_demo', (r) => r.targetIsDemo),
    col('dose1', (r) => r.dose1),
    col('fully_vaccinated', (r) => r.fullyVaccinated),
    col('dose1_percent', (r) => r.dose1Percent),
    col('fully_percent', (r) => r.fullyPercent),
    col('doses_on_date', (r) => r.dosesOnDate),
    col('dose1_on_date', (r) => r.dose1OnDate),
    col('dose2_on_date', (r) => r.dose2OnDate),
    ...vaccines.map((v) =>
      col<DistrictDayRow>(`dose1_${v.toLowerCase().replace(/\W+/g, '_')}`, (r) => r.byVaccine[v] ?? 0),
    ),
    ...[...AGE_BANDS.map((b) => b.key), 'under_12'].map((band) =>
      col<DistrictDayRow>(`dose1_age_${band}`, (r) => r.byAgeBand[band] ?? 0),
    ),
    ...(['M', 'F', 'O'] as const).map((g) => col<DistrictDayRow>(`dose1_gender_${g}`, (r) => r.byGender[g] ?? 0)),
    ...(['HCW', 'FLW', 'GENERAL'] as const).map((g) =>
      col<DistrictDayRow>(`dose1_group_${g.toLowerCase()}`, (r) => r.byPriorityGroup[g]),
    ),
  ];
}

const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const exportOf = (staff: StaffPrincipal, format: ReportFormat | undefined) => ({
    db: app.db,
    staff,
    format: format ?? 'csv',
  });

  app.get(
    '/reports/places',
    {
      preHandler: app.requireStaff(...OFFICERS),
      schema: {
        tags: ['reports'],
        summary: "A district's blocks and their session sites (the places a due list can be narrowed to)",
        querystring: Type.Object({ districtId: Type.Optional(DistrictId) }, { additionalProperties: false }),
        response: {
          200: ReportPlaces,
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const scope = await reportScope(app.db, staffOf(request), request.query);
      if (scope.kind !== 'district') throw badRequest('DISTRICT_REQUIRED', 'name the district (districtId)');
      return { districtId: scope.districtId, blocks: await blocksOf(app.db, scope.districtId) };
    },
  );

  app.get(
    '/reports/due-list',
    {
      preHandler: app.requireStaff(...OFFICERS),
      schema: {
        tags: ['reports'],
        summary: 'Dose-2 due list for ASHA/ANM mobilisation: people due or overdue, by block and site, IDs masked',
        querystring: Type.Object(
          {
            districtId: Type.Optional(DistrictId),
            block: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            siteId: Type.Optional(Type.Integer({ minimum: 1 })),
            asOf: Type.Optional(IsoDate),
            format: Format,
          },
          { additionalProperties: false },
        ),
        response: download,
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const scope = await reportScope(app.db, staff, { districtId: request.query.districtId });
      if (scope.kind !== 'district')
        throw badRequest('DISTRICT_REQUIRED', 'a due list is for one district (districtId)');
      const asOf = request.query.asOf ?? indiaDate();
      const filter = { districtId: scope.districtId, block: request.query.block, siteId: request.query.siteId, asOf };
      return sendReport(reply, exportOf(staff, request.query.format), {
        filename: `due-list-${placeName(scope)}-${asOf}`,
        report: 'due-list',
        details: filter,
        columns: DUE_COLUMNS,
        rows: dueList(app.db, filter),
      });
    },
  );

  app.get(
    '/reports/session-days',
    {
      preHandler: app.requireStaff(...OFFICERS),
      schema: {
        tags: ['reports'],
        summary: 'Session report: per session day, booked, vaccinated, no-shows, walk-ins, wastage, team and stalls',
        querystring: Type.Object({ ...Place, ...Range, format: Format }, { additionalProperties: false }),
        response: download,
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const scope = await reportScope(app.db, staff, request.query);
      const range = dateRange(request.query);
      return sendReport(reply, exportOf(staff, request.query.format), {
        filename: `session-report-${placeName(scope)}-${range.from}-${range.to}`,
        report: 'session-report',
        details: { scope, ...range },
        columns: SESSION_COLUMNS,
        rows: sessionReport(app.db, scope, range),
      });
    },
  );

  app.get(
    '/reports/district-daily',
    {
      preHandler: app.requireStaff(...OFFICERS),
      schema: {
        tags: ['reports'],
        summary: 'Daily district report: coverage by dose against target, by vaccine, age group and gender',
        querystring: Type.Object(
          { ...Place, date: Type.Optional(IsoDate), format: Format },
          { additionalProperties: false },
        ),
        response: download,
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const scope = await reportScope(app.db, staff, request.query);
      const date = request.query.date ?? indiaDate();
      const vaccines = (await app.db.selectFrom('vaccine').select('code').orderBy('code').execute()).map((v) => v.code);
      return sendReport(reply, exportOf(staff, request.query.format), {
        filename: `district-report-${placeName(scope)}-${date}`,
        report: 'district-daily',
        details: { scope, date },
        columns: districtDayColumns(vaccines),
        // One row per district: a state's few dozen rows are read in one go.
        rows: [await districtDailyReport(app.db, scope, date)],
      });
    },
  );

  app.get(
    '/reports/aefi',
    {
      preHandler: app.requireStaff(...OFFICERS),
      schema: {
        tags: ['reports'],
        summary: 'AEFI line list: every adverse event reported, with its dose, site, severity and symptoms',
        querystring: Type.Object({ ...Place, ...Range, format: Format }, { additionalProperties: false }),
        response: download,
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const scope = await reportScope(app.db, staff, request.query);
      const range = dateRange(request.query);
      return sendReport(reply, exportOf(staff, request.query.format), {
        filename: `aefi-line-list-${placeName(scope)}-${range.from}-${range.to}`,
        report: 'aefi-line-list',
        details: { scope, ...range },
        columns: AEFI_COLUMNS,
        rows: aefiLineList(app.db, scope, range),
      });
    },
  );
};

export default reportRoutes;
