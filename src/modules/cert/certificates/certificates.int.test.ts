import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Client, type TestApp } from '../../../test/app';
import { isValidCreditCode, licenceIdProblem, makeCitizenId, makeCreditCode, parseLicenceId } from '../../../platform/ids';
import { decodeStatusList } from '../../../lib/verifier';

let t: TestApp;
let gaj: Client;
let mzj: Client;
let spj: Client;
let types: { id: string; nameZh: string; code: string; departmentCode: string; holderKind: string; fields: { key: string }[]; canIssue: boolean }[];
const typeId = (name: string) => types.find((x) => x.nameZh === name)!.id;

function multipart(fields: Record<string, string>, file: { name: string; type: string; body: string }) {
  const boundary = '----dqcerttest' + Math.random().toString(16).slice(2);
  let s = '';
  for (const [k, v] of Object.entries(fields)) s += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  s += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n${file.body}\r\n--${boundary}--\r\n`;
  return { body: s, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

beforeAll(async () => {
  t = await testApp();
  gaj = await t.login('gaj_officer');
  mzj = await t.login('mzj_officer');
  types = (await gaj.get('/api/cert/types')).json().items;
  // No demo account works for the market regulator (SPJ): the bureau's administrator issues its types.
  spj = await t.login('admin');
}, 120_000);
afterAll(async () => t?.close());

describe('certificate types', () => {
  it('seeds all 30 types with GB/T 36904 type codes of their defining department', async () => {
    expect(types).toHaveLength(30);
    for (const ty of types) {
      expect(ty.code).toMatch(/^[0-9A-Z]{18}\d{3}$/);
      expect(isValidCreditCode(ty.code.slice(0, 18))).toBe(true);
      expect(ty.fields.length).toBeGreaterThan(0);
    }
    const id = types.find((x) => x.nameZh === '居民身份证')!;
    expect(id).toMatchObject({ departmentCode: 'GAJ', holderKind: 'person', canIssue: true });
    expect(id.fields.map((f) => f.key)).toEqual(expect.arrayContaining(['name', 'sex', 'ethnicity', 'birthDate', 'address', 'idNumber']));
    expect(types.find((x) => x.nameZh === '营业执照')).toMatchObject({ departmentCode: 'SPJ', holderKind: 'organisation', canIssue: false });
    // One department, one credit code: both GAJ types share the prefix and are numbered.
    const gajCodes = types.filter((x) => x.departmentCode === 'GAJ').map((x) => x.code).sort();
    expect(new Set(gajCodes.map((c) => c.slice(0, 18))).size).toBe(1);
    expect(gajCodes.map((c) => c.slice(18))).toEqual(['001', '002', '003', '004', '005']);
  });

  it('refuses anonymous readers and type edits without cert.type.manage', async () => {
    expect((await t.anonymous().get('/api/cert/types')).statusCode).toBe(401);
    expect((await gaj.patch(`/api/cert/types/${typeId('居民身份证')}`, { nameEn: 'X' })).statusCode).toBe(403);
    const dsj = await t.login('dsj_officer');
    const r = await dsj.patch(`/api/cert/types/${typeId('居住证')}`, { nameEn: 'Residence Permit (Qingdao)' });
    expect(r.statusCode).toBe(200);
    expect(r.json().nameEn).toBe('Residence Permit (Qingdao)');
    const bad = await dsj.patch(`/api/cert/types/${typeId('居住证')}`, { fields: [{ key: 'number', nameZh: '编号', nameEn: 'No', type: 'string', required: true }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/body/fields/0/key');
  });
});

const holder = makeCitizenId('370211', '1995-02-03', 51);
const idCard = (over: Record<string, unknown> = {}) => ({
  typeId: typeId('居民身份证'),
  number: 'T-SFZ-1',
  holderName: '测试人',
  holderCode: holder,
  issuedOn: '2024-01-02',
  validUntil: '2034-01-02',
  fields: { sex: '女', ethnicity: '汉', birthDate: '1995-02-03', address: '青岛市黄岛区测试路1号' },
  ...over,
});

describe('issuing by form or API', () => {
  let certId: string;

  it('issues with a valid GB/T 36904 identifier, masked holder code and status slot', async () => {
    const r = await gaj.post('/api/cert/certificates', idCard());
    expect(r.statusCode).toBe(201);
    const c = r.json();
    certId = c.id;
    expect(licenceIdProblem(c.identifier)).toBeNull();
    const parts = parseLicenceId(c.identifier)!;
    expect(parts.typeCode).toBe(types.find((x) => x.nameZh === '居民身份证')!.code);
    expect(parts.issuerCode).toBe(c.issuerCreditCode);
    expect(c).toMatchObject({ holderCodeType: '111', status: 'valid', jurisdiction: '370200', issuedOn: '2024-01-02', validFrom: '2024-01-02' });
    expect(c.holderCode).toBeUndefined();
    expect(c.holderCodeMasked).toBe(holder.slice(0, 3) + '*'.repeat(11) + holder.slice(-4));
    // name and idNumber come from the core metadata when not typed twice
    expect(c.fields).toMatchObject({ name: '测试人', idNumber: c.holderCodeMasked, sex: '女' });
    expect((await t.app.services.cert.certificates.get(c.id))!.fields.idNumber).toBe(holder);
    expect(c.statusList.uri).toBe(`${t.config.publicUrl}/api/cert/status-lists/${c.statusList.id}`);
    expect(c.history.map((h: { action: string }) => h.action)).toEqual(['issue']);

    const second = (await gaj.post('/api/cert/certificates', idCard({ number: 'T-SFZ-2' }))).json();
    expect(Number(parseLicenceId(second.identifier)!.serial)).toBe(Number(parts.serial) + 1);
  });

  it('answers 422 naming each bad field, 409 for the same certificate again', async () => {
    const bad = await gaj.post('/api/cert/certificates', idCard({ number: 'T-SFZ-9', holderCode: holder.slice(0, 17) + (holder[17] === '1' ? '2' : '1'), fields: { sex: '女', ethnicity: '汉', birthDate: '1995-02-30', address: 'x', colour: 'red' } }));
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const paths = bad.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/body/holderCode', '/body/fields/birthDate', '/body/fields/colour']));
    const dates = await gaj.post('/api/cert/certificates', idCard({ number: 'T-SFZ-8', validFrom: '2024-02-01', validUntil: '2024-01-01' }));
    expect(dates.statusCode).toBe(422);
    expect(dates.json().errors.map((e: { path: string }) => e.path)).toEqual(['/body/validUntil']);
    const missing = await gaj.post('/api/cert/certificates', idCard({ number: 'T-SFZ-7', fields: { sex: '女' } }));
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['/body/fields/ethnicity', '/body/fields/birthDate', '/body/fields/address']));
    const again = await gaj.post('/api/cert/certificates', idCard());
    expect(again.statusCode).toBe(409);
    expect(again.json().existingId).toBe(certId);
  });

  it('lets a department issue only its own types and shows it only its own certificates', async () => {
    expect((await mzj.post('/api/cert/certificates', idCard({ number: 'T-SFZ-X' }))).statusCode).toBe(403);
    const citizen = await t.login('citizen_zhang');
    expect((await citizen.post('/api/cert/certificates', idCard({ number: 'T-SFZ-Y' }))).statusCode).toBe(403);
    expect((await citizen.get('/api/cert/certificates')).statusCode).toBe(403);
    expect((await t.anonymous().post('/api/cert/certificates', idCard())).statusCode).toBe(401);
    expect((await mzj.get(`/api/cert/certificates/${certId}`)).statusCode).toBe(404);
    expect((await mzj.get(`/api/cert/certificates?holderCode=${holder}`)).json().total).toBe(0);
    const mine = (await gaj.get(`/api/cert/certificates?holderCode=${holder}`)).json();
    expect(mine.total).toBe(2);
    expect(mine.items[0].holderCodeMasked).not.toContain(holder.slice(6, 14));
    expect((await mzj.post(`/api/cert/certificates/${certId}/suspend`, { reason: 'x' })).statusCode).toBe(404);
  });

  it('serves the CertificateReader: by holder code (blind index), by id, type by name', async () => {
    const reader = t.app.services.cert.certificates;
    const list = await reader.byHolderCode(holder);
    expect(list.map((c) => c.number).sort()).toEqual(['T-SFZ-1', 'T-SFZ-2']);
    expect(list[0].holderCode).toBe(holder);
    expect((await reader.get(certId))!.type.vct).toMatch(/^urn:dq:cert:[0-9A-Z]{21}$/);
    expect((await reader.typeByName('营业执照'))!.holderKind).toBe('organisation');
    // the stored holder code is ciphertext, never the number
    const rows = await t.app.services.database.query<{ enc: string }>(`select holder_code_enc as enc from cert_certificates where id = $1`, [certId]);
    expect(rows[0].enc).not.toContain(holder);
  });

  it('demo data: citizens and the demo enterprise have certificates, one suspended and one expired', async () => {
    const reader = t.app.services.cert.certificates;
    const zhang = await t.app.services.auth.findByUsername('citizen_zhang');
    const mine = await reader.byHolderCode(t.app.services.auth.revealIdNumber(zhang!)!);
    expect(mine.length).toBeGreaterThanOrEqual(4);
    expect(mine.some((c) => c.status === 'suspended')).toBe(true);
    expect(mine.some((c) => c.validUntil !== null && c.validUntil < '2026-01-01')).toBe(true);
    const ent = await t.app.services.auth.findByUsername('ent_demo');
    const org = await t.app.services.orgs.byId(ent!.orgId!);
    const licences = await reader.byHolderCode(org!.creditCode!);
    expect(licences.map((c) => c.type.nameZh)).toEqual(expect.arrayContaining(['营业执照', '食品经营许可证']));
  });
});

describe('status: suspend, reinstate, revoke and the Token Status List', () => {
  it('publishes 2-bit values that follow every change, signed by the bureau key of /api/trust/jwks', async () => {
    const a = (await gaj.post('/api/cert/certificates', idCard({ number: 'T-ST-A' }))).json();
    const b = (await gaj.post('/api/cert/certificates', idCard({ number: 'T-ST-B' }))).json();
    expect(a.statusList.id).toBe(b.statusList.id);
    const listUrl = `/api/cert/status-lists/${a.statusList.id}`;

    const read = async () => {
      const r = await t.anonymous().get(listUrl);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('application/statuslist+jwt');
      const [h, p, s] = r.body.split('.');
      const header = JSON.parse(Buffer.from(h, 'base64url').toString());
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
      expect(header).toMatchObject({ alg: 'ES256', typ: 'statuslist+jwt' });
      expect(payload).toMatchObject({ sub: a.statusList.uri, ttl: 300, status_list: { bits: 2 } });
      expect(payload.exp).toBeGreaterThan(payload.iat);
      const jwks = (await t.anonymous().get('/api/trust/jwks')).json();
      const jwk = jwks.keys.find((k: { kid: string }) => k.kid === header.kid);
      expect(jwk).toBeTruthy();
      const ok = nodeVerify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
      expect(ok).toBe(true);
      return decodeStatusList(payload.status_list.lst, 2);
    };

    let at = await read();
    expect([at(a.statusList.index), at(b.statusList.index)]).toEqual([0, 0]);
    expect((await gaj.post(`/api/cert/certificates/${a.id}/suspend`, { reason: '挂失' })).statusCode).toBe(200);
    at = await read();
    expect([at(a.statusList.index), at(b.statusList.index)]).toEqual([2, 0]);
    expect((await gaj.post(`/api/cert/certificates/${b.id}/revoke`, { reason: '注销' })).statusCode).toBe(200);
    at = await read();
    expect([at(a.statusList.index), at(b.statusList.index)]).toEqual([2, 1]);
    const back = await gaj.post(`/api/cert/certificates/${a.id}/reinstate`, { reason: '找回' });
    expect(back.json().history.map((h: { action: string }) => h.action)).toEqual(['issue', 'suspend', 'reinstate']);
    at = await read();
    expect([at(a.statusList.index), at(b.statusList.index)]).toEqual([0, 1]);
    // revoked is final; reinstating something valid makes no sense
    expect((await gaj.post(`/api/cert/certificates/${b.id}/reinstate`, { reason: 'x' })).statusCode).toBe(409);
    expect((await gaj.post(`/api/cert/certificates/${b.id}/suspend`, { reason: 'x' })).statusCode).toBe(409);
    expect((await gaj.post(`/api/cert/certificates/${a.id}/reinstate`, { reason: 'x' })).statusCode).toBe(409);
    expect((await gaj.post(`/api/cert/certificates/${a.id}/revoke`, { reason: '' })).statusCode).toBe(400);
    expect((await t.anonymous().get('/api/cert/status-lists/9999')).statusCode).toBe(404);
    const audit = await t.app.services.database.query<{ action: string }>(`select action from audit_log where entity_id = $1 order by seq`, [b.id]);
    expect(audit.map((x) => x.action)).toEqual(['cert.issue', 'cert.revoke']);
  });
});

describe('bulk import', () => {
  const good = (i: number) => makeCitizenId('370202', '1990-01-01', 100 + i);
  const csv = [
    '证照编号,持证主体,持证主体代码,颁证日期,有效期起始,有效期截止,管辖属地,sex,ethnicity,birthDate,address',
    `IMP-1,甲,${good(1)},2025-01-01,,2045-01-01,,男,汉,1990-01-01,青岛市市南区1号`,
    `IMP-2,乙,${good(2).slice(0, 17)}${good(2)[17] === '0' ? '1' : '0'},2025-01-01,,,,男,汉,1990-01-01,青岛市市南区2号`,
    `IMP-3,丙,${good(3)},2025-13-01,,,,男,汉,1990-01-01,青岛市市南区3号`,
    `IMP-4,丁,${good(4)},2025-01-01,,,,男,汉,1990-01-01,青岛市市南区4号`,
    `,戊,${good(5)},2025-01-01,,,,男,,1990-01-01,青岛市市南区5号`,
    `IMP-4,丁,${good(4)},2025-01-01,,,,男,汉,1990-01-01,青岛市市南区4号`,
  ].join('\r\n');

  it('issues the good rows, reports every bad row with row, field and reason, and re-runs without duplicates', async () => {
    const m = multipart({ typeId: typeId('居民身份证') }, { name: 'ids.csv', type: 'text/csv', body: csv });
    const r = await gaj.post('/api/cert/imports', m.body, m.headers);
    expect(r.statusCode).toBe(202);
    const imp = r.json();
    expect(imp.state).toBe('queued');
    await t.app.services.queue.drain();
    const done = (await gaj.get(`/api/cert/imports/${imp.id}`)).json();
    expect(done).toMatchObject({ state: 'succeeded', rowsRead: 6, rowsIssued: 2, rowsDuplicate: 1, rowsRejected: 3 });
    const rejects = (await gaj.get(`/api/cert/imports/${imp.id}/rejects`)).json();
    expect(rejects.items.map((x: { rowNumber: number; field: string }) => `${x.rowNumber}:${x.field}`)).toEqual(['3:holderCode', '4:issuedOn', '6:number', '6:ethnicity']);
    expect(rejects.items[0].raw.holderCode).toContain('*');
    const file = await gaj.get(`/api/cert/imports/${imp.id}/rejects.csv`);
    expect(file.headers['content-type']).toContain('text/csv');
    expect(file.body.trim().split('\r\n')).toHaveLength(5);
    const issued = (await gaj.get(`/api/cert/certificates?importId=${imp.id}`)).json();
    expect(issued.items.map((c: { number: string }) => c.number).sort()).toEqual(['IMP-1', 'IMP-4']);

    const again = await gaj.post('/api/cert/imports', m.body, m.headers);
    await t.app.services.queue.drain();
    const second = (await gaj.get(`/api/cert/imports/${again.json().id}`)).json();
    expect(second).toMatchObject({ state: 'succeeded', rowsIssued: 0, rowsDuplicate: 3, rowsRejected: 3 });
  });

  it('resumes an interrupted import after the last committed row (rows before it are neither issued nor reported again)', async () => {
    const id = (i: number) => makeCitizenId('370203', '1991-03-03', 200 + i);
    const lines = ['number,holderName,holderCode,issuedOn,sex,ethnicity,birthDate,address'];
    for (let i = 1; i <= 6; i++) lines.push(`RES-${i},某${i},${id(i)},2025-01-01,女,${i === 2 ? '' : '汉'},1991-03-03,青岛`);
    const m = multipart({ typeId: typeId('居民身份证') }, { name: 'resume.csv', type: 'text/csv', body: lines.join('\n') });
    const imp = (await gaj.post('/api/cert/imports', m.body, m.headers)).json();
    // As if a worker had committed file rows 2-4 (RES-1..3; the header is row 1; RES-2 bad) and then died.
    await t.app.services.database.query(`update cert_imports set state = 'running', last_row = 4, rows_read = 3, rows_rejected = 1, rows_issued = 2 where id = $1`, [imp.id]);
    await t.app.services.queue.drain();
    const done = (await gaj.get(`/api/cert/imports/${imp.id}`)).json();
    expect(done).toMatchObject({ state: 'succeeded', rowsRead: 6, rowsIssued: 5, rowsRejected: 1 });
    const issued = (await gaj.get(`/api/cert/certificates?importId=${imp.id}`)).json();
    expect(issued.items.map((c: { number: string }) => c.number).sort()).toEqual(['RES-4', 'RES-5', 'RES-6']);
    expect((await gaj.get(`/api/cert/imports/${imp.id}/rejects`)).json().total).toBe(0);
  });

  it('takes JSON lines for organisation types, fields at the top level or under "fields"', async () => {
    const cc = (i: number) => makeCreditCode('370212', `MA${String(8800000 + i).padStart(7, '0')}`);
    const base = { legalRepresentative: '某', entityType: '有限责任公司', registeredCapital: 100, establishedOn: '2020-01-01', businessScope: '软件', address: '青岛' };
    const lines = [
      JSON.stringify({ number: 'YY-1', holderName: '青岛甲公司', holderCode: cc(1), ...base }),
      JSON.stringify({ number: 'YY-2', holderName: '青岛乙公司', holderCode: cc(2), fields: { ...base, registeredCapital: 'lots' } }),
    ].join('\n');
    const m = multipart({ typeId: typeId('营业执照') }, { name: 'licences.jsonl', type: 'application/x-ndjson', body: lines });
    expect((await gaj.post('/api/cert/imports', m.body, m.headers)).statusCode).toBe(403);
    const r = await spj.post('/api/cert/imports', m.body, m.headers);
    expect(r.statusCode).toBe(202);
    await t.app.services.queue.drain();
    const done = (await spj.get(`/api/cert/imports/${r.json().id}`)).json();
    expect(done).toMatchObject({ state: 'succeeded', rowsIssued: 1, rowsRejected: 1 });
    const rejects = (await spj.get(`/api/cert/imports/${r.json().id}/rejects`)).json();
    expect(rejects.items.map((x: { rowNumber: number; field: string }) => `${x.rowNumber}:${x.field}`)).toEqual(['2:registeredCapital']);
    expect((await gaj.get(`/api/cert/imports/${r.json().id}`)).statusCode).toBe(404);
  });

  it('fails an import whose header does not match, and refuses uploads without a type or of another format', async () => {
    const m = multipart({ typeId: typeId('居民身份证') }, { name: 'x.csv', type: 'text/csv', body: 'foo,bar\r\n1,2\r\n' });
    const r = await gaj.post('/api/cert/imports', m.body, m.headers);
    await t.app.services.queue.drain();
    const done = (await gaj.get(`/api/cert/imports/${r.json().id}`)).json();
    expect(done.state).toBe('failed');
    expect(done.error).toContain('foo');
    const noType = multipart({}, { name: 'x.csv', type: 'text/csv', body: csv });
    const nt = await gaj.post('/api/cert/imports', noType.body, noType.headers);
    expect(nt.statusCode).toBe(400);
    expect(nt.json().errors[0].path).toBe('/body/typeId');
    const xls = multipart({ typeId: typeId('居民身份证') }, { name: 'x.xlsx', type: 'application/octet-stream', body: 'PK' });
    expect((await gaj.post('/api/cert/imports', xls.body, xls.headers)).statusCode).toBe(415);
    const tpl = await gaj.get(`/api/cert/types/${typeId('居民身份证')}/template.csv`);
    expect(tpl.body).toContain('证照编号,持证主体,持证主体代码');
  });
});
