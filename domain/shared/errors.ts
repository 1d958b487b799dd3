/**
 * A rule of the domain said no. `code` is stable (clients switch on it); `status` is the HTTP
 * status the API answers with; `field` names the offending input when there is one.
 */
export type DomainErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_many';

const statusOfKind: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many: 429,
};

export class DomainError extends Error {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    kind: DomainErrorKind,
    code: string,
    message: string,
    extra: { field?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.field = extra.field;
    this.details = extra.details;
  }

  get status(): number {
    return statusOfKind[this.kind];
  }
}

export const invalid = (code: string, message: string, field?: string) =>
  new DomainError('invalid', code, message, field === undefined ? {} : { field });
export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('conflict', code, message, details === undefined ? {} : { details });
