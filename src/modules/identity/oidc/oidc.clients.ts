// Client platforms that may sign their users in through Digital Qingdao (relying parties).
// Administrators register them; the secret of a confidential client is shown once and kept
// AES-GCM encrypted, because the provider needs it in clear to check client_secret_basic.
import { desc, eq, sql } from 'drizzle-orm';
import type { ClientMetadata } from 'oidc-provider';
import type { Config } from '../../../config';
import { recordAudit } from '../../../platform/audit/audit.service';
import type { Actor } from '../../../platform/auth/actor';
import { type Db, inTransaction } from '../../../platform/db/client';
import { decrypt, encrypt, randomToken } from '../../../platform/crypto/secrets';
import { errors, type FieldError } from '../../../platform/http/problem';
import { oidcClients, oidcPayloads } from '../identity.schema';

/** Scopes a client may be allowed; `openid` is always part of a client's scopes. */
export const SUPPORTED_SCOPES = ['openid', 'profile', 'offline_access'] as const;
export type ClientType = 'confidential' | 'public';

const SECRET_CONTEXT = 'oidc_clients.client_secret';

export interface OidcClientView {
  clientId: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  clientType: ClientType;
  scopes: string[];
  createdAt: string;
  disabledAt: string | null;
}

export interface NewOidcClient {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  clientType: ClientType;
  scopes?: string[];
}

/** What the provider's storage adapter needs: the metadata of an active client, or null. */
export interface OidcClientStore {
  providerMetadata(clientId: string): Promise<ClientMetadata | null>;
}

type Row = typeof oidcClients.$inferSelect;

function view(r: Row): OidcClientView {
  return {
    clientId: r.clientId,
    name: r.name,
    redirectUris: r.redirectUris,
    postLogoutRedirectUris: r.postLogoutRedirectUris,
    clientType: r.clientType as ClientType,
    scopes: r.scopes,
    createdAt: r.createdAt.toISOString(),
    disabledAt: r.disabledAt ? r.disabledAt.toISOString() : null,
  };
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Why a redirect URI is unacceptable, or null. Absolute http(s) URLs only, no fragment, no user
 * information; plain http only for loopback addresses when running in production.
 */
export function redirectUriProblem(value: string, production: boolean): string | null {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'must use http or https';
  if (u.hash || value.includes('#')) return 'must not contain a fragment (#)';
  if (u.username || u.password) return 'must not contain user information';
  if (production && u.protocol === 'http:' && !LOOPBACK.has(u.hostname)) return 'must use https (plain http is allowed for loopback addresses only)';
  return null;
}

export class OidcClientService implements OidcClientStore {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
  ) {}

  async list(): Promise<OidcClientView[]> {
    const rows = await this.db.select().from(oidcClients).orderBy(desc(oidcClients.createdAt), oidcClients.clientId);
    return rows.map(view);
  }

  async get(clientId: string): Promise<OidcClientView | null> {
    const [r] = await this.db.select().from(oidcClients).where(eq(oidcClients.clientId, clientId));
    return r ? view(r) : null;
  }

  async create(actor: Actor, input: NewOidcClient): Promise<OidcClientView & { clientSecret: string | null }> {
    const problems: FieldError[] = [];
    input.redirectUris.forEach((uri, i) => {
      const p = redirectUriProblem(uri, this.config.production);
      if (p) problems.push({ path: `/body/redirectUris/${i}`, message: p });
    });
    (input.postLogoutRedirectUris ?? []).forEach((uri, i) => {
      const p = redirectUriProblem(uri, this.config.production);
      if (p) problems.push({ path: `/body/postLogoutRedirectUris/${i}`, message: p });
    });
    if (!input.name.trim()) problems.push({ path: '/body/name', message: 'must not be blank' });
    const requested = input.scopes ?? ['openid', 'profile'];
    const unknown = requested.filter((s) => !(SUPPORTED_SCOPES as readonly string[]).includes(s));
    if (unknown.length) problems.push({ path: '/body/scopes', message: `unsupported scope(s): ${unknown.join(', ')}` });
    if (problems.length) throw errors.validation(problems);

    const scopes = SUPPORTED_SCOPES.filter((s) => s === 'openid' || requested.includes(s));
    const clientId = `dqc_${randomToken(16)}`;
    const clientSecret = input.clientType === 'confidential' ? randomToken(32) : null;
    return inTransaction(this.db, async (tx) => {
      const [row] = await tx
        .insert(oidcClients)
        .values({
          clientId,
          name: input.name.trim(),
          clientSecretEnc: clientSecret ? encrypt(this.config.masterKey, clientSecret, SECRET_CONTEXT) : null,
          redirectUris: input.redirectUris,
          postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
          scopes: [...scopes],
          clientType: input.clientType,
          createdBy: actor.userId,
        })
        .returning();
      const v = view(row);
      await recordAudit(tx, actor, { action: 'oidc.client.create', entityType: 'oidc_client', entityId: clientId, after: v });
      return { ...v, clientSecret };
    });
  }

  /**
   * Disable a client: the provider stops knowing it at once (its tokens fail introspection and
   * userinfo because their client is gone), and its outstanding codes, tokens and grants are deleted.
   * Disabling an already disabled client changes nothing.
   */
  async disable(actor: Actor, clientId: string): Promise<{ changed: boolean }> {
    return inTransaction(this.db, async (tx) => {
      const [row] = await tx.select().from(oidcClients).where(eq(oidcClients.clientId, clientId)).for('update');
      if (!row) throw errors.notFound(`OpenID Connect client ${clientId}`);
      if (row.disabledAt) return { changed: false };
      const [updated] = await tx.update(oidcClients).set({ disabledAt: new Date() }).where(eq(oidcClients.clientId, clientId)).returning();
      const removed = await tx
        .delete(oidcPayloads)
        .where(sql`${oidcPayloads.payload}->>'clientId' = ${clientId}`)
        .returning({ model: oidcPayloads.model });
      await recordAudit(tx, actor, {
        action: 'oidc.client.disable',
        entityType: 'oidc_client',
        entityId: clientId,
        before: { disabledAt: null },
        after: { disabledAt: updated.disabledAt },
        note: { name: row.name, revokedArtefacts: removed.length },
      });
      return { changed: true };
    });
  }

  async providerMetadata(clientId: string): Promise<ClientMetadata | null> {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(clientId)) return null;
    const [r] = await this.db.select().from(oidcClients).where(eq(oidcClients.clientId, clientId));
    if (!r || r.disabledAt) return null;
    const confidential = r.clientType === 'confidential';
    if (confidential && !r.clientSecretEnc) return null;
    return {
      client_id: r.clientId,
      client_name: r.name,
      ...(confidential ? { client_secret: decrypt(this.config.masterKey, r.clientSecretEnc!, SECRET_CONTEXT) } : {}),
      token_endpoint_auth_method: confidential ? 'client_secret_basic' : 'none',
      application_type: 'web',
      redirect_uris: r.redirectUris,
      post_logout_redirect_uris: r.postLogoutRedirectUris,
      response_types: ['code'],
      grant_types: r.scopes.includes('offline_access') ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
      scope: r.scopes.join(' '),
    };
  }
}
