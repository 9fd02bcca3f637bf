/**
 * A rule said no: the request was understood and refused (full session, wrong dose window...).
 * Repositories throw it; the API answers it as a 4xx, activities turn it into a non-retryable failure.
 */
export class DomainRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainRefusal';
  }
}

export const refuse = (code: string, message: string, details?: Record<string, unknown>): never => {
  throw new DomainRefusal(code, message, details);
};
