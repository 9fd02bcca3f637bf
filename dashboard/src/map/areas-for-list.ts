/**
 * The war-room map's approximate district areas for the current district list (district-list.ts). Apart from the
 * list itself, so only the map's chunk carries the geometry libraries.
 */
import { drawDistrictAreas } from './district-areas';
import type { DistrictAreaShape, MapData, MapDistrict } from './map-types';

const sameList = (a: readonly MapDistrict[], b: readonly MapDistrict[]) =>
  a.length === b.length && a.every((d, i) => d.id === b[i]!.id && d.lat === b[i]!.lat && d.lng === b[i]!.lng);

/**
 * The approximate district areas for `current`: the generated ones, except for the states whose districts (ids or
 * centroids) are no longer those the areas were generated from; those states' areas are drawn again here, by the
 * same build step, so an imported district has its area on the map at once.
 */
export function areasForList(
  generated: readonly DistrictAreaShape[],
  map: Pick<MapData, 'shapes' | 'districts'>,
  current: readonly MapDistrict[],
): readonly DistrictAreaShape[] {
  const byId = (a: MapDistrict, b: MapDistrict) => a.id - b.id;
  const redraw = new Map<string, number[]>();
  for (const shape of map.shapes) {
    const key = shape.stateIds.join('+');
    if (redraw.has(key)) continue;
    const of = (districts: readonly MapDistrict[]) =>
      districts.filter((d) => shape.stateIds.includes(d.stateId)).sort(byId);
    if (!sameList(of(map.districts), of(current))) redraw.set(key, shape.stateIds);
  }
  if (!redraw.size) return generated;
  const stateIds = new Set([...redraw.values()].flat());
  const drawn = drawDistrictAreas(
    map.shapes.filter((shape) => shape.stateIds.some((id) => stateIds.has(id))),
    current.filter((d) => stateIds.has(d.stateId)),
  );
  return [...generated.filter((area) => !stateIds.has(area.stateId)), ...drawn].sort((a, b) => a.id - b.id);
}
