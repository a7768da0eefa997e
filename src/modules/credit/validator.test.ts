// Every rule of the 双公示 intake checks, one case each (and the valid baseline that must pass).
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_CREDIT_CODE } from '../../platform/ids';
import { RecordValidator, validateRecord, validateRows, type Problem } from './validator';
import { addMonths, DEFAULT_REGIMES, regimeFor, regimeProblems, severityOf, windowOf } from './windows';

const TODAY = '2026-11-27';
const AUTH = '11230500001755309F';
const ENT = '91350200776049653A';

export const penalty = (over: Record<string, string> = {}): Record<string, string> => ({
  CF_XDR_MC: '青岛示例有限公司',
  CF_XDR_LB: '法人及非法人组织',
  CF_XDR_SHXYM: ENT,
  CF_FRDB: '王五',
  CF_WSH: '青公罚决字〔2026〕1号',
  CF_WFXW: '违反消防安全管理规定',
  CF_SY: '未按规定设置消防设施',
  CF_YJ: '《中华人民共和国消防法》第六十条',
  CF_CFLB: '罚款',
  CF_NR: '罚款人民币贰仟元',
  CF_NR_FK: '0.2',
  CF_JDRQ: '2026-05-10',
  CF_YXQ: '2027-05-10',
  CF_CFJG: '青岛市公安局',
  CF_CFJGDM: AUTH,
  CF_SJLY: '青岛市公安局',
  CF_SJLYDM: AUTH,
  ...over,
});

const licence = (over: Record<string, string> = {}): Record<string, string> => ({
  XK_XDR_MC: '青岛示例有限公司',
  XK_XDR_LB: '法人及非法人组织',
  XK_XDR_SHXYM: ENT,
  XK_FRDB: '王五',
  XK_XKWS: '食品经营许可决定书',
  XK_WSH: '青食许〔2026〕8号',
  XK_XKLB: '普通',
  XK_NR: '食品经营',
  XK_JDRQ: '2026-03-01',
  XK_YXQZ: '2026-03-01',
  XK_YXQZI: '2031-02-28',
  XK_XKJG: '青岛市市场监督管理局',
  XK_XKJGDM: AUTH,
  XK_ZT: '1',
  XK_LYDW: '青岛市市场监督管理局',
  XK_LYDWDM: AUTH,
  ...over,
});

const codes = (ps: Problem[]) => ps.map((p) => `${p.field}:${p.code}`).sort();
const P = (over: Record<string, string>) => codes(validateRecord('penalty', penalty(over), { today: TODAY }));
const L = (over: Record<string, string>) => codes(validateRecord('licence', licence(over), { today: TODAY }));

describe('baseline', () => {
  it('accepts a complete penalty and a complete licence', () => {
    expect(P({})).toEqual([]);
    expect(L({})).toEqual([]);
  });
  it('reports each problem with row, field, stable code and a message', () => {
    const [p] = new RecordValidator('penalty', { today: TODAY }).check(7, penalty({ CF_WSH: '' }));
    expect(p).toMatchObject({ row: 7, field: 'CF_WSH', code: 'required' });
    expect(p.message).toContain('CF_WSH');
  });
});

describe('mandatory fields', () => {
  it('requires every M field of both kinds', () => {
    for (const f of ['CF_XDR_MC', 'CF_XDR_LB', 'CF_WSH', 'CF_WFXW', 'CF_SY', 'CF_YJ', 'CF_CFLB', 'CF_NR', 'CF_JDRQ', 'CF_YXQ', 'CF_CFJG', 'CF_CFJGDM', 'CF_SJLY', 'CF_SJLYDM']) {
      expect(P({ [f]: '' }), f).toContain(`${f}:required`);
    }
    for (const f of ['XK_XDR_MC', 'XK_XKWS', 'XK_WSH', 'XK_XKLB', 'XK_NR', 'XK_JDRQ', 'XK_YXQZ', 'XK_YXQZI', 'XK_XKJG', 'XK_XKJGDM', 'XK_ZT', 'XK_LYDW', 'XK_LYDWDM']) {
      expect(L({ [f]: '' }), f).toContain(`${f}:required`);
    }
  });
  it('treats blanks (spaces only) as empty', () => expect(P({ CF_NR: '   ' })).toEqual(['CF_NR:required']));
  it('rejects over-long values', () => expect(P({ CF_WSH: 'x'.repeat(129) })).toEqual(['CF_WSH:too-long']));
});

describe('subject block (conditional by subject category)', () => {
  it('requires the credit code and legal representative for organisations', () => {
    expect(P({ CF_XDR_SHXYM: '' })).toEqual(['CF_XDR_SHXYM:conditional-required']);
    expect(P({ CF_FRDB: '' })).toEqual(['CF_FRDB:conditional-required']);
  });
  it('requires ID type and number for natural persons, and no credit code', () => {
    const person = { CF_XDR_LB: '自然人', CF_XDR_SHXYM: '', CF_FRDB: '', CF_XDR_MC: '张三' };
    expect(P(person)).toEqual(['CF_XDR_ZJHM:conditional-required', 'CF_XDR_ZJLX:conditional-required']);
    expect(P({ ...person, CF_XDR_ZJLX: '身份证', CF_XDR_ZJHM: '11010519491231002X' })).toEqual([]);
    expect(P({ ...person, CF_XDR_ZJLX: '身份证', CF_XDR_ZJHM: '11010519491231002X', CF_XDR_SHXYM: ENT })).toEqual(['CF_XDR_SHXYM:not-applicable']);
  });
  it('accepts the placeholder code only for sole traders, who then need the operator ID', () => {
    expect(P({ CF_XDR_SHXYM: PLACEHOLDER_CREDIT_CODE })).toEqual(['CF_XDR_SHXYM:placeholder-not-allowed']);
    const trader = { CF_XDR_LB: '个体工商户', CF_XDR_SHXYM: PLACEHOLDER_CREDIT_CODE, CF_FRDB: '' };
    expect(P(trader)).toEqual(['CF_XDR_ZJHM:conditional-required', 'CF_XDR_ZJLX:conditional-required']);
    expect(P({ ...trader, CF_XDR_ZJLX: '身份证', CF_XDR_ZJHM: '440524188001010014' })).toEqual([]);
    expect(P({ CF_CFJGDM: PLACEHOLDER_CREDIT_CODE })).toEqual(['CF_CFJGDM:placeholder-not-allowed']);
  });
  it('requires the other half of an ID pair', () => {
    expect(P({ CF_FR_ZJHM: '11010519491231002X' })).toEqual(['CF_FR_ZJLX:conditional-required']);
    expect(P({ CF_FR_ZJLX: '护照' })).toEqual(['CF_FR_ZJHM:conditional-required']);
    expect(P({ CF_FR_ZJLX: '护照', CF_FR_ZJHM: 'E12345678' })).toEqual([]);
  });
});

describe('check digits', () => {
  it('checks credit codes (GB 32100): format and check character, in every code field', () => {
    expect(P({ CF_XDR_SHXYM: '91350200776049653B' })).toEqual(['CF_XDR_SHXYM:credit-code-check']);
    expect(P({ CF_XDR_SHXYM: '9135020077604965' })).toEqual(['CF_XDR_SHXYM:credit-code-format']);
    expect(P({ CF_XDR_SHXYM: '9135020077604965IA' })).toEqual(['CF_XDR_SHXYM:credit-code-format']);
    expect(P({ CF_CFJGDM: '11230500001755309E', CF_SJLYDM: '11230500001755309E' })).toEqual(['CF_CFJGDM:credit-code-check', 'CF_SJLYDM:credit-code-check']);
    expect(L({ XK_XKJGDM: '11230500001755309E' })).toEqual(['XK_XKJGDM:credit-code-check']);
  });
  it('checks citizen ID numbers (GB 11643): format, real birth date, check character', () => {
    const person = { CF_XDR_LB: '自然人', CF_XDR_SHXYM: '', CF_FRDB: '', CF_XDR_ZJLX: '身份证' };
    expect(P({ ...person, CF_XDR_ZJHM: '110105194912310021' })).toEqual(['CF_XDR_ZJHM:id-number-check']);
    expect(P({ ...person, CF_XDR_ZJHM: '11010519491331002X' })).toEqual(['CF_XDR_ZJHM:id-number-birth-date']);
    expect(P({ ...person, CF_XDR_ZJHM: '1101051949123100' })).toEqual(['CF_XDR_ZJHM:id-number-format']);
    expect(P({ CF_FR_ZJLX: '身份证', CF_FR_ZJHM: '110105194912310021' })).toEqual(['CF_FR_ZJHM:id-number-check']);
  });
});

describe('dates', () => {
  it('requires YYYY-MM-DD and real dates', () => {
    expect(P({ CF_JDRQ: '2026/05/10' })).toEqual(['CF_JDRQ:date-format']);
    expect(P({ CF_JDRQ: '2026-02-30' })).toEqual(['CF_JDRQ:date-invalid']);
    expect(L({ XK_YXQZ: '2026-13-01' })).toEqual(['XK_YXQZ:date-invalid']);
  });
  it('refuses decision dates after today', () => {
    expect(P({ CF_JDRQ: '2026-11-28', CF_YXQ: '2027-11-28' })).toEqual(['CF_JDRQ:date-future']);
    expect(L({ XK_JDRQ: '2026-12-01', XK_YXQZ: '2026-12-01' })).toEqual(['XK_JDRQ:date-future']);
    expect(P({ CF_JDRQ: TODAY, CF_YXQ: TODAY })).toEqual([]);
  });
  it('checks date order', () => {
    expect(L({ XK_YXQZ: '2031-03-01' })).toEqual(['XK_YXQZI:date-order']);
    expect(L({ XK_YXQZI: '2026-02-01', XK_YXQZ: '2026-01-01' })).toEqual(['XK_YXQZI:date-order']);
    expect(P({ CF_YXQ: '2026-05-09' })).toEqual(['CF_YXQ:date-order']);
    expect(P({ CF_GSJZQ: '2026-05-01' })).toEqual(['CF_GSJZQ:date-order']);
  });
  it('writes long-term validity as 2099-12-31 and refuses later dates', () => {
    expect(L({ XK_YXQZI: '2099-12-31' })).toEqual([]);
    expect(L({ XK_YXQZI: '9999-12-31' })).toEqual(['XK_YXQZI:date-beyond-long-term']);
    expect(P({ CF_YXQ: '2099-12-31' })).toEqual([]);
  });
});

describe('amounts in 万元', () => {
  it('accepts decimals up to 6 places, refuses other formats and non-positive values', () => {
    expect(P({ CF_NR_FK: '12.345678' })).toEqual([]);
    expect(P({ CF_NR_FK: '0.1234567' })).toEqual(['CF_NR_FK:amount-format']);
    expect(P({ CF_NR_FK: '2000元' })).toEqual(['CF_NR_FK:amount-format']);
    expect(P({ CF_NR_FK: '1,000' })).toEqual(['CF_NR_FK:amount-format']);
    expect(P({ CF_NR_FK: '-1' })).toEqual(['CF_NR_FK:amount-format']);
    expect(P({ CF_NR_FK: '0' })).toEqual(['CF_NR_FK:amount-range']);
    expect(P({ CF_NR_FK: '1234567890123' })).toEqual(['CF_NR_FK:amount-format']);
  });
});

describe('value lists and conditional fields by penalty category', () => {
  it('checks every value list', () => {
    expect(P({ CF_XDR_LB: '公司' })).toContain('CF_XDR_LB:value-list');
    expect(P({ CF_CFLB: '罚金' })).toEqual(['CF_CFLB:value-list']);
    expect(L({ XK_XKLB: '特殊' })).toEqual(['XK_XKLB:value-list']);
    expect(L({ XK_ZT: '3' })).toEqual(['XK_ZT:value-list']);
    expect(P({ CF_FR_ZJLX: '驾驶证', CF_FR_ZJHM: 'x' })).toEqual(['CF_FR_ZJLX:value-list']);
  });
  it('requires the amount for a fine, the confiscated amount for confiscation, the licence for suspension or revocation', () => {
    expect(P({ CF_NR_FK: '' })).toEqual(['CF_NR_FK:conditional-required']);
    expect(P({ CF_CFLB: '罚款；没收违法所得' })).toEqual(['CF_NR_WFFF:conditional-required']);
    expect(P({ CF_CFLB: '罚款、没收非法财物', CF_NR_WFFF: '1.5' })).toEqual([]);
    expect(P({ CF_CFLB: '吊销许可证件', CF_NR_FK: '' })).toEqual(['CF_NR_ZKDX:conditional-required']);
    expect(P({ CF_CFLB: '暂扣许可证件', CF_NR_FK: '', CF_NR_ZKDX: '食品经营许可证 JY123' })).toEqual([]);
  });
  it('refuses category-specific fields the category does not have', () => {
    expect(P({ CF_CFLB: '警告' })).toEqual(['CF_NR_FK:not-applicable']);
    expect(P({ CF_NR_ZKDX: '许可证 1' })).toEqual(['CF_NR_ZKDX:not-applicable']);
  });
});

describe('duplicates and authority', () => {
  it('finds a document number repeated within the file, naming the first row', () => {
    const v = new RecordValidator('penalty', { today: TODAY });
    expect(v.check(2, penalty())).toEqual([]);
    const [d] = v.check(3, penalty());
    expect(d).toMatchObject({ row: 3, field: 'CF_WSH', code: 'duplicate-in-file' });
    expect(d.message).toContain('2');
    expect(v.check(4, penalty({ CF_WSH: 'other' }))).toEqual([]);
  });
  it('finds a document number already published', () => {
    const ps = validateRecord('penalty', penalty(), { today: TODAY, isPublished: (a, d) => a === AUTH && d === '青公罚决字〔2026〕1号' });
    expect(codes(ps)).toEqual(['CF_WSH:duplicate-published']);
  });
  it('refuses an authority the submitter may not publish for', () => {
    expect(codes(validateRecord('penalty', penalty(), { today: TODAY, allowedAuthorities: new Set(['91440101MA5CJQ4N59']) }))).toEqual(['CF_CFJGDM:authority-not-allowed']);
    expect(codes(validateRecord('penalty', penalty(), { today: TODAY, allowedAuthorities: new Set([AUTH]) }))).toEqual([]);
  });
  it('streams rows and asks for published keys once per chunk', async () => {
    const calls: number[] = [];
    async function* rows() {
      for (let i = 0; i < 5; i++) yield { row: i + 2, values: penalty({ CF_WSH: `W${i % 4}` }) };
    }
    const out = [];
    for await (const r of validateRows('penalty', rows(), { today: TODAY, chunk: 2, lookupPublished: async (keys) => (calls.push(keys.length), new Set(keys.filter((k) => k.docNo === 'W1').map((k) => `${k.authorityCode}\u0000${k.docNo}`))) }))
      out.push(r);
    expect(calls).toEqual([2, 2, 1]);
    expect(out.map((r) => r.problems.map((p) => p.code))).toEqual([[], ['duplicate-published'], [], [], ['duplicate-in-file']]);
  });
});

describe('publication windows', () => {
  it('derives severity from category and amount', () => {
    expect(severityOf(penalty({ CF_CFLB: '警告', CF_NR_FK: '' }), 10)).toBe('minor');
    expect(severityOf(penalty(), 10)).toBe('ordinary');
    expect(severityOf(penalty({ CF_NR_FK: '10' }), 10)).toBe('serious');
    expect(severityOf(penalty({ CF_CFLB: '吊销许可证件' }), 10)).toBe('serious');
  });
  it('uses the regime in force on the decision date', () => {
    expect(regimeFor(DEFAULT_REGIMES, 'ordinary', '2026-03-31')).toMatchObject({ minMonths: 3, maxMonths: 36 });
    expect(regimeFor(DEFAULT_REGIMES, 'ordinary', '2026-04-01')).toMatchObject({ minMonths: 3, maxMonths: 12 });
    expect(regimeFor(DEFAULT_REGIMES, 'serious', '2020-01-01').effectiveFrom).toBe('2023-01-01');
    expect(windowOf(penalty(), DEFAULT_REGIMES, 10)).toEqual({ severity: 'ordinary', regimeFrom: '2026-04-01', repairableFrom: '2026-08-10', publicationEnds: '2027-05-10' });
    expect(windowOf(penalty({ CF_JDRQ: '2026-03-31' }), DEFAULT_REGIMES, 10).publicationEnds).toBe('2029-03-31');
    expect(windowOf(penalty({ CF_GSJZQ: '2026-12-31' }), DEFAULT_REGIMES, 10).publicationEnds).toBe('2026-12-31');
  });
  it('adds calendar months clamped to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });
  it('refuses incomplete or inconsistent regime sets', () => {
    expect(regimeProblems(DEFAULT_REGIMES)).toEqual([]);
    expect(regimeProblems(DEFAULT_REGIMES.slice(0, 4)).length).toBeGreaterThan(0);
    expect(regimeProblems([{ severity: 'minor', minMonths: 5, maxMonths: 3, effectiveFrom: '2026-01-01' }]).some((p) => p.path === '/items/0/minMonths')).toBe(true);
  });
});
