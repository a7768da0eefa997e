// HTTP for credit supervision (the fixed contract of issue 6). Thin: the TypeBox schemas (validation,
// handler types, OpenAPI, serialisation; shapes in credit.schemas.ts), a service call, the reply.
import type { FastifyInstance } from 'fastify';
import { CONTENT_TYPES, exportStream, formatOfContentType } from '../../platform/files';
import { AppError } from '../../platform/http/problem';
import { Choice, Defaulted, Enum, IdParams, Page, PageQuery, Str, TabularFile, Type, typed, Uuid } from '../../platform/http/schema';
import { readUpload, registerUploads } from '../../platform/http/uploads';
import { formatOfFileName } from './credit.files';
import {
  BatchSchema,
  Endpoints,
  EndpointsBody,
  FORMATS,
  Kind,
  Material,
  MaterialFile,
  MyPenalties,
  OutboxDelivery,
  Profile,
  PublicSubject,
  RecordBody,
  RecordSchema,
  Regimes,
  RegimesBody,
  RepairDetail,
  RepairList,
  RepairSchema,
  RowProblem,
  Stats,
  SubjectHits,
  UploadedBatch,
} from './credit.schemas';
import { CREDIT, type CreditService } from './credit.service';
import { columnsOf } from './fields';
import { MATERIAL_MAX_BYTES, REPAIR_STATES, type RepairService } from './repair.service';

const tags = ['credit'];
const UPLOAD_MAX = 50 * 1024 * 1024;
const KindParams = Type.Object({ kind: Kind });
const CodeParams = Type.Object({ code: Str(40, 1) });

function fileNameHeader(name: string) {
  return `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function creditRoutes(app: FastifyInstance, { credit, repairs }: { credit: CreditService; repairs: RepairService }) {
  const api = typed(app);

  // ---- templates, batches, records ----------------------------------------------------------------------
  api.get(
    '/api/credit/templates/:kind',
    {
      config: { auth: CREDIT.publish },
      schema: {
        tags,
        summary: 'Empty upload template: a header row of field codes (headers=names for the Chinese names; both are accepted on upload)',
        params: KindParams,
        querystring: Defaulted({ format: Choice(FORMATS, 'xlsx'), headers: Choice(['codes', 'names'] as const, 'codes') }),
        response: { 200: TabularFile('The empty template (CSV or Excel)') },
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
  await app.register(async (instance) => {
    await registerUploads(instance, { maxFileBytes: UPLOAD_MAX });
    const scope = typed(instance);
    scope.post(
      '/api/credit/batches',
      {
        config: { auth: CREDIT.publish },
        schema: {
          tags,
          summary: 'Upload a licence or penalty file (multipart "file", CSV or Excel): every row validated and the valid rows staged; nothing is published yet',
          querystring: Type.Object({ kind: Kind }),
          response: { 201: UploadedBatch },
        },
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
    scope.post(
      '/api/credit/repairs/:id/materials',
      {
        config: { auth: 'authenticated' },
        schema: { tags, summary: 'Upload a repair material (multipart: field "key" first, then "file"; PDF, JPEG or PNG up to 10 MB)', params: IdParams, response: { 201: Material } },
      },
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

  api.get(
    '/api/credit/batches',
    {
      config: { auth: CREDIT.publish },
      schema: {
        tags,
        summary: 'Upload batches of my organisations',
        querystring: Defaulted({ kind: Type.Optional(Kind), state: Type.Optional(Enum(['validated', 'published', 'discarded'])), ...PageQuery }),
        response: { 200: Page(BatchSchema) },
      },
    },
    (req) => credit.listBatches(req.actor!, req.query),
  );
  api.get(
    '/api/credit/batches/:id',
    { config: { auth: CREDIT.publish }, schema: { tags, summary: 'A batch with its counts', params: IdParams, response: { 200: BatchSchema } } },
    (req) => credit.getBatch(req.actor!, req.params.id),
  );
  api.get(
    '/api/credit/batches/:id/problems',
    {
      config: { auth: CREDIT.publish },
      schema: { tags, summary: 'Every problem of the batch: {row, field, code, message}', params: IdParams, querystring: Defaulted({ ...PageQuery }), response: { 200: Page(RowProblem) } },
    },
    (req) => credit.problems(req.actor!, req.params.id, req.query),
  );
  api.get(
    '/api/credit/batches/:id/report',
    {
      config: { auth: CREDIT.publish },
      schema: {
        tags,
        summary: 'Every row with its errors (Excel: bad cells highlighted with the reason as a note)',
        params: IdParams,
        querystring: Defaulted({ format: Choice(FORMATS, 'xlsx') }),
        response: { 200: TabularFile('Every row of the batch with an error column (CSV or Excel)') },
      },
    },
    async (req, reply) => {
      const r = await credit.report(req.actor!, req.params.id, req.query.format);
      return reply.type(r.contentType).header('content-disposition', fileNameHeader(r.fileName)).header('cache-control', 'no-store').send(r.stream);
    },
  );
  api.post(
    '/api/credit/batches/:id/publish',
    {
      config: { auth: CREDIT.publish },
      schema: { tags, summary: 'Publish the valid rows of a batch, in one transaction', params: IdParams, response: { 200: Type.Object({ published: Type.Integer(), state: Type.String() }) } },
    },
    (req) => credit.publishBatch(req.actor!, req.params.id),
  );
  api.post(
    '/api/credit/batches/:id/discard',
    { config: { auth: CREDIT.publish }, schema: { tags, summary: 'Discard a batch without publishing', params: IdParams, response: { 200: Type.Object({ state: Type.String() }) } } },
    (req) => credit.discardBatch(req.actor!, req.params.id),
  );

  api.post(
    '/api/credit/records',
    {
      config: { auth: CREDIT.publish },
      schema: {
        tags,
        summary: 'Publish one record (console form or a department system); invalid → 422 with errors per /record/<FIELD>',
        body: RecordBody,
        // The 422 names each problem's code; every other error is the shared problem shape.
        response: { 201: RecordSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await credit.createRecord(req.actor!, req.body.kind, req.body.record)),
  );
  api.get(
    '/api/credit/records',
    {
      config: { auth: CREDIT.publish },
      schema: {
        tags,
        summary: 'Published records (my organisations; all with credit.profile.read)',
        querystring: Defaulted({ kind: Type.Optional(Kind), status: Type.Optional(Enum(['published', 'expired', 'repaired'])), q: Type.Optional(Str(100)), ...PageQuery }),
        response: { 200: Page(RecordSchema) },
      },
    },
    (req) => credit.listRecords(req.actor!, req.query),
  );
  api.get(
    '/api/credit/records/:id',
    { config: { auth: CREDIT.publish }, schema: { tags, summary: 'One record', params: IdParams, response: { 200: RecordSchema } } },
    (req) => credit.getRecord(req.actor!, req.params.id),
  );

  // ---- public lookup -----------------------------------------------------------------------------------
  api.get(
    '/api/public/credit/search',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Credit lookup by name or credit code: subjects with records in publication (persons masked)',
        querystring: Defaulted({ q: Str(100, 1), ...PageQuery }),
        response: { 200: SubjectHits },
      },
    },
    (req) => credit.publicSearch(req.query),
  );
  api.get(
    '/api/public/credit/subjects/:code',
    {
      config: { auth: 'public' },
      schema: { tags, summary: 'A subject (credit code, or the key of a person from the search) with its records in publication', params: CodeParams, response: { 200: PublicSubject } },
    },
    (req) => credit.publicSubject(req.params.code),
  );

  // ---- repair: enterprise side --------------------------------------------------------------------------
  api.get(
    '/api/credit/my/penalties',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'My organisation’s penalties with whether and when repair is possible', querystring: Defaulted({ ...PageQuery }), response: { 200: MyPenalties } },
    },
    (req) => repairs.myPenalties(req.actor!, req.query),
  );
  api.get(
    '/api/credit/repairs/commitment',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'The credit commitment letter (承诺书) generated for a penalty', querystring: Type.Object({ penaltyId: Uuid }), response: { 200: Type.Object({ text: Type.String() }) } },
    },
    (req) => repairs.commitment(req.actor!, req.query.penaltyId),
  );
  api.post(
    '/api/credit/repairs',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags,
        summary: 'Start a repair application (draft) for one of my penalties',
        body: Type.Object({ penaltyId: Uuid, commitmentAccepted: Type.Boolean(), statement: Str(4000, 1) }),
        response: { 201: RepairSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await repairs.create(req.actor!, req.body)),
  );
  for (const action of ['submit', 'resubmit'] as const) {
    api.post(
      `/api/credit/repairs/:id/${action}`,
      {
        config: { auth: 'authenticated' },
        schema: { tags, summary: action === 'submit' ? 'Submit the application' : 'Resubmit after a request for material', params: IdParams, response: { 200: RepairDetail } },
      },
      (req) => repairs.act(req.actor!, req.params.id, action, null),
    );
  }
  api.get(
    '/api/credit/repairs',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags,
        summary: 'Repairs: mine, or those my organisation decides',
        querystring: Defaulted({ state: Type.Optional(Enum(REPAIR_STATES)), ...PageQuery }),
        response: { 200: RepairList },
      },
    },
    (req) => repairs.list(req.actor!, req.query),
  );
  api.get(
    '/api/credit/repairs/:id',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'A repair with its timeline, deadlines, materials and deliveries', params: IdParams, response: { 200: RepairDetail } } },
    (req) => repairs.get(req.actor!, req.params.id),
  );
  api.get(
    '/api/credit/repairs/:id/materials/:materialId',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'Download a repair material', params: Type.Object({ id: Uuid, materialId: Uuid }), response: { 200: MaterialFile } },
    },
    async (req, reply) => {
      const b = await repairs.downloadMaterial(req.actor!, req.params.id, req.params.materialId);
      return reply.type(b.contentType).header('content-disposition', fileNameHeader(b.fileName)).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').send(b.bytes);
    },
  );

  // ---- repair: staff side ---------------------------------------------------------------------------------
  api.post(
    '/api/credit/repairs/:id/accept',
    {
      config: { auth: CREDIT.repairDecide },
      schema: { tags, summary: 'Accept a submitted application (starts the decision limit)', params: IdParams, response: { 200: RepairDetail } },
    },
    (req) => repairs.act(req.actor!, req.params.id, 'accept', null),
  );
  for (const action of ['request-material', 'approve', 'reject'] as const) {
    api.post(
      `/api/credit/repairs/:id/${action}`,
      {
        config: { auth: CREDIT.repairDecide },
        schema: {
          tags,
          summary:
            action === 'approve' ? 'Approve: the record leaves publication at once and linked systems are told through the outbox' : action === 'reject' ? 'Reject with a reason' : 'Ask for more material',
          params: IdParams,
          body: Type.Object({ reason: Str(1000, 1) }),
          response: { 200: RepairDetail },
        },
      },
      (req) => repairs.act(req.actor!, req.params.id, action, req.body.reason.trim()),
    );
  }

  // ---- outbox and configuration --------------------------------------------------------------------------
  api.get(
    '/api/credit/outbox',
    {
      config: { auth: CREDIT.manage },
      schema: {
        tags,
        summary: 'Outbox deliveries with attempts, last error and delivery time',
        querystring: Defaulted({ status: Type.Optional(Enum(['pending', 'sending', 'delivered', 'failed'])), ...PageQuery }),
        response: { 200: Page(OutboxDelivery) },
      },
    },
    (req) => repairs.listOutbox(req.query),
  );
  api.get(
    '/api/credit/endpoints',
    { config: { auth: CREDIT.manage }, schema: { tags, summary: 'External endpoints that receive repair results', response: { 200: Endpoints } } },
    () => repairs.getEndpoints(),
  );
  api.put(
    '/api/credit/endpoints',
    {
      config: { auth: CREDIT.manage },
      schema: {
        tags,
        summary: 'Replace the endpoint list (secret: signs deliveries with X-DQ-Signature: sha256=HMAC of the body; omitted keeps it, empty removes it)',
        body: EndpointsBody,
        response: { 200: Endpoints },
      },
    },
    (req) => repairs.putEndpoints(req.actor!, req.body.items),
  );
  api.get(
    '/api/credit/regimes',
    { config: { auth: CREDIT.manage }, schema: { tags, summary: 'Publication windows by severity with effective dates, and the repair time limits', response: { 200: Regimes } } },
    () => credit.getRegimes(),
  );
  api.put(
    '/api/credit/regimes',
    {
      config: { auth: CREDIT.manage },
      schema: {
        tags,
        summary: 'Replace the publication regimes (every effective date configures all severities) and optionally the limits',
        body: RegimesBody,
        response: { 200: Regimes },
      },
    },
    (req) => credit.putRegimes(req.actor!, req.body),
  );

  // ---- profile and statistics --------------------------------------------------------------------------------
  api.get(
    '/api/credit/profile/:code',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags,
        summary: 'Credit profile: licences, penalties in and out of publication, repair history (the subject itself or credit.profile.read)',
        params: CodeParams,
        response: { 200: Profile },
      },
    },
    (req) => credit.profile(req.actor!, req.params.code),
  );
  api.get(
    '/api/credit/stats',
    {
      config: { auth: CREDIT.profileRead },
      schema: { tags, summary: 'Repairs by state and department, on-time rate, average handling working days; records by kind and department', response: { 200: Stats } },
    },
    (req) => credit.stats(req.actor!),
  );
}
