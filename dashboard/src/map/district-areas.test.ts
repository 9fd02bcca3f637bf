/**
 * The build step that draws approximate district areas (district-areas.ts, run by scripts/generate-map-data.ts and in the browser): on small made-up states whose
 * answer is known, and on the committed generated data the war-room map draws.
 */
import { describe, expect, it } from 'vitest';
import {
  areaOutside,
  distanceToEdge,
  districtAreas,
  ISLET_HALF_SIDE_DEGREES,
  MAX_MOVE_DEGREES,
  outlineRegion,
  pointInRegion,
  regionArea,
  type MultiPolygon,
  type XY,
} from './district-areas';
import { DISTRICT_AREAS } from './india-district-areas.generated';
import { INDIA_MAP_DATA } from './india-map-data.generated';

const square = (x0: number, y0: number, side: number): XY[] => [
  [x0, y0],
  [x0 + side, y0],
  [x0 + side, y0 + side],
  [x0, y0 + side],
];

describe('district areas from centroids (unit)', () => {
  it('splits a square state into the four quadrants of four symmetric centroids', () => {
    const areas = districtAreas({ stateIds: [1], rings: [square(0, 0, 2)] }, [
      { id: 1, stateId: 1, lng: 0.5, lat: 0.5 },
      { id: 2, stateId: 1, lng: 1.5, lat: 0.5 },
      { id: 3, stateId: 1, lng: 0.5, lat: 1.5 },
      { id: 4, stateId: 1, lng: 1.5, lat: 1.5 },
      { id: 9, stateId: 2, lng: 0.5, lat: 0.5 }, // another state's district is not part of this outline
    ]);
    expect(areas.map((a) => a.id)).toEqual([1, 2, 3, 4]);
    for (const area of areas) {
      expect(regionArea(area.area)).toBeCloseTo(1, 6);
      expect(pointInRegion(area.site, area.area)).toBe(true);
      expect(area.moved).toBe(false);
    }
  });

  it('keeps holes: a state around another gets no area inside the hole', () => {
    const rings = [square(0, 0, 4), square(1, 1, 2)];
    expect(regionArea(outlineRegion(rings))).toBeCloseTo(12, 6);
    const [only] = districtAreas({ stateIds: [1], rings }, [{ id: 1, stateId: 1, lng: 0.5, lat: 0.5 }]);
    expect(regionArea(only!.area)).toBeCloseTo(12, 6);
    expect(pointInRegion([2, 2], only!.area)).toBe(false);
  });

  it('moves a centroid that lies outside its outline to a point inside it, near where it was', () => {
    const [inland, offshore] = districtAreas({ stateIds: [1], rings: [square(0, 0, 2)] }, [
      { id: 1, stateId: 1, lng: 0.5, lat: 1 },
      { id: 2, stateId: 1, lng: 2.1, lat: 1 }, // in the sea east of the state
    ]);
    expect(inland!.moved).toBe(false);
    expect(offshore!.moved).toBe(true);
    expect(pointInRegion(offshore!.site, offshore!.area)).toBe(true);
    expect(Math.hypot(offshore!.site[0] - 2.1, offshore!.site[1] - 1)).toBeLessThan(0.2);
    expect(regionArea(inland!.area) + regionArea(offshore!.area)).toBeCloseTo(4, 6);
  });

  it('gives two districts filed at the same position an area each', () => {
    const areas = districtAreas({ stateIds: [1], rings: [square(0, 0, 2)] }, [
      { id: 1, stateId: 1, lng: 1, lat: 1 },
      { id: 2, stateId: 1, lng: 1, lat: 1 },
    ]);
    for (const area of areas) expect(regionArea(area.area)).toBeGreaterThan(0.5);
  });
});

describe('the committed district areas (dashboard/src/map/india-district-areas.generated.ts)', () => {
  // One outline per group of shapes (Jammu and Kashmir with Ladakh is one shape in the source).
  const outlines = new Map<string, { stateIds: number[]; region: MultiPolygon }>();
  for (const shape of INDIA_MAP_DATA.shapes) {
    const key = shape.stateIds.join('+');
    const rings = INDIA_MAP_DATA.shapes
      .filter((s) => s.stateIds.join('+') === key)
      .flatMap((s) => s.polygons.map((ring) => ring.map(([lat, lng]): XY => [lng, lat])));
    outlines.set(key, { stateIds: shape.stateIds, region: outlineRegion(rings) });
  }
  const outlineOfState = new Map(
    [...outlines.values()].flatMap((o) => o.stateIds.map((id) => [id, o.region] as const)),
  );
  const asXY = (polygons: [number, number][][][]): MultiPolygon =>
    polygons.map((polygon) => polygon.map((ring) => ring.map(([lat, lng]): XY => [lng, lat])));
  const areaOf = new Map(DISTRICT_AREAS.areas.map((a) => [a.id, a]));

  it('has an area for every district the map knows', () => {
    const missing = INDIA_MAP_DATA.districts.filter((d) => !areaOf.get(d.id)?.polygons.length).map((d) => d.id);
    expect(missing).toEqual([]);
  });

  it("puts every district's centroid inside its own cell (or, when it lies off its state's outline, a point moved a little inside)", () => {
    const wrong: string[] = [];
    for (const district of INDIA_MAP_DATA.districts) {
      const area = areaOf.get(district.id)!;
      const cell = asXY(area.polygons);
      const centroid: XY = [district.lng, district.lat];
      const site: XY = [area.site[1], area.site[0]];
      const outline = outlineOfState.get(district.stateId)!;
      if (area.exclave) {
        if (!pointInRegion(centroid, cell)) wrong.push(`${district.id}: exclave square misses its centroid`);
        if (distanceToEdge(centroid, outline) <= MAX_MOVE_DEGREES) wrong.push(`${district.id}: exclave near its state`);
      } else if (!area.moved) {
        if (!pointInRegion(centroid, cell)) wrong.push(`${district.id} ${district.name}: centroid outside its cell`);
      } else {
        if (pointInRegion(centroid, outline)) wrong.push(`${district.id}: moved although inside its state`);
        if (!pointInRegion(site, cell)) wrong.push(`${district.id}: moved site outside its cell`);
        if (Math.hypot(site[0] - centroid[0], site[1] - centroid[1]) > MAX_MOVE_DEGREES + 0.05)
          wrong.push(`${district.id}: moved further than ${MAX_MOVE_DEGREES}°`);
      }
    }
    expect(wrong).toEqual([]);
    // Only the few centroids that GeoNames places off the simplified outlines are moved.
    expect(DISTRICT_AREAS.areas.filter((a) => a.moved || a.exclave).length).toBeLessThan(20);
  });

  it("keeps every cell inside its state's outline, and the cells of a state do not overlap", () => {
    const wrong: string[] = [];
    for (const { stateIds, region: outline } of outlines.values()) {
      const stateId = stateIds.join('+');
      const cells = DISTRICT_AREAS.areas
        .filter((a) => stateIds.includes(a.stateId) && !a.exclave)
        .map((a) => asXY(a.polygons));
      const total = cells.reduce((sum, cell) => sum + regionArea(cell), 0);
      const outlineArea = regionArea(outline);
      if (outlineArea === 0) {
        // An outline with no area left (islets): each district is a small square around its centroid.
        for (const cell of cells)
          if (regionArea(cell) > (2 * ISLET_HALF_SIDE_DEGREES) ** 2 + 1e-6)
            wrong.push(`state ${stateId}: islet too big`);
        continue;
      }
      for (const [i, cell] of cells.entries()) {
        // Rounding to 3 decimals may leave a sliver of a cell a few metres over the line.
        const outside = areaOutside(cell, outline);
        if (outside > 0.005 * regionArea(cell) + 1e-5)
          wrong.push(`state ${stateId} cell ${i}: ${outside} deg² outside`);
      }
      // Cells tile the state: together they cover it once (overlaps would make the sum larger).
      if (Math.abs(total - outlineArea) > 0.01 * outlineArea + 1e-4)
        wrong.push(`state ${stateId}: cells cover ${total} of ${outlineArea} deg²`);
    }
    expect(wrong).toEqual([]);
  });
});
