import type { Static } from 'typebox';
import type * as desk from '../../../api/schemas/desk';
import type * as team from '../../../api/schemas/team';
import { apiGet, apiPost } from '../api/client';

// The server's own route schemas: a change there that the desk does not follow fails its build.
export type DeskPerson = Static<typeof desk.DeskPerson>;
export type DeskSession = Static<typeof desk.DeskSessionDay>;
export type DeskToday = Static<typeof desk.DeskToday>;
export type Verification = Static<typeof desk.Verification>;
export type TeamStep = Static<typeof team.TeamStep>;
export type ObservedPerson = Static<typeof team.ObservedPerson>;
export type ObservationList = Static<typeof team.ObservationList>;

/** Today's list; the device's id tells the server this device holds it (its bookings' no-shows wait for it). */
export function fetchDeskToday(token: string, deviceId: string): Promise<DeskToday> {
  return apiGet<DeskToday>(`/api/v1/desk/today?deviceId=${encodeURIComponent(deviceId)}`, { token });
}

export function verifyAtDoor(body: desk.VerifyBody, token: string): Promise<Verification> {
  return apiPost<Verification>('/api/v1/desk/verify', body, { token });
}

export function registerWalkIn(body: Static<typeof desk.WalkInBody>, token: string) {
  return apiPost<Static<typeof desk.WalkInRegistered>>('/api/v1/desk/walk-ins', body, { token });
}

export function sendDeskOtp(body: Static<typeof desk.VerifyOtpBody>, token: string) {
  return apiPost<Static<typeof desk.OtpSent>>('/api/v1/desk/verify/otp', body, { token });
}

export function fetchObservation(sessionDayId: string, token: string) {
  return apiGet<ObservationList>(`/api/v1/desk/observation?sessionDayId=${sessionDayId}`, { token });
}

export function releaseObserved(doseId: string, token: string) {
  return apiPost<Static<typeof team.ObservationRelease>>(`/api/v1/desk/observation/${doseId}/release`, undefined, {
    token,
  });
}

export { AEFI_SEVERITIES, AEFI_SYMPTOMS } from '../../../domain/aefi';
