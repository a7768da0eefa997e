// Credit end to end over HTTP: upload → report → publish, single records, scope (who may publish and
// decide for whom), the public lookup with masking, the repair workflow with working-day deadlines,
// notifications and audit, the outbox delivering to a real local HTTP server with retries, and expiry.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/auth/actor';
import { rows } from '../../platform/db/client';
import { type Client, testApp, type TestApp } from '../../test/app';
import { multipartBody } from '../../test/multipart';

let t: TestApp;
let gaj: Client;
let shinan: Client;
let citizen: Client;
let ent: Client;
let admin: Client;
let GAJ_CODE: string;
let SHINAN_CODE: string;
let ENT_CODE: string;

const received: { key: string; signature: string; raw: string; body: { event: string; penaltyId: string } }[] = [];
let failNext = 0;
const server = http.createServer((req, res) => {
  let data = '';
  req.on('data', (c: Buffer) => (data += c.toString()));
  req.on('end', () => {
    if (failNext > 0) {
      failNext--;
      res.statusCode = 503;
      return res.end('busy');
    }
    received.push({ key: String(req.headers['idempotency-key']), signature: String(req.headers['x-dq-signature']), raw: data, body: JSON.parse(data) });
    res.statusCode = 202;
    res.end('{}');
  });
});

const HEADER = 'CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_FRDB,CF_XDR_ZJLX,CF_XDR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_NR_FK,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM';
const tag = randomBytes(3).toString('hex');
function line(o: { name?: string; cat?: string; code?: string; rep?: string; idType?: string; id?: string; doc: string; lb?: string; fk?: string; date?: string; auth?: string }) {
  const auth = o.auth ?? GAJ_CODE;
  return [o.name ?? '青岛测试贸易有限公司', o.cat ?? '法人及非法人组织', o.code ?? '91350200776049653A', o.rep ?? '赵六', o.idType ?? '', o.id ?? '', o.doc, '违反消防安全管理规定', '疏散通道堵塞', '《消防法》第六十条', o.lb ?? '罚款', '罚款两千元', o.fk ?? '0.2', o.date ?? '2026-05-10', '2027-05-10', '青岛市公安局', auth, '青岛市公安局', auth].join(',');
}


async function upload(c: Client, kind: string, csv: string, name = 'penalties.csv') {
  const m = multipartBody({}, { name, type: 'text/csv', content: Buffer.from(csv) });
  return c.request('POST', `/api/credit/batches?kind=${kind}`, m.body as never, { 'content-type': m.type });
}

beforeAll(async () => {
  t = await testApp();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  [gaj, shinan, citizen, ent, admin] = await Promise.all(['gaj_officer', 'shinan_officer', 'citizen_zhang', 'ent_demo', 'admin'].map((u) => t.login(u)));
  const db = t.app.services.database.db;
  // A department's authority code is its own credit code when it has one (the certificate types give departments theirs).
  const codeOf = async (org: string) => (await rows<{ code: string }>(db, sql`select coalesce(o.credit_code, a.code) as code from organisations o left join credit_authorities a on a.org_id = o.id where o.code = ${org}`))[0].code;
  GAJ_CODE = await codeOf('GAJ');
  SHINAN_CODE = await codeOf('370202');
  const me = (await ent.get('/api/auth/me')).json();
  ENT_CODE = (await rows<{ credit_code: string }>(db, sql`select credit_code from organisations where id = ${me.user.orgId}`))[0].credit_code;
});
afterAll(async () => {
  server.close();
  await t.close();
});

describe('publication: upload, report, publish', () => {
  let batchId: string;
  it('validates every row of an upload, stages the valid ones and publishes nothing yet', async () => {
    const csv = [
      HEADER,
      line({ doc: `T${tag}-1` }),
      line({ doc: `T${tag}-2`, code: '91350200776049653B' }), // bad check character
      line({ doc: `T${tag}-3`, fk: '2000元' }), // amount not in 万元
      line({ doc: `T${tag}-1` }), // duplicate document number in the file
      line({ doc: `T${tag}-5`, name: '李四', cat: '自然人', code: '', rep: '', idType: '身份证', id: '11010519491231002X' }),
    ].join('\n');
    const r = await upload(gaj, 'penalty', csv);
    expect(r.statusCode, r.body).toBe(201);
    const b = r.json();
    batchId = b.id;
    expect(b).toMatchObject({ kind: 'penalty', state: 'validated', total: 5, valid: 2, invalid: 3, fileName: 'penalties.csv' });
    expect(b.problems.map((p: { row: number; field: string; code: string }) => `${p.row}:${p.field}:${p.code}`)).toEqual(['3:CF_XDR_SHXYM:credit-code-check', '4:CF_NR_FK:amount-format', '5:CF_WSH:duplicate-in-file']);
    expect((await t.anonymous().get(`/api/public/credit/search?q=${encodeURIComponent('测试贸易')}`)).json().total).toBe(0);
    const page = (await gaj.get(`/api/credit/batches/${batchId}/problems?limit=2&offset=1`)).json();
    expect(page.total).toBe(3);
    expect(page.items.map((p: { row: number }) => p.row)).toEqual([4, 5]);
  });

  it('reports every row as Excel with the bad cells highlighted, and as CSV with an error column', async () => {
    const x = await gaj.get(`/api/credit/batches/${batchId}/report?format=xlsx`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as never);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as string[]).slice(1);
    const col = header.indexOf('CF_XDR_SHXYM') + 1;
    const bad = ws.getRow(3).getCell(col);
    expect(bad.value).toBe('91350200776049653B');
    expect((bad.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect((ws.getRow(2).getCell(col).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb).not.toBe('FFFFC7CE');
    expect(String(ws.getRow(4).getCell(header.length).value)).toContain('amount-format');
    const c = await gaj.get(`/api/credit/batches/${batchId}/report?format=csv`);
    expect(c.body.split('\r\n').filter(Boolean)).toHaveLength(6);
    expect(c.body).toContain('credit-code-check');
  });

  it('keeps batches to their organisation', async () => {
    expect((await shinan.get(`/api/credit/batches/${batchId}`)).statusCode).toBe(404);
    expect((await shinan.post(`/api/credit/batches/${batchId}/publish`)).statusCode).toBe(404);
    expect((await shinan.get('/api/credit/batches')).json().items.some((b: { id: string }) => b.id === batchId)).toBe(false);
    expect((await gaj.get('/api/credit/batches')).json().items.some((b: { id: string }) => b.id === batchId)).toBe(true);
  });

  it('publishes the valid rows in one step; the lookup finds them, persons masked', async () => {
    const r = await gaj.post(`/api/credit/batches/${batchId}/publish`);
    expect(r.json()).toEqual({ published: 2, state: 'published' });
    expect((await gaj.post(`/api/credit/batches/${batchId}/publish`)).statusCode).toBe(409);
    const found = (await t.anonymous().get(`/api/public/credit/search?q=${encodeURIComponent('测试贸易')}`)).json();
    expect(found.items).toEqual([expect.objectContaining({ code: '91350200776049653A', name: '青岛测试贸易有限公司', penalties: 1 })]);
    const person = (await t.anonymous().get(`/api/public/credit/search?q=${encodeURIComponent('李四')}`)).json().items[0];
    expect(person.name).toBe('李*');
    expect(person.code).toBe('110***********002X');
    const subject = (await t.anonymous().get(`/api/public/credit/subjects/${person.key}`)).json();
    expect(JSON.stringify(subject)).not.toContain('11010519491231002X');
    expect(subject.penalties[0].publicationEnds).toBe('2027-05-10');
    // The identity number itself is not searchable in public.
    expect((await t.anonymous().get('/api/public/credit/search?q=11010519491231002X')).json().total).toBe(0);
  });

  it('flags a document number that is already published', async () => {
    const r = await upload(gaj, 'penalty', [HEADER, line({ doc: `T${tag}-1` })].join('\n'));
    expect(r.json().problems[0]).toMatchObject({ row: 2, field: 'CF_WSH', code: 'duplicate-published' });
    expect((await gaj.post(`/api/credit/batches/${r.json().id}/discard`)).json()).toEqual({ state: 'discarded' });
  });

  it('accepts Chinese headers and Excel files', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    ws.addRow(['相对人名称', '相对人类别', '统一社会信用代码', '法定代表人', '行政处罚决定书文号', '违法行为类型', '违法事实', '处罚依据', '处罚类别', '处罚内容', '处罚决定日期', '处罚有效期', '处罚机关', '处罚机关统一社会信用代码', '数据来源单位', '数据来源单位统一社会信用代码']);
    ws.addRow(['青岛表格测试有限公司', '法人及非法人组织', '91440101MA5CJQ4N59', '钱七', `X${tag}`, '违规', '事实', '依据', '警告', '警告', '2026-06-01', '2026-12-01', '青岛市公安局', GAJ_CODE, '青岛市公安局', GAJ_CODE]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const m = multipartBody({}, { name: 'p.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content: buf });
    const r = await gaj.request('POST', '/api/credit/batches?kind=penalty', m.body as never, { 'content-type': m.type });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ total: 1, valid: 1, invalid: 0 });
  });

  it('offers templates with field codes (or Chinese names) that upload as they are', async () => {
    const csv = await gaj.get('/api/credit/templates/licence?format=csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.replace('\uFEFF', '').split('\r\n')[0].split(',').slice(0, 2)).toEqual(['XK_XDR_MC', 'XK_XDR_LB']);
    const names = await gaj.get('/api/credit/templates/penalty?format=xlsx&headers=names');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(names.rawPayload as never);
    expect((wb.worksheets[0].getRow(1).values as string[]).slice(1, 3)).toEqual(['相对人名称', '相对人类别']);
    expect((await citizen.get('/api/credit/templates/penalty')).statusCode).toBe(403);
  });

  it('refuses a file that is not CSV or Excel, and a request without a file', async () => {
    const m = multipartBody({}, { name: 'x.txt', type: 'text/plain', content: Buffer.from('hello') });
    expect((await gaj.request('POST', '/api/credit/batches?kind=penalty', m.body as never, { 'content-type': m.type })).statusCode).toBe(415);
    expect((await gaj.post('/api/credit/batches?kind=penalty', {})).statusCode).toBe(400);
  });
});

describe('scope: who publishes for which authority', () => {
  it('a department cannot publish for another authority (file and single record)', async () => {
    const r = await upload(gaj, 'penalty', [HEADER, line({ doc: `S${tag}-1`, auth: SHINAN_CODE })].join('\n'));
    expect(r.json().problems).toEqual([expect.objectContaining({ field: 'CF_CFJGDM', code: 'authority-not-allowed' })]);
    const one = await gaj.post('/api/credit/records', { kind: 'penalty', record: recordOf(`S${tag}-2`, SHINAN_CODE) });
    expect(one.statusCode).toBe(422);
    expect(one.json().errors).toEqual([expect.objectContaining({ path: '/record/CF_CFJGDM', code: 'authority-not-allowed' })]);
  });
  it('publishes a single valid record and answers problems per field', async () => {
    const ok = await shinan.post('/api/credit/records', { kind: 'penalty', record: recordOf(`S${tag}-3`, SHINAN_CODE) });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'published', severity: 'ordinary', repairableFrom: '2026-08-10', publicationEnds: '2027-05-10' });
    const bad = await shinan.post('/api/credit/records', { kind: 'penalty', record: { ...recordOf(`S${tag}-4`, SHINAN_CODE), CF_JDRQ: '2026-02-30', CF_NR_FK: '' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`).sort()).toEqual(['/record/CF_JDRQ:date-invalid', '/record/CF_NR_FK:conditional-required']);
    expect((await gaj.get(`/api/credit/records/${ok.json().id}`)).statusCode).toBe(200); // dept roles read all (credit.profile.read)
  });
});

function recordOf(doc: string, auth: string) {
  return { CF_XDR_MC: '青岛单条测试有限公司', CF_XDR_LB: '法人及非法人组织', CF_XDR_SHXYM: '913502000728319549', CF_FRDB: '孙八', CF_WSH: doc, CF_WFXW: '违规', CF_SY: '事实', CF_YJ: '依据', CF_CFLB: '罚款', CF_NR: '罚款', CF_NR_FK: 0.3, CF_JDRQ: '2026-05-10', CF_YXQ: '2027-05-10', CF_CFJG: '市南区', CF_CFJGDM: auth, CF_SJLY: '市南区', CF_SJLYDM: auth };
}

describe('credit repair', () => {
  let eligible: { id: string; documentNo: string };
  let repairId: string;
  it('shows the enterprise its penalties with whether and when repair is possible', async () => {
    const mine = (await ent.get('/api/credit/my/penalties')).json().items as { id: string; documentNo: string; repair: { eligible: boolean; reason: string | null; eligibleFrom: string } }[];
    eligible = mine.find((p) => p.repair.eligible)!;
    const notYet = mine.find((p) => p.repair.reason === 'minimum-period')!;
    expect(eligible).toBeTruthy();
    expect(notYet.repair.eligibleFrom > new Date().toISOString().slice(0, 10)).toBe(true);
    expect((await ent.post('/api/credit/repairs', { penaltyId: notYet.id, commitmentAccepted: true, statement: '已缴纳罚款' })).statusCode).toBe(409);
  });

  it('an enterprise cannot repair another subject’s penalty, a citizen cannot apply', async () => {
    const other = (await gaj.get(`/api/credit/records?kind=penalty&q=${encodeURIComponent('测试贸易')}`)).json().items[0];
    expect((await ent.post('/api/credit/repairs', { penaltyId: other.id, commitmentAccepted: true, statement: 'x' })).statusCode).toBe(404);
    expect((await ent.get(`/api/credit/repairs/commitment?penaltyId=${other.id}`)).statusCode).toBe(404);
    expect((await citizen.post('/api/credit/repairs', { penaltyId: eligible.id, commitmentAccepted: true, statement: 'x' })).statusCode).toBe(403);
  });

  it('applies with the commitment letter and proof of performance', async () => {
    const letter = (await ent.get(`/api/credit/repairs/commitment?penaltyId=${eligible.id}`)).json().text;
    expect(letter).toContain(eligible.documentNo);
    expect(letter).toContain(ENT_CODE);
    expect((await ent.post('/api/credit/repairs', { penaltyId: eligible.id, commitmentAccepted: false, statement: 'x' })).statusCode).toBe(400);
    const r = await ent.post('/api/credit/repairs', { penaltyId: eligible.id, commitmentAccepted: true, statement: '罚款已缴清，隐患已整改' });
    expect(r.statusCode, r.body).toBe(201);
    repairId = r.json().id;
    expect((await ent.post(`/api/credit/repairs/${repairId}/submit`)).statusCode).toBe(422); // proof missing
    const bad = multipartBody({ key: 'performance_proof' }, { name: 'proof.txt', type: 'text/plain', content: Buffer.from('not a pdf') });
    expect((await ent.request('POST', `/api/credit/repairs/${repairId}/materials`, bad.body as never, { 'content-type': bad.type })).statusCode).toBe(415);
    const pdf = multipartBody({ key: 'performance_proof' }, { name: '缴款凭证.pdf', type: 'application/pdf', content: Buffer.from('%PDF-1.4\n% proof of payment\n%%EOF\n') });
    const up = await ent.request('POST', `/api/credit/repairs/${repairId}/materials`, pdf.body as never, { 'content-type': pdf.type });
    expect(up.statusCode, up.body).toBe(201);
    const sub = await ent.post(`/api/credit/repairs/${repairId}/submit`);
    expect(sub.json()).toMatchObject({ state: 'submitted' });
    expect(sub.json().acceptDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sub.json().acceptDue > new Date().toISOString().slice(0, 10)).toBe(true);
  });

  it('only the deciding department decides: not a citizen, not another department, not the applicant', async () => {
    expect((await citizen.post(`/api/credit/repairs/${repairId}/accept`)).statusCode).toBe(403);
    expect((await shinan.post(`/api/credit/repairs/${repairId}/accept`)).statusCode).toBe(403); // reads profiles, does not decide here
    expect((await ent.post(`/api/credit/repairs/${repairId}/approve`, { reason: 'self' })).statusCode).toBe(403);
    expect((await shinan.get('/api/credit/repairs')).json().items.some((r: { id: string }) => r.id === repairId)).toBe(false);
  });

  it('accepts, asks for material, takes the resubmission and approves: the record leaves publication at once', async () => {
    await t.app.services.repairs.putEndpoints(systemActor('test'), [{ name: '市信用平台', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sync`, enabled: true, secret: 'shared-signing-secret' }]);
    const acc = (await gaj.post(`/api/credit/repairs/${repairId}/accept`)).json();
    expect(acc).toMatchObject({ state: 'accepted' });
    expect(acc.decideDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await gaj.post(`/api/credit/repairs/${repairId}/request-material`, { reason: '请补充整改报告' })).json().state).toBe('material_requested');
    const pdf = multipartBody({ key: 'application_form' }, { name: 'form.pdf', type: 'application/pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') });
    expect((await ent.request('POST', `/api/credit/repairs/${repairId}/materials`, pdf.body as never, { 'content-type': pdf.type })).statusCode).toBe(201);
    expect((await ent.post(`/api/credit/repairs/${repairId}/resubmit`)).json().state).toBe('resubmitted');
    expect((await gaj.post(`/api/credit/repairs/${repairId}/approve`, { reason: '' })).statusCode).toBe(400);
    const ok = await gaj.post(`/api/credit/repairs/${repairId}/approve`, { reason: '已履行处罚义务并完成整改' });
    expect(ok.json()).toMatchObject({ state: 'withdrawn', penalty: { status: 'repaired' } });
    expect(ok.json().timeline.map((e: { action: string }) => e.action)).toEqual(['create', 'submit', 'accept', 'request-material', 'resubmit', 'approve', 'withdraw']);
    const subject = await t.anonymous().get(`/api/public/credit/subjects/${ENT_CODE}`);
    expect(subject.json().penalties.some((p: { id: string }) => p.id === eligible.id)).toBe(false);
    // The applicant was told at each step.
    const notes = (await ent.get('/api/notifications?limit=50')).json().items.map((n: { kind: string }) => n.kind);
    expect(notes).toEqual(expect.arrayContaining(['credit.repair.accept', 'credit.repair.request-material', 'credit.repair.approve']));
    // Audited in the transaction of each step.
    const audit = await rows<{ action: string }>(t.app.services.database.db, sql`select action from audit_log where entity_id = ${repairId} or entity_id = ${eligible.id}`);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['credit.repair.create', 'credit.repair.submit', 'credit.repair.approve', 'credit.record.withdraw']));
  });

  it('delivers the result through the outbox to the endpoint, retrying after a failure, and marks the repair synced', async () => {
    const repairs = t.app.services.repairs;
    const db = t.app.services.database.db;
    failNext = 1;
    // The approval enqueued a job; run the delivery here directly (the job calls the same method).
    const first = await repairs.deliverDue();
    expect(first).toEqual({ delivered: 0, failed: 0, retrying: 1 });
    let box = (await admin.get('/api/credit/outbox')).json().items[0];
    expect(box).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 503' });
    expect(await repairs.deliverDue()).toEqual({ delivered: 0, failed: 0, retrying: 0 }); // not due yet
    await db.execute(sql`update credit_outbox set next_attempt_at = now() where id = ${box.id}`);
    expect(await repairs.deliverDue()).toEqual({ delivered: 1, failed: 0, retrying: 0 });
    box = (await admin.get('/api/credit/outbox?status=delivered')).json().items[0];
    expect(box).toMatchObject({ attempts: 2, lastError: null });
    expect(box.deliveredAt).toBeTruthy();
    expect(received).toEqual([expect.objectContaining({ key: box.id, body: expect.objectContaining({ event: 'credit.repair.approved', penaltyId: eligible.id }) })]);
    expect(received[0].signature).toBe(`sha256=${createHmac('sha256', 'shared-signing-secret').update(received[0].raw).digest('hex')}`);
    const eps = (await admin.get('/api/credit/endpoints')).json().items;
    expect(eps[0]).toEqual(expect.objectContaining({ hasSecret: true }));
    expect(JSON.stringify(eps)).not.toContain('shared-signing-secret');
    expect(await repairs.deliverDue()).toEqual({ delivered: 0, failed: 0, retrying: 0 }); // idempotent: nothing sent twice
    expect((await ent.get(`/api/credit/repairs/${repairId}`)).json().state).toBe('synced');
  });

  it('gives up after the maximum attempts and shows the failure', async () => {
    const db = t.app.services.database.db;
    const [row] = await rows<{ id: string }>(db, sql`insert into credit_outbox (event, endpoint_id, endpoint_name, url, payload, max_attempts) values ('test', gen_random_uuid(), 'dead', 'http://127.0.0.1:1/none', '{}'::jsonb, 1) returning id`);
    expect((await t.app.services.repairs.deliverDue()).failed).toBe(1);
    const failed = (await admin.get('/api/credit/outbox?status=failed')).json().items;
    expect(failed.map((f: { id: string }) => f.id)).toContain(row.id);
    expect(failed[0].lastError).toBeTruthy();
  });

  it('shows the profile to the subject and to staff, not to others; stats count the repair', async () => {
    const p = (await ent.get(`/api/credit/profile/${ENT_CODE}`)).json();
    expect(p.penalties.find((x: { id: string }) => x.id === eligible.id)).toMatchObject({ status: 'repaired', inPublication: false });
    expect(p.repairs[0]).toMatchObject({ id: repairId, state: 'synced' });
    expect((await citizen.get(`/api/credit/profile/${ENT_CODE}`)).statusCode).toBe(403);
    expect((await gaj.get(`/api/credit/profile/${ENT_CODE}`)).statusCode).toBe(200);
    const s = (await admin.get('/api/credit/stats')).json();
    expect(s.repairs.byState).toEqual(expect.arrayContaining([{ state: 'synced', count: 1 }]));
    expect(s.repairs.onTimeRate).toBe(1);
    expect(s.repairs.avgWorkingDays).toBe(0);
    expect(s.records.some((r: { kind: string; count: number }) => r.kind === 'penalty' && r.count > 0)).toBe(true);
  });
});

describe('configuration and expiry', () => {
  it('replaces the regimes and refuses incomplete ones', async () => {
    const cur = (await admin.get('/api/credit/regimes')).json();
    expect(cur.items).toHaveLength(6);
    expect(cur.limits).toEqual({ acceptDays: 3, decideDays: 7, seriousAmount: 10 });
    expect((await admin.put('/api/credit/regimes', { items: cur.items.slice(0, 2) })).statusCode).toBe(400);
    const next = await admin.put('/api/credit/regimes', { items: cur.items, limits: { acceptDays: 5 } });
    expect(next.json().limits.acceptDays).toBe(5);
    expect((await gaj.put('/api/credit/regimes', { items: cur.items })).statusCode).toBe(403);
  });

  it('takes penalties out of publication when their window ends (the recurring job)', async () => {
    const credit = t.app.services.credit;
    const before = (await t.anonymous().get(`/api/public/credit/search?q=${encodeURIComponent('测试贸易')}`)).json().total;
    expect(before).toBe(1);
    await credit.expire(systemActor('test'), '2027-05-10');
    // The last day is still in publication.
    expect((await t.anonymous().get(`/api/public/credit/search?q=${encodeURIComponent('测试贸易')}`)).json().total).toBe(1);
    const r = await credit.expire(systemActor('test'), '2027-05-11');
    expect(r.expired).toBeGreaterThan(0);
    expect((await t.anonymous().get(`/api/public/credit/search?q=${encodeURIComponent('测试贸易')}`)).json().total).toBe(0);
    expect((await gaj.get('/api/credit/records?status=expired')).json().total).toBeGreaterThanOrEqual(r.expired);
    expect(t.app.services.queue.registeredNames()).toEqual(expect.arrayContaining(['credit.outbox.deliver', 'credit.publication.expire']));
  });
});
