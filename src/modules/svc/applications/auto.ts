// Automatic approval (秒批): an item's rule is a list of labelled clauses, each a JSON Logic expression
// (logic.ts); all must hold. The evaluation keeps a trace the applicant sees: every clause, the facts it
// read, and its result. Missing facts or a failing clause leave the application with a person.
import { and, eq, ne } from 'drizzle-orm';
import type { AuthService } from '../../../platform/auth/auth.service';
import type { Db } from '../../../platform/db/client';
import { parseCitizenId } from '../../../platform/ids';
import { shanghaiDateTime } from '../../../platform/calendar';
import { evaluate, ruleProblems, truthy, wholeYears, type Logic } from './logic';
import type { FactRequest, FactSource } from './ports';
import { svcApplications } from './applications.schema';

export interface RuleClause {
  id: string;
  label: string;
  test: Logic;
}

export interface AutoRule {
  description: string;
  clauses: RuleClause[];
}

export interface ClauseTrace {
  id: string;
  label: string;
  result: 'pass' | 'fail' | 'missing';
  value: unknown;
  facts: Record<string, unknown>;
  missing: string[];
}

export interface AutoOutcome {
  outcome: 'approved' | 'manual';
  reason: string;
  ruleDescription: string;
  evaluatedAt: string;
  trace: ClauseTrace[];
}

export function autoRuleProblems(rule: AutoRule): string[] {
  const out: string[] = [];
  if (!rule || !Array.isArray(rule.clauses) || !rule.clauses.length) return ['a rule needs at least one clause'];
  const ids = new Set<string>();
  rule.clauses.forEach((c, i) => {
    if (!c.id || ids.has(c.id)) out.push(`/clauses/${i}/id: unique id required`);
    ids.add(c.id);
    out.push(...ruleProblems(c.test, `/clauses/${i}/test`));
  });
  return out;
}

/** Facts shown in a trace never include the ID number itself. */
const shown = (read: Record<string, unknown>) => Object.fromEntries(Object.entries(read).map(([k, v]) => [k, /idNumber/i.test(k) && typeof v === 'string' ? `${v.slice(0, 3)}…` : v]));

export function runRule(rule: AutoRule, facts: Record<string, unknown>, today: string): AutoOutcome {
  const trace: ClauseTrace[] = rule.clauses.map((c) => {
    try {
      const r = evaluate(c.test, { facts, today });
      const result = r.missing.length && typeof r.value === 'symbol' ? 'missing' : truthy(r.value) ? 'pass' : 'fail';
      return { id: c.id, label: c.label, result, value: typeof r.value === 'symbol' ? null : r.value, facts: shown(r.read), missing: r.missing };
    } catch (e) {
      return { id: c.id, label: c.label, result: 'fail', value: null, facts: {}, missing: [], error: (e as Error).message } as ClauseTrace;
    }
  });
  const missing = trace.filter((c) => c.result === 'missing');
  const failed = trace.filter((c) => c.result === 'fail');
  const reason = failed.length
    ? `不满足：${failed.map((c) => c.label).join('；')}`
    : missing.length
      ? `缺少数据：${[...new Set(missing.flatMap((c) => c.missing))].join('、')}（${missing.map((c) => c.label).join('；')}）`
      : '全部条件满足';
  return { outcome: failed.length || missing.length ? 'manual' : 'approved', reason, ruleDescription: rule.description, evaluatedAt: new Date().toISOString(), trace };
}

export function decisionDocument(a: { id: string; itemCode: string; itemName: string; itemVersion: number; applicantName: string }, o: AutoOutcome) {
  const lines = [
    `准予决定书（自动审批）`,
    `申请编号：${a.id}`,
    `申请人：${a.applicantName}`,
    `事项：${a.itemName}（${a.itemCode}，第 ${a.itemVersion} 版）`,
    `依据规则：${o.ruleDescription}`,
    ...o.trace.map((c, i) => `${i + 1}. ${c.label}：${c.result === 'pass' ? '符合' : '不符合'}`),
    `决定：准予办理。`,
    `决定时间：${shanghaiDateTime(new Date(o.evaluatedAt))}（北京时间）`,
  ];
  return { kind: 'auto_approval', applicationId: a.id, item: { code: a.itemCode, name: a.itemName, version: a.itemVersion }, decision: 'approved', rule: o.ruleDescription, decidedAt: o.evaluatedAt, clauses: o.trace.map((c) => ({ id: c.id, label: c.label, result: c.result })), text: lines.join('\n') };
}

// ---- fact sources ------------------------------------------------------------------------------------

/** profile.*: age, sex, birthDate and district from the applicant's verified ID number (decrypted here only). */
export class ProfileFacts implements FactSource {
  readonly namespace = 'profile';
  constructor(private readonly auth: AuthService) {}
  async load(req: FactRequest): Promise<Record<string, unknown>> {
    if (req.applicantKind !== 'citizen') return {};
    const user = await this.auth.getUser(req.applicantId);
    const row = user ? await this.auth.findByUsername(user.username) : null;
    const id = row ? this.auth.revealIdNumber(row) : null;
    const info = id ? parseCitizenId(id) : null;
    if (!info) return {};
    return { age: wholeYears(info.birthDate, req.today), sex: info.sex, birthDate: info.birthDate, district: info.divisionCode };
  }
}

/** history.*: this person's earlier approved applications (all items, and this item). */
export class HistoryFacts implements FactSource {
  readonly namespace = 'history';
  constructor(private readonly db: Db) {}
  async load(req: FactRequest): Promise<Record<string, unknown>> {
    const rows = await this.db
      .select({ itemId: svcApplications.itemId, state: svcApplications.state, decidedAt: svcApplications.decidedAt })
      .from(svcApplications)
      .where(and(eq(svcApplications.applicantId, req.applicantId), req.applicationId ? ne(svcApplications.id, req.applicationId) : undefined));
    const approved = rows.filter((r) => r.state === 'approved' || (r.state === 'completed' && r.decidedAt));
    const year = req.today.slice(0, 4);
    const thisItem = req.itemId ? approved.filter((r) => r.itemId === req.itemId) : [];
    return {
      approvals: approved.length,
      approvalsOfItem: thisItem.length,
      approvalsOfItemThisYear: thisItem.filter((r) => r.decidedAt && r.decidedAt.toISOString().slice(0, 4) === year).length,
    };
  }
}

/** renter: true when the form says no home is owned and the lease covers today (from the application data). */
export class RenterFacts implements FactSource {
  readonly namespace = 'renter';
  async load(req: FactRequest): Promise<Record<string, unknown>> {
    const d = req.data;
    if (d.noOwnHome === undefined || typeof d.leaseStart !== 'string' || typeof d.leaseEnd !== 'string') return {};
    const leaseActive = d.leaseStart <= req.today && req.today <= d.leaseEnd;
    return { isRenter: d.noOwnHome === true && leaseActive, leaseActive, leaseYears: wholeYears(d.leaseStart, d.leaseEnd) };
  }
}

// ---- seeded rules --------------------------------------------------------------------------------------

export const SEED_RULES: Record<string, AutoRule> = {
  '住房公积金提取（租房）': {
    description: '青岛市住房公积金租房提取秒批规则（示例）：18–65 周岁、本市无自有住房且租赁有效、提交租赁合同、金额不超过年度额度、本年未提取',
    clauses: [
      { id: 'age', label: '申请人年龄 18–65 周岁（据身份证号码）', test: { '<=': [18, { var: 'profile.age' }, 65] } },
      { id: 'renter', label: '本人及配偶在本市无自有住房且租赁在有效期内', test: { '==': [{ var: 'renter.isRenter' }, true] } },
      { id: 'lease', label: '已提交房屋租赁合同', test: { '==': [{ var: ['materials.lease', false] }, true] } },
      { id: 'amount', label: '提取金额不超过年度租房提取额度 18000 元', test: { '<=': [{ var: 'data.amount' }, 18000] } },
      { id: 'once', label: '本年度尚未办理租房提取', test: { '==': [{ var: 'history.approvalsOfItemThisYear' }, 0] } },
    ],
  },
  '户口迁移（人才引进落户）': {
    description: '青岛市人才引进落户秒批规则（示例）：45 周岁以下，且本科及以上学历或技能人才证书',
    clauses: [
      { id: 'age', label: '申请人年龄不超过 45 周岁（据身份证号码）', test: { '<=': [{ var: 'profile.age' }, 45] } },
      {
        id: 'qualification',
        label: '大学本科及以上学历，或技能人才且提交职业技能等级证书',
        test: { or: [{ in: [{ var: 'data.education' }, ['bachelor', 'master', 'doctor']] }, { and: [{ '==': [{ var: 'data.talentCategory' }, 'skilled'] }, { '==': [{ var: ['materials.skillCertificate', false] }, true] }] }] },
      },
    ],
  },
};
