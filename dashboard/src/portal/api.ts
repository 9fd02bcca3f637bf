import type { EligibilityPhase, PriorityGroup } from '../../../domain/priority-groups';
import { apiGet, apiGetBlob, apiPost } from '../api/client';
import { offersOf, type SessionSearchAnswer } from './slot-search';
import { asBeneficiary, currentBeneficiaryToken, saveBeneficiaryTokens } from '../auth/beneficiary-session';

export interface Appointment {
  appointmentId: string;
  sessionDayId: string;
  dose: number;
  date: string;
  slot: string;
  siteName: string;
  status: string;
}

export interface Person {
  referenceId: string;
  name: string;
  birthYear: number;
  gender: 'M' | 'F' | 'O';
  idType: number;
  idNumberMasked: string;
  secretCode: string;
  stage: string;
  vaccineCode: string | null;
  nextDoseDueOn: string | null;
  /** A declared comorbidity and an employer's listing: what eligibility phases admit by. */
  comorbidity: boolean;
  priorityGroup: PriorityGroup | null;
  /** The person has not used their one correction of name, year of birth, gender or photo ID. */
  canCorrectDetails: boolean;
  appointments: Appointment[];
  doses: Array<{ dose: number; vaccineCode: string; batch: string; date: string; siteName: string }>;
}

export interface SessionSlot {
  slotId: number;
  label: string;
  startsAt: string;
  endsAt: string;
  available: number;
}

export interface SessionOffer {
  sessionDayId: string;
  date: string;
  vaccineCode: string;
  minAge: number;
  maxAge: number | null;
  status: string;
  dose1Available: number;
  dose2Available: number;
  opensAt: string;
  closesAt: string;
  slots: SessionSlot[];
  /** The eligibility phases of the session's state (none: only its ages restrict who books it). */
  phases: EligibilityPhase[];
  site: {
    id: number;
    name: string;
    address: string;
    block: string;
    pincode: number;
    ownership: string;
    feeInr: number;
    districtName: string;
    stateName: string;
  };
}

export const ID_TYPES: Array<{ id: number; label: string }> = [
  { id: 1, label: 'Aadhaar' },
  { id: 6, label: 'PAN card' },
  { id: 8, label: 'Passport' },
  { id: 12, label: 'Voter ID' },
  { id: 2, label: 'Driving licence' },
];

export const MAX_PEOPLE = 4;

/** The languages SMS are written in (messaging/templates.ts); a screen language without SMS texts is not sent. */
export function smsLanguage(language: string): 'en' | 'hi' | undefined {
  return language === 'en' || language === 'hi' ? language : undefined;
}

/** Asks for a login OTP, its SMS in the screen's language. */
export async function sendOtp(mobile: string, language?: string): Promise<string> {
  const sms = language === undefined ? undefined : smsLanguage(language);
  return (await apiPost<{ txnId: string }>('/api/v1/auth/otp', { mobile, ...(sms ? { language: sms } : {}) })).txnId;
}

/** Remembers the account's language: its SMS go out in it. */
export async function rememberLanguage(language: 'en' | 'hi'): Promise<void> {
  await asBeneficiary<null>('/api/v1/account/language', { method: 'PUT', body: { language } });
}

export async function verifyOtp(mobile: string, txnId: string, otp: string): Promise<void> {
  saveBeneficiaryTokens(mobile, await apiPost('/api/v1/auth/otp/verify', { txnId, otp }));
}

export async function listPeople(): Promise<Person[]> {
  return (await asBeneficiary<{ beneficiaries: Person[] }>('/api/v1/beneficiaries')).beneficiaries;
}

export function addPerson(person: {
  name: string;
  birthYear: number;
  gender: string;
  idType: number;
  idNumber: string;
}) {
  return asBeneficiary<{ referenceId: string; secretCode: string; stage: string }>('/api/v1/beneficiaries', {
    method: 'POST',
    body: person,
  });
}

/** The person's one correction (api/routes/v1/corrections.ts): only the fields that change. */
export function correctDetails(
  referenceId: string,
  correction: { name?: string; birthYear?: number; gender?: string; idType?: number; idNumber?: string },
) {
  return asBeneficiary<{ fields: string[]; certificates: { reissued: string[] } }>(
    `/api/v1/beneficiaries/${referenceId}/correction`,
    { method: 'POST', body: correction },
  );
}

export function removePerson(referenceId: string) {
  return asBeneficiary<void>(`/api/v1/beneficiaries/${referenceId}`, { method: 'DELETE' });
}

export async function searchSessions(query: {
  pincode?: number;
  districtId?: number;
  date: string;
}): Promise<SessionOffer[]> {
  const params = new URLSearchParams({ date: query.date, days: '7' });
  if (query.pincode) params.set('pincode', String(query.pincode));
  if (query.districtId) params.set('districtId', String(query.districtId));
  return offersOf(await apiGet<SessionSearchAnswer>(`/api/v1/sessions?${params}`));
}

export function book(referenceId: string, sessionDayId: string, slotId?: number) {
  return asBeneficiary<Appointment>('/api/v1/appointments', {
    method: 'POST',
    body: { referenceId, sessionDayId, ...(slotId ? { slotId } : {}) },
  });
}

export function reschedule(appointmentId: string, sessionDayId: string, slotId?: number) {
  return asBeneficiary<Appointment>(`/api/v1/appointments/${appointmentId}/reschedule`, {
    method: 'POST',
    body: { sessionDayId, ...(slotId ? { slotId } : {}) },
  });
}

export function cancelAppointment(appointmentId: string) {
  return asBeneficiary<{ stage: string }>(`/api/v1/appointments/${appointmentId}/cancel`, { method: 'POST' });
}

export async function downloadCertificate(referenceId: string): Promise<void> {
  // A fresh token first (through a cheap call), since a file download cannot be retried transparently.
  await listPeople();
  const blob = await apiGetBlob(`/api/v1/beneficiaries/${referenceId}/certificate`, {
    token: currentBeneficiaryToken(),
  });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `teeka-certificate-${referenceId}.pdf`;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function fetchStates() {
  return (await apiGet<{ states: Array<{ id: number; name: string; nameHi: string | null }> }>('/api/v1/geo/states'))
    .states;
}

export async function fetchDistricts(stateId: number) {
  return (await apiGet<{ districts: Array<{ id: number; name: string }> }>(`/api/v1/geo/states/${stateId}/districts`))
    .districts;
}

/** The dose a person would book next, or undefined when they cannot book now. */
export function dueDose(person: Pick<Person, 'stage' | 'nextDoseDueOn'>): 1 | 2 | 3 | undefined {
  if (person.stage === 'VERIFIED') return 1;
  if (person.stage === 'DOSE1_DONE') return 2;
  // The precaution dose, once the vaccine has one (its due date is known); booking before then is refused with it.
  if (person.stage === 'FULLY_VACCINATED' && person.nextDoseDueOn) return 3;
  return undefined;
}
