import { REFUSALS, type RefusalCode } from './refusals.js';

/**
 * A rule said no: the request was understood and refused (full session, wrong dose window...). Its code is one of
 * the catalogue's (`domain/refusals.ts`). Repositories throw it; the API answers it with the catalogue's status,
 * activities turn it into a non-retryable failure.
 */
export class DomainRefusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string = REFUSALS[code].message,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainRefusal';
  }
}

export const refuse = (code: RefusalCode, message?: string, details?: Record<string, unknown>): never => {
  throw new DomainRefusal(code, message, details);
};
