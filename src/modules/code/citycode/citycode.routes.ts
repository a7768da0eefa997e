// HTTP for the city code: the person's own code, freeze and scan history (self-service), terminals,
// policies and settings (the bureau), the scan API (terminals' API keys) and statistics. The shapes are in
// citycode.schemas.ts.
import type { FastifyInstance } from 'fastify';
import { Defaulted, IdParams, PageQuery, Type, typed } from '../../../platform/http/schema';
import { CODE } from '../code.permissions';
import {
  CreatedTerminal,
  CreateTerminalBody,
  Frozen,
  MyCode,
  Policies,
  PolicyBody,
  PolicyParams,
  PolicySchema,
  RekeyedTerminal,
  ScanAnswer,
  ScanBody,
  ScanLogPage,
  Settings,
  SettingsBody,
  Stats,
  Terminal,
  TerminalInfo,
  TerminalPage,
  TerminalsQuery,
  UnfreezeBody,
  Unfrozen,
  UpdateTerminalBody,
} from './citycode.schemas';
import type { CityCodeService } from './citycode.service';
import { SUBJECT_FIELD_NAMES } from './policies';

const tags = ['city-code'];

export async function registerCityCodeRoutes(app: FastifyInstance, codes: CityCodeService) {
  const api = typed(app);

  // ---- the person ------------------------------------------------------------------------------------
  api.get(
    '/api/code/me',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'A fresh signed city code for me (payload null while frozen)', response: { 200: MyCode } } },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return codes.myCode(req.actor!);
    },
  );

  api.post(
    '/api/code/me/freeze',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Freeze my code (lost phone): every terminal refuses it at once', response: { 200: Frozen } } },
    (req) => codes.freeze(req.actor!),
  );

  api.post(
    '/api/code/me/unfreeze',
    {
      config: { auth: 'authenticated', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Unfreeze my code (needs my password again); codes issued before stay refused', body: UnfreezeBody, response: { 200: Unfrozen } },
    },
    (req) => codes.unfreeze(req.actor!, req.body.password),
  );

  api.get(
    '/api/code/me/scans',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Where my code was scanned (newest first)', querystring: Defaulted({ ...PageQuery }), response: { 200: ScanLogPage } } },
    (req) => codes.myScans(req.actor!, req.query),
  );

  // ---- terminals -------------------------------------------------------------------------------------
  api.get(
    '/api/code/terminals',
    {
      config: { auth: CODE.terminalManage },
      schema: { tags, summary: 'Scanning terminals', querystring: Defaulted({ ...PageQuery, ...TerminalsQuery }), response: { 200: TerminalPage } },
    },
    (req) => codes.listTerminals(req.query),
  );

  api.post(
    '/api/code/terminals',
    {
      config: { auth: CODE.terminalManage },
      schema: { tags, summary: 'Register a terminal; the answer carries its API key once', body: CreateTerminalBody, response: { 201: CreatedTerminal } },
    },
    async (req, reply) => reply.code(201).send(await codes.createTerminal(req.actor!, req.body)),
  );

  api.patch(
    '/api/code/terminals/:id',
    {
      config: { auth: CODE.terminalManage },
      schema: { tags, summary: 'Change a terminal; active=false deactivates it and its key stops working', params: IdParams, body: UpdateTerminalBody, response: { 200: Terminal } },
    },
    (req) => codes.updateTerminal(req.actor!, req.params.id, req.body),
  );

  api.post(
    '/api/code/terminals/:id/key',
    {
      config: { auth: CODE.terminalManage },
      schema: { tags, summary: 'A new API key for the terminal (shown once); the old key stops; reactivates a deactivated terminal', params: IdParams, response: { 201: RekeyedTerminal } },
    },
    async (req, reply) => reply.code(201).send(await codes.rotateTerminalKey(req.actor!, req.params.id)),
  );

  // ---- policies and settings -------------------------------------------------------------------------
  api.get(
    '/api/code/policies',
    { config: { auth: CODE.terminalManage }, schema: { tags, summary: "What each scenario's terminals are told on a pass", response: { 200: Policies } } },
    async () => ({ items: await codes.policies(), fields: SUBJECT_FIELD_NAMES }),
  );

  api.put(
    '/api/code/policies/:scenario',
    {
      config: { auth: CODE.terminalManage },
      schema: { tags, summary: 'Change a scenario policy', params: PolicyParams, body: PolicyBody, response: { 200: PolicySchema } },
    },
    (req) => codes.putPolicy(req.actor!, req.params.scenario, req.body),
  );

  api.get(
    '/api/code/settings',
    { config: { auth: CODE.terminalManage }, schema: { tags, summary: 'Code validity, clock skew and the issuing organisation', response: { 200: Settings } } },
    () => codes.settings(),
  );

  api.put(
    '/api/code/settings',
    {
      config: { auth: CODE.keysManage },
      schema: { tags, summary: 'Change code validity (10–600 s), clock skew (0–900 s) or the issuing organisation', body: SettingsBody, response: { 200: Settings } },
    },
    (req) => codes.putSettings(req.actor!, req.body),
  );

  // ---- scanning and statistics -----------------------------------------------------------------------
  api.get(
    '/api/code/terminal',
    { config: { auth: CODE.scan }, schema: { tags, summary: 'The calling terminal: its scenario, policy and the clock skew (set-up check, offline mode)', response: { 200: TerminalInfo } } },
    (req) => codes.terminalInfo(req.actor!),
  );

  api.post(
    '/api/code/scan',
    {
      config: { auth: CODE.scan },
      schema: { tags, summary: 'Verify a scanned city code (terminal API key): decision, reason and what the scenario policy discloses', body: ScanBody, response: { 200: ScanAnswer } },
    },
    (req) => codes.scan(req.actor!, req.body.payload),
  );

  api.get(
    '/api/code/stats',
    {
      config: { auth: CODE.statsRead },
      schema: { tags, summary: 'Scans by scenario, by decision and reason, by day', querystring: Defaulted({ days: Type.Integer({ minimum: 1, maximum: 366, default: 30 }) }), response: { 200: Stats } },
    },
    (req) => codes.stats(req.query),
  );
}
