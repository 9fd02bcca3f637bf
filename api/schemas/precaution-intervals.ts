/** TypeBox schemas of the precaution dose's intervals (domain/precaution.ts holds the rules). */
import { Type } from 'typebox';
import { PlainText } from './common.js';
import { PriorityGroup } from './priority-groups.js';

export const PrecautionGroupIntervalView = Type.Object({
  group: PriorityGroup,
  /** Days after the last primary dose from which the precaution dose is due for this group's people. */
  afterDays: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const PrecautionIntervalView = Type.Object({
  vaccineCode: Type.String(),
  /** The doses of the vaccine's primary schedule; the precaution dose follows a two-dose schedule only. */
  primaryDoses: Type.Integer(),
  /** Days after the last primary dose from which the precaution dose is due; null: the vaccine has none. */
  afterDays: Type.Union([Type.Integer(), Type.Null()]),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** Priority groups with an interval of their own, which overrides `afterDays` for their people. */
  groups: Type.Array(PrecautionGroupIntervalView),
});

export const PrecautionIntervalList = Type.Object({ intervals: Type.Array(PrecautionIntervalView) });

export const PrecautionIntervalParams = Type.Object({
  vaccineCode: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9 ._-]+$' }),
});

export const PrecautionGroupIntervalParams = Type.Object({
  vaccineCode: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9 ._-]+$' }),
  group: PriorityGroup,
});

const afterDays = Type.Integer({
  minimum: 0,
  maximum: 3650,
  description: 'days after the last primary dose from which the precaution dose is due',
});

export const PrecautionIntervalBody = Type.Object(
  { afterDays, reason: PlainText({ minLength: 3, maxLength: 500 }) },
  { additionalProperties: false },
);

export const PrecautionGroupIntervalBody = Type.Object(
  {
    // Null first: the API coerces types, and an integer first would read null as 0.
    afterDays: Type.Union([Type.Null(), afterDays], {
      description:
        "days after the last primary dose from which the group's precaution dose is due; null: the group follows the vaccine's interval",
    }),
    reason: PlainText({ minLength: 3, maxLength: 500 }),
  },
  { additionalProperties: false },
);
