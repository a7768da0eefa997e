// RFC 9457 problem details: the one error shape every route answers with.

export interface FieldError {
  /** JSON pointer-like path of the offending field, e.g. "/body/username". */
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  instance?: string;
  requestId?: string;
  [extra: string]: unknown;
}

const TYPE_BASE = 'https://digital-qingdao.example/problems/';

/** An error a service throws on purpose; the HTTP layer turns it into problem+json. */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    public readonly title: string,
    detail?: string,
    public readonly errors?: FieldError[],
    public readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }

  toProblem(): Problem {
    return {
      type: TYPE_BASE + this.code,
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extra,
    };
  }
}

export const problemType = (code: string) => TYPE_BASE + code;

export const errors = {
  validation: (errs: FieldError[], detail?: string) =>
    new AppError(400, 'validation', 'Invalid request', detail ?? errs.map((e) => `${e.path}: ${e.message}`).join('; '), errs),
  field: (path: string, message: string) => errors.validation([{ path, message }]),
  unauthorized: (detail = 'Sign in first') => new AppError(401, 'unauthorized', 'Authentication required', detail),
  forbidden: (detail = 'You do not have the permission for this action') => new AppError(403, 'forbidden', 'Forbidden', detail),
  notFound: (what: string) => new AppError(404, 'not-found', 'Not found', `${what} was not found`),
  conflict: (detail: string, extra?: Record<string, unknown>) => new AppError(409, 'conflict', 'Conflict', detail, undefined, extra),
  locked: (detail: string) => new AppError(423, 'locked', 'Locked', detail),
  /** 429; with retryAfterSeconds the answer carries a Retry-After header (sendProblem sets it). */
  tooMany: (detail: string, retryAfterSeconds?: number) =>
    new AppError(429, 'rate-limited', 'Too many requests', detail, undefined, retryAfterSeconds ? { retryAfter: retryAfterSeconds } : {}),
  unprocessable: (detail: string, errs?: FieldError[]) => new AppError(422, 'unprocessable', 'Cannot process', detail, errs),
};
