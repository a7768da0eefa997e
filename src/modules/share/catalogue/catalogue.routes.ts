// HTTP for the exchange directory (members, subsystems) and the resource catalogue. Thin: schemas, a
// service call, the reply.
import type { FastifyInstance } from 'fastify';
import { limitOffsetQuery, uuidParam } from '../../../platform/http/paging';
import { SHARE } from '../share.permissions';
import {
  BASIC_KINDS, CATEGORIES, FORMATS, GRADES, ITEM_TYPES, MEMBER_LEVELS, OPENING_TYPES, PERSONAL_KINDS, RESOURCE_STATES,
  SHARING_METHODS, SHARING_TYPES, UPDATE_CYCLES,
  type MemberLevel, type NewResource, type ResourceCatalogue, type ResourceFields, type ResourceFilter,
} from './catalogue.service';

const tags = ['share'];
const str = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const nullableStr = (max: number) => ({ type: ['string', 'null'], maxLength: max }) as const;
const uuid = { type: 'string', format: 'uuid' } as const;
const en = (values: readonly string[]) => ({ type: 'string', enum: [...values] }) as const;

const item = {
  type: 'object',
  required: ['name', 'label', 'type'],
  properties: {
    name: str(63, 1),
    label: str(100, 1),
    type: en(ITEM_TYPES),
    key: { type: 'boolean' },
    required: { type: 'boolean' },
    personal: { type: ['string', 'null'], enum: [...PERSONAL_KINDS, null] },
    change: { type: 'boolean' },
  },
} as const;

const resourceFields = {
  name: str(200, 1),
  summary: str(4000),
  category: en(CATEGORIES),
  basicKind: { type: ['string', 'null'], enum: [...BASIC_KINDS, null] },
  classification: str(300),
  format: en(FORMATS),
  items: { type: 'array', maxItems: 300, items: item },
  sharingType: en(SHARING_TYPES),
  sharingCondition: nullableStr(2000),
  sharingMethod: en(SHARING_METHODS),
  openingType: en(OPENING_TYPES),
  updateCycle: en(UPDATE_CYCLES),
  relatedCodes: { type: 'array', maxItems: 50, uniqueItems: true, items: { type: 'string', pattern: '^\\d{6}-[A-Z0-9-]{2,20}-\\d{5}$' } },
  grade: en(GRADES),
  legalBasis: nullableStr(2000),
  providerSubsystemId: { type: ['string', 'null'], format: 'uuid' },
} as const;

const resourceQuery = {
  q: str(100),
  category: en(CATEGORIES),
  basicKind: en(BASIC_KINDS),
  grade: en(GRADES),
  sharingType: en(SHARING_TYPES),
  providerMemberId: uuid,
  state: en(RESOURCE_STATES),
} as const;

export async function catalogueRoutes(app: FastifyInstance, catalogue: ResourceCatalogue) {
  // ---- directory ---------------------------------------------------------------------------------------------
  app.get<{ Querystring: { q?: string; level?: MemberLevel; external?: boolean; orgId?: string; limit: number; offset: number } }>(
    '/api/share/members',
    {
      config: { auth: SHARE.catalogueRead },
      schema: {
        tags,
        summary: 'Members of the exchange (X-Road style): departments, districts and external upstream providers',
        querystring: { type: 'object', properties: { q: str(100), level: en(MEMBER_LEVELS), external: { type: 'boolean' }, orgId: uuid, ...limitOffsetQuery } },
      },
    },
    async (req) => catalogue.listMembers(req.actor!, req.query),
  );

  app.post<{ Body: { instance: string; class: string; code: string; name: string; nameEn?: string | null; level: MemberLevel; contact?: string | null } }>(
    '/api/share/members',
    {
      config: { auth: SHARE.grantManage },
      schema: {
        tags,
        summary: 'Register an external upstream provider (a provincial department, a ministry): the bureau only',
        body: {
          type: 'object',
          required: ['instance', 'class', 'code', 'name', 'level'],
          properties: {
            instance: { type: 'string', pattern: '^CN(-\\d{6})?$', maxLength: 9 },
            class: en(['GOV', 'COM']),
            code: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{1,19}$' },
            name: str(200, 1),
            nameEn: nullableStr(200),
            level: en(MEMBER_LEVELS),
            contact: nullableStr(300),
          },
        },
      },
    },
    async (req, reply) => reply.code(201).send(await catalogue.createExternalMember(req.actor!, req.body)),
  );

  app.get<{ Params: { id: string } }>(
    '/api/share/members/:id',
    { config: { auth: SHARE.catalogueRead }, schema: { tags, summary: 'A member with its subsystems and their X-Road ids', params: uuidParam } },
    async (req) => catalogue.getMember(req.actor!, req.params.id),
  );

  app.get<{ Querystring: { memberId?: string; limit: number; offset: number } }>(
    '/api/share/subsystems',
    {
      config: { auth: SHARE.catalogueRead },
      schema: { tags, summary: 'Subsystems (the systems that provide or consume data), optionally of one member', querystring: { type: 'object', properties: { memberId: uuid, ...limitOffsetQuery } } },
    },
    async (req) => catalogue.listSubsystems(req.actor!, req.query),
  );

  app.post<{ Body: { memberId: string; code: string; name: string; description?: string | null } }>(
    '/api/share/subsystems',
    {
      config: { auth: SHARE.catalogueRead },
      schema: {
        tags,
        summary: 'Register a subsystem: the bureau for any member, a department for its own',
        body: {
          type: 'object',
          required: ['memberId', 'code', 'name'],
          properties: { memberId: uuid, code: { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 50 }, name: str(200, 1), description: nullableStr(2000) },
        },
      },
    },
    async (req, reply) => reply.code(201).send(await catalogue.createSubsystem(req.actor!, req.body)),
  );

  // ---- resources ---------------------------------------------------------------------------------------------
  app.get<{ Querystring: ResourceFilter }>(
    '/api/share/resources',
    {
      config: { auth: SHARE.catalogueRead },
      schema: {
        tags,
        summary: 'Search the catalogue (Chinese text over name, code, summary and item labels) with filters; drafts and retired resources only for their managers',
        querystring: { type: 'object', properties: { ...resourceQuery, ...limitOffsetQuery } },
      },
    },
    async (req) => catalogue.list(req.actor!, req.query),
  );

  app.get<{ Querystring: Partial<ResourceFilter> }>(
    '/api/share/resources/facets',
    {
      config: { auth: SHARE.catalogueRead },
      schema: { tags, summary: 'Counts by category, grade, sharing type and provider (each facet ignores its own filter)', querystring: { type: 'object', properties: resourceQuery } },
    },
    async (req) => catalogue.facets(req.actor!, req.query),
  );

  app.get<{ Params: { id: string } }>(
    '/api/share/resources/:id',
    { config: { auth: SHARE.catalogueRead }, schema: { tags, summary: 'A resource: catalogue fields, items, X-Road service id, versions and (for managers) the pending draft', params: uuidParam } },
    async (req) => catalogue.get(req.actor!, req.params.id),
  );

  app.get<{ Params: { id: string } }>(
    '/api/share/resources/:id/versions',
    { config: { auth: SHARE.catalogueRead }, schema: { tags, summary: 'The version history with each version\'s snapshot', params: uuidParam } },
    async (req) => catalogue.versions(req.actor!, req.params.id),
  );

  app.post<{ Body: NewResource }>(
    '/api/share/resources',
    {
      config: { auth: SHARE.catalogueManage },
      schema: {
        tags,
        summary: 'Catalogue a new resource as draft version 1 (provider: your own member unless the bureau names one)',
        body: {
          type: 'object',
          required: ['name', 'category', 'format', 'sharingType', 'sharingMethod', 'openingType', 'updateCycle', 'grade'],
          properties: { ...resourceFields, providerMemberId: uuid },
        },
      },
    },
    async (req, reply) => reply.code(201).send(await catalogue.create(req.actor!, req.body)),
  );

  app.patch<{ Params: { id: string }; Body: Partial<ResourceFields> & { note?: string } }>(
    '/api/share/resources/:id',
    {
      config: { auth: SHARE.catalogueManage },
      schema: {
        tags,
        summary: 'Edit the draft; editing a published resource opens version n+1 as a draft (the published version stays until it is published)',
        params: uuidParam,
        body: { type: 'object', minProperties: 1, properties: { ...resourceFields, note: str(500) } },
      },
    },
    async (req) => catalogue.update(req.actor!, req.params.id, req.body),
  );

  app.post<{ Params: { id: string } }>(
    '/api/share/resources/:id/publish',
    { config: { auth: SHARE.catalogueManage }, schema: { tags, summary: 'Publish the draft version (validated: items, key, legal basis where required)', params: uuidParam } },
    async (req) => catalogue.publish(req.actor!, req.params.id),
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>(
    '/api/share/resources/:id/retire',
    {
      config: { auth: SHARE.catalogueManage },
      schema: { tags, summary: 'Retire a resource (no longer offered)', params: uuidParam, body: { type: ['object', 'null'], properties: { reason: str(500) } } },
    },
    async (req) => catalogue.retire(req.actor!, req.params.id, req.body?.reason),
  );
}
