/** TypeBox schemas of the vaccine batch registry and session stock (api/routes/v1/vaccine-batches.ts). */
import { Type, type Static } from 'typebox';
import { ErrorResponse, PlainText } from './common.js';
import { Batch, IsoDate, Uuid, VaccineCode } from './v1.js';

export const BatchView = Type.Object({
  id: Uuid,
  vaccineCode: Type.String(),
  batchNumber: Type.String({ description: 'as printed on the vial, in capitals' }),
  manufacturer: Type.Union([Type.String(), Type.Null()]),
  expiresOn: Type.Union([IsoDate, Type.Null()], { description: 'the last day the batch may be given' }),
  dosesPerVial: Type.Union([Type.Integer(), Type.Null()]),
  fromEarlierDoses: Type.Boolean({
    description: 'found only in doses recorded before the registry; not usable until its details are completed',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type BatchView = Static<typeof BatchView>;

export const BatchList = Type.Object({ batches: Type.Array(BatchView) });
export type BatchList = Static<typeof BatchList>;

export const BatchQuery = Type.Object({ vaccineCode: Type.Optional(VaccineCode) }, { additionalProperties: false });

const Manufacturer = PlainText({ minLength: 2, maxLength: 100 });
const DosesPerVial = Type.Integer({ minimum: 1, maximum: 50, description: 'doses in one vial (10 for most)' });

export const BatchBody = Type.Object(
  {
    vaccineCode: VaccineCode,
    batchNumber: Batch,
    manufacturer: Manufacturer,
    expiresOn: IsoDate,
    dosesPerVial: DosesPerVial,
  },
  { additionalProperties: false },
);

export const BatchPatch = Type.Object(
  {
    manufacturer: Type.Optional(Manufacturer),
    expiresOn: Type.Optional(IsoDate),
    dosesPerVial: Type.Optional(DosesPerVial),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const StockLine = Type.Object({
  batchId: Uuid,
  batchNumber: Type.String(),
  vaccineCode: Type.String(),
  manufacturer: Type.Union([Type.String(), Type.Null()]),
  expiresOn: Type.Union([IsoDate, Type.Null()]),
  dosesPerVial: Type.Union([Type.Integer(), Type.Null()]),
  vialsIssued: Type.Integer({ description: 'vials issued to the session day' }),
  vialsOpened: Type.Union([Type.Integer(), Type.Null()], { description: 'reported at close' }),
  dosesWasted: Type.Union([Type.Integer(), Type.Null()], { description: 'open-vial wastage, reported at close' }),
  dosesGiven: Type.Integer({ description: 'doses recorded at the session day from this batch' }),
});
export type StockLine = Static<typeof StockLine>;

export const SessionStock = Type.Object({ sessionDayId: Uuid, batches: Type.Array(StockLine) });
export type SessionStock = Static<typeof SessionStock>;

export const IssueBody = Type.Object(
  {
    vialsIssued: Type.Integer({
      minimum: 0,
      maximum: 100_000,
      description: 'vials issued (the total, not an increment)',
    }),
  },
  { additionalProperties: false },
);

export const ClosingVials = Type.Array(
  Type.Object(
    { batchId: Uuid, vialsOpened: Type.Integer({ minimum: 0, maximum: 100_000 }) },
    { additionalProperties: false },
  ),
  { maxItems: 50, description: 'vials opened of each batch: the open-vial wastage is worked out from the doses given' },
);

export const TomorrowStock = Type.Object({
  districtId: Type.Integer(),
  date: IsoDate,
  sessions: Type.Array(
    Type.Object({
      sessionDayId: Uuid,
      siteId: Type.Integer(),
      siteName: Type.String(),
      siteNameHi: Type.Union([Type.String(), Type.Null()]),
      vaccineCode: Type.String(),
      status: Type.String(),
      booked: Type.Integer({ description: 'seats booked (dose 1 and dose 2)' }),
      walkinCapacity: Type.Integer(),
      dosesIssued: Type.Integer({ description: 'doses in the vials issued of batches still good on the day' }),
      shortBy: Type.Integer({ description: 'bookings beyond the doses issued (0 when covered)' }),
      batches: Type.Array(StockLine),
    }),
  ),
});
export type TomorrowStock = Static<typeof TomorrowStock>;

export const stockErrors = { 422: ErrorResponse } as const;
