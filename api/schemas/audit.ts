/** TypeBox schemas of the audit viewer: an audit entry, and a page of them. */
import { Type } from 'typebox';

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorType: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  source: Type.String(),
  details: Type.Unknown(),
});

/** A page of entries, newest first, and the id to read the next page before (none: this was the last). */
export const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry),
  next: Type.Union([Type.Integer(), Type.Null()]),
});
