// The one rule for every string that enters the platform — request bodies (values and field names),
// query strings, path parameters, imported files, multipart fields and the command line:
//   refused: C0 control characters other than tab, line feed and carriage return; DEL (U+007F);
//            UTF-16 surrogates that are not part of a pair.
//   allowed: everything else, including a byte-order mark, bidirectional marks, emoji and CJK.
// Why: PostgreSQL text and jsonb cannot hold U+0000, and a lone surrogate cannot be encoded as UTF-8, so
// such strings either fail deep inside a write (a 500) or are silently changed on the way in; the other
// control characters have no business in government records and hide text from the people who read them.
// Refusing them at the door, naming the field, keeps every layer below from having to care.

// Fast pre-check: any character that could break the rule (surrogate pairs still need the exact walk).
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const SUSPECT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ud800-\udfff]/;

const hex = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a string breaks the rule (naming the first offending character), or null when it is acceptable. */
export function textProblem(s: string): string | null {
  if (!SUSPECT.test(s)) return null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (c === 0x09 || c === 0x0a || c === 0x0d) continue;
      return `contains the control character ${hex(c)} (only tab, line feed and carriage return are allowed)`;
    }
    if (c === 0x7f) return `contains the control character ${hex(c)}`;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `contains an unpaired surrogate ${hex(c)} (not valid Unicode text)`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return `contains an unpaired surrogate ${hex(c)} (not valid Unicode text)`;
  }
  return null;
}

/** True when the string may enter the platform. */
export const isAcceptableText = (s: string): boolean => textProblem(s) === null;

export interface TextProblem {
  /** JSON pointer of the offending value or field name, under the given base (e.g. "/body/name"). */
  path: string;
  message: string;
}

export interface TextScanOptions {
  /** Objects and arrays nested deeper than this are refused (default 32). */
  maxDepth?: number;
  /** Stop after this many problems (default 20): enough to name the fields, bounded for huge bodies. */
  maxProblems?: number;
}

/** A JSON pointer segment (RFC 6901), with characters that break the rule shown as U+FFFD so the answer itself is clean. */
function segment(key: string): string {
  return shownText(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * Every string in a parsed value (object keys included) checked against the rule, and nesting bounded.
 * Returns the problems found, each with its path; an empty list when the value may enter.
 */
export function findTextProblems(value: unknown, base: string, opts: TextScanOptions = {}): TextProblem[] {
  const maxDepth = opts.maxDepth ?? 32;
  const maxProblems = opts.maxProblems ?? 20;
  const problems: TextProblem[] = [];
  // Iterative walk: a hostile body nested a million levels deep must not exhaust the stack.
  const stack: { v: unknown; path: string; depth: number; key?: string }[] = [{ v: value, path: base, depth: 0 }];
  while (stack.length && problems.length < maxProblems) {
    const { v, path, depth, key } = stack.pop()!;
    // A field name is reported where its value would be, so problems come in document order.
    const kp = key === undefined ? null : textProblem(key);
    if (kp) problems.push({ path, message: `field name ${kp}` });
    if (typeof v === 'string') {
      const p = textProblem(v);
      if (p) problems.push({ path, message: p });
      continue;
    }
    if (v === null || typeof v !== 'object' || Buffer.isBuffer(v) || ArrayBuffer.isView(v)) continue;
    if (typeof (v as { pipe?: unknown }).pipe === 'function') continue; // a stream (uploads): read by its own reader
    if (depth >= maxDepth) {
      problems.push({ path, message: `is nested more than ${maxDepth} levels deep` });
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}/${i}`, depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      stack.push({ v: (v as Record<string, unknown>)[k], path: `${path}/${segment(k)}`, depth: depth + 1, key: k });
    }
  }
  return problems;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what this replaces
const OFFENDING = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string with every character the rule refuses shown as U+FFFD: for echoing refused input back (reject lists), never for accepting it. */
export function shownText(s: string): string {
  return SUSPECT.test(s) ? s.replace(OFFENDING, '\ufffd') : s;
}

/** A field of an imported row that breaks the rule (the row is rejected with it). */
export interface RowTextProblem {
  field: string;
  message: string;
}

/**
 * Check a flat row of imported text against the rule. Returns null when every cell is acceptable; otherwise
 * the problems and the row with offending characters shown as U+FFFD (so a rejected row can be kept and
 * shown, and no database write ever meets the raw characters).
 */
export function checkRowText<V>(values: Record<string, V>): { problems: RowTextProblem[]; shown: Record<string, V> } | null {
  let problems: RowTextProblem[] | null = null;
  for (const [k, v] of Object.entries(values)) {
    const p = findTextProblems(v, '');
    const kp = textProblem(k);
    if (kp) (problems ??= []).push({ field: shownText(k), message: `column name ${kp}` });
    for (const q of p) (problems ??= []).push({ field: shownText(k) + q.path, message: q.message });
  }
  if (!problems) return null;
  return { problems, shown: deepShown(values) as Record<string, V> };
}

function deepShown(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return shownText(v);
  if (!v || typeof v !== 'object' || depth > 32) return v;
  if (Array.isArray(v)) return v.map((x) => deepShown(x, depth + 1));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [shownText(k), deepShown(x, depth + 1)]));
}
