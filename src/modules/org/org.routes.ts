// HTTP for organisations: thin — validate, call the service, shape the reply.
import type { FastifyInstance } from 'fastify';
import { P } from '../../platform/auth/permissions';
import { limitOffsetQuery, pageSchema, uuidParam } from '../../platform/http/paging';
import { ORG_KINDS, type OrgKind, type OrgService } from './org.service';

export const orgSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    code: { type: 'string' },
    kind: { type: 'string', enum: ORG_KINDS },
    name: { type: 'string' },
    nameEn: { type: ['string', 'null'] },
    parentId: { type: ['string', 'null'] },
    divisionCode: { type: 'string' },
    creditCode: { type: ['string', 'null'] },
    status: { type: 'string' },
    path: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;

export async function orgRoutes(app: FastifyInstance, deps: { orgs: OrgService }) {
  const { orgs } = deps;

  app.get<{ Querystring: { kind?: OrgKind; parentId?: string; q?: string; divisionCode?: string; limit: number; offset: number } }>(
    '/api/orgs',
    {
      config: { auth: P.orgRead },
      schema: {
        tags: ['organisations'],
        summary: 'List organisations the caller may see',
        querystring: {
          type: 'object',
          properties: {
            kind: { type: 'string', enum: ORG_KINDS },
            parentId: { type: 'string', format: 'uuid' },
            q: { type: 'string', maxLength: 100 },
            divisionCode: { type: 'string', pattern: '^\\d{6}$' },
            ...limitOffsetQuery,
          },
        },
        response: { 200: pageSchema(orgSchema) },
      },
    },
    (req) => orgs.list(req.actor!, req.query),
  );

  app.get<{ Params: { id: string } }>(
    '/api/orgs/:id',
    { config: { auth: P.orgRead }, schema: { tags: ['organisations'], params: uuidParam, response: { 200: orgSchema } } },
    (req) => orgs.get(req.actor!, req.params.id),
  );

  app.post<{ Body: { code: string; kind: OrgKind; name: string; nameEn?: string; parentId?: string; divisionCode?: string; creditCode?: string } }>(
    '/api/orgs',
    {
      config: { auth: P.orgWrite },
      schema: {
        tags: ['organisations'],
        summary: 'Create an organisation (department sub-unit, district office, enterprise…)',
        body: {
          type: 'object',
          required: ['code', 'kind', 'name'],
          properties: {
            code: text(40),
            kind: { type: 'string', enum: ORG_KINDS },
            name: text(200),
            nameEn: { type: 'string', maxLength: 200 },
            parentId: { type: 'string', format: 'uuid' },
            divisionCode: { type: 'string', pattern: '^\\d{6}$' },
            creditCode: { type: 'string', maxLength: 18 },
          },
        },
        response: { 201: orgSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await orgs.create(req.actor!, req.body)),
  );

  app.patch<{ Params: { id: string }; Body: { name?: string; nameEn?: string | null; status?: 'active' | 'inactive' } }>(
    '/api/orgs/:id',
    {
      config: { auth: P.orgWrite },
      schema: {
        tags: ['organisations'],
        params: uuidParam,
        body: {
          type: 'object',
          minProperties: 1,
          properties: { name: text(200), nameEn: { type: ['string', 'null'], maxLength: 200 }, status: { type: 'string', enum: ['active', 'inactive'] } },
        },
        response: { 200: orgSchema },
      },
    },
    (req) => orgs.update(req.actor!, req.params.id, req.body),
  );

  app.get(
    '/api/public/city',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['public'],
        summary: 'The city, its districts and how many departments it has',
        response: {
          200: {
            type: 'object',
            properties: {
              city: { type: ['object', 'null'], properties: { name: { type: 'string' }, nameEn: { type: ['string', 'null'] }, divisionCode: { type: 'string' } } },
              districts: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' }, nameEn: { type: ['string', 'null'] } } } },
              departmentsCount: { type: 'integer' },
            },
          },
        },
      },
    },
    () => orgs.publicCity(),
  );
}
