// HTTP for data-sharing requests, the settings of their deadlines and the exchange dashboard. Thin:
// schemas, a service call, the reply.
import type { FastifyInstance } from 'fastify';
import { IdParams, typed } from '../../../platform/http/schema';
import { SHARE } from '../share.permissions';
import {
  AnswerBody,
  ComplianceBody,
  CoreApprovalBody,
  Dashboard,
  DashboardQuery,
  ListQuerySchema,
  RequestDetail,
  RequestPage,
  RequestSchema,
  ResubmitBody,
  SettingsPatch,
  SettingsSchema,
  SubmitBody,
} from './requests.schemas';
import type { ShareRequests } from './requests.service';

const tags = ['share'];

export async function requestRoutes(app: FastifyInstance, requests: ShareRequests) {
  const api = typed(app);

  api.post(
    '/api/share/requests',
    {
      config: { auth: SHARE.requestCreate },
      schema: {
        tags,
        summary: 'Ask for a catalogued resource (kind=resource) or for data not yet catalogued (kind=demand)',
        body: SubmitBody,
        response: { 201: RequestSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await requests.submit(req.actor!, req.body)),
  );

  api.get(
    '/api/share/requests',
    {
      config: { auth: SHARE.requestCreate },
      schema: {
        tags,
        summary: "Requests: mine (as consumer), provider (addressed to me), review (the bureau's queue), all (visible)",
        querystring: ListQuerySchema,
        response: { 200: RequestPage },
      },
    },
    (req) => requests.list(req.actor!, req.query),
  );

  api.get(
    '/api/share/requests/:id',
    {
      config: { auth: SHARE.requestCreate },
      schema: { tags, summary: 'A request with its steps (due dates, answers, escalations) and timeline', params: IdParams, response: { 200: RequestDetail } },
    },
    (req) => requests.get(req.actor!, req.params.id),
  );

  api.post(
    '/api/share/requests/:id/compliance',
    {
      config: { auth: SHARE.requestReview },
      schema: {
        tags,
        summary: "The bureau's compliance check: pass (to the provider; a demand is routed with providerMemberId) or return with reasons",
        params: IdParams,
        body: ComplianceBody,
        response: { 200: RequestSchema },
      },
    },
    (req) => requests.compliance(req.actor!, req.params.id, req.body),
  );

  api.post(
    '/api/share/requests/:id/answer',
    {
      config: { auth: SHARE.requestAnswer },
      schema: {
        tags,
        summary: "The provider's answer (approve some or all requested fields, or refuse with a reason); for an upstream provider the bureau records it with recordedFrom",
        params: IdParams,
        body: AnswerBody,
        response: { 200: RequestSchema },
      },
    },
    (req) => requests.answer(req.actor!, req.params.id, req.body),
  );

  api.post(
    '/api/share/requests/:id/core-approval',
    {
      config: { auth: SHARE.requestReview },
      schema: {
        tags,
        summary: "The bureau approves (the grant is created) or refuses a core-grade request after the provider's approval",
        params: IdParams,
        body: CoreApprovalBody,
        response: { 200: RequestSchema },
      },
    },
    (req) => requests.coreApproval(req.actor!, req.params.id, req.body),
  );

  api.post(
    '/api/share/requests/:id/withdraw',
    { config: { auth: SHARE.requestCreate }, schema: { tags, summary: 'The consumer withdraws its open or returned request', params: IdParams, response: { 200: RequestSchema } } },
    (req) => requests.withdraw(req.actor!, req.params.id),
  );

  api.post(
    '/api/share/requests/:id/resubmit',
    {
      config: { auth: SHARE.requestCreate },
      schema: {
        tags,
        summary: 'The consumer resubmits a returned request (optionally changed); it goes back to the compliance check',
        params: IdParams,
        body: ResubmitBody,
        response: { 200: RequestSchema },
      },
    },
    (req) => requests.resubmit(req.actor!, req.params.id, req.body),
  );

  api.get(
    '/api/share/dashboard',
    {
      config: { auth: SHARE.statsRead },
      schema: {
        tags,
        summary: 'The exchange dashboard (the bureau: everything; a department: its own as consumer or provider); from/to bound the submission date',
        querystring: DashboardQuery,
        response: { 200: Dashboard },
      },
    },
    (req) => requests.dashboard(req.actor!, req.query),
  );

  api.get(
    '/api/share/settings',
    { config: { auth: SHARE.requestCreate }, schema: { tags, summary: 'Working-day time limits of the steps and the escalation offsets and targets', response: { 200: SettingsSchema } } },
    () => requests.settings(),
  );

  api.put(
    '/api/share/settings',
    {
      config: { auth: SHARE.requestReview },
      schema: { tags, summary: 'Change the time limits and escalation settings (the bureau)', body: SettingsPatch, response: { 200: SettingsSchema } },
    },
    (req) => requests.putSettings(req.actor!, req.body),
  );
}
