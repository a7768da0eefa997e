// The service hall catalogue over HTTP: search quality, browse, owner scoping, versioning, import/export
// and the holiday calendar — on the seeded template (the real items of service-items.csv).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, testApp, type TestApp } from '../../test/app';

let t: TestApp;
let admin: Client;
let gaj: Client;
let citizen: Client;
let anon: Client;

type Hit = { id: string; code: string; name: string; owner: { code: string }; zones: string[]; mode: string; applicantType: string; districtCode: string | null; highlight: { text: string; match: boolean }[] };
const search = async (qs: string) => (await anon.get(`/api/public/svc/search?${qs}`)).json() as { items: Hit[]; total: number; expanded: { term: string }[] };
const q = (text: string, extra = '') => search(`q=${encodeURIComponent(text)}${extra}`);

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  gaj = await t.login('gaj_officer');
  citizen = await t.login('citizen_zhang');
  anon = t.anonymous();
});
afterAll(() => t.close());

describe('search that works for Chinese', () => {
  it('公积金 finds the housing provident fund items first, highlighted', async () => {
    const r = await q('公积金');
    expect(r.total).toBeGreaterThanOrEqual(5);
    for (const h of r.items.slice(0, 5)) expect(h.name).toContain('住房公积金');
    const renter = r.items.find((h) => h.name === '住房公积金提取（租房）')!;
    expect(renter.highlight.filter((s) => s.match).map((s) => s.text).join('')).toContain('公积金');
    expect(renter.highlight.map((s) => s.text).join('')).toBe(renter.name);
  });

  it('社保 finds 社会保险 and 社会保障 items through the synonym table', async () => {
    const r = await q('社保');
    expect(r.expanded.map((e) => e.term)).toContain('社保');
    const top = r.items.slice(0, 3).map((h) => h.name);
    expect(top.every((n) => /社会保险|社会保障/.test(n))).toBe(true);
    expect(r.items.some((h) => h.name === '社会保险参保登记（个人）')).toBe(true);
  });

  it('tolerates one wrong character and partial input', async () => {
    expect((await q('公积全提取')).items[0].name).toMatch(/^住房公积金提取/);
    expect((await q('人才引近落户')).items[0].name).toBe('户口迁移（人才引进落户）');
    expect((await q('住房公')).items[0].name).toContain('住房公积金');
    expect((await q('残')).items.map((h) => h.name)).toContain('残疾人证核发');
    expect((await q('身份证')).items[0].name).toBe('居民身份证换领');
  });

  it('ranks an exact name first', async () => {
    expect((await q('结婚登记')).items[0].name).toBe('结婚登记');
  });

  it('filters by department, district, zone, applicant type and handling mode', async () => {
    const byDept = await search('department=GAJ&limit=50');
    expect(byDept.total).toBe(7);
    expect(byDept.items.every((h) => h.owner.code === 'GAJ')).toBe(true);
    const elders = await search('zone=elders&limit=50');
    expect(elders.items.map((h) => h.name)).toContain('高龄津贴申领');
    expect(elders.items.every((h) => h.zones.includes('elders'))).toBe(true);
    const auto = await search('mode=auto&limit=50');
    expect(auto.items.map((h) => h.name).sort()).toEqual(['人才住房补贴申领', '住房公积金提取（租房）', '户口迁移（人才引进落户）'].sort());
    const ent = await q('登记', '&applicant=enterprise&limit=50');
    expect(ent.items.length).toBeGreaterThan(0);
    expect(ent.items.every((h) => h.applicantType !== 'person')).toBe(true);
    const shinan = await search('district=370202&limit=200');
    expect(shinan.items.map((h) => h.name)).toContain('结婚登记'); // a city counter item the sub-hall handles
    expect((await q('公积金', '&department=GAJ')).total).toBe(0);
  });

  it('answers nothing (not everything) for input with nothing searchable, and pages', async () => {
    expect((await q('％（）')).total).toBe(0);
    const p1 = await search('limit=10&offset=0');
    const p2 = await search('limit=10&offset=10');
    expect(p1.total).toBe(p2.total);
    expect(p1.items.map((h) => h.id)).not.toEqual(p2.items.map((h) => h.id));
  });
});

describe('browse', () => {
  it('lists departments, the ten sub-halls, 37 zones, life events and bundles', async () => {
    const deps = (await anon.get('/api/public/svc/departments')).json().items;
    expect(deps.find((d: { code: string }) => d.code === 'GAJ').items).toBe(7);
    const halls = (await anon.get('/api/public/svc/halls')).json().items;
    expect(halls).toHaveLength(10);
    expect(halls[0].cityItems).toBeGreaterThan(0);
    expect((await anon.get('/api/public/svc/zones')).json().items).toHaveLength(37);
    const events = (await anon.get('/api/public/svc/life-events')).json().items;
    expect(events.find((z: { code: string }) => z.code === 'newborn').bundles[0].name).toBe('新生儿出生一件事');
    const bundles = (await anon.get('/api/public/svc/bundles')).json().items;
    expect(bundles).toHaveLength(7);
    const b = (await anon.get(`/api/public/svc/bundles/${bundles.find((x: { name: string }) => x.name === '企业开办一件事').code}`)).json();
    expect(b.items.map((i: { name: string }) => i.name)).toEqual(['企业设立登记', '单位住房公积金缴存登记', '社会保险参保登记（单位）', '增值税发票领用']);
    expect(b.form.fields.map((f: { key: string }) => f.key)).toContain('creditCode');
  });

  it('shows an item with its rich form, materials and certificate replacements', async () => {
    const hit = (await q('住房公积金提取（租房）')).items[0];
    const item = (await anon.get(`/api/public/svc/items/${hit.code}`)).json();
    expect(item.mode).toBe('auto');
    expect(item.form.fields.length).toBeGreaterThan(12);
    expect(item.materials.find((m: { key: string }) => m.key === 'depositProof').certificateType).toBe('住房公积金缴存证明');
    expect(item.version).toBe(1);
    expect((await anon.get('/api/public/svc/items/NO-SUCH')).statusCode).toBe(404);
    expect((await anon.get('/api/public/svc/certificate-types')).json().items.length).toBe(30);
  });
});

describe('staff: scope, lifecycle, versions', () => {
  let gajOrg: string;
  let rsjItem: Hit;

  beforeAll(async () => {
    gajOrg = (await admin.get('/api/orgs?q=GAJ&kind=department')).json().items.find((o: { code: string }) => o.code === 'GAJ').id;
    rsjItem = (await search('department=RSJ&limit=1')).items[0];
  });

  it('a department officer sees and edits only its department’s items', async () => {
    const mine = (await gaj.get('/api/svc/items?limit=200')).json();
    expect(mine.total).toBe(7);
    expect(mine.items.every((h: Hit) => h.owner.code === 'GAJ')).toBe(true);
    expect((await gaj.get(`/api/svc/items/${rsjItem.id}`)).statusCode).toBe(404);
    expect((await gaj.patch(`/api/svc/items/${rsjItem.id}`, { description: 'x' })).statusCode).toBe(404);
    const rsj = (await admin.get('/api/orgs?q=RSJ&kind=department')).json().items[0];
    const other = await gaj.post('/api/svc/items', { name: '越权事项', ownerOrgId: rsj.id, kind: 'public_service', applicantType: 'person', legalDays: 5, promisedDays: 1, mode: 'online' });
    expect(other.statusCode).toBe(403);
    expect((await citizen.get('/api/svc/items')).statusCode).toBe(403);
  });

  it('draft → published v1 → pending edit (public unchanged) → v2, old version kept; retire', async () => {
    const created = await gaj.post('/api/svc/items', {
      name: '临时身份证明开具',
      ownerOrgId: gajOrg,
      kind: 'public_service',
      applicantType: 'person',
      legalDays: 3,
      promisedDays: 1,
      mode: 'immediate',
      zones: ['household_registration'],
      keywords: ['临时证明'],
      materials: [{ key: 'idCard', name: '居民身份证', required: true, upload: { types: ['jpg'], maxSizeMb: 5 }, certificateType: '居民身份证' }],
      form: { fields: [{ key: 'reason', label: { zh: '事由', en: 'Reason' }, type: 'text', required: true }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const item = created.json();
    expect(item.code).toMatch(/^GAJ-GG-\d{4}$/);
    expect(item.status).toBe('draft');
    expect((await q('临时身份证明')).items.some((h) => h.id === item.id)).toBe(false); // drafts are not public

    const v1 = await gaj.post(`/api/svc/items/${item.id}/publish`);
    expect(v1.statusCode, v1.body).toBe(200);
    expect(v1.json().version).toBe(1);
    expect((await q('临时身份证明')).items[0].id).toBe(item.id);
    expect((await gaj.post(`/api/svc/items/${item.id}/publish`)).statusCode).toBe(409);

    const edited = await gaj.patch(`/api/svc/items/${item.id}`, { name: '临时身份证明出具', promisedDays: 2 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().pending).toEqual({ name: '临时身份证明出具', promisedDays: 2 });
    expect((await anon.get(`/api/public/svc/items/${item.code}`)).json().name).toBe('临时身份证明开具');

    const v2 = (await gaj.post(`/api/svc/items/${item.id}/publish`)).json();
    expect(v2.version).toBe(2);
    expect(v2.name).toBe('临时身份证明出具');
    expect((await gaj.get(`/api/svc/items/${item.id}/versions/1`)).json().name).toBe('临时身份证明开具');
    expect((await gaj.get(`/api/svc/items/${item.id}/versions/2`)).json().promisedDays).toBe(2);
    expect((await gaj.get(`/api/svc/items/${item.id}`)).json().versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);

    expect((await gaj.delete(`/api/svc/items/${item.id}`)).statusCode).toBe(409);
    const retired = await gaj.post(`/api/svc/items/${item.id}/retire`, { reason: '事项调整' });
    expect(retired.json().status).toBe('retired');
    expect((await anon.get(`/api/public/svc/items/${item.code}`)).statusCode).toBe(404);
    const audit = (await admin.get(`/api/audit?entityId=${item.id}&limit=20`)).json();
    if (Array.isArray(audit.items)) expect(audit.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['svc.item.create', 'svc.item.publish', 'svc.item.retire']));
  });

  it('refuses invalid definitions with field paths', async () => {
    const r = await gaj.post('/api/svc/items', {
      name: '坏事项',
      ownerOrgId: gajOrg,
      kind: 'licence',
      applicantType: 'person',
      legalDays: 1,
      promisedDays: 5,
      mode: 'counter',
      zones: ['nowhere'],
      materials: [{ key: 'x', name: '证', required: true, upload: null, certificateType: '不存在的证照' }],
      form: { fields: [{ key: 'a', label: { zh: 'A', en: 'A' }, type: 'select' }] },
    });
    expect(r.statusCode).toBe(400);
    const paths = r.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/body/promisedDays', '/body/zones/0', '/body/materials/0/certificateType', '/body/form/fields/0/validation/options']));
    const draft = (await gaj.post('/api/svc/items', { name: '可删除草稿', ownerOrgId: gajOrg, kind: 'licence', applicantType: 'person', legalDays: 5, promisedDays: 5, mode: 'counter' })).json();
    expect((await gaj.delete(`/api/svc/items/${draft.id}`)).statusCode).toBe(204);
  });
});

describe('import and export', () => {
  const header = 'code,name,owner,kind,applicant,legalDays,promisedDays,mode,zones,keywords,form';
  const csv = (lines: string[]) => [header, ...lines].join('\n');
  const upload = (c: Client, body: string | Buffer, qs: string, type = 'text/csv') =>
    t.inject({ method: 'POST', url: `/api/svc/import?${qs}`, payload: body, headers: { 'content-type': type, 'x-csrf-token': c.csrf! }, cookies: { dq_session: c.session! } });

  const lines = [
    ',导入测试事项甲,GAJ,公共服务,自然人,5,1,全程网办,户籍办理,测试;导入,',
    ',导入测试事项乙,GAJ,不存在的类型,自然人,5,1,全程网办,,,',
    ',导入测试事项丙,NOPE,公共服务,自然人,5,1,全程网办,,,',
    ',导入测试事项丁,GAJ,公共服务,自然人,5,9,窗口,,,"{""fields"":[{""key"":""a"",""label"":{""zh"":""A"",""en"":""A""},""type"":""nope""}]}"',
    ',导入测试事项戊,RSJ,公共服务,自然人,5,1,全程网办,,,',
    ',导入测试事项己,GAJ,行政许可,法人,x,1,秒批,无此专区,,',
  ];

  it('all-or-nothing: any bad row and nothing is written; every bad row reported', async () => {
    const r = await upload(gaj, csv(lines), 'mode=all');
    expect(r.statusCode, r.body).toBe(422);
    const rep = r.json();
    expect(rep.written).toBe(false);
    expect(rep.rows).toBe(6);
    const by = (row: number) => rep.rejected.filter((p: { row: number }) => p.row === row).map((p: { field: string }) => p.field);
    expect(by(2)).toEqual([]);
    expect(by(3)).toContain('kind');
    expect(by(4)).toContain('owner');
    expect(by(5)).toEqual(expect.arrayContaining(['promisedDays', 'form']));
    expect(by(6)).toContain('owner'); // RSJ is outside a GAJ officer's scope
    expect(by(7)).toEqual(expect.arrayContaining(['legalDays', 'zones']));
    expect((await q('导入测试事项甲')).total).toBe(0);
    expect((await gaj.get('/api/svc/items?q=' + encodeURIComponent('导入测试事项甲'))).json().total).toBe(0);
  });

  it('valid rows: the good rows are written in one transaction, the bad ones reported', async () => {
    const r = await upload(gaj, csv(lines), 'mode=valid');
    expect(r.statusCode, r.body).toBe(200);
    const rep = r.json();
    expect(rep).toMatchObject({ written: true, created: 1, accepted: 1 });
    expect(rep.rejected.length).toBeGreaterThanOrEqual(5);
    const mine = (await gaj.get('/api/svc/items?q=' + encodeURIComponent('导入测试事项甲'))).json();
    expect(mine.items[0]).toMatchObject({ name: '导入测试事项甲', status: 'draft' });
    // Importing the same row again updates, it does not duplicate.
    const again = (await upload(gaj, csv([lines[0].replace(',5,1,', ',6,1,')]), 'mode=all')).json();
    expect(again).toMatchObject({ created: 0, updated: 1, written: true });
  });

  it('refuses other content types, bad headers and malformed CSV with 4xx', async () => {
    expect((await upload(gaj, '{}', '', 'application/json')).statusCode).toBe(415);
    const badHeader = await upload(gaj, 'foo,bar\n1,2', '');
    expect(badHeader.statusCode).toBe(422);
    expect(badHeader.json().errors.map((e: { path: string }) => e.path)).toContain('/row/1/foo');
    expect((await upload(gaj, `${header}\n"unterminated,GAJ`, '')).statusCode).toBe(422);
    expect((await upload(gaj, Buffer.from('not a zip'), '', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).statusCode).toBe(422);
    expect((await upload(citizen, csv(lines), '')).statusCode).toBe(403);
  });

  it('exports CSV and Excel in scope, and an exported workbook imports back cleanly', async () => {
    const c = await gaj.get('/api/svc/export?format=csv');
    expect(c.statusCode).toBe(200);
    expect(c.headers['content-type']).toMatch(/text\/csv/);
    const rows = c.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toContain('事项编码');
    expect(rows.slice(1).every((l) => l.split(',')[2] === 'GAJ')).toBe(true);
    expect(rows.length).toBeGreaterThan(7);
    const x = await gaj.get('/api/svc/export?format=xlsx&status=published');
    expect(x.statusCode).toBe(200);
    const buf = x.rawPayload;
    expect(buf.subarray(0, 2).toString()).toBe('PK');
    const back = await upload(gaj, buf, 'dryRun=true', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ dryRun: true, written: false, rejected: [] });
    expect(back.json().rows).toBeGreaterThanOrEqual(7);
  });
});

describe('holiday calendar', () => {
  it('publishes the 2026 schedule and computes deadlines', async () => {
    const y = (await anon.get('/api/public/calendar?year=2026')).json();
    expect(y.items.find((d: { date: string }) => d.date === '2026-02-17')).toMatchObject({ kind: 'holiday', name: '春节' });
    expect(y.items.find((d: { date: string }) => d.date === '2026-02-28')).toMatchObject({ kind: 'workday' });
    expect((await anon.get('/api/public/calendar/deadline?from=2026-09-30&days=1')).json().due).toBe('2026-10-08');
  });

  it('lets a calendar manager add, change and remove dates (audited), and the cache follows', async () => {
    expect((await anon.get('/api/public/calendar/deadline?from=2026-12-31&days=1')).json().due).toBe('2027-01-01');
    const put = await admin.put('/api/calendar/days', { date: '2027-01-01', kind: 'holiday', name: '元旦' });
    expect(put.statusCode, put.body).toBe(201);
    expect((await admin.put('/api/calendar/days', { date: '2027-01-01', kind: 'holiday', name: '元旦节' })).statusCode).toBe(200);
    expect((await anon.get('/api/public/calendar/deadline?from=2026-12-31&days=1')).json().due).toBe('2027-01-04');
    expect((await citizen.put('/api/calendar/days', { date: '2027-01-02', kind: 'holiday', name: 'x' })).statusCode).toBe(403);
    expect((await gaj.put('/api/calendar/days', { date: '2027-01-02', kind: 'holiday', name: 'x' })).statusCode).toBe(403);
    expect((await admin.put('/api/calendar/days', { date: '2027-02-30', kind: 'holiday', name: 'x' })).statusCode).toBe(400);
    expect((await admin.delete('/api/calendar/days/2027-01-01')).statusCode).toBe(204);
    expect((await admin.delete('/api/calendar/days/2027-01-01')).statusCode).toBe(404);
    expect((await anon.get('/api/public/calendar/deadline?from=2026-12-31&days=1')).json().due).toBe('2027-01-01');
  });
});
