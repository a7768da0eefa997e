// Row typing, row-level rules, scoring helpers and the generator's guarantees, without a database.
import { describe, expect, it } from 'vitest';
import { isValidCitizenId, isValidCreditCode } from '../../../platform/ids';
import { legalPersonRows, populationRows } from './generator';
import { checkRow, derivedRules, passRateScore, ruleProblem, timelinessScore, typed, type QualityRule } from './quality';

describe('typed', () => {
  it('canonicalises each item type and names what is wrong', () => {
    expect(typed('integer', ' 42 ')).toEqual({ value: '42' });
    expect(typed('integer', '4.2')).toEqual({ error: 'not an integer' });
    expect(typed('decimal', 12.5)).toEqual({ value: '12.5' });
    expect(typed('date', '2026/02/28')).toEqual({ value: '2026-02-28' });
    expect(typed('date', '2026-02-30')).toEqual({ error: 'not a date (YYYY-MM-DD)' });
    expect(typed('datetime', '2026-11-27 08:00:00')).toEqual({ value: '2026-11-27T00:00:00.000Z' }); // Shanghai time
    expect(typed('datetime', '2026-11-27T08:00:00Z')).toEqual({ value: '2026-11-27T08:00:00.000Z' });
    expect(typed('boolean', '是')).toEqual({ value: 'true' });
    expect(typed('string', '')).toEqual({ value: null });
    expect(typed('string', { a: 1 })).toEqual({ error: 'expected a string' });
  });
});

describe('rules', () => {
  const items = [
    { name: 'id_number', label: '身份证', type: 'string' as const, key: true, personal: 'id_number' as const },
    { name: 'name', label: '姓名', type: 'string' as const, required: true },
    { name: 'death_date', label: '死亡日期', type: 'date' as const },
  ];
  it('derives not_null, unique and the ID check from the items', () => {
    expect(derivedRules(items).map((r) => `${r.kind}:${r.column}`)).toEqual(['not_null:id_number', 'not_null:name', 'unique:id_number', 'id_number:id_number']);
  });
  it('checks a row: missing value, wrong check digit, death before birth', () => {
    const rules: QualityRule[] = [...derivedRules(items), { kind: 'range', column: 'death_date', params: { afterBirthOf: 'id_number', max: 'today' }, threshold: 0, severity: 'error' }];
    const id = [...populationRows(1, 3)][0].id_number!;
    const bad = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    const types = { id_number: 'string', name: 'string', death_date: 'date' } as const;
    const fails = checkRow(rules, { id_number: bad, name: null, death_date: '1900-01-01' }, types, '2026-11-27').map((f) => `${f.problem.rule}:${f.problem.column}`);
    expect(fails).toEqual(['not_null:name', 'id_number:id_number']); // no birth date from an invalid ID number
    expect(checkRow(rules, { id_number: id, name: '张三', death_date: '1900-01-01' }, types, '2026-11-27').map((f) => f.problem.message)).toEqual([`before the birth date in id_number (${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)})`]);
    expect(checkRow(rules, { id_number: id, name: '张三', death_date: '2026-01-01' }, types, '2026-11-27')).toEqual([]);
    expect(checkRow(rules, { id_number: id, name: '张三', death_date: '2026-12-01' }, types, '2026-11-27')[0].problem.message).toBe('greater than 2026-11-27');
  });
  it('refuses malformed rule definitions', () => {
    expect(ruleProblem({ kind: 'pattern', column: 'name', params: { pattern: '([' }, threshold: 0, severity: 'error' }, items)).toMatch(/regular expression/);
    expect(ruleProblem({ kind: 'range', column: 'nope', params: { min: 1 }, threshold: 0, severity: 'error' }, items)).toMatch(/unknown column/);
    expect(ruleProblem({ kind: 'row_count', column: null, params: { min: 10 }, threshold: 0, severity: 'error' }, items)).toBeNull();
  });
});

describe('scores', () => {
  it('timeliness is full within the cycle and falls to 0 at three cycles', () => {
    expect(timelinessScore(0.5, 1)).toBe(100);
    expect(timelinessScore(3, 1)).toBe(50);
    expect(timelinessScore(4, 1)).toBe(0);
    expect(timelinessScore(null, 7)).toBe(0);
    expect(passRateScore([{ checked: 100, failed: 1 }, { checked: 100, failed: 0 }])).toBe(99.5);
    expect(passRateScore([])).toBeNull();
  });
});

describe('generator', () => {
  it('is deterministic and yields distinct valid ID numbers and credit codes', () => {
    const a = [...populationRows(20_000, 9)];
    expect([...populationRows(3, 9)]).toEqual(a.slice(0, 3));
    expect(new Set(a.map((r) => r.id_number)).size).toBe(a.length);
    expect(a.every((r) => isValidCitizenId(r.id_number!, '2026-11-27'))).toBe(true);
    expect(a.every((r) => r.birth_date === `${r.id_number!.slice(6, 10)}-${r.id_number!.slice(10, 12)}-${r.id_number!.slice(12, 14)}`)).toBe(true);
    const c = [...legalPersonRows(500, 1)];
    expect(new Set(c.map((r) => r.credit_code)).size).toBe(500);
    expect(c.every((r) => isValidCreditCode(r.credit_code!))).toBe(true);
  });
});
