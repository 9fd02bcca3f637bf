/**
 * Joins the generated map data (shapes, district centroids) with API rows by key. Nothing is dropped
 * silently: rows the map cannot place are returned as `unplaced` so the page can list them.
 */
import type { AreaStats } from '../warroom/types';
import { coveragePercent } from './colour-scale';
import type { DistrictAreaShape, StateShape } from './map-types';

export interface ShapeStats {
  shape: StateShape;
  /** Rows the shape stands for (a shape can cover two states where the source predates a reorganisation). */
  rows: AreaStats[];
  target: number;
  targetIsDemo: boolean;
  dose1: number;
  fully: number;
  dose1Percent: number | undefined;
  fullyPercent: number | undefined;
  /** Name to show: the rows' names when the shape covers several states. */
  label: string;
}

export function joinStateShapes(
  shapes: readonly StateShape[],
  rows: readonly AreaStats[],
): { joined: ShapeStats[]; unplaced: AreaStats[] } {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const placed = new Set<number>();
  const joined = shapes.map((shape) => {
    const shapeRows = shape.stateIds.map((id) => byId.get(id)).filter((row): row is AreaStats => row !== undefined);
    shapeRows.forEach((row) => placed.add(row.id));
    const target = sum(shapeRows, (r) => r.target);
    const dose1 = sum(shapeRows, (r) => r.dose1);
    const fully = sum(shapeRows, (r) => r.fully);
    return {
      shape,
      rows: shapeRows,
      target,
      targetIsDemo: shapeRows.some((r) => r.targetIsDemo),
      dose1,
      fully,
      dose1Percent: coveragePercent(dose1, target),
      fullyPercent: coveragePercent(fully, target),
      label: shapeRows.length > 1 ? shapeRows.map((r) => r.name).join(' + ') : (shapeRows[0]?.name ?? shape.name),
    };
  });
  return { joined, unplaced: rows.filter((row) => !placed.has(row.id)) };
}

export interface DistrictAreaStats {
  area: DistrictAreaShape;
  /** The district's figures; undefined when the API sent no row for it (no data yet). */
  row: AreaStats | undefined;
  dose1Percent: number | undefined;
  fullyPercent: number | undefined;
}

/**
 * Every approximate district area with its row. Rows the map has no area for (districts added after the map data
 * was generated, by an admin's import of the current list) come back as `unplaced`, for the page to name.
 */
export function joinDistrictAreas(
  areas: readonly DistrictAreaShape[],
  rows: readonly AreaStats[],
): { areas: DistrictAreaStats[]; unplaced: AreaStats[] } {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const known = new Set(areas.map((a) => a.id));
  return {
    areas: areas.map((area) => {
      const row = byId.get(area.id);
      return {
        area,
        row,
        dose1Percent: row && coveragePercent(row.dose1, row.target),
        fullyPercent: row && coveragePercent(row.fully, row.target),
      };
    }),
    // A live district id the page has only seen as a number (no row yet from a read) is not worth naming.
    unplaced: rows.filter((row) => !known.has(row.id) && row.name !== String(row.id)),
  };
}

/** The shapes to frame for a view: all of India, one state's shape(s), or a district's state. */
export function shapesForState(shapes: readonly StateShape[], stateId: number): StateShape[] {
  return shapes.filter((shape) => shape.stateIds.includes(stateId));
}

/** [[south, west], [north, east]] around the given polygons and points. */
export function boundsOf(
  polygons: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
  points: ReadonlyArray<readonly [number, number]> = [],
): [[number, number], [number, number]] | undefined {
  const all = [...polygons.flat(), ...points];
  if (!all.length) return undefined;
  let south = Infinity;
  let west = Infinity;
  let north = -Infinity;
  let east = -Infinity;
  for (const [lat, lng] of all) {
    south = Math.min(south, lat);
    north = Math.max(north, lat);
    west = Math.min(west, lng);
    east = Math.max(east, lng);
  }
  return [
    [south, west],
    [north, east],
  ];
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + (pick(item) || 0), 0);
}
