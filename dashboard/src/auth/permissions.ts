/**
 * What each staff role may open, mirroring the API's checks (api/plugins/auth.ts, api/auth/jurisdiction.ts):
 * the UI hides what the server would refuse anyway, so nobody is shown a page of 403s.
 */
import type { Static } from 'typebox';
import type * as planning from '../../../api/schemas/planning';
import type * as staffAuth from '../../../api/schemas/staff-auth';

export type StaffRole = Static<typeof planning.StaffRole>;
/** The signed-in staff member, as sign-in answers (api/schemas/staff-auth.ts). */
export type StaffProfile = Static<typeof staffAuth.StaffProfile>;

export type Section =
  | 'war-room'
  | 'district'
  | 'planning'
  | 'reports'
  | 'audit'
  | 'priority'
  | 'batches'
  | 'identity'
  | 'lookup'
  | 'dry-runs'
  | 'vaccinator'
  | 'beneficiary'
  | 'verify'
  | 'figures'
  | 'login'
  | 'status';

const PUBLIC_SECTIONS: Section[] = ['beneficiary', 'verify', 'figures', 'status'];
const STAFF_SECTIONS: Record<StaffRole, Section[]> = {
  VACCINATOR: ['vaccinator', 'lookup'],
  DISTRICT_OFFICER: [
    'war-room',
    'district',
    'planning',
    'reports',
    'lookup',
    'identity',
    'dry-runs',
    'priority',
    'batches',
  ],
  STATE_OFFICER: [
    'war-room',
    'district',
    'planning',
    'reports',
    'lookup',
    'identity',
    'dry-runs',
    'priority',
    'batches',
    'audit',
  ],
  NATIONAL_ADMIN: [
    'war-room',
    'district',
    'planning',
    'reports',
    'lookup',
    'identity',
    'dry-runs',
    'priority',
    'batches',
    'audit',
  ],
};

export function visibleSections(staff: StaffProfile | undefined): Section[] {
  return staff ? [...STAFF_SECTIONS[staff.role], ...PUBLIC_SECTIONS] : ['login', ...PUBLIC_SECTIONS];
}

export function canOpen(staff: StaffProfile | undefined, section: Section): boolean {
  return visibleSections(staff).includes(section);
}

export type WarRoomView = { level: 'national' } | { level: 'state'; id: number } | { level: 'district'; id: number };

/** The widest war-room view a person may see: where their war room opens. */
export function homeWarRoom(staff: StaffProfile): WarRoomView | undefined {
  switch (staff.role) {
    case 'NATIONAL_ADMIN':
      return { level: 'national' };
    case 'STATE_OFFICER':
      return staff.stateId ? { level: 'state', id: staff.stateId } : undefined;
    case 'DISTRICT_OFFICER':
      return staff.districtId ? { level: 'district', id: staff.districtId } : undefined;
    default:
      return undefined;
  }
}

/** Whether a view lies within the person's jurisdiction; `stateOfDistrict` answers which state a district is in. */
export function mayView(
  staff: StaffProfile,
  view: WarRoomView,
  stateOfDistrict: (districtId: number) => number | undefined,
): boolean {
  if (staff.role === 'NATIONAL_ADMIN') return true;
  if (staff.role === 'STATE_OFFICER') {
    if (view.level === 'national') return false;
    if (view.level === 'state') return view.id === staff.stateId;
    return stateOfDistrict(view.id) === staff.stateId;
  }
  if (staff.role === 'DISTRICT_OFFICER') return view.level === 'district' && view.id === staff.districtId;
  return false;
}

/** Officers above a district pick which district their console shows; a district officer has one. */
export function picksDistrict(staff: StaffProfile): boolean {
  return staff.role === 'STATE_OFFICER' || staff.role === 'NATIONAL_ADMIN';
}

export const ROLE_LABELS: Record<StaffRole, string> = {
  VACCINATOR: 'Vaccinator',
  DISTRICT_OFFICER: 'District officer',
  STATE_OFFICER: 'State officer',
  NATIONAL_ADMIN: 'National admin',
};
