/**
 * The map's areas for the current district list: a state whose list changed since the map data was generated
 * (an admin imported the current list) is drawn again; every other state keeps its generated areas.
 */
import { describe, expect, it } from 'vitest';
import { pointInRegion, type MultiPolygon, type XY } from './district-areas';
import { areasForList } from './areas-for-list';
import { DISTRICT_AREAS } from './india-district-areas.generated';
import { INDIA_MAP_DATA } from './india-map-data.generated';

const GOA = 30;
const asXY = (polygons: [number, number][][][]): MultiPolygon =>
  polygons.map((polygon) => polygon.map((ring) => ring.map(([lat, lng]): XY => [lng, lat])));

describe('areas for the current district list (unit)', () => {
  it('are the generated areas while the list is the generated one', () => {
    expect(areasForList(DISTRICT_AREAS.areas, INDIA_MAP_DATA, INDIA_MAP_DATA.districts)).toBe(DISTRICT_AREAS.areas);
  });

  it("draw again only the state that has a new district, with the new district's centroid in its own cell", () => {
    const goa = INDIA_MAP_DATA.districts.filter((d) => d.stateId === GOA);
    expect(goa).toHaveLength(2);
    const ponda = { id: 30003, stateId: GOA, name: 'Ponda', lat: 15.4, lng: 74.02 };
    const current = [...INDIA_MAP_DATA.districts, ponda];

    const areas = areasForList(DISTRICT_AREAS.areas, INDIA_MAP_DATA, current);
    expect(areas).toHaveLength(DISTRICT_AREAS.areas.length + 1);
    const goaAreas = areas.filter((a) => a.stateId === GOA);
    expect(goaAreas.map((a) => a.id)).toEqual([...goa.map((d) => d.id), ponda.id]);
    for (const district of [...goa, ponda]) {
      const area = goaAreas.find((a) => a.id === district.id)!;
      expect(pointInRegion([district.lng, district.lat], asXY(area.polygons))).toBe(true);
    }
    // Every other state's areas are the generated ones, untouched.
    const generatedOf = new Map(DISTRICT_AREAS.areas.map((a) => [a.id, a]));
    for (const area of areas.filter((a) => a.stateId !== GOA)) expect(area).toBe(generatedOf.get(area.id));
  });

  it('draw a state again when a district is re-centred', () => {
    const [first] = INDIA_MAP_DATA.districts.filter((d) => d.stateId === GOA);
    const moved = INDIA_MAP_DATA.districts.map((d) => (d.id === first!.id ? { ...d, lat: d.lat + 0.05 } : d));
    const areas = areasForList(DISTRICT_AREAS.areas, INDIA_MAP_DATA, moved);
    const before = DISTRICT_AREAS.areas.find((a) => a.id === first!.id)!;
    const after = areas.find((a) => a.id === first!.id)!;
    expect(after).not.toBe(before);
    expect(after.site[0]).toBeCloseTo(first!.lat + 0.05, 3);
  });
});
