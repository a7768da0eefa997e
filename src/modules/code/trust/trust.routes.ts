// HTTP for the trust part: public JWKS, trust list and list key (what partners and offline verifiers
// fetch), issuing keys and rotation, partner platforms, and the held trust lists for terminals. The shapes
// are in trust.schemas.ts.
import type { FastifyInstance } from 'fastify';
import { Defaulted, IdParams, PageQuery, Type, typed } from '../../../platform/http/schema';
import { CODE } from '../code.permissions';
import {
  Jwks,
  KeyPage,
  KeysQuery,
  ListKeyJwk,
  NotModified,
  PartnerPage,
  PartnerViewSchema,
  PartnerWithList,
  PublishedListAnswer,
  RefreshBody,
  RegisterPartnerBody,
  RotateBody,
  Rotated,
  Sources,
  TrustSettingsBody,
  TrustSettingsSchema,
} from './trust.schemas';
import type { TrustService } from './trust.service';

const tags = ['trust'];

export async function registerTrustRoutes(app: FastifyInstance, trust: TrustService) {
  const api = typed(app);

  // ---- public -----------------------------------------------------------------------------------------------
  api.get(
    '/api/trust/jwks',
    { config: { auth: 'public' }, schema: { tags, summary: "JWKS of this platform's issuing keys (current and rotated-but-still-valid)", response: { 200: Jwks } } },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return trust.jwks();
    },
  );

  api.get(
    '/api/trust/list',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: "This platform's signed trust list: { jws, list } (Accept: application/jose gives the bare JWS)",
        response: { 200: PublishedListAnswer, 304: NotModified },
      },
    },
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

  api.get(
    '/api/trust/list-key',
    { config: { auth: 'public' }, schema: { tags, summary: 'The key that signs the trust list, as a JWK with its kid: what partners pin', response: { 200: ListKeyJwk } } },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return trust.listKey();
    },
  );

  // ---- held lists for verifiers (terminals, staff, the offline page) ----------------------------------------
  api.get(
    '/api/trust/sources',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'Every trust list held now (own first, then partners), each with its JWS, for offline verifiers', response: { 200: Sources } },
    },
    async () => ({
      items: await trust.sourcesWithJws(),
      graceSeconds: (await trust.settings()).graceSeconds,
    }),
  );

  // ---- keys -------------------------------------------------------------------------------------------------
  api.get(
    '/api/trust/keys',
    {
      config: { auth: CODE.keysManage },
      schema: {
        tags,
        summary: 'Issuing keys (and the list key) with organisation, use, kid, state and validity window',
        querystring: Defaulted({ ...KeysQuery, ...PageQuery }),
        response: { 200: KeyPage },
      },
    },
    (req) => trust.listKeys(req.actor!, req.query),
  );

  api.post(
    '/api/trust/keys/rotate',
    {
      config: { auth: CODE.keysManage },
      schema: { tags, summary: "Make a new current key; the old one keeps verifying until now + the use's overlap", body: RotateBody, response: { 201: Rotated } },
    },
    async (req, reply) => reply.code(201).send(await trust.rotate(req.actor!, req.body.orgCode, req.body.use)),
  );

  api.get(
    '/api/trust/settings',
    { config: { auth: CODE.keysManage }, schema: { tags, summary: 'Overlap per key use, list validity, partner grace and refresh interval', response: { 200: TrustSettingsSchema } } },
    () => trust.settings(),
  );

  api.put(
    '/api/trust/settings',
    { config: { auth: CODE.keysManage }, schema: { tags, summary: 'Change trust settings (seconds)', body: TrustSettingsBody, response: { 200: TrustSettingsSchema } } },
    (req) => trust.putSettings(req.actor!, req.body),
  );

  // ---- partners -------------------------------------------------------------------------------------------
  api.get(
    '/api/trust/partners',
    {
      config: { auth: CODE.keysManage },
      schema: {
        tags,
        summary: 'Partner platforms with state (fresh/warn/stale/untrusted), seq, last fetch and error',
        querystring: Defaulted({ active: Type.Optional(Type.Boolean()), ...PageQuery }),
        response: { 200: PartnerPage },
      },
    },
    (req) => trust.listPartners(req.actor!, req.query),
  );

  api.post(
    '/api/trust/partners',
    {
      config: { auth: CODE.keysManage },
      schema: {
        tags,
        summary: 'Register a partner platform by its trust-list URL (or an uploaded list) and its pinned list key',
        body: RegisterPartnerBody,
        response: { 201: PartnerViewSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await trust.registerPartner(req.actor!, req.body)),
  );

  api.get(
    '/api/trust/partners/:id',
    { config: { auth: CODE.keysManage }, schema: { tags, summary: 'A partner with the list it holds (issuers and keys)', params: IdParams, response: { 200: PartnerWithList } } },
    (req) => trust.getPartner(req.actor!, req.params.id),
  );

  api.post(
    '/api/trust/partners/:id/refresh',
    {
      config: { auth: CODE.keysManage },
      schema: {
        tags,
        summary: "Fetch the partner's list now (or take an uploaded one); a failure keeps the held list and records the error",
        params: IdParams,
        body: RefreshBody,
        response: { 200: PartnerViewSchema },
      },
    },
    (req) => trust.refreshPartner(req.actor!, req.params.id, req.body?.trustListJws),
  );

  api.delete(
    '/api/trust/partners/:id',
    { config: { auth: CODE.keysManage }, schema: { tags, summary: 'Deactivate a partner: its keys then resolve to untrusted-partner', params: IdParams, response: { 200: PartnerViewSchema } } },
    (req) => trust.deactivatePartner(req.actor!, req.params.id),
  );
}
