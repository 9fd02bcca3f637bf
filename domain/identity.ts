/**
 * Photo-ID rules. "No proxies": an ID number identifies one person across the whole system, so only a keyed
 * hash of its normalised form is stored (with the last 4 characters for display), never the number itself.
 */
import { createHmac } from 'node:crypto';
import { ID_TYPES } from './id-types.js';

export { ID_TYPES, type IdTypeId } from './id-types.js';

export const AADHAAR = 1;

// Verhoeff's dihedral-group tables (D5): multiplication, permutation and inverse.
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/** True when the digit string (check digit last) passes Verhoeff's checksum. */
export function verhoeffValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let c = 0;
  const reversed = [...digits].reverse();
  for (let i = 0; i < reversed.length; i++) c = D[c][P[i % 8][Number(reversed[i])]];
  return c === 0;
}

/** The check digit that makes `digits + check` Verhoeff-valid (for generating test numbers). */
export function verhoeffCheckDigit(digits: string): string {
  let c = 0;
  const reversed = [...digits].reverse();
  for (let i = 0; i < reversed.length; i++) c = D[c][P[(i + 1) % 8][Number(reversed[i])]];
  return String(INV[c]);
}

/** Upper-case, without spaces and dashes that people type inside numbers. */
export function normaliseIdNumber(raw: string): string {
  const compact = raw.toUpperCase().replace(/[\s-]/g, '');
  return compact;
}

export type IdCheck = { ok: true; normalised: string } | { ok: false; reason: string };

export function checkIdNumber(idType: number, raw: string): IdCheck {
  const type = ID_TYPES.find((t) => t.id === idType);
  if (!type) return { ok: false, reason: `unknown photo ID type ${idType}` };
  const normalised = normaliseIdNumber(raw);
  if (!type.pattern.test(normalised)) return { ok: false, reason: `that is not a valid ${type.name} number` };
  if (idType === AADHAAR && !verhoeffValid(normalised)) {
    return { ok: false, reason: 'that Aadhaar number fails its checksum; please check the digits' };
  }
  return { ok: true, normalised };
}

/** Keyed hash of an ID: the same document gives the same hash whichever mobile registers it. */
export function hashIdNumber(secret: string, idType: number, normalised: string): string {
  return createHmac('sha256', secret).update(`${idType}:${normalised}`).digest('hex');
}

export function maskIdNumber(last4: string, length = 12): string {
  return `${'X'.repeat(Math.max(0, length - 4))}${last4}`;
}

export function maskMobile(mobile: string): string {
  return `******${mobile.slice(-4)}`;
}
