/** Certificate inputs and key rings for the certificate tests; no database involved. */
import type { IssueCertificateInput } from '../../certificates/credential.js';
import { generateSigningJwk, keyRingFromJwks, type KeyRing } from '../../certificates/keys.js';

/** Long but real-looking names and sites: the QR payload size is measured on this. */
export function twoDoseInput(overrides: Partial<IssueCertificateInput> = {}): IssueCertificateInput {
  const site = {
    name: 'Bengaluru Shivajinagar Urban Primary Health Centre',
    district: 'Bengaluru Urban',
    state: 'Karnataka',
  };
  return {
    holder: {
      referenceId: '12345678901234',
      name: 'Lakshmi Venkataraman Subramanian',
      birthYear: 1962,
      gender: 'F',
      photoIdLast4: '4821',
    },
    doses: [
      {
        doseNumber: 1,
        totalDoses: 2,
        vaccine: 'Covishield',
        batch: '4121Z025',
        administeredAt: new Date('2026-08-01T05:00:00Z'),
        site,
        vaccinatorName: 'Dr. Priyadarshini Raghavendra',
      },
      {
        doseNumber: 2,
        totalDoses: 2,
        vaccine: 'Covishield',
        batch: '4121Z117',
        administeredAt: new Date('2026-10-24T06:30:00Z'),
        site,
        vaccinatorName: 'Dr. Priyadarshini Raghavendra',
      },
    ],
    kind: 'FINAL',
    // 20:00 UTC is already the next day in India.
    issuedAt: new Date('2026-11-27T20:00:00Z'),
    ...overrides,
  };
}

export async function newKeyRing(): Promise<KeyRing> {
  return keyRingFromJwks([await generateSigningJwk()]);
}
