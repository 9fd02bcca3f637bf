/** Shape of the generated map data (see scripts/generate-map-data.ts). Coordinates are [lat, lng]. */
export type LatLng = [number, number];

export interface MapState {
  id: number;
  code: string;
  name: string;
  nameHi: string | null;
}

export interface StateShape {
  /** Shape id in the source (e.g. 'mh'). */
  id: string;
  name: string;
  /** Census state ids the shape stands for (one, except where the source predates a reorganisation). */
  stateIds: number[];
  polygons: LatLng[][];
}

export interface MapDistrict {
  id: number;
  stateId: number;
  name: string;
  lat: number;
  lng: number;
}

export interface MapData {
  attribution: { shapes: string; districts: string };
  projection: string;
  states: MapState[];
  shapes: StateShape[];
  districts: MapDistrict[];
}

/** One district's approximate area (see district-areas.ts). Coordinates are [lat, lng]. */
export interface DistrictAreaShape {
  id: number;
  stateId: number;
  /** The point the cell grew from: the centroid, or the nearest point inside the state when the centroid is not. */
  site: LatLng;
  /** The centroid lay outside its state's outline and was moved in. */
  moved: boolean;
  /** A district far outside its state's outline (an exclave the outline leaves out): a small square at its centroid. */
  exclave: boolean;
  /** Polygons, each an outer ring followed by its holes. */
  polygons: LatLng[][][];
}

export interface DistrictAreaData {
  method: string;
  areas: DistrictAreaShape[];
}
