// Quality rules (per resource) and how a row is checked against them. Row-level rules run in TypeScript
// as rows stream in; set-level rules (unique, referential) run in SQL on the load's staging table;
// row_count runs on the load's totals; freshness is judged when scoring. Each rule has a threshold (largest
// share of failing rows still accepted) and a severity: error rejects the whole load when its threshold is
// exceeded (and the failing rows are never loaded), warning only records.
//
// Scoring follows the GB/T 36344 dimensions; see docs/modules/data-sharing.md ("Quality score").
import { citizenIdProblem, creditCodeProblem, parseCitizenId } from '../../../platform/ids';
import type { DataItem, ItemType } from '../contracts';

export const RULE_KINDS = ['not_null', 'unique', 'accepted_values', 'range', 'pattern', 'id_number', 'credit_code', 'referential', 'row_count', 'freshness'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export type Severity = 'error' | 'warning';

export interface QualityRule {
  id?: string;
  kind: RuleKind;
  column: string | null;
  params: Record<string, unknown>;
  threshold: number;
  severity: Severity;
  derived?: boolean;
}

export interface Problem {
  column: string;
  rule: string;
  message: string;
}

/** The GB/T 36344 dimension each rule kind measures. */
export const DIMENSION_OF: Record<RuleKind | 'type', Dimension> = {
  type: 'conformance',
  pattern: 'conformance',
  id_number: 'conformance',
  credit_code: 'conformance',
  not_null: 'completeness',
  range: 'accuracy',
  accepted_values: 'accuracy',
  unique: 'consistency',
  referential: 'consistency',
  row_count: 'completeness',
  freshness: 'timeliness',
};
export const DIMENSIONS = ['conformance', 'completeness', 'accuracy', 'consistency', 'timeliness', 'accessibility'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Threshold of the rules derived from items: up to 1% of a load's rows may fail (they are not loaded). */
export const DERIVED_THRESHOLD = 0.01;

/** Rules every resource gets from its items: required → not_null, key → unique, personal id_number → check digit. */
export function derivedRules(items: DataItem[]): QualityRule[] {
  const out: QualityRule[] = [];
  for (const it of items) if (it.required || it.key) out.push({ kind: 'not_null', column: it.name, params: {}, threshold: DERIVED_THRESHOLD, severity: 'error', derived: true });
  const keys = items.filter((i) => i.key).map((i) => i.name);
  if (keys.length) out.push({ kind: 'unique', column: keys.join(','), params: {}, threshold: DERIVED_THRESHOLD, severity: 'error', derived: true });
  for (const it of items) if (it.personal === 'id_number') out.push({ kind: 'id_number', column: it.name, params: {}, threshold: DERIVED_THRESHOLD, severity: 'error', derived: true });
  return out;
}

// ---- typing -----------------------------------------------------------------------------------------------

export const SQL_TYPE: Record<ItemType, string> = { string: 'text', integer: 'bigint', decimal: 'numeric', date: 'date', datetime: 'timestamptz', boolean: 'boolean' };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
function validDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/**
 * The value in the canonical text form PostgreSQL casts to the column type, or an error message.
 * Empty string and null are both "no value".
 */
export function typed(type: ItemType, v: unknown): { value: string | null } | { error: string } {
  if (v === null || v === undefined) return { value: null };
  if (typeof v === 'number' || typeof v === 'boolean') v = String(v);
  if (typeof v !== 'string') return { error: `expected a ${type}` };
  const s = v.trim();
  if (s === '') return { value: null };
  switch (type) {
    case 'string':
      return s.length > 4000 ? { error: 'longer than 4000 characters' } : { value: s };
    case 'integer':
      return /^-?\d{1,18}$/.test(s) ? { value: s } : { error: 'not an integer' };
    case 'decimal':
      return /^-?\d{1,20}(\.\d{1,10})?$/.test(s) ? { value: s } : { error: 'not a decimal number' };
    case 'date': {
      const d = s.length > 10 && /^\d{4}-\d{2}-\d{2}[T ]/.test(s) ? s.slice(0, 10) : s.replaceAll('/', '-');
      return validDate(d) ? { value: d } : { error: 'not a date (YYYY-MM-DD)' };
    }
    case 'datetime': {
      if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) return { error: 'not a date-time (ISO 8601)' };
      // Without a zone the value is Shanghai time.
      const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s.length === 10 ? `${s}T00:00:00` : s.replace(' ', 'T')}+08:00`;
      const t = Date.parse(withZone.replace(' ', 'T'));
      return Number.isNaN(t) ? { error: 'not a date-time (ISO 8601)' } : { value: new Date(t).toISOString() };
    }
    case 'boolean': {
      const l = s.toLowerCase();
      if (['true', '1', 'yes', 'y', '是', 't'].includes(l)) return { value: 'true' };
      if (['false', '0', 'no', 'n', '否', 'f'].includes(l)) return { value: 'false' };
      return { error: 'not a boolean' };
    }
  }
}

// ---- row-level checks ---------------------------------------------------------------------------------------

const compiled = new WeakMap<QualityRule, RegExp>();

function compare(type: ItemType, a: string, b: string): number {
  if (type === 'integer' || type === 'decimal') return Number(a) - Number(b);
  if (type === 'datetime') return Date.parse(a) - Date.parse(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether the rule kind is checked row by row (the rest need the whole load or other tables). */
export const isRowRule = (k: RuleKind) => k === 'not_null' || k === 'accepted_values' || k === 'range' || k === 'pattern' || k === 'id_number' || k === 'credit_code';

/**
 * Check one typed row against row-level rules. Returns the index of every failing rule with its problem.
 * `values` holds canonical text (or null) per column; `types` the item types.
 */
export function checkRow(rules: QualityRule[], values: Record<string, string | null>, types: Record<string, ItemType>, today: string): { rule: number; problem: Problem }[] {
  const out: { rule: number; problem: Problem }[] = [];
  rules.forEach((r, i) => {
    if (!isRowRule(r.kind) || !r.column) return;
    const v = values[r.column] ?? null;
    const fail = (message: string) => out.push({ rule: i, problem: { column: r.column!, rule: r.kind, message } });
    if (r.kind === 'not_null') {
      if (v === null) fail('required');
      return;
    }
    if (v === null) return; // the other checks apply to values present
    switch (r.kind) {
      case 'accepted_values': {
        const values = (r.params.values as string[] | undefined) ?? [];
        if (!values.includes(v)) fail(`not one of ${values.join(', ')}`);
        break;
      }
      case 'range': {
        const t = types[r.column] ?? 'string';
        const min = r.params.min as string | undefined;
        const max = r.params.max === 'today' ? today : (r.params.max as string | undefined);
        if (min !== undefined && min !== null && compare(t, v, String(min)) < 0) fail(`less than ${min}`);
        else if (max !== undefined && max !== null && compare(t, v, String(max)) > 0) fail(`greater than ${max}`);
        else if (typeof r.params.afterColumn === 'string') {
          const other = values[r.params.afterColumn] ?? null;
          if (other !== null && compare(t, v, other) < 0) fail(`before ${r.params.afterColumn} (${other})`);
        } else if (typeof r.params.afterBirthOf === 'string') {
          const id = values[r.params.afterBirthOf];
          const birth = id ? parseCitizenId(id)?.birthDate : undefined;
          if (birth && v.slice(0, 10) < birth) fail(`before the birth date in ${r.params.afterBirthOf} (${birth})`);
        }
        break;
      }
      case 'pattern': {
        let re = compiled.get(r);
        if (!re) compiled.set(r, (re = new RegExp(String(r.params.pattern ?? '.*'), 'u')));
        if (!re.test(v)) fail(`does not match ${String(r.params.pattern)}`);
        break;
      }
      case 'id_number': {
        const p = citizenIdProblem(v, today);
        if (p) fail(p === 'check-digit' ? 'wrong check digit (GB 11643)' : `invalid ID number: ${p}`);
        break;
      }
      case 'credit_code': {
        const p = creditCodeProblem(v);
        if (p) fail(p === 'check-character' ? 'wrong check character (GB 32100)' : `invalid credit code: ${p}`);
        break;
      }
      default:
        break;
    }
  });
  return out;
}

/** Validate a rule definition against the items; returns a message or null. */
export function ruleProblem(r: QualityRule, items: DataItem[]): string | null {
  const names = new Set(items.map((i) => i.name));
  if (r.kind === 'row_count' || r.kind === 'freshness') {
    if (r.kind === 'row_count' && r.params.min === undefined && r.params.max === undefined) return 'row_count needs min or max';
    if (r.kind === 'freshness' && !(Number(r.params.maxAgeDays) > 0)) return 'freshness needs maxAgeDays > 0';
    return null;
  }
  if (!r.column) return 'column is required';
  const cols = r.kind === 'unique' ? r.column.split(',') : [r.column];
  for (const c of cols) if (!names.has(c)) return `unknown column ${c}`;
  if (r.kind === 'accepted_values' && !(Array.isArray(r.params.values) && r.params.values.length)) return 'accepted_values needs values[]';
  if (r.kind === 'range' && r.params.min === undefined && r.params.max === undefined && !r.params.afterColumn && !r.params.afterBirthOf) return 'range needs min, max, afterColumn or afterBirthOf';
  if (r.kind === 'range' && typeof r.params.afterColumn === 'string' && !names.has(r.params.afterColumn)) return `unknown column ${r.params.afterColumn}`;
  if (r.kind === 'range' && typeof r.params.afterBirthOf === 'string' && !names.has(r.params.afterBirthOf)) return `unknown column ${r.params.afterBirthOf}`;
  if (r.kind === 'pattern') {
    try {
      new RegExp(String(r.params.pattern), 'u');
    } catch {
      return 'pattern is not a valid regular expression';
    }
  }
  if (r.kind === 'referential' && (typeof r.params.resourceId !== 'string' || typeof r.params.column !== 'string')) return 'referential needs params.resourceId and params.column';
  return null;
}

// ---- scoring -------------------------------------------------------------------------------------------------

/** Days within which a resource of each update cycle counts as fresh. */
export const CYCLE_DAYS: Record<string, number> = { realtime: 1, daily: 1, weekly: 7, monthly: 31, quarterly: 92, yearly: 366, irregular: 366 };

/** Timeliness 0–100: full within the cycle (plus a day of grace), falling linearly to 0 at three cycles. */
export function timelinessScore(ageDays: number | null, cycleDays: number): number {
  if (ageDays === null) return 0;
  const ok = cycleDays + 1;
  if (ageDays <= ok) return 100;
  const zero = 3 * cycleDays + 1;
  return Math.max(0, Math.round((100 * (zero - ageDays)) / (zero - ok)));
}

/** A dimension's score from rule results of the last load: the mean pass rate of its rules × 100. */
export function passRateScore(results: { checked: number; failed: number }[]): number | null {
  if (!results.length) return null;
  const rates = results.map((r) => (r.checked > 0 ? 1 - r.failed / r.checked : 1));
  return Math.round((1000 * rates.reduce((a, b) => a + b, 0)) / rates.length) / 10;
}
