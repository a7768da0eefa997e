// HTTP for the service hall catalogue: public browse and search for the portal, staff routes for items,
// structure, import and export. Thin: JSON schemas, a service call, the reply.
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { byteLimit, CONTENT_TYPES, formatOfContentType, type TabularFormat } from '../../platform/files';
import { AppError } from '../../platform/http/problem';
import { limitOffsetQuery, uuidParam } from '../../platform/http/paging';
import { FIELD_TYPES } from './form';
import { certificateTypes, UPLOAD_TYPES } from './materials';
import { APPLICANT_TYPE_CODES, HANDLING_MODE_CODES, ITEM_KIND_CODES, ITEM_STATUSES, type ItemDefinition } from './model';
import type { CatalogueFiles, ImportMode } from './svc.files';
import { type CatalogueService, type ItemFilter, type NewItem, SVC } from './svc.service';

const str = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const text2 = { type: 'object', required: ['zh', 'en'], properties: { zh: str(200, 1), en: str(200, 1) } } as const;

const fieldSchema = {
  type: 'object',
  required: ['key', 'label', 'type'],
  properties: {
    key: str(40, 1),
    label: text2,
    type: { type: 'string', enum: FIELD_TYPES },
    required: { type: 'boolean' },
    validation: {
      type: 'object',
      properties: {
        min: { type: 'number' },
        max: { type: 'number' },
        pattern: str(200, 1),
        options: { type: 'array', maxItems: 200, items: { type: 'object', required: ['value', 'label'], properties: { value: str(60, 1), label: text2 } } },
        minDate: str(10, 10),
        maxDate: str(10, 10),
      },
    },
    help: text2,
  },
} as const;
export const formSchema = { type: 'object', required: ['fields'], properties: { fields: { type: 'array', maxItems: 100, items: fieldSchema } } } as const;

const materialSchema = {
  type: 'object',
  required: ['key', 'name', 'required', 'upload', 'certificateType'],
  properties: {
    key: str(40, 1),
    name: str(100, 1),
    required: { type: 'boolean' },
    upload: {
      type: ['object', 'null'],
      required: ['types', 'maxSizeMb'],
      properties: { types: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: UPLOAD_TYPES } }, maxSizeMb: { type: 'number', exclusiveMinimum: 0, maximum: 50 } },
    },
    certificateType: { type: ['string', 'null'], maxLength: 60 },
    note: str(200),
  },
} as const;

const feesSchema = {
  type: 'object',
  required: ['free', 'items'],
  properties: {
    free: { type: 'boolean' },
    items: { type: 'array', maxItems: 20, items: { type: 'object', required: ['name', 'amountYuan', 'basis'], properties: { name: str(100, 1), amountYuan: { type: 'number', minimum: 0, maximum: 1e7 }, basis: str(300) } } },
  },
} as const;

const definitionProps = {
  name: str(100, 1),
  kind: { type: 'string', enum: ITEM_KIND_CODES },
  applicantType: { type: 'string', enum: APPLICANT_TYPE_CODES },
  legalDays: { type: 'integer', minimum: 0, maximum: 3650 },
  promisedDays: { type: 'integer', minimum: 0, maximum: 3650 },
  mode: { type: 'string', enum: HANDLING_MODE_CODES },
  description: str(4000),
  keywords: { type: 'array', maxItems: 30, items: str(30, 1) },
  materials: { type: 'array', maxItems: 50, items: materialSchema },
  form: formSchema,
  fees: feesSchema,
  legalBasis: str(2000),
  zones: { type: 'array', maxItems: 20, uniqueItems: true, items: str(40, 1) },
} as const;

const segment = { type: 'object', properties: { text: { type: 'string' }, match: { type: 'boolean' } } } as const;
const summarySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    code: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string' },
    applicantType: { type: 'string' },
    mode: { type: 'string' },
    legalDays: { type: 'integer' },
    promisedDays: { type: 'integer' },
    owner: { type: ['object', 'null'], properties: { id: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' } } },
    districtCode: { type: ['string', 'null'] },
    zones: { type: 'array', items: { type: 'string' } },
    status: { type: 'string' },
    version: { type: ['integer', 'null'] },
    popularity: { type: 'integer' },
    isDemo: { type: 'boolean' },
    score: { type: 'number' },
    highlight: { type: 'array', items: segment },
  },
} as const;
const searchPageSchema = {
  type: 'object',
  properties: {
    items: { type: 'array', items: summarySchema },
    total: { type: 'integer' },
    limit: { type: 'integer' },
    offset: { type: 'integer' },
    expanded: { type: 'array', items: { type: 'object', properties: { term: { type: 'string' }, expansions: { type: 'array', items: { type: 'string' } } } } },
  },
} as const;

const filterQuery = {
  q: str(100),
  department: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' },
  district: { type: 'string', pattern: '^\\d{6}$' },
  zone: { type: 'string', pattern: '^[a-z0-9_]{1,40}$' },
  applicant: { type: 'string', enum: APPLICANT_TYPE_CODES },
  mode: { type: 'string', enum: HANDLING_MODE_CODES },
  ...limitOffsetQuery,
} as const;

const codeParam = { type: 'object', required: ['code'], properties: { code: { type: 'string', minLength: 1, maxLength: 60 } } } as const;

export interface SvcRouteDeps {
  catalogue: CatalogueService;
  files: CatalogueFiles;
  /** Largest import file in bytes. */
  importLimit?: number;
}

export async function svcRoutes(app: FastifyInstance, deps: SvcRouteDeps) {
  const { catalogue, files } = deps;
  const importLimit = deps.importLimit ?? 20 * 1024 * 1024;

  // ---- public: the portal's catalogue --------------------------------------------------------------
  app.get<{ Querystring: Omit<ItemFilter, 'status'> }>(
    '/api/public/svc/search',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['service hall'],
        summary: 'Search and browse published service items (ranked, with highlighted matches)',
        description: 'Without q: browse by the filters, most used first. With q: Chinese bigram search with synonyms, typo tolerance and highlights.',
        querystring: { type: 'object', properties: filterQuery },
        response: { 200: searchPageSchema },
      },
    },
    (req) => catalogue.publicSearch(req.query),
  );

  app.get<{ Params: { code: string } }>(
    '/api/public/svc/items/:code',
    { config: { auth: 'public' }, schema: { tags: ['service hall'], summary: 'A published item: materials, form, fees, legal basis', params: codeParam } },
    (req) => catalogue.publicItem(req.params.code),
  );

  app.get('/api/public/svc/departments', { config: { auth: 'public' }, schema: { tags: ['service hall'], summary: 'Departments with published items (browse by department)' } }, () =>
    catalogue.departments().then((items) => ({ items })),
  );
  app.get('/api/public/svc/halls', { config: { auth: 'public' }, schema: { tags: ['service hall'], summary: 'District sub-halls with their item counts (browse by district)' } }, () =>
    catalogue.halls().then((items) => ({ items })),
  );
  app.get<{ Querystring: { category?: string } }>(
    '/api/public/svc/zones',
    {
      config: { auth: 'public' },
      schema: { tags: ['service hall'], summary: 'Themed zones and life events with item counts and bundles', querystring: { type: 'object', properties: { category: { type: 'string', enum: ['audience', 'life_event', 'topic'] } } } },
    },
    (req) => catalogue.zones(req.query.category).then((items) => ({ items })),
  );
  app.get('/api/public/svc/life-events', { config: { auth: 'public' }, schema: { tags: ['service hall'], summary: 'Life events (browse by life event), with their bundles' } }, () =>
    catalogue.zones('life_event').then((items) => ({ items })),
  );
  app.get('/api/public/svc/bundles', { config: { auth: 'public' }, schema: { tags: ['service hall'], summary: '"One thing" bundles (一件事) and their items' } }, () =>
    catalogue.bundles().then((items) => ({ items })),
  );
  app.get<{ Params: { code: string } }>(
    '/api/public/svc/bundles/:code',
    { config: { auth: 'public' }, schema: { tags: ['service hall'], summary: 'A bundle with its shared form and field mapping', params: codeParam } },
    (req) => catalogue.bundle(req.params.code),
  );
  app.get('/api/public/svc/certificate-types', { config: { auth: 'public' }, schema: { tags: ['service hall'], summary: 'Electronic certificate types a material can be replaced by' } }, () => ({
    items: certificateTypes(),
  }));

  // ---- staff: items ----------------------------------------------------------------------------------
  app.get<{ Querystring: ItemFilter }>(
    '/api/svc/items',
    {
      config: { auth: SVC.itemRead },
      schema: {
        tags: ['service hall'],
        summary: 'Items the caller may see, drafts included; same search as the portal',
        querystring: { type: 'object', properties: { ...filterQuery, status: { type: 'string', enum: ITEM_STATUSES } } },
        response: { 200: searchPageSchema },
      },
    },
    (req) => catalogue.list(req.actor!, req.query),
  );

  app.get<{ Params: { id: string } }>('/api/svc/items/:id', { config: { auth: SVC.itemRead }, schema: { tags: ['service hall'], params: uuidParam } }, (req) => catalogue.get(req.actor!, req.params.id));

  app.get<{ Params: { id: string; version: number } }>(
    '/api/svc/items/:id/versions/:version',
    {
      config: { auth: SVC.itemRead },
      schema: { tags: ['service hall'], summary: 'A published version exactly as published', params: { type: 'object', required: ['id', 'version'], properties: { id: { type: 'string', format: 'uuid' }, version: { type: 'integer', minimum: 1 } } } },
    },
    async (req) => {
      await catalogue.get(req.actor!, req.params.id); // scope check
      const v = await catalogue.version(req.params.id, req.params.version);
      if (!v) throw new AppError(404, 'not-found', 'Not found', 'no such version');
      return v;
    },
  );

  app.post<{ Body: NewItem }>(
    '/api/svc/items',
    {
      config: { auth: SVC.itemWrite },
      schema: {
        tags: ['service hall'],
        summary: 'Create a draft item (code assigned: <owner>-<kind>-<serial>)',
        body: { type: 'object', required: ['name', 'ownerOrgId', 'kind', 'applicantType', 'legalDays', 'promisedDays', 'mode'], properties: { ...definitionProps, ownerOrgId: { type: 'string', format: 'uuid' } } },
      },
    },
    async (req, reply) => reply.code(201).send(await catalogue.create(req.actor!, req.body)),
  );

  app.patch<{ Params: { id: string }; Body: Partial<ItemDefinition> }>(
    '/api/svc/items/:id',
    {
      config: { auth: SVC.itemWrite },
      schema: { tags: ['service hall'], summary: 'Edit a draft in place, or record pending changes to a published item', params: uuidParam, body: { type: 'object', minProperties: 1, properties: definitionProps } },
    },
    (req) => catalogue.update(req.actor!, req.params.id, req.body),
  );

  app.post<{ Params: { id: string } }>(
    '/api/svc/items/:id/publish',
    { config: { auth: SVC.itemPublish }, schema: { tags: ['service hall'], summary: 'Publish: a draft becomes version 1, pending changes become the next version', params: uuidParam } },
    (req) => catalogue.publish(req.actor!, req.params.id),
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/api/svc/items/:id/retire',
    {
      config: { auth: SVC.itemPublish },
      schema: { tags: ['service hall'], summary: 'Retire a published item (its versions stay)', params: uuidParam, body: { type: 'object', required: ['reason'], properties: { reason: str(500, 2) } } },
    },
    (req) => catalogue.retire(req.actor!, req.params.id, req.body.reason),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/svc/items/:id',
    { config: { auth: SVC.itemWrite }, schema: { tags: ['service hall'], summary: 'Delete a never-published draft', params: uuidParam } },
    async (req, reply) => {
      await catalogue.remove(req.actor!, req.params.id);
      return reply.code(204).send();
    },
  );

  app.get('/api/svc/stats', { config: { auth: SVC.itemRead }, schema: { tags: ['service hall'], summary: 'Item counts by status, department and district level' } }, (req) => catalogue.counts(req.actor!));

  // ---- staff: structure ------------------------------------------------------------------------------
  app.put<{ Body: { code: string; name: string; nameEn: string; category: string; sort?: number; active?: boolean } }>(
    '/api/svc/zones',
    {
      config: { auth: SVC.catalogueManage },
      schema: {
        tags: ['service hall'],
        summary: 'Create or change a themed zone (by code)',
        body: {
          type: 'object',
          required: ['code', 'name', 'nameEn', 'category'],
          properties: { code: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,39}$' }, name: str(30, 1), nameEn: str(60, 1), category: { type: 'string', enum: ['audience', 'life_event', 'topic'] }, sort: { type: 'integer', minimum: 0, maximum: 10000 }, active: { type: 'boolean' } },
        },
      },
    },
    async (req, reply) => {
      const r = await catalogue.upsertZone(req.actor!, req.body);
      return reply.code(r.created ? 201 : 200).send(r.zone);
    },
  );

  app.post<{ Params: { code: string }; Body: { add?: string[]; remove?: string[] } }>(
    '/api/svc/halls/:code/items',
    {
      config: { auth: SVC.catalogueManage },
      schema: {
        tags: ['service hall'],
        summary: 'Add or remove city items a district sub-hall handles',
        params: codeParam,
        body: { type: 'object', minProperties: 1, properties: { add: { type: 'array', maxItems: 1000, items: { type: 'string', format: 'uuid' } }, remove: { type: 'array', maxItems: 1000, items: { type: 'string', format: 'uuid' } } } },
      },
    },
    (req) => catalogue.setHallItems(req.actor!, req.params.code, req.body),
  );

  app.put<{ Body: Parameters<CatalogueService['upsertBundle']>[1] }>(
    '/api/svc/bundles',
    {
      config: { auth: SVC.catalogueManage },
      schema: {
        tags: ['service hall'],
        summary: 'Create or change a "one thing" bundle (by code)',
        body: {
          type: 'object',
          required: ['code', 'name', 'items'],
          properties: {
            code: { type: 'string', pattern: '^[A-Z0-9-]{2,40}$' },
            name: str(60, 1),
            description: str(1000),
            zone: { type: ['string', 'null'], maxLength: 40 },
            form: formSchema,
            items: { type: 'array', minItems: 1, maxItems: 30, items: { type: 'object', required: ['itemId'], properties: { itemId: { type: 'string', format: 'uuid' }, fieldMap: { type: 'object', additionalProperties: { type: 'string', maxLength: 40 } } } } },
            status: { type: 'string', enum: ['published', 'retired'] },
          },
        },
      },
    },
    async (req, reply) => {
      const r = await catalogue.upsertBundle(req.actor!, req.body);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.get('/api/svc/synonyms', { config: { auth: SVC.itemRead }, schema: { tags: ['service hall'], summary: 'Search synonyms and abbreviations' } }, () => catalogue.listSynonyms().then((items) => ({ items })));
  app.put<{ Body: { term: string; expansions: string[] } }>(
    '/api/svc/synonyms',
    {
      config: { auth: SVC.catalogueManage },
      schema: { tags: ['service hall'], summary: 'Set what a term expands to at query time', body: { type: 'object', required: ['term', 'expansions'], properties: { term: str(20, 1), expansions: { type: 'array', minItems: 1, maxItems: 10, items: str(40, 1) } } } },
    },
    (req) => catalogue.setSynonym(req.actor!, req.body.term, req.body.expansions),
  );
  app.delete<{ Params: { code: string } }>(
    '/api/svc/synonyms/:code',
    { config: { auth: SVC.catalogueManage }, schema: { tags: ['service hall'], summary: 'Remove a synonym (the path segment is the term)', params: codeParam } },
    async (req, reply) => {
      await catalogue.removeSynonym(req.actor!, req.params.code);
      return reply.code(204).send();
    },
  );

  // ---- staff: import and export ----------------------------------------------------------------------
  app.get<{ Querystring: { format: TabularFormat; status?: 'draft' | 'published' | 'retired'; department?: string; district?: string } }>(
    '/api/svc/export',
    {
      config: { auth: SVC.itemRead },
      schema: {
        tags: ['service hall'],
        summary: 'The catalogue the caller may see as CSV or Excel, streamed',
        querystring: {
          type: 'object',
          properties: { format: { type: 'string', enum: ['csv', 'xlsx'], default: 'csv' }, status: { type: 'string', enum: ITEM_STATUSES }, department: filterQuery.department, district: filterQuery.district },
        },
      },
    },
    async (req, reply) => {
      const { format, ...f } = req.query;
      const stream = await files.exportCatalogue(req.actor!, format, f);
      const name = `service-items-${new Date().toISOString().slice(0, 10)}.${format}`;
      return reply.type(CONTENT_TYPES[format]).header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(stream);
    },
  );

  // Uploads arrive as the raw body (text/csv or the Excel type), streamed to the parser; only this
  // plugin's scope accepts those content types.
  await app.register(async (scope) => {
    scope.addContentTypeParser(['text/csv', 'application/csv', CONTENT_TYPES.xlsx], (_req, payload, done) => done(null, payload));
    scope.post<{ Querystring: { mode: ImportMode; dryRun: boolean; publish: boolean } }>(
      '/api/svc/import',
      {
        config: { auth: SVC.itemWrite },
        schema: {
          tags: ['service hall'],
          summary: 'Import items from a CSV or Excel body (Content-Type text/csv or .xlsx); every rejected row is reported',
          description:
            'mode=valid (default): valid rows are written in one transaction, bad rows are reported and skipped. mode=all: if any row is bad nothing is written. dryRun=true checks only. publish=true publishes what it writes (needs svc.item.publish).',
          querystring: { type: 'object', properties: { mode: { type: 'string', enum: ['valid', 'all'], default: 'valid' }, dryRun: { type: 'boolean', default: false }, publish: { type: 'boolean', default: false } } },
        },
      },
      async (req, reply) => {
        const format = formatOfContentType(req.headers['content-type']);
        if (!format) throw new AppError(415, 'unsupported-media-type', 'Unsupported media type', `send the file as text/csv or ${CONTENT_TYPES.xlsx}`);
        const body = req.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== 'function') throw new AppError(400, 'bad-request', 'Bad request', 'the request has no file body');
        const limited = body.pipe(byteLimit(importLimit));
        body.on('error', (e) => limited.destroy(e));
        const report = await files.importCatalogue(req.actor!, format, limited, req.query);
        return reply.code(report.written || report.dryRun ? 200 : report.rejected.length ? 422 : 200).send(report);
      },
    );
  });
}
