/**
 * Verifies a certificate's JWS (what its QR code holds) against the published JWKS. Works offline given
 * the JWKS, and in browsers: the verify page bundles this module, so it imports nothing Node-only.
 */
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, errors, type JSONWebKeySet } from 'jose';
import { indiaDate } from '../domain/time.js';
import {
  CERTIFICATE_JWS_TYPE,
  CERTIFICATE_SIGNING_ALG,
  type CertificateKind,
  type CompactClaims,
  expandCompactClaims,
  parseCompactClaims,
} from './certificate-format.js';

export type InvalidReason =
  /** Not a JWS of ours: wrong structure, algorithm or type. */
  | 'MALFORMED'
  /** Signed with a key that is not (or no longer) published. */
  | 'UNKNOWN_KEY'
  /** The signature does not match the contents: tampered with, or corrupted. */
  | 'BAD_SIGNATURE'
  /** Correctly signed, but the contents are not a certificate this version understands. */
  | 'UNRECOGNISED_CONTENTS';

/** What a verifier may be shown: enough to match the person in front of them, no more. */
export interface VerifiedHolder {
  name: string;
  age: number;
  gender: 'Male' | 'Female' | 'Other';
  /** Masked, e.g. 'XXXXXXXX1234'. */
  photoId: string;
  doses: number;
  kind: CertificateKind;
  /** India date 'YYYY-MM-DD'. */
  issuedOn: string;
}

export type VerificationResult =
  | { status: 'VALID' | 'REVOKED'; certificateId: string; holder: VerifiedHolder }
  | { status: 'INVALID'; reason: InvalidReason };

export interface VerifyOptions {
  jwks: JSONWebKeySet;
  /** Omitted offline: then a revoked certificate still reads VALID. Its errors propagate, never read as VALID. */
  isRevoked?: (certificateId: string) => Promise<boolean>;
}

export async function verifyCertificate(jws: string, { jwks, isRevoked }: VerifyOptions): Promise<VerificationResult> {
  const token = jws.trim();
  if (!hasOurHeader(token)) return { status: 'INVALID', reason: 'MALFORMED' };

  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, createLocalJWKSet(jwks), { algorithms: [CERTIFICATE_SIGNING_ALG] }));
  } catch (error) {
    return { status: 'INVALID', reason: invalidReason(error) };
  }

  const claims = parseCompactClaims(parseJson(payload));
  if (!claims) return { status: 'INVALID', reason: 'UNRECOGNISED_CONTENTS' };
  const revoked = isRevoked ? await isRevoked(claims.id) : false;
  return { status: revoked ? 'REVOKED' : 'VALID', certificateId: claims.id, holder: holderOf(claims) };
}

function hasOurHeader(token: string): boolean {
  try {
    const header = decodeProtectedHeader(token);
    return header.typ === CERTIFICATE_JWS_TYPE && typeof header.kid === 'string';
  } catch {
    return false;
  }
}

function invalidReason(error: unknown): InvalidReason {
  if (error instanceof errors.JWKSNoMatchingKey) return 'UNKNOWN_KEY';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'BAD_SIGNATURE';
  return 'MALFORMED';
}

function parseJson(payload: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return undefined;
  }
}

function holderOf(claims: CompactClaims): VerifiedHolder {
  const credential = expandCompactClaims(claims);
  const subject = credential.credentialSubject;
  return {
    name: subject.name,
    age: subject.age,
    gender: subject.gender,
    photoId: subject.photoId,
    doses: credential.evidence.length,
    kind: credential.kind,
    issuedOn: indiaDate(new Date(credential.issuanceDate)),
  };
}
