// Data-sharing requests end to end: the full path to a grant with fewer fields than asked, refusal
// reasons, core-grade approval by the bureau, working-day deadlines across the 2026 National Day holiday,
// escalation levels on a fixed clock (idempotent), upstream answers recorded by the bureau, who may do
// what, and the dashboard's figures computed from requests with known times.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../platform/auth/actor';
import { rows } from '../../../platform/db/client';
import { type Client, testApp, type TestApp } from '../../../test/app';
import { DEMO_RESOURCE_CODES } from '../catalogue';
import { seedRequestDemo } from './requests.seed';
import type { ShareRequests } from './requests.service';

let t: TestApp;
let bureau: Client;
let mzj: Client;
let rsj: Client;
let gaj: Client;
let citizen: Client;
let svc: ShareRequests;
const M: Record<string, string> = {};
let PENSION: string; // RSJ pension-audit subsystem
let FUNERAL: string; // MZJ funeral records (published, with data)
let POPULATION: string; // GAJ population register (core grade)
let DRAFT: { id: string; items: string[] } | null = null;
let SEEDED: string[] = [];
let FUNERAL_SERVABLE = false; // published with rows loaded by the data part's demo seed

const db = () => t.app.services.database.db;
async function actor(username: string): Promise<Actor> {
  const [u] = await rows<{ id: string }>(db(), sql`select id from users where username = ${username}`);
  return (await t.app.services.auth.loadActor(u.id, 'session'))!;
}
const at = (s: string) => new Date(s);

beforeAll(async () => {
  t = await testApp();
  svc = t.app.services.share.requests;
  SEEDED = (await rows<{ id: string }>(t.app.services.database.db, sql`select id from share_requests`)).map((r) => r.id);
  [bureau, mzj, rsj, gaj, citizen] = await Promise.all(['dsj_officer', 'mzj_officer', 'rsj_officer', 'gaj_officer', 'citizen_zhang'].map((u) => t.login(u)));
  for (const r of await rows<{ id: string; code: string }>(db(), sql`select id, code from share_members where code in ('MZJ', 'RSJ', 'DSJ', 'GAJ', 'SDMZT', 'SDDSJ')`)) M[r.code] = r.id;
  [{ id: PENSION }] = await rows<{ id: string }>(db(), sql`select id from share_subsystems where member_id = ${M.RSJ}::uuid and code = 'pension-audit'`);
  const res = await rows<{ id: string; code: string; provider_member_id: string; grade: string; state: string; items: { name: string }[] }>(
    db(),
    sql`select id, code, provider_member_id, grade, state, items from share_resources where state in ('published', 'draft') order by code`,
  );
  const itemsOf = (r: { items: { name: string }[] }) => r.items.map((i) => i.name);
  FUNERAL = res.find((r) => r.code === DEMO_RESOURCE_CODES.funeral)!.id;
  POPULATION = res.find((r) => r.code === DEMO_RESOURCE_CODES.population)!.id;
  expect(res.find((r) => r.id === POPULATION)!.grade).toBe('core');
  FUNERAL_SERVABLE = (await t.app.services.share.requests.directory.resource(FUNERAL))!.servable;
  const [cityMember] = await rows<{ ids: string[] }>(db(), sql`select array_agg(id::text) as ids from share_members where level = 'city' and not external`);
  const draft = res.find((r) => r.state === 'draft' && ![M.RSJ, M.MZJ].includes(r.provider_member_id) && cityMember.ids.includes(r.provider_member_id) && r.items.length);
  if (draft) DRAFT = { id: draft.id, items: itemsOf(draft) };
});
afterAll(() => t?.close());

const funeralBody = (over: Record<string, unknown> = {}) => ({
  kind: 'resource',
  resourceId: FUNERAL,
  consumerSubsystemId: PENSION,
  scenario: '养老金停发核查',
  fields: ['id_number', 'name', 'death_date'],
  purpose: '核查已死亡人员，停发养老金',
  legalBasis: '《社会保险法》第十六条；人社部关于做好养老保险待遇资格认证工作的通知',
  ...over,
});

describe('who may call', () => {
  it('gives a citizen 403 on every route', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const calls: [string, string, unknown?][] = [
      ['POST', '/api/share/requests', funeralBody()],
      ['GET', '/api/share/requests'],
      ['GET', `/api/share/requests/${id}`],
      ['POST', `/api/share/requests/${id}/compliance`, { decision: 'pass' }],
      ['POST', `/api/share/requests/${id}/answer`, { decision: 'refuse', reason: '理由理由理由' }],
      ['POST', `/api/share/requests/${id}/core-approval`, { decision: 'approve' }],
      ['POST', `/api/share/requests/${id}/withdraw`],
      ['POST', `/api/share/requests/${id}/resubmit`, {}],
      ['GET', '/api/share/dashboard'],
      ['GET', '/api/share/settings'],
      ['PUT', '/api/share/settings', { complianceDays: 3 }],
    ];
    for (const [method, url, body] of calls) {
      const r = await citizen.request(method as 'GET', url, body as never);
      expect(r.statusCode, `${method} ${url}`).toBe(403);
    }
  });
});

describe('the full path', () => {
  it('submit → compliance pass → the provider approves 2 of 3 fields → a grant with those 2 fields', async () => {
    const s = await rsj.post('/api/share/requests', funeralBody());
    expect(s.statusCode, s.body).toBe(201);
    const id = s.json().id as string;
    expect(s.json()).toMatchObject({ state: 'compliance', providerLevel: 'city', consumerMemberId: M.RSJ, providerMemberId: M.MZJ, needsPublication: !FUNERAL_SERVABLE });

    // Only the bureau checks compliance; the provider cannot answer before it.
    expect((await mzj.post(`/api/share/requests/${id}/compliance`, { decision: 'pass' })).statusCode).toBe(403);
    expect((await mzj.post(`/api/share/requests/${id}/answer`, { decision: 'approve', fields: ['id_number'] })).statusCode).toBe(409);
    const c = await bureau.post(`/api/share/requests/${id}/compliance`, { decision: 'pass', reason: '用途明确，依据充分' });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json().state).toBe('provider');

    const detail = (await rsj.get(`/api/share/requests/${id}`)).json();
    expect(detail.steps.map((x: { kind: string }) => x.kind)).toEqual(['compliance', 'provider']);
    expect(detail.steps[1]).toMatchObject({ workingDays: FUNERAL_SERVABLE ? 5 : 10, assigneeMemberId: M.MZJ, answeredAt: null });
    expect(detail.steps[0]).toMatchObject({ outcome: 'pass', workingDays: 2 });

    // Another department's staff is not the provider; more fields than asked are refused.
    expect((await gaj.post(`/api/share/requests/${id}/answer`, { decision: 'approve', fields: ['id_number'] })).statusCode).toBe(403);
    const tooMany = await mzj.post(`/api/share/requests/${id}/answer`, { decision: 'approve', fields: ['id_number', 'cremation_date'] });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().errors[0].path).toBe('/body/fields/1');

    const a = await mzj.post(`/api/share/requests/${id}/answer`, { decision: 'approve', fields: ['id_number', 'death_date'], quotaPerDay: 5000 });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ state: 'approved', approvedFields: ['id_number', 'death_date'], answerDays: 0 });
    const grantId = a.json().grantId as string;
    const [g] = await rows<{ fields: string[]; resource_id: string; consumer_subsystem_id: string; request_id: string; quota_per_day: number }>(db(), sql`select * from share_grants where id = ${grantId}::uuid`);
    expect(g).toMatchObject({ fields: ['id_number', 'death_date'], resource_id: FUNERAL, consumer_subsystem_id: PENSION, request_id: id, quota_per_day: 5000 });

    const audit = await rows<{ action: string }>(db(), sql`select action from audit_log where entity_id = ${id} order by seq`);
    expect(audit.map((x) => x.action)).toEqual(['share.request.submit', 'share.request.compliance.pass', 'share.request.answer.approve']);
    // Closed: no further answers or withdrawal.
    expect((await rsj.post(`/api/share/requests/${id}/withdraw`)).statusCode).toBe(409);
  });

  it('asks only for items of the resource', async () => {
    const r = await rsj.post('/api/share/requests', funeralBody({ fields: ['id_number', 'salary'] }));
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0].path).toBe('/body/fields/1');
    const other = await rsj.post('/api/share/requests', funeralBody({ consumerSubsystemId: (await rows<{ id: string }>(db(), sql`select id from share_subsystems where member_id = ${M.MZJ}::uuid limit 1`))[0].id }));
    expect(other.statusCode).toBe(403);
  });

  it('requires a reason to refuse (422 naming /reason) and to return', async () => {
    const id = (await rsj.post('/api/share/requests', funeralBody({ scenario: '医保停保' }))).json().id;
    const ret = await bureau.post(`/api/share/requests/${id}/compliance`, { decision: 'return' });
    expect(ret.statusCode).toBe(422);
    expect(ret.json().errors[0].path).toMatch(/\/reason$/);
    expect((await bureau.post(`/api/share/requests/${id}/compliance`, { decision: 'return', reason: '法律依据不足，请补充' })).json().state).toBe('returned');
    // The consumer resubmits; the bureau passes it; the provider refuses.
    const again = await rsj.post(`/api/share/requests/${id}/resubmit`, { legalBasis: '《社会保险法》第六十五条' });
    expect(again.json()).toMatchObject({ state: 'compliance', legalBasis: '《社会保险法》第六十五条' });
    await bureau.post(`/api/share/requests/${id}/compliance`, { decision: 'pass' });
    const noReason = await mzj.post(`/api/share/requests/${id}/answer`, { decision: 'refuse', reason: '不' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors.map((e: { path: string }) => e.path)).toEqual(['/body/reason']);
    const refused = await mzj.post(`/api/share/requests/${id}/answer`, { decision: 'refuse', reason: '医保停保已通过省平台获取，无需重复共享' });
    expect(refused.json()).toMatchObject({ state: 'refused', decisionReason: '医保停保已通过省平台获取，无需重复共享', grantId: null });
  });

  it('lets only the consumer withdraw', async () => {
    const id = (await rsj.post('/api/share/requests', funeralBody({ scenario: '撤回测试' }))).json().id;
    expect((await mzj.post(`/api/share/requests/${id}/withdraw`)).statusCode).toBe(403);
    expect((await rsj.post(`/api/share/requests/${id}/withdraw`)).json().state).toBe('withdrawn');
    // A department sees its own requests only.
    expect((await gaj.get(`/api/share/requests/${id}`)).statusCode).toBe(404);
    const mine = (await rsj.get('/api/share/requests?box=mine&state=withdrawn&limit=200')).json();
    expect(mine.items.map((x: { id: string }) => x.id)).toContain(id);
    expect((await gaj.get('/api/share/requests?box=mine&state=withdrawn&limit=200')).json().items.map((x: { id: string }) => x.id)).not.toContain(id);
  });
});

describe('demands', () => {
  it('are routed by the bureau and answered with the resource the provider published for them', async () => {
    const d = await rsj.post('/api/share/requests', { kind: 'demand', demandTitle: '火化证明信息', demandDescription: '火化时间与殡仪馆', consumerSubsystemId: PENSION, scenario: '丧葬补助金发放', fields: ['id_number', 'cremation_date'], purpose: '发放丧葬补助金', legalBasis: '《社会保险法》第十七条' });
    expect(d.statusCode, d.body).toBe(201);
    expect(d.json()).toMatchObject({ kind: 'demand', providerMemberId: null, needsPublication: true });
    const id = d.json().id;
    const unrouted = await bureau.post(`/api/share/requests/${id}/compliance`, { decision: 'pass' });
    expect(unrouted.statusCode).toBe(422);
    expect(unrouted.json().errors[0].path).toBe('/body/providerMemberId');
    expect((await bureau.post(`/api/share/requests/${id}/compliance`, { decision: 'pass', providerMemberId: M.MZJ })).json()).toMatchObject({ state: 'provider', currentStep: 'provider', providerMemberId: M.MZJ });
    expect((await rsj.get(`/api/share/requests/${id}`)).json().steps[1].workingDays).toBe(10);
    expect((await mzj.get(`/api/share/requests/${id}`)).json().actions).toEqual(['answer']);
    const noResource = await mzj.post(`/api/share/requests/${id}/answer`, { decision: 'approve', fields: ['id_number', 'cremation_date'] });
    expect(noResource.statusCode).toBe(422);
    expect(noResource.json().errors[0].path).toBe('/body/resourceId');
    const ok = await mzj.post(`/api/share/requests/${id}/answer`, { decision: 'approve', resourceId: FUNERAL, fields: ['id_number', 'cremation_date'] });
    expect(ok.json()).toMatchObject({ state: 'approved', resourceId: FUNERAL, approvedFields: ['id_number', 'cremation_date'] });
    const [g] = await rows<{ fields: string[] }>(db(), sql`select fields from share_grants where id = ${ok.json().grantId}::uuid`);
    expect(g.fields).toEqual(['id_number', 'cremation_date']);
  });
});

describe('core-grade resources', () => {
  it('need the bureau\'s approval after the provider\'s', async () => {
    const s = await rsj.post('/api/share/requests', { kind: 'resource', resourceId: POPULATION, consumerSubsystemId: PENSION, scenario: '养老金资格认证', fields: ['id_number', 'name'], purpose: '核验参保人身份', legalBasis: '《社会保险法》' });
    expect(s.statusCode, s.body).toBe(201);
    const id = s.json().id;
    await bureau.post(`/api/share/requests/${id}/compliance`, { decision: 'pass' });
    const a = await gaj.post(`/api/share/requests/${id}/answer`, { decision: 'approve' });
    expect(a.json()).toMatchObject({ state: 'core_approval', grantId: null, approvedFields: ['id_number', 'name'] });
    expect((await gaj.post(`/api/share/requests/${id}/core-approval`, { decision: 'approve' })).statusCode).toBe(403);
    const review = (await bureau.get('/api/share/requests?box=review&state=core_approval&limit=200')).json();
    expect(review.items.map((x: { id: string }) => x.id)).toContain(id);
    const ok = await bureau.post(`/api/share/requests/${id}/core-approval`, { decision: 'approve', reason: '核心数据，限定字段' });
    expect(ok.json().state).toBe('approved');
    const [g] = await rows<{ fields: string[] }>(db(), sql`select fields from share_grants where id = ${ok.json().grantId}::uuid`);
    expect(g.fields).toEqual(['id_number', 'name']);
  });
});

describe('deadlines and escalation', () => {
  it('counts working days across the National Day holiday and escalates once per level', async () => {
    expect(FUNERAL_SERVABLE).toBe(true); // the data part's demo seed loads the funeral records: the 5-day case
    const rsjA = await actor('rsj_officer');
    const dsjA = await actor('dsj_officer');
    // 2026-09-30 (Wednesday) 10:00 in Shanghai, the day before the 国庆节 holiday (10-01 … 10-07; 10-10 a make-up Saturday).
    const r = await svc.submit(rsjA, { ...funeralBody({ scenario: '国庆期限测试' }), kind: 'resource' } as never, { now: at('2026-09-30T10:00:00+08:00') });
    const demand = await svc.submit(rsjA, { kind: 'demand', demandTitle: '外地户籍人员死亡信息', consumerSubsystemId: PENSION, scenario: '国庆期限测试', fields: ['id_number'], purpose: '核查', legalBasis: '《社会保险法》', providerMemberId: M.MZJ }, { now: at('2026-09-30T10:00:00+08:00') });
    const steps = async (id: string) => (await svc.get(dsjA, id, { now: at('2026-09-30T12:00:00+08:00') })).steps;
    expect((await steps(r.id))[0]).toMatchObject({ kind: 'compliance', dueDate: '2026-10-09' }); // 10-08, 10-09
    await svc.compliance(dsjA, r.id, { decision: 'pass' }, { now: at('2026-09-30T11:00:00+08:00') });
    await svc.compliance(dsjA, demand.id, { decision: 'pass' }, { now: at('2026-09-30T11:00:00+08:00') });
    // A servable resource: 5 working days (10-08, 09, 10 (Saturday, worked), 12, 13); a demand (or a resource without data): 10.
    const due = FUNERAL_SERVABLE ? '2026-10-13' : '2026-10-20';
    expect((await steps(r.id))[1]).toMatchObject({ kind: 'provider', workingDays: FUNERAL_SERVABLE ? 5 : 10, dueDate: due });
    expect((await steps(demand.id))[1]).toMatchObject({ kind: 'provider', workingDays: 10, dueDate: '2026-10-20' });
    expect((await steps(r.id))[1].dueAt).toEqual(at(`${due}T23:59:59.999+08:00`));

    // Escalation targets: the upper level is the province's big-data bureau.
    const bad = await bureau.put('/api/share/settings', { upperMemberId: '00000000-0000-4000-8000-000000000001' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe('/body/upperMemberId');
    expect((await bureau.put('/api/share/settings', { complianceDays: 0 })).statusCode).toBe(400);
    expect((await rsj.put('/api/share/settings', { complianceDays: 3 })).statusCode).toBe(403);
    expect((await bureau.put('/api/share/settings', { upperMemberId: M.SDDSJ })).json()).toMatchObject({ upperMemberId: M.SDDSJ, escalateToBureauAfterDays: 2, escalateToUpperAfterDays: 3 });

    // The demand's provider step (assignee MZJ) is due 2026-10-20.
    const levelOf = async () => (await steps(demand.id))[1];
    const escalations = async () => rows<{ level: number; target: string | null }>(db(), sql`select (data->>'level')::int as level, target_member_id as target from share_request_events where request_id = ${demand.id}::uuid and kind = 'escalated' order by (data->>'level')::int`);
    await svc.escalate({ now: at('2026-10-20T23:00:00+08:00') }); // still on time
    expect((await levelOf()).escalationLevel).toBe(0);
    await svc.escalate({ now: at('2026-10-21T09:00:00+08:00') }); // the due date has passed: a reminder to MZJ
    await svc.escalate({ now: at('2026-10-21T10:00:00+08:00') }); // idempotent
    expect((await levelOf()).escalationLevel).toBe(1);
    expect(await escalations()).toEqual([{ level: 1, target: M.MZJ }]);
    const [{ n: notices }] = await rows<{ n: number }>(db(), sql`select count(*)::int as n from svc_notifications n join users u on u.id = n.user_id where u.username = 'mzj_officer' and n.kind = 'share.request.escalated'`);
    expect(notices).toBeGreaterThanOrEqual(1);
    await svc.escalate({ now: at('2026-10-22T18:00:00+08:00') }); // level 2 from the day after 10-22 (10-20 + 2 working days)
    expect((await levelOf()).escalationLevel).toBe(1);
    await svc.escalate({ now: at('2026-10-23T09:00:00+08:00') });
    await svc.escalate({ now: at('2026-10-23T09:30:00+08:00') });
    expect((await levelOf()).escalationLevel).toBe(2);
    await svc.escalate({ now: at('2026-10-27T18:00:00+08:00') }); // 10-22 + 3 working days = 10-27: not yet
    expect((await levelOf()).escalationLevel).toBe(2);
    await svc.escalate({ now: at('2026-10-28T09:00:00+08:00') });
    await svc.escalate({ now: at('2026-10-29T09:00:00+08:00') });
    expect(await escalations()).toEqual([
      { level: 1, target: M.MZJ },
      { level: 2, target: M.DSJ },
      { level: 3, target: M.SDDSJ },
    ]);
    const detail = (await bureau.get(`/api/share/requests/${demand.id}`)).json();
    expect(detail.steps[1].escalations.map((e: { level: number }) => e.level)).toEqual([1, 2, 3]);
    expect(detail.steps[1].overdue).toBe(true);
    const overdue = (await bureau.get('/api/share/requests?overdue=true&scenario=国庆期限测试&limit=50')).json();
    expect(overdue.items.map((x: { id: string }) => x.id).sort()).toEqual([r.id, demand.id].sort());
    expect(t.app.services.queue.registeredNames()).toContain('share.requests.escalate');
  });
});

describe('upstream providers and the dashboard', () => {
  // Everything here is submitted in 2030 (no holidays entered for 2030: Monday–Friday count), so the
  // dashboard's window ?from=2030-01-01&to=2030-12-31 holds only these requests.
  const W = { from: '2030-01-01', to: '2030-12-31' };
  let upstreamId: string;

  it('has the bureau record an upstream answer, measured like any other', async () => {
    const rsjA = await actor('rsj_officer');
    const dsjA = await actor('dsj_officer');
    const mzjA = await actor('mzj_officer');
    const d = await svc.submit(rsjA, { kind: 'demand', demandTitle: '外市户籍人员殡葬信息', demandDescription: '在青参保、户籍在省内其他城市人员的火化记录', consumerSubsystemId: PENSION, scenario: '养老金停发核查', fields: ['id_number', 'death_date'], purpose: '停发核查', legalBasis: '《社会保险法》' }, { now: at('2030-03-04T09:00:00+08:00') });
    upstreamId = d.id;
    expect(d.providerMemberId).toBeNull();
    await expect(svc.compliance(dsjA, d.id, { decision: 'pass' }, { now: at('2030-03-04T10:00:00+08:00') })).rejects.toMatchObject({ status: 422 });
    const routed = await svc.compliance(dsjA, d.id, { decision: 'pass', providerMemberId: M.SDMZT }, { now: at('2030-03-04T10:00:00+08:00') });
    expect(routed).toMatchObject({ state: 'provider', currentStep: 'upstream', providerLevel: 'province' });
    await expect(svc.answer(mzjA, d.id, { decision: 'refuse', reason: '不是本部门数据' }, { now: at('2030-03-05T10:00:00+08:00') })).rejects.toMatchObject({ status: 403 });
    const missing = await bureau.post(`/api/share/requests/${d.id}/answer`, { decision: 'refuse', reason: '省厅暂不提供外市数据' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0].path).toBe('/body/recordedFrom');
    const r = await svc.answer(dsjA, d.id, { decision: 'refuse', reason: '省厅答复：外市殡葬数据需经省平台申请', recordedFrom: { name: '王科长', organisation: '山东省民政厅社会事务处', answeredAt: '2030-03-08T16:00:00+08:00' } }, { now: at('2030-03-09T09:00:00+08:00') });
    expect(r).toMatchObject({ state: 'refused', answerDays: 4 });
    const detail = await svc.get(dsjA, d.id);
    expect(detail.steps[1]).toMatchObject({ kind: 'upstream', outcome: 'refuse', recordedFrom: { name: '王科长' }, assigneeMemberId: M.SDMZT });
    expect(detail.steps[1].answeredAt).toEqual(at('2030-03-08T16:00:00+08:00'));
  });

  it('computes every figure from the data', async () => {
    const rsjA = await actor('rsj_officer');
    const dsjA = await actor('dsj_officer');
    const mzjA = await actor('mzj_officer');
    const submitAt = at('2030-03-04T09:00:00+08:00'); // Monday
    // Three city answers after 1, 3 and 7 working days.
    for (const [day, decision] of [['2030-03-05', 'refuse'], ['2030-03-07', 'approve'], ['2030-03-13', 'refuse']] as const) {
      const r = await svc.submit(rsjA, { ...funeralBody({ scenario: `看板${day}` }) } as never, { now: submitAt });
      await svc.compliance(dsjA, r.id, { decision: 'pass' }, { now: submitAt });
      await svc.answer(mzjA, r.id, decision === 'refuse' ? { decision, reason: '数据尚未覆盖该区间' } : { decision, fields: ['id_number'] }, { now: at(`${day}T15:00:00+08:00`) });
    }
    // Open: two demands for the same missing data from two scenarios (one waiting for compliance, one for MZJ), one for a servable resource.
    const d1 = await svc.submit(rsjA, { kind: 'demand', demandTitle: '外市户籍人员殡葬信息', consumerSubsystemId: PENSION, scenario: '医保停保', fields: ['id_number'], purpose: '停保', legalBasis: '《社会保险法》', providerMemberId: M.MZJ }, { now: at('2030-04-01T09:00:00+08:00') });
    await svc.submit(rsjA, { kind: 'demand', demandTitle: '外市户籍人员殡葬信息', consumerSubsystemId: PENSION, scenario: '公积金提取', fields: ['id_number'], purpose: '提取', legalBasis: '《住房公积金管理条例》', providerMemberId: M.MZJ }, { now: at('2030-04-01T09:00:00+08:00') });
    await svc.compliance(dsjA, d1.id, { decision: 'pass' }, { now: at('2030-04-01T10:00:00+08:00') }); // provider due 2030-04-15
    const open = await svc.submit(rsjA, funeralBody({ scenario: '看板开放' }) as never, { now: at('2030-04-01T09:00:00+08:00') }); // compliance due 2030-04-03
    if (DRAFT) await svc.submit(rsjA, { kind: 'resource', resourceId: DRAFT.id, consumerSubsystemId: PENSION, scenario: '草稿资源场景', fields: [DRAFT.items[0]], purpose: 'x', legalBasis: 'y' }, { now: at('2030-04-01T09:00:00+08:00') });

    const dash = await svc.dashboard(dsjA, W, { now: at('2030-04-10T12:00:00+08:00') });
    const openN = DRAFT ? 4 : 3;
    expect(dash.open.total).toBe(openN);
    expect(dash.open.byLevel).toEqual(expect.arrayContaining([{ level: 'city', count: openN }]));
    expect(dash.open.byProvider.find((x) => x.provider?.id === M.MZJ)?.count).toBe(3);
    // Answer times: city 1, 3, 7; province 4 (the upstream answer above).
    expect(dash.answerTime).toMatchObject({ n: 4, medianDays: 3.5 });
    expect(dash.answerTime.p90Days).toBeCloseTo(6.1, 5);
    expect(dash.answerTime.byLevel).toEqual([
      { level: 'city', n: 3, medianDays: 3, p90Days: expect.closeTo(6.2, 5), meanDays: 3.67 },
      { level: 'province', n: 1, medianDays: 4, p90Days: 4, meanDays: 4 },
    ]);
    // Overdue on 2030-04-10: the compliance step of `open` (due 04-03) and of the second demand; d1's provider step is due 04-15.
    expect(dash.overdue.total).toBe(DRAFT ? 3 : 2);
    expect(dash.overdue.byStep).toEqual([{ step: 'compliance', count: DRAFT ? 3 : 2 }]);
    expect(open.id).toBeTruthy();
    // Blocked scenarios: the missing 外市殡葬 data holds up two scenarios.
    const blocked = dash.blockedScenarios.find((b) => b.demandTitle === '外市户籍人员殡葬信息')!;
    expect(blocked).toMatchObject({ scenarioCount: 2, requestCount: 2, scenarios: ['公积金提取', '医保停保'], provider: { id: M.MZJ } });
    expect(dash.blockedScenarios[0].scenarioCount).toBe(2);
    // Recent decisions: newest first, the last refusal on 03-13.
    expect(dash.recent[0]).toMatchObject({ decision: 'refused', scenario: '看板2030-03-13', reason: '数据尚未覆盖该区间' });
    expect(dash.recent.map((x) => x.requestId)).toContain(upstreamId);

    // Over HTTP, a department sees its own only: GAJ has nothing in this window, RSJ everything.
    const g = (await gaj.get(`/api/share/dashboard?from=${W.from}&to=${W.to}`)).json();
    expect(g).toMatchObject({ scope: 'own', open: { total: 0 }, answerTime: { n: 0, medianDays: null } });
    const rs = (await rsj.get(`/api/share/dashboard?from=${W.from}&to=${W.to}`)).json();
    expect(rs.answerTime.n).toBe(4);
    expect((await bureau.get('/api/share/dashboard?from=2030-13-01')).statusCode).toBe(400);
  });
});

describe('the demo seed', () => {
  it('has requests in every state, grants for the approved ones, the province overdue, and runs once', async () => {
    // The demo seed ran in the template database: the rows present before any test of this file ran.
    const states = await rows<{ state: string; n: number }>(db(), sql`select state, count(*)::int as n from share_requests where id in (${sql.join(SEEDED.map((id) => sql`${id}::uuid`), sql`, `)}) group by 1`);
    const by = Object.fromEntries(states.map((s) => [s.state, s.n]));
    for (const s of ['compliance', 'provider', 'core_approval', 'approved', 'refused', 'returned', 'withdrawn']) expect(by[s], s).toBeGreaterThan(0);
    const [{ missing }] = await rows<{ missing: number }>(db(), sql`select count(*)::int as missing from share_requests r where r.state = 'approved' and not exists (select 1 from share_grants g where g.id = r.grant_id and g.request_id = r.id)`);
    expect(missing).toBe(0);
    const dash = await svc.dashboard(await actor('dsj_officer'), { to: shanghaiToday() });
    const funeral = dash.blockedScenarios.find((b) => b.demandTitle === '省内其他城市居民殡葬火化信息')!;
    expect(funeral.scenarioCount).toBeGreaterThanOrEqual(15);
    expect(dash.overdue.byProvider.find((p) => p.provider?.id === M.SDMZT)?.count).toBeGreaterThan(5);
    expect(dash.answerTime.byLevel.map((l) => l.level)).toEqual(expect.arrayContaining(['city', 'province']));
    const [{ n: before }] = await rows<{ n: number }>(db(), sql`select count(*)::int as n from share_requests`);
    await seedRequestDemo(t.app.services.share);
    const [{ n: after }] = await rows<{ n: number }>(db(), sql`select count(*)::int as n from share_requests`);
    expect(after).toBe(before);
  });
});

function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}
