// Route-level declarations every route must make, and what the request carries once authenticated.
import type { Actor } from '../auth/actor';

/**
 * Who may call a route:
 * - 'public': anyone;
 * - 'authenticated': any signed-in account (full session or API key);
 * - 'partial': also a session that still owes its second factor (enrolment, verification, logout);
 * - any other string: a permission code the caller must hold.
 */
export type RouteAuth = 'public' | 'authenticated' | 'partial' | (string & {});

export interface SessionInfo {
  tokenHash: string;
  userId: string;
  csrfToken: string;
  mfaPassed: boolean;
  token: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** Skip the CSRF header check (only for endpoints browsers reach by form post, e.g. OIDC interactions). */
    csrfExempt?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionInfo | null;
  }
}
