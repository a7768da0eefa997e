// HTTP for certificate types, issuing (form/API and bulk import), status changes and the public Token Status
// Lists. Thin: schemas, a service call, the reply.
import type { FastifyInstance } from 'fastify';
import { CONTENT_TYPES, exportStream } from '../../../platform/files';
import { limitOffsetQuery, uuidParam } from '../../../platform/http/paging';
import { AppError } from '../../../platform/http/problem';
import { readUpload, registerUploads } from '../../../platform/http/uploads';
import { CERT } from '../cert.permissions';
import type { CertificateService } from './certificates.service';

const tags = ['cert'];
const UPLOAD_MAX = 4 * 1024 * 1024 * 1024; // 4 GB: streamed to disk, never held in memory
const fieldValue = { type: ['string', 'number', 'boolean', 'null'], maxLength: 1000 } as const;
const dateOrEmpty = { type: 'string', maxLength: 10 } as const;

const fieldDefSchema = {
  type: 'object',
  required: ['key', 'nameZh', 'nameEn', 'type', 'required'],
  additionalProperties: false,
  properties: {
    key: { type: 'string', minLength: 1, maxLength: 40 },
    nameZh: { type: 'string', minLength: 1, maxLength: 60 },
    nameEn: { type: 'string', minLength: 1, maxLength: 120 },
    type: { type: 'string', enum: ['string', 'date', 'number', 'boolean'] },
    required: { type: 'boolean' },
    personal: { type: 'boolean' },
  },
} as const;

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
  // ---- types ----
  app.get('/api/cert/types', { config: { auth: 'authenticated' }, schema: { tags, summary: 'Certificate types with their fields (and whether the caller may issue each)' } }, (req) => certs.listTypes(req.actor!));
  app.get<{ Params: { id: string } }>('/api/cert/types/:id', { config: { auth: 'authenticated' }, schema: { tags, summary: 'One certificate type', params: uuidParam } }, (req) =>
    certs.getType(req.actor!, req.params.id),
  );
  app.patch<{ Params: { id: string }; Body: { nameEn?: string; fields?: never[] } }>(
    '/api/cert/types/:id',
    {
      config: { auth: CERT.typeManage },
      schema: {
        tags,
        summary: 'Edit the English name or the fields of a type (fields in use cannot be removed)',
        params: uuidParam,
        body: { type: 'object', additionalProperties: false, properties: { nameEn: { type: 'string', minLength: 1, maxLength: 200 }, fields: { type: 'array', maxItems: 60, items: fieldDefSchema } } },
      },
    },
    (req) => certs.updateType(req.actor!, req.params.id, req.body),
  );
  app.get<{ Params: { id: string } }>(
    '/api/cert/types/:id/template.csv',
    { config: { auth: CERT.issue }, schema: { tags, summary: 'Import template (CSV header row: core metadata then the type fields, Chinese headers; keys are accepted too)', params: uuidParam } },
    async (req, reply) => {
      const { type, columns } = await certs.templateColumns(req.actor!, req.params.id);
      const none = (async function* () {})();
      return reply.type(CONTENT_TYPES.csv).header('content-disposition', attachment(`${type.nameZh}-导入模板.csv`)).send(exportStream('csv', columns, none));
    },
  );

  // ---- certificates ----
  app.post<{ Body: { typeId: string; number: string; holderName: string; holderCode: string; issuedOn?: string; validFrom?: string; validUntil?: string | null; jurisdiction?: string; fields?: Record<string, unknown> } }>(
    '/api/cert/certificates',
    {
      config: { auth: CERT.issue },
      schema: {
        tags,
        summary: 'Issue one certificate (form or department system); 422 naming each bad field; 409 when already issued',
        body: {
          type: 'object',
          required: ['typeId', 'number', 'holderName', 'holderCode'],
          additionalProperties: false,
          properties: {
            typeId: { type: 'string', format: 'uuid' },
            number: { type: 'string', maxLength: 200 },
            holderName: { type: 'string', maxLength: 400 },
            holderCode: { type: 'string', maxLength: 40 },
            issuedOn: dateOrEmpty,
            validFrom: dateOrEmpty,
            validUntil: { type: ['string', 'null'], maxLength: 10 },
            jurisdiction: { type: 'string', maxLength: 6 },
            fields: { type: 'object', maxProperties: 60, additionalProperties: fieldValue },
          },
        },
      },
    },
    async (req, reply) => {
      const { holderCode: _clear, ...issued } = await certs.issue(req.actor!, req.body);
      return reply.code(201).send(await certs.detail(req.actor!, issued.id));
    },
  );

  app.get<{ Querystring: { typeId?: string; status?: 'valid' | 'suspended' | 'revoked'; holderCode?: string; number?: string; expired?: boolean; importId?: string; limit: number; offset: number } }>(
    '/api/cert/certificates',
    {
      config: { auth: CERT.read },
      schema: {
        tags,
        summary: 'Certificates my organisation issued (the bureau: all), newest first; holder codes masked; holderCode is an exact look-up',
        querystring: {
          type: 'object',
          properties: {
            typeId: { type: 'string', format: 'uuid' },
            status: { type: 'string', enum: ['valid', 'suspended', 'revoked'] },
            holderCode: { type: 'string', minLength: 1, maxLength: 40 },
            number: { type: 'string', minLength: 1, maxLength: 200 },
            expired: { type: 'boolean' },
            importId: { type: 'string', format: 'uuid' },
            ...limitOffsetQuery,
          },
        },
      },
    },
    (req) => certs.list(req.actor!, req.query),
  );

  app.get<{ Params: { id: string } }>('/api/cert/certificates/:id', { config: { auth: CERT.read }, schema: { tags, summary: 'A certificate: GB/T 36903 metadata, identifier, fields, status history', params: uuidParam } }, (req) =>
    certs.detail(req.actor!, req.params.id),
  );

  for (const action of ['revoke', 'suspend', 'reinstate'] as const) {
    app.post<{ Params: { id: string }; Body: { reason: string } }>(
      `/api/cert/certificates/:id/${action}`,
      {
        config: { auth: CERT.revoke },
        schema: {
          tags,
          summary: { revoke: 'Revoke (final)', suspend: 'Suspend (valid → suspended)', reinstate: 'Reinstate (suspended → valid)' }[action],
          params: uuidParam,
          body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 1000 } } },
        },
      },
      (req) => certs.changeStatus(req.actor!, req.params.id, action, req.body.reason),
    );
  }

  // ---- status lists (public) ----
  app.get<{ Params: { id: string } }>(
    '/api/cert/status-lists/:id',
    {
      config: { auth: 'public' },
      schema: { tags, summary: 'Token Status List (statuslist+jwt, 2 bits: 0 valid, 1 invalid, 2 suspended)', params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: 1_000_000 } } } },
    },
    async (req, reply) => {
      const { token, ttl } = await certs.statusListToken(Number(req.params.id));
      return reply.type('application/statuslist+jwt').header('cache-control', `public, max-age=${ttl}`).send(token);
    },
  );

  // ---- imports ----
  await app.register(async (scope) => {
    await registerUploads(scope, { maxFileBytes: UPLOAD_MAX });
    scope.post(
      '/api/cert/imports',
      { config: { auth: CERT.issue }, schema: { tags, summary: 'Bulk import (multipart: field "typeId", then file "file": CSV or JSON lines); a durable job issues the rows' } },
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
  app.get<{ Querystring: { limit: number; offset: number } }>('/api/cert/imports', { config: { auth: CERT.issue }, schema: { tags, summary: 'Imports of my organisation (the bureau: all)', querystring: { type: 'object', properties: { ...limitOffsetQuery } } } }, (req) =>
    certs.listImports(req.actor!, req.query),
  );
  app.get<{ Params: { id: string } }>('/api/cert/imports/:id', { config: { auth: CERT.issue }, schema: { tags, summary: 'An import with its progress', params: uuidParam } }, (req) => certs.getImport(req.actor!, req.params.id));
  app.get<{ Params: { id: string }; Querystring: { limit: number; offset: number } }>(
    '/api/cert/imports/:id/rejects',
    { config: { auth: CERT.issue }, schema: { tags, summary: 'Rejected rows: one entry per problem {rowNumber, field, reason, raw}', params: uuidParam, querystring: { type: 'object', properties: { ...limitOffsetQuery } } } },
    (req) => certs.rejects(req.actor!, req.params.id, req.query),
  );
  app.get<{ Params: { id: string } }>(
    '/api/cert/imports/:id/rejects.csv',
    { config: { auth: CERT.issue }, schema: { tags, summary: 'Rejected rows as CSV (row, field, reason, number, holder)', params: uuidParam } },
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
