// HTTP for the city code: the person's own code, freeze and scan history (self-service), terminals,
// policies and settings (the bureau), the scan API (terminals' API keys) and statistics.
import type { FastifyInstance } from 'fastify';
import { limitOffsetQuery, uuidParam } from '../../../platform/http/paging';
import { CODE } from '../code.permissions';
import type { CityCodeService } from './citycode.service';
import { SCENARIOS, SUBJECT_FIELD_NAMES, type Scenario } from './policies';

const tags = ['city-code'];
const str = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const scenario = { type: 'string', enum: [...SCENARIOS] } as const;
const fieldList = { type: 'array', items: { type: 'string', enum: SUBJECT_FIELD_NAMES }, uniqueItems: true, maxItems: SUBJECT_FIELD_NAMES.length } as const;
const healthList = { type: 'array', items: { type: 'string', enum: ['green', 'yellow', 'red'] }, uniqueItems: true, maxItems: 3 } as const;

export async function registerCityCodeRoutes(app: FastifyInstance, codes: CityCodeService) {
  // ---- the person ------------------------------------------------------------------------------------
  app.get('/api/code/me', { config: { auth: 'authenticated' }, schema: { tags, summary: 'A fresh signed city code for me (payload null while frozen)' } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return codes.myCode(req.actor!);
  });

  app.post('/api/code/me/freeze', { config: { auth: 'authenticated' }, schema: { tags, summary: 'Freeze my code (lost phone): every terminal refuses it at once' } }, (req) => codes.freeze(req.actor!));

  app.post<{ Body: { password: string } }>(
    '/api/code/me/unfreeze',
    {
      config: { auth: 'authenticated', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Unfreeze my code (needs my password again); codes issued before stay refused', body: { type: 'object', required: ['password'], properties: { password: str(200, 1) } } },
    },
    (req) => codes.unfreeze(req.actor!, req.body.password),
  );

  app.get<{ Querystring: { limit: number; offset: number } }>(
    '/api/code/me/scans',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Where my code was scanned (newest first)', querystring: { type: 'object', properties: { ...limitOffsetQuery } } } },
    (req) => codes.myScans(req.actor!, req.query),
  );

  // ---- terminals -------------------------------------------------------------------------------------
  app.get<{ Querystring: { limit: number; offset: number; scenario?: string; active?: boolean } }>(
    '/api/code/terminals',
    {
      config: { auth: CODE.terminalManage },
      schema: { tags, summary: 'Scanning terminals', querystring: { type: 'object', properties: { ...limitOffsetQuery, scenario, active: { type: 'boolean' } } } },
    },
    (req) => codes.listTerminals(req.query),
  );

  app.post<{ Body: { name: string; place: string; district?: string; scenario: Scenario; ownerOrgId?: string } }>(
    '/api/code/terminals',
    {
      config: { auth: CODE.terminalManage },
      schema: {
        tags,
        summary: 'Register a terminal; the answer carries its API key once',
        body: { type: 'object', required: ['name', 'place', 'scenario'], properties: { name: str(100, 1), place: str(200, 1), district: str(50), scenario, ownerOrgId: { type: 'string', format: 'uuid' } } },
      },
    },
    async (req, reply) => reply.code(201).send(await codes.createTerminal(req.actor!, req.body)),
  );

  app.patch<{ Params: { id: string }; Body: { name?: string; place?: string; district?: string | null; scenario?: Scenario; active?: boolean } }>(
    '/api/code/terminals/:id',
    {
      config: { auth: CODE.terminalManage },
      schema: {
        tags,
        summary: 'Change a terminal; active=false deactivates it and its key stops working',
        params: uuidParam,
        body: { type: 'object', minProperties: 1, properties: { name: str(100, 1), place: str(200, 1), district: { type: ['string', 'null'], maxLength: 50 }, scenario, active: { type: 'boolean' } } },
      },
    },
    (req) => codes.updateTerminal(req.actor!, req.params.id, req.body),
  );

  app.post<{ Params: { id: string } }>(
    '/api/code/terminals/:id/key',
    { config: { auth: CODE.terminalManage }, schema: { tags, summary: 'A new API key for the terminal (shown once); the old key stops; reactivates a deactivated terminal', params: uuidParam } },
    async (req, reply) => reply.code(201).send(await codes.rotateTerminalKey(req.actor!, req.params.id)),
  );

  // ---- policies and settings -------------------------------------------------------------------------
  app.get('/api/code/policies', { config: { auth: CODE.terminalManage }, schema: { tags, summary: 'What each scenario\'s terminals are told on a pass' } }, async () => ({ items: await codes.policies(), fields: SUBJECT_FIELD_NAMES }));

  app.put<{ Params: { scenario: Scenario }; Body: { discloses: string[]; requires: string[]; refuseHealth: string[] } }>(
    '/api/code/policies/:scenario',
    {
      config: { auth: CODE.terminalManage },
      schema: {
        tags,
        summary: 'Change a scenario policy',
        params: { type: 'object', required: ['scenario'], properties: { scenario } },
        body: { type: 'object', required: ['discloses', 'requires', 'refuseHealth'], properties: { discloses: fieldList, requires: fieldList, refuseHealth: healthList } },
      },
    },
    (req) => codes.putPolicy(req.actor!, req.params.scenario, req.body as never),
  );

  app.get('/api/code/settings', { config: { auth: CODE.terminalManage }, schema: { tags, summary: 'Code validity, clock skew and the issuing organisation' } }, () => codes.settings());

  app.put<{ Body: { issuerOrgCode?: string; validitySeconds?: number; skewSeconds?: number } }>(
    '/api/code/settings',
    {
      config: { auth: CODE.keysManage },
      schema: {
        tags,
        summary: 'Change code validity (10–600 s), clock skew (0–900 s) or the issuing organisation',
        body: { type: 'object', minProperties: 1, properties: { issuerOrgCode: str(50, 1), validitySeconds: { type: 'integer', minimum: 10, maximum: 600 }, skewSeconds: { type: 'integer', minimum: 0, maximum: 900 } } },
      },
    },
    (req) => codes.putSettings(req.actor!, req.body),
  );

  // ---- scanning and statistics -----------------------------------------------------------------------
  app.get('/api/code/terminal', { config: { auth: CODE.scan }, schema: { tags, summary: 'The calling terminal: its scenario, policy and the clock skew (set-up check, offline mode)' } }, (req) =>
    codes.terminalInfo(req.actor!),
  );

  app.post<{ Body: { payload: string } }>(
    '/api/code/scan',
    {
      config: { auth: CODE.scan },
      schema: { tags, summary: 'Verify a scanned city code (terminal API key): decision, reason and what the scenario policy discloses', body: { type: 'object', required: ['payload'], properties: { payload: str(4096, 1) } } },
    },
    (req) => codes.scan(req.actor!, req.body.payload),
  );

  app.get<{ Querystring: { days: number } }>(
    '/api/code/stats',
    { config: { auth: CODE.statsRead }, schema: { tags, summary: 'Scans by scenario, by decision and reason, by day', querystring: { type: 'object', properties: { days: { type: 'integer', minimum: 1, maximum: 366, default: 30 } } } } },
    (req) => codes.stats(req.query),
  );
}
