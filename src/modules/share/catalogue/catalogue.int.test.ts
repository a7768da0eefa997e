// The catalogue and the directory over HTTP: the seeded directory with X-Road ids, who may manage what,
// publish validation, versioning (the published version stays until the new draft is published), Chinese
// search by phrase and by item label, visibility of drafts, paging, facets and input validation.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../platform/db/client';
import { type Client, testApp, type TestApp } from '../../../test/app';
import { DEMO_RESOURCE_CODES } from './catalogue.seed';

let t: TestApp;
let bureau: Client;
let mzj: Client;
let rsj: Client;
let gaj: Client;
let citizen: Client;
const ids: Record<string, string> = {};
const M: Record<string, string> = {};

const db = () => t.app.services.database.db;

beforeAll(async () => {
  t = await testApp();
  [bureau, mzj, rsj, gaj, citizen] = await Promise.all(['dsj_officer', 'mzj_officer', 'rsj_officer', 'gaj_officer', 'citizen_zhang'].map((u) => t.login(u)));
  for (const r of await rows<{ id: string; code: string }>(db(), sql`select id, code from share_resources`)) ids[r.code] = r.id;
  for (const r of await rows<{ id: string; code: string }>(db(), sql`select id, code from share_members`)) M[r.code] = r.id;
});
afterAll(() => t?.close());

const draftBody = (over: Record<string, unknown> = {}) => ({
  name: '困难群众救助对象信息',
  summary: '测试用资源',
  category: 'departmental',
  classification: '部门信息资源/民政/社会救助',
  format: 'table',
  items: [
    { name: 'id_number', label: '公民身份号码', type: 'string', key: true, personal: 'id_number' },
    { name: 'name', label: '姓名', type: 'string', personal: 'name' },
    { name: 'relief_type', label: '救助类别', type: 'string', required: true },
    { name: 'updated_at', label: '更新时间', type: 'datetime', change: true },
  ],
  sharingType: 'conditional',
  sharingCondition: '仅向社会救助相关部门共享',
  sharingMethod: 'interface',
  openingType: 'none',
  updateCycle: 'monthly',
  grade: 'important',
  ...over,
});

describe('directory', () => {
  it('has a member per department and district, the external upstream providers, and X-Road ids', async () => {
    const ext = await bureau.get('/api/share/members?external=true&limit=50');
    expect(ext.statusCode).toBe(200);
    const codes = ext.json().items.map((m: { xroadId: string }) => m.xroadId).sort();
    expect(codes).toEqual(['CN-370000/GOV/SDDSJ', 'CN-370000/GOV/SDMZT', 'CN/GOV/MCA', 'CN/GOV/MPS']);
    const national = await rsj.get('/api/share/members?level=national');
    expect(national.json().items.every((m: { level: string; external: boolean }) => m.level === 'national' && m.external)).toBe(true);
    const district = await rsj.get('/api/share/members?level=district&limit=200');
    expect(district.json().items.map((m: { code: string }) => m.code)).toEqual(expect.arrayContaining(['370202', '370202-DSJ']));
    const listed = (await rsj.get('/api/share/members?q=MZJ')).json().items;
    expect(listed).toEqual([expect.objectContaining({ code: 'MZJ', subsystems: 2 })]);
    const mzjMember = await rsj.get(`/api/share/members/${M.MZJ}`);
    expect(mzjMember.statusCode).toBe(200);
    expect(mzjMember.json()).toMatchObject({ xroadId: 'CN-370200/GOV/MZJ', level: 'city', external: false, canManage: false });
    expect(mzjMember.json().subsystems.map((s: { xroadId: string }) => s.xroadId)).toContain('CN-370200/GOV/MZJ/funeral-registry');
    const funeral = await rsj.get(`/api/share/resources/${ids[DEMO_RESOURCE_CODES.funeral]}`);
    expect(funeral.json().xroadServiceId).toBe(`CN-370200/GOV/MZJ/funeral-registry/${DEMO_RESOURCE_CODES.funeral}`);
  });

  it('lets the bureau register an external member once; departments cannot', async () => {
    const body = { instance: 'CN-370000', class: 'GOV', code: 'SDRST', name: '山东省人力资源和社会保障厅', level: 'province' };
    expect((await mzj.post('/api/share/members', body)).statusCode).toBe(403);
    const r = await bureau.post('/api/share/members', body);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ external: true, orgId: null, xroadId: 'CN-370000/GOV/SDRST' });
    expect((await bureau.post('/api/share/members', body)).statusCode).toBe(409);
    const sub = await bureau.post('/api/share/subsystems', { memberId: r.json().id, code: 'social-security-province', name: '省社保系统' });
    expect(sub.statusCode).toBe(201);
    expect(sub.json().xroadId).toBe('CN-370000/GOV/SDRST/social-security-province');
    const audit = await rows<{ n: number }>(db(), sql`select count(*)::int as n from audit_log where action in ('share.member.create', 'share.subsystem.create') and entity_id in (${r.json().id}, ${sub.json().id})`);
    expect(audit[0].n).toBe(2);
  });

  it('lets a department register subsystems of its own member only, with kebab-case codes', async () => {
    expect((await rsj.post('/api/share/subsystems', { memberId: M.RSJ, code: 'employment-check', name: '就业核验' })).statusCode).toBe(201);
    expect((await rsj.post('/api/share/subsystems', { memberId: M.MZJ, code: 'sneaky', name: 'x' })).statusCode).toBe(403);
    const bad = await rsj.post('/api/share/subsystems', { memberId: M.RSJ, code: 'Bad_Code', name: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().errors)).toContain('code');
  });
});

describe('resources', () => {
  it('refuses a citizen on every catalogue route (403)', async () => {
    const id = ids[DEMO_RESOURCE_CODES.funeral];
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/share/members'],
      ['POST', '/api/share/members', { instance: 'CN', class: 'GOV', code: 'XX', name: 'x', level: 'national' }],
      ['GET', `/api/share/members/${M.MZJ}`],
      ['GET', '/api/share/subsystems'],
      ['POST', '/api/share/subsystems', { memberId: M.MZJ, code: 'x-y', name: 'x' }],
      ['GET', '/api/share/resources'],
      ['GET', '/api/share/resources/facets'],
      ['GET', `/api/share/resources/${id}`],
      ['GET', `/api/share/resources/${id}/versions`],
      ['POST', '/api/share/resources', draftBody()],
      ['PATCH', `/api/share/resources/${id}`, { name: 'x' }],
      ['POST', `/api/share/resources/${id}/publish`],
      ['POST', `/api/share/resources/${id}/retire`, {}],
    ];
    for (const [method, url, body] of calls) {
      const r = await citizen.request(method as 'GET', url, body as never);
      expect(r.statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it('does not let a provider edit, publish or retire another department\'s resource', async () => {
    const id = ids[DEMO_RESOURCE_CODES.funeral];
    expect((await rsj.patch(`/api/share/resources/${id}`, { name: '篡改' })).statusCode).toBe(403);
    expect((await rsj.post(`/api/share/resources/${id}/retire`, {})).statusCode).toBe(403);
    expect((await rsj.post('/api/share/resources', draftBody({ providerMemberId: M.MZJ }))).statusCode).toBe(403);
    const r = await rsj.get(`/api/share/resources/${id}`);
    expect(r.json()).toMatchObject({ name: '殡葬/死亡火化信息', state: 'published', canManage: false });
  });

  it('refuses to publish a conditional resource without a legal basis (422 naming /legalBasis)', async () => {
    const c = await mzj.post('/api/share/resources', draftBody());
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json()).toMatchObject({ state: 'draft', version: 1, providerMemberId: M.MZJ });
    expect(c.json().code).toMatch(/^370200-MZJ-\d{5}$/);
    const p = await mzj.post(`/api/share/resources/${c.json().id}/publish`);
    expect(p.statusCode).toBe(422);
    expect(p.json().errors.map((e: { path: string }) => e.path)).toEqual(['/legalBasis']);
    // Bad items are named too.
    await mzj.patch(`/api/share/resources/${c.json().id}`, { legalBasis: '《社会救助暂行办法》', items: [{ name: 'Bad Name', label: 'x', type: 'string' }, { name: 'a', label: 'a', type: 'string' }, { name: 'a', label: 'b', type: 'string' }] });
    const p2 = await mzj.post(`/api/share/resources/${c.json().id}/publish`);
    expect(p2.statusCode).toBe(422);
    expect(p2.json().errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['/items/0/name', '/items/2/name', '/items']));
    await mzj.patch(`/api/share/resources/${c.json().id}`, { items: draftBody().items });
    const ok = await mzj.post(`/api/share/resources/${c.json().id}/publish`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'published', version: 1 });
    expect(ok.json().publishDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('versions: editing a published resource opens v2 as a draft; v1 stays published until v2 is published', async () => {
    const c = await mzj.post('/api/share/resources', draftBody({ name: '临时救助信息', legalBasis: '《社会救助暂行办法》第四十七条' }));
    const id = c.json().id;
    expect((await mzj.post(`/api/share/resources/${id}/publish`)).statusCode).toBe(200);
    const e = await mzj.patch(`/api/share/resources/${id}`, { name: '临时救助对象信息', items: [...draftBody().items, { name: 'amount', label: '救助金额', type: 'decimal' }], note: '增加救助金额' });
    expect(e.statusCode).toBe(200);
    expect(e.json()).toMatchObject({ name: '临时救助信息', version: 1, draftVersion: 2, state: 'published' });
    expect(e.json().draft).toMatchObject({ version: 2, name: '临时救助对象信息', note: '增加救助金额' });
    // Others (and the data store, the gateway) still see v1.
    const other = await rsj.get(`/api/share/resources/${id}`);
    expect(other.json()).toMatchObject({ name: '临时救助信息', version: 1, draft: null });
    expect((await t.app.services.share.catalogue.shape(id))!.items.map((i) => i.name)).not.toContain('amount');
    const hist = await rsj.get(`/api/share/resources/${id}/versions`);
    expect(hist.json().items.map((v: { version: number; state: string }) => [v.version, v.state])).toEqual([[1, 'published']]);
    // A second edit updates the same pending draft.
    expect((await mzj.patch(`/api/share/resources/${id}`, { summary: '再次修改' })).json().draftVersion).toBe(2);
    const pub = await mzj.post(`/api/share/resources/${id}/publish`);
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({ name: '临时救助对象信息', version: 2, draftVersion: null, summary: '再次修改' });
    expect((await t.app.services.share.catalogue.shape(id))!.items.map((i) => i.name)).toContain('amount');
    const hist2 = await mzj.get(`/api/share/resources/${id}/versions`);
    expect(hist2.json().items.map((v: { version: number; state: string }) => [v.version, v.state])).toEqual([[2, 'published'], [1, 'superseded']]);
    expect((await mzj.post(`/api/share/resources/${id}/publish`)).statusCode).toBe(409);
    // Retire: gone from the catalogue for other departments, shape null, no more edits.
    expect((await mzj.post(`/api/share/resources/${id}/retire`, { reason: '并入低保信息' })).json().state).toBe('retired');
    expect((await rsj.get(`/api/share/resources/${id}`)).statusCode).toBe(404);
    expect(await t.app.services.share.catalogue.shape(id)).toBeNull();
    expect((await mzj.patch(`/api/share/resources/${id}`, { name: 'x' })).statusCode).toBe(409);
    const audit = await rows<{ action: string }>(db(), sql`select action from audit_log where entity_id = ${id} order by seq`);
    expect(audit.map((a) => a.action)).toEqual(['share.resource.create', 'share.resource.publish', 'share.resource.edit', 'share.resource.edit', 'share.resource.publish', 'share.resource.retire']);
  });

  it('finds resources by a Chinese phrase, by an item label and by code', async () => {
    const codesOf = async (q: string) => (await rsj.get(`/api/share/resources?q=${encodeURIComponent(q)}&limit=200`)).json().items.map((r: { code: string }) => r.code);
    expect(await codesOf('死亡火化')).toContain(DEMO_RESOURCE_CODES.funeral);
    expect(await codesOf('人口基本信息')).toEqual(expect.arrayContaining([DEMO_RESOURCE_CODES.population]));
    expect(await codesOf('人口基本信息')).not.toContain(DEMO_RESOURCE_CODES.funeral);
    // "逝者公民身份号码" is an item label of the funeral records only (and of the ministry's copy).
    const byLabel = await codesOf('逝者公民身份号码');
    expect(byLabel).toContain(DEMO_RESOURCE_CODES.funeral);
    expect(byLabel).not.toContain(DEMO_RESOURCE_CODES.population);
    expect(await codesOf('缴费基数')).toEqual([DEMO_RESOURCE_CODES.socialInsurance]);
    expect(await codesOf(DEMO_RESOURCE_CODES.legalPerson.toLowerCase())).toEqual([DEMO_RESOURCE_CODES.legalPerson]);
    expect(await codesOf('完全不存在的词语')).toEqual([]);
  });

  it('shows drafts and retired resources only to their managers and the bureau', async () => {
    const draft = ids['370200-GAJ-00005'];
    expect((await rsj.get(`/api/share/resources/${draft}`)).statusCode).toBe(404);
    expect((await gaj.get(`/api/share/resources/${draft}`)).json()).toMatchObject({ state: 'draft', canManage: true });
    expect((await bureau.get(`/api/share/resources/${draft}`)).json()).toMatchObject({ state: 'draft', canManage: true });
    const rsjDrafts = (await rsj.get('/api/share/resources?state=draft&limit=200')).json().items.map((r: { providerMemberId: string }) => r.providerMemberId);
    expect(rsjDrafts.length).toBeGreaterThan(0);
    expect(rsjDrafts.every((p: string) => p === M.RSJ)).toBe(true);
    const allDrafts = (await bureau.get('/api/share/resources?state=draft&limit=200')).json();
    expect(allDrafts.items.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(['370200-GAJ-00005', '370200-RSJ-00005']));
    expect((await rsj.get('/api/share/resources?state=retired')).json().total).toBe(0);
    expect((await bureau.get('/api/share/resources?state=retired')).json().total).toBeGreaterThan(0);
  });

  it('pages, filters and counts facets', async () => {
    const all = (await rsj.get('/api/share/resources?state=published&limit=200')).json();
    expect(all.total).toBeGreaterThanOrEqual(40);
    const p1 = (await rsj.get('/api/share/resources?state=published&limit=10&offset=0')).json();
    const p2 = (await rsj.get('/api/share/resources?state=published&limit=10&offset=10')).json();
    expect(p1.items).toHaveLength(10);
    expect(p1.total).toBe(all.total);
    expect(p2.items[0].code).toBe(all.items[10].code);
    const basic = (await rsj.get('/api/share/resources?category=basic&basicKind=population&limit=200')).json();
    expect(basic.items.length).toBeGreaterThan(1);
    expect(basic.items.every((r: { category: string; basicKind: string }) => r.category === 'basic' && r.basicKind === 'population')).toBe(true);
    const core = (await rsj.get(`/api/share/resources?grade=core&providerMemberId=${M.GAJ}`)).json();
    expect(core.items.map((r: { code: string }) => r.code)).toEqual([DEMO_RESOURCE_CODES.population]);
    const f = (await rsj.get('/api/share/resources/facets?grade=core')).json();
    const sum = (xs: { count: number }[]) => xs.reduce((n, x) => n + x.count, 0);
    // The grade facet ignores its own filter; the others are narrowed by it.
    const visible = (await rsj.get('/api/share/resources?limit=1')).json().total;
    expect(visible).toBeGreaterThan(all.total); // its own draft
    expect(sum(f.grade)).toBe(visible);
    expect(sum(f.category)).toBe(f.grade.find((g: { value: string }) => g.value === 'core').count);
    expect(f.provider.find((p: { code: string }) => p.code === 'GAJ')).toMatchObject({ name: '市公安局' });
  });

  it('rejects bad input with 400 naming the fields', async () => {
    const bad = await mzj.post('/api/share/resources', draftBody({ grade: 'top', items: [{ name: 'x', label: 'x', type: 'blob' }] }));
    expect(bad.statusCode).toBe(400);
    const paths = JSON.stringify(bad.json().errors);
    expect(paths).toMatch(/grade|type/);
    const unknown = await mzj.post('/api/share/resources', { ...draftBody(), colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    expect((await rsj.get('/api/share/resources?limit=1000')).statusCode).toBe(400);
    expect((await rsj.get('/api/share/resources?sharingType=sometimes')).statusCode).toBe(400);
    expect((await rsj.get('/api/share/resources/not-a-uuid')).statusCode).toBe(400);
    expect((await mzj.patch(`/api/share/resources/${ids[DEMO_RESOURCE_CODES.funeral]}`, {})).statusCode).toBe(400);
  });
});
