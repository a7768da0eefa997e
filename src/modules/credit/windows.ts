// Publication windows of penalty information: severity from the record, the regime in force on the
// decision date (configured with effective dates), and from them the first day repair may be applied
// for (minimum period) and the last day of publication (maximum period, or the record's own earlier
// 公示截止期).
import { splitCategories } from './fields';

export type Severity = 'minor' | 'ordinary' | 'serious';
export const SEVERITIES: Severity[] = ['minor', 'ordinary', 'serious'];

export interface Regime {
  severity: Severity;
  minMonths: number;
  maxMonths: number;
  /** YYYY-MM-DD: decisions on or after this date fall under the regime (until a later one starts). */
  effectiveFrom: string;
  note?: string | null;
}

/** STANDARDS.md "Credit repair": the 2023 regime (3 months / 3 years) and the one in force from 2026-04-01. */
export const DEFAULT_REGIMES: Regime[] = [
  ...(['minor', 'ordinary', 'serious'] as const).map((severity) => ({ severity, minMonths: 3, maxMonths: 36, effectiveFrom: '2023-01-01', note: '2023 年办法：最短 3 个月，最长 3 年' })),
  { severity: 'minor', minMonths: 0, maxMonths: 3, effectiveFrom: '2026-04-01', note: '轻微：原则上不公示，最长 3 个月' },
  { severity: 'ordinary', minMonths: 3, maxMonths: 12, effectiveFrom: '2026-04-01', note: '一般：3 个月至 1 年' },
  { severity: 'serious', minMonths: 12, maxMonths: 36, effectiveFrom: '2026-04-01', note: '严重：1 年至 3 年' },
];

/** Categories that make a penalty serious whatever the amount. */
export const SERIOUS_CATEGORIES = ['吊销许可证件', '降低资质等级', '责令停产停业', '责令关闭', '限制从业', '行政拘留', '限制开展生产经营活动'];
/** Categories that alone make a penalty minor. */
export const MINOR_CATEGORIES = ['警告', '通报批评'];

/**
 * Severity of a penalty: serious for the categories above or when fine plus confiscation reaches
 * `seriousAmount` 万元; minor when every category is a warning or a notice of criticism; else ordinary.
 */
export function severityOf(record: Record<string, string | undefined>, seriousAmount: number): Severity {
  const cats = splitCategories(record.CF_CFLB ?? '');
  const amount = Number(record.CF_NR_FK || 0) + Number(record.CF_NR_WFFF || 0);
  if (cats.some((c) => SERIOUS_CATEGORIES.includes(c)) || amount >= seriousAmount) return 'serious';
  if (cats.length && cats.every((c) => MINOR_CATEGORIES.includes(c))) return 'minor';
  return 'ordinary';
}

/** The regime for a severity in force on a date; before the earliest regime, the earliest applies. */
export function regimeFor(regimes: Regime[], severity: Severity, decisionDate: string): Regime {
  const mine = regimes.filter((r) => r.severity === severity).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  if (!mine.length) throw new Error(`no publication regime configured for ${severity}`);
  let found = mine[0];
  for (const r of mine) if (r.effectiveFrom <= decisionDate) found = r;
  return found;
}

/** Calendar months later; the day is clamped to the month's end (2026-01-31 + 1 month = 2026-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export interface Window {
  severity: Severity;
  regimeFrom: string;
  repairableFrom: string;
  publicationEnds: string;
}

export function windowOf(record: Record<string, string | undefined>, regimes: Regime[], seriousAmount: number): Window {
  const decision = record.CF_JDRQ!;
  const severity = severityOf(record, seriousAmount);
  const r = regimeFor(regimes, severity, decision);
  let ends = addMonths(decision, r.maxMonths);
  if (record.CF_GSJZQ && record.CF_GSJZQ < ends) ends = record.CF_GSJZQ;
  const from = addMonths(decision, r.minMonths);
  return { severity, regimeFrom: r.effectiveFrom, repairableFrom: from < ends ? from : ends, publicationEnds: ends };
}

/** Problems of a regime set: every effective date must configure all severities, min ≤ max. */
export function regimeProblems(regimes: Regime[]): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  regimes.forEach((r, i) => {
    if (r.minMonths > r.maxMonths) out.push({ path: `/items/${i}/minMonths`, message: 'the minimum period is longer than the maximum' });
  });
  const byDate = new Map<string, Set<string>>();
  for (const r of regimes) byDate.set(r.effectiveFrom, (byDate.get(r.effectiveFrom) ?? new Set()).add(r.severity));
  for (const [date, set] of byDate) {
    for (const s of SEVERITIES) if (!set.has(s)) out.push({ path: '/items', message: `the regime from ${date} has no ${s} period` });
  }
  const seen = new Set<string>();
  regimes.forEach((r, i) => {
    const k = `${r.effectiveFrom}/${r.severity}`;
    if (seen.has(k)) out.push({ path: `/items/${i}`, message: `${r.severity} from ${r.effectiveFrom} is given twice` });
    seen.add(k);
  });
  if (!regimes.length) out.push({ path: '/items', message: 'at least one regime is needed' });
  return out;
}
