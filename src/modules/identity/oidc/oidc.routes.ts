// HTTP for the OpenID Connect provider: the provider's own endpoints (discovery, /oidc/*), the
// interaction pages (sign-in, second factor, consent) and the administrators' client registry.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Interaction, Provider } from 'oidc-provider';
import type { Logger } from 'pino';
import type { Config } from '../../../config';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, systemActor } from '../../../platform/auth/actor';
import { type AuthService, InvalidLogin } from '../../../platform/auth/auth.service';
import { P } from '../../../platform/auth/permissions';
import { sha256Hex } from '../../../platform/crypto/secrets';
import { type Db, inTransaction } from '../../../platform/db/client';
import { AppError } from '../../../platform/http/problem';
import { NoContent, Str, Type, typed } from '../../../platform/http/schema';
import { CSRF_COOKIE, SESSION_COOKIE, withRequest } from '../../../platform/http/server';
import type { JobQueue } from '../../../platform/jobs/queue';
import type { OrgService } from '../../org';
import { purgeExpiredPayloads, withTransaction } from './oidc.adapter';
import { OidcClientService, SUPPORTED_SCOPES } from './oidc.clients';
import { loadSigningKeys } from './oidc.keys';
import { createOidcProvider, INTERACTION_PATH, OIDC_PREFIX } from './oidc.provider';
import {
  ClientIdParams,
  ClientSchema,
  discoveryResponses,
  LangOnly,
  NewClientBody,
  NewClientSchema,
  pageResponses,
  providerResponses,
  redirectResponses,
  UidParams,
} from './oidc.schemas';
import { consentPage, errorPage, type ErrorKey, type InteractionView, type Lang, loginPage, pickLang, totpPage } from './oidc.views';

export interface OidcRouteDeps {
  config: Config;
  db: Db;
  auth: AuthService;
  orgs: OrgService;
  log: Logger;
}

export const OIDC_PURGE_JOB = 'oidc.purge';

/** Register the purge of expired provider artefacts (idempotent handler: deletes what has expired). */
export function registerOidcJobs(queue: JobQueue, db: Db): void {
  queue.register(OIDC_PURGE_JOB, async () => ({ removed: await purgeExpiredPayloads(db) }));
}

export async function ensureOidcSchedules(queue: JobQueue): Promise<void> {
  await queue.schedule('oidc.purge.hourly', OIDC_PURGE_JOB, 3600);
}

const LANG_COOKIE = 'dq_oidc_lang';
const PUBLIC_FORM = { auth: 'public', csrfExempt: true } as const;
const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };

export async function oidcRoutes(app: FastifyInstance, deps: OidcRouteDeps) {
  const { config, db, auth, log } = deps;
  const api = typed(app);
  const clients = new OidcClientService(db, config);
  const signingKeys = await loadSigningKeys(db, config.masterKey);

  // Built on first use from the public URL configured at that moment, and again should it change
  // (tests learn their port only after listen()); in a deployment it is built once.
  let provider: Provider | null = null;
  let callback: ReturnType<Provider['callback']> | null = null;
  const getProvider = (): Provider => {
    if (!provider || provider.issuer !== config.publicUrl) {
      provider = createOidcProvider({ ...deps, clients, signingKeys, issuer: config.publicUrl });
      callback = null;
    }
    return provider;
  };



  // ---- the provider's endpoints --------------------------------------------------------------
  // Its own body parser reads the request stream, so in this scope Fastify leaves bodies unread.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const p = getProvider();
      callback ??= p.callback();
      reply.hijack();
      reply.raw.setHeader('x-request-id', String(req.id));
      await callback(req.raw, reply.raw);
    };
    // The reply is hijacked (oidc-provider writes the raw response): these schemas document, they do not serialise.
    scope.route({
      method: ['GET', 'OPTIONS'],
      url: '/.well-known/openid-configuration',
      config: PUBLIC_FORM,
      schema: { hide: true, summary: 'OpenID Connect discovery', response: discoveryResponses() },
      handler,
    });
    scope.route({
      method: ['GET', 'POST', 'OPTIONS'],
      url: `${OIDC_PREFIX}/*`,
      config: PUBLIC_FORM,
      schema: { hide: true, summary: 'The OpenID Connect provider (authorization, token, userinfo, JWKS, revocation, introspection, end session)', response: providerResponses() },
      handler,
    });
  });

  // ---- interaction pages -------------------------------------------------------------------
  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).headers(HTML_HEADERS).send(body);

  const setSessionCookies = (reply: FastifyReply, token: string, csrf: string, expires: Date) => {
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.production, expires });
    reply.setCookie(CSRF_COOKIE, csrf, { path: '/', httpOnly: false, sameSite: 'strict', secure: config.production, expires });
  };

  /** The interaction this browser is in (its signed, path-scoped cookie), or null after an error page was sent. */
  async function loadInteraction(req: Pick<FastifyRequest, 'raw' | 'log'> & { params: { uid: string } }, reply: FastifyReply): Promise<Interaction | null> {
    try {
      const d = await getProvider().interactionDetails(req.raw, reply.raw);
      if (d.uid === req.params.uid) return d;
    } catch (err) {
      req.log.info({ err: (err as Error).message }, 'oidc interaction not found');
    }
    html(reply, 400, errorPage('invalid_request', 'the sign-in request has expired or is unknown'));
    return null;
  }

  async function viewOf(d: Interaction, lang: Lang): Promise<InteractionView | null> {
    const client = await getProvider().Client.find(d.params.client_id ?? '');
    if (!client) return null;
    return { lang, base: `${INTERACTION_PATH}/${d.uid}`, clientName: client.clientName ?? client.clientId };
  }

  /** Record the outcome of this step and send the browser back to the provider. */
  async function finish(req: FastifyRequest, reply: FastifyReply, result: Parameters<Provider['interactionResult']>[2], merge: boolean) {
    const returnTo = await getProvider().interactionResult(req.raw, reply.raw, result, { mergeWithLastSubmission: merge });
    return reply.code(303).header('cache-control', 'no-store').redirect(returnTo, 303);
  }

  async function oidcActor(req: FastifyRequest, userId: string): Promise<Actor> {
    const a = await auth.loadActor(userId, 'oidc');
    if (a) return withRequest(a, req);
    const u = await auth.getUser(userId);
    return withRequest({ ...systemActor(u?.username ?? 'unknown'), userId, displayName: u?.displayName ?? '', kind: (u?.kind as Actor['kind']) ?? 'citizen', roles: [], grants: [], permissions: new Set(), via: 'oidc' }, req);
  }

  /** Only a plain "nobody is signed in" may be satisfied by the portal session; prompt=login and max_age need a fresh sign-in. */
  const portalSessionSuffices = (d: Interaction) => d.prompt.reasons.every((r) => r === 'no_session') && d.params.max_age === undefined;

  api.get(
    `${INTERACTION_PATH}/:uid`,
    { config: PUBLIC_FORM, schema: { hide: true, summary: 'The page of an interaction step: sign-in or consent', params: UidParams, querystring: LangOnly, response: pageResponses() } },
    async (req, reply) => {
      const d = await loadInteraction(req, reply);
      if (!d) return reply;
      const user = d.session?.accountId ? await auth.getUser(d.session.accountId) : null;
      // A language picked on these pages sticks for the following steps (login → consent).
      const chosen = req.query.lang ? pickLang(req.query.lang) : null;
      if (chosen) reply.setCookie(LANG_COOKIE, chosen, { path: INTERACTION_PATH, httpOnly: true, sameSite: 'lax', secure: config.production, maxAge: 365 * 86400 });
      const v = await viewOf(d, pickLang(chosen, req.cookies[LANG_COOKIE], d.params.ui_locales, user?.locale ?? req.actor?.locale));
      if (!v) return html(reply, 400, errorPage('invalid_client', 'the application is not registered or has been disabled'));
      if (d.prompt.name === 'login') {
        if (req.actor?.userId && portalSessionSuffices(d)) {
          return finish(req, reply, { login: { accountId: req.actor.userId } }, false);
        }
        return html(reply, 200, loginPage(v, { forced: !portalSessionSuffices(d), username: d.params.login_hint }));
      }
      if (d.prompt.name === 'consent') {
        if (!user || user.status !== 'active') return html(reply, 400, errorPage('login_required', 'the account is no longer available'));
        const requested = (d.params.scope ?? '').split(' ').filter((s) => (SUPPORTED_SCOPES as readonly string[]).includes(s));
        let redirectHost: string | null = null;
        if (d.params.redirect_uri && URL.canParse(d.params.redirect_uri)) redirectHost = new URL(d.params.redirect_uri).host;
        return html(reply, 200, consentPage(v, { displayName: user.displayName, username: user.username, scopes: requested, redirectHost }));
      }
      return html(reply, 400, errorPage('invalid_request', `unsupported prompt ${d.prompt.name}`));
    },
  );

  api.post(
    `${INTERACTION_PATH}/:uid/login`,
    {
      config: {
        ...PUBLIC_FORM,
        rateLimit: {
          max: 20,
          timeWindow: '1 minute',
          keyGenerator: (req: FastifyRequest) => `oidc|${req.ip}|${String((req.body as { username?: string } | undefined)?.username ?? '').toLowerCase()}`,
        },
      },
      schema: {
        hide: true,
        summary: 'Sign in with username and password within an interaction',
        params: UidParams,
        body: Type.Object({ username: Type.Optional(Str(64)), password: Type.Optional(Str(256)), lang: Type.Optional(Str(10)) }),
        response: pageResponses(),
      },
    },
    async (req, reply) => {
      const d = await loadInteraction(req, reply);
      if (!d) return reply;
      const v = await viewOf(d, pickLang(req.body.lang));
      if (!v) return html(reply, 400, errorPage('invalid_client', 'the application is not registered or has been disabled'));
      if (d.prompt.name !== 'login') return reply.redirect(v.base, 303);
      const username = (req.body.username ?? '').trim();
      const password = req.body.password ?? '';
      const again = (status: number, error: ErrorKey) => html(reply, status, loginPage(v, { error, username, forced: !portalSessionSuffices(d) }));
      if (!username || !password) return again(400, 'missing');
      let r: Awaited<ReturnType<AuthService['login']>>;
      try {
        r = await auth.login(withRequest(systemActor('anonymous'), req), username, password, { ip: req.ip, userAgent: req.headers['user-agent'] });
      } catch (err) {
        if (err instanceof InvalidLogin) return again(401, 'invalid');
        if (err instanceof AppError && err.status === 429) {
          if (typeof err.extra.retryAfter === 'number') reply.header('retry-after', String(err.extra.retryAfter));
          return again(429, 'throttled');
        }
        if (err instanceof AppError && err.status === 403) return again(403, 'disabled');
        throw err;
      }
      // The sign-in is a portal sign-in too: the browser is now signed in to Digital Qingdao.
      setSessionCookies(reply, r.token, r.csrfToken, r.expiresAt);
      if (r.mfaRequired) {
        if (!r.user.totpEnabled) return again(403, 'enrol');
        // The code must complete this very sign-in: remember its session in the interaction.
        await getProvider().interactionResult(req.raw, reply.raw, { pendingMfa: sha256Hex(r.token) }, { mergeWithLastSubmission: false });
        return html(reply, 200, totpPage(v, { displayName: r.user.displayName }));
      }
      return finish(req, reply, { login: { accountId: r.user.id, amr: ['pwd'] } }, false);
    },
  );

  api.post(
    `${INTERACTION_PATH}/:uid/totp`,
    {
      config: { ...PUBLIC_FORM, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        hide: true,
        summary: 'The second factor of a sign-in within an interaction',
        params: UidParams,
        body: Type.Object({ code: Type.Optional(Str(20)), lang: Type.Optional(Str(10)) }),
        response: pageResponses(),
      },
    },
    async (req, reply) => {
      const d = await loadInteraction(req, reply);
      if (!d) return reply;
      const v = await viewOf(d, pickLang(req.body.lang));
      if (!v) return html(reply, 400, errorPage('invalid_client', 'the application is not registered or has been disabled'));
      if (d.prompt.name !== 'login') return reply.redirect(v.base, 303);
      const s = req.session;
      if (!s || !d.result?.pendingMfa || d.result.pendingMfa !== s.tokenHash) return html(reply, 401, loginPage(v, { error: 'invalid', forced: !portalSessionSuffices(d) }));
      if (!s.mfaPassed) {
        const actor = await oidcActor(req, s.userId);
        const code = (req.body.code ?? '').replace(/\s+/g, '');
        const user = await auth.getUser(s.userId);
        if (!/^\d{6}$/.test(code)) return html(reply, 400, totpPage(v, { displayName: user?.displayName ?? '', error: 'code' }));
        try {
          await auth.verifySecondFactor(actor, s.tokenHash, s.userId, code);
        } catch (err) {
          if (err instanceof AppError && err.status === 400) return html(reply, 401, totpPage(v, { displayName: user?.displayName ?? '', error: 'code' }));
          if (err instanceof AppError && err.status === 409) return html(reply, 401, loginPage(v, { error: 'invalid' }));
          throw err;
        }
      }
      return finish(req, reply, { login: { accountId: s.userId, amr: ['pwd', 'otp'] } }, false);
    },
  );

  api.post(
    `${INTERACTION_PATH}/:uid/confirm`,
    { config: PUBLIC_FORM, schema: { hide: true, summary: 'Grant the consent asked for', params: UidParams, body: LangOnly, response: redirectResponses() } },
    async (req, reply) => {
      const d = await loadInteraction(req, reply);
      if (!d) return reply;
      const accountId = d.session?.accountId;
      const clientId = d.params.client_id;
      if (d.prompt.name !== 'consent' || !accountId || !clientId) return reply.redirect(`${INTERACTION_PATH}/${d.uid}`, 303);
      const p = getProvider();
      const grant = (d.grantId ? await p.Grant.find(d.grantId) : undefined) ?? new p.Grant({ accountId, clientId });
      const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = d.prompt.details;
      if (missingOIDCScope?.length) grant.addOIDCScope(missingOIDCScope.join(' '));
      if (missingOIDCClaims?.length) grant.addOIDCClaims(missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      const actor = await oidcActor(req, accountId);
      // The grant and its audit entry land together.
      const grantId = await inTransaction(db, (tx) =>
        withTransaction(tx, async () => {
          const id = await grant.save();
          await recordAudit(tx, actor, {
            action: 'oidc.consent',
            entityType: 'oidc_client',
            entityId: clientId,
            orgId: actor.orgId,
            note: { decision: 'granted', scopes: grant.getOIDCScope().split(' ').filter(Boolean), grantId: id },
          });
          return id;
        }),
      );
      return finish(req, reply, { consent: { grantId } }, true);
    },
  );

  api.post(
    `${INTERACTION_PATH}/:uid/abort`,
    { config: PUBLIC_FORM, schema: { hide: true, summary: 'Refuse consent or abandon the sign-in (access_denied to the client)', params: UidParams, body: LangOnly, response: redirectResponses() } },
    async (req, reply) => {
      const d = await loadInteraction(req, reply);
      if (!d) return reply;
      const accountId = d.session?.accountId;
      if (d.prompt.name === 'consent' && accountId) {
        const actor = await oidcActor(req, accountId);
        const requested = (d.params.scope ?? '').split(' ').filter(Boolean);
        await inTransaction(db, (tx) =>
          recordAudit(tx, actor, { action: 'oidc.consent', entityType: 'oidc_client', entityId: d.params.client_id ?? null, orgId: actor.orgId, note: { decision: 'denied', scopes: requested } }),
        );
      }
      return finish(req, reply, { error: 'access_denied', error_description: 'End-User aborted interaction' }, false);
    },
  );

  // ---- client registry (administrators) -------------------------------------------------------
  api.get(
    '/api/oidc/clients',
    {
      config: { auth: P.oidcClientManage },
      schema: { tags: ['oidc'], summary: 'Registered OpenID Connect clients (relying parties)', response: { 200: Type.Object({ items: Type.Array(ClientSchema) }) } },
    },
    async () => ({ items: await clients.list() }),
  );

  api.post(
    '/api/oidc/clients',
    {
      config: { auth: P.oidcClientManage },
      schema: {
        tags: ['oidc'],
        summary: 'Register a client; a confidential client’s secret is in this response only',
        body: NewClientBody,
        response: { 201: NewClientSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await clients.create(req.actor!, req.body)),
  );

  api.delete(
    '/api/oidc/clients/:clientId',
    {
      config: { auth: P.oidcClientManage },
      schema: {
        tags: ['oidc'],
        summary: 'Disable a client: it can no longer sign users in, and its tokens stop working',
        params: ClientIdParams,
        response: { 204: NoContent },
      },
    },
    async (req, reply) => {
      await clients.disable(req.actor!, req.params.clientId);
      return reply.code(204).send();
    },
  );

  log.debug({ keys: signingKeys.map((k) => ({ kid: k.kid, alg: k.alg })) }, 'oidc provider ready');
}
