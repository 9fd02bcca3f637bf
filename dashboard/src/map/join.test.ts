import { describe, expect, it } from 'vitest';
import type { AreaStats } from '../warroom/types';
import { INDIA_MAP_DATA } from './india-map-data.generated';
import { DISTRICT_AREAS } from './india-district-areas.generated';
import { boundsOf, joinDistrictAreas, joinStateShapes } from './join';

function row(id: number, name: string, fields: Partial<AreaStats> = {}): AreaStats {
  return { id, name, target: 1000, targetIsDemo: true, dose1: 0, fully: 0, dosesToday: 0, dosesLastHour: 0, ...fields };
}

describe('generated map data', () => {
  it('has a shape for every state and UT of the seed geography, and a centroid for every district', () => {
    const covered = new Set(INDIA_MAP_DATA.shapes.flatMap((s) => s.stateIds));
    for (const state of INDIA_MAP_DATA.states) expect(covered, state.name).toContain(state.id);
    expect(INDIA_MAP_DATA.districts.length).toBeGreaterThan(600);
    for (const shape of INDIA_MAP_DATA.shapes) expect(shape.polygons.length, shape.name).toBeGreaterThan(0);
  });

  it('puts the outlines where India is (lat 6–38 N, lng 68–98 E) and credits its sources', () => {
    const [[south, west], [north, east]] = boundsOf(INDIA_MAP_DATA.shapes.flatMap((s) => s.polygons))!;
    expect(south).toBeGreaterThan(6);
    expect(north).toBeLessThan(38);
    expect(west).toBeGreaterThan(67.5);
    expect(east).toBeLessThan(98);
    expect(INDIA_MAP_DATA.attribution.shapes).toMatch(/CC BY 4\.0/);
    expect(INDIA_MAP_DATA.attribution.districts).toMatch(/GeoNames/);
  });
});

describe('joining API rows to map shapes', () => {
  it('colours Maharashtra from its own row', () => {
    const { joined, unplaced } = joinStateShapes(INDIA_MAP_DATA.shapes, [
      row(27, 'Maharashtra', { target: 2000, dose1: 500, fully: 100 }),
    ]);
    const mh = joined.find((j) => j.shape.id === 'mh')!;
    expect(mh.dose1Percent).toBe(25);
    expect(mh.fullyPercent).toBe(5);
    expect(mh.label).toBe('Maharashtra');
    expect(unplaced).toEqual([]);
  });

  it('adds up the states a shape stands for (Jammu and Kashmir with Ladakh) and keeps the demo flag', () => {
    const rows = [
      row(1, 'Jammu and Kashmir', { target: 1000, dose1: 100, targetIsDemo: false }),
      row(37, 'Ladakh', { target: 1000, dose1: 300, targetIsDemo: true }),
    ];
    const jk = joinStateShapes(INDIA_MAP_DATA.shapes, rows).joined.find((j) => j.shape.id === 'jk')!;
    expect(jk.target).toBe(2000);
    expect(jk.dose1Percent).toBe(20);
    expect(jk.targetIsDemo).toBe(true);
    expect(jk.label).toBe('Jammu and Kashmir + Ladakh');
  });

  it('leaves shapes without rows uncoloured and reports rows it cannot place', () => {
    const { joined, unplaced } = joinStateShapes(INDIA_MAP_DATA.shapes, [row(99, 'Nowhere')]);
    expect(joined.every((j) => j.dose1Percent === undefined)).toBe(true);
    expect(unplaced.map((r) => r.id)).toEqual([99]);
  });

  it('gives every district area its row, and names rows the map has no area for', () => {
    const pune = row(27024, 'Pune', { dosesLastHour: 12, target: 1000, dose1: 400 });
    const added = row(27999, 'A district imported after the map was drawn');
    const { areas, unplaced } = joinDistrictAreas(DISTRICT_AREAS.areas, [pune, added]);
    expect(areas).toHaveLength(DISTRICT_AREAS.areas.length);
    const puneArea = areas.find((a) => a.area.id === 27024)!;
    expect(puneArea.row?.dosesLastHour).toBe(12);
    expect(puneArea.dose1Percent).toBe(40);
    expect(puneArea.area.stateId).toBe(27);
    expect(areas.find((a) => a.area.id === 7003)!.row).toBeUndefined();
    expect(unplaced.map((r) => r.id)).toEqual([27999]);
  });
});
