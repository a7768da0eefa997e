// The full-size demo catalogue (load tests, console statistics, bench/search.ts): items composed from
// the real item names, department topics and district names until the catalogue holds `total` items,
// split between departments and districts in the reference city's proportion (2,229 : 5,331 of 7,560).
// Every generated item is marked is_demo. Batched multi-row inserts in one transaction.
import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { systemActor } from '../../platform/auth/actor';
import { inTransaction } from '../../platform/db/client';
import type { Org } from '../org';
import { ITEM_KINDS, type HandlingMode, type ItemDefinition, type ItemKind } from './model';
import { demoForm, demoMaterials, ZONE_RULES } from './svc.reference';
import { hashNumber, loadItemCsv } from './svc.seed';
import type { CatalogueService } from './svc.service';
import { svcItems, svcItemVersions } from './svc.schema';

export const REFERENCE_TOTAL = 7560;
export const REFERENCE_DEPARTMENT_SHARE = 2229 / 7560;

// Subjects a department handles, and what one does about them.
const TOPICS: Record<string, string[]> = {
  GAJ: ['户口登记', '户口迁移', '居民身份证', '居住证', '临时身份证', '户籍证明', '机动车登记', '驾驶证', '出入境证件', '港澳通行证', '台湾通行证', '犬只登记', '保安服务', '旅馆业特种行业', '大型活动安全'],
  RSJ: ['社会保险登记', '养老保险', '失业保险', '工伤保险', '就业登记', '职业培训补贴', '技能人才评价', '人才引进', '劳动合同', '劳务派遣', '人力资源服务', '职称评审', '社会保障卡', '创业担保贷款', '高校毕业生'],
  YBJ: ['医保参保登记', '医保关系转移', '医疗费用报销', '门诊慢特病', '异地就医', '定点医药机构', '长期护理保险', '生育保险待遇', '医保缴费', '大病保险'],
  GJJ: ['住房公积金缴存', '住房公积金提取', '住房公积金贷款', '公积金账户', '缴存基数', '缓缴', '提前还款', '异地转移接续'],
  MZJ: ['最低生活保障', '特困人员供养', '临时救助', '养老服务', '高龄津贴', '婚姻登记', '收养登记', '社会团体', '民办非企业单位', '殡葬服务', '地名命名', '残疾人两项补贴'],
  SPJ: ['企业设立', '企业变更', '企业注销', '个体工商户', '食品经营', '药品经营', '医疗器械经营', '建筑工程施工', '道路运输', '特种设备', '广告发布', '印章刻制'],
  ZJJ: ['商品房预售', '房屋租赁', '物业服务', '建筑业企业资质', '建设工程质量', '保障性住房', '房屋交易', '住宅专项维修资金'],
  CGJ: ['城市道路占用', '城市道路挖掘', '户外广告', '建筑垃圾处置', '环境卫生', '园林绿化', '燃气经营', '供热'],
  ZRZYJ: ['不动产登记', '不动产抵押', '建设用地规划', '建设工程规划', '测绘资质', '林木采伐', '土地复垦'],
  WJW: ['医师执业', '护士执业', '医疗机构执业', '出生医学证明', '母婴保健技术', '放射诊疗', '公共场所卫生', '生活饮用水卫生', '计划生育奖励'],
  TYJ: ['退役军人优待证', '退役士兵安置', '自主就业补助', '伤残抚恤', '烈士褒扬', '优抚对象'],
  CL: ['残疾人证', '残疾人就业', '残疾人康复', '辅助器具', '残疾人托养'],
  JTJ: ['道路旅客运输', '道路货物运输', '出租汽车', '网络预约出租汽车', '机动车维修', '驾驶员培训', '港口经营', '水路运输'],
  SWJ: ['取水', '排水', '河道管理范围内建设', '节约用水', '水土保持'],
  HBJ: ['环境影响评价', '排污许可', '危险废物经营', '辐射安全', '噪声污染防治'],
  WLJ: ['旅行社业务', '娱乐场所', '营业性演出', '网络文化经营', '文物保护', 'A级旅游景区'],
  JYJ: ['义务教育招生', '教师资格', '民办学校办学', '学历证明', '校外培训机构', '学生资助'],
  SWU: ['增值税发票', '个人所得税', '纳税申报', '税务登记', '出口退税', '社会保险费缴纳', '完税证明'],
  KJJ: ['高新技术企业', '科技型中小企业', '技术合同', '科技成果', '外国人来华工作'],
  GXJ: ['企业技术中心', '专精特新企业', '工业互联网', '节能监察', '无线电台'],
  FGW: ['信用修复', '固定资产投资项目', '价格认定', '节能审查'],
  NYJ: ['农药经营', '兽药经营', '种子生产经营', '动物防疫', '渔业捕捞', '农机购置补贴', '家庭农场'],
  HYJ: ['海域使用', '渔业船舶', '水产苗种', '海洋工程', '远洋渔业'],
  SWUJ: ['对外贸易经营者', '单用途商业预付卡', '报废机动车回收', '成品油零售', '拍卖企业'],
  YJJ: ['危险化学品经营', '安全生产', '烟花爆竹经营', '非煤矿山', '安全评价'],
  SJJ: ['市场主体登记', '食品生产', '特种设备', '计量器具', '商标质押', '产品质量'],
  TJJ: ['统计调查', '统计数据', '统计登记'],
  SFJ: ['律师执业', '公证', '司法鉴定', '法律援助', '人民调解', '基层法律服务'],
  CZJ: ['政府采购', '会计代理记账', '财政票据', '非税收入'],
  JRJ: ['地方金融组织', '小额贷款公司', '融资担保', '典当行'],
  RFB: ['人防工程建设', '人防工程拆除', '人防警报设施'],
  SWENJ: ['水文监测', '水文资料', '水文站'],
  DSJ: ['公共数据共享', '公共数据开放', '政务云资源', '电子证照', '政务服务事项'],
  RX: ['热线工单', '诉求办理', '意见建议'],
};

// What districts (and their offices) handle near people.
const DISTRICT_TOPICS = [
  '居住证', '户籍证明', '最低生活保障', '特困人员供养', '临时救助', '高龄津贴', '养老服务补贴', '残疾人两项补贴', '独生子女父母奖励',
  '计划生育家庭特别扶助', '城乡居民养老保险', '城乡居民医保参保', '就业困难人员认定', '灵活就业社会保险补贴', '创业补贴', '公益性岗位补贴',
  '农村宅基地', '农村危房改造', '耕地地力保护补贴', '农机购置补贴', '家庭农场', '农民专业合作社', '村民建房', '土地承包经营权',
  '小区物业', '老旧小区改造', '公共租赁住房', '住房租赁补贴', '棚户区改造', '城市管理', '门头牌匾', '占道经营', '夜间施工',
  '义务教育入学', '学前教育', '民办幼儿园', '学生资助', '校车使用', '食品小作坊', '小餐饮', '个体工商户', '烟草零售',
  '退役军人优待', '优抚对象', '双拥', '殡葬', '婚姻家庭辅导', '老年人优待证', '残疾人托养', '妇女儿童权益', '法律援助', '人民调解',
  '社区矫正', '流动人口', '出租房屋', '消防安全', '安全生产', '防汛', '地名', '门牌', '卫生许可', '放射诊疗', '诊所备案',
];

const ACTIONS: { verb: string; kind: ItemKind; mode: HandlingMode; legal: number; promised: number }[] = [
  { verb: '许可', kind: 'licence', mode: 'online', legal: 20, promised: 10 },
  { verb: '审批', kind: 'licence', mode: 'counter', legal: 20, promised: 10 },
  { verb: '变更', kind: 'licence', mode: 'online', legal: 15, promised: 5 },
  { verb: '延续', kind: 'licence', mode: 'online', legal: 20, promised: 5 },
  { verb: '注销', kind: 'licence', mode: 'immediate', legal: 15, promised: 1 },
  { verb: '登记', kind: 'confirmation', mode: 'online', legal: 15, promised: 3 },
  { verb: '备案', kind: 'other_power', mode: 'immediate', legal: 5, promised: 1 },
  { verb: '认定', kind: 'confirmation', mode: 'counter', legal: 30, promised: 15 },
  { verb: '证明开具', kind: 'public_service', mode: 'auto', legal: 5, promised: 1 },
  { verb: '信息查询', kind: 'public_service', mode: 'immediate', legal: 1, promised: 1 },
  { verb: '补贴申领', kind: 'payment', mode: 'online', legal: 30, promised: 15 },
  { verb: '资格确认', kind: 'confirmation', mode: 'no_action', legal: 20, promised: 5 },
  { verb: '补办', kind: 'public_service', mode: 'online', legal: 10, promised: 3 },
  { verb: '年度核验', kind: 'other_power', mode: 'online', legal: 20, promised: 10 },
  { verb: '咨询预约', kind: 'public_service', mode: 'immediate', legal: 1, promised: 1 },
];

const QUALIFIERS = ['', '（个人）', '（单位）', '（首次）', '（补办）', '（跨省通办）', '（街道受理）', '（镇级受理）', '（线上）', '（延期）'];

export interface GenerateOptions {
  /** Catalogue size to reach (existing items count). */
  total?: number;
  departmentShare?: number;
  batchSize?: number;
}

export interface GenerateResult {
  created: number;
  departments: number;
  districts: number;
  ms: number;
}

function nameFor(subject: string, action: (typeof ACTIONS)[number], qualifier: string): string {
  // "…补贴补贴申领" and similar doubles read badly: drop the overlap.
  const verb = subject.endsWith('补贴') && action.verb === '补贴申领' ? '申领' : action.verb;
  return `${subject}${verb}${qualifier}`;
}

/**
 * Add demo items until the catalogue holds `total` (7,560 by default). Returns quickly when it already does.
 * Names: department topic × action × qualifier for departments; district name + local topic × action ×
 * qualifier for districts; plus the real item names under each district (the district edition of a city item).
 */
export async function generateCatalogue(svc: CatalogueService, opts: GenerateOptions = {}): Promise<GenerateResult> {
  const started = Date.now();
  const total = opts.total ?? REFERENCE_TOTAL;
  const share = opts.departmentShare ?? REFERENCE_DEPARTMENT_SHARE;
  const batchSize = opts.batchSize ?? 400;
  const db = svc.database();
  const orgs = svc.orgService();
  const [{ dept, dist }] = await db
    .select({ dept: sql<number>`count(*) filter (where ${svcItems.districtCode} is null)::int`, dist: sql<number>`count(*) filter (where ${svcItems.districtCode} is not null)::int` })
    .from(svcItems);
  const wantDept = Math.max(0, Math.round(total * share) - Number(dept));
  const wantDist = Math.max(0, total - Math.round(total * share) - Number(dist));
  if (!wantDept && !wantDist) return { created: 0, departments: 0, districts: 0, ms: Date.now() - started };

  const city = await orgs.publicCity();
  const departments: Org[] = [];
  for (const code of Object.keys(TOPICS)) {
    const o = await orgs.byCode(code);
    if (o) departments.push(o);
  }
  const districts: Org[] = [];
  for (const d of city.districts) {
    const o = await orgs.byCode(d.code);
    if (o) districts.push(o);
  }
  const realNames = loadItemCsv().filter((r) => r.applicant === '自然人').map((r) => r.name);
  const taken = new Set((await db.select({ owner: svcItems.ownerOrgId, name: svcItems.name }).from(svcItems)).map((x) => `${x.owner}/${x.name}`));

  type Planned = { owner: Org; name: string; action: (typeof ACTIONS)[number] };
  const planned: Planned[] = [];
  const take = (owner: Org, name: string, action: (typeof ACTIONS)[number]) => {
    const key = `${owner.id}/${name}`;
    if (taken.has(key)) return false;
    taken.add(key);
    planned.push({ owner, name, action });
    return true;
  };
  // Round-robin over owners so every department and district gets its share.
  const fill = (owners: Org[], want: number, subjectsOf: (o: Org) => string[]) => {
    let made = 0;
    const cursors = owners.map(() => 0);
    let stalled = 0;
    while (made < want && stalled < owners.length) {
      stalled = 0;
      for (let i = 0; i < owners.length && made < want; i++) {
        const subjects = subjectsOf(owners[i]);
        const space = subjects.length * ACTIONS.length * QUALIFIERS.length;
        let placed = false;
        while (cursors[i] < space && !placed) {
          const n = cursors[i]++;
          const s = subjects[n % subjects.length];
          const a = ACTIONS[Math.floor(n / subjects.length) % ACTIONS.length];
          const q = QUALIFIERS[Math.floor(n / (subjects.length * ACTIONS.length))];
          placed = take(owners[i], nameFor(s, a, q), a);
        }
        if (placed) made++;
        else stalled++;
      }
    }
    return made;
  };
  const madeDept = fill(departments, wantDept, (o) => TOPICS[o.code] ?? []);
  const districtShort = new Map(districts.map((d) => [d.id, d.name.replace(/（.*?）/, '')]));
  // Districts first carry their own edition of the real person-facing items, then local topics.
  let madeDist = 0;
  for (const d of districts) {
    for (const n of realNames) {
      if (madeDist >= wantDist) break;
      const action = ACTIONS[hashNumber(n) % ACTIONS.length];
      if (take(d, `${districtShort.get(d.id)}${n}`, action)) madeDist++;
    }
  }
  madeDist += fill(districts, wantDist - madeDist, (o) => DISTRICT_TOPICS.map((t) => `${districtShort.get(o.id)}${t}`));

  const serials = new Map<string, number>();
  await svc.prepare();
  await inTransaction(db, async (tx) => {
    const values: (typeof svcItems.$inferInsert)[] = [];
    for (const p of planned) {
      const applicantType = /单位|企业|经营|资质|公司|机构/.test(p.name) ? 'enterprise' : 'person';
      const zones = [...new Set(ZONE_RULES.filter(([re]) => re.test(p.name)).map(([, z]) => z))];
      const def: ItemDefinition = {
        name: p.name,
        kind: p.action.kind,
        applicantType,
        legalDays: p.action.legal,
        promisedDays: p.action.promised,
        mode: p.action.mode,
        description: `示例数据（生成）：${p.owner.name}办理的${p.name}。`,
        keywords: [],
        materials: demoMaterials(p.name, applicantType),
        form: demoForm(p.name, applicantType),
        fees: { free: true, items: [] },
        legalBasis: '',
        zones,
      };
      const prefix = `${p.owner.code}-${ITEM_KINDS[def.kind].code}-`;
      if (!serials.has(prefix)) serials.set(prefix, Number((await svc.nextCode(tx, p.owner.code, def.kind)).slice(prefix.length)) - 1);
      const serial = serials.get(prefix)! + 1;
      serials.set(prefix, serial);
      const code = `${prefix}${String(serial).padStart(4, '0')}`;
      values.push({
        ...def,
        code,
        ownerOrgId: p.owner.id,
        districtCode: await svc.districtOf(p.owner),
        status: 'published',
        version: 1,
        popularity: hashNumber(code) % 400,
        isDemo: true,
        searchVector: await svc.vectorOf(def, code, p.owner.name),
      });
    }
    for (let i = 0; i < values.length; i += batchSize) {
      const inserted = await tx.insert(svcItems).values(values.slice(i, i + batchSize)).returning();
      await tx.insert(svcItemVersions).values(inserted.map((r) => ({ itemId: r.id, version: 1, snapshot: svc.snapshot(r) })));
    }
    await recordAudit(tx, systemActor('generator'), { action: 'svc.generate', entityType: 'svc_catalogue', note: { created: values.length, departments: madeDept, districts: madeDist, total } });
  });
  return { created: planned.length, departments: madeDept, districts: madeDist, ms: Date.now() - started };
}

/** Remove the generated demo items (not the real ones). */
export async function removeGeneratedCatalogue(svc: CatalogueService): Promise<number> {
  const db = svc.database();
  return inTransaction(db, async (tx) => {
    await tx.execute(sql`delete from svc_item_versions v using svc_items i where v.item_id = i.id and i.is_demo`);
    await tx.execute(sql`delete from svc_hall_items h using svc_items i where h.item_id = i.id and i.is_demo`);
    const r = await tx.delete(svcItems).where(and(eq(svcItems.isDemo, true))).returning({ id: svcItems.id });
    await recordAudit(tx, systemActor('generator'), { action: 'svc.generate.remove', entityType: 'svc_catalogue', note: { removed: r.length } });
    return r.length;
  });
}
