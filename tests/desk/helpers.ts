/** Steps at the vaccinator desk, for the desk tests. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { indiaDate, indiaInstant } from '../../domain/time.js';
import { uniqueMobile } from '../support/fixtures.js';
import { aadhaar, loginBeneficiary, registerPerson } from '../support/journey.js';

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const eventId = () => `ev-${randomUUID()}`;

/** A person registered from their own mobile and booked at the session day. */
export async function bookedPerson(app: FastifyInstance, sessionDayId: string) {
  const mobile = uniqueMobile();
  const idNumber = aadhaar();
  const token = await loginBeneficiary(app, mobile);
  const registered = await registerPerson(app, token, { idNumber });
  expect(registered.statusCode, registered.body).toBe(201);
  const { referenceId, secretCode } = registered.json();
  const booked = await app.inject({
    method: 'POST',
    url: '/api/v1/appointments',
    headers: bearer(token),
    payload: { referenceId, sessionDayId },
  });
  expect(booked.statusCode, booked.body).toBe(201);
  return { referenceId: referenceId as string, secretCode: secretCode as string, mobile, idNumber, token };
}

export function walkInPerson(overrides: Record<string, unknown> = {}) {
  return { name: 'Ravi Kumar', birthYear: 1979, gender: 'M', idType: 1, idNumber: aadhaar(), ...overrides };
}

/** A walk-in registered at the desk: answers the reference id and secret code the dose needs. */
export async function walkIn(app: FastifyInstance, vaccinatorToken: string, sessionDayId: string) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/desk/walk-ins',
    headers: bearer(vaccinatorToken),
    payload: { sessionDayId, mobile: uniqueMobile(), person: walkInPerson() },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { referenceId: string; secretCode: string; stage: string };
}

/**
 * Instants on today's India date, in order, at most `spanMs` before now (and never before 00:00 India time,
 * so a test run just after midnight still times its doses on the session day).
 */
export function todayTimes(count: number, spanMs = 30 * 60_000): Date[] {
  const now = Date.now();
  const start = Math.max(now - spanMs, indiaInstant(indiaDate(), '00:00').getTime() + 1000);
  const step = Math.max(1, Math.floor((now - start) / (count + 1)));
  return Array.from({ length: count }, (_, i) => new Date(start + step * (i + 1)));
}
