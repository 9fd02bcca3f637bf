/** TypeBox schemas of the officers' reports (the reports themselves are CSV or XLSX files). */
import { Type } from 'typebox';

/** A district's blocks and their session sites: the places a due list can be narrowed to. */
export const ReportPlaces = Type.Object({
  districtId: Type.Integer(),
  blocks: Type.Array(
    Type.Object({
      block: Type.String(),
      sites: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
    }),
  ),
});
