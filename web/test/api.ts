// The network boundary for the web tests: a stub of global fetch that answers like the platform's
// API (JSON bodies, problem+json errors), keyed by "METHOD /path" without the query string.
import { vi } from 'vitest';

/** A JSON body (200), or a status with an optional body. */
export type Answer = object | { status: number; body?: unknown };
export type Handler = (req: { method: string; url: URL; body: unknown }) => Answer;
export type Route = Answer | Handler;

export interface ApiStub {
  /** Every request made, in order, as "METHOD /path?query". */
  calls: string[];
  /** Requests no route answered (each got a 404). */
  unanswered: string[];
  /** Request bodies by "METHOD /path". */
  bodies: Map<string, unknown[]>;
}

function isStatusAnswer(a: unknown): a is { status: number; body?: unknown } {
  return !!a && typeof a === 'object' && 'status' in a && typeof (a as { status: unknown }).status === 'number' && Object.keys(a).every((k) => k === 'status' || k === 'body');
}

function json(status: number, body: unknown, problem = false): Response {
  if (status === 204) return new Response(null, { status });
  return new Response(JSON.stringify(body ?? null), { status, headers: { 'content-type': problem ? 'application/problem+json' : 'application/json; charset=utf-8' } });
}

/** Replaces fetch for the current test; vitest's unstubAllGlobals (see setup.ts) puts it back. */
export function stubApi(routes: Record<string, Route>): ApiStub {
  const stub: ApiStub = { calls: [], unanswered: [], bodies: new Map() };
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    // The web client (openapi-fetch) sends a Request; plain fetch(url, init) calls are answered too.
    const req = input instanceof Request ? input : null;
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
    const method = (req?.method ?? init?.method ?? 'GET').toUpperCase();
    const key = `${method} ${url.pathname}`;
    stub.calls.push(`${method} ${url.pathname}${url.search}`);
    const text = req ? await req.text() : typeof init?.body === 'string' ? init.body : '';
    const body = text ? JSON.parse(text) : undefined;
    stub.bodies.set(key, [...(stub.bodies.get(key) ?? []), body]);
    const route = routes[key];
    if (route === undefined) {
      stub.unanswered.push(key);
      return json(404, { type: 'about:blank', title: 'Not Found', status: 404, detail: `no route ${key}` }, true);
    }
    const answer = typeof route === 'function' ? (route as Handler)({ method, url, body }) : route;
    if (isStatusAnswer(answer)) return json(answer.status, answer.body, answer.status >= 400);
    return json(200, answer);
  });
  vi.stubGlobal('fetch', fetchStub);
  return stub;
}

/** The API's answer to a request without a session (GET /api/auth/me signed out). */
export const UNAUTHENTICATED = { status: 401, body: { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'unauthorized', detail: 'Not signed in' } };
