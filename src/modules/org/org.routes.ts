// HTTP for organisations: thin — the TypeBox schemas (validation, handler types, OpenAPI, serialisation),
// a service call, the reply.
import type { FastifyInstance } from 'fastify';
import { P } from '../../platform/auth/permissions';
import { Defaulted, Enum, IdParams, Nullable, Page, PageQuery, Str, Text, Timestamp, Type, typed } from '../../platform/http/schema';
import { ORG_KINDS, type OrgService } from './org.service';

const tags = ['organisations'];
const DivisionCode = Type.String({ pattern: '^\\d{6}$' });

export const OrgSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  kind: Enum(ORG_KINDS),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  parentId: Nullable(Type.String()),
  divisionCode: Type.String(),
  creditCode: Nullable(Type.String()),
  status: Type.String(),
  path: Type.String(),
  createdAt: Timestamp,
});

const PublicCity = Type.Object({
  city: Nullable(Type.Object({ name: Type.String(), nameEn: Nullable(Type.String()), divisionCode: Type.String() })),
  districts: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()) })),
  departmentsCount: Type.Integer(),
});

export async function orgRoutes(app: FastifyInstance, deps: { orgs: OrgService }) {
  const { orgs } = deps;
  const api = typed(app);

  api.get(
    '/api/orgs',
    {
      config: { auth: P.orgRead },
      schema: {
        tags,
        summary: 'List organisations the caller may see',
        querystring: Defaulted({
          kind: Type.Optional(Enum(ORG_KINDS)),
          parentId: Type.Optional(Type.String({ format: 'uuid' })),
          q: Type.Optional(Str(100)),
          divisionCode: Type.Optional(DivisionCode),
          ...PageQuery,
        }),
        response: { 200: Page(OrgSchema) },
      },
    },
    (req) => orgs.list(req.actor!, req.query),
  );

  api.get(
    '/api/orgs/:id',
    { config: { auth: P.orgRead }, schema: { tags, summary: 'One organisation', params: IdParams, response: { 200: OrgSchema } } },
    (req) => orgs.get(req.actor!, req.params.id),
  );

  api.post(
    '/api/orgs',
    {
      config: { auth: P.orgWrite },
      schema: {
        tags,
        summary: 'Create an organisation (department sub-unit, district office, enterprise…)',
        body: Type.Object({
          code: Text(40),
          kind: Enum(ORG_KINDS),
          name: Text(200),
          nameEn: Type.Optional(Str(200)),
          parentId: Type.Optional(Type.String({ format: 'uuid' })),
          divisionCode: Type.Optional(DivisionCode),
          creditCode: Type.Optional(Str(18)),
        }),
        response: { 201: OrgSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await orgs.create(req.actor!, req.body)),
  );

  api.patch(
    '/api/orgs/:id',
    {
      config: { auth: P.orgWrite },
      schema: {
        tags,
        summary: 'Rename an organisation or change its status',
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Text(200)), nameEn: Type.Optional(Nullable(Str(200))), status: Type.Optional(Enum(['active', 'inactive'])) },
          { minProperties: 1 },
        ),
        response: { 200: OrgSchema },
      },
    },
    (req) => orgs.update(req.actor!, req.params.id, req.body),
  );

  api.get(
    '/api/public/city',
    {
      config: { auth: 'public' },
      schema: { tags: ['public'], summary: 'The city, its districts and how many departments it has', response: { 200: PublicCity } },
    },
    () => orgs.publicCity(),
  );
}
