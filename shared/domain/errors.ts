/**
 * Typed errors that carry what a caller needs to answer a request. They are mapped to HTTP
 * in one place (shared/http/errors.ts); `expose` says whether the message may be shown.
 */
export interface FieldProblem {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;
  readonly expose: boolean = true;
  readonly details: FieldProblem[] = [];
}

export class ValidationError extends DomainError {
  readonly statusCode = 400;
  readonly code = 'VALIDATION_FAILED';
  override readonly details: FieldProblem[];
  constructor(details: FieldProblem[], message = 'The request is not valid') {
    super(message);
    this.details = details;
  }
}

export class BadRequestError extends DomainError {
  readonly statusCode = 400;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class UnauthorizedError extends DomainError {
  readonly statusCode = 401;
  readonly code = 'UNAUTHORIZED';
  constructor(message = 'A valid bearer token is required') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly statusCode = 403;
  readonly code = 'FORBIDDEN';
  constructor(message = 'You are not allowed to do this') {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly statusCode = 404;
  constructor(
    message: string,
    readonly code: string = 'NOT_FOUND',
  ) {
    super(message);
  }
}

export class ConflictError extends DomainError {
  readonly statusCode = 409;
  constructor(
    readonly code: string,
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly statusCode = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
  constructor(limitBytes: number) {
    super(`The request body is larger than ${limitBytes} bytes`);
  }
}
