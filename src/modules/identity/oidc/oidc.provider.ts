// The OpenID Connect provider (oidc-provider 9.x) configured for Digital Qingdao: authorization code
// flow with PKCE, accounts from AuthService, storage in PostgreSQL, our own interaction pages.
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import Provider, { interactionPolicy, type Account, type Configuration, type Grant, type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import type { Config } from '../../../config';
import { systemActor } from '../../../platform/auth/actor';
import type { AuthService } from '../../../platform/auth/auth.service';
import type { Db } from '../../../platform/db/client';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../../platform/http/server';
import type { OrgService } from '../../org';
import { oidcPayloads } from '../identity.schema';
import { adapterFactory } from './oidc.adapter';
import { SUPPORTED_SCOPES, type OidcClientStore } from './oidc.clients';
import { cookieKeys, type SigningJwk } from './oidc.keys';
import { errorPage, loggedOutPage, logoutPage, pickLang } from './oidc.views';

export const OIDC_PREFIX = '/oidc';
export const INTERACTION_PATH = `${OIDC_PREFIX}/interaction`;

/** Claims per scope. `org` is the account's organisation ({code, name}); citizens have none. */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'preferred_username', 'kind', 'org', 'locale'],
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ProviderDeps {
  config: Config;
  db: Db;
  auth: AuthService;
  orgs: OrgService;
  log: Logger;
  clients: OidcClientStore;
  signingKeys: SigningJwk[];
  /** Issuer identifier; the public URL of the platform (discovery at <issuer>/.well-known/openid-configuration). */
  issuer: string;
}

interface KoaCookies {
  get(name: string, opts?: { signed?: boolean }): string | undefined;
  set(name: string, value: string | null, opts?: Record<string, unknown>): void;
}

type Ctx = KoaContextWithOIDC & { oidc: KoaContextWithOIDC['oidc'] & { account?: Account; client: NonNullable<KoaContextWithOIDC['oidc']['client']> } };

export function createOidcProvider(deps: ProviderDeps): Provider {
  const { config, db, auth, orgs, log } = deps;

  async function findAccount(_ctx: unknown, sub: string): Promise<Account | undefined> {
    if (!UUID.test(sub)) return undefined;
    const user = await auth.getUser(sub);
    if (!user || user.status !== 'active') return undefined;
    return {
      accountId: user.id,
      async claims() {
        const org = user.orgId ? await orgs.byId(user.orgId) : null;
        return {
          sub: user.id,
          name: user.displayName,
          preferred_username: user.username,
          kind: user.kind,
          locale: user.locale,
          ...(org ? { org: { code: org.code, name: org.name } } : {}),
        };
      },
    };
  }

  /** Consent is remembered as a Grant: the session's, or else the account's latest live one for the client. */
  async function loadExistingGrant(ctx: Ctx): Promise<Grant | undefined> {
    const { provider, client, session, result, account } = ctx.oidc;
    const grantId = result?.consent?.grantId || session?.grantIdFor(client.clientId);
    if (grantId) return provider.Grant.find(grantId);
    if (!account) return undefined;
    const [row] = await db
      .select({ id: oidcPayloads.id })
      .from(oidcPayloads)
      .where(
        and(
          eq(oidcPayloads.model, 'Grant'),
          sql`${oidcPayloads.payload}->>'accountId' = ${account.accountId}`,
          sql`${oidcPayloads.payload}->>'clientId' = ${client.clientId}`,
          gt(oidcPayloads.expiresAt, new Date()),
        ),
      )
      .orderBy(desc(oidcPayloads.expiresAt))
      .limit(1);
    return row ? provider.Grant.find(row.id) : undefined;
  }

  // The standard login and consent prompts, plus one: a provider session whose account has since been
  // disabled or removed must sign in again (oidc-provider would otherwise carry on without an account).
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.push(
    new interactionPolicy.Check('account_unavailable', 'the signed-in account is no longer available', 'login_required', (ctx) => {
      const oidc = ctx.oidc as Ctx['oidc'];
      return !!oidc.session?.accountId && !oidc.account;
    }),
  );

  const configuration: Configuration = {
    adapter: adapterFactory(db, deps.clients),
    clients: [],
    jwks: { keys: deps.signingKeys },
    cookies: {
      keys: cookieKeys(config.masterKey),
      names: { session: 'dq_oidc_session', interaction: 'dq_oidc_interaction', resume: 'dq_oidc_resume' },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    scopes: [...SUPPORTED_SCOPES],
    claims: { acr: null, sid: null, auth_time: null, iss: null, ...SCOPE_CLAIMS },
    // Profile claims in the ID token too: most relying parties read the name from there.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    clientDefaults: { grant_types: ['authorization_code'], response_types: ['code'], id_token_signed_response_alg: 'RS256', token_endpoint_auth_method: 'client_secret_basic' },
    allowOmittingSingleRegisteredRedirectUri: false,
    // S256 is the only method oidc-provider accepts; public clients must use it, confidential ones may.
    pkce: { required: (_ctx: unknown, client: { clientAuthMethod: string }) => client.clientAuthMethod === 'none' },
    findAccount,
    loadExistingGrant,
    interactions: { policy, url: (_ctx: unknown, interaction: { uid: string }) => `${INTERACTION_PATH}/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: { enabled: false },
      claimsParameter: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: Ctx, form: string) => {
          ctx.type = 'html';
          ctx.body = logoutPage(pickLang(String(ctx.oidc.params?.ui_locales ?? ''), ctx.get('accept-language')), ctx.host, form);
        },
        postLogoutSuccessSource: (ctx: Ctx) => {
          ctx.type = 'html';
          ctx.body = loggedOutPage(pickLang(ctx.get('accept-language')), ctx.oidc.client?.clientName ?? '');
        },
      },
    },
    routes: {
      authorization: `${OIDC_PREFIX}/auth`,
      token: `${OIDC_PREFIX}/token`,
      userinfo: `${OIDC_PREFIX}/me`,
      jwks: `${OIDC_PREFIX}/jwks`,
      end_session: `${OIDC_PREFIX}/session/end`,
      revocation: `${OIDC_PREFIX}/token/revocation`,
      introspection: `${OIDC_PREFIX}/token/introspection`,
      pushed_authorization_request: `${OIDC_PREFIX}/par`,
      registration: `${OIDC_PREFIX}/reg`,
      code_verification: `${OIDC_PREFIX}/device`,
      device_authorization: `${OIDC_PREFIX}/device/auth`,
      backchannel_authentication: `${OIDC_PREFIX}/backchannel`,
      challenge: `${OIDC_PREFIX}/challenge`,
      credential: `${OIDC_PREFIX}/credential`,
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 1800,
      // The provider's own sign-in lasts as long as a portal session.
      Session: Math.round(config.sessionHours * 3600),
      Grant: 30 * 86400,
      RefreshToken: 14 * 86400,
      ClientCredentials: 600,
      DeviceCode: 600,
      BackchannelAuthenticationRequest: 600,
      PreAuthorizedCode: 600,
    },
    clientBasedCORS: (_ctx: unknown, origin: string, client: { redirectUris: string[] }) =>
      origin !== 'null' && client.redirectUris.some((u) => URL.canParse(u) && new URL(u).origin === origin),
    discovery: { ui_locales_supported: ['zh-CN', 'en'], claims_locales_supported: undefined, service_documentation: `${config.publicUrl}/api/docs` },
    renderError: (ctx: Ctx, out: { error?: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = errorPage(out.error, out.error_description);
    },
  };

  const provider = new Provider(deps.issuer, configuration);
  // Behind the production reverse proxy the client's scheme arrives in X-Forwarded-Proto; without
  // trusting it, the provider would refuse to set its secure cookies (Fastify trusts it likewise).
  provider.proxy = config.production;

  // "Sign out" at the provider signs the browser out of Digital Qingdao altogether: the portal
  // session whose cookie came along ends too (audited by AuthService), so the next sign-in asks again.
  provider.use(async (ctx: Ctx & { cookies: KoaCookies }, next: () => Promise<void>) => {
    await next();
    if (ctx.oidc?.route !== 'end_session_confirm' || ctx.status !== 303 || !ctx.oidc.params?.logout) return;
    const token = ctx.cookies.get(SESSION_COOKIE, { signed: false });
    if (!token) return;
    const s = await auth.resolveSession(token);
    if (s) {
      const actor = (await auth.loadActor(s.userId, 'oidc')) ?? systemActor('oidc');
      await auth.logout({ ...actor, ip: ctx.ip }, token);
    }
    for (const name of [SESSION_COOKIE, CSRF_COOKIE]) ctx.cookies.set(name, null, { signed: false, path: '/', overwrite: true });
  });

  provider.on('server_error', (_ctx: unknown, err: Error) => log.error({ err }, 'oidc provider error'));
  for (const ev of ['authorization.error', 'grant.error', 'userinfo.error', 'introspection.error', 'revocation.error', 'end_session.error', 'backchannel.error']) {
    provider.on(ev, (_ctx: unknown, err: Error & { error_description?: string }) => log.info({ event: ev, error: err.message, detail: err.error_description }, 'oidc request refused'));
  }
  // Koa prints unhandled errors to stderr unless someone listens; send them to the log instead.
  provider.on('error', (err: Error) => log.error({ err }, 'oidc provider unhandled error'));
  return provider;
}
