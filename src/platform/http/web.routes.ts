// Serves the built web apps (web/dist): the citizen portal at /, the staff console at /console/ and
// the big screen at /screen/. Client-side routes fall back to each app's index.html.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './problem';
import { Binary, typed } from './schema';
import { sendProblem } from './server';

// Fresh objects per route: the server adds the problem responses to each route's own response map.
const page = () => ({ 200: Binary('text/html', "The web app's page (its index.html; the client-side router takes over)") });
const asset = () => ({ 200: Binary('*/*', 'A built asset (script, style sheet, font, image) in its own media type') });
const favicon = () => ({ 200: Binary('image/svg+xml', 'The platform icon') });

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

const FAVICON = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/shared/favicon.svg');

const APPS = [
  { prefix: '/console', file: 'console/index.html' },
  { prefix: '/screen', file: 'screen/index.html' },
];

export async function webRoutes(app: FastifyInstance, dist = WEB_DIST) {
  const api = typed(app);
  // serve:false: only reply.sendFile; our own routes below declare who may call them.
  await app.register(fastifyStatic, { root: dist, serve: false });

  const sendApp = (file: string) => async (req: FastifyRequest, reply: FastifyReply) => {
    if (!fs.existsSync(path.join(dist, file))) {
      return sendProblem(reply, req, new AppError(503, 'web-not-built', 'Web apps not built', 'run `npm run build` (npm start does it for you)'));
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile(file);
  };

  api.get('/assets/*', { config: { auth: 'public' }, schema: { hide: true, summary: 'A built asset of the web apps', response: asset() } }, async (req, reply) => {
    const rel = (req.params as { '*': string })['*'];
    if (rel.includes('..') || !fs.existsSync(path.join(dist, 'assets', rel))) {
      return sendProblem(reply, req, new AppError(404, 'not-found', 'Not found', 'no such asset'));
    }
    // Vite puts a content hash in every asset name: cache for a year.
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return reply.sendFile(path.join('assets', rel));
  });

  // With ignoreTrailingSlash, the prefix route answers both `/console` and `/console/`; the wildcard
  // answers the app's client-side routes. Assets use absolute /assets/ URLs, so no redirect is needed.
  for (const a of APPS) {
    api.get(a.prefix, { config: { auth: 'public' }, schema: { hide: true, summary: `The ${a.prefix.slice(1)} web app`, response: page() } }, sendApp(a.file));
    api.get(`${a.prefix}/*`, { config: { auth: 'public' }, schema: { hide: true, summary: `A client-side route of the ${a.prefix.slice(1)} web app`, response: page() } }, sendApp(a.file));
  }
  api.get('/', { config: { auth: 'public' }, schema: { hide: true, summary: 'The citizen portal', response: page() } }, sendApp('portal/index.html'));
  api.get('/favicon.ico', { config: { auth: 'public' }, schema: { hide: true, summary: 'The platform icon (SVG)', response: favicon() } }, async (_req, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(fs.readFileSync(FAVICON)),
  );

  // Anything else: API paths get a 404 problem; page paths get the portal (its router shows its own 404).
  app.setNotFoundHandler(async (req, reply) => {
    const url = req.url.split('?')[0];
    if (req.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/oidc') && !path.extname(url)) {
      return sendApp('portal/index.html')(req, reply);
    }
    return sendProblem(reply, req, new AppError(404, 'not-found', 'Not found', `no route for ${req.method} ${url}`));
  });
}
