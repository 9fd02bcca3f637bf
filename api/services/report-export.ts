/**
 * Sends a report as a CSV or XLSX download while its rows are still being read: rows arrive in batches
 * (db/repositories/reports.ts), go out through csv-stringify or exceljs's streaming workbook writer, and the next
 * batch is read only once the client has taken the last (backpressure), so no export is ever whole in memory.
 * Every export is audited before its first byte: who took which report of which place, with which filters.
 */
import { PassThrough, type Writable } from 'node:stream';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import type { Db } from '../../db/connection.js';
import { writeAudit } from '../../db/repositories/audit.js';
import type { StaffPrincipal } from '../plugins/auth.js';

export type ReportFormat = 'csv' | 'xlsx';
export type Cell = string | number | boolean | null;

export interface ReportColumn<Row> {
  header: string;
  /** Column width in characters (XLSX). */
  width?: number;
  value(row: Row): Cell;
}

export interface ReportExport<Row> {
  /** File name without extension, e.g. `due-list-27024-2026-12-06`. */
  filename: string;
  /** Audit: which report, for which place, with which filters. */
  report: string;
  details: Record<string, unknown>;
  columns: ReadonlyArray<ReportColumn<Row>>;
  rows: AsyncIterable<Row[]> | Iterable<Row[]>;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A CSV cell a spreadsheet would run as a formula (=, +, -, @, tab, CR at its start) is written as text. */
export function csvSafe(value: Cell): Cell {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export async function sendReport<Row>(
  reply: FastifyReply,
  ctx: { db: Db; staff: StaffPrincipal; format: ReportFormat },
  report: ReportExport<Row>,
): Promise<FastifyReply> {
  await writeAudit(ctx.db, {
    actor: { type: 'STAFF', id: ctx.staff.staffId, role: ctx.staff.role },
    action: 'REPORT_EXPORTED',
    entityType: 'report',
    entityId: report.report,
    details: { ...report.details, format: ctx.format },
  });
  const body = new PassThrough();
  reply
    .header('content-type', CONTENT_TYPES[ctx.format])
    .header('content-disposition', `attachment; filename="${report.filename}.${ctx.format}"`)
    .header('cache-control', 'no-store');
  // Written in the background; a failure mid-way ends the download early (the client sees a truncated file).
  const write = ctx.format === 'csv' ? writeCsv(body, report) : writeXlsx(body, report);
  write.catch((error: unknown) => {
    reply.log.error({ err: error, report: report.report }, 'report export failed part-way');
    body.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return reply.send(body);
}

async function writeCsv<Row>(out: PassThrough, report: ReportExport<Row>): Promise<void> {
  // A byte-order mark, so spreadsheet programs read the file as UTF-8 (Hindi names).
  out.write('\uFEFF');
  const csv = stringify({ header: true, columns: report.columns.map((c) => c.header) });
  csv.pipe(out);
  for await (const batch of report.rows) {
    for (const row of batch) if (!csv.write(report.columns.map((c) => csvSafe(c.value(row))))) await once(csv, 'drain');
    await drained(out);
  }
  csv.end();
}

async function writeXlsx<Row>(out: PassThrough, report: ReportExport<Row>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(report.report.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = report.columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 14 }));
  sheet.getRow(1).font = { bold: true };
  for await (const batch of report.rows) {
    for (const row of batch) sheet.addRow(report.columns.map((c) => c.value(row))).commit();
    await drained(out);
  }
  sheet.commit();
  await workbook.commit();
}

/** Waits while the client is behind, so unread output never piles up in memory. */
async function drained(stream: Writable): Promise<void> {
  if (stream.writableNeedDrain) await once(stream, 'drain');
}
