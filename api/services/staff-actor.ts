import type { Actor } from '../../db/repositories/audit.js';
import type { StaffPrincipal } from '../plugins/auth.js';

export type StaffActor = Actor & { id: string };

/** A staff member as the actor of an audit row or a write. */
export function staffActor(staff: StaffPrincipal): StaffActor {
  return { type: 'STAFF', id: staff.staffId, role: staff.role };
}
