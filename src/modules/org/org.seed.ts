// Reference organisations (the city, districts, municipal departments and a few sub-units) from the
// city file, and generated demo enterprises with valid credit codes. Idempotent: matched by code.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemActor } from '../../platform/auth/actor';
import { makeCreditCode } from '../../platform/ids';
import type { OrgService } from './org.service';

export interface CityFile {
  /** `bureau`: short code of the department that runs the platform (the big-data bureau); staff
   *  accounts created without an organisation belong to it. Default: the first department. */
  city: { name: string; nameEn: string; divisionCode: string; province?: string; timezone?: string; bureau?: string };
  districts: { code: string; name: string; nameEn: string }[];
  regionPartners?: { code: string; name: string; note?: string }[];
  departments: { short: string; name: string; en: string }[];
  figures_from_report?: Record<string, number>;
}

export const DEFAULT_CITY_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../seed-data/qingdao.json');

export function loadCityFile(file = DEFAULT_CITY_FILE): CityFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CityFile;
}

/** The short code of the city-level bureau that runs the platform (see CityFile.city.bureau). */
export function bureauCode(city: CityFile): string {
  const code = city.city.bureau ?? city.departments[0]?.short;
  if (!code || !city.departments.some((d) => d.short === code)) throw new Error(`city file: bureau ${String(code)} is not one of its departments`);
  return code;
}

// Sub-units give department scope something to contain; names are typical of the departments.
const SUBUNITS: Record<string, { code: string; name: string; nameEn: string }[]> = {
  DSJ: [
    { code: 'DSJ-SJZY', name: '数据资源处', nameEn: 'Data Resources Division' },
    { code: 'DSJ-PTJS', name: '平台建设处', nameEn: 'Platform Construction Division' },
  ],
  GAJ: [
    { code: 'GAJ-HZ', name: '户政管理处', nameEn: 'Household Registration Division' },
    { code: 'GAJ-CRJ', name: '出入境管理局', nameEn: 'Exit-Entry Administration' },
  ],
  RSJ: [{ code: 'RSJ-SBZX', name: '社会保险事业中心', nameEn: 'Social Insurance Centre' }],
};

export async function seedReferenceOrgs(orgs: OrgService, city: CityFile): Promise<{ created: number }> {
  const actor = systemActor('seed');
  let created = 0;
  const ensure = async (code: string, make: () => Promise<unknown>) => {
    if (await orgs.byCode(code)) return;
    await make();
    created++;
  };
  await ensure(city.city.divisionCode, () => orgs.create(actor, { code: city.city.divisionCode, kind: 'city', name: city.city.name, nameEn: city.city.nameEn, divisionCode: city.city.divisionCode }));
  const cityOrg = (await orgs.byCode(city.city.divisionCode))!;
  for (const d of city.districts) {
    await ensure(d.code, () => orgs.create(actor, { code: d.code, kind: 'district', name: d.name, nameEn: d.nameEn, parentId: cityOrg.id, divisionCode: d.code }));
  }
  for (const dep of city.departments) {
    await ensure(dep.short, () => orgs.create(actor, { code: dep.short, kind: 'department', name: dep.name, nameEn: dep.en, parentId: cityOrg.id, divisionCode: city.city.divisionCode }));
    for (const s of SUBUNITS[dep.short] ?? []) {
      const parent = (await orgs.byCode(dep.short))!;
      await ensure(s.code, () => orgs.create(actor, { code: s.code, kind: 'subunit', name: s.name, nameEn: s.nameEn, parentId: parent.id }));
    }
  }
  // Each district has its own big-data office, so district scope has departments inside it.
  for (const d of city.districts) {
    const district = (await orgs.byCode(d.code))!;
    const code = `${d.code}-DSJ`;
    const shortName = d.name.replace(/（.*?）/, '');
    await ensure(code, () => orgs.create(actor, { code, kind: 'department', name: `${shortName}大数据局`, nameEn: `${d.nameEn} Big Data Bureau`, parentId: district.id, divisionCode: d.code }));
  }
  return { created };
}

const DEMO_ENTERPRISE_WORDS = ['海洋科技', '智能制造', '数字文旅', '港航物流', '生物医药', '新能源', '食品加工', '信息技术', '工业互联网', '现代农业'];

/** Demo enterprises: clearly marked as demo (name suffix 示例), valid GB 32100 codes, spread over districts. */
export async function seedDemoEnterprises(orgs: OrgService, city: CityFile, count = 20): Promise<string[]> {
  const actor = systemActor('seed');
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = city.districts[i % city.districts.length];
    const district = (await orgs.byCode(d.code))!;
    const creditCode = makeCreditCode(d.code, `MA${String(3100000 + i * 7919).padStart(7, '0')}`);
    codes.push(creditCode);
    if (await orgs.byCode(creditCode)) continue;
    const shortName = d.name.replace(/（.*?）|区|市$/g, '');
    await orgs.create(actor, {
      code: creditCode,
      kind: 'enterprise',
      name: `青岛${shortName}${DEMO_ENTERPRISE_WORDS[i % DEMO_ENTERPRISE_WORDS.length]}示例有限公司`,
      nameEn: `Demo enterprise ${i + 1} (${d.nameEn})`,
      parentId: district.id,
      divisionCode: d.code,
      creditCode,
      isDemo: true,
    });
  }
  return codes;
}
