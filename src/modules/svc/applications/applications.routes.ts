// HTTP for applications, the staff worklist, notifications, satisfaction, proxy authorisations and
// automatic-approval rules. Thin: the TypeBox schemas (applications.schemas.ts), a service call, the reply.
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { AppError } from '../../../platform/http/problem';
import { Defaulted, Enum, IdParams, NoContent, PageQuery, Str, Type, typed, Uuid } from '../../../platform/http/schema';
import { SVC } from '../svc.service';
import {
  ApplicationDetail,
  Applications,
  ApplicationSchema,
  ApplicationStats,
  AttachedCertificate,
  AutoRuleBody,
  AutoRuleSaved,
  AutoRuleView,
  BulkBody,
  BulkResult,
  CertificateBody,
  FormDataBody,
  KeyParams,
  MarkedRead,
  MaterialFile,
  NewApplicationBody,
  Notifications,
  ProxyGrant,
  ProxyGrants,
  ProxyRequestBody,
  Rating,
  RatingBody,
  SatisfactionStats,
  StaffActionBody,
  UploadedMaterial,
  WithdrawBody,
  Worklist,
} from './applications.schemas';
import { APP, type ApplicationService } from './applications.service';
import { OPERATORS } from './logic';
import { STATES } from './states';

const tags = ['applications'];
/** Upload bodies beyond this are refused before reading; each material's own limit (≤ 50 MB) applies while streaming. */
const UPLOAD_MAX = 50 * 1024 * 1024;

export async function applicationRoutes(app: FastifyInstance, { applications }: { applications: ApplicationService }) {
  const api = typed(app);

  // ---- applicant -------------------------------------------------------------------------------------
  api.post(
    '/api/applications',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'Start a draft application for a published item (onBehalfOf: a person who authorised you)', body: NewApplicationBody, response: { 201: ApplicationSchema } },
    },
    async (req, reply) => reply.code(201).send(await applications.create(req.actor!, req.body)),
  );
  api.get(
    '/api/applications',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'My applications (and those I made for relatives)', querystring: Defaulted({ state: Type.Optional(Enum(STATES)), ...PageQuery }), response: { 200: Applications } },
    },
    (req) => applications.listMine(req.actor!, req.query),
  );
  api.get(
    '/api/applications/:id',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'An application with its history and materials', params: IdParams, response: { 200: ApplicationDetail } } },
    (req) => applications.get(req.actor!, req.params.id),
  );
  api.patch(
    '/api/applications/:id',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Fill the form of a draft (or while a correction is requested)', params: IdParams, body: FormDataBody, response: { 200: ApplicationSchema } } },
    (req) => applications.updateData(req.actor!, req.params.id, req.body.data),
  );
  api.post(
    '/api/applications/:id/submit',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Submit (automatic approval runs for 秒批 items)', params: IdParams, response: { 200: ApplicationSchema } } },
    (req) => applications.submit(req.actor!, req.params.id),
  );
  api.post(
    '/api/applications/:id/resubmit',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Resubmit after a correction request', params: IdParams, response: { 200: ApplicationSchema } } },
    (req) => applications.resubmit(req.actor!, req.params.id),
  );
  api.post(
    '/api/applications/:id/withdraw',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Withdraw before a decision', params: IdParams, body: WithdrawBody, response: { 200: ApplicationSchema } } },
    (req) => applications.withdraw(req.actor!, req.params.id, req.body?.reason?.trim() || null),
  );
  api.post(
    '/api/applications/:id/rating',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Rate a completed application once (1–5)', params: IdParams, body: RatingBody, response: { 201: Rating } } },
    async (req, reply) => reply.code(201).send(await applications.rate(req.actor!, req.params.id, req.body)),
  );
  api.post(
    '/api/applications/:id/certificates',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'Use an electronic certificate from the wallet for a material', params: IdParams, body: CertificateBody, response: { 201: AttachedCertificate } },
    },
    async (req, reply) =>
      reply.code(201).send(await applications.attachCertificate(req.actor!, req.params.id, req.body.materialKey, { certificateTypeName: req.body.certificateTypeName, certificateId: req.body.certificateId })),
  );
  api.delete(
    '/api/applications/:id/materials/:key',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Remove a material', params: KeyParams, response: { 204: NoContent } } },
    async (req, reply) => {
      await applications.removeMaterial(req.actor!, req.params.id, req.params.key);
      return reply.code(204).send();
    },
  );
  api.get(
    '/api/applications/:id/materials/:key',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Download an uploaded material', params: KeyParams, response: { 200: MaterialFile } } },
    async (req, reply) => {
      const b = await applications.download(req.actor!, req.params.id, req.params.key);
      return reply.type(b.contentType).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(b.fileName)}`).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').send(b.bytes);
    },
  );

  // The file is the raw request body, streamed; only this scope accepts non-JSON bodies.
  await app.register(async (scope) => {
    scope.addContentTypeParser('*', { bodyLimit: UPLOAD_MAX }, (_req, payload, done) => done(null, payload));
    typed(scope).put(
      '/api/applications/:id/materials/:key',
      {
        config: { auth: 'authenticated' },
        bodyLimit: UPLOAD_MAX,
        schema: {
          tags,
          summary: 'Upload a material as the raw body (type and size limits from the item)',
          params: KeyParams,
          querystring: Type.Object({ fileName: Str(200, 1) }),
          response: { 201: UploadedMaterial },
        },
      },
      async (req, reply) => {
        const body = req.body as Readable | undefined;
        if (!body || typeof body.pipe !== 'function') throw new AppError(400, 'bad-request', 'Bad request', 'the request has no file body');
        const declared = Number(req.headers['content-length'] ?? 0);
        const limit = await applications.uploadLimit(req.actor!, req.params.id, req.params.key);
        if (declared > limit) throw new AppError(413, 'payload-too-large', 'Payload too large', `the file is larger than ${limit} bytes`);
        const r = await applications.upload(req.actor!, req.params.id, req.params.key, { stream: body, contentType: String(req.headers['content-type'] ?? 'application/octet-stream').slice(0, 100), fileName: req.query.fileName });
        return reply.code(201).send(r);
      },
    );
  });

  // ---- staff -------------------------------------------------------------------------------------------
  api.get(
    '/api/svc/worklist',
    {
      config: { auth: APP.handle },
      schema: {
        tags,
        summary: 'Applications for the items of my organisations (bundleApplicationId: the members of one bundle application in my scope)',
        querystring: Defaulted({
          state: Type.Optional(Enum(STATES)),
          itemId: Type.Optional(Uuid),
          bundleApplicationId: Type.Optional(Uuid),
          overdue: Type.Optional(Type.Boolean()),
          claimed: Type.Optional(Enum(['me', 'unclaimed'])),
          ...PageQuery,
        }),
        response: { 200: Worklist },
      },
    },
    (req) => applications.worklist(req.actor!, req.query),
  );
  api.post(
    '/api/svc/applications/:id/claim',
    { config: { auth: APP.handle }, schema: { tags, summary: 'Claim an application', params: IdParams, response: { 200: ApplicationSchema } } },
    (req) => applications.claim(req.actor!, req.params.id, true),
  );
  api.post(
    '/api/svc/applications/:id/unclaim',
    { config: { auth: APP.handle }, schema: { tags, summary: 'Release a claim', params: IdParams, response: { 200: ApplicationSchema } } },
    (req) => applications.claim(req.actor!, req.params.id, false),
  );
  api.post(
    '/api/svc/applications/:id/actions',
    {
      config: { auth: APP.handle },
      schema: { tags, summary: 'Accept, request a correction (reason), approve, reject (reason) or complete', params: IdParams, body: StaffActionBody, response: { 200: ApplicationSchema } },
    },
    (req) => applications.act(req.actor!, req.params.id, req.body.action, req.body.reason?.trim() || null),
  );
  api.post(
    '/api/svc/applications/bulk',
    { config: { auth: APP.handle }, schema: { tags, summary: 'Accept or approve several applications; each in its own transaction, a result per id', body: BulkBody, response: { 200: BulkResult } } },
    (req) => applications.bulk(req.actor!, req.body.action, req.body.ids),
  );
  api.get(
    '/api/svc/application-stats',
    { config: { auth: APP.handle }, schema: { tags, summary: 'Applications by state, overdue, on-time and automatic-approval rates (my scope)', response: { 200: ApplicationStats } } },
    (req) => applications.stats(req.actor!),
  );
  api.get(
    '/api/svc/satisfaction-stats',
    { config: { auth: APP.handle }, schema: { tags, summary: 'Satisfaction per department: average, count, distribution', response: { 200: SatisfactionStats } } },
    (req) => applications.satisfaction(req.actor!),
  );

  api.get(
    '/api/svc/items/:id/auto-rule',
    { config: { auth: SVC.itemRead }, schema: { tags, summary: 'The automatic-approval rule of an item', params: IdParams, response: { 200: AutoRuleView } } },
    (req) => applications.getRule(req.actor!, req.params.id),
  );
  api.put(
    '/api/svc/items/:id/auto-rule',
    {
      config: { auth: SVC.itemWrite },
      schema: { tags, summary: `Set the automatic-approval rule (clauses of JSON Logic: ${OPERATORS.join(' ')})`, params: IdParams, body: AutoRuleBody, response: { 200: AutoRuleSaved } },
    },
    (req) => applications.setRule(req.actor!, req.params.id, req.body.rule, req.body.enabled ?? true),
  );

  // ---- notifications -------------------------------------------------------------------------------------
  api.get(
    '/api/notifications',
    {
      config: { auth: 'authenticated' },
      schema: { tags: ['notifications'], summary: 'My in-app notifications, newest first', querystring: Defaulted({ unread: Type.Optional(Type.Boolean()), ...PageQuery }), response: { 200: Notifications } },
    },
    (req) => applications.notifications(req.actor!, req.query),
  );
  api.post(
    '/api/notifications/:id/read',
    { config: { auth: 'authenticated' }, schema: { tags: ['notifications'], summary: 'Mark one notification read', params: IdParams, response: { 200: MarkedRead } } },
    (req) => applications.markRead(req.actor!, req.params.id),
  );
  api.post(
    '/api/notifications/read-all',
    { config: { auth: 'authenticated' }, schema: { tags: ['notifications'], summary: 'Mark all my notifications read', response: { 200: MarkedRead } } },
    (req) => applications.markRead(req.actor!, 'all'),
  );

  // ---- proxy authorisations ----------------------------------------------------------------------------------
  api.post(
    '/api/proxy/requests',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['proxy'],
        summary: 'Ask a relative (by username or ID number) to authorise you to apply for them; pending until they confirm',
        body: ProxyRequestBody,
        response: { 201: ProxyGrant },
      },
    },
    async (req, reply) => reply.code(201).send(await applications.requestProxy(req.actor!, req.body)),
  );
  api.get('/api/proxy/grants', { config: { auth: 'authenticated' }, schema: { tags: ['proxy'], summary: 'Authorisations I gave or received', response: { 200: ProxyGrants } } }, (req) =>
    applications.proxyGrants(req.actor!),
  );
  for (const d of ['confirm', 'decline', 'revoke'] as const) {
    api.post(
      `/api/proxy/grants/:id/${d}`,
      { config: { auth: 'authenticated' }, schema: { tags: ['proxy'], summary: `${d} an authorisation`, params: IdParams, response: { 200: ProxyGrant } } },
      (req) => applications.decideProxy(req.actor!, req.params.id, d),
    );
  }
}
