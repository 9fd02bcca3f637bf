/**
 * Vaccination sites, planned by officers. A site belongs to one district for life (its session days, doses
 * and rollups are counted there), so an edit never moves it; its pincode must be one of that district's.
 */
import type { Db } from '../connection.js';
import { Refusal } from '../../domain/refusals.js';
import type { Executor } from './audit.js';
import { writeAudit, type Actor } from './audit.js';
import { refuse } from '../../domain/errors.js';

export type Ownership = 'GOVERNMENT' | 'PRIVATE';

export interface SiteFields {
  name: string;
  nameHi: string | null;
  address: string;
  block: string;
  pincode: number;
  lat: number;
  lng: number;
  ownership: Ownership;
  feeInr: number;
}

export interface SiteView extends SiteFields {
  id: number;
  districtId: number;
  stateId: number;
  createdAt: string;
  updatedAt: string;
}

export type SiteScope = { districtId: number } | { stateId: number } | Record<string, never>;

function selectSites(db: Executor) {
  return db
    .selectFrom('site')
    .innerJoin('district', 'district.id', 'site.district_id')
    .select([
      'site.id',
      'site.name',
      'site.name_hi',
      'site.address',
      'site.block',
      'site.pincode',
      'site.lat',
      'site.lng',
      'site.ownership',
      'site.fee_inr',
      'site.district_id',
      'district.state_id',
      'site.created_at',
      'site.updated_at',
    ]);
}

type SiteRow = Awaited<ReturnType<ReturnType<typeof selectSites>['executeTakeFirstOrThrow']>>;

function toView(row: SiteRow): SiteView {
  return {
    id: row.id,
    name: row.name,
    nameHi: row.name_hi,
    address: row.address,
    block: row.block,
    pincode: row.pincode,
    lat: row.lat,
    lng: row.lng,
    ownership: row.ownership,
    feeInr: row.fee_inr,
    districtId: row.district_id,
    stateId: row.state_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Refuses a fee at a government site and a pincode that our postal data puts in another district. */
async function checkSite(
  db: Executor,
  districtId: number,
  fields: Pick<SiteFields, 'pincode' | 'ownership' | 'feeInr'>,
) {
  if (fields.ownership === 'GOVERNMENT' && fields.feeInr !== 0) {
    refuse(Refusal.FEE_AT_GOVERNMENT_SITE, 'vaccination at a government site is free: feeInr must be 0');
  }
  const known = await db
    .selectFrom('pincode')
    .innerJoin('district', 'district.id', 'pincode.district_id')
    .select(['pincode.district_id', 'district.name'])
    .where('pincode.pincode', '=', fields.pincode)
    .executeTakeFirst();
  // A pincode missing from the postal data is accepted: the data is known to be incomplete.
  if (known && known.district_id !== districtId) {
    refuse(
      Refusal.PINCODE_OUTSIDE_DISTRICT,
      `pincode ${fields.pincode} is in ${known.name} district, not in this site's district`,
      { pincodeDistrictId: known.district_id },
    );
  }
}

export async function findSite(db: Executor, siteId: number): Promise<SiteView | undefined> {
  const row = await selectSites(db).where('site.id', '=', siteId).executeTakeFirst();
  return row && toView(row);
}

export async function listSites(db: Db, scope: SiteScope): Promise<SiteView[]> {
  const rows = await selectSites(db)
    .$if('districtId' in scope, (qb) => qb.where('site.district_id', '=', (scope as { districtId: number }).districtId))
    .$if('stateId' in scope, (qb) => qb.where('district.state_id', '=', (scope as { stateId: number }).stateId))
    .orderBy('site.name')
    .orderBy('site.id')
    .limit(2000)
    .execute();
  return rows.map(toView);
}

export async function createSite(db: Db, districtId: number, fields: SiteFields, actor: Actor): Promise<SiteView> {
  return db.transaction().execute(async (trx) => {
    await checkSite(trx, districtId, fields);
    const { id } = await trx
      .insertInto('site')
      .values({
        name: fields.name,
        name_hi: fields.nameHi,
        address: fields.address,
        block: fields.block,
        pincode: fields.pincode,
        district_id: districtId,
        lat: fields.lat,
        lng: fields.lng,
        ownership: fields.ownership,
        fee_inr: fields.feeInr,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actor,
      action: 'SITE_CREATED',
      entityType: 'site',
      entityId: String(id),
      details: { districtId, name: fields.name, pincode: fields.pincode },
    });
    return toView(await selectSites(trx).where('site.id', '=', id).executeTakeFirstOrThrow());
  });
}

export async function updateSite(
  db: Db,
  siteId: number,
  changes: Partial<SiteFields>,
  actor: Actor,
): Promise<SiteView> {
  return db.transaction().execute(async (trx) => {
    const before = await selectSites(trx).where('site.id', '=', siteId).forUpdate('site').executeTakeFirst();
    if (!before) return refuse(Refusal.SITE_NOT_FOUND, 'no site has that id');
    const current = toView(before);
    const next: SiteFields = { ...current, ...changes };
    await checkSite(trx, current.districtId, next);
    await trx
      .updateTable('site')
      .set({
        name: next.name,
        name_hi: next.nameHi,
        address: next.address,
        block: next.block,
        pincode: next.pincode,
        lat: next.lat,
        lng: next.lng,
        ownership: next.ownership,
        fee_inr: next.feeInr,
        updated_at: new Date(),
      })
      .where('id', '=', siteId)
      .execute();
    const fields = (Object.keys(changes) as Array<keyof SiteFields>).filter(
      (k) => changes[k] !== undefined && changes[k] !== current[k],
    );
    await writeAudit(trx, {
      actor,
      action: 'SITE_UPDATED',
      entityType: 'site',
      entityId: String(siteId),
      details: { changes: Object.fromEntries(fields.map((k) => [k, { from: current[k], to: next[k] }])) },
    });
    return toView(await selectSites(trx).where('site.id', '=', siteId).executeTakeFirstOrThrow());
  });
}
