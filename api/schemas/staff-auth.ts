/** TypeBox schemas of staff sign-in: who is signed in, and the token a sign-in answers. */
import { Type } from 'typebox';
import { StaffRole } from './planning.js';

/** The signed-in staff member: their role, and the state and district their role covers (none: all). */
export const StaffProfile = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: StaffRole,
  stateId: Type.Union([Type.Integer(), Type.Null()]),
  districtId: Type.Union([Type.Integer(), Type.Null()]),
});

export const StaffLogin = Type.Object({ token: Type.String(), expiresInSeconds: Type.Integer(), staff: StaffProfile });
