import { apiGet, apiPost } from '../api/client';

export interface DeskPerson {
  referenceId: string;
  name: string;
  birthYear: number;
  gender: 'M' | 'F' | 'O';
  idNumberMasked: string;
  dose: number;
  slot: string | null;
  appointmentStatus: string | null;
  walkIn: boolean;
  verified: boolean;
  /** The latest check at the door today: the vaccinator records the dose citing it. */
  verificationId: string | null;
  vaccinated: boolean;
  doseId: string | null;
  /** Keyed check of the secret code (domain/desk-code-check.ts): the code is never on the phone. */
  codeCheck: string;
}

export type TeamStep = 'VERIFY' | 'VACCINATE' | 'OBSERVE';

export interface DeskSession {
  sessionDayId: string;
  date: string;
  status: string;
  vaccineCode: string;
  vaccineName: string;
  opensAt: string;
  closesAt: string;
  site: { id: number; name: string; address: string };
  codeKey: string;
  teamRole: 'VACCINATOR' | 'VERIFIER' | 'OBSERVER';
  steps: TeamStep[];
  counts: {
    dose1Booked: number;
    dose2Booked: number;
    walkinCapacity: number;
    walkinUsed: number;
    dosesRecorded: number;
    verified: number;
  };
  people: DeskPerson[];
}

export interface DeskToday {
  date: string;
  sessions: DeskSession[];
}

export interface Verification {
  verificationId: string;
  person: {
    referenceId: string;
    name: string;
    birthYear: number;
    gender: string;
    idNumberMasked: string;
    stage: string;
  };
  dueDose: number | null;
  appointment: { dose: number; slot: string | null; status: string } | null;
  vaccinatedHere: { dose: number; administeredAt: string } | null;
}

export function fetchDeskToday(token: string): Promise<DeskToday> {
  return apiGet<DeskToday>('/api/v1/desk/today', { token });
}

export function verifyAtDoor(
  body:
    | { sessionDayId: string; referenceId: string; secretCode: string }
    | { sessionDayId: string; referenceId: string; mobile: string; txnId: string; otp: string },
  token: string,
): Promise<Verification> {
  return apiPost<Verification>('/api/v1/desk/verify', body, { token });
}

export function registerWalkIn(
  body: {
    sessionDayId: string;
    mobile: string;
    person: { name: string; birthYear: number; gender: string; idType: number; idNumber: string };
  },
  token: string,
) {
  return apiPost<{ referenceId: string; secretCode: string; dueDose: number; walkinRemaining: number }>(
    '/api/v1/desk/walk-ins',
    body,
    { token },
  );
}

export function sendDeskOtp(body: { sessionDayId: string; mobile: string }, token: string) {
  return apiPost<{ txnId: string; expiresInSeconds: number }>('/api/v1/desk/verify/otp', body, { token });
}

export interface ObservedPerson {
  doseId: string;
  referenceId: string;
  name: string;
  dose: number;
  administeredAt: string;
  observeUntil: string;
  minutesRemaining: number;
  aefiReports: number;
}

export interface ObservationList {
  sessionDayId: string;
  at: string;
  observationMinutes: number;
  underObservation: ObservedPerson[];
  readyToRelease: ObservedPerson[];
}

export function fetchObservation(sessionDayId: string, token: string) {
  return apiGet<ObservationList>(`/api/v1/desk/observation?sessionDayId=${sessionDayId}`, { token });
}

export function releaseObserved(doseId: string, token: string) {
  return apiPost<{ doseId: string; duplicate: boolean }>(`/api/v1/desk/observation/${doseId}/release`, undefined, {
    token,
  });
}

export { AEFI_SEVERITIES, AEFI_SYMPTOMS } from '../../../domain/aefi';
