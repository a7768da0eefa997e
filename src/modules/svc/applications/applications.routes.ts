// HTTP for applications, the staff worklist, notifications, satisfaction, proxy authorisations and
// automatic-approval rules. Thin: JSON schemas, a service call, the reply.
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { AppError } from '../../../platform/http/problem';
import { limitOffsetQuery, uuidParam } from '../../../platform/http/paging';
import { SVC } from '../svc.service';
import { APP, type ApplicationService } from './applications.service';
import type { AutoRule } from './auto';
import { OPERATORS } from './logic';
import { type Action, STAFF_ACTIONS, STATES, type State } from './states';

const str = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const tags = ['applications'];
const dataSchema = { type: 'object', additionalProperties: true, maxProperties: 100 } as const;
const keyParams = { type: 'object', required: ['id', 'key'], properties: { id: { type: 'string', format: 'uuid' }, key: { type: 'string', pattern: '^[a-z][a-zA-Z0-9_]{0,39}$' } } } as const;
/** Upload bodies beyond this are refused before reading; each material's own limit (≤ 50 MB) applies while streaming. */
const UPLOAD_MAX = 50 * 1024 * 1024;

export async function applicationRoutes(app: FastifyInstance, { applications }: { applications: ApplicationService }) {
  // ---- applicant -------------------------------------------------------------------------------------
  app.post<{ Body: { itemId: string; onBehalfOf?: string; data?: Record<string, unknown> } }>(
    '/api/applications',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'Start a draft application for a published item (onBehalfOf: a person who authorised you)', body: { type: 'object', required: ['itemId'], properties: { itemId: { type: 'string', format: 'uuid' }, onBehalfOf: { type: 'string', format: 'uuid' }, data: dataSchema } } },
    },
    async (req, reply) => reply.code(201).send(await applications.create(req.actor!, req.body)),
  );
  app.get<{ Querystring: { state?: State; limit: number; offset: number } }>(
    '/api/applications',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'My applications (and those I made for relatives)', querystring: { type: 'object', properties: { state: { type: 'string', enum: STATES }, ...limitOffsetQuery } } } },
    (req) => applications.listMine(req.actor!, req.query),
  );
  app.get<{ Params: { id: string } }>('/api/applications/:id', { config: { auth: 'authenticated' }, schema: { tags, summary: 'An application with its history and materials', params: uuidParam } }, (req) => applications.get(req.actor!, req.params.id));
  app.patch<{ Params: { id: string }; Body: { data: Record<string, unknown> } }>(
    '/api/applications/:id',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Fill the form of a draft (or while a correction is requested)', params: uuidParam, body: { type: 'object', required: ['data'], properties: { data: dataSchema } } } },
    (req) => applications.updateData(req.actor!, req.params.id, req.body.data),
  );
  for (const [path, fn, summary] of [
    ['submit', (a: ApplicationService, r: { actor: never; id: string }) => a.submit(r.actor, r.id), 'Submit (automatic approval runs for 秒批 items)'],
    ['resubmit', (a: ApplicationService, r: { actor: never; id: string }) => a.resubmit(r.actor, r.id), 'Resubmit after a correction request'],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/api/applications/:id/${path}`, { config: { auth: 'authenticated' }, schema: { tags, summary, params: uuidParam } }, (req) => fn(applications, { actor: req.actor! as never, id: req.params.id }));
  }
  app.post<{ Params: { id: string }; Body: { reason?: string } }>(
    '/api/applications/:id/withdraw',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Withdraw before a decision', params: uuidParam, body: { type: 'object', properties: { reason: str(500) } } } },
    (req) => applications.withdraw(req.actor!, req.params.id, req.body?.reason?.trim() || null),
  );
  app.post<{ Params: { id: string }; Body: { score: number; comment?: string } }>(
    '/api/applications/:id/rating',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Rate a completed application once (1–5)', params: uuidParam, body: { type: 'object', required: ['score'], properties: { score: { type: 'integer', minimum: 1, maximum: 5 }, comment: str(500) } } } },
    async (req, reply) => reply.code(201).send(await applications.rate(req.actor!, req.params.id, req.body)),
  );
  app.post<{ Params: { id: string }; Body: { materialKey: string; certificateTypeName: string; certificateId: string } }>(
    '/api/applications/:id/certificates',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags,
        summary: 'Use an electronic certificate from the wallet for a material',
        params: uuidParam,
        body: { type: 'object', required: ['materialKey', 'certificateTypeName', 'certificateId'], properties: { materialKey: { type: 'string', pattern: '^[a-z][a-zA-Z0-9_]{0,39}$' }, certificateTypeName: str(60, 1), certificateId: str(100, 1) } },
      },
    },
    async (req, reply) => reply.code(201).send(await applications.attachCertificate(req.actor!, req.params.id, req.body.materialKey, { certificateTypeName: req.body.certificateTypeName, certificateId: req.body.certificateId })),
  );
  app.delete<{ Params: { id: string; key: string } }>('/api/applications/:id/materials/:key', { config: { auth: 'authenticated' }, schema: { tags, summary: 'Remove a material', params: keyParams } }, async (req, reply) => {
    await applications.removeMaterial(req.actor!, req.params.id, req.params.key);
    return reply.code(204).send();
  });
  app.get<{ Params: { id: string; key: string } }>('/api/applications/:id/materials/:key', { config: { auth: 'authenticated' }, schema: { tags, summary: 'Download an uploaded material', params: keyParams } }, async (req, reply) => {
    const b = await applications.download(req.actor!, req.params.id, req.params.key);
    return reply.type(b.contentType).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(b.fileName)}`).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').send(b.bytes);
  });

  // The file is the raw request body, streamed; only this scope accepts non-JSON bodies.
  await app.register(async (scope) => {
    scope.addContentTypeParser('*', { bodyLimit: UPLOAD_MAX }, (_req, payload, done) => done(null, payload));
    scope.put<{ Params: { id: string; key: string }; Querystring: { fileName: string } }>(
      '/api/applications/:id/materials/:key',
      {
        config: { auth: 'authenticated' },
        bodyLimit: UPLOAD_MAX,
        schema: { tags, summary: 'Upload a material as the raw body (type and size limits from the item)', params: keyParams, querystring: { type: 'object', required: ['fileName'], properties: { fileName: str(200, 1) } } },
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
  app.get<{ Querystring: { state?: State; itemId?: string; bundleApplicationId?: string; overdue?: boolean; claimed?: 'me' | 'unclaimed'; limit: number; offset: number } }>(
    '/api/svc/worklist',
    {
      config: { auth: APP.handle },
      schema: {
        tags,
        summary: 'Applications for the items of my organisations (bundleApplicationId: the members of one bundle application in my scope)',
        querystring: { type: 'object', properties: { state: { type: 'string', enum: STATES }, itemId: { type: 'string', format: 'uuid' }, bundleApplicationId: { type: 'string', format: 'uuid' }, overdue: { type: 'boolean' }, claimed: { type: 'string', enum: ['me', 'unclaimed'] }, ...limitOffsetQuery } },
      },
    },
    (req) => applications.worklist(req.actor!, req.query),
  );
  app.post<{ Params: { id: string } }>('/api/svc/applications/:id/claim', { config: { auth: APP.handle }, schema: { tags, summary: 'Claim an application', params: uuidParam } }, (req) => applications.claim(req.actor!, req.params.id, true));
  app.post<{ Params: { id: string } }>('/api/svc/applications/:id/unclaim', { config: { auth: APP.handle }, schema: { tags, summary: 'Release a claim', params: uuidParam } }, (req) => applications.claim(req.actor!, req.params.id, false));
  app.post<{ Params: { id: string }; Body: { action: Action; reason?: string } }>(
    '/api/svc/applications/:id/actions',
    { config: { auth: APP.handle }, schema: { tags, summary: 'Accept, request a correction (reason), approve, reject (reason) or complete', params: uuidParam, body: { type: 'object', required: ['action'], properties: { action: { type: 'string', enum: STAFF_ACTIONS }, reason: str(1000) } } } },
    (req) => applications.act(req.actor!, req.params.id, req.body.action, req.body.reason?.trim() || null),
  );
  app.post<{ Body: { action: 'accept' | 'approve'; ids: string[] } }>(
    '/api/svc/applications/bulk',
    { config: { auth: APP.handle }, schema: { tags, summary: 'Accept or approve several applications; each in its own transaction, a result per id', body: { type: 'object', required: ['action', 'ids'], properties: { action: { type: 'string', enum: ['accept', 'approve'] }, ids: { type: 'array', minItems: 1, maxItems: 100, uniqueItems: true, items: { type: 'string', format: 'uuid' } } } } } },
    (req) => applications.bulk(req.actor!, req.body.action, req.body.ids),
  );
  app.get('/api/svc/application-stats', { config: { auth: APP.handle }, schema: { tags, summary: 'Applications by state, overdue, on-time and automatic-approval rates (my scope)' } }, (req) => applications.stats(req.actor!));
  app.get('/api/svc/satisfaction-stats', { config: { auth: APP.handle }, schema: { tags, summary: 'Satisfaction per department: average, count, distribution' } }, (req) => applications.satisfaction(req.actor!));

  app.get<{ Params: { id: string } }>('/api/svc/items/:id/auto-rule', { config: { auth: SVC.itemRead }, schema: { tags, summary: 'The automatic-approval rule of an item', params: uuidParam } }, (req) => applications.getRule(req.actor!, req.params.id));
  app.put<{ Params: { id: string }; Body: { rule: AutoRule; enabled?: boolean } }>(
    '/api/svc/items/:id/auto-rule',
    {
      config: { auth: SVC.itemWrite },
      schema: {
        tags,
        summary: `Set the automatic-approval rule (clauses of JSON Logic: ${OPERATORS.join(' ')})`,
        params: uuidParam,
        body: {
          type: 'object',
          required: ['rule'],
          properties: {
            rule: { type: 'object', required: ['description', 'clauses'], properties: { description: str(500, 1), clauses: { type: 'array', minItems: 1, maxItems: 30, items: { type: 'object', required: ['id', 'label', 'test'], properties: { id: str(40, 1), label: str(200, 1), test: { type: ['object', 'boolean'], additionalProperties: true } } } } } },
            enabled: { type: 'boolean' },
          },
        },
      },
    },
    (req) => applications.setRule(req.actor!, req.params.id, req.body.rule, req.body.enabled ?? true),
  );

  // ---- notifications -------------------------------------------------------------------------------------
  app.get<{ Querystring: { unread?: boolean; limit: number; offset: number } }>(
    '/api/notifications',
    { config: { auth: 'authenticated' }, schema: { tags: ['notifications'], summary: 'My in-app notifications, newest first', querystring: { type: 'object', properties: { unread: { type: 'boolean' }, ...limitOffsetQuery } } } },
    (req) => applications.notifications(req.actor!, req.query),
  );
  app.post<{ Params: { id: string } }>('/api/notifications/:id/read', { config: { auth: 'authenticated' }, schema: { tags: ['notifications'], summary: 'Mark one notification read', params: uuidParam } }, (req) => applications.markRead(req.actor!, req.params.id));
  app.post('/api/notifications/read-all', { config: { auth: 'authenticated' }, schema: { tags: ['notifications'], summary: 'Mark all my notifications read' } }, (req) => applications.markRead(req.actor!, 'all'));

  // ---- proxy authorisations ----------------------------------------------------------------------------------
  app.post<{ Body: { principal: string; relation: string; itemIds?: string[]; expiresAt: string } }>(
    '/api/proxy/requests',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['proxy'],
        summary: 'Ask a relative (by username or ID number) to authorise you to apply for them; pending until they confirm',
        body: { type: 'object', required: ['principal', 'relation', 'expiresAt'], properties: { principal: str(40, 1), relation: str(20, 1), itemIds: { type: 'array', maxItems: 50, uniqueItems: true, items: { type: 'string', format: 'uuid' } }, expiresAt: { type: 'string', format: 'date-time' } } },
      },
    },
    async (req, reply) => reply.code(201).send(await applications.requestProxy(req.actor!, req.body)),
  );
  app.get('/api/proxy/grants', { config: { auth: 'authenticated' }, schema: { tags: ['proxy'], summary: 'Authorisations I gave or received' } }, (req) => applications.proxyGrants(req.actor!));
  for (const d of ['confirm', 'decline', 'revoke'] as const) {
    app.post<{ Params: { id: string } }>(`/api/proxy/grants/:id/${d}`, { config: { auth: 'authenticated' }, schema: { tags: ['proxy'], summary: `${d} an authorisation`, params: uuidParam } }, (req) => applications.decideProxy(req.actor!, req.params.id, d));
  }
}
