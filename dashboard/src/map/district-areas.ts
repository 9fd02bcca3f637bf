/**
 * Approximate district areas: the Voronoi cell of each district centroid (d3-delaunay), clipped to its state's
 * outline (polyclip-ts). There is no open district boundary file we can ship, but every district has a centroid,
 * so each district gets the part of its state that is nearer to its own centroid than to any other district's of
 * that state. That is an approximation, and the map says so; it still shows which part of a state is behind.
 *
 * Pure functions over plain coordinates: scripts/generate-map-data.ts draws the committed areas with them at build
 * time, and the war-room map draws a state's areas again in the browser when the district list has changed since
 * (an admin imported the current list). It imports nothing of the dashboard, so the script can import it.
 * Coordinates are [lng, lat] (x, y) inside this module; drawn areas are [lat, lng] as Leaflet wants.
 */
import { Delaunay } from 'd3-delaunay';
import { difference, intersection, union, xor, type Geom } from 'polyclip-ts';

export type XY = [number, number];
export type Ring = XY[];
/** Polygons, each an outer ring followed by its holes. */
export type MultiPolygon = Ring[][];

export interface Site {
  id: number;
  stateId: number;
  lng: number;
  lat: number;
}

export interface Outline {
  /** The states the outline stands for (more than one where the outline source predates a reorganisation). */
  stateIds: number[];
  /** Rings as drawn: filled by the even-odd rule, so a ring inside another is a hole and disjoint rings are islands. */
  rings: Ring[];
}

export interface DistrictArea {
  id: number;
  stateId: number;
  /** Where the cell was grown from: the centroid, or the nearest point inside the outline when the centroid is not. */
  site: XY;
  /** True when the centroid lay outside its state's outline and was moved in. */
  moved: boolean;
  /**
   * True for a district far from its state's outline (an exclave the outline source leaves out, such as Mahe of
   * Puducherry, inside Kerala): it is drawn as a small square around its centroid instead.
   */
  exclave: boolean;
  area: MultiPolygon;
}

/** A centroid further than this (degrees, ~30 km) outside its outline is an exclave, not a drawing error. */
export const MAX_MOVE_DEGREES = 0.3;

/** How far inside the outline a moved centroid is put (degrees, ~2 km), so rounding never puts it on an edge. */
const MOVE_INSIDE_DEGREES = 0.02;

/** The region an outline's rings fill under the even-odd rule. */
export function outlineRegion(rings: readonly Ring[]): MultiPolygon {
  const polygons = rings.map((ring) => [closed(ring)] as Geom);
  if (!polygons.length) return [];
  return xor(polygons[0]!, ...polygons.slice(1)) as MultiPolygon;
}

/** Half the side of the square drawn for a district whose outline is too small to have an area (an islet). */
export const ISLET_HALF_SIDE_DEGREES = 0.08;

/**
 * Every district of the outline's states with its cell; districts of other states are ignored. An outline with no
 * area left after simplification (Lakshadweep's islets) stands in as a small square around each centroid.
 */
export function districtAreas(outline: Outline, sites: readonly Site[]): DistrictArea[] {
  const own = sites.filter((s) => outline.stateIds.includes(s.stateId));
  if (!own.length) return [];
  let region = outlineRegion(outline.rings);
  if (!region.length) region = isletSquares(own);

  const exclaves = own.filter((s) => {
    const centroid: XY = [s.lng, s.lat];
    return !pointInRegion(centroid, region) && distanceToEdge(centroid, region) > MAX_MOVE_DEGREES;
  });
  const exclaveAreas = exclaves.map((s): DistrictArea => ({
    id: s.id,
    stateId: s.stateId,
    site: [s.lng, s.lat],
    moved: false,
    exclave: true,
    area: isletSquares([s]),
  }));
  const placed = own
    .filter((s) => !exclaves.includes(s))
    .map((s) => {
      const centroid: XY = [s.lng, s.lat];
      if (pointInRegion(centroid, region)) return { site: s, point: centroid, moved: false };
      return { site: s, point: moveInside(centroid, region), moved: true };
    });
  if (!placed.length) return exclaveAreas;
  separateDuplicates(placed.map((p) => p.point));

  const [minX, minY, maxX, maxY] = bbox(region.flat(2));
  const margin = 1;
  const voronoi = Delaunay.from(placed.map((p) => p.point)).voronoi([
    minX - margin,
    minY - margin,
    maxX + margin,
    maxY + margin,
  ]);
  const cells = placed.map(({ site, point, moved }, i): DistrictArea => {
    // A lone district is its whole state (d3-delaunay has no cell for a single point).
    if (placed.length === 1)
      return { id: site.id, stateId: site.stateId, site: point, moved, exclave: false, area: region };
    const cell = voronoi.cellPolygon(i) as Ring | null;
    const area = cell ? (intersection([closed(cell)], region) as MultiPolygon) : [];
    return { id: site.id, stateId: site.stateId, site: point, moved, exclave: false, area };
  });
  return [...cells, ...exclaveAreas];
}

function isletSquares(sites: readonly Site[]): MultiPolygon {
  const h = ISLET_HALF_SIDE_DEGREES;
  const squares = sites.map((s): Geom => [
    [
      [s.lng - h, s.lat - h],
      [s.lng + h, s.lat - h],
      [s.lng + h, s.lat + h],
      [s.lng - h, s.lat + h],
      [s.lng - h, s.lat - h],
    ],
  ]);
  return union(squares[0]!, ...squares.slice(1)) as MultiPolygon;
}

/** Even-odd point-in-polygon over every ring of every polygon. */
export function pointInRegion([x, y]: XY, region: MultiPolygon): boolean {
  let inside = false;
  for (const polygon of region)
    for (const ring of polygon)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]!;
        const [xj, yj] = ring[j]!;
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
  return inside;
}

/** Area (square degrees) of a region, holes subtracted. */
export function regionArea(region: MultiPolygon): number {
  return region.reduce(
    (sum, polygon) => sum + polygon.reduce((s, ring, k) => s + (k === 0 ? 1 : -1) * Math.abs(ringArea(ring)), 0),
    0,
  );
}

/** The part of `area` that lies outside `region` (square degrees). */
export function areaOutside(area: MultiPolygon, region: MultiPolygon): number {
  if (!area.length) return 0;
  return regionArea(difference(area as Geom, region as Geom) as MultiPolygon);
}

/** Distance (degrees) from a point to the nearest edge of a region. */
export function distanceToEdge(point: XY, region: MultiPolygon): number {
  let best = Infinity;
  for (const polygon of region)
    for (const ring of polygon)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const nearest = nearestOnSegment(point, ring[j]!, ring[i]!);
        best = Math.min(best, Math.hypot(point[0] - nearest[0], point[1] - nearest[1]));
      }
  return best;
}

/**
 * A centroid outside its outline (the outline is simplified, or the centroid of a coastal district's post offices
 * falls in the sea): the nearest point of the outline, then further in until it is MOVE_INSIDE_DEGREES from every
 * edge or as deep as the outline allows.
 */
function moveInside(point: XY, region: MultiPolygon): XY {
  let nearest: XY = point;
  let best = Infinity;
  for (const polygon of region)
    for (const ring of polygon)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const candidate = nearestOnSegment(point, ring[j]!, ring[i]!);
        const d = Math.hypot(point[0] - candidate[0], point[1] - candidate[1]);
        if (d < best) {
          best = d;
          nearest = candidate;
        }
      }
  // Continue past the edge in the direction we came from; fall back to a ring of directions around the edge point.
  const away = Math.hypot(nearest[0] - point[0], nearest[1] - point[1]);
  const directions: XY[] = away > 0 ? [[(nearest[0] - point[0]) / away, (nearest[1] - point[1]) / away]] : [];
  for (let k = 0; k < 16; k++) directions.push([Math.cos((k * Math.PI) / 8), Math.sin((k * Math.PI) / 8)]);
  let fallback: XY | undefined;
  for (const [dx, dy] of directions)
    for (let step = 1; step <= 40; step++) {
      const candidate: XY = [nearest[0] + dx * step * 0.005, nearest[1] + dy * step * 0.005];
      if (!pointInRegion(candidate, region)) continue;
      if (distanceToEdge(candidate, region) >= MOVE_INSIDE_DEGREES) return candidate;
      fallback ??= candidate;
    }
  if (!fallback) throw new Error(`no point inside the outline near ${point.join(', ')}`);
  return fallback;
}

/** Two districts at one position would share a cell: nudge later copies apart by ~100 m. */
function separateDuplicates(points: XY[]): void {
  const seen = new Set<string>();
  for (const p of points) {
    while (seen.has(`${p[0]},${p[1]}`)) p[0] += 0.001;
    seen.add(`${p[0]},${p[1]}`);
  }
}

function nearestOnSegment([px, py]: XY, [ax, ay]: XY, [bx, by]: XY): XY {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  return [ax + t * dx, ay + t * dy];
}

function closed(ring: readonly XY[]): Ring {
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  return first[0] === last[0] && first[1] === last[1] ? [...ring] : [...ring, first];
}

function ringArea(ring: readonly XY[]): number {
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    area += (ring[j]![0] + ring[i]![0]) * (ring[j]![1] - ring[i]![1]);
  return area / 2;
}

function bbox(points: readonly XY[]): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

/** [lat, lng], as the map data and Leaflet have them. */
type LatLng = [number, number];

/** An area as the map draws it (DistrictAreaShape in map-types.ts): [lat, lng], rounded to 3 decimals (~100 m). */
export interface DrawnDistrictArea {
  id: number;
  stateId: number;
  site: LatLng;
  moved: boolean;
  exclave: boolean;
  polygons: LatLng[][][];
}

/**
 * The areas of `districts` within the map's state shapes: per outline (the shapes standing for the same states
 * together, as Dadra and Nagar Haveli with Daman and Diu), the Voronoi cells of its districts' centroids clipped
 * to it, from the same simplified outlines the map draws, so a cell never spills over a border drawn beside it.
 */
export function drawDistrictAreas(
  shapes: ReadonlyArray<{ stateIds: number[]; polygons: LatLng[][] }>,
  districts: readonly Site[],
): DrawnDistrictArea[] {
  const outlines = new Map<string, Outline>();
  for (const shape of shapes) {
    const key = shape.stateIds.join('+');
    const outline = outlines.get(key) ?? { stateIds: shape.stateIds, rings: [] };
    outline.rings.push(...shape.polygons.map((ring) => ring.map(([lat, lng]): XY => [lng, lat])));
    outlines.set(key, outline);
  }
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const toLatLng = (ring: Ring): LatLng[] => {
    const out: LatLng[] = [];
    for (const [lng, lat] of ring) {
      const point: LatLng = [round(lat), round(lng)];
      const last = out[out.length - 1];
      if (!last || last[0] !== point[0] || last[1] !== point[1]) out.push(point);
    }
    return out;
  };
  return [...outlines.values()]
    .flatMap((outline) => districtAreas(outline, districts))
    .sort((a, b) => a.id - b.id)
    .map((a) => ({
      id: a.id,
      stateId: a.stateId,
      site: [round(a.site[1]), round(a.site[0])],
      moved: a.moved,
      exclave: a.exclave,
      polygons: a.area
        .map((polygon) => polygon.map(toLatLng).filter((ring) => ring.length >= 4))
        .filter((p) => p.length),
    }));
}
