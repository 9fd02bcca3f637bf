/** TypeBox schemas of the geography the pickers and the map read: states and districts. */
import { Type } from 'typebox';

export const GeoStates = Type.Object({
  states: Type.Array(
    Type.Object({
      id: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      nameHi: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

/** Every district with its state and centroid: the current list, with any an admin's import added. */
export const GeoDistricts = Type.Object({
  districts: Type.Array(
    Type.Object({
      id: Type.Integer(),
      stateId: Type.Integer(),
      name: Type.String(),
      nameHi: Type.Union([Type.String(), Type.Null()]),
      lat: Type.Number(),
      lng: Type.Number(),
    }),
  ),
});

/** A state's districts, with their centroids. */
export const StateDistricts = Type.Object({
  districts: Type.Array(
    Type.Object({ id: Type.Integer(), name: Type.String(), lat: Type.Number(), lng: Type.Number() }),
  ),
});
