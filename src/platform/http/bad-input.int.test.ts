// Bad input never gets a 500: for every route that takes a body or a query, malformed JSON, wrong
// types, unknown fields, oversized bodies and hostile strings get a 4xx problem naming the field.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, testApp, type TestApp } from '../../test/app';
import { concreteUrl } from '../../test/routes';
import type { RegisteredRoute } from './server';

let t: TestApp;
let admin: Client;

const HOSTILE = `'); DROP TABLE users; -- <script>alert(1)</script> %_\\ 𝔘 \u202e`;

const concreteRoute = (r: RegisteredRoute) => concreteUrl(r.url, (r.schema as { params?: unknown } | undefined)?.params);

type Schema = { anyOf?: Schema[]; type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; items?: Schema; minItems?: number; maxLength?: number; minLength?: number; minimum?: number; format?: string; pattern?: string };

/** A nullable schema (TypeBox writes `anyOf: [T, null]`) stands for its non-null branch. */
const unwrap = (s: Schema): Schema => (s.anyOf ? unwrap(s.anyOf.find((b) => b.type !== 'null') ?? s.anyOf[0]) : s);

/** A value that satisfies the schema's shape, with hostile text wherever free text is allowed. */
function sample(schema: Schema): unknown {
  const s = unwrap(schema);
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (s.enum) return s.enum[0];
  switch (type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) o[k] = sample(v);
      return o;
    }
    case 'array':
      return s.minItems ? [sample(s.items ?? { type: 'string' })] : [];
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    default:
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'date-time') return new Date().toISOString();
      if (s.pattern) return undefined; // patterned fields get hostile text in their own test below
      return HOSTILE.slice(0, s.maxLength ?? HOSTILE.length);
  }
}

const bodyRoutes = (): RegisteredRoute[] => t.app.routes.filter((r) => r.hasBody && r.url.startsWith('/api/'));
const bodySchema = (r: RegisteredRoute) => unwrap((r.schema as { body: Schema }).body);

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

describe('bad input gets 4xx, never 500', () => {
  it('covers the routes that take bodies', () => {
    expect(bodyRoutes().length).toBeGreaterThan(10);
  });

  it('malformed JSON → 400 malformed-json', async () => {
    for (const r of bodyRoutes()) {
      const res = await admin.request(r.method as never, concreteRoute(r), '{"username": "x",', { 'content-type': 'application/json' });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().type, `${r.method} ${r.url}`).toMatch(/malformed-json$/);
    }
  });

  it('wrong top-level type → 400 validation', async () => {
    for (const r of bodyRoutes()) {
      const res = await admin.request(r.method as never, concreteRoute(r), [1, 2, 3]);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(400);
      expect(res.json().errors?.length, `${r.method} ${r.url}`).toBeGreaterThan(0);
    }
  });

  it('wrong field types → 400 naming the field', async () => {
    for (const r of bodyRoutes()) {
      const props = Object.entries(bodySchema(r).properties ?? {});
      const [name, field] = props[0];
      const s = unwrap(field);
      const wrong = (Array.isArray(s.type) ? s.type : [s.type]).includes('string') ? { nested: true } : 'not-a-number-or-list';
      const res = await admin.request(r.method as never, concreteRoute(r), { [name]: wrong });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(400);
      const paths = (res.json().errors as { path: string }[]).map((e) => e.path);
      expect(paths.some((p) => p.startsWith(`/body/${name}`)), `${r.method} ${r.url}: ${paths.join(', ')}`).toBe(true);
    }
  });

  it('unknown fields → 400 naming the field', async () => {
    for (const r of bodyRoutes()) {
      const body = { ...(sample(bodySchema(r)) as object), surpriseField: 1 };
      const res = await admin.request(r.method as never, concreteRoute(r), body);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(400);
      const paths = (res.json().errors as { path: string }[]).map((e) => e.path);
      expect(paths, `${r.method} ${r.url}`).toContain('/body/surpriseField');
    }
  });

  it('oversized bodies → 413', async () => {
    const bigFor = (limit: number) => JSON.stringify({ name: 'x'.repeat(limit + 10) });
    const big = bigFor(t.config.bodyLimit);
    for (const r of bodyRoutes()) {
      // Bulk routes (the data-sharing push API) declare a larger limit of their own; past it they refuse too.
      const res = await admin.request(r.method as never, concreteRoute(r), r.bodyLimit ? bigFor(r.bodyLimit) : big, { 'content-type': 'application/json' });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(413);
    }
  });

  it('hostile strings (SQL, HTML, control characters) in every text field → handled, never 500', async () => {
    for (const r of bodyRoutes()) {
      const body = sample(bodySchema(r)) as Record<string, unknown>;
      for (const [k, s] of Object.entries(bodySchema(r).properties ?? {})) {
        if (s.type === 'string' && (s.pattern || s.format)) body[k] = HOSTILE.slice(0, s.maxLength ?? 100);
      }
      const res = await admin.request(r.method as never, concreteRoute(r), body);
      expect(res.statusCode, `${r.method} ${r.url}: ${res.body}`).toBeLessThan(500);
    }
    // The hostile text is stored and returned as data, not executed or mangled.
    const created = await admin.post('/api/orgs', { code: 'HOSTILE-1', kind: 'department', name: HOSTILE, parentId: (await admin.get('/api/orgs?kind=city')).json().items[0].id });
    expect(created.statusCode).toBe(201);
    expect((await admin.get(`/api/orgs/${created.json().id}`)).json().name).toBe(HOSTILE);
    expect((await admin.get('/api/users?limit=1')).statusCode).toBe(200); // the users table is still there
  });

  it('query strings: wrong types, unknown parameters and hostile text', async () => {
    const listRoutes = t.app.routes.filter((r) => r.method === 'GET' && (r.schema as { querystring?: Schema })?.querystring && r.auth !== 'public');
    expect(listRoutes.length).toBeGreaterThan(4);
    for (const r of listRoutes) {
      const url = concreteRoute(r);
      const qs = (r.schema as { querystring: Schema }).querystring.properties ?? {};
      if ('limit' in qs) {
        const bad = await admin.get(`${url}?limit=lots`);
        expect(bad.statusCode, `${url} limit=lots`).toBe(400);
        expect(bad.json().errors[0].path).toBe('/querystring/limit');
        expect((await admin.get(`${url}?limit=100000`)).statusCode, `${url} limit too large`).toBe(400);
      }
      // Routes that filter by the dataset's own columns (`?district_code=…`) take open-ended parameters by design;
      // they check the names against the resource's items instead (tested in their modules).
      const openEnded = (r.schema as { querystring: Schema & { additionalProperties?: unknown } }).querystring.additionalProperties;
      if (openEnded === false || openEnded === undefined) expect((await admin.get(`${url}?surprise=1`)).statusCode, `${url} unknown param`).toBe(400);
      for (const [k, s] of Object.entries(qs)) {
        if (s.type !== 'string') continue;
        const res = await admin.get(`${url}?${k}=${encodeURIComponent(HOSTILE.slice(0, s.maxLength ?? 50))}`);
        expect(res.statusCode, `${url}?${k}=hostile`).toBeLessThan(500);
      }
    }
  });

  it('unknown API paths → 404 problem+json', async () => {
    const res = await admin.get('/api/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});
