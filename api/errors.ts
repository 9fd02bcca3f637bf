import { isRefusalCode, REFUSALS, type RefusalCode, type RefusalEntry } from '../domain/refusals.js';

/** The catalogue's codes (domain/refusals.ts) that the API answers with a given HTTP status. */
export type CodeWithStatus<S extends number> = {
  [C in RefusalCode]: (typeof REFUSALS)[C]['status'] extends S ? C : never;
}[RefusalCode];

/**
 * Errors the API answers with on purpose. Anything else is a bug: logged in full, answered as a bare 500.
 * The code is one of the catalogue's (domain/refusals.ts), and so is the HTTP status: one status per code.
 */
export class AppError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: RefusalCode,
    message: string = REFUSALS[code].message,
    readonly details?: Record<string, unknown>,
    atDesk = false,
  ) {
    super(message);
    this.name = 'AppError';
    const entry: RefusalEntry = REFUSALS[code];
    this.statusCode = (atDesk && entry.deskStatus) || entry.status;
  }

  /** A person's answer that staff relay at the desk: the catalogue's `deskStatus` where it gives one. */
  static atDesk(code: RefusalCode, message?: string, details?: Record<string, unknown>): AppError {
    return new AppError(code, message, details, true);
  }
}

export const badRequest = (code: CodeWithStatus<400>, message: string, details?: Record<string, unknown>) =>
  new AppError(code, message, details);
export const unauthorized = (message = 'authentication required') => new AppError('UNAUTHENTICATED', message);
export const forbidden = (message = 'not allowed for your role or jurisdiction') => new AppError('FORBIDDEN', message);
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (code: CodeWithStatus<409>, message: string, details?: Record<string, unknown>) =>
  new AppError(code, message, details);
export const tooMany = (message: string) => new AppError('TOO_MANY_REQUESTS', message);
export const unavailable = (message: string) => new AppError('UNAVAILABLE', message);

/** HTTP status of a refusal code: the catalogue's (domain/refusals.ts). */
export function refusalStatus(code: RefusalCode): number {
  return REFUSALS[code].status;
}

/**
 * A failure's type (a failed workflow update, a journey's answer) as the API's error: a code of the catalogue, or
 * undefined for a type outside it (a fault, not a refusal: the caller lets the original error through as a 500).
 */
export function refusalError(type: string | undefined, message: string, details?: Record<string, unknown>) {
  return type !== undefined && isRefusalCode(type) ? new AppError(type, message, details) : undefined;
}
