/** TypeBox schemas of the officers' planning API: staff, sites, session days, assignments and CSV imports. */
import { Type } from 'typebox';
import { ROW_PROBLEMS } from '../../domain/row-problems.js';
import { ErrorResponse, errorResponses, PlainText } from './common.js';
import { IsoDate, Mobile, PersonName, Uuid, VaccineCode } from './v1.js';

/** The error answers of planning routes: the usual ones plus 422 for a plan that breaks a rule. */
export const planningErrors = { ...errorResponses, 422: ErrorResponse } as const;

export const StaffRole = Type.Union([
  Type.Literal('VACCINATOR'),
  Type.Literal('DISTRICT_OFFICER'),
  Type.Literal('STATE_OFFICER'),
  Type.Literal('NATIONAL_ADMIN'),
]);
export const TeamRole = Type.Union([Type.Literal('VACCINATOR'), Type.Literal('VERIFIER'), Type.Literal('OBSERVER')]);
export const DistrictId = Type.Integer({ minimum: 1, maximum: 999_999 });
export const StateId = Type.Integer({ minimum: 1, maximum: 99 });
export const TimeOfDay = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9](:00)?$',
  description: 'HH:MM, India time',
});

// --- staff

export const StaffView = Type.Object({
  id: Uuid,
  username: Type.String(),
  name: Type.String(),
  mobile: Type.Union([Type.String(), Type.Null()]),
  role: StaffRole,
  stateId: Type.Union([Type.Integer(), Type.Null()]),
  districtId: Type.Union([Type.Integer(), Type.Null()]),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

// Length limits here; the username and password rules are checked in the handler so the message can say them.
export const NewStaffBody = Type.Object(
  {
    username: Type.String({
      minLength: 1,
      maxLength: 64,
      description: '3–40 characters: lowercase letters, digits, dots, hyphens, underscores; starts with a letter',
    }),
    password: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'at least 10 characters, not containing the username',
    }),
    name: PersonName,
    mobile: Type.Optional(Mobile),
    role: StaffRole,
    stateId: Type.Optional(StateId),
    districtId: Type.Optional(DistrictId),
  },
  { additionalProperties: false },
);

export const StaffPatchBody = Type.Object(
  {
    active: Type.Optional(Type.Boolean({ description: 'false deactivates (no more logins), true reactivates' })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'a new password (reset)' })),
    name: Type.Optional(PersonName),
    mobile: Type.Optional(Type.Union([Mobile, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

// --- sites

const Ownership = Type.Union([Type.Literal('GOVERNMENT'), Type.Literal('PRIVATE')]);
const siteFields = {
  name: PlainText({ minLength: 3, maxLength: 120 }),
  nameHi: Type.Union([PlainText({ minLength: 1, maxLength: 120 }), Type.Null()]),
  address: PlainText({ minLength: 3, maxLength: 300 }),
  block: PlainText({ minLength: 2, maxLength: 100 }),
  pincode: Type.Integer({ minimum: 100_000, maximum: 999_999 }),
  // India's bounding box: a site elsewhere is a typo.
  lat: Type.Number({ minimum: 6, maximum: 38 }),
  lng: Type.Number({ minimum: 68, maximum: 98 }),
  ownership: Ownership,
  feeInr: Type.Integer({ minimum: 0, maximum: 100_000 }),
};

export const NewSiteBody = Type.Object(
  {
    districtId: DistrictId,
    name: siteFields.name,
    nameHi: Type.Optional(siteFields.nameHi),
    address: siteFields.address,
    block: siteFields.block,
    pincode: siteFields.pincode,
    lat: siteFields.lat,
    lng: siteFields.lng,
    ownership: siteFields.ownership,
    feeInr: Type.Optional(siteFields.feeInr),
  },
  { additionalProperties: false },
);

export const SitePatchBody = Type.Object(
  {
    name: Type.Optional(siteFields.name),
    nameHi: Type.Optional(siteFields.nameHi),
    address: Type.Optional(siteFields.address),
    block: Type.Optional(siteFields.block),
    pincode: Type.Optional(siteFields.pincode),
    lat: Type.Optional(siteFields.lat),
    lng: Type.Optional(siteFields.lng),
    ownership: Type.Optional(siteFields.ownership),
    feeInr: Type.Optional(siteFields.feeInr),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const SiteView = Type.Object({
  id: Type.Integer(),
  ...siteFields,
  districtId: Type.Integer(),
  stateId: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

// --- session days

const Age = Type.Integer({ minimum: 0, maximum: 120 });
const Seats = Type.Integer({ minimum: 0, maximum: 100_000 });
const SlotMinutes = Type.Integer({ minimum: 15, maximum: 24 * 60 });

export const NewSessionDayBody = Type.Object(
  {
    siteId: Type.Integer({ minimum: 1 }),
    date: IsoDate,
    vaccineCode: VaccineCode,
    minAge: Type.Optional(Age),
    maxAge: Type.Optional(Type.Union([Age, Type.Null()])),
    dose1Capacity: Seats,
    dose2Capacity: Seats,
    walkinCapacity: Type.Optional(Seats),
    opensAt: TimeOfDay,
    closesAt: TimeOfDay,
    slotMinutes: Type.Optional(SlotMinutes),
    vaccinatorIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false },
);

export const SessionDayPatchBody = Type.Object(
  {
    minAge: Type.Optional(Age),
    maxAge: Type.Optional(Type.Union([Age, Type.Null()])),
    dose1Capacity: Type.Optional(Seats),
    dose2Capacity: Type.Optional(Seats),
    walkinCapacity: Type.Optional(Seats),
    opensAt: Type.Optional(TimeOfDay),
    closesAt: Type.Optional(TimeOfDay),
    slotMinutes: Type.Optional(SlotMinutes),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PlannedDayView = Type.Object({
  id: Uuid,
  siteId: Type.Integer(),
  siteName: Type.String(),
  districtId: Type.Integer(),
  date: IsoDate,
  vaccineCode: Type.String(),
  status: Type.String(),
  minAge: Type.Integer(),
  maxAge: Type.Union([Type.Integer(), Type.Null()]),
  opensAt: Type.String(),
  closesAt: Type.String(),
  dose1Capacity: Type.Integer(),
  dose2Capacity: Type.Integer(),
  walkinCapacity: Type.Integer(),
  dose1Booked: Type.Integer(),
  dose2Booked: Type.Integer(),
  walkinUsed: Type.Integer(),
  booked: Type.Integer({ description: 'online seats taken, dose 1 + dose 2' }),
  vaccinated: Type.Integer({ description: 'doses recorded' }),
  noShows: Type.Integer(),
  slots: Type.Array(
    Type.Object({
      slotId: Type.Integer(),
      startsAt: Type.String(),
      endsAt: Type.String(),
      capacity: Type.Integer(),
      booked: Type.Integer(),
      walkinCapacity: Type.Integer(),
      walkinUsed: Type.Integer(),
    }),
  ),
  team: Type.Array(Type.Object({ staffId: Uuid, name: Type.String(), role: StaffRole, teamRole: TeamRole })),
});

export const AssignmentBody = Type.Object({ staffId: Uuid, teamRole: TeamRole }, { additionalProperties: false });
export const AssignmentView = Type.Object({
  sessionDayId: Uuid,
  staffId: Uuid,
  teamRole: TeamRole,
  created: Type.Boolean(),
});

// --- CSV import

export const RowProblemCode = Type.Enum(ROW_PROBLEMS);

export const ImportRowError = Type.Object({
  row: Type.Integer({ minimum: 0, description: '1-based data row (the header is row 0)' }),
  column: Type.Optional(Type.String()),
  /** What is wrong, for a screen to word in its own language with `params`. */
  code: Type.Optional(RowProblemCode),
  params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
  message: Type.String({ description: 'the problem in English' }),
});

export const ImportRejected = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
  errors: Type.Array(ImportRowError),
});

export const ImportResult = Type.Object({
  dryRun: Type.Boolean(),
  rows: Type.Integer({ description: 'data rows in the file' }),
  created: Type.Integer(),
  sessionDayIds: Type.Array(Uuid),
});

// --- target populations (what war-room coverage is measured against)

export const DistrictTargetView = Type.Object({
  districtId: Type.Integer(),
  name: Type.String(),
  targetPopulation: Type.Integer({ minimum: 0 }),
  targetIsDemo: Type.Boolean({ description: 'true while the district still has the seeded demo figure' }),
});

export const StateTargets = Type.Object({
  stateId: Type.Integer(),
  targetPopulation: Type.Integer({ minimum: 0, description: "the sum of the districts' targets" }),
  targetIsDemo: Type.Boolean({ description: 'true while any district still has a demo target' }),
  districts: Type.Array(DistrictTargetView),
});

export const TargetImportResult = Type.Object({
  dryRun: Type.Boolean(),
  rows: Type.Integer({ description: 'data rows in the file' }),
  updated: Type.Integer({ description: 'districts whose target was set (0 on a dry run)' }),
});

// --- the current district list

export const DistrictImportResult = Type.Object({
  dryRun: Type.Boolean(),
  rows: Type.Integer({ description: 'data rows in the file' }),
  created: Type.Array(Type.Object({ districtId: Type.Integer(), stateId: Type.Integer(), name: Type.String() }), {
    description: 'districts added (on a dry run: that would be, with the ids they would get)',
  }),
  updated: Type.Integer({ description: 'districts renamed, re-centred or given a target' }),
  unchanged: Type.Integer(),
  pincodesMoved: Type.Integer({ description: 'pincodes now in another district (0 on a dry run)' }),
  unlisted: Type.Array(Type.Object({ districtId: Type.Integer(), stateId: Type.Integer(), name: Type.String() }), {
    description:
      "districts of the file's states that it does not name; they are kept, since sites, staff and doses refer to them",
  }),
});
