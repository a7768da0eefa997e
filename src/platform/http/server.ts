// The Fastify instance every module registers on: validation, problem+json errors, request ids,
// security headers, authentication, the per-route permission gate, OpenAPI and metrics.
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify';
import type { Logger } from 'pino';
import client from 'prom-client';
import type { Config } from '../../config';
import { can, type Actor } from '../auth/actor';
import type { AuthService } from '../auth/auth.service';
import { findTextProblems, textProblem } from '../text/text-rule';
import { AppError, problemType, type FieldError, type Problem } from './problem';
import { serializerFactory } from './response-check';
import { ProblemResponse, ProblemSchema } from './schema';
import './types';

const addFormats = addFormatsPlugin as unknown as (a: Ajv) => Ajv;

export const SESSION_COOKIE = 'dq_session';
export const CSRF_COOKIE = 'dq_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface RegisteredRoute {
  method: string;
  url: string;
  auth: string;
  hasBody: boolean;
  /** The route's own body limit when it differs from the server's (bulk push APIs). */
  bodyLimit?: number;
  schema: RouteOptions['schema'];
}

export interface HttpServerDeps {
  config: Config;
  log: Logger;
  auth: AuthService;
}

export async function createHttpServer(deps: HttpServerDeps): Promise<{ app: FastifyInstance; routes: RegisteredRoute[]; metrics: client.Registry }> {
  const { config } = deps;
  const routes: RegisteredRoute[] = [];
  const app = Fastify({
    loggerInstance: deps.log as unknown as FastifyBaseLogger,
    bodyLimit: config.bodyLimit,
    trustProxy: config.production,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[A-Za-z0-9._-]{8,128}$/.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    schemaController: { compilersFactory: { buildSerializer: serializerFactory(config.checkResponses) as never } },
  });

  // Two validators: query strings and path parameters arrive as text and are coerced to the declared
  // types; JSON bodies are checked strictly (a number where a string belongs is an error, not a guess).
  // Unknown fields are an error in both, never silently dropped.
  const strict = addFormats(new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes: false, strict: false }));
  const coercing = addFormats(new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes: 'array', strict: false }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));

  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);

  // Every route must say who may call it; undeclared routes refuse to start the server.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), auth: 'public' } as never;
    const auth = (route.config as { auth?: string } | undefined)?.auth;
    if (!auth) throw new Error(`route ${String(route.method)} ${route.url} does not declare config.auth`);
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    for (const part of ['body', 'querystring', 'params'] as const) {
      const s = schema[part] as Record<string, unknown> | undefined;
      const isObject = s && (s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object')));
      if (s && isObject && s.additionalProperties === undefined) s.additionalProperties = false;
    }
    // Errors are problem+json everywhere, unless a route speaks another protocol's error shape (OAuth's
    // { error, error_description }) and declares its own 4xx.
    if (!route.url.startsWith('/api/docs')) {
      const response = (schema.response ?? {}) as Record<string, unknown>;
      const codes = Object.keys(response);
      if (!codes.some((c) => c.startsWith('4'))) response['4XX'] = ProblemResponse;
      if (!codes.some((c) => c.startsWith('5'))) response['5XX'] = ProblemResponse;
      schema.response = response;
      route.schema = schema;
    }
    if (route.url.startsWith('/api/') || route.url.startsWith('/oidc')) {
      schema.security = auth === 'public' ? [] : [{ session: [] }, { apiKey: [] }];
      const note = auth === 'public' ? 'Public.' : auth === 'authenticated' || auth === 'partial' ? 'Any signed-in account.' : `Requires permission \`${auth}\`.`;
      // onRoute runs again for the HEAD twin of a GET, on the same schema object: add the note once.
      if (!String(schema.description ?? '').includes(note)) schema.description = [schema.description, note].filter(Boolean).join(' ');
      route.schema = schema;
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      if (m === 'HEAD') continue;
      routes.push({ method: m, url: route.url, auth, hasBody: !!schema.body, bodyLimit: route.bodyLimit, schema: route.schema });
    }
  });

  const metrics = new client.Registry();
  client.collectDefaultMetrics({ register: metrics });
  const httpDuration = new client.Histogram({
    name: 'dq_http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics],
  });

  await app.register(cookie);
  await app.register(formbody);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        formAction: ["'self'", 'http:', 'https:'],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.production ? [] : null,
      },
    },
    hsts: config.production,
  });
  // preHandler: the body is parsed by then, so sign-in limits can key on the account as well as the address.
  await app.register(rateLimit, { global: false, hook: 'preHandler' });

  // Shared schemas (the problem shape) become named components of the OpenAPI document.
  app.addSchema(ProblemSchema);
  await app.register(swagger, {
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Digital Qingdao platform API', version: '0.1.0', description: 'City digital-government platform (数字青岛).' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key: Authorization: Bearer dqk_…' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // ---- authentication: who is calling --------------------------------------------------------
  app.addHook('onRequest', async (req, reply) => {
    const cfg = req.routeOptions.config as { auth?: string; csrfExempt?: boolean } | undefined;
    const need = cfg?.auth;
    if (!need) return; // 404s and framework routes
    await authenticate(req, deps.auth);
    if (need === 'public') return;
    if (!req.actor && !(need === 'partial' && req.session)) {
      return sendProblem(reply, req, new AppError(401, 'unauthorized', 'Authentication required', 'Sign in or send an API key'));
    }
    // Browser sessions must echo the CSRF token on anything that changes state.
    if (req.session && !['GET', 'HEAD', 'OPTIONS'].includes(req.method) && !cfg?.csrfExempt) {
      const sent = req.headers[CSRF_HEADER];
      if (sent !== req.session.csrfToken) {
        return sendProblem(reply, req, new AppError(403, 'csrf', 'CSRF token missing or wrong', `send the ${CSRF_COOKIE} cookie's value in the ${CSRF_HEADER} header`));
      }
    }
    if (need !== 'authenticated' && need !== 'partial' && req.actor && !can(req.actor, need)) {
      return sendProblem(reply, req, new AppError(403, 'forbidden', 'Forbidden', `requires permission ${need}`));
    }
  });

  // ---- the platform's text rule, before schema validation -----------------------------------------
  // Every string that arrives as data — body values and field names, query, path parameters and the
  // headers that are stored — meets one rule (src/platform/text/text-rule.ts): no control characters
  // but tab and line breaks, no unpaired surrogates, bounded nesting. Refused with 400 naming the field.
  app.addHook('preValidation', async (req, reply) => {
    const problems = [
      ...findTextProblems(req.params, '/params'),
      ...findTextProblems(req.query, '/querystring'),
      ...findTextProblems(req.body, '/body'),
    ];
    for (const h of DATA_HEADERS) {
      const v = req.headers[h];
      const p = typeof v === 'string' ? textProblem(v) : null;
      if (p) problems.push({ path: `/headers/${h}`, message: p });
    }
    if (problems.length) {
      return sendProblem(reply, req, new AppError(400, 'validation', 'Invalid request', problems.map((e) => `${e.path}: ${e.message}`).join('; '), problems));
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id);
    // What a signed-in caller sees (or a sign-in sets) is theirs: no shared or browser cache keeps it.
    // Routes that mean to be cached (public trust lists, status lists) set their own Cache-Control.
    if ((req.actor || req.session || reply.hasHeader('set-cookie')) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) return sendProblem(reply, req, err);
    const fe = err as FastifyError;
    if (fe.validation) {
      const errs: FieldError[] = fe.validation.map((v) => {
        const base = `/${fe.validationContext ?? 'body'}${v.instancePath ?? ''}`;
        const params = v.params as Record<string, unknown>;
        if (v.keyword === 'additionalProperties') return { path: `${base}/${String(params.additionalProperty)}`, message: 'unknown field' };
        if (v.keyword === 'required') return { path: `${base}/${String(params.missingProperty)}`, message: 'is required' };
        return { path: base, message: v.message ?? 'is invalid' };
      });
      return sendProblem(reply, req, new AppError(400, 'validation', 'Invalid request', errs.map((e) => `${e.path}: ${e.message}`).join('; '), errs));
    }
    const status = fe.statusCode ?? 500;
    if (status === 413) return sendProblem(reply, req, new AppError(413, 'payload-too-large', 'Payload too large', `the body is larger than ${config.bodyLimit} bytes`));
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415)
      return sendProblem(reply, req, new AppError(415, 'unsupported-media-type', 'Unsupported media type', fe.message));
    if (status === 429) return sendProblem(reply, req, new AppError(429, 'rate-limited', 'Too many requests', fe.message));
    if (status >= 400 && status < 500) {
      const code = fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || /JSON/i.test(fe.message) ? 'malformed-json' : 'bad-request';
      return sendProblem(reply, req, new AppError(status, code, code === 'malformed-json' ? 'Malformed JSON body' : 'Bad request', fe.message));
    }
    // Input the schema could not describe but the database refuses (a number past a column's range, text
    // too long for an index): the caller's mistake, not ours. Services name the field where they can.
    const dataError = databaseInputError(err);
    if (dataError) {
      req.log.warn({ err }, 'input refused by the database');
      return sendProblem(reply, req, new AppError(400, 'invalid-value', 'Invalid value', dataError));
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, req, new AppError(500, 'internal', 'Internal error', 'Something went wrong on our side; quote the request id when you report it.'));
  });

  return { app, routes, metrics };
}

/** Headers whose values are stored as data (sessions keep the user agent; jobs the idempotency key). */
const DATA_HEADERS = ['user-agent', 'idempotency-key'] as const;

/**
 * PostgreSQL's SQLSTATEs for values a column cannot take (class 22 "data exception" and 54000 "program
 * limit exceeded", e.g. an index row too large), found on the error or its cause (drizzle wraps driver
 * errors): the message to answer with, or null for any other error.
 */
const DATA_STATES: Record<string, string> = {
  '22001': 'a value is longer than its field allows',
  '22003': 'a number is outside the range its field allows',
  '22007': 'a date or time is not valid',
  '22008': 'a date or time is outside the range allowed',
  '22P02': 'a value is not of the type its field takes',
  '22P05': 'a value contains characters that cannot be stored',
  '22021': 'a value contains characters that cannot be stored',
  '2201E': 'a number is outside the range its field allows',
  '22012': 'a value leads to a division by zero',
  '54000': 'a value is too large to store or index',
};

function databaseInputError(err: unknown): string | null {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && DATA_STATES[e.code]) return DATA_STATES[e.code];
  }
  return null;
}

export function sendProblem(reply: FastifyReply, req: FastifyRequest, err: AppError): FastifyReply {
  const body: Problem = { ...err.toProblem(), instance: req.url.split('?')[0], requestId: String(req.id) };
  if (typeof err.extra.retryAfter === 'number') reply.header('retry-after', String(err.extra.retryAfter));
  return reply.code(err.status).type('application/problem+json').send(body);
}

async function authenticate(req: FastifyRequest, auth: AuthService): Promise<void> {
  const header = req.headers.authorization;
  const apiKey = header?.startsWith('Bearer dqk_') ? header.slice(7) : (req.headers['x-api-key'] as string | undefined);
  if (apiKey) {
    const k = await auth.resolveApiKey(apiKey);
    if (!k) return;
    const actor = await auth.loadActor(k.userId, 'apikey', k.scopes);
    if (actor) req.actor = withRequest({ ...actor, apiKeyId: k.keyId }, req);
    return;
  }
  const token = req.cookies[SESSION_COOKIE];
  if (!token) return;
  const s = await auth.resolveSession(token);
  if (!s) return;
  req.session = { ...s, token };
  if (!s.mfaPassed) return;
  const actor = await auth.loadActor(s.userId, 'session');
  if (actor) req.actor = withRequest(actor, req);
}

export function withRequest(actor: Actor, req: FastifyRequest): Actor {
  return { ...actor, requestId: String(req.id), ip: req.ip };
}

export const problemTypes = { validation: problemType('validation') };
