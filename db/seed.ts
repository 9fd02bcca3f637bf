/**
 * `npm run seed`: reference data (states, districts, pincodes, vaccines) and, outside production,
 * demo sites, session days for the coming 7 days and demo staff. Safe to run any number of times.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { developmentDefaultsRefusal } from '../config/env.js';
import { createDb, type Db } from './connection.js';
import { createSessionDay } from './repositories/session-days.js';
import { assignStaff } from './repositories/session-day-assignments.js';
import { addDays, indiaDate, indiaInstant } from '../domain/time.js';
import { hashPassword } from '../domain/passwords.js';
import type { StaffRole } from './schema.js';
import { moveStoreStock } from './repositories/site-stores.js';

interface Geography {
  source: string;
  states: Array<{ id: number; code: string; name: string; nameHi: string | null }>;
  districts: Array<{ id: number; stateId: number; name: string; lat: number; lng: number; pincodeCount: number }>;
  pincodes: Array<[number, number]>;
}

export function loadGeography(): Geography {
  return JSON.parse(readFileSync(new URL('./seed-data/geography.json', import.meta.url), 'utf8'));
}

/** Vaccines and their dose-2 windows (days after dose 1). */
export const VACCINES = [
  { code: 'COVISHIELD', name: 'Covishield', doses: 2, min_interval_days: 84, max_interval_days: 112 },
  { code: 'COVAXIN', name: 'Covaxin', doses: 2, min_interval_days: 28, max_interval_days: 42 },
  { code: 'SPUTNIK V', name: 'Sputnik V', doses: 2, min_interval_days: 21, max_interval_days: 90 },
];

/** The precaution dose of each vaccine: 39 weeks after dose 2, as Co-WIN began it (domain/precaution.ts). */
export const PRECAUTION_INTERVALS = VACCINES.map((v) => ({ vaccine_code: v.code, after_days: 273 }));

/** Deterministic pseudo-random in [0,1) from an integer, so demo figures are the same on every machine. */
function noise(n: number): number {
  const x = Math.sin(n * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

export async function seedReferenceData(db: Db): Promise<void> {
  const geo = loadGeography();
  const chunk = <T>(rows: T[], size: number) =>
    Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));

  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('state')
      .values(geo.states.map((s) => ({ id: s.id, code: s.code, name: s.name, name_hi: s.nameHi })))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    for (const rows of chunk(geo.districts, 1000)) {
      await trx
        .insertInto('district')
        .values(
          rows.map((d) => ({
            id: d.id,
            state_id: d.stateId,
            name: d.name,
            lat: d.lat,
            lng: d.lng,
            // Demo target: adults in proportion to postal coverage; replaced when admins import real figures.
            target_population: Math.round((d.pincodeCount * 18_000 + 150_000) * (0.8 + 0.4 * noise(d.id))),
            target_is_demo: true,
          })),
        )
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
    for (const rows of chunk(geo.pincodes, 5000)) {
      await trx
        .insertInto('pincode')
        .values(rows.map(([pincode, district_id]) => ({ pincode, district_id })))
        .onConflict((oc) => oc.column('pincode').doNothing())
        .execute();
    }
    await trx
      .insertInto('vaccine')
      .values(VACCINES)
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    await trx
      .insertInto('precaution_interval')
      .values(PRECAUTION_INTERVALS)
      .onConflict((oc) => oc.column('vaccine_code').doNothing())
      .execute();
  });
}

/** Demo centres: several states, a mix of government and private, each with its own vaccine. */
const DEMO_SITES = [
  {
    district: 27024,
    pincode: 411001,
    name: 'Pune Camp Urban Health Centre',
    block: 'Pune City',
    vaccine: 'COVISHIELD',
    ownership: 'GOVERNMENT',
    lat: 18.5196,
    lng: 73.8553,
  },
  {
    district: 27024,
    pincode: 411038,
    name: 'Kothrud Vaccination Centre',
    block: 'Haveli',
    vaccine: 'COVAXIN',
    ownership: 'PRIVATE',
    lat: 18.5074,
    lng: 73.8077,
  },
  {
    district: 27017,
    pincode: 400001,
    name: 'Fort Municipal Dispensary',
    block: 'Mumbai City',
    vaccine: 'COVISHIELD',
    ownership: 'GOVERNMENT',
    lat: 18.9322,
    lng: 72.8347,
  },
  {
    district: 27018,
    pincode: 440001,
    name: 'Nagpur Civil Lines PHC',
    block: 'Nagpur Urban',
    vaccine: 'COVAXIN',
    ownership: 'GOVERNMENT',
    lat: 21.1458,
    lng: 79.0882,
  },
  {
    district: 7003,
    pincode: 110001,
    name: 'Connaught Place Dispensary',
    block: 'New Delhi',
    vaccine: 'COVISHIELD',
    ownership: 'GOVERNMENT',
    lat: 28.6315,
    lng: 77.2167,
  },
  {
    district: 8017,
    pincode: 302001,
    name: 'Jaipur SMS Hospital Centre',
    block: 'Jaipur City',
    vaccine: 'COVISHIELD',
    ownership: 'GOVERNMENT',
    lat: 26.9124,
    lng: 75.7873,
  },
  {
    district: 9047,
    pincode: 226001,
    name: 'Lucknow Hazratganj CHC',
    block: 'Lucknow Urban',
    vaccine: 'COVAXIN',
    ownership: 'GOVERNMENT',
    lat: 26.8467,
    lng: 80.9462,
  },
  {
    district: 10026,
    pincode: 800001,
    name: 'Patna Gandhi Maidan PHC',
    block: 'Patna Sadar',
    vaccine: 'COVISHIELD',
    ownership: 'GOVERNMENT',
    lat: 25.6093,
    lng: 85.1376,
  },
  {
    district: 19012,
    pincode: 700001,
    name: 'Kolkata BBD Bagh Health Post',
    block: 'Kolkata',
    vaccine: 'COVISHIELD',
    ownership: 'GOVERNMENT',
    lat: 22.5726,
    lng: 88.3639,
  },
  {
    district: 29005,
    pincode: 560001,
    name: 'Bengaluru Shivajinagar UPHC',
    block: 'Bengaluru North',
    vaccine: 'COVISHIELD',
    ownership: 'GOVERNMENT',
    lat: 12.9857,
    lng: 77.6057,
  },
  {
    district: 33002,
    pincode: 600001,
    name: 'Chennai Parrys Corner UPHC',
    block: 'Chennai North',
    vaccine: 'COVAXIN',
    ownership: 'GOVERNMENT',
    lat: 13.0896,
    lng: 80.2866,
  },
  {
    district: 36002,
    pincode: 500001,
    name: 'Hyderabad Abids Clinic',
    block: 'Hyderabad',
    vaccine: 'SPUTNIK V',
    ownership: 'PRIVATE',
    lat: 17.3924,
    lng: 78.4752,
  },
  {
    district: 32002,
    pincode: 682001,
    name: 'Kochi Fort PHC',
    block: 'Kochi',
    vaccine: 'COVISHIELD',
    ownership: 'GOVERNMENT',
    lat: 9.9658,
    lng: 76.2421,
  },
] as const;

export const DEMO_PASSWORD = 'teeka-demo-2026';

export interface DemoStaff {
  username: string;
  role: StaffRole;
  name: string;
  stateId: number | null;
  districtId: number | null;
  mobile: string;
}

export const DEMO_STAFF: DemoStaff[] = [
  {
    username: 'admin',
    role: 'NATIONAL_ADMIN',
    name: 'National Admin',
    stateId: null,
    districtId: null,
    mobile: '9000000001',
  },
  {
    username: 'mh.officer',
    role: 'STATE_OFFICER',
    name: 'Maharashtra State Officer',
    stateId: 27,
    districtId: null,
    mobile: '9000000002',
  },
  {
    username: 'pune.officer',
    role: 'DISTRICT_OFFICER',
    name: 'Pune District Officer',
    stateId: 27,
    districtId: 27024,
    mobile: '9000000003',
  },
  {
    username: 'pune.vaccinator',
    role: 'VACCINATOR',
    name: 'Asha Patil',
    stateId: 27,
    districtId: 27024,
    mobile: '9000000004',
  },
  {
    username: 'delhi.officer',
    role: 'DISTRICT_OFFICER',
    name: 'New Delhi District Officer',
    stateId: 7,
    districtId: 7003,
    mobile: '9000000005',
  },
  {
    username: 'delhi.vaccinator',
    role: 'VACCINATOR',
    name: 'Ravi Kumar',
    stateId: 7,
    districtId: 7003,
    mobile: '9000000006',
  },
];

/** Demo batches of each vaccine (one long expired, to show the refusal); expiries relative to the seeding day. */
export const DEMO_BATCHES = [
  {
    vaccine: 'COVISHIELD',
    number: '4121Z025',
    manufacturer: 'Serum Institute of India',
    expiresInDays: 180,
    dosesPerVial: 10,
  },
  {
    vaccine: 'COVISHIELD',
    number: '4121Z117',
    manufacturer: 'Serum Institute of India',
    expiresInDays: 240,
    dosesPerVial: 10,
  },
  {
    vaccine: 'COVISHIELD',
    number: '4120Z003',
    manufacturer: 'Serum Institute of India',
    expiresInDays: -30,
    dosesPerVial: 10,
  },
  { vaccine: 'COVAXIN', number: 'CVX-2041', manufacturer: 'Bharat Biotech', expiresInDays: 150, dosesPerVial: 20 },
  {
    vaccine: 'SPUTNIK V',
    number: 'SPV-1101',
    manufacturer: "Dr. Reddy's Laboratories",
    expiresInDays: 120,
    dosesPerVial: 5,
  },
];

export async function seedDemoData(db: Db, today = indiaDate()): Promise<{ sessionDaysCreated: number }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const staffIds = new Map<string, string>();
  for (const s of DEMO_STAFF) {
    await db
      .insertInto('staff_user')
      .values({
        username: s.username,
        password_hash: passwordHash,
        name: s.name,
        role: s.role,
        state_id: s.stateId,
        district_id: s.districtId,
        mobile: s.mobile,
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .execute();
    const row = await db
      .selectFrom('staff_user')
      .select('id')
      .where('username', '=', s.username)
      .executeTakeFirstOrThrow();
    staffIds.set(s.username, row.id);
  }

  let sessionDaysCreated = 0;
  for (const [index, demo] of DEMO_SITES.entries()) {
    let site = await db
      .selectFrom('site')
      .select('id')
      .where('name', '=', demo.name)
      .where('district_id', '=', demo.district)
      .executeTakeFirst();
    if (!site) {
      site = await db
        .insertInto('site')
        .values({
          name: demo.name,
          name_hi: null,
          address: `${demo.name}, ${demo.block}`,
          block: demo.block,
          pincode: demo.pincode,
          district_id: demo.district,
          lat: demo.lat,
          lng: demo.lng,
          ownership: demo.ownership,
          fee_inr: demo.ownership === 'PRIVATE' ? 780 : 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    }
    for (let day = 0; day < 7; day++) {
      const date = addDays(today, day);
      const exists = await db
        .selectFrom('session_day')
        .select('id')
        .where('site_id', '=', site.id)
        .where('date', '=', date)
        .executeTakeFirst();
      if (exists) continue;
      const dose1 = 50 + Math.floor(noise(index * 31 + day) * 151); // 50..200
      await createSessionDay(db, {
        site_id: site.id,
        date,
        vaccine_code: demo.vaccine,
        min_age: index % 4 === 3 ? 45 : 18,
        opens_at: '09:00:00',
        closes_at: '17:00:00',
        dose1_capacity: dose1,
        dose2_capacity: Math.round(dose1 / 2),
        walkin_capacity: 20,
        slotMinutes: 120,
      });
      sessionDaysCreated++;
    }
  }
  // Each demo vaccinator works one session day of their district every day (the first site by name), so the
  // vaccinator desk has a day to open. A date they already work (perhaps as an officer chose) is left alone.
  for (const vaccinator of DEMO_STAFF.filter(
    (s) => s.username === 'pune.vaccinator' || s.username === 'delhi.vaccinator',
  )) {
    const staffId = staffIds.get(vaccinator.username)!;
    for (let day = 0; day < 7; day++) {
      const date = addDays(today, day);
      const working = await db
        .selectFrom('session_assignment')
        .select('id')
        .where('staff_id', '=', staffId)
        .where('session_date', '=', date)
        .executeTakeFirst();
      const session = await db
        .selectFrom('session_day')
        .innerJoin('site', 'site.id', 'session_day.site_id')
        .select('session_day.id')
        .where('session_day.district_id', '=', vaccinator.districtId!)
        .where('session_day.date', '=', date)
        .where('session_day.status', '<>', 'CANCELLED')
        .orderBy('site.name')
        .executeTakeFirst();
      if (working || !session) continue;
      await assignStaff(db, {
        sessionDayId: session.id,
        staffId,
        teamRole: 'VACCINATOR',
        actor: { type: 'SYSTEM', id: 'seed' },
        now: indiaInstant(date, '12:00'),
      });
    }
  }
  await seedDemoStock(db, today);
  return { sessionDaysCreated };
}

/**
 * The demo batches, and vials of the first good batch received into each site's store and issued to every demo
 * session day of today and tomorrow that has none yet (two spare vials left in the store each time): enough for about nine in ten of its seats at some sites and short at others, as a console shows.
 */
async function seedDemoStock(db: Db, today: string): Promise<void> {
  for (const b of DEMO_BATCHES) {
    await db
      .insertInto('vaccine_batch')
      .values({
        vaccine_code: b.vaccine,
        batch_number: b.number,
        manufacturer: b.manufacturer,
        expires_on: addDays(today, b.expiresInDays),
        doses_per_vial: b.dosesPerVial,
      })
      .onConflict((oc) => oc.constraint('vaccine_batch_number_unique').doNothing())
      .execute();
  }
  const days = await db
    .selectFrom('session_day')
    .select(['id', 'site_id', 'date', 'vaccine_code', 'dose1_capacity', 'dose2_capacity'])
    .where('date', 'in', [today, addDays(today, 1)])
    .where('dry_run_id', 'is', null)
    .where('status', '<>', 'CANCELLED')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(selectFrom('session_batch_stock').select('batch_id').whereRef('session_day_id', '=', 'session_day.id')),
      ),
    )
    .orderBy('id')
    .execute();
  for (const [index, day] of days.entries()) {
    const batch = await db
      .selectFrom('vaccine_batch')
      .select(['id', 'doses_per_vial'])
      .where('vaccine_code', '=', day.vaccine_code)
      .where('expires_on', '>=', day.date)
      .orderBy('expires_on')
      .executeTakeFirst();
    if (!batch?.doses_per_vial) continue;
    const share = index % 3 === 0 ? 0.5 : 0.9;
    const vials = Math.ceil(((day.dose1_capacity + day.dose2_capacity) * share) / batch.doses_per_vial);
    // Through the site's store, as an officer's issue goes: received from the district, then issued to the day.
    await db.transaction().execute(async (trx) => {
      await moveStoreStock(trx, {
        siteId: day.site_id,
        batchId: batch.id,
        kind: 'RECEIVED',
        change: vials + 2,
        deliveryNote: `DEMO-${day.date}`,
        recordedBy: null,
      });
      await trx
        .insertInto('session_batch_stock')
        .values({ session_day_id: day.id, batch_id: batch.id, vials_issued: vials })
        .execute();
      await moveStoreStock(trx, {
        siteId: day.site_id,
        batchId: batch.id,
        kind: 'ISSUED',
        change: -vials,
        sessionDayId: day.id,
        recordedBy: null,
      });
    });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set');
    process.exit(1);
  }
  const { db } = createDb({ connectionString: url, applicationName: 'teeka-seed' });
  try {
    await seedReferenceData(db);
    console.log('reference data: states, districts, pincodes, vaccines');
    const refusal = developmentDefaultsRefusal();
    if (refusal && process.env.SEED_DEMO !== 'true') {
      console.log(`${refusal}: demo data skipped (set SEED_DEMO=true to load it anyway)`);
    } else {
      const { sessionDaysCreated } = await seedDemoData(db);
      console.log(
        `demo data: ${DEMO_SITES.length} sites, ${sessionDaysCreated} new session days, ${DEMO_STAFF.length} staff (password ${DEMO_PASSWORD})`,
      );
    }
  } finally {
    await db.destroy();
  }
}
