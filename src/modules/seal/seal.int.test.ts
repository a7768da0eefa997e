// Electronic seals over HTTP, checked by our own verifier and by an independent one (poppler's pdfsig with
// an NSS database that trusts only our CA): the CA and seal certificates chain, keys are encrypted at rest,
// sealing and verifying, tampering (a changed byte, appended bytes), refusals, renewal and revocation, and
// the sealed decision document of an approved application.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, ne } from 'drizzle-orm';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decrypt } from '../../platform/crypto/secrets';
import { auditLog } from '../../platform/audit/audit.schema';
import { makeCitizenId } from '../../platform/ids';
import { type Client, testApp, type TestApp } from '../../test/app';
import { multipartBody } from '../../test/multipart';
import { validFormValues } from '../../test/form-values';
import type { FormDefinition } from '../svc/form';
import { svcItems } from '../svc/svc.schema';
import { fromPem, signedByCa } from './pki';
import { sealCa, sealSeals } from './seal.schema';

let t: TestApp;
let gaj: Client;
let mzj: Client;
let dsj: Client;
let zhang: Client;
let caPem: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-seal-'));

async function samplePdf(pages = 2): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([595, 842]).drawText(`Sample document, page ${i}`, { x: 60, y: 760, size: 18, font });
  return Buffer.from(await doc.save());
}

const upload = (c: Client, url: string, pdf: Buffer, fields: Record<string, string> = {}, name = 'doc.pdf') => {
  const mp = multipartBody(fields, { name, type: 'application/pdf', content: pdf });
  return c.request('POST', url, mp.body as never, { 'content-type': mp.type });
};
const verify = async (pdf: Buffer) => {
  const r = await upload(t.anonymous(), '/api/seal/verify', pdf);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { signatures: { signer: string; org: string; signedAt: string; intact: boolean; coversWholeDocument: boolean; chainTrusted: boolean; revoked: boolean; reason?: string }[] };
};
const sealAs = async (c: Client, pdf: Buffer, fields: Record<string, string> = {}) => {
  const r = await upload(c, '/api/seal/sign', pdf, fields);
  expect(r.statusCode, r.body).toBe(200);
  expect(r.headers['content-type']).toContain('application/pdf');
  return r.rawPayload;
};

/** pdfsig against a fresh NSS database that trusts our CA (or nothing, with trustCa false). */
function pdfsig(pdf: Buffer, trustCa = true): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'nss-'));
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  if (trustCa) {
    fs.writeFileSync(path.join(dir, 'ca.pem'), caPem);
    // pdfsig checks the signer for S/MIME (email signing) use, so the CA is trusted for that ("C,C,C").
    execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'dq-ca', '-t', 'C,C,C', '-i', path.join(dir, 'ca.pem')]);
  }
  const file = path.join(dir, 'doc.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync('pdfsig', ['-nssdir', `sql:${dir}`, file], { encoding: 'utf8' });
  } catch (e) {
    // pdfsig exits non-zero when a signature does not validate; its report is still what we check.
    const err = e as { stdout?: string; stderr?: string };
    return `${err.stdout ?? ''}${err.stderr ?? ''}`;
  }
}

beforeAll(async () => {
  t = await testApp();
  [gaj, mzj, dsj, zhang] = await Promise.all([t.login('gaj_officer'), t.login('mzj_officer'), t.login('dsj_officer'), t.login('citizen_zhang')]);
  const r = await t.anonymous().get('/api/seal/ca');
  expect(r.statusCode).toBe(200);
  caPem = r.body;
}, 60_000);
afterAll(async () => {
  await t.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('certificate authority and seals', () => {
  it('publishes the CA certificate and every demo seal chains to it', async () => {
    expect(caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const list = await dsj.get('/api/seal/seals?state=active&limit=200');
    expect(list.statusCode, list.body).toBe(200);
    const seals = list.json().items as { orgCode: string; certificatePem: string; certificate: { subject: string; keyUsage: string[]; issuer: string } }[];
    expect(seals.map((s) => s.orgCode)).toEqual(expect.arrayContaining(['GAJ', 'MZJ', 'RSJ', 'DSJ']));
    for (const s of seals) {
      expect(await signedByCa(fromPem(s.certificatePem), fromPem(caPem))).toBe(true);
      expect(s.certificate.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
      expect(s.certificate.subject).toMatch(/^CN=.+, O=青岛市, C=CN$/);
    }
    // A certificate from another CA does not chain.
    const other = (await t.app.services.database.db.select().from(sealCa))[0];
    expect(await signedByCa(fromPem(caPem), fromPem(seals[0].certificatePem))).toBe(false);
    expect(other.certPem).toBe(caPem);
  });

  it('keeps private keys encrypted at rest (only the master key with the right context opens them)', async () => {
    const db = t.app.services.database.db;
    const [ca] = await db.select().from(sealCa);
    const [seal] = await db.select().from(sealSeals).limit(1);
    for (const [row, ctx] of [[ca, `seal_ca.key:${ca.serial}`], [seal, `seal_seals.key:${seal.serial}`]] as const) {
      expect(row.keyEnc).toMatch(/^v1\./);
      expect(row.keyEnc).not.toContain('MII'); // the start of any base64 DER key
      const pkcs8 = Buffer.from(decrypt(t.config.masterKey, row.keyEnc, ctx), 'base64');
      expect(pkcs8[0]).toBe(0x30);
      expect(() => decrypt(t.config.masterKey, row.keyEnc, 'another-context')).toThrow();
    }
  });

  it('department staff see only their own seals; only managers make them', async () => {
    const own = (await gaj.get('/api/seal/seals')).json().items as { orgCode: string }[];
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own.map((s) => s.orgCode))).toEqual(new Set(['GAJ']));
    const org = await t.app.services.orgs.byCode('GAJ');
    expect((await gaj.post('/api/seal/seals', { orgId: org!.id })).statusCode).toBe(403);
    expect((await zhang.get('/api/seal/seals')).statusCode).toBe(403);
    expect((await t.anonymous().get('/api/seal/seals')).statusCode).toBe(401);
    const bad = await dsj.post('/api/seal/seals', { orgId: 'not-a-uuid' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toContain('orgId');
  });

  it('draws the seal image as SVG with the department name', async () => {
    const [s] = (await gaj.get('/api/seal/seals?state=active')).json().items as { id: string }[];
    const r = await gaj.get(`/api/seal/seals/${s.id}/image.svg`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('image/svg+xml');
    expect(r.body).toContain('<path');
    for (const ch of '市公安局') expect(r.body).toContain(`>${ch}<`);
  });
});

describe('sealing and verifying', () => {
  let sealed: Buffer;

  it('seals a PDF with a visible seal and a signature our verifier trusts', async () => {
    const input = await samplePdf();
    sealed = await sealAs(gaj, input, { page: '1', position: 'bottom-right' });
    expect(sealed.length).toBeGreaterThan(input.length);
    const v = await verify(sealed);
    expect(v.signatures).toHaveLength(1);
    expect(v.signatures[0]).toMatchObject({ signer: '青岛市公安局', org: '青岛市', intact: true, coversWholeDocument: true, chainTrusted: true, revoked: false });
    expect(v.signatures[0].reason).toBeUndefined();
    expect(Math.abs(Date.parse(v.signatures[0].signedAt) - Date.now())).toBeLessThan(120_000);
    // The visible seal's text is on the chosen page (Type 3 glyphs with a ToUnicode map stay extractable).
    fs.writeFileSync(path.join(tmp, 'sealed.pdf'), sealed);
    const page1 = execFileSync('pdftotext', ['-f', '1', '-l', '1', path.join(tmp, 'sealed.pdf'), '-'], { encoding: 'utf8' });
    expect(page1).toContain('电子印章');
    const page2 = execFileSync('pdftotext', ['-f', '2', '-l', '2', path.join(tmp, 'sealed.pdf'), '-'], { encoding: 'utf8' });
    expect(page2).not.toContain('电子印章');
    const [audit] = await t.app.services.database.db.select().from(auditLog).where(eq(auditLog.action, 'seal.document.sign'));
    expect(audit.actorName).toBe('gaj_officer');
  });

  it('pdfsig (poppler/NSS) validates the signature against our CA, and only with our CA trusted', () => {
    const out = pdfsig(sealed);
    expect(out).toContain('Signer Certificate Common Name: 青岛市公安局');
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Certificate Validation: Certificate is Trusted.');
    expect(out).toContain('Total document signed');
    const untrusted = pdfsig(sealed, false);
    expect(untrusted).toContain('Signature is Valid.');
    expect(untrusted).not.toContain('Certificate is Trusted.');
  });

  it('a byte changed inside the signed range: both verifiers say the document was modified', async () => {
    // The header's binary comment line: inside the first signed range, and harmless to PDF readers.
    const at = sealed.indexOf('\n', 0) + 2;
    expect(at).toBeLessThan(20);
    const tampered = Buffer.from(sealed);
    tampered[at] ^= 0x01;
    const v = await verify(tampered);
    expect(v.signatures[0]).toMatchObject({ intact: false, reason: 'modified' });
    const out = pdfsig(tampered);
    expect(out).not.toContain('Signature is Valid.');
    expect(out).toMatch(/Digest Mismatch|Signature is Invalid/);
  });

  it('bytes appended after sealing: not the whole document any more', async () => {
    const appended = Buffer.concat([sealed, Buffer.from('\n% appended after sealing\n')]);
    const v = await verify(appended);
    expect(v.signatures[0]).toMatchObject({ intact: true, coversWholeDocument: false, reason: 'not-whole-document' });
    expect(pdfsig(appended)).toContain('Not total document signed');
  });

  it('refuses the wrong callers and bad input by field', async () => {
    const pdf = await samplePdf(1);
    const [gajSeal] = (await gaj.get('/api/seal/seals?state=active')).json().items as { id: string }[];
    const other = await upload(mzj, '/api/seal/sign', pdf, { sealId: gajSeal.id });
    expect(other.statusCode, other.body).toBe(403);
    expect((await upload(zhang, '/api/seal/sign', pdf)).statusCode).toBe(403);
    expect((await upload(t.anonymous(), '/api/seal/sign', pdf)).statusCode).toBe(401);
    const notPdf = await upload(gaj, '/api/seal/sign', Buffer.from('hello, not a pdf'));
    expect(notPdf.statusCode).toBe(400);
    expect(notPdf.headers['content-type']).toContain('application/problem+json');
    expect(notPdf.json().errors[0].path).toBe('/body/file');
    const badPage = await upload(gaj, '/api/seal/sign', pdf, { page: '7' });
    expect(badPage.statusCode).toBe(400);
    expect(badPage.json().errors[0].path).toBe('/body/page');
    const badPos = await upload(gaj, '/api/seal/sign', pdf, { position: 'upside-down' });
    expect(badPos.json().errors[0].path).toBe('/body/position');
    const offPage = await upload(gaj, '/api/seal/sign', pdf, { x: '5', y: '5' });
    expect(offPage.json().errors[0].path).toBe('/body/x');
    const again = await upload(gaj, '/api/seal/sign', sealed);
    expect(again.statusCode).toBe(422);
    const noFile = await t.anonymous().request('POST', '/api/seal/verify', 'x' as never, { 'content-type': 'text/plain' });
    expect(noFile.statusCode).toBeGreaterThanOrEqual(400);
    expect(noFile.statusCode).toBeLessThan(500);
  });

  it('a PDF nobody sealed has no signatures', async () => {
    expect((await verify(await samplePdf(1))).signatures).toEqual([]);
  });

  it('random, truncated and corrupted files never make the verifier fail (no 500)', async () => {
    const text = sealed.toString('latin1');
    const hole = text.indexOf('/Contents <') + '/Contents <'.length;
    const garbled = Buffer.from(sealed);
    for (let i = 0; i < 400; i++) garbled[hole + 100 + i] = '0123456789abcdef'.charCodeAt((i * 7) % 16);
    const wrongRange = Buffer.from(text.replace(/\/ByteRange \[0 \d+/, (m) => m.replace(/\d+$/, (n) => String(Number(n) + 5).padStart(n.length, '0').slice(-n.length))), 'latin1');
    const cases: Buffer[] = [garbled, wrongRange, Buffer.from('%PDF-1.7\n/ByteRange [0 99999999 99999999 5]\n')];
    for (const cut of [0.1, 0.3, 0.5, 0.7, 0.9, 0.99]) cases.push(sealed.subarray(0, Math.floor(sealed.length * cut)));
    for (let i = 0; i < 10; i++) cases.push(Buffer.concat([Buffer.from('%PDF-'), Buffer.from(Array.from({ length: 200 + i * 50 }, (_, k) => (k * 31 + i * 17) & 0xff))]));
    for (const c of cases) {
      const r = await upload(t.anonymous(), '/api/seal/verify', c);
      expect(r.statusCode, r.body).toBeLessThan(500);
      if (r.statusCode === 200) for (const s of r.json().signatures as { intact: boolean; coversWholeDocument: boolean; chainTrusted: boolean }[]) expect(s.intact && s.coversWholeDocument && s.chainTrusted).toBe(false);
    }
  });

  it('renewal: a new key and certificate; documents sealed with the old seal still verify', async () => {
    const org = await t.app.services.orgs.byCode('GAJ');
    const before = (await gaj.get('/api/seal/seals?state=active')).json().items[0] as { id: string; serial: string };
    const r = await dsj.post('/api/seal/seals', { orgId: org!.id });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ state: 'active', replacesId: before.id });
    expect(r.json().serial).not.toBe(before.serial);
    const old = (await gaj.get(`/api/seal/seals/${before.id}`)).json();
    expect(old.state).toBe('superseded');
    expect((await verify(sealed)).signatures[0]).toMatchObject({ intact: true, chainTrusted: true });
    const fresh = await sealAs(gaj, await samplePdf(1));
    const v = (await verify(fresh)).signatures[0] as { intact: boolean; chainTrusted: boolean; sealId?: string };
    expect(v).toMatchObject({ intact: true, chainTrusted: true, sealId: r.json().id });
    const actions = (await t.app.services.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'seal.seal.renew'), eq(auditLog.entityId, r.json().id)))).length;
    expect(actions).toBe(1);
  });

  it('revocation: documents sealed with a revoked seal are no longer trusted, and it cannot seal', async () => {
    const rsj = await t.login('rsj_officer');
    const doc = await sealAs(rsj, await samplePdf(1));
    const [seal] = (await rsj.get('/api/seal/seals?state=active')).json().items as { id: string }[];
    expect((await rsj.post(`/api/seal/seals/${seal.id}/revoke`, { reason: 'key compromised' })).statusCode).toBe(403);
    const bad = await dsj.post(`/api/seal/seals/${seal.id}/revoke`, {});
    expect(bad.statusCode).toBe(400);
    const r = await dsj.post(`/api/seal/seals/${seal.id}/revoke`, { reason: '印章密钥疑似泄露' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().state).toBe('revoked');
    const v = (await verify(doc)).signatures[0];
    expect(v).toMatchObject({ intact: true, chainTrusted: false, revoked: true, reason: 'seal-revoked' });
    expect((await upload(rsj, '/api/seal/sign', await samplePdf(1), { sealId: seal.id })).statusCode).toBe(409);
    expect((await dsj.post(`/api/seal/seals/${seal.id}/revoke`, { reason: 'again' })).statusCode).toBe(409);
  });
});

describe('sealed decision documents', () => {
  let appId = '';
  let item: typeof svcItems.$inferSelect;

  it('an approved application gets a sealed decision document that both verifiers accept', async () => {
    // A Public Security Bureau item decided by an officer (the hall's own workflow, nothing faked).
    const db = t.app.services.database.db;
    const gajOrg = await t.app.services.orgs.byCode('GAJ');
    const items = await db.select().from(svcItems).where(and(eq(svcItems.ownerOrgId, gajOrg!.id), eq(svcItems.applicantType, 'person'), eq(svcItems.status, 'published'), ne(svcItems.mode, 'auto')));
    item = items[0];
    const data = validFormValues(item.form as FormDefinition, { idNumber: makeCitizenId('370202', '1988-05-17', 231), phone: '13800000001', date: '2020-01-01' }, { applicantName: '张示例' });
    const c = await zhang.post('/api/applications', { itemId: item.id });
    expect(c.statusCode, c.body).toBe(201);
    appId = c.json().id;
    expect((await zhang.patch(`/api/applications/${appId}`, { data })).statusCode).toBe(200);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    // Upload whatever material the item asks for (the submit answer names each missing one).
    let s = await zhang.post(`/api/applications/${appId}/submit`);
    for (let i = 0; i < 6 && s.statusCode === 400; i++) {
      for (const e of s.json().errors as { path: string }[]) {
        const key = e.path.replace(/^\/materials\//, '');
        const u = await zhang.request('PUT', `/api/applications/${appId}/materials/${key}?fileName=scan.pdf`, pdf as never, { 'content-type': 'application/pdf' });
        expect(u.statusCode, u.body).toBe(201);
      }
      s = await zhang.post(`/api/applications/${appId}/submit`);
    }
    expect(s.json().state, s.body).toBe('submitted');
    const early = await zhang.get(`/api/svc/applications/${appId}/decision.pdf`);
    expect(early.statusCode).toBe(409);
    for (const action of ['accept', 'approve']) {
      const a = await gaj.post(`/api/svc/applications/${appId}/actions`, { action });
      expect(a.statusCode, a.body).toBe(200);
    }

    const r = await zhang.get(`/api/svc/applications/${appId}/decision.pdf`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('application/pdf');
    const doc = r.rawPayload;
    const owner = gajOrg;
    const v = await verify(doc);
    expect(v.signatures).toHaveLength(1);
    expect(v.signatures[0]).toMatchObject({ signer: '青岛市公安局', intact: true, coversWholeDocument: true, chainTrusted: true });
    const out = pdfsig(doc);
    expect(out).toContain('Signature is Valid.');
    expect(out).toContain('Certificate is Trusted.');
    fs.writeFileSync(path.join(tmp, 'decision.pdf'), doc);
    const text = execFileSync('pdftotext', [path.join(tmp, 'decision.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const s2 of ['准予许可决定书', '张示例', item.name, appId, owner!.name]) expect(text).toContain(s2.replace(/\s+/g, ''));
    // Chinese text is real text in the PDF, not a missing font.
    const fonts = execFileSync('pdffonts', [path.join(tmp, 'decision.pdf')], { encoding: 'utf8' });
    expect(fonts).toContain('Type 3');

    const again = await zhang.get(`/api/svc/applications/${appId}/decision.pdf`);
    expect(Buffer.compare(again.rawPayload, doc)).toBe(0);
  });

  it('only the applicant and the staff who can see the application get it; not before approval', async () => {
    const wang = await t.login('elder_wang');
    expect((await wang.get(`/api/svc/applications/${appId}/decision.pdf`)).statusCode).toBe(404);
    expect((await t.anonymous().get(`/api/svc/applications/${appId}/decision.pdf`)).statusCode).toBe(401);
    expect((await gaj.get(`/api/svc/applications/${appId}/decision.pdf`)).statusCode).toBe(200);
    expect((await mzj.get(`/api/svc/applications/${appId}/decision.pdf`)).statusCode).toBe(404);
    const draft = await zhang.post('/api/applications', { itemId: item.id });
    const r = await zhang.get(`/api/svc/applications/${draft.json().id}/decision.pdf`);
    expect(r.statusCode).toBe(409);
  });
});
