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
  vaccinated: boolean;
}

export interface DeskSession {
  sessionDayId: string;
  date: string;
  status: string;
  vaccineCode: string;
  vaccineName: string;
  opensAt: string;
  closesAt: string;
  site: { id: number; name: string; address: string };
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
  body: { sessionDayId: string; referenceId: string; secretCode: string },
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
