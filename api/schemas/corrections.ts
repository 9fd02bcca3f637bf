/** Corrections of a person's details: by the person once (portal), by an officer with a reason (console). */
import { Type, type Static } from 'typebox';
import { PlainText } from './common.js';
import { Gender, PersonInput, ReferenceId } from './v1.js';

const fields = {
  name: Type.Optional(PersonInput.properties.name),
  birthYear: Type.Optional(PersonInput.properties.birthYear),
  gender: Type.Optional(Gender),
  idType: Type.Optional(PersonInput.properties.idType),
  idNumber: Type.Optional(PersonInput.properties.idNumber),
};

export const CorrectionBody = Type.Object(fields, { additionalProperties: false });
export type CorrectionBody = Static<typeof CorrectionBody>;

export const OfficerCorrectionBody = Type.Object(
  { ...fields, reason: PlainText({ minLength: 3, maxLength: 300 }) },
  { additionalProperties: false },
);

export const CorrectionResult = Type.Object({
  referenceId: ReferenceId,
  fields: Type.Array(Type.String(), { description: 'what changed: name, birthYear, gender, photoId' }),
  person: Type.Object({
    name: Type.String(),
    birthYear: Type.Integer(),
    gender: Gender,
    idType: Type.Integer(),
    idNumberMasked: Type.String(),
  }),
  certificates: Type.Object({
    revoked: Type.Array(Type.String()),
    reissued: Type.Array(Type.String(), { description: 'issued again with the corrected details' }),
    failed: Type.Array(Type.String(), {
      description:
        'kinds (PROVISIONAL, FINAL) not issued again: the correction stands; an officer issues them again with POST /people/{referenceId}/certificates/reissue',
    }),
  }),
});
export type CorrectionResult = Static<typeof CorrectionResult>;

export const CertificateReissueBody = Type.Object(
  { reason: PlainText({ minLength: 3, maxLength: 300 }) },
  { additionalProperties: false },
);

export const CertificateReissueResult = Type.Object({
  referenceId: ReferenceId,
  reissued: Type.Array(Type.String(), { description: 'the certificates issued again, from the current record' }),
});
export type CertificateReissueResult = Static<typeof CertificateReissueResult>;
