// Who is calling: resolved once per request (session cookie, API key, or the system itself) and handed
// to services, which decide from it what may be seen and changed.
import { errors } from '../http/problem';
import type { RoleScope } from './permissions';

export interface ActorGrant {
  scope: RoleScope;
  /** Organisation path prefix the grant covers ("/<city>/<dept>/"); null for city scope. */
  pathPrefix: string | null;
  permissions: ReadonlySet<string>;
}

export interface Actor {
  userId: string | null;
  username: string;
  displayName: string;
  kind: 'citizen' | 'enterprise' | 'staff' | 'system';
  orgId: string | null;
  locale: string;
  roles: string[];
  grants: ActorGrant[];
  /** Union of all granted permissions (already narrowed by API key scopes). */
  permissions: ReadonlySet<string>;
  via: 'session' | 'apikey' | 'system' | 'oidc';
  apiKeyId?: string;
  /** For the audit trail. */
  requestId?: string;
  ip?: string;
  onBehalfOf?: string;
}

export function systemActor(reason = 'system'): Actor {
  return {
    userId: null,
    username: reason,
    displayName: reason,
    kind: 'system',
    orgId: null,
    locale: 'zh-CN',
    roles: ['system'],
    grants: [{ scope: 'city', pathPrefix: null, permissions: new Set(['*']) }],
    permissions: new Set(['*']),
    via: 'system',
  };
}

export function can(actor: Actor, permission: string): boolean {
  return actor.permissions.has('*') || actor.permissions.has(permission);
}

export function requirePermission(actor: Actor, permission: string): void {
  if (!can(actor, permission)) throw errors.forbidden(`requires permission ${permission}`);
}

/**
 * What part of the organisation tree the actor may see for a permission.
 * `all`: everything; `prefixes`: organisations whose path starts with one of these; `self`: own records only.
 */
export type Visibility = { all: true } | { all: false; prefixes: string[]; self: boolean };

export function visibility(actor: Actor, permission: string): Visibility {
  const prefixes: string[] = [];
  let self = false;
  for (const g of actor.grants) {
    if (!(g.permissions.has('*') || g.permissions.has(permission))) continue;
    if (g.scope === 'city') return { all: true };
    if (g.scope === 'self') self = true;
    else if (g.pathPrefix) prefixes.push(g.pathPrefix);
  }
  return { all: false, prefixes, self };
}

/** True when a record belonging to the organisation at `orgPath` is visible to the actor. */
export function canSeeOrgPath(v: Visibility, orgPath: string | null | undefined): boolean {
  if (v.all) return true;
  if (!orgPath) return false;
  return v.prefixes.some((p) => orgPath.startsWith(p));
}
