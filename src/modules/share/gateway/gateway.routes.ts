// HTTP for the gateway: consumer calls (API key, share.gateway.call), grants and keys (the bureau),
// usage and operational records (providers, consumers, the bureau). Thin: schemas, a service call, the reply.
// The consumer's lookups, queries and exports answer with the exact bytes the service produced (their
// SHA-256 is in the operational record), so their response schemas document them and are not re-serialised.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Binary, Defaulted, Enum, IdParams, Page, PageQuery, Str, Text, Type, Uuid, typed } from '../../../platform/http/schema';
import { SHARE } from '../share.permissions';
import {
  CheckedCallRecord,
  CallRecord,
  ConsumerGrants,
  ExportQueued,
  ExportSchema,
  ExportWhere,
  FieldsParam,
  GRANT_STATES,
  GrantSchema,
  GrantWithUsage,
  IssuedKey,
  KeySchema,
  LookupAnswer,
  QueryAnswer,
  ResourceCode,
  RevokedKey,
  Usage,
  queryConditions,
} from './gateway.schemas';
import type { CallOutcome, Gateway } from './gateway.service';

const tags = ['share-gateway'];
const DateParam = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

const splitFields = (s: string | undefined) =>
  s
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);

/** The service's exact bytes with its status, type and headers (x-share-call-id, hashes, retry-after). */
function send(reply: FastifyReply, o: CallOutcome) {
  for (const [k, v] of Object.entries(o.headers)) reply.header(k, v);
  return reply.code(o.status).type(o.contentType).send(o.body);
}

export async function registerGatewayRoutes(app: FastifyInstance, gateway: Gateway) {
  const api = typed(app);

  // ---- consumer calls --------------------------------------------------------------------------------
  api.get(
    '/api/share/gateway/grants',
    { config: { auth: SHARE.gatewayCall }, schema: { tags, summary: "The calling subsystem's grants", response: { 200: ConsumerGrants } } },
    (req) => gateway.consumerGrants(req.actor!),
  );

  api.get(
    '/api/share/gateway/:resourceCode/records/:key',
    {
      config: { auth: SHARE.gatewayCall },
      schema: {
        tags,
        summary: 'Look up one record by its key (several key columns joined by |); granted fields only, personal fields masked',
        params: Type.Object({ resourceCode: ResourceCode, key: Str(500, 1) }),
        querystring: Type.Object({ fields: Type.Optional(FieldsParam) }),
        response: { 200: LookupAnswer },
      },
    },
    async (req, reply) =>
      send(reply, await gateway.call(req.actor!, { operation: 'lookup', resourceCode: req.params.resourceCode, key: req.params.key, fields: splitFields(req.query.fields), instance: req.url.split('?')[0] })),
  );

  api.get(
    '/api/share/gateway/:resourceCode/records',
    {
      config: { auth: SHARE.gatewayCall },
      schema: {
        tags,
        summary: 'Query records: <column>=<value> conditions on granted columns (ANDed), paged; personal fields masked',
        params: Type.Object({ resourceCode: ResourceCode }),
        querystring: Object.assign(Defaulted({ fields: Type.Optional(FieldsParam), ...PageQuery }), queryConditions),
        response: { 200: QueryAnswer },
      },
    },
    async (req, reply) => {
      const { fields, limit, offset, ...rest } = req.query as typeof req.query & Record<string, string | number | undefined>;
      const where = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)]));
      return send(reply, await gateway.call(req.actor!, { operation: 'query', resourceCode: req.params.resourceCode, where, fields: splitFields(fields), limit, offset, instance: req.url.split('?')[0] }));
    },
  );

  api.post(
    '/api/share/gateway/:resourceCode/exports',
    {
      config: { auth: SHARE.gatewayCall },
      schema: {
        tags,
        summary: 'Queue a bulk export of the granted, masked rows as CSV (202 {id}); counts one call against the quota',
        params: Type.Object({ resourceCode: ResourceCode }),
        body: Type.Object({ where: Type.Optional(ExportWhere), fields: Type.Optional(Type.Array(Str(63, 1), { maxItems: 200 })) }),
        response: { 202: ExportQueued },
      },
    },
    async (req, reply) =>
      send(reply, await gateway.call(req.actor!, { operation: 'export', resourceCode: req.params.resourceCode, where: req.body?.where ?? {}, fields: req.body?.fields, instance: req.url.split('?')[0] })),
  );

  api.get(
    '/api/share/gateway/exports/:id',
    { config: { auth: SHARE.gatewayCall }, schema: { tags, summary: 'An export of the calling subsystem: state, rows, bytes, expiry', params: IdParams, response: { 200: ExportSchema } } },
    (req) => gateway.exportState(req.actor!, req.params.id),
  );

  api.get(
    '/api/share/gateway/exports/:id/file',
    {
      config: { auth: SHARE.gatewayCall },
      schema: {
        tags,
        summary: 'Download a finished export (CSV, streamed; only the subsystem that asked for it)',
        params: IdParams,
        response: { 200: Binary('text/csv', 'The export as CSV, streamed; x-share-file-sha256 carries its SHA-256') },
      },
    },
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
  api.get(
    '/api/share/grants',
    {
      config: { auth: SHARE.statsRead },
      schema: {
        tags,
        summary: 'Grants: the bureau sees all, a department those where it is consumer or provider',
        querystring: Defaulted({
          consumerMemberId: Type.Optional(Uuid),
          consumerSubsystemId: Type.Optional(Uuid),
          resourceId: Type.Optional(Uuid),
          state: Type.Optional(Enum(GRANT_STATES)),
          ...PageQuery,
        }),
        response: { 200: Page(GrantSchema) },
      },
    },
    (req) => gateway.listGrants(req.actor!, req.query),
  );

  api.get(
    '/api/share/grants/:id',
    { config: { auth: SHARE.statsRead }, schema: { tags, summary: "A grant with today's usage", params: IdParams, response: { 200: GrantWithUsage } } },
    (req) => gateway.getGrant(req.actor!, req.params.id),
  );

  api.post(
    '/api/share/grants/:id/revoke',
    {
      config: { auth: SHARE.grantManage },
      schema: { tags, summary: 'Revoke a grant with a reason: the very next call on it is refused', params: IdParams, body: Type.Object({ reason: Text(1000) }), response: { 200: GrantSchema } },
    },
    (req) => gateway.revokeGrant(req.actor!, req.params.id, req.body.reason),
  );

  // ---- keys ----------------------------------------------------------------------------------------------
  api.get(
    '/api/share/subsystems/:id/keys',
    { config: { auth: SHARE.grantManage }, schema: { tags, summary: 'Gateway keys of a subsystem (prefixes only)', params: IdParams, response: { 200: Page(KeySchema) } } },
    (req) => gateway.listKeys(req.actor!, req.params.id),
  );

  api.post(
    '/api/share/subsystems/:id/keys',
    { config: { auth: SHARE.grantManage }, schema: { tags, summary: 'Issue a gateway key for a subsystem (the key is in this answer only)', params: IdParams, response: { 201: IssuedKey } } },
    async (req, reply) => reply.code(201).send(await gateway.issueKey(req.actor!, req.params.id)),
  );

  api.post(
    '/api/share/keys/:id/revoke',
    { config: { auth: SHARE.grantManage }, schema: { tags, summary: 'Revoke a gateway key', params: IdParams, response: { 200: RevokedKey } } },
    (req) => gateway.revokeKey(req.actor!, req.params.id),
  );

  // ---- usage and operational records --------------------------------------------------------------------
  api.get(
    '/api/share/usage',
    {
      config: { auth: SHARE.statsRead },
      schema: {
        tags,
        summary: 'Calls, errors, bytes, p50/p99 latency, by resource, consumer and day (Asia/Shanghai dates, inclusive)',
        querystring: Type.Object({ memberId: Type.Optional(Uuid), resourceId: Type.Optional(Uuid), from: Type.Optional(DateParam), to: Type.Optional(DateParam) }),
        response: { 200: Usage },
      },
    },
    (req) => gateway.usage(req.actor!, req.query),
  );

  api.get(
    '/api/share/calls',
    {
      config: { auth: SHARE.statsRead },
      schema: {
        tags,
        summary: 'Operational records, newest first (status: ok, error or an HTTP status)',
        querystring: Defaulted({
          grantId: Type.Optional(Uuid),
          consumerSubsystemId: Type.Optional(Uuid),
          status: Type.Optional(Type.String({ pattern: '^(ok|error|[1-5]\\d\\d)$' })),
          ...PageQuery,
        }),
        response: { 200: Page(CallRecord) },
      },
    },
    (req) => gateway.listCalls(req.actor!, req.query),
  );

  api.get(
    '/api/share/calls/:id',
    {
      config: { auth: SHARE.statsRead },
      schema: {
        tags,
        summary: 'One operational record, with its binding hash recomputed (bindingValid)',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: CheckedCallRecord },
      },
    },
    (req) => gateway.getCall(req.actor!, req.params.id),
  );
}
