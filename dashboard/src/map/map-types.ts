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
