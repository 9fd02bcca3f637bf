/**
 * Who plans and manages whom. Officers plan within their jurisdiction (api/auth/jurisdiction.ts); staff are
 * managed one level down: a national admin manages everyone, a state officer the district officers and
 * vaccinators of their state, a district officer the vaccinators of their district.
 */
import type { Db } from '../../../../db/connection.js';
import type { StaffRole } from '../../../../db/schema.js';
import { assertDistrictAccess } from '../../../auth/jurisdiction.js';
import type { StaffPrincipal } from '../../../plugins/auth.js';

export const OFFICER_ROLES: StaffRole[] = ['DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'];

/** Where a list is drawn from: the district asked for (if the caller may see it), else all the caller's area. */
export type ListScope = { districtId: number } | { stateId: number } | Record<string, never>;

export async function listScope(db: Db, staff: StaffPrincipal, districtId: number | undefined): Promise<ListScope> {
  if (districtId !== undefined) {
    await assertDistrictAccess(db, staff, districtId);
    return { districtId };
  }
  switch (staff.role) {
    case 'NATIONAL_ADMIN':
      return {};
    case 'STATE_OFFICER':
      return { stateId: staff.stateId! };
    case 'DISTRICT_OFFICER':
    case 'VACCINATOR':
      return { districtId: staff.districtId! };
  }
}

/** Why `caller` may not create or manage a staff member like `target`; undefined when they may. */
export function staffManagementRefusal(
  caller: StaffPrincipal,
  target: { role: StaffRole; stateId: number | null; districtId: number | null },
): string | undefined {
  switch (caller.role) {
    case 'NATIONAL_ADMIN':
      return undefined;
    case 'STATE_OFFICER':
      if (target.role !== 'DISTRICT_OFFICER' && target.role !== 'VACCINATOR')
        return 'a state officer manages only district officers and vaccinators';
      if (target.stateId !== caller.stateId) return 'that district is outside your state';
      return undefined;
    case 'DISTRICT_OFFICER':
      if (target.role !== 'VACCINATOR') return 'a district officer manages only vaccinators';
      if (target.districtId !== caller.districtId) return 'that district is outside your jurisdiction';
      return undefined;
    case 'VACCINATOR':
      return 'vaccinators do not manage staff';
  }
}
