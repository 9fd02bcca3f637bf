/** TypeBox schemas of sites' stores of vaccine and their ledger (api/routes/v1/site-stores.ts). */
import { Type, type Static } from 'typebox';
import { ErrorResponse, PlainText } from './common.js';
import { ClientEventId } from './desk.js';
import { IsoDate, Uuid } from './v1.js';

const DiscardReason = Type.Union([
  Type.Literal('EXPIRED'),
  Type.Literal('DAMAGED'),
  Type.Literal('COLD_CHAIN_BREACH'),
  Type.Literal('OTHER'),
]);

export const SiteId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const StoreSite = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  nameHi: Nullable(Type.String()),
  districtId: Type.Integer(),
});

export const StoreBatch = Type.Object({
  batchId: Uuid,
  batchNumber: Type.String(),
  vaccineCode: Type.String(),
  manufacturer: Nullable(Type.String()),
  expiresOn: Nullable(IsoDate),
  dosesPerVial: Nullable(Type.Integer()),
  vials: Type.Integer({ description: "vials of the batch in the site's store now" }),
  expiry: Type.Union(
    [Type.Literal('EXPIRED'), Type.Literal('EXPIRING'), Type.Literal('GOOD'), Type.Literal('UNKNOWN')],
    { description: 'EXPIRING: good today and expiring within 7 days' },
  ),
});
export type StoreBatch = Static<typeof StoreBatch>;

export const StoreMovement = Type.Object({
  id: Uuid,
  siteId: Type.Integer(),
  batchId: Uuid,
  batchNumber: Type.String(),
  vaccineCode: Type.String(),
  kind: Type.Union([
    Type.Literal('RECEIVED'),
    Type.Literal('ISSUED'),
    Type.Literal('RETURNED'),
    Type.Literal('DISCARDED'),
    Type.Literal('CARRIED_OVER'),
  ]),
  vials: Type.Integer({ description: 'into the store positive, out of it negative' }),
  balance: Type.Integer({ description: "the store's vials of the batch after this movement" }),
  sessionDayId: Nullable(Uuid),
  sessionDate: Nullable(IsoDate),
  deliveryNote: Nullable(Type.String()),
  discardReason: Nullable(DiscardReason),
  note: Nullable(Type.String()),
  clientEventId: Nullable(Type.String()),
  recordedBy: Nullable(Uuid),
  recordedByName: Nullable(Type.String()),
  recordedAt: Type.String({ format: 'date-time' }),
});
export type StoreMovement = Static<typeof StoreMovement>;

export const SiteStore = Type.Object({
  site: StoreSite,
  today: IsoDate,
  batches: Type.Array(StoreBatch),
  ledger: Type.Array(StoreMovement, { description: 'newest first' }),
});
export type SiteStore = Static<typeof SiteStore>;

export const SiteStoreQuery = Type.Object(
  {
    batchId: Type.Optional(Uuid),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  },
  { additionalProperties: false },
);

const Vials = Type.Integer({ minimum: 1, maximum: 100_000 });

export const ReceiptBody = Type.Object(
  {
    clientEventId: ClientEventId,
    batchId: Uuid,
    vials: Vials,
    deliveryNote: PlainText({ minLength: 2, maxLength: 60 }),
  },
  { additionalProperties: false },
);

export const DiscardBody = Type.Object(
  {
    clientEventId: ClientEventId,
    batchId: Uuid,
    vials: Vials,
    reason: DiscardReason,
    note: Type.Optional(PlainText({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const MovementAnswer = Type.Object({
  movement: StoreMovement,
  duplicate: Type.Boolean({ description: 'true when the clientEventId replayed a movement already recorded' }),
});

export const DistrictStores = Type.Object({
  districtId: Type.Integer(),
  today: IsoDate,
  sites: Type.Array(Type.Object({ ...StoreSite.properties, batches: Type.Array(StoreBatch) })),
  expiring: Type.Array(
    Type.Object({
      ...StoreBatch.properties,
      siteId: Type.Integer(),
      siteName: Type.String(),
      siteNameHi: Nullable(Type.String()),
    }),
    { description: 'batches held in the district that have expired or expire within 7 days' },
  ),
});
export type DistrictStores = Static<typeof DistrictStores>;

export const storeErrors = { 409: ErrorResponse, 422: ErrorResponse } as const;
