// HTTP for data-sharing requests, the settings of their deadlines and the exchange dashboard. Thin:
// schemas, a service call, the reply.
import type { FastifyInstance } from 'fastify';
import { limitOffsetQuery, uuidParam } from '../../../platform/http/paging';
import { SHARE } from '../share.permissions';
import { REQUEST_STATES, type AnswerInput, type ListQuery, type RequestSettings, type ShareRequests, type SubmitInput } from './requests.service';

const tags = ['share'];
const str = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const uuid = { type: 'string', format: 'uuid' } as const;
const dateString = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const fieldName = { type: 'string', minLength: 1, maxLength: 63, pattern: '^[a-z][a-z0-9_]*$' } as const;
const fieldList = { type: 'array', minItems: 1, maxItems: 200, items: fieldName } as const;
const rowFilter = {
  type: 'array',
  maxItems: 10,
  items: { type: 'object', required: ['column', 'equals'], properties: { column: fieldName, equals: str(200) } },
} as const;
const positive = { type: 'integer', minimum: 1, maximum: 100_000_000 } as const;
const days = { type: 'integer', minimum: 1, maximum: 365 } as const;

export async function requestRoutes(app: FastifyInstance, requests: ShareRequests) {
  app.post<{ Body: SubmitInput }>(
    '/api/share/requests',
    {
      config: { auth: SHARE.requestCreate },
      schema: {
        tags,
        summary: 'Ask for a catalogued resource (kind=resource) or for data not yet catalogued (kind=demand)',
        body: {
          type: 'object',
          required: ['kind', 'consumerSubsystemId', 'scenario', 'fields', 'purpose', 'legalBasis'],
          properties: {
            kind: { type: 'string', enum: ['resource', 'demand'] },
            resourceId: uuid,
            demandTitle: str(200, 1),
            demandDescription: str(4000),
            providerMemberId: uuid,
            consumerSubsystemId: uuid,
            scenario: str(100, 1),
            fields: fieldList,
            purpose: str(2000, 1),
            legalBasis: str(2000, 1),
            rowFilter,
          },
        },
      },
    },
    async (req, reply) => reply.code(201).send(await requests.submit(req.actor!, req.body)),
  );

  app.get<{ Querystring: ListQuery }>(
    '/api/share/requests',
    {
      config: { auth: SHARE.requestCreate },
      schema: {
        tags,
        summary: 'Requests: mine (as consumer), provider (addressed to me), review (the bureau\'s queue), all (visible)',
        querystring: {
          type: 'object',
          properties: {
            box: { type: 'string', enum: ['mine', 'review', 'provider', 'all'] },
            state: { type: 'string', enum: REQUEST_STATES },
            overdue: { type: 'boolean' },
            providerMemberId: uuid,
            scenario: str(100, 1),
            ...limitOffsetQuery,
          },
        },
      },
    },
    (req) => requests.list(req.actor!, req.query),
  );

  app.get<{ Params: { id: string } }>(
    '/api/share/requests/:id',
    { config: { auth: SHARE.requestCreate }, schema: { tags, summary: 'A request with its steps (due dates, answers, escalations) and timeline', params: uuidParam } },
    (req) => requests.get(req.actor!, req.params.id),
  );

  app.post<{ Params: { id: string }; Body: { decision: 'pass' | 'return'; reason?: string; providerMemberId?: string } }>(
    '/api/share/requests/:id/compliance',
    {
      config: { auth: SHARE.requestReview },
      schema: {
        tags,
        summary: 'The bureau\'s compliance check: pass (to the provider; a demand is routed with providerMemberId) or return with reasons',
        params: uuidParam,
        body: { type: 'object', required: ['decision'], properties: { decision: { type: 'string', enum: ['pass', 'return'] }, reason: str(2000), providerMemberId: uuid } },
      },
    },
    (req) => requests.compliance(req.actor!, req.params.id, req.body),
  );

  app.post<{ Params: { id: string }; Body: AnswerInput }>(
    '/api/share/requests/:id/answer',
    {
      config: { auth: SHARE.requestAnswer },
      schema: {
        tags,
        summary: 'The provider\'s answer (approve some or all requested fields, or refuse with a reason); for an upstream provider the bureau records it with recordedFrom',
        params: uuidParam,
        body: {
          type: 'object',
          required: ['decision'],
          properties: {
            decision: { type: 'string', enum: ['approve', 'refuse'] },
            fields: { type: 'array', maxItems: 200, items: fieldName },
            clearFields: { type: 'array', maxItems: 200, items: fieldName },
            reason: str(2000),
            rowFilter,
            quotaPerDay: positive,
            ratePerMinute: positive,
            expiresAt: { type: 'string', format: 'date-time' },
            resourceId: uuid,
            recordedFrom: {
              type: 'object',
              required: ['name', 'answeredAt'],
              properties: { name: str(100, 1), organisation: str(200), answeredAt: { type: 'string', format: 'date-time' } },
            },
          },
        },
      },
    },
    (req) => requests.answer(req.actor!, req.params.id, req.body),
  );

  app.post<{ Params: { id: string }; Body: { decision: 'approve' | 'refuse'; reason?: string } }>(
    '/api/share/requests/:id/core-approval',
    {
      config: { auth: SHARE.requestReview },
      schema: { tags, summary: 'The bureau approves (the grant is created) or refuses a core-grade request after the provider\'s approval', params: uuidParam, body: { type: 'object', required: ['decision'], properties: { decision: { type: 'string', enum: ['approve', 'refuse'] }, reason: str(2000) } } },
    },
    (req) => requests.coreApproval(req.actor!, req.params.id, req.body),
  );

  app.post<{ Params: { id: string } }>(
    '/api/share/requests/:id/withdraw',
    { config: { auth: SHARE.requestCreate }, schema: { tags, summary: 'The consumer withdraws its open or returned request', params: uuidParam } },
    (req) => requests.withdraw(req.actor!, req.params.id),
  );

  app.post<{ Params: { id: string }; Body: { fields?: string[]; purpose?: string; legalBasis?: string; rowFilter?: { column: string; equals: string }[]; scenario?: string } }>(
    '/api/share/requests/:id/resubmit',
    {
      config: { auth: SHARE.requestCreate },
      schema: {
        tags,
        summary: 'The consumer resubmits a returned request (optionally changed); it goes back to the compliance check',
        params: uuidParam,
        body: { type: 'object', properties: { fields: fieldList, purpose: str(2000, 1), legalBasis: str(2000, 1), rowFilter, scenario: str(100, 1) } },
      },
    },
    (req) => requests.resubmit(req.actor!, req.params.id, req.body),
  );

  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/api/share/dashboard',
    {
      config: { auth: SHARE.statsRead },
      schema: { tags, summary: 'The exchange dashboard (the bureau: everything; a department: its own as consumer or provider); from/to bound the submission date', querystring: { type: 'object', properties: { from: dateString, to: dateString } } },
    },
    (req) => requests.dashboard(req.actor!, req.query),
  );

  const settingsProps = {
    complianceDays: days,
    providerDaysServable: days,
    providerDaysUnpublished: days,
    coreApprovalDays: days,
    escalateToBureauAfterDays: days,
    escalateToUpperAfterDays: days,
    bureauMemberId: { anyOf: [uuid, { type: 'null' }] },
    upperMemberId: { anyOf: [uuid, { type: 'null' }] },
    defaultQuotaPerDay: positive,
    defaultRatePerMinute: positive,
    defaultGrantDays: { type: 'integer', minimum: 1, maximum: 3660 },
  } as const;
  app.get('/api/share/settings', { config: { auth: SHARE.requestCreate }, schema: { tags, summary: 'Working-day time limits of the steps and the escalation offsets and targets' } }, () => requests.settings());
  app.put<{ Body: Partial<RequestSettings> }>(
    '/api/share/settings',
    { config: { auth: SHARE.requestReview }, schema: { tags, summary: 'Change the time limits and escalation settings (the bureau)', body: { type: 'object', minProperties: 1, properties: settingsProps } } },
    (req) => requests.putSettings(req.actor!, req.body),
  );
}
