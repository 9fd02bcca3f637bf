/**
 * Age groups of the public dashboard and the district reports, as Co-WIN drew them. A person's age is the year of
 * the dose less their birth year (registration asks for the birth year only).
 */
export const AGE_BANDS = [
  { key: '12_14', from: 12, to: 14 },
  { key: '15_17', from: 15, to: 17 },
  { key: '18_44', from: 18, to: 44 },
  { key: '45_59', from: 45, to: 59 },
  { key: '60_plus', from: 60, to: Infinity },
] as const;

export type AgeBand = (typeof AGE_BANDS)[number]['key'] | 'under_12';

export function ageBand(age: number): AgeBand {
  return AGE_BANDS.find((band) => age >= band.from && age <= band.to)?.key ?? 'under_12';
}
