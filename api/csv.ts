/**
 * CSV uploads (content-type text/csv): the parts every import shares — reading the file into rows by header
 * name, checking the header and each row's field count, whole-number fields, the size limits, and the 422
 * answer listing every row's problems. What a row means is each import's own business.
 */
import type { FastifyInstance } from 'fastify';
import { CsvError, parse } from 'csv-parse/sync';
import type { RowProblemCode, RowProblemParams } from '../domain/row-problems.js';
import { badRequest } from './errors.js';

export const CSV_BODY_LIMIT = 1024 * 1024;
export const CSV_MAX_ROWS = 2000;

export interface RowError {
  /** 1-based data row; 0 is the header. */
  row: number;
  column?: string;
  /** What is wrong, for a screen to word in its reader's language; an import's own row rules may have none yet. */
  code?: RowProblemCode;
  params?: RowProblemParams;
  message: string;
}

export interface CsvRow<C extends string> {
  /** 1-based data row, as RowError counts. */
  row: number;
  /** The trimmed field of `column`; '' when empty, missing from the row, or an optional column not in the header. */
  get(column: C): string;
}

/**
 * Reads a CSV file whose first line names its columns (any order, any case). `columns` are every column the
 * file may have; those in `optional` need not be in the header. Header problems (missing, unknown or repeated
 * columns, an empty file, a file with no data rows) are row-0 errors and come with no rows; a row with the
 * wrong number of fields is reported and still returned, so its other fields are checked too.
 * A file of more than CSV_MAX_ROWS rows is refused outright (400 TOO_MANY_ROWS) rather than checked.
 */
export function readCsvTable<C extends string>(
  text: string,
  columns: readonly C[],
  { optional = [] }: { optional?: readonly C[] } = {},
): { rows: CsvRow<C>[]; errors: RowError[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const lines = typeof error.lines === 'number' ? error.lines : undefined;
    return {
      rows: [],
      errors: [
        {
          row: Math.max(0, (lines ?? 1) - 1),
          code: 'CSV_UNREADABLE',
          params: { line: lines ?? 0 },
          message: `the file is not readable CSV${lines ? ` near line ${lines}` : ''}: ${error.message}`,
        },
      ],
    };
  }
  const required = columns.filter((c) => !optional.includes(c));
  if (!records.length)
    return {
      rows: [],
      errors: [
        {
          row: 0,
          code: 'CSV_EMPTY',
          params: { columns: required.join(',') },
          message: `the file is empty; its first line must be the header ${required.join(',')}`,
        },
      ],
    };

  const header = records[0].map((h) => h.toLowerCase());
  const errors: RowError[] = [];
  for (const column of required)
    if (!header.includes(column))
      errors.push({
        row: 0,
        column,
        code: 'CSV_COLUMN_MISSING',
        params: { column },
        message: `the header has no ${column} column`,
      });
  header.forEach((h, i) => {
    if (!(columns as readonly string[]).includes(h))
      errors.push({
        row: 0,
        column: h || `#${i + 1}`,
        code: 'CSV_COLUMN_UNKNOWN',
        params: { column: h || `#${i + 1}`, columns: columns.join(',') },
        message: `unknown column "${h}"; the columns are ${columns.join(',')}`,
      });
    else if (header.indexOf(h) !== i)
      errors.push({
        row: 0,
        column: h,
        code: 'CSV_COLUMN_TWICE',
        params: { column: h },
        message: `the column ${h} appears twice`,
      });
  });
  if (errors.length) return { rows: [], errors };

  const data = records.slice(1);
  if (data.length > CSV_MAX_ROWS)
    throw badRequest('TOO_MANY_ROWS', `a file holds at most ${CSV_MAX_ROWS} rows; this one has ${data.length}`);
  if (!data.length)
    return { rows: [], errors: [{ row: 0, code: 'CSV_NO_ROWS', message: 'the file has a header but no rows' }] };

  const rows = data.map((record, i): CsvRow<C> => {
    const row = i + 1;
    if (record.length !== header.length)
      errors.push({
        row,
        code: 'CSV_FIELD_COUNT',
        params: { fields: record.length, expected: header.length },
        message: `this row has ${record.length} fields; the header has ${header.length}`,
      });
    return { row, get: (column) => (header.includes(column) ? (record[header.indexOf(column)] ?? '') : '') };
  });
  return { rows, errors };
}

/**
 * A whole-number field: its value, or NaN after adding why it is not one to `errors`. An empty optional
 * field is NaN with no error.
 */
export function wholeField<C extends string>(
  row: CsvRow<C>,
  column: C,
  errors: RowError[],
  { optional = false, max = 999_999_999 }: { optional?: boolean; max?: number } = {},
): number {
  const value = row.get(column);
  if (optional && value === '') return Number.NaN;
  const problem: Pick<RowError, 'code' | 'params' | 'message'> | undefined =
    value === ''
      ? missingField(column)
      : /^-\d+$/.test(value)
        ? {
            code: 'FIELD_NEGATIVE',
            params: { column, value },
            message: `${column} must not be negative, not "${value}"`,
          }
        : !/^\d+$/.test(value)
          ? {
              code: 'FIELD_NOT_WHOLE',
              params: { column, value },
              message: `${column} must be a whole number, not "${value}"`,
            }
          : Number(value) > max
            ? {
                code: 'FIELD_TOO_LARGE',
                params: { column, value, max },
                message: `${column} must be at most ${max.toLocaleString('en-IN')}, not ${value}`,
              }
            : undefined;
  if (problem) {
    errors.push({ row: row.row, column, ...problem });
    return Number.NaN;
  }
  return Number(value);
}

/** The problem of a required field left empty. */
export function missingField(column: string): Pick<RowError, 'code' | 'params' | 'message'> {
  return { code: 'FIELD_MISSING', params: { column }, message: `${column} is missing` };
}

/** One message per row and column: a field that could not be read is not also reported as breaking a rule. */
export function mergeRowErrors(first: RowError[], then: RowError[]): RowError[] {
  const seen = new Set(first.filter((e) => e.column).map((e) => `${e.row}|${e.column}`));
  const rest = then.filter((e) => !e.column || !seen.has(`${e.row}|${e.column}`));
  return [...first, ...rest].sort((a, b) => a.row - b.row);
}

/** The 422 body (ImportRejected in api/schemas/planning.ts) for a file with problems; `nothingDone` says what did not happen ("nothing was created"). */
export function rowsRejected(errors: RowError[], nothingDone: string) {
  const rows = new Set(errors.map((e) => e.row).filter((row) => row > 0)).size;
  return {
    statusCode: 422,
    code: 'INVALID_ROWS',
    error: 'Unprocessable Entity',
    message: rows
      ? `${rows} ${rows === 1 ? 'row has' : 'rows have'} problems; ${nothingDone}`
      : `the file cannot be used: ${errors[0].message}`,
    errors,
  };
}

/**
 * Lets `app` take text/csv bodies as a string, up to CSV_BODY_LIMIT. Register it in the import's own
 * (encapsulated, not fastify-plugin) context so the parser applies to that import's routes only; each route
 * also sets `bodyLimit: CSV_BODY_LIMIT`.
 */
export function acceptCsvBodies(app: FastifyInstance): void {
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );
}
