/** TypeBox schemas of the precaution dose's intervals (domain/precaution.ts holds the rules). */
import { Type } from 'typebox';
import { PlainText } from './common.js';

export const PrecautionIntervalView = Type.Object({
  vaccineCode: Type.String(),
  /** The doses of the vaccine's primary schedule; the precaution dose follows a two-dose schedule only. */
  primaryDoses: Type.Integer(),
  /** Days after the last primary dose from which the precaution dose is due; null: the vaccine has none. */
  afterDays: Type.Union([Type.Integer(), Type.Null()]),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const PrecautionIntervalList = Type.Object({ intervals: Type.Array(PrecautionIntervalView) });

export const PrecautionIntervalParams = Type.Object({
  vaccineCode: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9 ._-]+$' }),
});

export const PrecautionIntervalBody = Type.Object(
  {
    afterDays: Type.Integer({
      minimum: 0,
      maximum: 3650,
      description: 'days after the last primary dose from which the precaution dose is due',
    }),
    reason: PlainText({ minLength: 3, maxLength: 500 }),
  },
  { additionalProperties: false },
);
