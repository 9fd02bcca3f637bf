/**
 * What a form correcting a person's details (components/PersonFields.tsx) asks to change: only the name, year of
 * birth and gender that differ from the person's, and the photo ID when a new number is given.
 */
export function changedDetails<Gender extends string>(
  form: FormData,
  person: { name: string; birthYear: number; gender: Gender },
) {
  const name = String(form.get('name')).trim();
  const birthYear = Number(form.get('birthYear'));
  const gender = String(form.get('gender')) as Gender; // the select offers only the genders a person can have
  const idNumber = String(form.get('idNumber') ?? '').replace(/\s/g, '');
  return {
    ...(name !== person.name ? { name } : {}),
    ...(birthYear !== person.birthYear ? { birthYear } : {}),
    ...(gender !== person.gender ? { gender } : {}),
    ...(idNumber ? { idType: Number(form.get('idType')), idNumber } : {}),
  };
}
