import { describe, expect, it } from 'vitest';
import { bigrams, documentVector, highlight, minOverlap, normalise, planQuery, segments, synonymTable, unigrams } from './tokenize';

// A few of the service hall's synonyms (the module seeds the full table).
const syn = synonymTable({ 社保: ['社会保险', '社会保障'], 社保卡: ['社会保障卡'], 公积金: ['住房公积金'], 医保: ['医疗保障', '医疗保险'] });

describe('tokenizer', () => {
  it('cuts Chinese into bigrams, keeps Latin words whole, splits at punctuation', () => {
    expect(bigrams('住房公积金')).toEqual(['住房', '房公', '公积', '积金']);
    expect(bigrams('户口迁移（人才引进落户）')).toEqual(['户口', '口迁', '迁移', '人才', '才引', '引进', '进落', '落户']);
    expect(bigrams('GAJ-QR-0001')).toEqual(['gaj', 'qr', '0001']);
    expect(bigrams('残')).toEqual(['残']);
    expect(unigrams('残疾')).toEqual(['残', '疾']);
    expect(segments('ＡＢＣ１２３社保')).toEqual([{ kind: 'word', text: 'abc123' }, { kind: 'cjk', text: '社保' }]);
    expect(normalise('（ＡＢ）')).toBe('(ab)');
  });

  it('builds a weighted tsvector literal with each lexeme once', () => {
    const v = documentVector([{ text: '社会保险', weight: 'A' }, { text: '社会', weight: 'C' }]);
    expect(v).toContain("'社会':1A");
    expect(v.match(/'社会'/g)).toHaveLength(1);
    expect(v).toContain("'社':");
  });
});

describe('query planning', () => {
  it('expands abbreviations into alternatives that must match fully', () => {
    const p = planQuery('社保', syn)!;
    expect(p.alternatives.map((a) => a.text)).toEqual(['社保', '社会保险', '社会保障']);
    expect(p.alternatives[1].minMatch).toBe(3);
    expect(p.expanded).toEqual([{ term: '社保', expansions: ['社会保险', '社会保障'] }]);
  });

  it('prefers the longest synonym and replaces it inside longer input', () => {
    const p = planQuery('社保卡补办', syn)!;
    expect(p.expanded.map((e) => e.term)).toEqual(['社保卡']);
    expect(p.alternatives.map((a) => a.text)).toContain('社会保障卡补办');
    expect(planQuery('公积金提取', syn)!.alternatives.map((a) => a.text)).toContain('住房公积金提取');
  });

  it('tolerates one wrong character in typed input', () => {
    // 公积全提取: one character wrong removes two of its four bigrams; two must still match.
    const p = planQuery('公积全提取', syn)!;
    expect(p.alternatives[0].grams).toHaveLength(4);
    expect(p.alternatives[0].minMatch).toBe(2);
    expect(minOverlap(1)).toBe(1);
    expect(minOverlap(3)).toBe(1);
    expect(minOverlap(6)).toBe(4);
  });

  it('has nothing to search for punctuation only', () => {
    expect(planQuery('（）%', syn)).toBeNull();
  });
});

describe('highlighting', () => {
  it('returns plain and matched segments, never markup', () => {
    expect(highlight('住房公积金提取（租房）', ['公积', '积金'])).toEqual([
      { text: '住房', match: false },
      { text: '公积金', match: true },
      { text: '提取（租房）', match: false },
    ]);
    const h = highlight('<b>社会保险</b>', ['社会保险']);
    expect(h.map((s) => s.text).join('')).toBe('<b>社会保险</b>');
    expect(h.find((s) => s.match)?.text).toBe('社会保险');
  });
});
