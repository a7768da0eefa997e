// HTTP for the gateway: consumer calls (API key, share.gateway.call), grants and keys (the bureau),
// usage and operational records (providers, consumers, the bureau). Thin: schemas, a service call, the reply.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { limitOffsetQuery, uuidParam } from '../../../platform/http/paging';
import { SHARE } from '../share.permissions';
import type { CallOutcome, Gateway } from './gateway.service';

const tags = ['share-gateway'];
const str = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const resourceCodeParam = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$' } as const;
const fieldsParam = { type: 'string', maxLength: 2000, description: 'comma-separated field names (default: every granted field)' } as const;
const dateStr = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

const splitFields = (s: string | undefined) =>
  s
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);

function send(reply: FastifyReply, o: CallOutcome) {
  for (const [k, v] of Object.entries(o.headers)) reply.header(k, v);
  return reply.code(o.status).type(o.contentType).send(o.body);
}

export async function registerGatewayRoutes(app: FastifyInstance, gateway: Gateway) {
  // ---- consumer calls --------------------------------------------------------------------------------
  app.get('/api/share/gateway/grants', { config: { auth: SHARE.gatewayCall }, schema: { tags, summary: 'The calling subsystem\'s grants' } }, (req) => gateway.consumerGrants(req.actor!));

  app.get<{ Params: { resourceCode: string; key: string }; Querystring: { fields?: string } }>(
    '/api/share/gateway/:resourceCode/records/:key',
    {
      config: { auth: SHARE.gatewayCall },
      schema: {
        tags,
        summary: 'Look up one record by its key (several key columns joined by |); granted fields only, personal fields masked',
        params: { type: 'object', required: ['resourceCode', 'key'], properties: { resourceCode: resourceCodeParam, key: str(500, 1) } },
        querystring: { type: 'object', properties: { fields: fieldsParam } },
      },
    },
    async (req, reply) =>
      send(reply, await gateway.call(req.actor!, { operation: 'lookup', resourceCode: req.params.resourceCode, key: req.params.key, fields: splitFields(req.query.fields), instance: req.url.split('?')[0] })),
  );

  app.get<{ Params: { resourceCode: string }; Querystring: Record<string, string | number | undefined> & { fields?: string; limit: number; offset: number } }>(
    '/api/share/gateway/:resourceCode/records',
    {
      config: { auth: SHARE.gatewayCall },
      schema: {
        tags,
        summary: 'Query records: <column>=<value> conditions on granted columns (ANDed), paged; personal fields masked',
        params: { type: 'object', required: ['resourceCode'], properties: { resourceCode: resourceCodeParam } },
        querystring: {
          type: 'object',
          properties: { fields: fieldsParam, ...limitOffsetQuery },
          propertyNames: { pattern: '^[a-z][a-z0-9_]{0,62}$' },
          additionalProperties: { type: 'string', maxLength: 200 },
          maxProperties: 24,
        },
      },
    },
    async (req, reply) => {
      const { fields, limit, offset, ...rest } = req.query;
      const where = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)]));
      return send(reply, await gateway.call(req.actor!, { operation: 'query', resourceCode: req.params.resourceCode, where, fields: splitFields(fields), limit, offset, instance: req.url.split('?')[0] }));
    },
  );

  app.post<{ Params: { resourceCode: string }; Body: { where?: Record<string, string>; fields?: string[] } }>(
    '/api/share/gateway/:resourceCode/exports',
    {
      config: { auth: SHARE.gatewayCall },
      schema: {
        tags,
        summary: 'Queue a bulk export of the granted, masked rows as CSV (202 {id}); counts one call against the quota',
        params: { type: 'object', required: ['resourceCode'], properties: { resourceCode: resourceCodeParam } },
        body: {
          type: 'object',
          properties: {
            where: { type: 'object', propertyNames: { pattern: '^[a-z][a-z0-9_]{0,62}$' }, additionalProperties: { type: 'string', maxLength: 200 }, maxProperties: 24 },
            fields: { type: 'array', items: str(63, 1), maxItems: 200 },
          },
        },
      },
    },
    async (req, reply) =>
      send(reply, await gateway.call(req.actor!, { operation: 'export', resourceCode: req.params.resourceCode, where: req.body?.where ?? {}, fields: req.body?.fields, instance: req.url.split('?')[0] })),
  );

  app.get<{ Params: { id: string } }>(
    '/api/share/gateway/exports/:id',
    { config: { auth: SHARE.gatewayCall }, schema: { tags, summary: 'An export of the calling subsystem: state, rows, bytes, expiry', params: uuidParam } },
    (req) => gateway.exportState(req.actor!, req.params.id),
  );

  app.get<{ Params: { id: string } }>(
    '/api/share/gateway/exports/:id/file',
    { config: { auth: SHARE.gatewayCall }, schema: { tags, summary: 'Download a finished export (CSV, streamed; only the subsystem that asked for it)', params: uuidParam } },
    async (req, reply) => {
      const r = await gateway.exportFile(req.actor!, req.params.id, req.url.split('?')[0]);
      if ('refusal' in r) return send(reply, r.refusal);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${r.export.resourceCode}-${r.export.id}.csv"`)
        .header('x-share-call-id', String(r.callId))
        .header('x-share-file-sha256', r.export.sha256 ?? '')
        .send(r.stream);
    },
  );

  // ---- grants (bureau: all; departments: as consumer or provider) ---------------------------------------
  app.get<{ Querystring: { consumerMemberId?: string; consumerSubsystemId?: string; resourceId?: string; state?: 'live' | 'expired' | 'revoked'; limit: number; offset: number } }>(
    '/api/share/grants',
    {
      config: { auth: SHARE.statsRead },
      schema: {
        tags,
        summary: 'Grants: the bureau sees all, a department those where it is consumer or provider',
        querystring: {
          type: 'object',
          properties: {
            consumerMemberId: { type: 'string', format: 'uuid' },
            consumerSubsystemId: { type: 'string', format: 'uuid' },
            resourceId: { type: 'string', format: 'uuid' },
            state: { type: 'string', enum: ['live', 'expired', 'revoked'] },
            ...limitOffsetQuery,
          },
        },
      },
    },
    (req) => gateway.listGrants(req.actor!, req.query),
  );

  app.get<{ Params: { id: string } }>('/api/share/grants/:id', { config: { auth: SHARE.statsRead }, schema: { tags, summary: 'A grant with today\'s usage', params: uuidParam } }, (req) => gateway.getGrant(req.actor!, req.params.id));

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/api/share/grants/:id/revoke',
    {
      config: { auth: SHARE.grantManage },
      schema: { tags, summary: 'Revoke a grant with a reason: the very next call on it is refused', params: uuidParam, body: { type: 'object', required: ['reason'], properties: { reason: str(1000, 1) } } },
    },
    (req) => gateway.revokeGrant(req.actor!, req.params.id, req.body.reason),
  );

  // ---- keys ----------------------------------------------------------------------------------------------
  app.get<{ Params: { id: string } }>(
    '/api/share/subsystems/:id/keys',
    { config: { auth: SHARE.grantManage }, schema: { tags, summary: 'Gateway keys of a subsystem (prefixes only)', params: uuidParam } },
    (req) => gateway.listKeys(req.actor!, req.params.id),
  );

  app.post<{ Params: { id: string } }>(
    '/api/share/subsystems/:id/keys',
    { config: { auth: SHARE.grantManage }, schema: { tags, summary: 'Issue a gateway key for a subsystem (the key is in this answer only)', params: uuidParam } },
    async (req, reply) => reply.code(201).send(await gateway.issueKey(req.actor!, req.params.id)),
  );

  app.post<{ Params: { id: string } }>(
    '/api/share/keys/:id/revoke',
    { config: { auth: SHARE.grantManage }, schema: { tags, summary: 'Revoke a gateway key', params: uuidParam } },
    (req) => gateway.revokeKey(req.actor!, req.params.id),
  );

  // ---- usage and operational records --------------------------------------------------------------------
  app.get<{ Querystring: { memberId?: string; resourceId?: string; from?: string; to?: string } }>(
    '/api/share/usage',
    {
      config: { auth: SHARE.statsRead },
      schema: {
        tags,
        summary: 'Calls, errors, bytes, p50/p99 latency, by resource, consumer and day (Asia/Shanghai dates, inclusive)',
        querystring: { type: 'object', properties: { memberId: { type: 'string', format: 'uuid' }, resourceId: { type: 'string', format: 'uuid' }, from: dateStr, to: dateStr } },
      },
    },
    (req) => gateway.usage(req.actor!, req.query),
  );

  app.get<{ Querystring: { grantId?: string; consumerSubsystemId?: string; status?: string; limit: number; offset: number } }>(
    '/api/share/calls',
    {
      config: { auth: SHARE.statsRead },
      schema: {
        tags,
        summary: 'Operational records, newest first (status: ok, error or an HTTP status)',
        querystring: {
          type: 'object',
          properties: {
            grantId: { type: 'string', format: 'uuid' },
            consumerSubsystemId: { type: 'string', format: 'uuid' },
            status: { type: 'string', pattern: '^(ok|error|[1-5]\\d\\d)$' },
            ...limitOffsetQuery,
          },
        },
      },
    },
    (req) => gateway.listCalls(req.actor!, req.query),
  );

  app.get<{ Params: { id: number } }>(
    '/api/share/calls/:id',
    {
      config: { auth: SHARE.statsRead },
      schema: { tags, summary: 'One operational record, with its binding hash recomputed (bindingValid)', params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } },
    },
    (req) => gateway.getCall(req.actor!, req.params.id),
  );
}
