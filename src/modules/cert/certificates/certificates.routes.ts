// HTTP for certificate types, issuing (form/API and bulk import), status changes and the public Token Status
// Lists. Thin: schemas, a service call, the reply.
import type { FastifyInstance } from 'fastify';
import { CONTENT_TYPES, exportStream } from '../../../platform/files';
import { AppError } from '../../../platform/http/problem';
import { Binary, Defaulted, Enum, IdParams, Page, PageQuery, Str, Type, typed, Uuid } from '../../../platform/http/schema';
import { readUpload, registerUploads } from '../../../platform/http/uploads';
import { CERT } from '../cert.permissions';
import {
  CERTIFICATE_STATUSES,
  CertificateDetailSchema,
  CertificateListItemSchema,
  CertificateTypeViewSchema,
  FieldDefInput,
  ImportViewSchema,
  IssueBody,
  ReasonBody,
  RejectSchema,
} from './certificates.schemas';
import type { CertificateService } from './certificates.service';

const tags = ['cert'];
const UPLOAD_MAX = 4 * 1024 * 1024 * 1024; // 4 GB: streamed to disk, never held in memory
function attachment(name: string) {
  return `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function importFormat(fileName: string, contentType: string): 'csv' | 'jsonl' | null {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (/csv/.test(contentType)) return 'csv';
  if (/ndjson|jsonl|json-lines/.test(contentType)) return 'jsonl';
  return null;
}

export async function certificateRoutes(app: FastifyInstance, certs: CertificateService) {
  const api = typed(app);

  // ---- types ----
  api.get(
    '/api/cert/types',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'Certificate types with their fields (and whether the caller may issue each)', response: { 200: Type.Object({ items: Type.Array(CertificateTypeViewSchema) }) } },
    },
    (req) => certs.listTypes(req.actor!),
  );
  api.get(
    '/api/cert/types/:id',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'One certificate type', params: IdParams, response: { 200: CertificateTypeViewSchema } } },
    (req) => certs.getType(req.actor!, req.params.id),
  );
  api.patch(
    '/api/cert/types/:id',
    {
      config: { auth: CERT.typeManage },
      schema: {
        tags,
        summary: 'Edit the English name or the fields of a type (fields in use cannot be removed)',
        params: IdParams,
        body: Type.Object({ nameEn: Type.Optional(Str(200, 1)), fields: Type.Optional(Type.Array(FieldDefInput, { maxItems: 60 })) }),
        response: { 200: CertificateTypeViewSchema },
      },
    },
    (req) => certs.updateType(req.actor!, req.params.id, req.body),
  );
  api.get(
    '/api/cert/types/:id/template.csv',
    {
      config: { auth: CERT.issue },
      schema: {
        tags,
        summary: 'Import template (CSV header row: core metadata then the type fields, Chinese headers; keys are accepted too)',
        params: IdParams,
        response: { 200: Binary('text/csv', 'The header row of the import file (UTF-8 CSV)') },
      },
    },
    async (req, reply) => {
      const { type, columns } = await certs.templateColumns(req.actor!, req.params.id);
      const none = (async function* () {})();
      return reply.type(CONTENT_TYPES.csv).header('content-disposition', attachment(`${type.nameZh}-导入模板.csv`)).send(exportStream('csv', columns, none));
    },
  );

  // ---- certificates ----
  api.post(
    '/api/cert/certificates',
    {
      config: { auth: CERT.issue },
      schema: {
        tags,
        summary: 'Issue one certificate (form or department system); 422 naming each bad field; 409 when already issued',
        body: IssueBody,
        response: { 201: CertificateDetailSchema },
      },
    },
    async (req, reply) => {
      const { holderCode: _clear, ...issued } = await certs.issue(req.actor!, req.body);
      return reply.code(201).send(await certs.detail(req.actor!, issued.id));
    },
  );

  api.get(
    '/api/cert/certificates',
    {
      config: { auth: CERT.read },
      schema: {
        tags,
        summary: 'Certificates my organisation issued (the bureau: all), newest first; holder codes masked; holderCode is an exact look-up',
        querystring: Defaulted({
          typeId: Type.Optional(Uuid),
          status: Type.Optional(Enum(CERTIFICATE_STATUSES)),
          holderCode: Type.Optional(Str(40, 1)),
          number: Type.Optional(Str(200, 1)),
          expired: Type.Optional(Type.Boolean()),
          importId: Type.Optional(Uuid),
          ...PageQuery,
        }),
        response: { 200: Page(CertificateListItemSchema) },
      },
    },
    (req) => certs.list(req.actor!, req.query),
  );

  api.get(
    '/api/cert/certificates/:id',
    { config: { auth: CERT.read }, schema: { tags, summary: 'A certificate: GB/T 36903 metadata, identifier, fields, status history', params: IdParams, response: { 200: CertificateDetailSchema } } },
    (req) => certs.detail(req.actor!, req.params.id),
  );

  for (const action of ['revoke', 'suspend', 'reinstate'] as const) {
    api.post(
      `/api/cert/certificates/:id/${action}`,
      {
        config: { auth: CERT.revoke },
        schema: {
          tags,
          summary: { revoke: 'Revoke (final)', suspend: 'Suspend (valid → suspended)', reinstate: 'Reinstate (suspended → valid)' }[action],
          params: IdParams,
          body: ReasonBody,
          response: { 200: CertificateDetailSchema },
        },
      },
      (req) => certs.changeStatus(req.actor!, req.params.id, action, req.body.reason),
    );
  }

  // ---- status lists (public) ----
  api.get(
    '/api/cert/status-lists/:id',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Token Status List (statuslist+jwt, 2 bits: 0 valid, 1 invalid, 2 suspended)',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }),
        response: { 200: Binary('application/statuslist+jwt', 'The signed Token Status List (a compact JWT, typ statuslist+jwt)') },
      },
    },
    async (req, reply) => {
      const { token, ttl } = await certs.statusListToken(Number(req.params.id));
      return reply.type('application/statuslist+jwt').header('cache-control', `public, max-age=${ttl}`).send(token);
    },
  );

  // ---- imports ----
  await app.register(async (scope) => {
    await registerUploads(scope, { maxFileBytes: UPLOAD_MAX });
    typed(scope).post(
      '/api/cert/imports',
      {
        config: { auth: CERT.issue },
        schema: { tags, summary: 'Bulk import (multipart: field "typeId", then file "file": CSV or JSON lines); a durable job issues the rows', response: { 202: ImportViewSchema } },
      },
      async (req, reply) => {
        const { result } = await readUpload(req, { field: 'file', fields: ['typeId'] }, async (part, fields) => {
          const format = importFormat(part.fileName, part.contentType);
          if (!format) throw new AppError(415, 'unsupported-media-type', 'Unsupported file type', 'upload a .csv or .jsonl file', [{ path: '/body/file', message: 'must be CSV or JSON lines (.jsonl)' }]);
          await certs.importContext(req.actor!, fields.typeId);
          return certs.createImport(req.actor!, fields.typeId, { fileName: part.fileName.slice(0, 200) || `import.${format}`, format, stream: part.stream });
        });
        return reply.code(202).send(result);
      },
    );
  });
  api.get(
    '/api/cert/imports',
    { config: { auth: CERT.issue }, schema: { tags, summary: 'Imports of my organisation (the bureau: all)', querystring: Defaulted({ ...PageQuery }), response: { 200: Page(ImportViewSchema) } } },
    (req) => certs.listImports(req.actor!, req.query),
  );
  api.get(
    '/api/cert/imports/:id',
    { config: { auth: CERT.issue }, schema: { tags, summary: 'An import with its progress', params: IdParams, response: { 200: ImportViewSchema } } },
    (req) => certs.getImport(req.actor!, req.params.id),
  );
  api.get(
    '/api/cert/imports/:id/rejects',
    {
      config: { auth: CERT.issue },
      schema: { tags, summary: 'Rejected rows: one entry per problem {rowNumber, field, reason, raw}', params: IdParams, querystring: Defaulted({ ...PageQuery }), response: { 200: Page(RejectSchema) } },
    },
    (req) => certs.rejects(req.actor!, req.params.id, req.query),
  );
  api.get(
    '/api/cert/imports/:id/rejects.csv',
    {
      config: { auth: CERT.issue },
      schema: { tags, summary: 'Rejected rows as CSV (row, field, reason, number, holder)', params: IdParams, response: { 200: Binary('text/csv', 'The rejected rows, one line per problem') } },
    },
    async (req, reply) => {
      const rows = await certs.rejectsAll(req.actor!, req.params.id);
      const columns = [
        { key: 'row', header: '行号 row' },
        { key: 'field', header: '字段 field' },
        { key: 'reason', header: '原因 reason' },
        { key: 'number', header: '证照编号 number' },
        { key: 'holderName', header: '持证主体 holder' },
      ];
      return reply.type(CONTENT_TYPES.csv).header('content-disposition', attachment(`rejects-${req.params.id}.csv`)).header('cache-control', 'no-store').send(exportStream('csv', columns, rows));
    },
  );
}
