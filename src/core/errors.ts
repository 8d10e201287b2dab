/**
 * The one error type of the application. Every refusal carries a stable `code` (for programs and
 * tests), a German `title` and `detail` a clerk understands, and per-field errors. The HTTP layer
 * maps the code to a status via HTTP_STATUS and renders RFC 9457 problem+json.
 */
export const HTTP_STATUS = {
  VALIDATION_FAILED: 400,
  IDEMPOTENCY_KEY_MISSING: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_PROCEDURE: 404,
  METHOD_NOT_ALLOWED: 405,
  VERSION_CONFLICT: 409,
  ACTION_NOT_ALLOWED: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOT_READY: 503,
} as const;

export type ErrorCode = keyof typeof HTTP_STATUS;

export interface FieldError {
  /** JSON-pointer-like path into the request, e.g. `data/person/nachname`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];

  constructor(code: ErrorCode, title: string, detail: string, errors: FieldError[] = []) {
    super(`${code}: ${detail}`);
    this.name = 'AppError';
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }
}

/** 403: the principal lacks the grant for this authority, office or action. */
export const forbidden = (detail: string) => new AppError('FORBIDDEN', 'Keine Berechtigung', detail);

export const notFound = (what: string) =>
  new AppError('NOT_FOUND', 'Nicht gefunden', `${what} wurde nicht gefunden.`);

export const validationFailed = (errors: FieldError[], detail = 'Bitte die markierten Angaben prüfen.') =>
  new AppError('VALIDATION_FAILED', 'Eingaben unvollständig oder fehlerhaft', detail, errors);

/** Converts zod issues (any zod version's shape) into field errors with slash paths. */
export function fieldErrorsFromIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix = '',
): FieldError[] {
  return issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter((s) => s !== '').join('/'),
    message: i.message,
  }));
}
