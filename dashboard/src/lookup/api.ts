import type { Static } from 'typebox';
import type * as corrections from '../../../api/schemas/corrections';
import type * as elsewhere from '../../../api/schemas/doses-elsewhere';
import type * as lookup from '../../../api/schemas/person-lookup';
import { apiPost } from '../api/client';

// The server's own route schema: a change there that this screen does not follow fails its build.
export type PersonHistory = Static<typeof lookup.PersonHistory>;
export type PersonLookupBody = Static<typeof lookup.PersonLookupBody>;

export function lookUpPeople(body: PersonLookupBody, token: string) {
  return apiPost<Static<typeof lookup.PersonLookupResult>>('/api/v1/people/lookup', body, { token });
}

/** An officer's correction of a person's details (api/routes/v1/corrections.ts). */
export function correctAsOfficer(
  referenceId: string,
  body: Static<typeof corrections.OfficerCorrectionBody>,
  token: string,
) {
  return apiPost<Static<typeof corrections.CorrectionResult>>(`/api/v1/people/${referenceId}/correction`, body, {
    token,
  });
}

export type ElsewhereDoseBody = Static<typeof elsewhere.ElsewhereDoseBody>;

/** An officer adds a dose given elsewhere, with its evidence (api/routes/v1/doses-elsewhere.ts). */
export function addDoseGivenElsewhere(referenceId: string, body: ElsewhereDoseBody, token: string) {
  return apiPost<Static<typeof elsewhere.ElsewhereDoseResult>>(`/api/v1/people/${referenceId}/doses-elsewhere`, body, {
    token,
  });
}

/** An officer issues again the certificates a failed reissue left the person without (api/routes/v1/corrections.ts). */
export function reissueCertificates(
  referenceId: string,
  body: Static<typeof corrections.CertificateReissueBody>,
  token: string,
) {
  return apiPost<Static<typeof corrections.CertificateReissueResult>>(
    `/api/v1/people/${referenceId}/certificates/reissue`,
    body,
    { token },
  );
}
