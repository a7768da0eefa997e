// HTTP for the exchange directory (members, subsystems) and the resource catalogue. Thin: the TypeBox
// schemas (validation, handler types, OpenAPI, serialisation; shapes in catalogue.schemas.ts), a service
// call, the reply.
import type { FastifyInstance } from 'fastify';
import { Defaulted, IdParams, Nullable, Page, PageQuery, Str, Type, typed, Uuid } from '../../../platform/http/schema';
import { SHARE } from '../share.permissions';
import {
  MemberDetail,
  MemberListItem,
  MemberQuery,
  MemberSchema,
  NewMemberBody,
  NewResourceBody,
  NewSubsystemBody,
  ResourceFacets,
  ResourcePatchBody,
  ResourceQuery,
  ResourceSummarySchema,
  ResourceVersions,
  ResourceViewSchema,
  SubsystemListItem,
  SubsystemSchema,
} from './catalogue.schemas';
import type { ResourceCatalogue } from './catalogue.service';

const tags = ['share'];

export async function catalogueRoutes(app: FastifyInstance, catalogue: ResourceCatalogue) {
  const api = typed(app);

  // ---- directory ---------------------------------------------------------------------------------------------
  api.get(
    '/api/share/members',
    {
      config: { auth: SHARE.catalogueRead },
      schema: {
        tags,
        summary: 'Members of the exchange (X-Road style): departments, districts and external upstream providers',
        querystring: Defaulted({ ...MemberQuery, ...PageQuery }),
        response: { 200: Page(MemberListItem) },
      },
    },
    async (req) => catalogue.listMembers(req.actor!, req.query),
  );

  api.post(
    '/api/share/members',
    {
      config: { auth: SHARE.grantManage },
      schema: {
        tags,
        summary: 'Register an external upstream provider (a provincial department, a ministry): the bureau only',
        body: NewMemberBody,
        response: { 201: MemberSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await catalogue.createExternalMember(req.actor!, req.body)),
  );

  api.get(
    '/api/share/members/:id',
    { config: { auth: SHARE.catalogueRead }, schema: { tags, summary: 'A member with its subsystems and their X-Road ids', params: IdParams, response: { 200: MemberDetail } } },
    async (req) => catalogue.getMember(req.actor!, req.params.id),
  );

  api.get(
    '/api/share/subsystems',
    {
      config: { auth: SHARE.catalogueRead },
      schema: {
        tags,
        summary: 'Subsystems (the systems that provide or consume data), optionally of one member',
        querystring: Defaulted({ memberId: Type.Optional(Uuid), ...PageQuery }),
        response: { 200: Page(SubsystemListItem) },
      },
    },
    async (req) => catalogue.listSubsystems(req.actor!, req.query),
  );

  api.post(
    '/api/share/subsystems',
    {
      config: { auth: SHARE.catalogueRead },
      schema: { tags, summary: 'Register a subsystem: the bureau for any member, a department for its own', body: NewSubsystemBody, response: { 201: SubsystemSchema } },
    },
    async (req, reply) => reply.code(201).send(await catalogue.createSubsystem(req.actor!, req.body)),
  );

  // ---- resources ---------------------------------------------------------------------------------------------
  api.get(
    '/api/share/resources',
    {
      config: { auth: SHARE.catalogueRead },
      schema: {
        tags,
        summary: 'Search the catalogue (Chinese text over name, code, summary and item labels) with filters; drafts and retired resources only for their managers',
        querystring: Defaulted({ ...ResourceQuery, ...PageQuery }),
        response: { 200: Page(ResourceSummarySchema) },
      },
    },
    async (req) => catalogue.list(req.actor!, req.query),
  );

  api.get(
    '/api/share/resources/facets',
    {
      config: { auth: SHARE.catalogueRead },
      schema: {
        tags,
        summary: 'Counts by category, grade, sharing type and provider (each facet ignores its own filter)',
        querystring: Type.Object(ResourceQuery),
        response: { 200: ResourceFacets },
      },
    },
    async (req) => catalogue.facets(req.actor!, req.query),
  );

  api.get(
    '/api/share/resources/:id',
    {
      config: { auth: SHARE.catalogueRead },
      schema: { tags, summary: 'A resource: catalogue fields, items, X-Road service id, versions and (for managers) the pending draft', params: IdParams, response: { 200: ResourceViewSchema } },
    },
    async (req) => catalogue.get(req.actor!, req.params.id),
  );

  api.get(
    '/api/share/resources/:id/versions',
    { config: { auth: SHARE.catalogueRead }, schema: { tags, summary: "The version history with each version's snapshot", params: IdParams, response: { 200: ResourceVersions } } },
    async (req) => catalogue.versions(req.actor!, req.params.id),
  );

  api.post(
    '/api/share/resources',
    {
      config: { auth: SHARE.catalogueManage },
      schema: {
        tags,
        summary: 'Catalogue a new resource as draft version 1 (provider: your own member unless the bureau names one)',
        body: NewResourceBody,
        response: { 201: ResourceViewSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await catalogue.create(req.actor!, req.body)),
  );

  api.patch(
    '/api/share/resources/:id',
    {
      config: { auth: SHARE.catalogueManage },
      schema: {
        tags,
        summary: 'Edit the draft; editing a published resource opens version n+1 as a draft (the published version stays until it is published)',
        params: IdParams,
        body: ResourcePatchBody,
        response: { 200: ResourceViewSchema },
      },
    },
    async (req) => catalogue.update(req.actor!, req.params.id, req.body),
  );

  api.post(
    '/api/share/resources/:id/publish',
    {
      config: { auth: SHARE.catalogueManage },
      schema: { tags, summary: 'Publish the draft version (validated: items, key, legal basis where required)', params: IdParams, response: { 200: ResourceViewSchema } },
    },
    async (req) => catalogue.publish(req.actor!, req.params.id),
  );

  api.post(
    '/api/share/resources/:id/retire',
    {
      config: { auth: SHARE.catalogueManage },
      schema: {
        tags,
        summary: 'Retire a resource (no longer offered)',
        params: IdParams,
        // The body may be null; unknown fields are refused as on every route.
        body: Nullable(Type.Object({ reason: Type.Optional(Str(500)) }, { additionalProperties: false })),
        response: { 200: ResourceViewSchema },
      },
    },
    async (req) => catalogue.retire(req.actor!, req.params.id, req.body?.reason),
  );
}
