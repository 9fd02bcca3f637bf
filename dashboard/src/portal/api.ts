import type { Static } from 'typebox';
import type * as corrections from '../../../api/schemas/corrections';
import type * as geo from '../../../api/schemas/geo';
import type * as sessions from '../../../api/schemas/sessions';
import type * as v1 from '../../../api/schemas/v1';
import type { EligibilityPhase } from '../../../domain/priority-groups';
import { apiGet, apiGetBlob, apiPost } from '../api/client';
import { offersOf, type SessionSearchAnswer } from './slot-search';
import { asBeneficiary, currentBeneficiaryToken, saveBeneficiaryTokens } from '../auth/beneficiary-session';

/** An appointment, a person and a session offered, as the API's schemas say (api/schemas/v1.ts, sessions.ts). */
export type Appointment = Static<typeof v1.AppointmentSummary>;
/** What booking and rescheduling answer: the appointment and the stage it put the person in. */
export type AppointmentView = Static<typeof v1.AppointmentView>;
export type Person = Static<typeof v1.Beneficiary>;
export type SessionSlot = Static<typeof sessions.SessionSlot>;
/** A session the search found, with the eligibility phases of its state (none: only its ages restrict who books it). */
export type SessionOffer = Static<typeof sessions.SessionOffer> & { phases: EligibilityPhase[] };

export const MAX_PEOPLE = 4;

/** The languages SMS are written in (messaging/templates.ts); a screen language without SMS texts is not sent. */
export function smsLanguage(language: string): 'en' | 'hi' | undefined {
  return language === 'en' || language === 'hi' ? language : undefined;
}

/** Asks for a login OTP, its SMS in the screen's language. */
export async function sendOtp(mobile: string, language?: string): Promise<string> {
  const sms = language === undefined ? undefined : smsLanguage(language);
  return (
    await apiPost<Static<typeof v1.LoginOtpSent>>('/api/v1/auth/otp', { mobile, ...(sms ? { language: sms } : {}) })
  ).txnId;
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
  return asBeneficiary<Static<typeof v1.Registered>>('/api/v1/beneficiaries', {
    method: 'POST',
    body: person,
  });
}

/** The person's one correction (api/routes/v1/corrections.ts): only the fields that change. */
export function correctDetails(
  referenceId: string,
  correction: { name?: string; birthYear?: number; gender?: string; idType?: number; idNumber?: string },
) {
  return asBeneficiary<Static<typeof corrections.CorrectionResult>>(`/api/v1/beneficiaries/${referenceId}/correction`, {
    method: 'POST',
    body: correction,
  });
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
  return asBeneficiary<AppointmentView>('/api/v1/appointments', {
    method: 'POST',
    body: { referenceId, sessionDayId, ...(slotId ? { slotId } : {}) },
  });
}

export function reschedule(appointmentId: string, sessionDayId: string, slotId?: number) {
  return asBeneficiary<AppointmentView>(`/api/v1/appointments/${appointmentId}/reschedule`, {
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
  return (await apiGet<Static<typeof geo.GeoStates>>('/api/v1/geo/states')).states;
}

export async function fetchDistricts(stateId: number) {
  return (await apiGet<Static<typeof geo.StateDistricts>>(`/api/v1/geo/states/${stateId}/districts`)).districts;
}

/** The dose a person would book next, or undefined when they cannot book now. */
export function dueDose(person: Pick<Person, 'stage' | 'nextDoseDueOn'>): 1 | 2 | 3 | undefined {
  if (person.stage === 'VERIFIED') return 1;
  if (person.stage === 'DOSE1_DONE') return 2;
  // The precaution dose, once the vaccine has one (its due date is known); booking before then is refused with it.
  if (person.stage === 'FULLY_VACCINATED' && person.nextDoseDueOn) return 3;
  return undefined;
}
