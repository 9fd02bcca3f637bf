/**
 * The photo-ID types, free of Node so that the dashboard and workflow code may import them (domain/identity.ts
 * holds the rules that hash and check the numbers).
 */

/** Co-WIN's photo-ID type ids (partner apps send these numbers). */
export const ID_TYPES = [
  { id: 1, name: 'Aadhaar Card', pattern: /^[2-9][0-9]{11}$/ },
  { id: 2, name: 'Driving License', pattern: /^[A-Z]{2}[0-9]{2}[0-9A-Z]{9,12}$/ },
  {
    id: 3,
    name: 'Health Insurance Smart Card issued under the scheme of Ministry of Labour',
    pattern: /^[0-9A-Z]{8,20}$/,
  },
  { id: 4, name: 'MNREGA Job Card', pattern: /^[0-9A-Z/-]{8,30}$/ },
  { id: 5, name: 'Official Identity Card issued to MPs/MLAs', pattern: /^[0-9A-Z/-]{4,20}$/ },
  { id: 6, name: 'PAN Card', pattern: /^[A-Z]{5}[0-9]{4}[A-Z]$/ },
  { id: 7, name: 'Passbook issued by Bank/Post Office', pattern: /^[0-9A-Z]{6,20}$/ },
  { id: 8, name: 'Passport', pattern: /^[A-Z][0-9]{7}$/ },
  { id: 9, name: 'Pension Document', pattern: /^[0-9A-Z/-]{6,20}$/ },
  {
    id: 10,
    name: 'Service Identity Card issued to employees by Central/State Govt./PSUs/Public Limited Companies',
    pattern: /^[0-9A-Z/-]{4,20}$/,
  },
  { id: 11, name: 'NPR Smart Card', pattern: /^[0-9A-Z]{8,20}$/ },
  { id: 12, name: 'Voter ID', pattern: /^[A-Z]{3}[0-9]{7}$/ },
  { id: 13, name: 'Others', pattern: /^[0-9A-Z/-]{4,30}$/ },
] as const;

/** A Co-WIN photo-ID type id. */
export type IdTypeId = (typeof ID_TYPES)[number]['id'];

/**
 * The photo-ID types the screens offer (the portal's registration, an officer's correction, an identity dispute),
 * in the order they list them; the dashboard names each in common.json's idType.
 */
export const OFFERED_ID_TYPES: readonly IdTypeId[] = [1, 6, 8, 12, 2];

/** Whether the screens offer (and name) this photo-ID type. */
export function isOfferedIdType(idType: number): boolean {
  return OFFERED_ID_TYPES.some((id) => id === idType);
}
