/**
 * Corrections of a person's details: name, year of birth, gender, photo ID. A person may correct their own
 * details once (Co-WIN allowed one correction); an officer may correct them with a reason, as often as needed.
 * A correction that changes nothing is refused, so every correction on record is a real change.
 */
import { refuse } from './errors.js';

/** How many corrections a person may make themselves. */
export const SELF_CORRECTIONS_ALLOWED = 1;

export type CorrectableField = 'name' | 'birthYear' | 'gender' | 'photoId';

/** A person's details as a correction sees them: the photo ID as its type, keyed hash and last 4. */
export interface CorrectableDetails {
  name: string;
  birthYear: number;
  gender: 'M' | 'F' | 'O';
  idType: number;
  idHash: string;
  idLast4: string;
}

export type RequestedCorrection = Partial<Pick<CorrectableDetails, 'name' | 'birthYear' | 'gender'>> & {
  /** A checked photo ID: its type, keyed hash and last 4. */
  photoId?: { idType: number; idHash: string; idLast4: string };
};

/** The details after the correction and the fields it changes; refused when it changes nothing. */
export function planCorrection(
  current: CorrectableDetails,
  requested: RequestedCorrection,
): { next: CorrectableDetails; fields: CorrectableField[] } {
  const next: CorrectableDetails = { ...current };
  const fields: CorrectableField[] = [];
  const name = requested.name?.trim().replace(/\s+/g, ' ');
  if (name !== undefined && name !== current.name) {
    next.name = name;
    fields.push('name');
  }
  if (requested.birthYear !== undefined && requested.birthYear !== current.birthYear) {
    next.birthYear = requested.birthYear;
    fields.push('birthYear');
  }
  if (requested.gender !== undefined && requested.gender !== current.gender) {
    next.gender = requested.gender;
    fields.push('gender');
  }
  const id = requested.photoId;
  if (id && (id.idHash !== current.idHash || id.idType !== current.idType)) {
    Object.assign(next, id);
    fields.push('photoId');
  }
  if (fields.length === 0) refuse('NOTHING_TO_CORRECT', 'the details given are the ones already registered');
  return { next, fields };
}

/** What a correction record keeps of the details: never the photo-ID number or its hash. */
export function recordedDetails(details: CorrectableDetails) {
  return {
    name: details.name,
    birthYear: details.birthYear,
    gender: details.gender,
    idType: details.idType,
    idLast4: details.idLast4,
  };
}
