// Datasets end to end over HTTP: the demo loads (rejected rows and quality), push batches (rejected whole,
// upsert by key, idempotent replay), an uploaded CSV through the durable job with progress and the
// rejected-rows report, pull connectors (HTTP JSON with a local server; PostgreSQL when a server is at
// hand), quality scores after a bad load, the objection loop to corrected, the reader's column checks,
// and who may do what.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, testApp, type TestApp } from '../../../test/app';
import { multipartBody } from '../../../test/multipart';
import { DEMO_RESOURCE_CODES } from '../catalogue';
import { populationRows, type Row } from './generator';

let t: TestApp;
let gaj: Client;
let mzj: Client;
let rsj: Client;
let bureau: Client;
let citizen: Client;
const R: Record<keyof typeof DEMO_RESOURCE_CODES, string> = { population: '', legalPerson: '', funeral: '', socialInsurance: '' };

const dataset = async (id: string) => (await bureau.get(`/api/share/resources/${id}/dataset`)).json();
/** The i-th person of a generator run of its own (never among the demo rows). */
const person = (i: number): Row => {
  let last: Row | null = null;
  for (const r of populationRows(i + 1, 777)) last = r;
  return { ...last! };
};

beforeAll(async () => {
  t = await testApp();
  [gaj, mzj, rsj, bureau, citizen] = await Promise.all(['gaj_officer', 'mzj_officer', 'rsj_officer', 'dsj_officer', 'citizen_zhang'].map((u) => t.login(u)));
  for (const [k, code] of Object.entries(DEMO_RESOURCE_CODES)) R[k as keyof typeof R] = (await t.app.services.share.catalogue.byCode(code))!.id;
});
afterAll(() => t?.close());

describe('demo datasets', () => {
  it('hold the demo rows, with the planted problems rejected and visible in the loads', async () => {
    const pop = await dataset(R.population);
    expect(pop.rowCount).toBe(1998); // 1,900 + 100 − a wrong check digit − a missing name
    expect(pop.columns.map((c: { name: string }) => c.name)).toContain('id_number');
    expect((await dataset(R.legalPerson)).rowCount).toBe(300);
    expect((await dataset(R.socialInsurance)).rowCount).toBe(3000);
    const fun = await dataset(R.funeral);
    expect(fun.rowCount).toBe(148); // 150 − a death before birth − a duplicate record number
    expect(fun.quality.score).toBeLessThan(100);
    expect(fun.quality.dimensions.accuracy).toBeLessThan(100);
    const loads = (await gaj.get(`/api/share/loads?resourceId=${R.population}`)).json();
    const second = loads.items.find((l: { batchId: string }) => l.batchId === 'demo-population-2');
    expect(second).toMatchObject({ state: 'succeeded', rowsRead: 100, rowsRejected: 2, rowsInserted: 98 });
    const rej = (await gaj.get(`/api/share/loads/${second.id}/rejected`)).json();
    expect(rej.total).toBe(2);
    const rules = rej.items.flatMap((r: { problems: { rule: string; column: string }[] }) => r.problems.map((p) => `${p.rule}:${p.column}`)).sort();
    expect(rules).toEqual(['id_number:id_number', 'not_null:name']);
    const funLoads = (await mzj.get(`/api/share/loads?resourceId=${R.funeral}`)).json();
    const f2 = funLoads.items.find((l: { batchId: string }) => l.batchId === 'demo-funeral-1');
    const frej = (await mzj.get(`/api/share/loads/${f2.id}/rejected`)).json();
    expect(frej.items.flatMap((r: { problems: { rule: string }[] }) => r.problems.map((p) => p.rule)).sort()).toEqual(['range', 'unique']);
  });
});

describe('push batches', () => {
  it('a batch over the threshold is rejected whole, every bad row reported, the dataset unchanged', async () => {
    const before = await dataset(R.population);
    const good = person(5000);
    const badDigit = person(5001);
    badDigit.id_number = badDigit.id_number!.slice(0, 17) + (badDigit.id_number![17] === '1' ? '2' : '1');
    const noName = { ...person(5002), name: null };
    const badDate = { ...person(5003), birth_date: '2026-02-30' };
    const r = await gaj.post(`/api/share/resources/${R.population}/batches`, { batchId: 'reject-1', mode: 'incremental', rows: [good, badDigit, noName, badDate] });
    expect(r.statusCode, r.body).toBe(422);
    const body = r.json();
    expect(body.load.state).toBe('rejected');
    expect(body.rejected.map((x: { rowNumber: number }) => x.rowNumber)).toEqual([2, 3, 4]);
    expect(body.rejected[2].problems[0]).toMatchObject({ column: 'birth_date', rule: 'type' });
    const after = await dataset(R.population);
    expect(after.rowCount).toBe(before.rowCount);
    const probe = await t.app.services.share.data.lookup(R.population, { id_number: good.id_number! }, ['name'], []);
    expect(probe).toBeNull();
  });

  it('incremental upserts by key; the same batchId again returns the first result without loading twice', async () => {
    const before = (await dataset(R.population)).rowCount;
    const fresh = person(6000);
    const [existing] = (await t.app.services.share.data.query(R.population, { fields: ['id_number', 'name', 'gender', 'district_code', 'updated_at'], filter: [], where: {}, limit: 1, offset: 0 })).items;
    const changed = { ...existing, name: '更名测试' };
    const first = await gaj.post(`/api/share/resources/${R.population}/batches`, { batchId: 'upsert-1', mode: 'incremental', rows: [fresh, changed] });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().load).toMatchObject({ state: 'succeeded', rowsInserted: 1, rowsUpdated: 1, rowsRejected: 0 });
    expect((await dataset(R.population)).rowCount).toBe(before + 1);
    const rec = await t.app.services.share.data.lookup(R.population, { id_number: String(existing.id_number) }, ['name', 'gender'], []);
    expect(rec).toEqual({ name: '更名测试', gender: existing.gender });
    const again = await gaj.post(`/api/share/resources/${R.population}/batches`, { batchId: 'upsert-1', mode: 'incremental', rows: [person(6001)] });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true, load: { id: first.json().load.id, rowsInserted: 1 } });
    expect((await dataset(R.population)).rowCount).toBe(before + 1);
  });

  it('only the provider (or the bureau) loads; a citizen gets 403 everywhere', async () => {
    expect((await rsj.post(`/api/share/resources/${R.population}/batches`, { batchId: 'x', mode: 'incremental', rows: [] })).statusCode).toBe(403);
    expect((await mzj.post(`/api/share/resources/${R.population}/batches`, { batchId: 'x', mode: 'incremental', rows: [] })).statusCode).toBe(403);
    const loads = (await mzj.get(`/api/share/loads?resourceId=${R.population}`)).json();
    expect(loads.total).toBe(0);
    for (const [m, u] of [
      ['GET', `/api/share/resources/${R.population}/dataset`],
      ['GET', `/api/share/resources/${R.population}/records`],
      ['POST', `/api/share/resources/${R.population}/batches`],
      ['GET', '/api/share/loads'],
      ['GET', `/api/share/resources/${R.population}/connectors`],
      ['GET', `/api/share/resources/${R.population}/quality-rules`],
      ['GET', '/api/share/quality'],
      ['POST', `/api/share/resources/${R.population}/objections`],
      ['GET', '/api/share/objections'],
    ] as const) {
      const body = m === 'POST' ? (u.endsWith('batches') ? { batchId: 'c', mode: 'full', rows: [] } : { recordKey: 'x', column: 'name', description: 'x' }) : undefined;
      const r = await citizen.request(m, u, body);
      expect(r.statusCode, `${m} ${u}`).toBe(403);
    }
  });
});

describe('upload', () => {
  it('a CSV goes through the durable job: progress, rows upserted, bad rows in the report and the CSV', async () => {
    const rows = [person(7000), person(7001), { ...person(7002), gender: '未知' }];
    const cols = ['id_number', 'name', 'gender', 'birth_date', 'ethnicity', 'district_code', 'address', 'phone', 'updated_at'];
    // Headers may be the Chinese labels.
    const csv = ['公民身份号码,姓名,性别,出生日期,民族,行政区划代码,住址,联系电话,更新时间', ...rows.map((r) => cols.map((c) => (r as Record<string, unknown>)[c] ?? '').join(','))].join('\n');
    const mp = multipartBody({}, { name: 'people.csv', type: 'text/csv', content: Buffer.from(csv) });
    const up = await gaj.post(`/api/share/resources/${R.population}/loads?mode=incremental`, mp.body as unknown as string, { 'content-type': mp.type });
    expect(up.statusCode, up.body).toBe(202);
    const id = up.json().id;
    expect(up.json().state).toBe('queued');
    await t.app.services.queue.drain();
    const load = (await gaj.get(`/api/share/loads/${id}`)).json();
    // One of three fails accepted_values (threshold 1%): 33% is over it, so the load is rejected whole.
    expect(load).toMatchObject({ state: 'rejected', rowsRead: 3, bytesTotal: Buffer.byteLength(csv), bytesRead: Buffer.byteLength(csv) });
    expect(load.quality.find((q: { kind: string }) => q.kind === 'accepted_values')).toMatchObject({ checked: 3, failed: 1, passed: false });
    const report = await gaj.get(`/api/share/loads/${id}/rejected.csv`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('gender: not one of');
    expect(report.body.trim().split('\n')).toHaveLength(2);
    // The same file without the bad row loads.
    const ok = multipartBody({}, { name: 'people.csv', type: 'text/csv', content: Buffer.from(csv.split('\n').slice(0, 3).join('\n')) });
    const up2 = await gaj.post(`/api/share/resources/${R.population}/loads?mode=incremental`, ok.body as unknown as string, { 'content-type': ok.type });
    await t.app.services.queue.drain();
    expect((await gaj.get(`/api/share/loads/${up2.json().id}`)).json()).toMatchObject({ state: 'succeeded', rowsInserted: 2 });
    expect(await t.app.services.share.data.lookup(R.population, { id_number: rows[1].id_number! }, ['name'], [])).toEqual({ name: rows[1].name });
  });

  it('a JSON lines file with a wrong header fails cleanly; an unknown extension is 415', async () => {
    const bad = multipartBody({}, { name: 'x.txt', type: 'text/plain', content: Buffer.from('hello') });
    expect((await gaj.post(`/api/share/resources/${R.population}/loads`, bad.body as unknown as string, { 'content-type': bad.type })).statusCode).toBe(415);
    const jl = multipartBody({}, { name: 'x.jsonl', type: 'application/x-ndjson', content: Buffer.from(`${JSON.stringify(person(7100))}\nnot json\n`) });
    const r = await gaj.post(`/api/share/resources/${R.population}/loads`, jl.body as unknown as string, { 'content-type': jl.type });
    await t.app.services.queue.drain();
    const load = (await gaj.get(`/api/share/loads/${r.json().id}`)).json();
    expect(load.state).toBe('failed');
    expect(load.error).toMatch(/line 2 is not JSON/);
    expect(await t.app.services.share.data.lookup(R.population, { id_number: person(7100).id_number! }, ['name'], [])).toBeNull();
  });
});

describe('connectors', () => {
  it('http_json pulls incrementally by the change column, with the token kept secret', async () => {
    const src: Row[] = [0, 1, 2, 3].map((i) => ({ ...person(8000 + i), updated_at: `2026-11-0${i + 1}T00:00:00.000Z` }));
    const seen: (string | null)[] = [];
    let auth = '';
    const server = http.createServer((req, res) => {
      const since = new URL(req.url!, 'http://x').searchParams.get('since');
      seen.push(since);
      auth = req.headers.authorization ?? '';
      const items = src.filter((r) => !since || Date.parse(r.updated_at!) > Date.parse(since));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ items }));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/people`;
      const c = await gaj.post(`/api/share/resources/${R.population}/connectors`, { name: '户籍系统', kind: 'http_json', config: { url, token: 'secret-token-123' } });
      expect(c.statusCode, c.body).toBe(201);
      expect(c.body).not.toContain('secret-token-123');
      expect(c.json()).toMatchObject({ changeColumn: 'updated_at', mode: 'incremental', watermark: null });
      const run = await gaj.post(`/api/share/connectors/${c.json().id}/run`);
      expect(run.statusCode).toBe(202);
      await t.app.services.queue.drain();
      expect((await gaj.get(`/api/share/loads/${run.json().id}`)).json()).toMatchObject({ state: 'succeeded', source: 'pull', rowsInserted: 4 });
      expect(auth).toBe('Bearer secret-token-123');
      const after = (await gaj.get(`/api/share/resources/${R.population}/connectors`)).json().items[0];
      expect(Date.parse(after.watermark)).toBe(Date.parse(src[3].updated_at!));
      src.push({ ...person(8004), updated_at: '2026-11-20T00:00:00.000Z' });
      const run2 = await gaj.post(`/api/share/connectors/${c.json().id}/run`);
      await t.app.services.queue.drain();
      expect((await gaj.get(`/api/share/loads/${run2.json().id}`)).json()).toMatchObject({ state: 'succeeded', rowsRead: 1, rowsInserted: 1 });
      expect(seen[0]).toBeNull();
      expect(seen.filter(Boolean).length).toBeGreaterThan(0);
      expect(await t.app.services.share.data.lookup(R.population, { id_number: src[4].id_number! }, ['name'], [])).toEqual({ name: src[4].name });
    } finally {
      server.close();
    }
  });

  const pgUrl = process.env.TEST_DATABASE_URL;
  it.skipIf(!pgUrl)('postgres pulls rows changed since the watermark (needs TEST_DATABASE_URL: PGlite is not reachable over the wire)', async () => {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    const table = `share_src_${process.pid}`;
    try {
      await admin.query(`create table if not exists public.${table} (code text primary key, name text, credit_code text, legal_rep text, reg_date date, district_code text, status text, reg_capital numeric, updated_at timestamptz)`);
      const { legalPersonRows } = await import('./generator');
      const src: Row[] = [...legalPersonRows(3, 99)].map((r, i) => ({ ...r, credit_code: r.credit_code!.slice(0, 8) + 'PG' + r.credit_code!.slice(10, 17), updated_at: `2026-10-0${i + 1}T08:00:00Z` }));
      const { creditCodeCheckChar } = await import('../../../platform/ids');
      for (const r of src) {
        r.credit_code = r.credit_code!.slice(0, 17) + creditCodeCheckChar(r.credit_code!.slice(0, 17));
        await admin.query(`insert into public.${table} (code, name, credit_code, legal_rep, reg_date, district_code, status, reg_capital, updated_at) values ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, [r.credit_code, r.name, r.credit_code, r.legal_rep, r.reg_date, r.district_code, r.status, r.reg_capital, r.updated_at]);
      }
      const sjj = await t.login('admin');
      const c = await sjj.post(`/api/share/resources/${R.legalPerson}/connectors`, { name: '登记库', kind: 'postgres', config: { connectionString: pgUrl, table: `public.${table}` }, changeColumn: 'updated_at' });
      expect(c.statusCode, c.body).toBe(201);
      expect(c.body).not.toContain(pgUrl);
      const run = await sjj.post(`/api/share/connectors/${c.json().id}/run`);
      await t.app.services.queue.drain();
      expect((await sjj.get(`/api/share/loads/${run.json().id}`)).json()).toMatchObject({ state: 'succeeded', rowsInserted: 3 });
      await admin.query(`update public.${table} set name = '改名有限公司', updated_at = '2026-11-01T00:00:00Z' where code = $1`, [src[0].credit_code]);
      const run2 = await sjj.post(`/api/share/connectors/${c.json().id}/run`);
      await t.app.services.queue.drain();
      expect((await sjj.get(`/api/share/loads/${run2.json().id}`)).json()).toMatchObject({ state: 'succeeded', rowsRead: 1, rowsUpdated: 1 });
      expect(await t.app.services.share.data.lookup(R.legalPerson, { credit_code: src[0].credit_code! }, ['name'], [])).toEqual({ name: '改名有限公司' });
    } finally {
      await admin.query(`drop table if exists public.${table}`);
      await admin.end();
    }
  });
});

describe('quality', () => {
  it('rules: derived ones listed, own ones validated and replaced; the score drops after a bad load', async () => {
    const rules = (await rsj.get(`/api/share/resources/${R.legalPerson}/quality-rules`)).json().items;
    expect(rules.filter((r: { derived: boolean }) => r.derived).map((r: { kind: string }) => r.kind)).toEqual(expect.arrayContaining(['not_null', 'unique']));
    expect((await gaj.put(`/api/share/resources/${R.legalPerson}/quality-rules`, { rules: [] })).statusCode).toBe(403);
    const sjj = await t.login('admin');
    const bad = await sjj.put(`/api/share/resources/${R.legalPerson}/quality-rules`, { rules: [{ kind: 'range', column: 'nope', params: { min: 0 }, threshold: 0, severity: 'error' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/rules/0');
    const before = (await dataset(R.legalPerson)).quality;
    const put = await sjj.put(`/api/share/resources/${R.legalPerson}/quality-rules`, {
      rules: [
        { kind: 'credit_code', column: 'credit_code', params: {}, threshold: 0.5, severity: 'error' },
        { kind: 'range', column: 'reg_capital', params: { min: '0', max: '100000' }, threshold: 0.5, severity: 'warning' },
      ],
    });
    expect(put.statusCode, put.body).toBe(200);
    const [row] = (await t.app.services.share.data.query(R.legalPerson, { fields: ['credit_code', 'name', 'reg_date', 'district_code', 'status', 'updated_at'], filter: [], where: {}, limit: 2, offset: 0 })).items;
    const wrong = { ...row, credit_code: String(row.credit_code).slice(0, 17) + (String(row.credit_code)[17] === '1' ? '2' : '1'), reg_capital: '999999' };
    const push = await sjj.post(`/api/share/resources/${R.legalPerson}/batches`, { batchId: 'q-1', mode: 'incremental', rows: [{ ...row, reg_capital: '999999' }, wrong] });
    expect(push.statusCode, push.body).toBe(201);
    expect(push.json().load).toMatchObject({ rowsRejected: 1, rowsUpdated: 1 });
    const after = (await dataset(R.legalPerson)).quality;
    expect(after.dimensions.conformance).toBeLessThan(before.dimensions.conformance);
    expect(after.dimensions.accuracy).toBeLessThan(100);
    expect(after.score).toBeLessThan(before.score);
    const byDept = (await bureau.get('/api/share/quality?by=department')).json();
    expect(byDept.items.map((d: { providerCode: string }) => d.providerCode)).toEqual(expect.arrayContaining(['GAJ', 'MZJ', 'RSJ']));
    const mine = (await mzj.get('/api/share/quality?by=resource')).json();
    expect(mine.items.every((r: { providerCode: string }) => r.providerCode === 'MZJ')).toBe(true);
  });
});

describe('objections', () => {
  it('raised by a consumer, answered by the provider, corrected by the next load that changes the column, closed', async () => {
    const [rec] = (await t.app.services.share.data.query(R.funeral, { fields: ['record_no', 'id_number', 'name', 'gender', 'death_date', 'cremation_date', 'funeral_home', 'district_code', 'updated_at'], filter: [], where: {}, limit: 1, offset: 0 })).items;
    const raised = await rsj.post(`/api/share/resources/${R.funeral}/objections`, { recordKey: rec.record_no, column: 'funeral_home', description: '火化地点与我局记录不一致' });
    expect(raised.statusCode, raised.body).toBe(201);
    // The consumer never gets the clear value back (it may hold the field masked); the provider sees it.
    expect(raised.json()).toMatchObject({ state: 'raised', valueAtRaise: null });
    expect((await rsj.post(`/api/share/resources/${R.funeral}/objections`, { recordKey: 'NOPE', column: 'funeral_home', description: 'x' })).statusCode).toBe(404);
    const id = raised.json().id;
    expect((await rsj.get('/api/share/objections?box=raised')).json().items.map((o: { id: string }) => o.id)).toContain(id);
    expect((await mzj.get('/api/share/objections?box=received')).json().items.find((o: { id: string }) => o.id === id)).toMatchObject({ valueAtRaise: rec.funeral_home });
    expect((await rsj.get('/api/share/objections?box=raised')).json().items.find((o: { id: string }) => o.id === id).valueAtRaise).toBeNull();
    expect((await gaj.get('/api/share/objections?box=received')).json().items.map((o: { id: string }) => o.id)).not.toContain(id);
    expect((await rsj.post(`/api/share/objections/${id}/answer`, { accepted: true, answer: 'x' })).statusCode).toBe(403);
    const ans = await mzj.post(`/api/share/objections/${id}/answer`, { accepted: true, answer: '核实有误，将在下次归集更正' });
    expect(ans.json().state).toBe('answered');
    // A load that does not touch the column leaves it open.
    await mzj.post(`/api/share/resources/${R.funeral}/batches`, { batchId: 'obj-1', mode: 'incremental', rows: [rec] });
    expect((await mzj.get(`/api/share/objections?box=received&state=answered`)).json().items.map((o: { id: string }) => o.id)).toContain(id);
    const fix = await mzj.post(`/api/share/resources/${R.funeral}/batches`, { batchId: 'obj-2', mode: 'incremental', rows: [{ ...rec, funeral_home: rec.funeral_home === '青岛市殡仪馆' ? '黄岛区殡仪馆' : '青岛市殡仪馆' }] });
    expect(fix.statusCode, fix.body).toBe(201);
    const o = (await rsj.get('/api/share/objections?box=raised')).json().items.find((x: { id: string }) => x.id === id);
    expect(o).toMatchObject({ state: 'corrected', correctedLoadId: fix.json().load.id });
    expect((await mzj.post(`/api/share/objections/${id}/resolve`, { note: '已更正' })).json().state).toBe('closed');
    expect((await mzj.post(`/api/share/objections/${id}/resolve`, { note: 'again' })).statusCode).toBe(409);
  });
});

describe('reader', () => {
  it('validates column names from callers and honours the row filter', async () => {
    const data = t.app.services.share.data;
    await expect(data.query(R.population, { fields: ['name; drop table x'], filter: [], where: {}, limit: 1, offset: 0 })).rejects.toMatchObject({ status: 400 });
    await expect(data.query(R.population, { fields: ['name'], filter: [], where: { 'x" or 1=1 --': '1' }, limit: 1, offset: 0 })).rejects.toMatchObject({ status: 400 });
    const some = await data.query(R.population, { fields: ['id_number', 'district_code'], filter: [{ column: 'district_code', equals: '370202' }], where: {}, limit: 50, offset: 0 });
    expect(some.total).toBeGreaterThan(0);
    expect(some.items.every((r) => r.district_code === '370202')).toBe(true);
    const other = (await data.query(R.population, { fields: ['id_number'], filter: [{ column: 'district_code', equals: '370203' }], where: {}, limit: 1, offset: 0 })).items[0];
    expect(await data.lookup(R.population, { id_number: String(other.id_number) }, ['name'], [{ column: 'district_code', equals: '370202' }])).toBeNull();
    let n = 0;
    for await (const r of data.stream(R.population, { fields: ['id_number'], filter: [{ column: 'district_code', equals: '370202' }], where: {} })) {
      expect(r.id_number).toBeTruthy();
      n++;
    }
    expect(n).toBe(some.total);
    const page = (await gaj.get(`/api/share/resources/${R.population}/records?limit=5&district_code=370202`)).json();
    expect(page.items).toHaveLength(5);
    expect(page.total).toBe(some.total);
    expect((await gaj.get(`/api/share/resources/${R.population}/records?bogus=1`)).statusCode).toBe(400);
  });
});
