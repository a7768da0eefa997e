// HTTP for datasets: dataset view, provider's records, loads (upload, push, pull connectors), rejected rows,
// quality rules and scores, objections. Thin: schemas, a service call, the reply.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { csvField } from '../../../platform/files';
import { limitOffsetQuery, uuidParam } from '../../../platform/http/paging';
import { AppError } from '../../../platform/http/problem';
import { readUpload, registerUploads } from '../../../platform/http/uploads';
import { SHARE } from '../share.permissions';
import { type ConnectorInput, type DataStore, MAX_BATCH_ROWS } from './data.service';
import { RULE_KINDS, type QualityRule } from './quality';

const tags = ['share-data'];
const UPLOAD_MAX = 1024 * 1024 * 1024; // 1 GB: the file is streamed to disk, never held in memory
const str = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const modeEnum = { type: 'string', enum: ['full', 'incremental'] } as const;
const cell = { type: ['string', 'number', 'boolean', 'null'] } as const;

const ruleSchema = {
  type: 'object',
  required: ['kind', 'threshold', 'severity'],
  properties: {
    kind: { type: 'string', enum: [...RULE_KINDS] },
    column: { type: ['string', 'null'], maxLength: 300 },
    params: { type: 'object', additionalProperties: true },
    threshold: { type: 'number', minimum: 0, maximum: 1 },
    severity: { type: 'string', enum: ['error', 'warning'] },
  },
} as const;

const connectorConfig = {
  type: 'object',
  properties: { url: str(2000), token: str(2000), sinceParam: str(60, 1), connectionString: str(2000), table: str(200) },
} as const;

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
  app.get<{ Params: { id: string } }>(
    '/api/share/resources/:id/dataset',
    { config: { auth: SHARE.catalogueRead }, schema: { tags, summary: 'The dataset behind a published resource: columns, row count, last load, quality score', params: uuidParam } },
    (req) => data.datasetView(req.actor!, req.params.id),
  );

  app.get<{ Params: { id: string }; Querystring: Record<string, string> & { limit: number; offset: number } }>(
    '/api/share/resources/:id/records',
    {
      config: { auth: SHARE.dataLoad },
      schema: {
        tags,
        summary: "The provider's own rows (console); any other query parameter is an equality condition on a column",
        params: uuidParam,
        querystring: { type: 'object', properties: { ...limitOffsetQuery }, additionalProperties: { type: 'string', maxLength: 400 } },
      },
    },
    (req) => {
      const { limit, offset, ...where } = req.query;
      return data.records(req.actor!, req.params.id, { limit, offset, where });
    },
  );

  await app.register(async (scope) => {
    await registerUploads(scope, { maxFileBytes: UPLOAD_MAX });
    scope.post<{ Params: { id: string }; Querystring: { mode: 'full' | 'incremental' } }>(
      '/api/share/resources/:id/loads',
      {
        config: { auth: SHARE.dataLoad },
        schema: { tags, summary: 'Upload a file (multipart "file": CSV, XLSX or JSON lines); a job validates and loads it', params: uuidParam, querystring: { type: 'object', properties: { mode: { ...modeEnum, default: 'incremental' } } } },
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

  app.post<{ Params: { id: string }; Body: { batchId: string; mode: 'full' | 'incremental'; rows: Record<string, unknown>[] } }>(
    '/api/share/resources/:id/batches',
    {
      config: { auth: SHARE.dataLoad },
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        tags,
        summary: `Push a batch of rows (department systems, up to ${MAX_BATCH_ROWS}); idempotent by batchId; 422 when the batch is rejected whole`,
        params: uuidParam,
        body: {
          type: 'object',
          required: ['batchId', 'mode', 'rows'],
          properties: { batchId: { type: 'string', minLength: 1, maxLength: 200 }, mode: modeEnum, rows: { type: 'array', maxItems: MAX_BATCH_ROWS, items: { type: 'object', additionalProperties: cell } } },
        },
      },
    },
    async (req, reply) => {
      const r = await data.pushBatch(req.actor!, req.params.id, req.body);
      const rejected = r.load.state === 'rejected';
      return reply.code(rejected ? 422 : r.replayed ? 200 : 201).send(rejected ? { type: 'https://digital-qingdao.example/problems/batch-rejected', title: 'Batch rejected', status: 422, detail: r.load.error, ...r } : r);
    },
  );

  app.get<{ Querystring: { resourceId?: string; state?: string; limit: number; offset: number } }>(
    '/api/share/loads',
    {
      config: { auth: SHARE.dataLoad },
      schema: { tags, summary: 'Loads of my resources (the bureau: all)', querystring: { type: 'object', properties: { resourceId: { type: 'string', format: 'uuid' }, state: { type: 'string', enum: ['queued', 'running', 'succeeded', 'rejected', 'failed'] }, ...limitOffsetQuery } } },
    },
    (req) => data.listLoads(req.actor!, req.query),
  );
  app.get<{ Params: { id: string } }>('/api/share/loads/:id', { config: { auth: SHARE.dataLoad }, schema: { tags, summary: 'A load with its progress and quality results', params: uuidParam } }, (req) => data.getLoad(req.actor!, req.params.id));
  app.get<{ Params: { id: string }; Querystring: { limit: number; offset: number } }>(
    '/api/share/loads/:id/rejected',
    { config: { auth: SHARE.dataLoad }, schema: { tags, summary: 'Rejected rows: {rowNumber, problems[{column, rule, message}], raw}', params: uuidParam, querystring: { type: 'object', properties: { ...limitOffsetQuery } } } },
    (req) => data.rejected(req.actor!, req.params.id, req.query),
  );
  app.get<{ Params: { id: string } }>(
    '/api/share/loads/:id/rejected.csv',
    { config: { auth: SHARE.dataLoad }, schema: { tags, summary: 'Rejected rows as CSV (row number, problems, then the row as sent)', params: uuidParam } },
    async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
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
  app.get<{ Params: { id: string } }>('/api/share/resources/:id/connectors', { config: { auth: SHARE.dataLoad }, schema: { tags, summary: 'Pull connectors of a resource (secrets never shown)', params: uuidParam } }, (req) => data.listConnectors(req.actor!, req.params.id));
  app.post<{ Params: { id: string }; Body: ConnectorInput }>(
    '/api/share/resources/:id/connectors',
    {
      config: { auth: SHARE.dataLoad },
      schema: {
        tags,
        summary: 'Add a pull connector: http_json {url, token?, sinceParam?} or postgres {connectionString, table}; the configuration is encrypted at rest',
        params: uuidParam,
        body: {
          type: 'object',
          required: ['name', 'kind', 'config'],
          properties: { name: str(200, 1), kind: { type: 'string', enum: ['http_json', 'postgres'] }, config: connectorConfig, mode: modeEnum, changeColumn: { type: ['string', 'null'], maxLength: 63 }, scheduleSeconds: { type: ['integer', 'null'], minimum: 60 }, enabled: { type: 'boolean' } },
        },
      },
    },
    async (req, reply) => reply.code(201).send(await data.createConnector(req.actor!, req.params.id, req.body)),
  );
  app.patch<{ Params: { id: string }; Body: Partial<ConnectorInput> & { watermark?: string | null } }>(
    '/api/share/connectors/:id',
    {
      config: { auth: SHARE.dataLoad },
      schema: {
        tags,
        summary: 'Change a connector (config parts given replace the stored ones; watermark null re-reads everything)',
        params: uuidParam,
        body: { type: 'object', properties: { name: str(200, 1), config: connectorConfig, mode: modeEnum, changeColumn: { type: ['string', 'null'], maxLength: 63 }, scheduleSeconds: { type: ['integer', 'null'], minimum: 60 }, enabled: { type: 'boolean' }, watermark: { type: ['string', 'null'], maxLength: 100 } } },
      },
    },
    (req) => data.updateConnector(req.actor!, req.params.id, req.body),
  );
  app.post<{ Params: { id: string } }>('/api/share/connectors/:id/run', { config: { auth: SHARE.dataLoad }, schema: { tags, summary: 'Run a connector now: 202 with the queued load', params: uuidParam } }, async (req, reply) =>
    reply.code(202).send(await data.runConnector(req.actor!, req.params.id)),
  );

  // ---- quality ----
  app.get<{ Params: { id: string } }>('/api/share/resources/:id/quality-rules', { config: { auth: SHARE.catalogueRead }, schema: { tags, summary: 'Quality rules: derived from the items (fixed) and the provider’s own', params: uuidParam } }, (req) =>
    data.listRules(req.actor!, req.params.id),
  );
  app.put<{ Params: { id: string }; Body: { rules: Omit<QualityRule, 'id' | 'derived'>[] } }>(
    '/api/share/resources/:id/quality-rules',
    { config: { auth: SHARE.dataLoad }, schema: { tags, summary: "Replace the provider's own rules", params: uuidParam, body: { type: 'object', required: ['rules'], properties: { rules: { type: 'array', maxItems: 200, items: ruleSchema } } } } },
    (req) => data.putRules(req.actor!, req.params.id, req.body.rules.map((r) => ({ ...r, column: r.column ?? null, params: r.params ?? {} }))),
  );
  app.get<{ Querystring: { by: 'resource' | 'department'; limit: number; offset: number } }>(
    '/api/share/quality',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Quality scores (GB/T 36344 dimensions) by resource or by department', querystring: { type: 'object', properties: { by: { type: 'string', enum: ['resource', 'department'], default: 'resource' }, ...limitOffsetQuery } } } },
    (req) => data.qualityList(req.actor!, req.query),
  );

  // ---- objections ----
  app.post<{ Params: { id: string }; Body: { recordKey: string; column: string; description: string } }>(
    '/api/share/resources/:id/objections',
    { config: { auth: SHARE.requestCreate }, schema: { tags, summary: 'Raise an objection (疑义) on a record', params: uuidParam, body: { type: 'object', required: ['recordKey', 'column', 'description'], properties: { recordKey: str(400, 1), column: str(63, 1), description: str(2000, 1) } } } },
    async (req, reply) => reply.code(201).send(await data.raiseObjection(req.actor!, req.params.id, req.body)),
  );
  app.get<{ Querystring: { box: 'raised' | 'received' | 'all'; state?: string; resourceId?: string; limit: number; offset: number } }>(
    '/api/share/objections',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags,
        summary: 'Objections I raised, received as the provider, or all visible',
        querystring: { type: 'object', properties: { box: { type: 'string', enum: ['raised', 'received', 'all'], default: 'all' }, state: { type: 'string', enum: ['raised', 'answered', 'rejected', 'corrected', 'closed'] }, resourceId: { type: 'string', format: 'uuid' }, ...limitOffsetQuery } },
      },
    },
    (req) => data.listObjections(req.actor!, req.query),
  );
  app.post<{ Params: { id: string }; Body: { accepted: boolean; answer: string } }>(
    '/api/share/objections/:id/answer',
    { config: { auth: SHARE.requestAnswer }, schema: { tags, summary: 'Answer an objection as the provider (accepted: a correction follows)', params: uuidParam, body: { type: 'object', required: ['accepted', 'answer'], properties: { accepted: { type: 'boolean' }, answer: str(2000, 1) } } } },
    (req) => data.answerObjection(req.actor!, req.params.id, req.body),
  );
  app.post<{ Params: { id: string }; Body: { note: string } }>(
    '/api/share/objections/:id/resolve',
    { config: { auth: SHARE.requestAnswer }, schema: { tags, summary: 'Resolve: answered → corrected by hand; corrected or rejected → closed', params: uuidParam, body: { type: 'object', required: ['note'], properties: { note: str(2000, 1) } } } },
    (req) => data.resolveObjection(req.actor!, req.params.id, req.body),
  );
}
