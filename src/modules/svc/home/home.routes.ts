// HTTP for the personal home page (千人千面). Thin: the TypeBox schema (home.schemas.ts), a service call.
import type { FastifyInstance } from 'fastify';
import { Defaulted, Type, typed } from '../../../platform/http/schema';
import { HomePageSchema } from './home.schemas';
import type { HomeService } from './home.service';

export async function homeRoutes(app: FastifyInstance, { home }: { home: HomeService }) {
  typed(app).get(
    '/api/svc/home',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['home'],
        summary: 'Services ranked for me by explainable rules (each with its reasons), matching bundles, and applications to continue',
        querystring: Defaulted({ limit: Type.Integer({ minimum: 1, maximum: 50, default: 12 }) }),
        response: { 200: HomePageSchema },
      },
    },
    (req) => home.home(req.actor!, req.query.limit),
  );
}
