import { isRefusalCode, REFUSALS } from '../domain/refusals.js';

/**
 * Errors the API answers with on purpose. Anything else is a bug: logged in full, answered as a bare 500.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(400, code, message, details);
export const unauthorized = (message = 'authentication required') => new AppError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message = 'not allowed for your role or jurisdiction') =>
  new AppError(403, 'FORBIDDEN', message);
export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} not found`);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(409, code, message, details);
export const tooMany = (message: string) => new AppError(429, 'TOO_MANY_REQUESTS', message);
export const unavailable = (message: string) => new AppError(503, 'UNAVAILABLE', message);

/**
 * HTTP status of a refusal code: the catalogue's (domain/refusals.ts). A code it does not hold (a failure type from
 * outside Teeka's rules) is a 409: the request conflicts with a rule.
 */
export function refusalStatus(code: string): number {
  return isRefusalCode(code) ? REFUSALS[code].status : 409;
}
