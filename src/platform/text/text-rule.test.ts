// The platform's text rule: what it refuses, what it lets through untouched, and where it says the problem is.
import { describe, expect, it } from 'vitest';
import { checkRowText, findTextProblems, shownText, textProblem } from './text-rule';

describe('textProblem', () => {
  it('refuses C0 controls but tab and line breaks, DEL and unpaired surrogates, naming the character', () => {
    expect(textProblem('a\u0000b')).toMatch(/U\+0000/);
    expect(textProblem('\u001b[31m')).toMatch(/U\+001B/);
    expect(textProblem('x\u007f')).toMatch(/U\+007F/);
    expect(textProblem('\ud800')).toMatch(/unpaired surrogate U\+D800/);
    expect(textProblem('a\udc00b')).toMatch(/unpaired surrogate U\+DC00/);
    expect(textProblem('\ud83d\ud83d\ude00')).toMatch(/U\+D83D/); // a high surrogate followed by a complete pair
  });

  it('lets through tab, line breaks, BOM, bidirectional marks, emoji, CJK and rare scripts', () => {
    for (const s of ['', 'line\none\r\n\ttab', '\ufeffBOM', '\u202eRTL\u202c \u200f', '😀👍🏽', '青岛市数字化', '𝔘𠀀', '\u0085\u00a0', 'x'.repeat(100_000)]) {
      expect(textProblem(s), JSON.stringify(s)).toBeNull();
    }
  });
});

describe('findTextProblems', () => {
  it('walks values and field names at every depth, with JSON-pointer paths', () => {
    const problems = findTextProblems({ name: 'ok', nested: { list: ['fine', 'bad\u0000'] }, 'key\ud800': 1, 'a/b~c': '\u0001' }, '/body');
    expect(problems).toEqual([
      { path: '/body/nested/list/1', message: expect.stringMatching(/U\+0000/) },
      { path: '/body/key\ufffd', message: expect.stringMatching(/^field name .*U\+D800/) },
      { path: '/body/a~1b~0c', message: expect.stringMatching(/U\+0001/) },
    ]);
  });

  it('finds nothing in clean values, and ignores numbers, booleans, null and buffers', () => {
    expect(findTextProblems({ a: 1, b: [true, null, -0, 1e308], c: Buffer.from([0]), d: '青岛\n' }, '/body')).toEqual([]);
    expect(findTextProblems(undefined, '/body')).toEqual([]);
  });

  it('bounds nesting without recursion, however deep the value', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const p = findTextProblems(deep, '/body');
    expect(p).toHaveLength(1);
    expect(p[0].message).toBe('is nested more than 32 levels deep');
    expect(p[0].path.split('/').length - 2).toBe(32);
    expect(findTextProblems([[['x']]], '/body', { maxDepth: 3 })).toEqual([]);
  });

  it('stops after maxProblems, so a huge hostile body costs bounded work to answer', () => {
    expect(findTextProblems(Array.from({ length: 10_000 }, () => '\u0000'), '/body')).toHaveLength(20);
  });
});

describe('checkRowText (imports)', () => {
  it('names the cells and shows the row with U+FFFD instead of the offending characters', () => {
    const bad = checkRowText({ name: 'a\u0000b', code: 'X1', note: { deep: '\ud800' } });
    expect(bad?.problems).toEqual([
      { field: 'name', message: expect.stringMatching(/U\+0000/) },
      { field: 'note/deep', message: expect.stringMatching(/U\+D800/) },
    ]);
    expect(bad?.shown).toEqual({ name: 'a\ufffdb', code: 'X1', note: { deep: '\ufffd' } });
    expect(checkRowText({ name: '青岛\t😀' })).toBeNull();
    expect(shownText('ok')).toBe('ok');
  });
});
