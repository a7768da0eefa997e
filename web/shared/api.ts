// The one API client every app uses: openapi-fetch over the server's generated OpenAPI types
// (./api.gen.ts, `npm run api:types`), with same-origin cookies, the CSRF header on state-changing
// requests, and problem+json errors turned into ApiError.
//   client.GET('/api/orgs/{id}', { params: { path: { id } } })  — path, params, body and answer typed
//   call(client.GET(...))                                        — the answer, or ApiError thrown
//   api.get(`/api/orgs/${id}`)                                   — the same client addressed by a built URL
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './api.gen';

export interface FieldProblem {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldProblem[];
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly problem: Problem,
  ) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** Raised when the request never got an answer (offline, server down). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

const CSRF_COOKIE = 'dq_csrf';
let csrfFallback: string | null = null;

function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** Remember the token the login or /me answer carried, for when the cookie cannot be read. */
export function rememberCsrfToken(token: string | null | undefined): void {
  if (token) csrfFallback = token;
}

export function csrfToken(): string | null {
  return readCookie(CSRF_COOKIE) ?? csrfFallback;
}

type Listener = (status: number) => void;
const authListeners = new Set<Listener>();

/** Called with 401 whenever any request finds the session gone, so the app can show its login. */
export function onAuthProblem(fn: Listener): () => void {
  authListeners.add(fn);
  return () => authListeners.delete(fn);
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** Sends the CSRF token on anything that changes state (the server refuses such requests without it). */
const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = csrfToken();
      if (token) request.headers.set('x-csrf-token', token);
    }
    return request;
  },
};

/**
 * The typed client. `fetch` is looked up on every call (not captured at start) so tests can stub it.
 * Bodies are left unread (`parseAs: 'stream'` in `request`) where the caller decides how to read them.
 */
export const client = createClient<paths>({
  // Absolute, because a Request is built from it (a browser would resolve a bare path; Node's does not).
  baseUrl: typeof location !== 'undefined' ? location.origin : '',
  credentials: 'same-origin',
  fetch: (req) => globalThis.fetch(req),
});
client.use(csrfMiddleware);

function problemOf(res: Response, payload: unknown): Problem {
  if (payload && typeof payload === 'object') return payload as Problem;
  return { status: res.status, title: res.statusText, detail: typeof payload === 'string' ? payload.slice(0, 300) : undefined };
}

function failed(res: Response, payload: unknown, quiet401 = false): ApiError {
  if (res.status === 401 && !quiet401) for (const fn of authListeners) fn(401);
  return new ApiError(res.status, problemOf(res, payload));
}

/** The answer of a typed client call, or ApiError (NetworkError when there was no answer). */
export async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>, opts: { quiet401?: boolean } = {}): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await pending;
  } catch (e) {
    throw new NetworkError(e);
  }
  if (!r.response.ok) throw failed(r.response, r.error, opts.quiet401);
  return r.data as T;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export async function request<T>(method: string, path: string, body?: unknown, opts: { quiet401?: boolean } = {}): Promise<T> {
  let res: Response;
  let error: unknown;
  try {
    // A built URL (`/api/orgs/${id}`) rather than a template: the typed form is client.GET(...).
    const send = client.request as unknown as (m: Method, url: string, init: object) => Promise<{ response: Response; error?: unknown }>;
    ({ response: res, error } = await send(method.toLowerCase() as Method, path, { body, parseAs: 'stream', headers: { accept: 'application/json' } }));
  } catch (e) {
    throw new NetworkError(e);
  }
  if (!res.ok) throw failed(res, error, opts.quiet401);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json().catch(() => null) : await res.text().catch(() => '')) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};

export function isStatus(err: unknown, ...statuses: number[]): boolean {
  return err instanceof ApiError && statuses.includes(err.status);
}
