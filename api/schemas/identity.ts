/** TypeBox schemas of identity for officers: photo-ID disputes and possible duplicate registrations. */
import { Type } from 'typebox';

/** The registration that holds a disputed photo ID (masked). */
export const IdentityHolder = Type.Object({
  referenceId: Type.String(),
  name: Type.String(),
  birthYear: Type.Integer(),
  gender: Type.String(),
  idType: Type.Integer(),
  idNumberMasked: Type.String(),
  stage: Type.String(),
  doses: Type.Integer(),
  registeredAt: Type.String(),
  mobileMasked: Type.String(),
});

/** A claim that someone else registered the claimant's photo ID first. */
export const IdentityDispute = Type.Object({
  disputeId: Type.String(),
  districtId: Type.Integer(),
  status: Type.Union([Type.Literal('OPEN'), Type.Literal('RELEASED'), Type.Literal('REJECTED')]),
  claimant: Type.Object({ name: Type.String(), birthYear: Type.Integer(), gender: Type.String() }),
  holder: IdentityHolder,
  openedAt: Type.String(),
  decisionReason: Type.Union([Type.String(), Type.Null()]),
});

/** A registration of a possible duplicate pair (masked), and whether it has been withdrawn. */
export const DuplicateRegistration = Type.Object({
  referenceId: Type.String(),
  name: Type.String(),
  birthYear: Type.Integer(),
  gender: Type.String(),
  idType: Type.Integer(),
  idNumberMasked: Type.String(),
  stage: Type.String(),
  doses: Type.Integer(),
  registeredAt: Type.String(),
  mobileMasked: Type.String(),
  withdrawn: Type.Boolean(),
});

/** Two registrations that may be one person under two ID types, and an officer's review of them. */
export const DuplicateHint = Type.Object({
  hintId: Type.String(),
  flaggedAt: Type.String(),
  /** The later registration, then the earlier one it resembles. */
  registration: DuplicateRegistration,
  other: DuplicateRegistration,
  outcome: Type.Union([Type.Literal('SAME_PERSON'), Type.Literal('DIFFERENT_PEOPLE'), Type.Null()]),
  reviewReason: Type.Union([Type.String(), Type.Null()]),
});
