// Demo requests with back-dated times, so the request lists and the dashboard look like a year of work:
// every state, overdue requests to the province (funeral records of other cities from 山东省民政厅, data
// from 山东省大数据局), answered ones with varied answer times (the approved ones become gateway grants
// through createGrant), refusals with reasons, a returned one, a core-grade one waiting for the bureau,
// and about twenty scenarios held up by the missing funeral records. Everything goes through the
// service (the same checks, events and audit as real use), with the clock set back.
import { sql } from 'drizzle-orm';
import type { Share } from '..';
import { DEMO_RESOURCE_CODES } from '../catalogue';
import { accountIdByUsername } from '../../../platform/auth/accounts';
import type { Actor } from '../../../platform/auth/actor';
import { shanghaiDate } from '../../../platform/calendar';
import { rows } from '../../../platform/db/client';
import type { ShareRequests } from './requests.service';

/** Scenarios that wait on the funeral records of other cities, by consumer department (org code). */
const FUNERAL_SCENARIOS: [string, string][] = [
  ['RSJ', '养老金停发核查'],
  ['RSJ', '工伤保险待遇停发'],
  ['RSJ', '失业保险金停发'],
  ['RSJ', '城乡居民养老保险注销'],
  ['YBJ', '医保停保'],
  ['YBJ', '医保个人账户清算'],
  ['GJJ', '公积金提取（死亡销户）'],
  ['GJJ', '公积金贷款核查'],
  ['GAJ', '户籍注销'],
  ['GAJ', '机动车注销登记'],
  ['TYJ', '优抚待遇停发'],
  ['WJW', '计划生育特别扶助金停发'],
  ['CL', '残疾人两项补贴停发'],
  ['ZRZYJ', '不动产继承登记'],
  ['SWU', '个人所得税注销'],
  ['ZJJ', '公租房资格复核'],
  ['JYJ', '教育资助资格核查'],
  ['SFJ', '公证继承材料核验'],
  ['YBJ', '医疗救助资格复核'],
  ['TJJ', '人口变动统计'],
  ['SPJ', '一件事：身后事联办'],
];

export async function seedRequestDemo(share: Share): Promise<void> {
  const svc = share.requests;
  const db = svc.deps.db;
  const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::int as n from share_requests`);
  if (n > 0) return;
  const [{ exists }] = await rows<{ exists: boolean }>(db, sql`select to_regclass('share_members') is not null and to_regclass('share_resources') is not null as exists`);
  if (!exists) return;

  const actorOf = async (username: string): Promise<Actor | null> => {
    const id = await accountIdByUsername(db, username);
    return id ? svc.deps.auth.loadActor(id, 'session') : null;
  };
  const [dsj, rsj, mzj, gaj] = await Promise.all(['dsj_officer', 'rsj_officer', 'mzj_officer', 'gaj_officer'].map(actorOf));
  if (!dsj || !rsj || !mzj || !gaj) return;

  const memberRows = await rows<{ id: string; code: string }>(db, sql`select id, code from share_members`);
  const member = new Map(memberRows.map((m) => [m.code, m.id]));
  const subsystemOf = async (code: string, preferred?: string): Promise<string | null> => {
    const id = member.get(code);
    if (!id) return null;
    const subs = await rows<{ id: string; code: string }>(db, sql`select id, code from share_subsystems where member_id = ${id}::uuid order by code`);
    const found = (subs.find((s) => s.code === preferred) ?? subs[0])?.id;
    if (found || preferred) return found ?? null;
    // A department with scenarios but no registered system yet: register its verification system.
    return (await share.catalogue.createSubsystem(dsj, { memberId: id, code: 'death-verification', name: '身后事核验系统', description: '核验当事人死亡事实，停发待遇、注销登记' })).id;
  };
  const resources = await rows<{ id: string; code: string; provider_member_id: string; grade: string; state: string; items: { name: string }[] }>(
    db,
    sql`select id, code, provider_member_id, grade, state, items from share_resources order by code`,
  );
  const has = (r: { items: { name: string }[] }, ...names: string[]) => names.every((x) => r.items.some((i) => i.name === x));
  const byCode = (code: string) => resources.find((r) => r.code === code && r.state === 'published');
  const funeral = byCode(DEMO_RESOURCE_CODES.funeral);
  const population = byCode(DEMO_RESOURCE_CODES.population);
  const insurance = byCode(DEMO_RESOURCE_CODES.socialInsurance);
  const draft = resources.find((r) => r.state === 'draft' && r.items.length > 0 && r.provider_member_id !== member.get('RSJ'));
  const pension = await subsystemOf('RSJ', 'pension-audit');
  const socialInsurance = await subsystemOf('RSJ', 'social-insurance');
  const gajSub = await subsystemOf('GAJ', 'population-registry');
  const mzjSub = await subsystemOf('MZJ', 'funeral-registry');
  if (!funeral || !pension) return;
  const SDMZT = member.get('SDMZT');
  const SDDSJ = member.get('SDDSJ');
  if (SDDSJ && !(await svc.settings()).upperMemberId) await svc.putSettings(dsj, { upperMemberId: SDDSJ });

  const cal = await svc.deps.calendar.calendar();
  const today = shanghaiDate(new Date());
  /** hh:mm Shanghai time on the working day `n` working days before today. */
  const ago = (n: number, hhmm = '09:30') => new Date(`${cal.addWorkingDays(today, -n)}T${hhmm}:00+08:00`);
  const legal = '《政务数据共享管理办法》；《山东省政务信息资源共享管理办法》';

  type Plan = {
    consumer: Actor;
    subsystem: string;
    resourceId?: string;
    demand?: { title: string; description: string; provider?: string };
    scenario: string;
    fields: string[];
    purpose: string;
    submitted: number; // working days ago
    steps: ((id: string, s: ShareRequests) => Promise<unknown>)[];
  };
  const plans: Plan[] = [];
  const pass = (daysAgo: number, providerMemberId?: string) => (id: string, s: ShareRequests) => s.compliance(dsj, id, { decision: 'pass', reason: '用途明确，依据充分', providerMemberId }, { now: ago(daysAgo, '11:00') });

  // 1. Answered requests for the funeral records with varied answer times (approved → grants; refused with reasons).
  const funeralAnswers: [number, number, 'approve' | 'refuse', string[], string | undefined][] = [
    [60, 2, 'approve', ['id_number', 'name', 'death_date'], undefined],
    [48, 4, 'approve', ['id_number', 'death_date'], undefined],
    [40, 7, 'refuse', [], '申请字段超出养老金核查所需，请仅申请身份证号与死亡日期'],
    [30, 3, 'approve', ['id_number', 'death_date', 'cremation_date'], undefined],
    [22, 9, 'refuse', [], '该场景已通过"身后一件事"联办获取，无需重复共享'],
  ];
  funeralAnswers.forEach(([d, k, decision, fields, reason], i) =>
    plans.push({
      consumer: rsj,
      subsystem: i % 2 ? (socialInsurance ?? pension) : pension,
      resourceId: funeral.id,
      scenario: ['养老金停发核查', '工伤保险待遇停发', '城乡居民养老保险注销', '失业保险金停发', '社保卡注销'][i],
      fields: ['id_number', 'name', 'death_date', 'cremation_date'],
      purpose: '核查参保人员死亡情况，及时停发待遇，防止冒领',
      submitted: d,
      steps: [pass(d - 1), (id, s) => s.answer(mzj, id, decision === 'approve' ? { decision, fields, quotaPerDay: 20_000 } : { decision, reason }, { now: ago(d - k, '15:20') })],
    }),
  );
  // Insurance contributions for the civil-affairs bureau (低保核查), answered by RSJ.
  if (insurance && mzjSub)
    plans.push({
      consumer: mzj,
      subsystem: mzjSub,
      resourceId: insurance.id,
      scenario: '最低生活保障家庭经济状况核对',
      fields: ['id_number', 'name', 'amount'],
      purpose: '核对低保申请家庭成员的社保缴费情况',
      submitted: 35,
      steps: [pass(34), (id, s) => s.answer(rsj, id, { decision: 'approve', fields: ['id_number', 'amount'] }, { now: ago(29, '10:10') })],
    });
  // The funeral records for the police's household register (户籍注销), answered on time.
  if (gajSub)
    plans.push({
      consumer: gaj,
      subsystem: gajSub,
      resourceId: funeral.id,
      scenario: '死亡人员户籍注销',
      fields: ['record_no', 'id_number', 'name', 'death_date'].filter((f) => has(funeral, f)),
      purpose: '依法注销死亡人员户口',
      submitted: 26,
      steps: [pass(25), (id, s) => s.answer(mzj, id, { decision: 'approve' }, { now: ago(24, '16:00') })],
    });

  // 2. Core grade: the population register, approved by GAJ, waiting for the bureau.
  if (population)
    plans.push({
      consumer: rsj,
      subsystem: pension,
      resourceId: population.id,
      scenario: '养老金资格认证',
      fields: ['id_number', 'name'],
      purpose: '核验待遇领取人员身份信息',
      submitted: 6,
      steps: [pass(5), (id, s) => s.answer(gaj, id, { decision: 'approve' }, { now: ago(2, '14:00') })],
    });

  // 3. Returned by the bureau, waiting for the consumer; one withdrawn; one fresh in compliance.
  plans.push({
    consumer: rsj,
    subsystem: pension,
    resourceId: funeral.id,
    scenario: '社保待遇资格抽查',
    fields: ['id_number', 'name', 'death_date', 'funeral_home'].filter((f) => has(funeral, f)),
    purpose: '抽查',
    submitted: 9,
    steps: [(id, s) => s.compliance(dsj, id, { decision: 'return', reason: '用途表述过于笼统，且"殡仪馆"字段与核查目的无关，请补充具体业务依据后重新提交' }, { now: ago(8, '10:00') })],
  });
  plans.push({ consumer: rsj, subsystem: pension, resourceId: funeral.id, scenario: '退休人员信息核对', fields: ['id_number', 'death_date'], purpose: '核对', submitted: 15, steps: [(id, s) => s.withdraw(rsj, id, { now: ago(14, '09:00') })] });
  plans.push({ consumer: rsj, subsystem: pension, resourceId: funeral.id, scenario: '遗属待遇申领核验', fields: ['id_number', 'name', 'death_date'], purpose: '核验申领人亲属死亡事实', submitted: 0, steps: [] });

  // 4. The province: funeral records of other cities (山东省民政厅), one demand per waiting scenario, mostly overdue.
  if (SDMZT) {
    let i = 0;
    for (const [org, scenario] of FUNERAL_SCENARIOS) {
      const subsystem = org === 'RSJ' ? pension : await subsystemOf(org);
      if (!subsystem) continue;
      const d = 24 - (i % 12) * 2; // spread over the last five weeks
      const routed = i % 5 !== 4; // every fifth still waits for the bureau's compliance check
      plans.push({
        consumer: dsj, // the bureau files demands collected from the departments' scenario lists
        subsystem,
        demand: { title: '省内其他城市居民殡葬火化信息', description: '户籍或参保在青岛、在省内其他城市死亡火化人员的殡葬记录（火化时间、殡仪馆、身份证号）' },
        scenario,
        fields: ['id_number', 'name', 'death_date', 'cremation_date'],
        purpose: `${scenario}：核实当事人死亡事实`,
        submitted: d,
        steps: routed ? [pass(d - 1, SDMZT)] : [],
      });
      i++;
    }
    // One answered by the province after a long wait (recorded by the bureau), measured like the rest.
    plans.push({
      consumer: rsj,
      subsystem: pension,
      demand: { title: '省内其他城市居民殡葬火化信息（试点）', description: '潍坊、烟台两市试点数据' },
      scenario: '养老金停发核查（省内试点）',
      fields: ['id_number', 'death_date'],
      purpose: '试点',
      submitted: 55,
      steps: [
        pass(54, SDMZT),
        (id, s) => s.answer(dsj, id, { decision: 'refuse', reason: '省级殡葬信息平台尚未归集试点城市数据，待归集完成后另行答复', recordedFrom: { name: '社会事务处 李科长', organisation: '山东省民政厅', answeredAt: ago(36, '16:30').toISOString() } }, { now: ago(35, '09:00') }),
      ],
    });
  }
  // 5. The province's big-data bureau: enterprise data of other cities, overdue and escalated.
  if (SDDSJ)
    plans.push({
      consumer: rsj,
      subsystem: socialInsurance ?? pension,
      demand: { title: '省内其他城市企业登记及注销信息', description: '参保单位在省内其他城市的登记、注销状态' },
      scenario: '参保单位注销核查',
      fields: ['credit_code', 'name', 'status'],
      purpose: '核查参保单位存续状态，清理欠费',
      submitted: 21,
      steps: [pass(20, SDDSJ)],
    });
  // 6. A request for a resource still in draft: the provider must publish first (10 working days).
  if (draft)
    plans.push({ consumer: rsj, subsystem: pension, resourceId: draft.id, scenario: '就业困难人员认定', fields: draft.items.slice(0, 2).map((x) => x.name), purpose: '认定核查', submitted: 4, steps: [pass(3)] });

  for (const p of plans) {
    const r = await svc.submit(
      p.consumer,
      p.demand
        ? { kind: 'demand', demandTitle: p.demand.title, demandDescription: p.demand.description, providerMemberId: p.demand.provider, consumerSubsystemId: p.subsystem, scenario: p.scenario, fields: p.fields, purpose: p.purpose, legalBasis: legal }
        : { kind: 'resource', resourceId: p.resourceId!, consumerSubsystemId: p.subsystem, scenario: p.scenario, fields: p.fields, purpose: p.purpose, legalBasis: legal },
      { now: ago(p.submitted, p.submitted === 0 ? shanghaiHour() : '09:30') },
    );
    for (const step of p.steps) await step(r.id, svc);
  }
  await svc.escalate();
}

/** The current Shanghai time as hh:mm minus a minute (so a request "submitted today" is never in the future). */
function shanghaiHour(): string {
  const t = new Date(Date.now() - 60_000 + 8 * 3_600_000);
  return `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
}

