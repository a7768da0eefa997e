// HTTP for sign-in, the signed-in account, and account administration.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config';
import { listAudit } from '../../platform/audit/audit.service';
import { type Actor, systemActor } from '../../platform/auth/actor';
import { type AuthService, InvalidLogin } from '../../platform/auth/auth.service';
import { P } from '../../platform/auth/permissions';
import type { Db } from '../../platform/db/client';
import { AppError, errors, type FieldError } from '../../platform/http/problem';
import { Defaulted, Enum, IdParams, NoContent, PageQuery, Str, Text, Type, typed } from '../../platform/http/schema';
import { CSRF_COOKIE, SESSION_COOKIE, withRequest } from '../../platform/http/server';
import type { OrgService } from '../org';
import {
  ApiKeyPage,
  LOCALES,
  LoginResult,
  MeSchema,
  MyActivity,
  NewApiKey,
  NewUserBody,
  PermissionList,
  PermissionSchema,
  ROLE_SCOPES,
  RoleCode,
  RoleList,
  RoleSchema,
  TotpCode,
  TotpSetup,
  UserPage,
  UserQuery,
  UserSchema,
} from './identity.schemas';
import type { IdentityService } from './identity.service';

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
  const api = typed(app);

  const setSessionCookies = (reply: FastifyReply, token: string, csrf: string, expires: Date) => {
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.production, expires });
    reply.setCookie(CSRF_COOKIE, csrf, { path: '/', httpOnly: false, sameSite: 'strict', secure: config.production, expires });
  };

  api.post(
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
        body: Type.Object({ username: Text(64), password: Text(256) }),
        response: { 200: LoginResult },
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

  api.post(
    '/api/auth/register',
    {
      config: { auth: 'public', rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'A citizen opens an account with their ID number (GB 11643 check digit verified) and signs in',
        body: Type.Object({ username: Str(64, 3), password: Text(256), displayName: Text(100), idNumber: Str(18, 18), phone: Type.Optional(Str(11, 11)) }),
        response: { 201: LoginResult },
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

  api.post('/api/auth/logout', { config: { auth: 'partial' }, schema: { tags: ['auth'], summary: 'End the session', response: { 204: NoContent } } }, async (req, reply) => {
    if (req.session) await auth.logout(await partialActor(req, auth), req.session.token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  api.get(
    '/api/auth/me',
    { config: { auth: 'partial' }, schema: { tags: ['auth'], summary: 'The signed-in account, its organisation and permissions', response: { 200: MeSchema } } },
    async (req) => {
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
    },
  );

  api.patch(
    '/api/auth/me',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Change my language, display name or elder mode (适老化, remembered per account)',
        body: Type.Object({ locale: Type.Optional(Enum(LOCALES)), displayName: Type.Optional(Text(100)), elderMode: Type.Optional(Type.Boolean()) }, { minProperties: 1 }),
        response: { 200: Type.Object({ user: UserSchema }) },
      },
    },
    async (req) => ({ user: await auth.updateUser(req.actor!, req.actor!.userId!, req.body) }),
  );

  api.get(
    '/api/auth/me/activity',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Recent audit entries about my own account',
        querystring: Defaulted({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }),
        response: { 200: MyActivity },
      },
    },
    async (req) => {
      const r = await listAudit(deps.db, { entityType: 'user', entityId: req.actor!.userId!, limit: req.query.limit });
      return { items: r.items.map(({ prevHash: _p, hash: _h, ...rest }) => rest) };
    },
  );

  api.post(
    '/api/auth/password',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Change my password (the current one is required)',
        body: Type.Object({ currentPassword: Text(256), newPassword: Text(256) }),
        response: { 204: NoContent },
      },
    },
    async (req, reply) => {
      await auth.changePassword(req.actor!, req.actor!.userId!, req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send();
    },
  );

  api.post('/api/auth/totp/setup', { config: { auth: 'partial' }, schema: { tags: ['auth'], summary: 'Start two-factor enrolment', response: { 200: TotpSetup } } }, async (req) => {
    const actor = await partialActor(req, auth);
    return auth.beginTotp(actor, actor.userId!);
  });

  api.post(
    '/api/auth/totp/confirm',
    { config: { auth: 'partial' }, schema: { tags: ['auth'], summary: 'Finish enrolment with a code from the app', body: TotpCode, response: { 204: NoContent } } },
    async (req, reply) => {
      const actor = await partialActor(req, auth);
      await auth.confirmTotp(actor, actor.userId!, req.body.code, req.session?.tokenHash);
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/auth/totp/verify',
    {
      config: { auth: 'partial', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Second step of sign-in', body: TotpCode, response: { 204: NoContent } },
    },
    async (req, reply) => {
      if (!req.session) throw errors.unauthorized();
      const actor = await partialActor(req, auth);
      await auth.verifySecondFactor(actor, req.session.tokenHash, req.session.userId, req.body.code);
      return reply.code(204).send();
    },
  );

  api.delete(
    '/api/auth/totp',
    { config: { auth: 'authenticated' }, schema: { tags: ['auth'], summary: 'Turn off two-factor sign-in for my account', response: { 204: NoContent } } },
    async (req, reply) => {
      if (config.requireAdminTotp && req.actor!.roles.includes('admin')) throw errors.conflict('administrators must keep two-factor sign-in in production');
      await auth.disableTotp(req.actor!, req.actor!.userId!);
      return reply.code(204).send();
    },
  );

  // ---- users ----
  api.get(
    '/api/users',
    {
      config: { auth: P.userRead },
      schema: {
        tags: ['users'],
        summary: 'Accounts the caller may see, newest first',
        querystring: Defaulted({ ...UserQuery, ...PageQuery }),
        response: { 200: UserPage },
      },
    },
    (req) => identity.listUsers(req.actor!, req.query),
  );

  api.get(
    '/api/users/:id',
    { config: { auth: P.userRead }, schema: { tags: ['users'], summary: 'One account', params: IdParams, response: { 200: UserSchema } } },
    (req) => identity.getUser(req.actor!, req.params.id),
  );

  api.post(
    '/api/users',
    { config: { auth: P.userWrite }, schema: { tags: ['users'], summary: 'Create an account', body: NewUserBody, response: { 201: UserSchema } } },
    async (req, reply) => reply.code(201).send(await identity.createUser(req.actor!, req.body)),
  );

  api.patch(
    '/api/users/:id',
    {
      config: { auth: P.userWrite },
      schema: {
        tags: ['users'],
        summary: 'Rename, disable, move or unlock an account',
        params: IdParams,
        body: Type.Object(
          {
            displayName: Type.Optional(Text(100)),
            status: Type.Optional(Enum(['active', 'disabled'])),
            orgId: Type.Optional(Type.String({ format: 'uuid' })),
            unlock: Type.Optional(Type.Boolean()),
          },
          { minProperties: 1 },
        ),
        response: { 200: UserSchema },
      },
    },
    (req) => identity.updateUser(req.actor!, req.params.id, req.body),
  );

  api.put(
    '/api/users/:id/roles',
    {
      config: { auth: P.userWrite },
      schema: { tags: ['users'], summary: "Replace an account's roles", params: IdParams, body: Type.Object({ roles: RoleList }), response: { 200: UserSchema } },
    },
    (req) => identity.setRoles(req.actor!, req.params.id, req.body.roles),
  );

  // ---- roles and permissions ----
  api.get(
    '/api/roles',
    { config: { auth: P.roleRead }, schema: { tags: ['roles'], summary: 'Roles, built-in first', response: { 200: Type.Object({ items: Type.Array(RoleSchema) }) } } },
    async () => ({ items: await identity.listRoles() }),
  );

  api.get(
    '/api/permissions',
    { config: { auth: P.roleRead }, schema: { tags: ['roles'], summary: 'Every permission the platform knows', response: { 200: Type.Object({ items: Type.Array(PermissionSchema) }) } } },
    async () => ({ items: identity.permissions() }),
  );

  api.post(
    '/api/roles',
    {
      config: { auth: P.roleWrite },
      schema: {
        tags: ['roles'],
        summary: 'Create a custom role',
        body: Type.Object({ code: RoleCode, nameZh: Text(100), nameEn: Text(100), scope: Enum(ROLE_SCOPES), permissions: PermissionList }),
        response: { 201: RoleSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await identity.createRole(req.actor!, req.body)),
  );

  api.patch(
    '/api/roles/:code',
    {
      config: { auth: P.roleWrite },
      schema: {
        tags: ['roles'],
        summary: "Rename a role or change a custom role's permissions",
        params: Type.Object({ code: RoleCode }),
        body: Type.Object({ nameZh: Type.Optional(Text(100)), nameEn: Type.Optional(Text(100)), permissions: Type.Optional(PermissionList) }, { minProperties: 1 }),
        response: { 200: RoleSchema },
      },
    },
    (req) => identity.updateRole(req.actor!, req.params.code, req.body),
  );

  // ---- API keys ----
  api.get(
    '/api/api-keys',
    { config: { auth: P.apiKeyManage }, schema: { tags: ['api-keys'], summary: 'API keys, newest first', querystring: Defaulted({ ...PageQuery }), response: { 200: ApiKeyPage } } },
    (req) => identity.listApiKeys(req.actor!, req.query),
  );

  api.post(
    '/api/api-keys',
    {
      config: { auth: P.apiKeyManage },
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key; the key is in this response only',
        body: Type.Object({
          name: Text(100),
          userId: Type.String({ format: 'uuid' }),
          scopes: Type.Array(Text(64), { minItems: 1, maxItems: 100, uniqueItems: true }),
          expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
        }),
        response: { 201: NewApiKey },
      },
    },
    async (req, reply) => reply.code(201).send(await identity.createApiKey(req.actor!, req.body)),
  );

  api.delete(
    '/api/api-keys/:id',
    { config: { auth: P.apiKeyManage }, schema: { tags: ['api-keys'], summary: 'Revoke an API key', params: IdParams, response: { 204: NoContent } } },
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
