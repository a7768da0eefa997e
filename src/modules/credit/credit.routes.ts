// HTTP for credit supervision (the fixed contract of issue 6). Thin: schemas, a service call, the reply.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CONTENT_TYPES, exportStream, formatOfContentType } from '../../platform/files';
import { AppError } from '../../platform/http/problem';
import { limitOffsetQuery, uuidParam } from '../../platform/http/paging';
import { readUpload, registerUploads } from '../../platform/http/uploads';
import { formatOfFileName } from './credit.files';
import { CREDIT, type CreditService } from './credit.service';
import { columnsOf, type CreditKind, FIELDS } from './fields';
import { MATERIAL_MAX_BYTES, REPAIR_STATES, type RepairService } from './repair.service';
import { SEVERITIES } from './windows';

const tags = ['credit'];
const str = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const kindEnum = { type: 'string', enum: ['licence', 'penalty'] } as const;
const UPLOAD_MAX = 50 * 1024 * 1024;

/** Every field code of both kinds, as the single-record body's properties. */
const recordProperties = Object.fromEntries([...new Set([...FIELDS.licence, ...FIELDS.penalty].map((f) => f.code))].map((c) => [c, { type: ['string', 'number', 'null'], maxLength: 4000 }]));

function fileNameHeader(name: string) {
  return `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function creditRoutes(app: FastifyInstance, { credit, repairs }: { credit: CreditService; repairs: RepairService }) {
  // ---- templates, batches, records ----------------------------------------------------------------------
  app.get<{ Params: { kind: CreditKind }; Querystring: { format: 'csv' | 'xlsx'; headers: 'codes' | 'names' } }>(
    '/api/credit/templates/:kind',
    {
      config: { auth: CREDIT.publish },
      schema: {
        tags,
        summary: 'Empty upload template: a header row of field codes (headers=names for the Chinese names; both are accepted on upload)',
        params: { type: 'object', required: ['kind'], properties: { kind: kindEnum } },
        querystring: { type: 'object', properties: { format: { type: 'string', enum: ['csv', 'xlsx'], default: 'xlsx' }, headers: { type: 'string', enum: ['codes', 'names'], default: 'codes' } } },
      },
    },
    async (req, reply) => {
      const cols = columnsOf(req.params.kind).map((c) => (req.query.headers === 'codes' ? { ...c, header: c.key } : c));
      const empty = (async function* () {})();
      return reply
        .type(CONTENT_TYPES[req.query.format])
        .header('content-disposition', fileNameHeader(`${req.params.kind}-template.${req.query.format}`))
        .send(exportStream(req.query.format, cols, empty, req.params.kind));
    },
  );

  // Multipart uploads: the body stays a stream; the file part is validated as it arrives.
  await app.register(async (scope) => {
    await registerUploads(scope, { maxFileBytes: UPLOAD_MAX });
    scope.post<{ Querystring: { kind: CreditKind } }>(
      '/api/credit/batches',
      {
        config: { auth: CREDIT.publish },
        schema: { tags, summary: 'Upload a licence or penalty file (multipart "file", CSV or Excel): every row validated and the valid rows staged; nothing is published yet', querystring: { type: 'object', required: ['kind'], properties: { kind: kindEnum } } },
      },
      async (req, reply) => {
        const { result } = await readUpload(req, { field: 'file' }, async (part) => {
          const format = formatOfFileName(part.fileName) ?? formatOfContentType(part.contentType);
          if (!format) {
            throw new AppError(415, 'unsupported-media-type', 'Unsupported file type', 'upload a .csv or .xlsx file', [{ path: '/body/file', message: 'must be CSV or Excel (.xlsx)' }]);
          }
          return credit.createBatch(req.actor!, req.query.kind, part.fileName.slice(0, 200) || `upload.${format}`, format, part.stream);
        });
        return reply.code(201).send(result);
      },
    );
    scope.post<{ Params: { id: string } }>(
      '/api/credit/repairs/:id/materials',
      { config: { auth: 'authenticated' }, schema: { tags, summary: 'Upload a repair material (multipart: field "key" first, then "file"; PDF, JPEG or PNG up to 10 MB)', params: uuidParam } },
      async (req, reply) => {
        const { result } = await readUpload(req, { field: 'file', fields: ['key'], maxFileBytes: MATERIAL_MAX_BYTES }, async (part, fields) => {
          if (!fields.key) {
            throw new AppError(400, 'validation', 'Invalid request', 'the field "key" must come before the file', [{ path: '/body/key', message: 'required before the file part' }]);
          }
          return repairs.uploadMaterial(req.actor!, req.params.id, fields.key, { stream: part.stream, fileName: part.fileName.slice(0, 200) || 'material', contentType: part.contentType });
        });
        return reply.code(201).send(result);
      },
    );
  });

  app.get<{ Querystring: { kind?: CreditKind; state?: string; limit: number; offset: number } }>(
    '/api/credit/batches',
    { config: { auth: CREDIT.publish }, schema: { tags, summary: 'Upload batches of my organisations', querystring: { type: 'object', properties: { kind: kindEnum, state: { type: 'string', enum: ['validated', 'published', 'discarded'] }, ...limitOffsetQuery } } } },
    (req) => credit.listBatches(req.actor!, req.query),
  );
  app.get<{ Params: { id: string } }>('/api/credit/batches/:id', { config: { auth: CREDIT.publish }, schema: { tags, summary: 'A batch with its counts', params: uuidParam } }, (req) => credit.getBatch(req.actor!, req.params.id));
  app.get<{ Params: { id: string }; Querystring: { limit: number; offset: number } }>(
    '/api/credit/batches/:id/problems',
    { config: { auth: CREDIT.publish }, schema: { tags, summary: 'Every problem of the batch: {row, field, code, message}', params: uuidParam, querystring: { type: 'object', properties: { ...limitOffsetQuery } } } },
    (req) => credit.problems(req.actor!, req.params.id, req.query),
  );
  app.get<{ Params: { id: string }; Querystring: { format: 'csv' | 'xlsx' } }>(
    '/api/credit/batches/:id/report',
    { config: { auth: CREDIT.publish }, schema: { tags, summary: 'Every row with its errors (Excel: bad cells highlighted with the reason as a note)', params: uuidParam, querystring: { type: 'object', properties: { format: { type: 'string', enum: ['csv', 'xlsx'], default: 'xlsx' } } } } },
    async (req, reply: FastifyReply) => {
      const r = await credit.report(req.actor!, req.params.id, req.query.format);
      return reply.type(r.contentType).header('content-disposition', fileNameHeader(r.fileName)).header('cache-control', 'no-store').send(r.stream);
    },
  );
  app.post<{ Params: { id: string } }>('/api/credit/batches/:id/publish', { config: { auth: CREDIT.publish }, schema: { tags, summary: 'Publish the valid rows of a batch, in one transaction', params: uuidParam } }, (req) => credit.publishBatch(req.actor!, req.params.id));
  app.post<{ Params: { id: string } }>('/api/credit/batches/:id/discard', { config: { auth: CREDIT.publish }, schema: { tags, summary: 'Discard a batch without publishing', params: uuidParam } }, (req) => credit.discardBatch(req.actor!, req.params.id));

  app.post<{ Body: { kind: CreditKind; record: Record<string, unknown> } }>(
    '/api/credit/records',
    {
      config: { auth: CREDIT.publish },
      schema: { tags, summary: 'Publish one record (console form or a department system); invalid → 422 with errors per /record/<FIELD>', body: { type: 'object', required: ['kind', 'record'], properties: { kind: kindEnum, record: { type: 'object', properties: recordProperties } } } },
    },
    async (req, reply) => reply.code(201).send(await credit.createRecord(req.actor!, req.body.kind, req.body.record)),
  );
  app.get<{ Querystring: { kind?: CreditKind; status?: string; q?: string; limit: number; offset: number } }>(
    '/api/credit/records',
    {
      config: { auth: CREDIT.publish },
      schema: { tags, summary: 'Published records (my organisations; all with credit.profile.read)', querystring: { type: 'object', properties: { kind: kindEnum, status: { type: 'string', enum: ['published', 'expired', 'repaired'] }, q: str(100), ...limitOffsetQuery } } },
    },
    (req) => credit.listRecords(req.actor!, req.query),
  );
  app.get<{ Params: { id: string } }>('/api/credit/records/:id', { config: { auth: CREDIT.publish }, schema: { tags, summary: 'One record', params: uuidParam } }, (req) => credit.getRecord(req.actor!, req.params.id));

  // ---- public lookup -----------------------------------------------------------------------------------
  app.get<{ Querystring: { q: string; limit: number; offset: number } }>(
    '/api/public/credit/search',
    { config: { auth: 'public' }, schema: { tags, summary: 'Credit lookup by name or credit code: subjects with records in publication (persons masked)', querystring: { type: 'object', required: ['q'], properties: { q: str(100, 1), ...limitOffsetQuery } } } },
    (req) => credit.publicSearch(req.query),
  );
  app.get<{ Params: { code: string } }>(
    '/api/public/credit/subjects/:code',
    { config: { auth: 'public' }, schema: { tags, summary: 'A subject (credit code, or the key of a person from the search) with its records in publication', params: { type: 'object', required: ['code'], properties: { code: str(40, 1) } } } },
    (req) => credit.publicSubject(req.params.code),
  );

  // ---- repair: enterprise side --------------------------------------------------------------------------
  app.get<{ Querystring: { limit: number; offset: number } }>(
    '/api/credit/my/penalties',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'My organisation’s penalties with whether and when repair is possible', querystring: { type: 'object', properties: { ...limitOffsetQuery } } } },
    (req) => repairs.myPenalties(req.actor!, req.query),
  );
  app.get<{ Querystring: { penaltyId: string } }>(
    '/api/credit/repairs/commitment',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'The credit commitment letter (承诺书) generated for a penalty', querystring: { type: 'object', required: ['penaltyId'], properties: { penaltyId: { type: 'string', format: 'uuid' } } } } },
    (req) => repairs.commitment(req.actor!, req.query.penaltyId),
  );
  app.post<{ Body: { penaltyId: string; commitmentAccepted: boolean; statement: string } }>(
    '/api/credit/repairs',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'Start a repair application (draft) for one of my penalties', body: { type: 'object', required: ['penaltyId', 'commitmentAccepted', 'statement'], properties: { penaltyId: { type: 'string', format: 'uuid' }, commitmentAccepted: { type: 'boolean' }, statement: str(4000, 1) } } },
    },
    async (req, reply) => reply.code(201).send(await repairs.create(req.actor!, req.body)),
  );
  for (const action of ['submit', 'resubmit'] as const) {
    app.post<{ Params: { id: string } }>(`/api/credit/repairs/:id/${action}`, { config: { auth: 'authenticated' }, schema: { tags, summary: action === 'submit' ? 'Submit the application' : 'Resubmit after a request for material', params: uuidParam } }, (req) => repairs.act(req.actor!, req.params.id, action, null));
  }
  app.get<{ Querystring: { state?: string; limit: number; offset: number } }>(
    '/api/credit/repairs',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Repairs: mine, or those my organisation decides', querystring: { type: 'object', properties: { state: { type: 'string', enum: [...REPAIR_STATES] }, ...limitOffsetQuery } } } },
    (req) => repairs.list(req.actor!, req.query),
  );
  app.get<{ Params: { id: string } }>('/api/credit/repairs/:id', { config: { auth: 'authenticated' }, schema: { tags, summary: 'A repair with its timeline, deadlines, materials and deliveries', params: uuidParam } }, (req) => repairs.get(req.actor!, req.params.id));
  app.get<{ Params: { id: string; materialId: string } }>(
    '/api/credit/repairs/:id/materials/:materialId',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Download a repair material', params: { type: 'object', required: ['id', 'materialId'], properties: { id: { type: 'string', format: 'uuid' }, materialId: { type: 'string', format: 'uuid' } } } } },
    async (req, reply) => {
      const b = await repairs.downloadMaterial(req.actor!, req.params.id, req.params.materialId);
      return reply.type(b.contentType).header('content-disposition', fileNameHeader(b.fileName)).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').send(b.bytes);
    },
  );

  // ---- repair: staff side ---------------------------------------------------------------------------------
  app.post<{ Params: { id: string } }>('/api/credit/repairs/:id/accept', { config: { auth: CREDIT.repairDecide }, schema: { tags, summary: 'Accept a submitted application (starts the decision limit)', params: uuidParam } }, (req) => repairs.act(req.actor!, req.params.id, 'accept', null));
  for (const action of ['request-material', 'approve', 'reject'] as const) {
    app.post<{ Params: { id: string }; Body: { reason: string } }>(
      `/api/credit/repairs/:id/${action}`,
      {
        config: { auth: CREDIT.repairDecide },
        schema: { tags, summary: action === 'approve' ? 'Approve: the record leaves publication at once and linked systems are told through the outbox' : action === 'reject' ? 'Reject with a reason' : 'Ask for more material', params: uuidParam, body: { type: 'object', required: ['reason'], properties: { reason: str(1000, 1) } } },
      },
      (req) => repairs.act(req.actor!, req.params.id, action, req.body.reason.trim()),
    );
  }

  // ---- outbox and configuration --------------------------------------------------------------------------
  app.get<{ Querystring: { status?: string; limit: number; offset: number } }>(
    '/api/credit/outbox',
    { config: { auth: CREDIT.manage }, schema: { tags, summary: 'Outbox deliveries with attempts, last error and delivery time', querystring: { type: 'object', properties: { status: { type: 'string', enum: ['pending', 'sending', 'delivered', 'failed'] }, ...limitOffsetQuery } } } },
    (req) => repairs.listOutbox(req.query),
  );
  app.get('/api/credit/endpoints', { config: { auth: CREDIT.manage }, schema: { tags, summary: 'External endpoints that receive repair results' } }, () => repairs.getEndpoints());
  app.put<{ Body: { items: { id?: string; name: string; url: string; enabled: boolean; secret?: string | null }[] } }>(
    '/api/credit/endpoints',
    {
      config: { auth: CREDIT.manage },
      schema: {
        tags,
        summary: 'Replace the endpoint list (secret: signs deliveries with X-DQ-Signature: sha256=HMAC of the body; omitted keeps it, empty removes it)',
        body: { type: 'object', required: ['items'], properties: { items: { type: 'array', maxItems: 50, items: { type: 'object', required: ['name', 'url', 'enabled'], properties: { id: { type: 'string', format: 'uuid' }, name: str(100, 1), url: str(500, 1), enabled: { type: 'boolean' }, secret: { type: ['string', 'null'], maxLength: 200 } } } } } },
      },
    },
    (req) => repairs.putEndpoints(req.actor!, req.body.items),
  );
  app.get('/api/credit/regimes', { config: { auth: CREDIT.manage }, schema: { tags, summary: 'Publication windows by severity with effective dates, and the repair time limits' } }, () => credit.getRegimes());
  app.put<{ Body: { items: { severity: 'minor'; minMonths: number; maxMonths: number; effectiveFrom: string; note?: string | null }[]; limits?: { acceptDays?: number; decideDays?: number; seriousAmount?: number } } }>(
    '/api/credit/regimes',
    {
      config: { auth: CREDIT.manage },
      schema: {
        tags,
        summary: 'Replace the publication regimes (every effective date configures all severities) and optionally the limits',
        body: {
          type: 'object',
          required: ['items'],
          properties: {
            items: {
              type: 'array',
              minItems: 1,
              maxItems: 60,
              items: { type: 'object', required: ['severity', 'minMonths', 'maxMonths', 'effectiveFrom'], properties: { id: { type: 'string' }, severity: { type: 'string', enum: SEVERITIES }, minMonths: { type: 'integer', minimum: 0, maximum: 120 }, maxMonths: { type: 'integer', minimum: 1, maximum: 120 }, effectiveFrom: { type: 'string', format: 'date' }, note: { type: ['string', 'null'], maxLength: 200 } } },
            },
            limits: { type: 'object', properties: { acceptDays: { type: 'integer', minimum: 1, maximum: 60 }, decideDays: { type: 'integer', minimum: 1, maximum: 60 }, seriousAmount: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 } } },
          },
        },
      },
    },
    (req) => credit.putRegimes(req.actor!, req.body),
  );

  // ---- profile and statistics --------------------------------------------------------------------------------
  app.get<{ Params: { code: string } }>(
    '/api/credit/profile/:code',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Credit profile: licences, penalties in and out of publication, repair history (the subject itself or credit.profile.read)', params: { type: 'object', required: ['code'], properties: { code: str(40, 1) } } } },
    (req) => credit.profile(req.actor!, req.params.code),
  );
  app.get('/api/credit/stats', { config: { auth: CREDIT.profileRead }, schema: { tags, summary: 'Repairs by state and department, on-time rate, average handling working days; records by kind and department' } }, (req) => credit.stats(req.actor!));
}
