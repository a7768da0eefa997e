// A small JSON Logic subset for automatic-approval rules, with three-valued results: a rule that reads a
// fact the platform does not have is "missing", not "false", so the application goes to a person with
// that reason instead of being refused. Documented in docs/modules/service-hall.md.
//
// Operators: var (dotted path, optional default), ==, !=, <, <=, >, >= (< and <= also take three
// arguments: a between test), and, or, !, in (array membership or substring), if (cond, then, else…),
// and the date helpers age (whole years since a birth date or from a GB 11643 ID number), yearsSince
// (whole years since a date) and today (YYYY-MM-DD in Asia/Shanghai, or the evaluation's `today`).
import { parseCitizenId, todayInShanghai } from '../../../platform/ids';

export type Logic = unknown;
export const MISSING: unique symbol = Symbol('missing');
type Value = unknown | typeof MISSING;

export const OPERATORS = ['var', '==', '!=', '<', '<=', '>', '>=', 'and', 'or', '!', 'in', 'if', 'age', 'yearsSince', 'today'] as const;

export interface EvalContext {
  facts: Record<string, unknown>;
  today?: string;
}

export interface EvalResult {
  value: unknown;
  missing: string[];
  /** Every fact read, with the value found (undefined → missing). */
  read: Record<string, unknown>;
}

function lookup(facts: Record<string, unknown>, path: string): unknown {
  let cur: unknown = facts;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : null);

function looseEq(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = num(a);
    const y = num(b);
    return x !== null && y !== null && x === y;
  }
  return a === b;
}

function compare(a: unknown, b: unknown): number | null {
  const x = num(a);
  const y = num(b);
  if (x !== null && y !== null) return x - y;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0; // ISO dates compare as text
  return null;
}

/** Whole years from `from` (YYYY-MM-DD) to `today`. */
export function wholeYears(from: string, today: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from)) return null;
  let years = Number(today.slice(0, 4)) - Number(from.slice(0, 4));
  if (today.slice(5) < from.slice(5)) years -= 1;
  return years;
}

function birthDateOf(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  return parseCitizenId(v.toUpperCase())?.birthDate ?? null;
}

export function evaluate(rule: Logic, ctx: EvalContext): EvalResult {
  const read: Record<string, unknown> = {};
  const missing = new Set<string>();
  const today = ctx.today ?? todayInShanghai();

  const ev = (r: Logic): Value => {
    if (r === null || typeof r !== 'object') return r;
    if (Array.isArray(r)) return r.map(ev);
    const keys = Object.keys(r);
    if (keys.length !== 1) throw new RuleError('an operation is an object with exactly one operator');
    const op = keys[0];
    const raw = (r as Record<string, unknown>)[op];
    const args: Logic[] = Array.isArray(raw) ? raw : [raw];
    switch (op) {
      case 'var': {
        const path = String(args[0] ?? '');
        const v = lookup(ctx.facts, path);
        read[path] = v;
        if (v === undefined || v === null) {
          if (args.length > 1) return ev(args[1]);
          missing.add(path);
          return MISSING;
        }
        return v;
      }
      case 'and': {
        let last: Value = true;
        let sawMissing = false;
        for (const a of args) {
          last = ev(a);
          if (last === MISSING) sawMissing = true;
          else if (!truthy(last)) return last;
        }
        return sawMissing ? MISSING : last;
      }
      case 'or': {
        let sawMissing = false;
        let last: Value = false;
        for (const a of args) {
          last = ev(a);
          if (last === MISSING) sawMissing = true;
          else if (truthy(last)) return last;
        }
        return sawMissing ? MISSING : last;
      }
      case '!': {
        const v = ev(args[0]);
        return v === MISSING ? MISSING : !truthy(v);
      }
      case 'if': {
        for (let i = 0; i + 1 < args.length; i += 2) {
          const c = ev(args[i]);
          if (c === MISSING) return MISSING;
          if (truthy(c)) return ev(args[i + 1]);
        }
        return args.length % 2 === 1 ? ev(args[args.length - 1]) : null;
      }
      case 'today':
        return today;
      case 'age':
      case 'yearsSince': {
        const v = ev(args[0]);
        if (v === MISSING) return MISSING;
        const d = op === 'age' ? birthDateOf(v) : typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null;
        return d ? wholeYears(d, today) : null;
      }
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
      case 'in': {
        const vals = args.map(ev);
        if (vals.some((v) => v === MISSING)) return MISSING;
        const [a, b, c] = vals;
        switch (op) {
          case '==':
            return looseEq(a, b);
          case '!=':
            return !looseEq(a, b);
          case 'in':
            return Array.isArray(b) ? b.some((x) => looseEq(a, x)) : typeof b === 'string' && typeof a === 'string' ? b.includes(a) : false;
          default: {
            const test = (x: unknown, y: unknown) => {
              const d = compare(x, y);
              if (d === null) return false;
              return op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0;
            };
            return vals.length === 3 && (op === '<' || op === '<=') ? test(a, b) && test(b, c) : test(a, b);
          }
        }
      }
      default:
        throw new RuleError(`unknown operator ${op}`);
    }
  };

  const value = ev(rule);
  return { value: value === MISSING ? MISSING : value, missing: [...missing], read };
}

export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return !!v && v !== MISSING;
}

export class RuleError extends Error {}

/** Structural problems with a rule expression (unknown operators, too deep); empty when fine. */
export function ruleProblems(rule: Logic, path = '', depth = 0): string[] {
  if (depth > 20) return [`${path}: nested too deeply`];
  if (rule === null || typeof rule !== 'object') return [];
  if (Array.isArray(rule)) return rule.flatMap((r, i) => ruleProblems(r, `${path}/${i}`, depth + 1));
  const keys = Object.keys(rule);
  if (keys.length !== 1) return [`${path}: an operation has exactly one operator`];
  if (!(OPERATORS as readonly string[]).includes(keys[0])) return [`${path}: unknown operator ${keys[0]}`];
  return ruleProblems((rule as Record<string, unknown>)[keys[0]], `${path}/${keys[0]}`, depth + 1);
}
