// HTTP for datasets: dataset view, provider's records, loads (upload, push, pull connectors), rejected rows,
// quality rules and scores, objections. Thin: the TypeBox schemas (validation, handler types, OpenAPI,
// serialisation; shapes in data.schemas.ts), a service call, the reply.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { csvField } from '../../../platform/files';
import { AppError } from '../../../platform/http/problem';
import { Binary, Choice, Defaulted, Enum, IdParams, Page, PageQuery, Text, Type, typed, Uuid } from '../../../platform/http/schema';
import { readUpload, registerUploads } from '../../../platform/http/uploads';
import { SHARE } from '../share.permissions';
import {
  BatchBody,
  BatchResult,
  ConnectorPatchBody,
  ConnectorSchema,
  DatasetSchema,
  LOAD_STATES,
  LoadDetail,
  LoadListItem,
  LoadSchema,
  MODES,
  NewConnectorBody,
  ObjectionBody,
  ObjectionQuery,
  ObjectionSchema,
  QualityItem,
  QualityQuery,
  RecordsQuery,
  RejectedRow,
  Row,
  RuleList,
  RulesBody,
} from './data.schemas';
import { type DataStore, MAX_BATCH_ROWS } from './data.service';

const tags = ['share-data'];
const UPLOAD_MAX = 1024 * 1024 * 1024; // 1 GB: the file is streamed to disk, never held in memory

function formatOf(fileName: string, contentType: string): 'csv' | 'xlsx' | 'jsonl' | null {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (/csv/.test(contentType)) return 'csv';
  if (/spreadsheetml/.test(contentType)) return 'xlsx';
  if (/ndjson|jsonl|json-lines/.test(contentType)) return 'jsonl';
  return null;
}

export async function dataRoutes(app: FastifyInstance, data: DataStore) {
  const api = typed(app);

  api.get(
    '/api/share/resources/:id/dataset',
    {
      config: { auth: SHARE.catalogueRead },
      schema: { tags, summary: 'The dataset behind a published resource: columns, row count, last load, quality score', params: IdParams, response: { 200: DatasetSchema } },
    },
    (req) => data.datasetView(req.actor!, req.params.id),
  );

  api.get(
    '/api/share/resources/:id/records',
    {
      config: { auth: SHARE.dataLoad },
      schema: {
        tags,
        summary: "The provider's own rows (console); any other query parameter is an equality condition on a column",
        params: IdParams,
        querystring: RecordsQuery,
        response: { 200: Page(Row) },
      },
    },
    (req) => {
      const { limit, offset, ...where } = req.query as typeof req.query & Record<string, string>;
      return data.records(req.actor!, req.params.id, { limit, offset, where });
    },
  );

  await app.register(async (instance) => {
    await registerUploads(instance, { maxFileBytes: UPLOAD_MAX });
    const scope = typed(instance);
    scope.post(
      '/api/share/resources/:id/loads',
      {
        config: { auth: SHARE.dataLoad },
        schema: {
          tags,
          summary: 'Upload a file (multipart "file": CSV, XLSX or JSON lines); a job validates and loads it',
          params: IdParams,
          querystring: Defaulted({ mode: Choice(MODES, 'incremental') }),
          response: { 202: LoadSchema },
        },
      },
      async (req, reply) => {
        const { result } = await readUpload(req, { field: 'file' }, async (part) => {
          const format = formatOf(part.fileName, part.contentType);
          if (!format) {
            throw new AppError(415, 'unsupported-media-type', 'Unsupported file type', 'upload a .csv, .xlsx or .jsonl file', [{ path: '/body/file', message: 'must be CSV, Excel (.xlsx) or JSON lines (.jsonl)' }]);
          }
          return data.createUpload(req.actor!, req.params.id, req.query.mode, { fileName: part.fileName.slice(0, 200) || `upload.${format}`, format, stream: part.stream });
        });
        return reply.code(202).send(result);
      },
    );
  });

  api.post(
    '/api/share/resources/:id/batches',
    {
      config: { auth: SHARE.dataLoad },
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        tags,
        summary: `Push a batch of rows (department systems, up to ${MAX_BATCH_ROWS}); idempotent by batchId; 422 when the batch is rejected whole`,
        description: '201: loaded; 200: this batchId was loaded before (the first result). A batch rejected whole is a 422 problem carrying the same `replayed`, `load` and `rejected`.',
        params: IdParams,
        body: BatchBody,
        response: { 200: BatchResult, 201: BatchResult },
      },
    },
    async (req, reply) => {
      const r = await data.pushBatch(req.actor!, req.params.id, req.body);
      if (r.load.state === 'rejected') {
        // A problem document that carries the batch result: not one of the route's success shapes, so it is
        // sent past the typed reply (the route's 4XX is the problem schema, which allows extension members).
        return (reply as FastifyReply).code(422).type('application/problem+json').send({ type: 'https://digital-qingdao.example/problems/batch-rejected', title: 'Batch rejected', status: 422, detail: r.load.error, ...r });
      }
      return reply.code(r.replayed ? 200 : 201).send(r);
    },
  );

  api.get(
    '/api/share/loads',
    {
      config: { auth: SHARE.dataLoad },
      schema: {
        tags,
        summary: 'Loads of my resources (the bureau: all)',
        querystring: Defaulted({ resourceId: Type.Optional(Uuid), state: Type.Optional(Enum(LOAD_STATES)), ...PageQuery }),
        response: { 200: Page(LoadListItem) },
      },
    },
    (req) => data.listLoads(req.actor!, req.query),
  );
  api.get(
    '/api/share/loads/:id',
    { config: { auth: SHARE.dataLoad }, schema: { tags, summary: 'A load with its progress and quality results', params: IdParams, response: { 200: LoadDetail } } },
    (req) => data.getLoad(req.actor!, req.params.id),
  );
  api.get(
    '/api/share/loads/:id/rejected',
    {
      config: { auth: SHARE.dataLoad },
      schema: { tags, summary: 'Rejected rows: {rowNumber, problems[{column, rule, message}], raw}', params: IdParams, querystring: Defaulted({ ...PageQuery }), response: { 200: Page(RejectedRow) } },
    },
    (req) => data.rejected(req.actor!, req.params.id, req.query),
  );
  api.get(
    '/api/share/loads/:id/rejected.csv',
    {
      config: { auth: SHARE.dataLoad },
      schema: { tags, summary: 'Rejected rows as CSV (row number, problems, then the row as sent)', params: IdParams, response: { 200: Binary('text/csv', 'The rejected rows (UTF-8 with BOM)') } },
    },
    async (req, reply) => {
      const it = data.rejectedAll(req.actor!, req.params.id)[Symbol.asyncIterator]();
      const first = await it.next(); // checks access before the reply starts
      async function* lines() {
        let cols: string[] | null = null;
        let cur = first;
        yield '\uFEFF';
        while (!cur.done) {
          const r = cur.value;
          if (!cols) {
            cols = Object.keys(r.raw);
            yield ['row', 'problems', ...cols].map(csvField).join(',') + '\r\n';
          }
          const problems = r.problems.map((p) => `${p.column}: ${p.message} [${p.rule}]`).join('; ');
          yield [r.rowNumber, problems, ...cols.map((c) => r.raw[c] ?? '')].map(csvField).join(',') + '\r\n';
          cur = await it.next();
        }
        if (!cols) yield 'row,problems\r\n';
      }
      const { Readable } = await import('node:stream');
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="rejected-${req.params.id}.csv"`).header('cache-control', 'no-store').send(Readable.from(lines()));
    },
  );

  // ---- connectors ----
  api.get(
    '/api/share/resources/:id/connectors',
    { config: { auth: SHARE.dataLoad }, schema: { tags, summary: 'Pull connectors of a resource (secrets never shown)', params: IdParams, response: { 200: Page(ConnectorSchema) } } },
    (req) => data.listConnectors(req.actor!, req.params.id),
  );
  api.post(
    '/api/share/resources/:id/connectors',
    {
      config: { auth: SHARE.dataLoad },
      schema: {
        tags,
        summary: 'Add a pull connector: http_json {url, token?, sinceParam?} or postgres {connectionString, table}; the configuration is encrypted at rest',
        params: IdParams,
        body: NewConnectorBody,
        response: { 201: ConnectorSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await data.createConnector(req.actor!, req.params.id, req.body)),
  );
  api.patch(
    '/api/share/connectors/:id',
    {
      config: { auth: SHARE.dataLoad },
      schema: {
        tags,
        summary: 'Change a connector (config parts given replace the stored ones; watermark null re-reads everything)',
        params: IdParams,
        body: ConnectorPatchBody,
        response: { 200: ConnectorSchema },
      },
    },
    (req) => data.updateConnector(req.actor!, req.params.id, req.body),
  );
  api.post(
    '/api/share/connectors/:id/run',
    { config: { auth: SHARE.dataLoad }, schema: { tags, summary: 'Run a connector now: 202 with the queued load', params: IdParams, response: { 202: LoadSchema } } },
    async (req, reply) => reply.code(202).send(await data.runConnector(req.actor!, req.params.id)),
  );

  // ---- quality ----
  api.get(
    '/api/share/resources/:id/quality-rules',
    { config: { auth: SHARE.catalogueRead }, schema: { tags, summary: 'Quality rules: derived from the items (fixed) and the provider’s own', params: IdParams, response: { 200: RuleList } } },
    (req) => data.listRules(req.actor!, req.params.id),
  );
  api.put(
    '/api/share/resources/:id/quality-rules',
    { config: { auth: SHARE.dataLoad }, schema: { tags, summary: "Replace the provider's own rules", params: IdParams, body: RulesBody, response: { 200: RuleList } } },
    (req) => data.putRules(req.actor!, req.params.id, req.body.rules.map((r) => ({ ...r, column: r.column ?? null, params: r.params ?? {} }))),
  );
  api.get(
    '/api/share/quality',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'Quality scores (GB/T 36344 dimensions) by resource or by department', querystring: QualityQuery, response: { 200: Page(QualityItem) } },
    },
    (req) => data.qualityList(req.actor!, req.query),
  );

  // ---- objections ----
  api.post(
    '/api/share/resources/:id/objections',
    { config: { auth: SHARE.requestCreate }, schema: { tags, summary: 'Raise an objection (疑义) on a record', params: IdParams, body: ObjectionBody, response: { 201: ObjectionSchema } } },
    async (req, reply) => reply.code(201).send(await data.raiseObjection(req.actor!, req.params.id, req.body)),
  );
  api.get(
    '/api/share/objections',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'Objections I raised, received as the provider, or all visible', querystring: ObjectionQuery, response: { 200: Page(ObjectionSchema) } },
    },
    (req) => data.listObjections(req.actor!, req.query),
  );
  api.post(
    '/api/share/objections/:id/answer',
    {
      config: { auth: SHARE.requestAnswer },
      schema: {
        tags,
        summary: 'Answer an objection as the provider (accepted: a correction follows)',
        params: IdParams,
        body: Type.Object({ accepted: Type.Boolean(), answer: Text(2000) }),
        response: { 200: ObjectionSchema },
      },
    },
    (req) => data.answerObjection(req.actor!, req.params.id, req.body),
  );
  api.post(
    '/api/share/objections/:id/resolve',
    {
      config: { auth: SHARE.requestAnswer },
      schema: { tags, summary: 'Resolve: answered → corrected by hand; corrected or rejected → closed', params: IdParams, body: Type.Object({ note: Text(2000) }), response: { 200: ObjectionSchema } },
    },
    (req) => data.resolveObjection(req.actor!, req.params.id, req.body),
  );
}
