// HTTP for the personal home page (千人千面).
import type { FastifyInstance } from 'fastify';
import type { HomeService } from './home.service';

export async function homeRoutes(app: FastifyInstance, { home }: { home: HomeService }) {
  app.get<{ Querystring: { limit: number } }>(
    '/api/svc/home',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['home'],
        summary: 'Services ranked for me by explainable rules (each with its reasons), matching bundles, and applications to continue',
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 50, default: 12 } } },
      },
    },
    (req) => home.home(req.actor!, req.query.limit),
  );
}
