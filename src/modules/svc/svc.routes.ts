// HTTP for the service hall catalogue: public browse and search for the portal, staff routes for items,
// structure, import and export. Thin: the TypeBox schemas (svc.schemas.ts), a service call, the reply.
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { byteLimit, CONTENT_TYPES, formatOfContentType } from '../../platform/files';
import { AppError } from '../../platform/http/problem';
import { Choice, Defaulted, Enum, IdParams, NoContent, PageQuery, ProblemRef, ProblemResponse, Str, Type, type Static, typed, Uuid } from '../../platform/http/schema';
import { APPLICANT_TYPE_CODES, HANDLING_MODE_CODES, ITEM_STATUSES } from './model';
import { certificateTypes } from './materials';
import type { CatalogueFiles } from './svc.files';
import {
  BundleBody,
  Bundles,
  BundleSaved,
  BundleSchema,
  CertificateTypes,
  Counts,
  Departments,
  HallItems,
  Halls,
  ImportReport,
  ItemPatchBody,
  ItemSchema,
  ItemVersion,
  ItemWithVersions,
  NewItemBody,
  PublicItem,
  SearchPage,
  Synonym,
  CatalogueFile,
  ZONE_CATEGORIES,
  ZoneBody,
  Zones,
  ZoneSchema,
} from './svc.schemas';
import { type CatalogueService, SVC } from './svc.service';

const tags = ['service hall'];
const Department = Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' });
const District = Type.String({ pattern: '^\\d{6}$' });

const filterQuery = {
  q: Type.Optional(Str(100)),
  department: Type.Optional(Department),
  district: Type.Optional(District),
  zone: Type.Optional(Type.String({ pattern: '^[a-z0-9_]{1,40}$' })),
  applicant: Type.Optional(Enum(APPLICANT_TYPE_CODES)),
  mode: Type.Optional(Enum(HANDLING_MODE_CODES)),
  ...PageQuery,
};

const CodeParams = Type.Object({ code: Str(60, 1) });

export interface SvcRouteDeps {
  catalogue: CatalogueService;
  files: CatalogueFiles;
  /** Largest import file in bytes. */
  importLimit?: number;
}

export async function svcRoutes(app: FastifyInstance, deps: SvcRouteDeps) {
  const { catalogue, files } = deps;
  const importLimit = deps.importLimit ?? 20 * 1024 * 1024;
  const api = typed(app);

  // ---- public: the portal's catalogue --------------------------------------------------------------
  api.get(
    '/api/public/svc/search',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Search and browse published service items (ranked, with highlighted matches)',
        description: 'Without q: browse by the filters, most used first. With q: Chinese bigram search with synonyms, typo tolerance and highlights.',
        querystring: Defaulted(filterQuery),
        response: { 200: SearchPage },
      },
    },
    (req) => catalogue.publicSearch(req.query),
  );

  api.get(
    '/api/public/svc/items/:code',
    { config: { auth: 'public' }, schema: { tags, summary: 'A published item: materials, form, fees, legal basis', params: CodeParams, response: { 200: PublicItem } } },
    (req) => catalogue.publicItem(req.params.code),
  );

  api.get('/api/public/svc/departments', { config: { auth: 'public' }, schema: { tags, summary: 'Departments with published items (browse by department)', response: { 200: Departments } } }, () =>
    catalogue.departments().then((items) => ({ items })),
  );
  api.get('/api/public/svc/halls', { config: { auth: 'public' }, schema: { tags, summary: 'District sub-halls with their item counts (browse by district)', response: { 200: Halls } } }, () =>
    catalogue.halls().then((items) => ({ items })),
  );
  api.get(
    '/api/public/svc/zones',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Themed zones and life events with item counts and bundles',
        querystring: Type.Object({ category: Type.Optional(Enum(ZONE_CATEGORIES)) }),
        response: { 200: Zones },
      },
    },
    (req) => catalogue.zones(req.query.category).then((items) => ({ items })),
  );
  api.get('/api/public/svc/life-events', { config: { auth: 'public' }, schema: { tags, summary: 'Life events (browse by life event), with their bundles', response: { 200: Zones } } }, () =>
    catalogue.zones('life_event').then((items) => ({ items })),
  );
  api.get('/api/public/svc/bundles', { config: { auth: 'public' }, schema: { tags, summary: '"One thing" bundles (一件事) and their items', response: { 200: Bundles } } }, () =>
    catalogue.bundles().then((items) => ({ items })),
  );
  api.get(
    '/api/public/svc/bundles/:code',
    { config: { auth: 'public' }, schema: { tags, summary: 'A bundle with its shared form and field mapping', params: CodeParams, response: { 200: BundleSchema } } },
    (req) => catalogue.bundle(req.params.code),
  );
  api.get(
    '/api/public/svc/certificate-types',
    { config: { auth: 'public' }, schema: { tags, summary: 'Electronic certificate types a material can be replaced by', response: { 200: CertificateTypes } } },
    () => ({ items: certificateTypes() }),
  );

  // ---- staff: items ----------------------------------------------------------------------------------
  api.get(
    '/api/svc/items',
    {
      config: { auth: SVC.itemRead },
      schema: {
        tags,
        summary: 'Items the caller may see, drafts included; same search as the portal',
        querystring: Defaulted({ ...filterQuery, status: Type.Optional(Enum(ITEM_STATUSES)) }),
        response: { 200: SearchPage },
      },
    },
    (req) => catalogue.list(req.actor!, req.query),
  );

  api.get(
    '/api/svc/items/:id',
    { config: { auth: SVC.itemRead }, schema: { tags, summary: 'An item (drafts and pending changes included) with its published versions', params: IdParams, response: { 200: ItemWithVersions } } },
    (req) => catalogue.get(req.actor!, req.params.id),
  );

  api.get(
    '/api/svc/items/:id/versions/:version',
    {
      config: { auth: SVC.itemRead },
      schema: {
        tags,
        summary: 'A published version exactly as published',
        params: Type.Object({ id: Uuid, version: Type.Integer({ minimum: 1 }) }),
        response: { 200: ItemVersion },
      },
    },
    async (req) => {
      await catalogue.get(req.actor!, req.params.id); // scope check
      const v = await catalogue.version(req.params.id, req.params.version);
      if (!v) throw new AppError(404, 'not-found', 'Not found', 'no such version');
      return v;
    },
  );

  api.post(
    '/api/svc/items',
    {
      config: { auth: SVC.itemWrite },
      schema: { tags, summary: 'Create a draft item (code assigned: <owner>-<kind>-<serial>)', body: NewItemBody, response: { 201: ItemSchema } },
    },
    async (req, reply) => reply.code(201).send(await catalogue.create(req.actor!, req.body)),
  );

  api.patch(
    '/api/svc/items/:id',
    {
      config: { auth: SVC.itemWrite },
      schema: { tags, summary: 'Edit a draft in place, or record pending changes to a published item', params: IdParams, body: ItemPatchBody, response: { 200: ItemSchema } },
    },
    (req) => catalogue.update(req.actor!, req.params.id, req.body),
  );

  api.post(
    '/api/svc/items/:id/publish',
    {
      config: { auth: SVC.itemPublish },
      schema: { tags, summary: 'Publish: a draft becomes version 1, pending changes become the next version', params: IdParams, response: { 200: ItemSchema } },
    },
    (req) => catalogue.publish(req.actor!, req.params.id),
  );

  api.post(
    '/api/svc/items/:id/retire',
    {
      config: { auth: SVC.itemPublish },
      schema: { tags, summary: 'Retire a published item (its versions stay)', params: IdParams, body: Type.Object({ reason: Str(500, 2) }), response: { 200: ItemSchema } },
    },
    (req) => catalogue.retire(req.actor!, req.params.id, req.body.reason),
  );

  api.delete(
    '/api/svc/items/:id',
    { config: { auth: SVC.itemWrite }, schema: { tags, summary: 'Delete a never-published draft', params: IdParams, response: { 204: NoContent } } },
    async (req, reply) => {
      await catalogue.remove(req.actor!, req.params.id);
      return reply.code(204).send();
    },
  );

  api.get(
    '/api/svc/stats',
    { config: { auth: SVC.itemRead }, schema: { tags, summary: 'Item counts by status, department and district level', response: { 200: Counts } } },
    (req) => catalogue.counts(req.actor!),
  );

  // ---- staff: structure ------------------------------------------------------------------------------
  api.put(
    '/api/svc/zones',
    {
      config: { auth: SVC.catalogueManage },
      schema: { tags, summary: 'Create or change a themed zone (by code)', body: ZoneBody, response: { 200: ZoneSchema, 201: ZoneSchema } },
    },
    async (req, reply) => {
      const r = await catalogue.upsertZone(req.actor!, req.body);
      return reply.code(r.created ? 201 : 200).send(r.zone);
    },
  );

  api.post(
    '/api/svc/halls/:code/items',
    {
      config: { auth: SVC.catalogueManage },
      schema: {
        tags,
        summary: 'Add or remove city items a district sub-hall handles',
        params: CodeParams,
        body: Type.Object({ add: Type.Optional(Type.Array(Uuid, { maxItems: 1000 })), remove: Type.Optional(Type.Array(Uuid, { maxItems: 1000 })) }, { minProperties: 1 }),
        response: { 200: HallItems },
      },
    },
    (req) => catalogue.setHallItems(req.actor!, req.params.code, req.body),
  );

  api.put(
    '/api/svc/bundles',
    {
      config: { auth: SVC.catalogueManage },
      schema: { tags, summary: 'Create or change a "one thing" bundle (by code)', body: BundleBody, response: { 200: BundleSaved, 201: BundleSaved } },
    },
    async (req, reply) => {
      const r = await catalogue.upsertBundle(req.actor!, req.body);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  api.get(
    '/api/svc/synonyms',
    { config: { auth: SVC.itemRead }, schema: { tags, summary: 'Search synonyms and abbreviations', response: { 200: Type.Object({ items: Type.Array(Synonym) }) } } },
    () => catalogue.listSynonyms().then((items) => ({ items })),
  );
  api.put(
    '/api/svc/synonyms',
    {
      config: { auth: SVC.catalogueManage },
      schema: {
        tags,
        summary: 'Set what a term expands to at query time',
        body: Type.Object({ term: Str(20, 1), expansions: Type.Array(Str(40, 1), { minItems: 1, maxItems: 10 }) }),
        response: { 200: Synonym },
      },
    },
    (req) => catalogue.setSynonym(req.actor!, req.body.term, req.body.expansions),
  );
  api.delete(
    '/api/svc/synonyms/:code',
    { config: { auth: SVC.catalogueManage }, schema: { tags, summary: 'Remove a synonym (the path segment is the term)', params: CodeParams, response: { 204: NoContent } } },
    async (req, reply) => {
      await catalogue.removeSynonym(req.actor!, req.params.code);
      return reply.code(204).send();
    },
  );

  // ---- staff: import and export ----------------------------------------------------------------------
  api.get(
    '/api/svc/export',
    {
      config: { auth: SVC.itemRead },
      schema: {
        tags,
        summary: 'The catalogue the caller may see as CSV or Excel, streamed',
        querystring: Defaulted({ format: Choice(['csv', 'xlsx'], 'csv'), status: Type.Optional(Enum(ITEM_STATUSES)), department: Type.Optional(Department), district: Type.Optional(District) }),
        response: { 200: CatalogueFile },
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
    typed(scope).post(
      '/api/svc/import',
      {
        config: { auth: SVC.itemWrite },
        schema: {
          tags,
          summary: 'Import items from a CSV or Excel body (Content-Type text/csv or .xlsx); every rejected row is reported',
          description:
            'mode=valid (default): valid rows are written in one transaction, bad rows are reported and skipped. mode=all: if any row is bad nothing is written. dryRun=true checks only. publish=true publishes what it writes (needs svc.item.publish). 422: nothing was written and rows were rejected (the same report).',
          querystring: Defaulted({ mode: Choice(['valid', 'all'], 'valid'), dryRun: Type.Boolean({ default: false }), publish: Type.Boolean({ default: false }) }),
          // A 422 is the report itself when rows were rejected, or a problem when the file as a whole was
          // (a bad header, malformed CSV): told apart by media type. Every other 4xx is a problem.
          response: {
            200: ImportReport,
            422: Type.Unsafe<Static<typeof ImportReport>>({
              description: 'Rows were rejected and nothing was written (the report, application/json); or the file itself was refused (a problem)',
              content: { 'application/json': { schema: ImportReport }, 'application/problem+json': { schema: ProblemRef } },
            }),
            '4XX': ProblemResponse,
          },
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
