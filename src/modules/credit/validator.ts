// The one validator for 双公示 records (STANDARDS.md "双公示", 校验前置): the CLI, file batches and the
// single-record API all call it. Pure: no database; what it needs to know about the world (today, the
// authorities the submitter may publish for, document numbers already published) comes in as options.
// Stateful only for duplicates within one file, so it validates a stream row by row in flat memory.
import { citizenIdProblem, creditCodeProblem, PLACEHOLDER_CREDIT_CODE, todayInShanghai } from '../../platform/ids';
import { type CreditKind, FIELDS, KEYS, LONG_TERM, PENALTY_CATEGORIES, splitCategories, type FieldDef } from './fields';

/** Stable problem codes (documented in docs/modules/credit.md). */
export const PROBLEM_CODES = {
  required: 'a mandatory field is empty',
  'conditional-required': 'a field required by another field’s value is empty',
  'not-applicable': 'a field that must be empty for this record has a value',
  'too-long': 'longer than the field allows',
  'value-list': 'not one of the standard’s values',
  'credit-code-format': 'not an 18-character unified social credit code',
  'credit-code-check': 'the check character of the credit code is wrong',
  'placeholder-not-allowed': 'the placeholder credit code is allowed only for sole traders',
  'id-number-format': 'not an 18-character citizen ID number',
  'id-number-birth-date': 'the birth date in the ID number is not a real past date',
  'id-number-check': 'the check character of the ID number is wrong',
  'date-format': 'not a date written YYYY-MM-DD',
  'date-invalid': 'not a real calendar date',
  'date-future': 'a decision date after today',
  'date-order': 'dates in the wrong order',
  'date-beyond-long-term': `after ${LONG_TERM}, the date that stands for long-term validity`,
  'amount-format': 'not an amount in 万元 with at most 6 decimals',
  'amount-range': 'an amount must be greater than 0 and below 10^12 万元',
  'duplicate-in-file': 'the document number appears earlier in the same file',
  'duplicate-published': 'a record with this document number is already published',
  'authority-not-allowed': 'the submitter may not publish for this authority',
  'invalid-text': 'contains control characters or unpaired surrogates (the platform text rule)',
} as const;
export type ProblemCode = keyof typeof PROBLEM_CODES;

export interface Problem {
  row: number;
  field: string;
  code: ProblemCode;
  message: string;
}

export interface ValidatorOptions {
  /** YYYY-MM-DD in Asia/Shanghai; decision dates may not be after it. */
  today?: string;
  /** Authority credit codes the submitter may publish for; undefined = not checked (CLI, city-wide admin). */
  allowedAuthorities?: ReadonlySet<string>;
  /** True when a record with this (authority code, document number) is already published. */
  isPublished?: (authorityCode: string, docNo: string) => boolean;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const AMOUNT_RE = /^\d{1,12}(\.\d{1,6})?$/;

function dateProblem(v: string): 'date-format' | 'date-invalid' | 'date-beyond-long-term' | null {
  const m = DATE_RE.exec(v);
  if (!m) return 'date-format';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return 'date-invalid';
  if (v > LONG_TERM) return 'date-beyond-long-term';
  return null;
}

/** Plain-language message for a problem on a field, in Chinese first (the reports go to departments). */
function message(code: ProblemCode, f: FieldDef | undefined, detail?: string): string {
  const name = f ? `${f.zh}（${f.code}）` : '';
  const base: Record<ProblemCode, string> = {
    required: `${name}为必填项`,
    'conditional-required': `${name}为必填项${detail ? `：${detail}` : ''}`,
    'not-applicable': `${name}应为空${detail ? `：${detail}` : ''}`,
    'too-long': `${name}超过 ${f?.max ?? ''} 个字符`,
    'value-list': `${name}不在取值范围内${detail ? `（可选：${detail}）` : ''}`,
    'credit-code-format': `${name}不是 18 位统一社会信用代码`,
    'credit-code-check': `${name}校验位错误`,
    'placeholder-not-allowed': `${name}不得使用占位代码 ${PLACEHOLDER_CREDIT_CODE}（仅个体工商户可用）`,
    'id-number-format': `${name}不是 18 位居民身份证号码`,
    'id-number-birth-date': `${name}出生日期无效`,
    'id-number-check': `${name}校验位错误`,
    'date-format': `${name}应为 YYYY-MM-DD 格式`,
    'date-invalid': `${name}不是有效日期`,
    'date-future': `${name}不得晚于今天`,
    'date-order': `${name}${detail ?? '日期先后顺序错误'}`,
    'date-beyond-long-term': `${name}晚于 ${LONG_TERM}（长期有效请填 ${LONG_TERM}）`,
    'amount-format': `${name}应为以万元为单位的数字，最多 6 位小数（2000 元填 0.2）`,
    'amount-range': `${name}应大于 0 且小于 10^12 万元`,
    'duplicate-in-file': `${name}与本文件第 ${detail} 行重复`,
    'duplicate-published': `${name}已有相同文号的记录公示`,
    'authority-not-allowed': `${name}不是本单位可以报送的机关${detail ? `（${detail}）` : ''}`,
    'invalid-text': `${name}含有控制字符或不完整的 Unicode 字符${detail ? `（${detail}）` : ''}`,
  };
  return base[code];
}

export class RecordValidator {
  private readonly defs: Map<string, FieldDef>;
  private readonly seen = new Map<string, number>();
  private readonly today: string;
  private readonly p: 'XK' | 'CF';

  constructor(
    readonly kind: CreditKind,
    private readonly opts: ValidatorOptions = {},
  ) {
    this.defs = new Map(FIELDS[kind].map((f) => [f.code, f]));
    this.today = opts.today ?? todayInShanghai();
    this.p = KEYS[kind].prefix;
  }

  /** All problems of one record (values already trimmed strings; blank = absent). */
  check(row: number, values: Readonly<Record<string, string | undefined>>): Problem[] {
    const out: Problem[] = [];
    const add = (field: string, code: ProblemCode, detail?: string) => out.push({ row, field, code, message: message(code, this.defs.get(field), detail) });
    const v = (code: string) => values[code]?.trim() ?? '';
    const has = (code: string) => v(code) !== '';
    const p = this.p;

    // Mandatory fields and per-field shape.
    for (const f of this.defs.values()) {
      const val = v(f.code);
      if (!val) {
        if (f.need === 'M') add(f.code, 'required');
        continue;
      }
      if ([...val].length > f.max) {
        add(f.code, 'too-long');
        continue;
      }
      if (f.type === 'list') {
        const parts = f.code === 'CF_CFLB' ? splitCategories(val) : [val];
        if (!parts.length || parts.some((x) => !f.options!.includes(x))) add(f.code, 'value-list', f.options!.join('/'));
      } else if (f.type === 'date') {
        const dp = dateProblem(val);
        if (dp) add(f.code, dp);
      } else if (f.type === 'amount') {
        if (!AMOUNT_RE.test(val)) add(f.code, 'amount-format');
        else if (!(Number(val) > 0)) add(f.code, 'amount-range');
      } else if (f.type === 'creditCode') {
        // The subject's code may be the placeholder for sole traders (checked below with the category).
        const cp = creditCodeProblem(val, { allowPlaceholder: f.code === `${p}_XDR_SHXYM` });
        if (cp === 'format') add(f.code, 'credit-code-format');
        else if (cp === 'check-character') add(f.code, 'credit-code-check');
        else if (cp === 'placeholder-not-allowed') add(f.code, 'placeholder-not-allowed');
      }
    }

    // Subject block: what is required depends on the subject category.
    const category = v(`${p}_XDR_LB`);
    const code = v(`${p}_XDR_SHXYM`);
    if (category === '法人及非法人组织' || category === '个体工商户') {
      if (!code) add(`${p}_XDR_SHXYM`, 'conditional-required', category);
      else if (code === PLACEHOLDER_CREDIT_CODE && category !== '个体工商户') add(`${p}_XDR_SHXYM`, 'placeholder-not-allowed');
      if (category === '法人及非法人组织' && !has(`${p}_FRDB`)) add(`${p}_FRDB`, 'conditional-required', category);
      // A sole trader without a code is identified by the operator's ID document.
      if (code === PLACEHOLDER_CREDIT_CODE && category === '个体工商户') {
        if (!has(`${p}_XDR_ZJLX`)) add(`${p}_XDR_ZJLX`, 'conditional-required', '个体工商户使用占位代码时');
        if (!has(`${p}_XDR_ZJHM`)) add(`${p}_XDR_ZJHM`, 'conditional-required', '个体工商户使用占位代码时');
      }
    } else if (category === '自然人') {
      if (!has(`${p}_XDR_ZJLX`)) add(`${p}_XDR_ZJLX`, 'conditional-required', category);
      if (!has(`${p}_XDR_ZJHM`)) add(`${p}_XDR_ZJHM`, 'conditional-required', category);
      if (code) add(`${p}_XDR_SHXYM`, 'not-applicable', '自然人无统一社会信用代码');
    }
    // ID numbers: a pair (type, number); a citizen ID passes GB 11643.
    for (const [typeField, numField] of [
      [`${p}_XDR_ZJLX`, `${p}_XDR_ZJHM`],
      [`${p}_FR_ZJLX`, `${p}_FR_ZJHM`],
    ]) {
      if (has(numField) && !has(typeField)) add(typeField, 'conditional-required', '已填写证件号码');
      if (has(typeField) && !has(numField)) add(numField, 'conditional-required', '已填写证件类型');
      if (v(typeField) === '身份证' && has(numField) && [...v(numField)].length <= 64) {
        const ip = citizenIdProblem(v(numField).toUpperCase(), this.today);
        if (ip === 'format') add(numField, 'id-number-format');
        else if (ip === 'birth-date' || ip === 'future-birth-date') add(numField, 'id-number-birth-date');
        else if (ip === 'check-digit') add(numField, 'id-number-check');
      }
    }

    const okDate = (f: string) => has(f) && dateProblem(v(f)) === null;
    if (this.kind === 'licence') {
      if (okDate('XK_JDRQ') && v('XK_JDRQ') > this.today) add('XK_JDRQ', 'date-future');
      if (okDate('XK_YXQZ') && okDate('XK_YXQZI') && v('XK_YXQZ') > v('XK_YXQZI')) add('XK_YXQZI', 'date-order', '早于有效期自');
      if (okDate('XK_JDRQ') && okDate('XK_YXQZI') && v('XK_JDRQ') > v('XK_YXQZI')) add('XK_YXQZI', 'date-order', '早于许可决定日期');
    } else {
      if (okDate('CF_JDRQ') && v('CF_JDRQ') > this.today) add('CF_JDRQ', 'date-future');
      if (okDate('CF_JDRQ') && okDate('CF_YXQ') && v('CF_YXQ') < v('CF_JDRQ')) add('CF_YXQ', 'date-order', '早于处罚决定日期');
      if (okDate('CF_JDRQ') && okDate('CF_GSJZQ') && v('CF_GSJZQ') < v('CF_JDRQ')) add('CF_GSJZQ', 'date-order', '早于处罚决定日期');
      // Conditional fields by penalty category; amounts only where the category has them.
      const cats = splitCategories(v('CF_CFLB')).filter((c) => (PENALTY_CATEGORIES as readonly string[]).includes(c));
      if (cats.length) {
        const rules: [field: string, applies: boolean, why: string][] = [
          ['CF_NR_FK', cats.includes('罚款'), '处罚类别含罚款'],
          ['CF_NR_WFFF', cats.includes('没收违法所得') || cats.includes('没收非法财物'), '处罚类别含没收'],
          ['CF_NR_ZKDX', cats.includes('暂扣许可证件') || cats.includes('吊销许可证件'), '处罚类别含暂扣或吊销'],
        ];
        for (const [field, applies, why] of rules) {
          if (applies && !has(field)) add(field, 'conditional-required', why);
          if (!applies && has(field)) add(field, 'not-applicable', `处罚类别不含${why.replace('处罚类别含', '')}`);
        }
      }
    }

    // Who may publish, and duplicates by document number (within the file, then against published records).
    const k = KEYS[this.kind];
    const authority = v(k.authorityCode);
    if (authority && this.opts.allowedAuthorities && !out.some((x) => x.field === k.authorityCode) && !this.opts.allowedAuthorities.has(authority)) {
      add(k.authorityCode, 'authority-not-allowed', authority);
    }
    const docNo = v(k.docNo);
    if (docNo && !out.some((x) => x.field === k.docNo)) {
      const key = `${authority}\u0000${docNo}`;
      const first = this.seen.get(key);
      if (first !== undefined) add(k.docNo, 'duplicate-in-file', String(first));
      else {
        this.seen.set(key, row);
        if (this.opts.isPublished?.(authority, docNo)) add(k.docNo, 'duplicate-published');
      }
    }
    return out;
  }
}

/** Validate one record without a file (single-record API): the same rules, row 1. */
export function validateRecord(kind: CreditKind, record: Record<string, unknown>, opts: ValidatorOptions = {}): Problem[] {
  const values: Record<string, string> = {};
  for (const [key, val] of Object.entries(record)) if (val !== null && val !== undefined) values[key] = String(val).trim();
  return new RecordValidator(kind, opts).check(1, values);
}

export interface RowInput {
  row: number;
  values: Record<string, string>;
  /** Cells the file reader found breaking the platform's text rule (see platform/text). */
  textProblems?: { field: string; message: string }[];
}

/**
 * Validate a stream of rows. `lookupPublished` (optional) answers, per chunk, which (authority, document
 * number) keys are already published, so a database is asked once per chunk, not once per row.
 */
export async function* validateRows(
  kind: CreditKind,
  rows: AsyncIterable<RowInput>,
  opts: Omit<ValidatorOptions, 'isPublished'> & { lookupPublished?: (keys: { authorityCode: string; docNo: string }[]) => Promise<Set<string>>; chunk?: number } = {},
): AsyncGenerator<RowInput & { problems: Problem[] }> {
  let published = new Set<string>();
  const validator = new RecordValidator(kind, { ...opts, isPublished: (a, d) => published.has(`${a}\u0000${d}`) });
  const k = KEYS[kind];
  const size = opts.chunk ?? 1000;
  let buffer: RowInput[] = [];
  const fieldDefs = new Map(FIELDS[kind].map((f) => [f.code, f]));
  const flush = async function* () {
    if (opts.lookupPublished) {
      const keys = buffer.map((r) => ({ authorityCode: r.values[k.authorityCode]?.trim() ?? '', docNo: r.values[k.docNo]?.trim() ?? '' })).filter((x) => x.docNo);
      published = keys.length ? await opts.lookupPublished(keys) : new Set();
    }
    for (const r of buffer) {
      const textual: Problem[] = (r.textProblems ?? []).map((p) => ({ row: r.row, field: p.field, code: 'invalid-text', message: message('invalid-text', fieldDefs.get(p.field), p.message) }));
      yield { ...r, problems: [...textual, ...validator.check(r.row, r.values)] };
    }
    buffer = [];
  };
  for await (const r of rows) {
    buffer.push(r);
    if (buffer.length >= size) yield* flush();
  }
  if (buffer.length) yield* flush();
}

export const publishedKey = (authorityCode: string, docNo: string) => `${authorityCode}\u0000${docNo}`;
