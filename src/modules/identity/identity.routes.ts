// HTTP for sign-in, the signed-in account, and account administration.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config';
import { listAudit } from '../../platform/audit/audit.service';
import { type Actor, systemActor } from '../../platform/auth/actor';
import { type AuthService, InvalidLogin } from '../../platform/auth/auth.service';
import { P } from '../../platform/auth/permissions';
import type { Db } from '../../platform/db/client';
import { limitOffsetQuery, pageSchema, uuidParam } from '../../platform/http/paging';
import { AppError, errors, type FieldError } from '../../platform/http/problem';
import { CSRF_COOKIE, SESSION_COOKIE, withRequest } from '../../platform/http/server';
import type { OrgService } from '../org';
import type { IdentityService } from './identity.service';

const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    kind: { type: 'string' },
    orgId: { type: ['string', 'null'] },
    orgName: { type: ['string', 'null'] },
    orgNameEn: { type: ['string', 'null'] },
    idNumberMasked: { type: ['string', 'null'] },
    phoneMasked: { type: ['string', 'null'] },
    locale: { type: 'string' },
    elderMode: { type: 'boolean' },
    totpEnabled: { type: 'boolean' },
    status: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    lastLoginAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    locked: { type: 'boolean' },
  },
} as const;

const roleSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    nameZh: { type: 'string' },
    nameEn: { type: 'string' },
    scope: { type: 'string' },
    permissions: { type: 'array', items: { type: 'string' } },
    builtin: { type: 'boolean' },
  },
} as const;

const LOCALES = ['zh-CN', 'en'];
const str = (min: number, max: number) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const codeBody = { type: 'object', required: ['code'], properties: { code: { type: 'string', pattern: '^\\d{6}$' } } } as const;

export interface IdentityRouteDeps {
  config: Config;
  db: Db;
  auth: AuthService;
  identity: IdentityService;
  orgs: OrgService;
}

/** The actor for a session that still owes its second factor: enough to audit, nothing more. */
async function partialActor(req: FastifyRequest, auth: AuthService): Promise<Actor> {
  if (req.actor) return req.actor;
  const u = req.session ? await auth.getUser(req.session.userId) : null;
  if (!u) throw errors.unauthorized();
  return withRequest({ ...systemActor(u.username), userId: u.id, username: u.username, displayName: u.displayName, permissions: new Set(), grants: [], via: 'session', kind: u.kind as Actor['kind'] }, req);
}

export async function identityRoutes(app: FastifyInstance, deps: IdentityRouteDeps) {
  const { auth, identity, orgs, config } = deps;

  const setSessionCookies = (reply: FastifyReply, token: string, csrf: string, expires: Date) => {
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.production, expires });
    reply.setCookie(CSRF_COOKIE, csrf, { path: '/', httpOnly: false, sameSite: 'strict', secure: config.production, expires });
  };

  app.post<{ Body: { username: string; password: string } }>(
    '/api/auth/login',
    {
      config: {
        auth: 'public',
        rateLimit: {
          max: 20,
          timeWindow: '1 minute',
          keyGenerator: (req: FastifyRequest) => `${req.ip}|${String((req.body as { username?: string } | undefined)?.username ?? '').toLowerCase()}`,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password; sets the session cookie',
        body: { type: 'object', required: ['username', 'password'], properties: { username: str(1, 64), password: str(1, 256) } },
      },
    },
    async (req, reply) => {
      try {
        const r = await auth.login(withRequest(systemActor('anonymous'), req), req.body.username, req.body.password, { ip: req.ip, userAgent: req.headers['user-agent'] });
        setSessionCookies(reply, r.token, r.csrfToken, r.expiresAt);
        return { user: r.user, mfaRequired: r.mfaRequired, csrfToken: r.csrfToken };
      } catch (err) {
        // One answer for an unknown account, a wrong password and an account that must wait (see login-throttle.ts).
        if (err instanceof InvalidLogin) throw new AppError(401, 'invalid-login', 'Sign-in failed', 'wrong username or password; after repeated failures, wait a moment before the next attempt');
        throw err;
      }
    },
  );

  app.post<{ Body: { username: string; password: string; displayName: string; idNumber: string; phone?: string } }>(
    '/api/auth/register',
    {
      config: { auth: 'public', rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'A citizen opens an account with their ID number (GB 11643 check digit verified) and signs in',
        body: {
          type: 'object',
          required: ['username', 'password', 'displayName', 'idNumber'],
          properties: { username: str(3, 64), password: str(1, 256), displayName: str(1, 100), idNumber: str(18, 18), phone: str(11, 11) },
        },
      },
    },
    async (req, reply) => {
      if (config.production && !config.allowSelfRegistration) throw errors.forbidden('self-registration is disabled on this installation');
      const actor = withRequest(systemActor('self-registration'), req);
      try {
        await auth.createUser(actor, { ...req.body, kind: 'citizen', roles: ['citizen'] });
      } catch (err) {
        if (err instanceof AppError && err.status === 409) throw await registrationConflict(auth, req.body, err);
        throw err;
      }
      const r = await auth.login(actor, req.body.username, req.body.password, { ip: req.ip, userAgent: req.headers['user-agent'] });
      setSessionCookies(reply, r.token, r.csrfToken, r.expiresAt);
      return reply.code(201).send({ user: r.user, mfaRequired: r.mfaRequired, csrfToken: r.csrfToken });
    },
  );

  app.post('/api/auth/logout', { config: { auth: 'partial' }, schema: { tags: ['auth'], summary: 'End the session' } }, async (req, reply) => {
    if (req.session) await auth.logout(await partialActor(req, auth), req.session.token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/auth/me', { config: { auth: 'partial' }, schema: { tags: ['auth'], summary: 'The signed-in account, its organisation and permissions' } }, async (req) => {
    const userId = req.actor?.userId ?? req.session?.userId;
    if (!userId) throw errors.unauthorized();
    const user = await auth.getUser(userId);
    if (!user) throw errors.unauthorized();
    const org = user.orgId ? await orgs.byId(user.orgId) : null;
    return {
      user,
      org: org ? { id: org.id, code: org.code, kind: org.kind, name: org.name, nameEn: org.nameEn } : null,
      permissions: req.actor ? [...req.actor.permissions].sort() : [],
      roles: user.roles,
      mfaPending: !req.actor,
      csrfToken: req.session?.csrfToken ?? null,
    };
  });

  app.patch<{ Body: { locale?: string; displayName?: string; elderMode?: boolean } }>(
    '/api/auth/me',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Change my language, display name or elder mode (适老化, remembered per account)',
        body: { type: 'object', minProperties: 1, properties: { locale: { type: 'string', enum: LOCALES }, displayName: str(1, 100), elderMode: { type: 'boolean' } } },
      },
    },
    async (req) => ({ user: await auth.updateUser(req.actor!, req.actor!.userId!, req.body) }),
  );

  app.get<{ Querystring: { limit: number } }>(
    '/api/auth/me/activity',
    {
      config: { auth: 'authenticated' },
      schema: { tags: ['auth'], summary: 'Recent audit entries about my own account', querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } } } },
    },
    async (req) => {
      const r = await listAudit(deps.db, { entityType: 'user', entityId: req.actor!.userId!, limit: req.query.limit });
      return { items: r.items.map(({ prevHash: _p, hash: _h, ...rest }) => rest) };
    },
  );

  app.post<{ Body: { currentPassword: string; newPassword: string } }>(
    '/api/auth/password',
    {
      config: { auth: 'authenticated' },
      schema: { tags: ['auth'], body: { type: 'object', required: ['currentPassword', 'newPassword'], properties: { currentPassword: str(1, 256), newPassword: str(1, 256) } } },
    },
    async (req, reply) => {
      await auth.changePassword(req.actor!, req.actor!.userId!, req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send();
    },
  );

  app.post('/api/auth/totp/setup', { config: { auth: 'partial' }, schema: { tags: ['auth'], summary: 'Start two-factor enrolment' } }, async (req) => {
    const actor = await partialActor(req, auth);
    return auth.beginTotp(actor, actor.userId!);
  });

  app.post<{ Body: { code: string } }>(
    '/api/auth/totp/confirm',
    { config: { auth: 'partial' }, schema: { tags: ['auth'], summary: 'Finish enrolment with a code from the app', body: codeBody } },
    async (req, reply) => {
      const actor = await partialActor(req, auth);
      await auth.confirmTotp(actor, actor.userId!, req.body.code, req.session?.tokenHash);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { code: string } }>(
    '/api/auth/totp/verify',
    {
      config: { auth: 'partial', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Second step of sign-in', body: codeBody },
    },
    async (req, reply) => {
      if (!req.session) throw errors.unauthorized();
      const actor = await partialActor(req, auth);
      await auth.verifySecondFactor(actor, req.session.tokenHash, req.session.userId, req.body.code);
      return reply.code(204).send();
    },
  );

  app.delete('/api/auth/totp', { config: { auth: 'authenticated' }, schema: { tags: ['auth'] } }, async (req, reply) => {
    if (config.requireAdminTotp && req.actor!.roles.includes('admin')) throw errors.conflict('administrators must keep two-factor sign-in in production');
    await auth.disableTotp(req.actor!, req.actor!.userId!);
    return reply.code(204).send();
  });

  // ---- users ----
  app.get<{ Querystring: { q?: string; kind?: string; orgId?: string; role?: string; limit: number; offset: number } }>(
    '/api/users',
    {
      config: { auth: P.userRead },
      schema: {
        tags: ['users'],
        querystring: {
          type: 'object',
          properties: {
            q: { type: 'string', maxLength: 100 },
            kind: { type: 'string', enum: ['citizen', 'enterprise', 'staff'] },
            orgId: { type: 'string', format: 'uuid' },
            role: { type: 'string', maxLength: 64 },
            ...limitOffsetQuery,
          },
        },
        response: { 200: pageSchema(userSchema) },
      },
    },
    (req) => identity.listUsers(req.actor!, req.query),
  );

  app.get<{ Params: { id: string } }>(
    '/api/users/:id',
    { config: { auth: P.userRead }, schema: { tags: ['users'], params: uuidParam, response: { 200: userSchema } } },
    (req) => identity.getUser(req.actor!, req.params.id),
  );

  app.post<{ Body: { username: string; displayName: string; kind: 'citizen' | 'enterprise' | 'staff'; password: string; orgId?: string; idNumber?: string; phone?: string; roles: string[] } }>(
    '/api/users',
    {
      config: { auth: P.userWrite },
      schema: {
        tags: ['users'],
        body: {
          type: 'object',
          required: ['username', 'displayName', 'kind', 'password', 'roles'],
          properties: {
            username: str(3, 64),
            displayName: str(1, 100),
            kind: { type: 'string', enum: ['citizen', 'enterprise', 'staff'] },
            password: str(1, 256),
            orgId: { type: 'string', format: 'uuid' },
            idNumber: { type: 'string', maxLength: 18 },
            phone: { type: 'string', maxLength: 11 },
            roles: { type: 'array', items: str(1, 64), maxItems: 20, uniqueItems: true },
          },
        },
        response: { 201: userSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await identity.createUser(req.actor!, req.body)),
  );

  app.patch<{ Params: { id: string }; Body: { displayName?: string; status?: 'active' | 'disabled'; orgId?: string; unlock?: boolean } }>(
    '/api/users/:id',
    {
      config: { auth: P.userWrite },
      schema: {
        tags: ['users'],
        params: uuidParam,
        body: {
          type: 'object',
          minProperties: 1,
          properties: { displayName: str(1, 100), status: { type: 'string', enum: ['active', 'disabled'] }, orgId: { type: 'string', format: 'uuid' }, unlock: { type: 'boolean' } },
        },
        response: { 200: userSchema },
      },
    },
    (req) => identity.updateUser(req.actor!, req.params.id, req.body),
  );

  app.put<{ Params: { id: string }; Body: { roles: string[] } }>(
    '/api/users/:id/roles',
    {
      config: { auth: P.userWrite },
      schema: {
        tags: ['users'],
        params: uuidParam,
        body: { type: 'object', required: ['roles'], properties: { roles: { type: 'array', items: str(1, 64), maxItems: 20, uniqueItems: true } } },
        response: { 200: userSchema },
      },
    },
    (req) => identity.setRoles(req.actor!, req.params.id, req.body.roles),
  );

  // ---- roles and permissions ----
  app.get('/api/roles', { config: { auth: P.roleRead }, schema: { tags: ['roles'], response: { 200: { type: 'object', properties: { items: { type: 'array', items: roleSchema } } } } } }, async () => ({
    items: await identity.listRoles(),
  }));

  app.get('/api/permissions', { config: { auth: P.roleRead }, schema: { tags: ['roles'] } }, async () => ({ items: identity.permissions() }));

  app.post<{ Body: { code: string; nameZh: string; nameEn: string; scope: 'city' | 'district' | 'department' | 'self'; permissions: string[] } }>(
    '/api/roles',
    {
      config: { auth: P.roleWrite },
      schema: {
        tags: ['roles'],
        body: {
          type: 'object',
          required: ['code', 'nameZh', 'nameEn', 'scope', 'permissions'],
          properties: {
            code: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,40}$' },
            nameZh: str(1, 100),
            nameEn: str(1, 100),
            scope: { type: 'string', enum: ['city', 'district', 'department', 'self'] },
            permissions: { type: 'array', items: str(1, 64), maxItems: 200, uniqueItems: true },
          },
        },
        response: { 201: roleSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await identity.createRole(req.actor!, req.body)),
  );

  app.patch<{ Params: { code: string }; Body: { nameZh?: string; nameEn?: string; permissions?: string[] } }>(
    '/api/roles/:code',
    {
      config: { auth: P.roleWrite },
      schema: {
        tags: ['roles'],
        params: { type: 'object', required: ['code'], properties: { code: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,40}$' } } },
        body: {
          type: 'object',
          minProperties: 1,
          properties: { nameZh: str(1, 100), nameEn: str(1, 100), permissions: { type: 'array', items: str(1, 64), maxItems: 200, uniqueItems: true } },
        },
        response: { 200: roleSchema },
      },
    },
    (req) => identity.updateRole(req.actor!, req.params.code, req.body),
  );

  // ---- API keys ----
  app.get<{ Querystring: { limit: number; offset: number } }>(
    '/api/api-keys',
    { config: { auth: P.apiKeyManage }, schema: { tags: ['api-keys'], querystring: { type: 'object', properties: { ...limitOffsetQuery } } } },
    (req) => identity.listApiKeys(req.actor!, req.query),
  );

  app.post<{ Body: { name: string; userId: string; scopes: string[]; expiresInDays?: number } }>(
    '/api/api-keys',
    {
      config: { auth: P.apiKeyManage },
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key; the key is in this response only',
        body: {
          type: 'object',
          required: ['name', 'userId', 'scopes'],
          properties: {
            name: str(1, 100),
            userId: { type: 'string', format: 'uuid' },
            scopes: { type: 'array', items: str(1, 64), minItems: 1, maxItems: 100, uniqueItems: true },
            expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 },
          },
        },
      },
    },
    async (req, reply) => reply.code(201).send(await identity.createApiKey(req.actor!, req.body)),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/api-keys/:id',
    { config: { auth: P.apiKeyManage }, schema: { tags: ['api-keys'], params: uuidParam } },
    async (req, reply) => {
      await identity.revokeApiKey(req.actor!, req.params.id);
      return reply.code(204).send();
    },
  );
}

/**
 * A taken username or ID number on registration: a 409 that names the field, like a 422 does, so the form
 * can mark it. The phone number is stored masked only (not unique), so it never conflicts.
 */
async function registrationConflict(auth: AuthService, body: { username: string; idNumber: string }, cause: AppError): Promise<AppError> {
  const fields: FieldError[] = [];
  if (await auth.findByUsername(body.username)) fields.push({ path: '/username', message: 'this username is taken' });
  if (await auth.findByIdNumber(body.idNumber.toUpperCase())) fields.push({ path: '/idNumber', message: 'an account with this ID number already exists' });
  return new AppError(409, 'conflict', 'Conflict', cause.message, fields.length ? fields : undefined);
}
