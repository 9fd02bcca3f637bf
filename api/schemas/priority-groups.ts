/** TypeBox schemas of eligibility phases and priority-group lists (domain/priority-groups.ts holds the rules). */
import { Type } from 'typebox';
import { MAX_PHASES_PER_STATE, PHASE_GROUPS } from '../../domain/priority-groups.js';
import { PlainText } from './common.js';
import { IsoDate } from './v1.js';
import { StateId } from './planning.js';

export const PhaseGroup = Type.Union([
  Type.Literal('HCW'),
  Type.Literal('FLW'),
  Type.Literal('COMORBID'),
  Type.Literal('GENERAL'),
]);
export const PriorityGroup = Type.Union([Type.Literal('HCW'), Type.Literal('FLW')]);

export const PhaseInput = Type.Object(
  {
    name: PlainText({ minLength: 1, maxLength: 80 }),
    opensOn: IsoDate,
    groups: Type.Array(PhaseGroup, {
      minItems: 1,
      maxItems: PHASE_GROUPS.length,
      description: 'HCW, FLW: listed workers; COMORBID: people who declared a comorbidity; GENERAL: everyone',
    }),
    minAge: Type.Integer({ minimum: 0, maximum: 120 }),
    maxAge: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, description: 'leave out for no upper age' })),
  },
  { additionalProperties: false },
);

export const PhaseView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  opensOn: Type.String(),
  groups: Type.Array(PhaseGroup),
  minAge: Type.Integer(),
  maxAge: Type.Union([Type.Integer(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const StatePhases = Type.Object({
  stateId: Type.Integer(),
  /** False while the state has no phases: every session takes every age it was planned for. */
  restricted: Type.Boolean(),
  phases: Type.Array(PhaseView),
});

export const PhasesBody = Type.Object(
  { phases: Type.Array(PhaseInput, { maxItems: MAX_PHASES_PER_STATE }) },
  { additionalProperties: false },
);

export const StateParams = Type.Object({ stateId: StateId }, { additionalProperties: false });

/** A worker list's answer: what it registered (or would, on a dry run) and the rows already listed. */
export const PriorityListResult = Type.Object({
  dryRun: Type.Boolean(),
  group: PriorityGroup,
  rows: Type.Integer({ description: 'data rows in the file' }),
  registered: Type.Array(Type.Object({ row: Type.Integer(), referenceId: Type.String() }), {
    description: 'workers registered now (none on a dry run)',
  }),
  toRegister: Type.Integer({ description: 'workers the file registers (what a dry run would register)' }),
  alreadyListed: Type.Array(Type.Integer(), {
    description: 'rows whose worker is already registered from a list of this group, skipped',
  }),
});
