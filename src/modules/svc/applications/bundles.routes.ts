// HTTP for "one thing" bundle applications (一件事). Thin: the TypeBox schemas (applications.schemas.ts), a
// service call, the reply.
import type { FastifyInstance } from 'fastify';
import { Defaulted, IdParams, PageQuery, typed } from '../../../platform/http/schema';
import { BundleApplications, BundleApplicationSchema, BundleWithdrawBody, FormDataBody, NewBundleApplicationBody } from './applications.schemas';
import type { BundleApplicationService } from './bundles.service';

const tags = ['bundle-applications'];

export async function bundleApplicationRoutes(app: FastifyInstance, { bundles }: { bundles: BundleApplicationService }) {
  const api = typed(app);

  api.post(
    '/api/bundle-applications',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags,
        summary: 'Start a "one thing" bundle application: one draft per member item, the shared values mapped into each (onBehalfOf: a person who authorised you)',
        body: NewBundleApplicationBody,
        response: { 201: BundleApplicationSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await bundles.create(req.actor!, req.body)),
  );
  api.get(
    '/api/bundle-applications',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'My bundle applications (and those I made for relatives), with the combined state', querystring: Defaulted({ ...PageQuery }), response: { 200: BundleApplications } },
    },
    (req) => bundles.listMine(req.actor!, req.query),
  );
  api.get(
    '/api/bundle-applications/:id',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'A bundle application with its members and their states', params: IdParams, response: { 200: BundleApplicationSchema } } },
    (req) => bundles.get(req.actor!, req.params.id),
  );
  api.patch(
    '/api/bundle-applications/:id',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'Change the shared values while every member is a draft', params: IdParams, body: FormDataBody, response: { 200: BundleApplicationSchema } },
    },
    (req) => bundles.update(req.actor!, req.params.id, req.body.data),
  );
  api.post(
    '/api/bundle-applications/:id/submit',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags,
        summary: 'Submit every member at once (422 with the problems of each member, and nothing submitted, if any is incomplete)',
        params: IdParams,
        response: { 200: BundleApplicationSchema },
      },
    },
    (req) => bundles.submit(req.actor!, req.params.id),
  );
  api.post(
    '/api/bundle-applications/:id/withdraw',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Withdraw every member not yet decided', params: IdParams, body: BundleWithdrawBody, response: { 200: BundleApplicationSchema } } },
    (req) => bundles.withdraw(req.actor!, req.params.id, req.body?.reason?.trim() || null),
  );
}
