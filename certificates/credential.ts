/**
 * Issues a certificate: builds the compact claims from plain data, signs them, and expands them into the
 * Verifiable Credential. No database access here: the caller gathers the input and stores the result.
 */
import { indiaDate } from '../domain/time.js';
import {
  type CertificateKind,
  COMPACT_CLAIMS_VERSION,
  type CompactClaims,
  expandCompactClaims,
  type Gender,
  type VaccinationCredential,
} from './certificate-format.js';
import type { KeyRing } from './keys.js';

/** The issuer named in certificates of deployments that do not set their own. */
export const DEFAULT_ISSUER = 'urn:teeka';

export interface CertificateHolder {
  /** The beneficiary's reference id (`beneficiary.reference_id`). */
  referenceId: string;
  name: string;
  birthYear: number;
  gender: Gender;
  /** Last 4 digits of the photo-ID number (`beneficiary.id_last4`), the only digits ever stored. */
  photoIdLast4: string;
}

export interface AdministeredDose {
  doseNumber: number;
  /** Doses in the vaccine's schedule (`vaccine.doses`). */
  totalDoses: number;
  /** Vaccine name as people know it, e.g. 'Covishield'. */
  vaccine: string;
  batch: string;
  administeredAt: Date;
  site: { name: string; district: string; state: string };
  /** The vaccinator; for a dose given elsewhere, the officer who added it from evidence. */
  vaccinatorName: string;
  /** Given elsewhere and added by an officer from evidence, not at a Teeka session. */
  recordedByOfficer?: boolean;
}

export interface IssueCertificateInput {
  holder: CertificateHolder;
  doses: AdministeredDose[];
  kind: CertificateKind;
  issuedAt: Date;
  /** A URI naming the issuing authority; defaults to DEFAULT_ISSUER. */
  issuer?: string;
}

export interface IssuedCertificate {
  id: string;
  /** The compact JWS: what the QR code holds and `certificate.jws` stores. */
  jws: string;
  claims: VaccinationCredential;
}

export async function issueCertificate(input: IssueCertificateInput, keyRing: KeyRing): Promise<IssuedCertificate> {
  if (input.doses.length === 0) throw new Error('a certificate needs at least one dose');
  const id = newCertificateId();
  const compact = compactClaims(id, input);
  const jws = await keyRing.sign(new TextEncoder().encode(JSON.stringify(compact)));
  return { id, jws, claims: expandCompactClaims(compact) };
}

const CERTIFICATE_ID_DIGITS = 12;

/**
 * 12 random digits, the first not 0, so the id reads aloud and types into a form. Uniqueness is the
 * certificate table's primary key: on the rare conflict (about 1 draw in 9,000 once 100 million
 * certificates exist) issue again, which draws a new id.
 */
export function newCertificateId(): string {
  const digits: number[] = [];
  const random = new Uint8Array(32);
  while (digits.length < CERTIFICATE_ID_DIGITS) {
    crypto.getRandomValues(random);
    for (const byte of random) {
      // Bytes from 250 up would make 0-5 likelier than 6-9.
      if (byte >= 250 || (digits.length === 0 && byte % 10 === 0)) continue;
      digits.push(byte % 10);
      if (digits.length === CERTIFICATE_ID_DIGITS) break;
    }
  }
  return digits.join('');
}

/** Photo-ID numbers are shown as Aadhaar-length masks: 'XXXXXXXX' and the last 4 digits. */
function maskPhotoId(last4: string): string {
  return `XXXXXXXX${last4}`;
}

function compactClaims(
  id: string,
  { holder, doses, kind, issuedAt, issuer = DEFAULT_ISSUER }: IssueCertificateInput,
): CompactClaims {
  return {
    v: COMPACT_CLAIMS_VERSION,
    id,
    k: kind === 'FINAL' ? 'F' : 'P',
    is: issuer,
    t: Math.floor(issuedAt.getTime() / 1000),
    s: {
      r: holder.referenceId,
      n: holder.name,
      // Only the birth year is recorded, so age is by calendar year, as Co-WIN counted it.
      a: Number(indiaDate(issuedAt).slice(0, 4)) - holder.birthYear,
      g: holder.gender,
      p: maskPhotoId(holder.photoIdLast4),
    },
    e: [...doses]
      .sort((a, b) => a.doseNumber - b.doseNumber)
      .map((dose) => ({
        n: dose.doseNumber,
        of: dose.totalDoses,
        v: dose.vaccine,
        b: dose.batch,
        d: indiaDate(dose.administeredAt),
        f: dose.site.name,
        di: dose.site.district,
        st: dose.site.state,
        by: dose.vaccinatorName,
        ...(dose.recordedByOfficer ? { o: 1 as const } : {}),
      })),
  };
}
