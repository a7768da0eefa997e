// HTTP for "one thing" bundle applications (一件事). Thin: JSON schemas, a service call, the reply.
import type { FastifyInstance } from 'fastify';
import { limitOffsetQuery, uuidParam } from '../../../platform/http/paging';
import type { BundleApplicationService } from './bundles.service';

const tags = ['bundle-applications'];
const dataSchema = { type: 'object', additionalProperties: true, maxProperties: 100 } as const;

export async function bundleApplicationRoutes(app: FastifyInstance, { bundles }: { bundles: BundleApplicationService }) {
  app.post<{ Body: { bundleCode: string; data: Record<string, unknown>; onBehalfOf?: string } }>(
    '/api/bundle-applications',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags,
        summary: 'Start a "one thing" bundle application: one draft per member item, the shared values mapped into each (onBehalfOf: a person who authorised you)',
        body: { type: 'object', required: ['bundleCode', 'data'], properties: { bundleCode: { type: 'string', minLength: 1, maxLength: 40 }, data: dataSchema, onBehalfOf: { type: 'string', format: 'uuid' } } },
      },
    },
    async (req, reply) => reply.code(201).send(await bundles.create(req.actor!, req.body)),
  );
  app.get<{ Querystring: { limit: number; offset: number } }>(
    '/api/bundle-applications',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'My bundle applications (and those I made for relatives), with the combined state', querystring: { type: 'object', properties: { ...limitOffsetQuery } } } },
    (req) => bundles.listMine(req.actor!, req.query),
  );
  app.get<{ Params: { id: string } }>('/api/bundle-applications/:id', { config: { auth: 'authenticated' }, schema: { tags, summary: 'A bundle application with its members and their states', params: uuidParam } }, (req) => bundles.get(req.actor!, req.params.id));
  app.patch<{ Params: { id: string }; Body: { data: Record<string, unknown> } }>(
    '/api/bundle-applications/:id',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Change the shared values while every member is a draft', params: uuidParam, body: { type: 'object', required: ['data'], properties: { data: dataSchema } } } },
    (req) => bundles.update(req.actor!, req.params.id, req.body.data),
  );
  app.post<{ Params: { id: string } }>(
    '/api/bundle-applications/:id/submit',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Submit every member at once (422 with the problems of each member, and nothing submitted, if any is incomplete)', params: uuidParam } },
    (req) => bundles.submit(req.actor!, req.params.id),
  );
  app.post<{ Params: { id: string }; Body: { reason?: string } }>(
    '/api/bundle-applications/:id/withdraw',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Withdraw every member not yet decided', params: uuidParam, body: { type: 'object', properties: { reason: { type: 'string', maxLength: 500 } } } } },
    (req) => bundles.withdraw(req.actor!, req.params.id, req.body?.reason?.trim() || null),
  );
}
