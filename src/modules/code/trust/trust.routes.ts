// HTTP for the trust part: public JWKS, trust list and list key (what partners and offline verifiers
// fetch), issuing keys and rotation, partner platforms, and the held trust lists for terminals.
import type { FastifyInstance } from 'fastify';
import { limitOffsetQuery, uuidParam } from '../../../platform/http/paging';
import { CODE } from '../code.permissions';
import { ISSUING_USES, LIST_USE, type RegisterPartnerInput, type TrustService, type TrustSettings } from './trust.service';

const tags = ['trust'];
const str = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const b64u = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$' } as const;
const pinnedJwkSchema = {
  type: 'object',
  required: ['kty', 'crv', 'x', 'y'],
  properties: { kty: { type: 'string', const: 'EC' }, crv: { type: 'string', const: 'P-256' }, x: b64u, y: b64u, kid: str(200), alg: str(20), use: str(20), key_ops: { type: 'array', maxItems: 8, items: str(30) } },
} as const;
const seconds = (min: number, max: number) => ({ type: 'integer', minimum: min, maximum: max }) as const;

export async function registerTrustRoutes(app: FastifyInstance, trust: TrustService) {
  // ---- public -----------------------------------------------------------------------------------------------
  app.get('/api/trust/jwks', { config: { auth: 'public' }, schema: { tags, summary: "JWKS of this platform's issuing keys (current and rotated-but-still-valid)" } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=60');
    return trust.jwks();
  });

  app.get(
    '/api/trust/list',
    { config: { auth: 'public' }, schema: { tags, summary: "This platform's signed trust list: { jws, list } (Accept: application/jose gives the bare JWS)" } },
    async (req, reply) => {
      const p = await trust.published();
      const jose = (req.headers.accept ?? '').includes('application/jose');
      // Revalidate every time (a rotation must show at once); unchanged lists cost a 304.
      const etag = `"${p.listId}${jose ? '-jose' : ''}"`;
      reply.header('cache-control', 'no-cache').header('etag', etag).header('vary', 'accept');
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      if (jose) return reply.type('application/jose').send(p.jws);
      return { jws: p.jws, list: p.list, listId: p.listId };
    },
  );

  app.get('/api/trust/list-key', { config: { auth: 'public' }, schema: { tags, summary: 'The key that signs the trust list, as a JWK with its kid: what partners pin' } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return trust.listKey();
  });

  // ---- held lists for verifiers (terminals, staff, the offline page) ----------------------------------------
  app.get('/api/trust/sources', { config: { auth: 'authenticated' }, schema: { tags, summary: 'Every trust list held now (own first, then partners), each with its JWS, for offline verifiers' } }, async () => ({
    items: await trust.sourcesWithJws(),
    graceSeconds: (await trust.settings()).graceSeconds,
  }));

  // ---- keys -------------------------------------------------------------------------------------------------
  app.get<{ Querystring: { orgCode?: string; use?: string; state?: 'current' | 'retired' | 'expired'; limit: number; offset: number } }>(
    '/api/trust/keys',
    {
      config: { auth: CODE.keysManage },
      schema: {
        tags,
        summary: 'Issuing keys (and the list key) with organisation, use, kid, state and validity window',
        querystring: {
          type: 'object',
          properties: { orgCode: str(64, 1), use: { type: 'string', enum: [...ISSUING_USES, LIST_USE] }, state: { type: 'string', enum: ['current', 'retired', 'expired'] }, ...limitOffsetQuery },
        },
      },
    },
    (req) => trust.listKeys(req.actor!, req.query),
  );

  app.post<{ Body: { orgCode: string; use: (typeof ISSUING_USES)[number] } }>(
    '/api/trust/keys/rotate',
    {
      config: { auth: CODE.keysManage },
      schema: {
        tags,
        summary: "Make a new current key; the old one keeps verifying until now + the use's overlap",
        body: { type: 'object', required: ['orgCode', 'use'], additionalProperties: false, properties: { orgCode: str(64, 1), use: { type: 'string', enum: ISSUING_USES } } },
      },
    },
    async (req, reply) => reply.code(201).send(await trust.rotate(req.actor!, req.body.orgCode, req.body.use)),
  );

  app.get('/api/trust/settings', { config: { auth: CODE.keysManage }, schema: { tags, summary: 'Overlap per key use, list validity, partner grace and refresh interval' } }, () => trust.settings());

  app.put<{ Body: Partial<TrustSettings> }>(
    '/api/trust/settings',
    {
      config: { auth: CODE.keysManage },
      schema: {
        tags,
        summary: 'Change trust settings (seconds)',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            overlapSeconds: {
              type: 'object',
              additionalProperties: false,
              properties: { 'city-code': seconds(60, 3650 * 86400), certificate: seconds(60, 3650 * 86400), 'status-list': seconds(60, 3650 * 86400) },
            },
            listValiditySeconds: seconds(3600, 30 * 86400),
            graceSeconds: seconds(0, 30 * 86400),
            refreshIntervalSeconds: seconds(300, 7 * 86400),
            fetchTimeoutMs: seconds(1000, 60_000),
            maxListBytes: seconds(10_000, 10 * 1024 * 1024),
          },
        },
      },
    },
    (req) => trust.putSettings(req.actor!, req.body),
  );

  // ---- partners -------------------------------------------------------------------------------------------
  app.get<{ Querystring: { active?: boolean; limit: number; offset: number } }>(
    '/api/trust/partners',
    { config: { auth: CODE.keysManage }, schema: { tags, summary: 'Partner platforms with state (fresh/warn/stale/untrusted), seq, last fetch and error', querystring: { type: 'object', properties: { active: { type: 'boolean' }, ...limitOffsetQuery } } } },
    (req) => trust.listPartners(req.actor!, req.query),
  );

  app.post<{ Body: RegisterPartnerInput }>(
    '/api/trust/partners',
    {
      config: { auth: CODE.keysManage },
      schema: {
        tags,
        summary: "Register a partner platform by its trust-list URL (or an uploaded list) and its pinned list key",
        body: {
          type: 'object',
          required: ['name', 'pinnedJwk'],
          additionalProperties: false,
          properties: { name: str(200, 1), url: { type: 'string', maxLength: 2000, pattern: '^https?://' }, trustListJws: str(2_000_000, 10), pinnedJwk: pinnedJwkSchema },
        },
      },
    },
    async (req, reply) => reply.code(201).send(await trust.registerPartner(req.actor!, req.body)),
  );

  app.get<{ Params: { id: string } }>('/api/trust/partners/:id', { config: { auth: CODE.keysManage }, schema: { tags, summary: 'A partner with the list it holds (issuers and keys)', params: uuidParam } }, (req) =>
    trust.getPartner(req.actor!, req.params.id),
  );

  app.post<{ Params: { id: string }; Body: { trustListJws?: string } | undefined }>(
    '/api/trust/partners/:id/refresh',
    {
      config: { auth: CODE.keysManage },
      schema: {
        tags,
        summary: 'Fetch the partner\'s list now (or take an uploaded one); a failure keeps the held list and records the error',
        params: uuidParam,
        body: { type: ['object', 'null'], additionalProperties: false, properties: { trustListJws: str(2_000_000, 10) } },
      },
    },
    (req) => trust.refreshPartner(req.actor!, req.params.id, req.body?.trustListJws),
  );

  app.delete<{ Params: { id: string } }>('/api/trust/partners/:id', { config: { auth: CODE.keysManage }, schema: { tags, summary: 'Deactivate a partner: its keys then resolve to untrusted-partner', params: uuidParam } }, (req) =>
    trust.deactivatePartner(req.actor!, req.params.id),
  );
}
