/**
 * Why a row of an uploaded file (or an item of a planning request) was refused. Each problem carries one of these
 * codes and the values it names (`params`) beside its English `message`, so a screen words it in the reader's
 * language (the dashboard's planning.json, `planning.csvProblems.<code>`) and API clients read the message.
 */
export const ROW_PROBLEMS = [
  // Reading the file (api/csv.ts)
  'CSV_UNREADABLE',
  'CSV_EMPTY',
  'CSV_COLUMN_MISSING',
  'CSV_COLUMN_UNKNOWN',
  'CSV_COLUMN_TWICE',
  'CSV_NO_ROWS',
  'CSV_FIELD_COUNT',
  'FIELD_MISSING',
  'FIELD_NEGATIVE',
  'FIELD_NOT_WHOLE',
  'FIELD_TOO_LARGE',
  // A session day's own fields (session-plan.ts)
  'DATE_INVALID',
  'DATE_PAST',
  'MIN_AGE_RANGE',
  'MAX_AGE_RANGE',
  'SEATS_RANGE',
  'NO_SEATS',
  'TIME_INVALID',
  'CLOSES_BEFORE_OPENS',
  'SLOT_MINUTES_RANGE',
  'DAY_ALREADY_OVER',
  // A session day against the register
  'VACCINE_NOT_IN_USE',
  'SITE_NOT_FOUND',
  'SITE_OUTSIDE_JURISDICTION',
  'DAY_ALREADY_PLANNED',
  'DAY_TWICE_IN_FILE',
] as const;

export type RowProblemCode = (typeof ROW_PROBLEMS)[number];

/** The values a problem's wording names: a column, the value found, a limit. */
export type RowProblemParams = Record<string, string | number>;
