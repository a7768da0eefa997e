// The exchange directory and a demo catalogue, seeded on every demo start (idempotent): a member per
// department and district, the external upstream providers, the demo subsystems, and ~50 resources from
// resources.seed.json (four of them the demo datasets the data part fills).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import { systemActor } from '../../../platform/auth/actor';
import type { DataItem, PersonalKind } from '../contracts';
import type { Share } from '..';
import { shareMembers, shareResources, shareSubsystems } from './catalogue.schema';
import type { MemberLevel, ResourceFields } from './catalogue.service';

/** The instance of this platform's own members (Qingdao). */
export const CITY_INSTANCE = 'CN-370200';

/** Codes of the four resources the demo datasets fill (data, gateway and requests parts find them by these). */
export const DEMO_RESOURCE_CODES = {
  population: '370200-GAJ-00001',
  legalPerson: '370200-SJJ-00001',
  funeral: '370200-MZJ-00001',
  socialInsurance: '370200-RSJ-00001',
} as const;

export const EXTERNAL_MEMBERS: { instance: string; class: string; code: string; name: string; nameEn: string; level: MemberLevel; contact: string }[] = [
  { instance: 'CN-370000', class: 'GOV', code: 'SDDSJ', name: '山东省大数据局', nameEn: 'Shandong Big Data Bureau', level: 'province', contact: '省政务数据共享交换平台运维组' },
  { instance: 'CN-370000', class: 'GOV', code: 'SDMZT', name: '山东省民政厅', nameEn: 'Shandong Department of Civil Affairs', level: 'province', contact: '省民政厅信息中心' },
  { instance: 'CN', class: 'GOV', code: 'MPS', name: '公安部', nameEn: 'Ministry of Public Security', level: 'national', contact: '国家人口基础信息库服务组' },
  { instance: 'CN', class: 'GOV', code: 'MCA', name: '民政部', nameEn: 'Ministry of Civil Affairs', level: 'national', contact: '民政部信息中心' },
];

/** Demo subsystems: member code → [code, name, description]. */
export const DEMO_SUBSYSTEMS: Record<string, [string, string, string][]> = {
  MZJ: [
    ['funeral-registry', '殡葬管理信息系统', '全市殡仪馆火化登记，提供殡葬/死亡火化信息'],
    ['marriage-registry', '婚姻登记管理系统', '结婚、离婚登记'],
  ],
  GAJ: [['population-registry', '人口信息管理系统', '户籍人口、流动人口基础信息']],
  SJJ: [['market-entity-registry', '市场主体登记系统', '企业、个体工商户登记注册']],
  RSJ: [
    ['social-insurance', '社会保险经办系统', '参保登记、缴费核定'],
    ['pension-audit', '养老金待遇稽核系统', '比对死亡火化信息，停发冒领养老金'],
  ],
  DSJ: [['exchange-hub', '政务数据共享交换平台', '市级共享交换枢纽与主题库']],
  WJW: [['health-records', '全民健康信息平台', '出生、死亡医学证明等']],
  ZRZYJ: [['real-estate-registry', '不动产登记系统', '不动产权属登记']],
  GJJ: [['housing-fund', '住房公积金业务系统', '缴存、提取、贷款审核']],
  YBJ: [['medical-insurance', '医疗保障信息平台', '参保登记与待遇审核']],
  SDDSJ: [['license-hub', '山东省电子证照库', '全省电子证照汇聚与共享']],
  SDMZT: [['marriage-province', '全省婚姻登记信息系统', '全省婚姻登记数据']],
  MPS: [['identity-check', '全国人口信息核查服务', '身份信息比对核查']],
  MCA: [['funeral-national', '全国殡葬信息系统', '跨省火化记录']],
};

interface SeedResource extends Omit<ResourceFields, 'items' | 'providerSubsystemId'> {
  code: string;
  provider: string;
  subsystem: string | null;
  state: 'draft' | 'published' | 'retired';
  items: string[];
  demo?: keyof typeof DEMO_RESOURCE_CODES;
}

export const RESOURCE_SEED_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'resources.seed.json');

/** "name|label|type|flags": flags k (key), r (required), c (change column), p:<personal kind>. */
export function parseItem(spec: string): DataItem {
  const [name, label, type, flags = ''] = spec.split('|');
  const item: DataItem = { name, label, type: type as DataItem['type'] };
  for (const f of flags.split(',').filter(Boolean)) {
    if (f === 'k') item.key = true;
    else if (f === 'r') item.required = true;
    else if (f === 'c') item.change = true;
    else if (f.startsWith('p:')) item.personal = f.slice(2) as PersonalKind;
    else throw new Error(`unknown item flag ${f} in ${spec}`);
  }
  if (item.key) item.required = true;
  return item;
}

export function loadResourceSeed(file = RESOURCE_SEED_FILE): SeedResource[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { resources: SeedResource[] }).resources;
}

export async function seedCatalogueDemo(share: Share) {
  const { catalogue } = share;
  const db = catalogue.deps.db;
  const actor = systemActor('seed');
  await catalogue.ensureOrgMembers(CITY_INSTANCE);
  for (const m of EXTERNAL_MEMBERS) {
    await db.insert(shareMembers).values({ ...m, external: true, orgId: null }).onConflictDoNothing();
  }
  const members = new Map((await db.select().from(shareMembers)).map((m) => [m.code, m]));
  for (const [memberCode, subs] of Object.entries(DEMO_SUBSYSTEMS)) {
    const m = members.get(memberCode);
    if (!m) continue;
    for (const [code, name, description] of subs) await db.insert(shareSubsystems).values({ memberId: m.id, code, name, description }).onConflictDoNothing();
  }
  const seed = loadResourceSeed();
  const existing = new Set((await db.select({ code: shareResources.code }).from(shareResources)).map((r) => r.code));
  const todo = seed.filter((s) => !existing.has(s.code));
  if (!todo.length) return;
  const created = new Map<string, string>();
  // Create every missing one first, so related codes resolve when they are published.
  for (const s of todo) {
    const m = members.get(s.provider);
    if (!m) throw new Error(`seed resource ${s.code}: no member ${s.provider}`);
    let providerSubsystemId: string | null = null;
    if (s.subsystem) {
      const [sub] = await db.select({ id: shareSubsystems.id }).from(shareSubsystems).where(and(eq(shareSubsystems.memberId, m.id), eq(shareSubsystems.code, s.subsystem)));
      if (!sub) throw new Error(`seed resource ${s.code}: no subsystem ${s.provider}/${s.subsystem}`);
      providerSubsystemId = sub.id;
    }
    const { code, provider: _p, subsystem: _s, state: _st, demo: _d, items, ...fields } = s;
    const r = await catalogue.create(actor, { ...fields, items: items.map(parseItem), providerSubsystemId, providerMemberId: m.id }, { code });
    created.set(code, r.id);
  }
  for (const s of todo) {
    const id = created.get(s.code)!;
    if (s.state === 'published' || s.state === 'retired') await catalogue.publish(actor, id);
    if (s.state === 'retired') await catalogue.retire(actor, id, 'merged into 370200-SJJ-00001');
  }
}
