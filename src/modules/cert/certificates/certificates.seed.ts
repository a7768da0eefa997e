// Reference data (always): the 30 certificate types of src/seed-data/certificate-types.csv with the fields
// of certificate-fields.json; departments that define or issue types get a government credit code when they
// have none. Demo data (never in production): a few certificates for the demo citizens and the demo
// enterprise, one suspended and one expired, so the wallet has something to claim.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { systemActor } from '../../../platform/auth/actor';
import { makeCitizenId, makeCreditCode, todayInShanghai } from '../../../platform/ids';
import type { CertificateFieldDef } from '../contracts';
import { certCertificates, certTypes } from './certificates.schema';
import type { CertificateService } from './certificates.service';

const SEED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../seed-data');

export interface TypeSeed {
  nameZh: string;
  department: string;
  holderKind: 'person' | 'organisation';
  nameEn: string;
  fields: CertificateFieldDef[];
}

export function loadTypeSeeds(dir = SEED_DIR): TypeSeed[] {
  const lines = fs.readFileSync(path.join(dir, 'certificate-types.csv'), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim());
  const defs = (JSON.parse(fs.readFileSync(path.join(dir, 'certificate-fields.json'), 'utf8')) as { types: Record<string, { nameEn: string; fields: CertificateFieldDef[] }> }).types;
  return lines.slice(1).map((line) => {
    const [nameZh, department, holder] = line.split(',').map((s) => s.trim());
    const def = defs[nameZh];
    if (!def) throw new Error(`certificate-fields.json has no entry for ${nameZh}`);
    if (holder !== '自然人' && holder !== '法人') throw new Error(`certificate-types.csv: holder of ${nameZh} is ${holder}`);
    return { nameZh, department, holderKind: holder === '自然人' ? 'person' : 'organisation', nameEn: def.nameEn, fields: def.fields };
  });
}

/** A stable 9-digit subject id for a department's generated government credit code. */
function subjectIdFor(orgCode: string, attempt: number): string {
  const h = createHash('sha256').update(`${orgCode}#${attempt}`).digest();
  return String(h.readUInt32BE(0) % 1_000_000_000).padStart(9, '0');
}

export async function seedCertificateReference(certs: CertificateService): Promise<{ created: number }> {
  const { orgs, db } = certs.deps;
  const actor = systemActor('seed');
  const seeds = loadTypeSeeds();
  const numberInDept = new Map<string, number>();
  let created = 0;
  for (const s of seeds) {
    const n = (numberInDept.get(s.department) ?? 0) + 1;
    numberInDept.set(s.department, n);
    const [existing] = await db.select({ id: certTypes.id }).from(certTypes).where(eq(certTypes.nameZh, s.nameZh));
    if (existing) continue;
    let dept = await orgs.byCode(s.department);
    if (!dept) throw new Error(`certificate type ${s.nameZh}: department ${s.department} is missing`);
    for (let attempt = 0; !dept.creditCode; attempt++) {
      // Government bodies: registration authority 1 (institutional establishment), type 1 (organ), the city's division.
      const code = makeCreditCode(dept.divisionCode, subjectIdFor(dept.code, attempt), '1', '1');
      if (await orgs.byCode(code)) continue;
      try {
        dept = await orgs.update(actor, dept.id, { creditCode: code });
      } catch (err) {
        if (attempt > 5) throw err;
      }
    }
    await db
      .insert(certTypes)
      .values({ code: `${dept.creditCode}${String(n).padStart(3, '0')}`, nameZh: s.nameZh, nameEn: s.nameEn, departmentOrgId: dept.id, holderKind: s.holderKind, fields: s.fields })
      .onConflictDoNothing();
    created++;
  }
  return { created };
}

interface DemoCert {
  type: string;
  number: string;
  validUntil: string | null;
  issuedOn: string;
  fields: Record<string, string | number>;
  then?: 'suspend';
}

/** Demo certificates (numbers start with DEMO so they are recognisably generated). Idempotent by number. */
export async function seedCertificateDemo(certs: CertificateService): Promise<{ issued: number }> {
  const { auth, orgs, db } = certs.deps;
  const actor = systemActor('seed');
  const byName = new Map((await certs.typeRows()).map((t) => [t.nameZh, t]));
  let issued = 0;
  const issue = async (holderName: string, holderCode: string, c: DemoCert) => {
    const t = byName.get(c.type);
    if (!t) return;
    const [done] = await db.select({ id: certCertificates.id }).from(certCertificates).where(eq(certCertificates.number, c.number));
    if (done) return;
    const r = await certs.issue(actor, { typeId: t.id, number: c.number, holderName, holderCode, issuedOn: c.issuedOn, validFrom: c.issuedOn, validUntil: c.validUntil, fields: c.fields }, { isDemo: true });
    if (c.then === 'suspend') await certs.changeStatus(actor, r.id, 'suspend', '演示：证件挂失待核实 (demo: reported lost, being checked)');
    issued++;
  };
  const person = async (username: string, make: (name: string, id: string, birth: string, sex: string) => DemoCert[]) => {
    const u = await auth.findByUsername(username);
    const id = u ? auth.revealIdNumber(u) : null;
    if (!u || !id) return;
    const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
    const sex = Number(id[16]) % 2 === 1 ? '男' : '女';
    for (const c of make(u.displayName, id, birth, sex)) await issue(u.displayName, id, c);
  };
  const today = todayInShanghai();
  const yearsFrom = (d: string, y: number) => `${Number(d.slice(0, 4)) + y}${d.slice(4)}`;

  await person('citizen_zhang', (name, id, birth, sex): DemoCert[] => [
    { type: '居民身份证', number: 'DEMO-SFZ-0001', issuedOn: '2019-06-01', validUntil: '2039-06-01', fields: { sex, ethnicity: '汉', birthDate: birth, address: '山东省青岛市市南区香港中路10号（示例）' } },
    { type: '机动车驾驶证', number: 'DEMO-JSZ-0001', issuedOn: '2020-03-15', validUntil: '2030-03-15', fields: { sex, nationality: '中国', birthDate: birth, address: '山东省青岛市市南区香港中路10号（示例）', vehicleClass: 'C1', firstIssuedOn: '2014-03-15' } },
    { type: '社会保障卡', number: 'DEMO-SBK-0001', issuedOn: '2021-01-10', validUntil: null, fields: { sex, cardNumber: 'DEMO37020000001', bank: '示例银行' } },
    { type: '居住证', number: 'DEMO-JZZ-0001', issuedOn: '2022-05-01', validUntil: '2023-05-01', fields: { sex, residenceAddress: '山东省青岛市崂山区示例路1号', origin: '山东省潍坊市' } },
    // The service hall's renter provident-fund withdrawal takes this one from the wallet.
    { type: '住房公积金缴存证明', number: 'DEMO-GJJ-0001', issuedOn: '2026-01-05', validUntil: null, fields: { accountNumber: 'DEMO0370200123', employer: '青岛示例科技有限公司', monthlyContribution: 1860, balance: 52340, since: '2015-07' } },
    { type: '就业创业证', number: 'DEMO-JYZ-0001', issuedOn: today, validUntil: null, fields: { sex, employmentStatus: '就业' }, then: 'suspend' },
  ]);
  await person('elder_wang', (name, id, birth, sex): DemoCert[] => [
    { type: '居民身份证', number: 'DEMO-SFZ-0002', issuedOn: '2010-09-01', validUntil: null, fields: { sex, ethnicity: '汉', birthDate: birth, address: '山东省青岛市市北区辽宁路20号（示例）' } },
    { type: '残疾人证', number: 'DEMO-CJZ-0002', issuedOn: '2018-04-20', validUntil: yearsFrom('2018-04-20', 10), fields: { sex, address: '山东省青岛市市北区辽宁路20号（示例）', disabilityCategory: '肢体', disabilityGrade: '四级' } },
    { type: '退役军人优待证', number: 'DEMO-YDZ-0002', issuedOn: '2023-08-01', validUntil: null, fields: { category: '退役军人' } },
  ]);
  await person('parent_li', (name, id, birth, sex): DemoCert[] => [
    { type: '居民身份证', number: 'DEMO-SFZ-0003', issuedOn: '2016-11-11', validUntil: '2036-11-11', fields: { sex, ethnicity: '汉', birthDate: birth, address: '山东省青岛市崂山区松岭路30号（示例）' } },
    { type: '结婚证', number: 'DEMO-JHZ-0003', issuedOn: '2021-05-20', validUntil: null, fields: { spouseName: '赵示例', spouseIdNumber: makeCitizenId('370212', '1992-01-01', 17), registeredOn: '2021-05-20', registrar: '青岛市崂山区民政局（示例）' } },
    { type: '教师资格证书', number: 'DEMO-JSZG-0003', issuedOn: '2017-07-01', validUntil: null, fields: { sex, birthDate: birth, qualificationType: '初级中学', subject: '数学' } },
  ]);

  const ent = await auth.findByUsername('ent_demo');
  const org = ent?.orgId ? await orgs.byId(ent.orgId) : null;
  if (org?.creditCode) {
    const base = { creditCode: org.creditCode, legalRepresentative: '示例法人' };
    await issue(org.name, org.creditCode, {
      type: '营业执照',
      number: 'DEMO-YYZZ-0001',
      issuedOn: '2020-08-08',
      validUntil: null,
      fields: { ...base, entityType: '有限责任公司', registeredCapital: 500, establishedOn: '2020-08-08', businessScope: '食品加工；食品销售（示例）', address: '山东省青岛市（示例地址）' },
    });
    await issue(org.name, org.creditCode, {
      type: '食品经营许可证',
      number: 'DEMO-SPJY-0001',
      issuedOn: '2021-09-01',
      validUntil: '2026-08-31',
      fields: { ...base, premises: '山东省青岛市（示例经营场所）', mainBusiness: '食品销售经营者', businessItems: '预包装食品销售' },
    });
    await issue(org.name, org.creditCode, {
      type: '食品经营许可证',
      number: 'DEMO-SPJY-0002',
      issuedOn: '2026-09-01',
      validUntil: '2031-08-31',
      fields: { ...base, premises: '山东省青岛市（示例经营场所）', mainBusiness: '食品销售经营者', businessItems: '预包装食品销售；散装食品销售' },
    });
  }
  return { issued };
}
