import { homeWarRoom, type StaffProfile } from './permissions';

/** Where "/" leads: each person's own working screen. */
export function homePathFor(staff: StaffProfile | undefined): string {
  if (!staff) return '/beneficiary';
  if (staff.role === 'VACCINATOR') return '/vaccinator';
  return homeWarRoom(staff) ? '/war-room' : '/district';
}
