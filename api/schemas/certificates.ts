/** TypeBox schemas of certificates: what the server's check of a certificate's QR payload answers. */
import { Type } from 'typebox';

/** Valid, invalid (and why) or revoked, and when valid whose certificate it is. */
export const CertificateVerification = Type.Object({
  status: Type.Union([Type.Literal('VALID'), Type.Literal('INVALID'), Type.Literal('REVOKED')]),
  reason: Type.Optional(Type.String()),
  certificateId: Type.Optional(Type.String()),
  holder: Type.Optional(
    Type.Object({
      name: Type.String(),
      age: Type.Integer(),
      gender: Type.String(),
      photoId: Type.String(),
      doses: Type.Integer(),
      kind: Type.String(),
      issuedOn: Type.String(),
    }),
  ),
});
