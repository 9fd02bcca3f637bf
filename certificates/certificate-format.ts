/**
 * The signed certificate format: the compact claims inside the QR code's JWS, and the W3C Verifiable
 * Credential they expand to. The credential is a pure function of the signed claims, so anyone holding
 * the JWS (the QR code, or the `certificate.jws` column) can rebuild the whole credential, and nothing
 * in it is unsigned. README.md in this folder maps every short key.
 *
 * Runs in browsers too (the verify page bundles it): no Node-only imports here.
 */
import { base64url } from 'jose';

export const CERTIFICATE_SIGNING_ALG = 'EdDSA';
/** JWS `typ` header of certificates, so a token of another kind signed by the same key is never read as one. */
export const CERTIFICATE_JWS_TYPE = 'teeka-cert+jws';
export const COMPACT_CLAIMS_VERSION = 1;

export type CertificateKind = 'PROVISIONAL' | 'FINAL';
export type Gender = 'M' | 'F' | 'O';

/** One dose, as signed. */
export interface CompactDose {
  /** dose number */
  n: number;
  /** doses in the vaccine's schedule */
  of: number;
  /** vaccine name */
  v: string;
  /** batch (lot) number */
  b: string;
  /** date administered, India date 'YYYY-MM-DD' */
  d: string;
  /** site (facility) name */
  f: string;
  /** site's district */
  di: string;
  /** site's state */
  st: string;
  /** vaccinator's name; for a dose added by an officer, the officer's */
  by: string;
  /** 1: given elsewhere and added by an officer from evidence (not at a Teeka session); f is where it was given */
  o?: 1;
}

/** What the JWS signs. Short keys keep the QR code small enough to scan from a phone screen or a print. */
export interface CompactClaims {
  /** format version */
  v: typeof COMPACT_CLAIMS_VERSION;
  /** certificate id */
  id: string;
  /** kind: P(rovisional) or F(inal) */
  k: 'P' | 'F';
  /** issuer (a URI) */
  is: string;
  /** issued at, Unix seconds */
  t: number;
  /** the vaccinated person */
  s: {
    /** beneficiary reference id */
    r: string;
    n: string;
    /** age in years when issued */
    a: number;
    g: Gender;
    /** masked photo-ID number, e.g. 'XXXXXXXX1234' */
    p: string;
  };
  /** doses, in order */
  e: CompactDose[];
}

export interface VaccinationEvidence {
  type: ['Vaccination'];
  certificateId: string;
  dose: number;
  totalDoses: number;
  vaccine: string;
  batch: string;
  /** India date 'YYYY-MM-DD' */
  date: string;
  facility: { name: string; address: { district: string; addressRegion: string } };
  /** The vaccinator (DIVOC's name for the person who administered the dose); for a dose added by an officer, the officer. */
  verifier: { name: string };
  /** Present when the dose was given elsewhere and added by an officer from evidence, not at a Teeka session. */
  recordedBy?: 'OFFICER';
}

/** Shaped after DIVOC's vaccination credential (W3C VC data model 1.1). */
export interface VaccinationCredential {
  '@context': string[];
  type: ['VerifiableCredential', 'ProofOfVaccinationCredential'];
  id: string;
  issuer: string;
  /** ISO 8601, seconds precision */
  issuanceDate: string;
  certificateId: string;
  kind: CertificateKind;
  credentialSubject: {
    type: 'Person';
    refId: string;
    name: string;
    age: number;
    gender: 'Male' | 'Female' | 'Other';
    photoId: string;
  };
  evidence: VaccinationEvidence[];
}

const GENDER_NAMES = { M: 'Male', F: 'Female', O: 'Other' } as const;

export function expandCompactClaims(claims: CompactClaims): VaccinationCredential {
  return {
    '@context': ['https://www.w3.org/2018/credentials/v1'],
    type: ['VerifiableCredential', 'ProofOfVaccinationCredential'],
    id: `urn:teeka:certificate:${claims.id}`,
    issuer: claims.is,
    issuanceDate: new Date(claims.t * 1000).toISOString().replace('.000Z', 'Z'),
    certificateId: claims.id,
    kind: claims.k === 'F' ? 'FINAL' : 'PROVISIONAL',
    credentialSubject: {
      type: 'Person',
      refId: claims.s.r,
      name: claims.s.n,
      age: claims.s.a,
      gender: GENDER_NAMES[claims.s.g],
      photoId: claims.s.p,
    },
    evidence: claims.e.map((dose) => ({
      type: ['Vaccination'],
      certificateId: claims.id,
      dose: dose.n,
      totalDoses: dose.of,
      vaccine: dose.v,
      batch: dose.b,
      date: dose.d,
      facility: { name: dose.f, address: { district: dose.di, addressRegion: dose.st } },
      verifier: { name: dose.by },
      ...(dose.o === 1 ? { recordedBy: 'OFFICER' as const } : {}),
    })),
  };
}

/**
 * The credential inside a JWS that is known to be ours (read back from the database to render its PDF),
 * without checking the signature again.
 */
export function credentialFromJws(jws: string): VaccinationCredential {
  const claims = parseCompactClaims(JSON.parse(new TextDecoder().decode(base64url.decode(jws.split('.')[1] ?? ''))));
  if (!claims) throw new Error('not a Teeka certificate JWS');
  return expandCompactClaims(claims);
}

/** Checks the shape of signed claims; a valid signature over claims of another shape is still not a certificate. */
export function parseCompactClaims(value: unknown): CompactClaims | undefined {
  if (!isRecord(value) || value.v !== COMPACT_CLAIMS_VERSION) return undefined;
  const { id, k, is, t, s, e } = value;
  const wellFormed =
    isText(id) &&
    (k === 'P' || k === 'F') &&
    isText(is) &&
    isWholeNumber(t) &&
    isRecord(s) &&
    isText(s.r) &&
    isText(s.n) &&
    isWholeNumber(s.a) &&
    (s.g === 'M' || s.g === 'F' || s.g === 'O') &&
    isText(s.p) &&
    Array.isArray(e) &&
    e.length > 0 &&
    e.every(isCompactDose);
  return wellFormed ? (value as unknown as CompactClaims) : undefined;
}

function isCompactDose(value: unknown): value is CompactDose {
  return (
    isRecord(value) &&
    isWholeNumber(value.n) &&
    isWholeNumber(value.of) &&
    [value.v, value.b, value.d, value.f, value.di, value.st, value.by].every(isText) &&
    (value.o === undefined || value.o === 1)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isWholeNumber(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}
