// The audit chain's pure parts: the hash of entries written before normalisation is unchanged (vectors
// computed with the previous implementation), the normalisation rules, and the walk that classifies every
// break of a chain without stopping, on synthetic chains (the database-backed cases are in audit.int.test.ts).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChainWalker, entryHash, GENESIS_HASH, storableJson, storableText, type AuditBreak } from './audit.service';

describe('the hash of an entry', () => {
  const legacy = {
    at: '2026-03-01T08:00:00.123Z',
    actorId: '6f1c2a9e-0000-4000-8000-000000000001',
    actorName: 'admin',
    onBehalfOf: null,
    action: 'org.update',
    entityType: 'organisation',
    entityId: 'e1',
    orgId: null,
    summary: { before: { name: '青岛', n: 1e21, f: 0.1 }, after: { name: '青岛市', list: [1, 'a', null, { z: 1, a: 2 }] }, note: { reason: '😀 test' } },
    requestId: 'req-1',
    ip: '127.0.0.1',
    prevHash: GENESIS_HASH,
  };

  it('is what the previous implementation computed, so entries written before normalisation still verify', () => {
    // Both vectors were computed with the entryHash of the commit before normalisation was introduced.
    expect(entryHash(legacy)).toBe('e999ca22d929211217cd163002ca4e53abb5f2c9789d5f3ac61b31932f6b0252');
    expect(entryHash({ ...legacy, prevHash: 'ab'.repeat(32), summary: {}, actorId: null, entityId: null })).toBe('ed3815052418f99c67272b1b2d6e05f990380e1db60384aad93713e7318872f3');
  });

  it('does not depend on key order (jsonb sorts keys its own way)', () => {
    const reversed = { ...legacy, summary: { note: legacy.summary.note, after: { list: legacy.summary.after.list, name: '青岛市' }, before: { f: 0.1, n: 1e21, name: '青岛' } } };
    expect(entryHash(reversed)).toBe(entryHash(legacy));
  });
});

describe('normalisation to what PostgreSQL stores', () => {
  it('turns lone surrogates and U+0000 into U+FFFD and keeps everything else', () => {
    expect(storableText('\ud800')).toBe('\ufffd');
    expect(storableText('a\udc00b\ud83dc')).toBe('a\ufffdb\ufffdc');
    expect(storableText('\udc00\ud800')).toBe('\ufffd\ufffd');
    expect(storableText('x\u0000y')).toBe('x\ufffdy');
    expect(storableText('😀 青岛 \ufffd \u0001')).toBe('😀 青岛 \ufffd \u0001');
    // Idempotent: what it returns passes through unchanged.
    const s = storableText('\ud800\u0000😀\udfff');
    expect(storableText(s)).toBe(s);
  });

  it('normalises keys and values at every depth; the last of keys that become equal wins, as in jsonb', () => {
    expect(storableJson({ ['k\ud800']: ['v\u0000', { ['\u0000']: '\udc00' }], ['k\udbff']: 2 })).toEqual({ 'k\ufffd': 2 });
    expect(storableJson({ a: ['v\u0000', { ['\u0000']: '\udc00' }] })).toEqual({ a: ['v\ufffd', { '\ufffd': '\ufffd' }] });
    const proto = storableJson(JSON.parse('{"__proto__": {"x": 1}}')) as Record<string, unknown>;
    expect(Object.keys(proto)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
  });

  it('gives numbers as jsonb gives them back: JSON numbers, -0 as 0, non-finite as null, BigInt as its digits', () => {
    const out = storableJson({ z: -0, nan: NaN, inf: -Infinity, big: 2n ** 70n, big53: 2 ** 60, e: 1e21, tiny: 5e-324, f: 0.1 + 0.2, u: undefined }) as Record<string, unknown>;
    expect(out).toEqual({ z: 0, nan: null, inf: null, big: '1180591620717411303424', big53: 2 ** 60, e: 1e21, tiny: 5e-324, f: 0.30000000000000004 });
    expect(Object.is(out.z, 0)).toBe(true);
    expect('u' in out).toBe(false);
    expect(storableJson(undefined)).toBeNull();
  });
});

// ---- the walk ---------------------------------------------------------------------------------------------

interface L {
  seq: number;
  hash: string;
  prevHash: string;
  contentOk: boolean;
  hint: string;
}

const h = (s: string) => createHash('sha256').update(s).digest('hex');

/** An intact chain of n entries at seqs 1..n (seqs may be given to leave gaps). */
function chain(n: number, seqs?: number[]): L[] {
  const out: L[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const hash = h(`entry ${i}`);
    out.push({ seq: seqs ? seqs[i] : i + 1, hash, prevHash: prev, contentOk: true, hint: '' });
    prev = hash;
  }
  return out;
}

function walk(links: L[], head: { seq: number; hash: string } | null | 'auto' = 'auto', window = 50): AuditBreak[] {
  const found: AuditBreak[] = [];
  const last = links[links.length - 1];
  const w = new ChainWalker(head === 'auto' ? (last ? { seq: last.seq, hash: last.hash } : null) : head, (b) => found.push(b), window);
  for (const l of links) w.push(l);
  w.finish();
  return found;
}

const reasons = (b: AuditBreak[]) => b.map((x) => `${x.reason}@${x.seq}`);

/** Put entry contents at other seqs: `moves[i]` is the index of the original entry that ends up at position i. */
function permute(links: L[], order: number[]): L[] {
  return order.map((from, i) => ({ ...links[from], seq: links[i].seq }));
}

describe('the walk over the chain', () => {
  it('finds nothing in an intact chain, with gaps in seq (rolled-back appends) and a window much smaller than the chain', () => {
    expect(walk(chain(0), null)).toEqual([]);
    expect(walk(chain(500), 'auto', 3)).toEqual([]);
    expect(walk(chain(5, [1, 2, 7, 8, 20]))).toEqual([]);
  });

  it('reports an edited entry and goes on', () => {
    const c = chain(20);
    c[4].contentOk = false;
    c[15].contentOk = false;
    expect(reasons(walk(c))).toEqual(['edited@5', 'edited@16']);
  });

  it('reports a deleted entry at the entry after the gap, also the first entry and runs of entries', () => {
    const c = chain(30);
    const cut = c.filter((l) => ![0, 9, 20, 21, 22].includes(l.seq - 1));
    const b = walk(cut);
    expect(reasons(b)).toEqual(['deleted@2', 'deleted@11', 'deleted@24']);
    expect(b[1].detail).toMatch(/after entry 9/);
  });

  it('reports both entries of an adjacent swap as reordered, and nothing else', () => {
    const c = chain(20);
    const order = [...c.keys()];
    [order[9], order[10]] = [order[10], order[9]];
    expect(reasons(walk(permute(c, order)))).toEqual(['reordered@10', 'reordered@11']);
  });

  it('reports both entries of a distant swap, a moved entry, and a swap at the end of the chain', () => {
    const c = chain(40);
    const far = [...c.keys()];
    [far[5], far[30]] = [far[30], far[5]];
    expect(reasons(walk(permute(c, far)))).toEqual(['reordered@6', 'reordered@31']);
    // Entry 11 moved to after entry 13: 11, 12, 13 hold the old 12, 13, 11.
    const moved = [...c.keys()];
    moved.splice(12, 0, ...moved.splice(10, 1));
    expect(reasons(walk(permute(c, moved)))).toEqual(['reordered@13']);
    const end = [...c.keys()];
    [end[38], end[39]] = [end[39], end[38]];
    expect(reasons(walk(permute(c, end), { seq: 40, hash: c[39].hash }))).toEqual(['reordered@39', 'reordered@40']);
  });

  it('reports an inserted entry, whether it was chained on properly or not', () => {
    const c = chain(20, [...Array(20).keys()].map((i) => (i + 1) * 10));
    const forged: L = { seq: 55, hash: h('forged'), prevHash: c[4].hash, contentOk: true, hint: '' };
    const garbage: L = { seq: 125, hash: h('garbage'), prevHash: h('nothing'), contentOk: true, hint: '' };
    const links = [...c, forged, garbage].sort((a, b) => a.seq - b.seq);
    expect(reasons(walk(links, { seq: 200, hash: c[19].hash }))).toEqual(['inserted@55', 'inserted@125']);
  });

  it('reports every kind of break in one walk, each at its own entry', () => {
    const c = chain(60);
    const order = [...c.keys()];
    [order[30], order[31]] = [order[31], order[30]];
    const links = permute(c, order).filter((l) => l.seq !== 20);
    links.find((l) => l.seq === 10)!.contentOk = false;
    links.find((l) => l.seq === 50)!.contentOk = false;
    expect(reasons(walk(links, { seq: 60, hash: c[59].hash }, 5))).toEqual(['edited@10', 'deleted@21', 'reordered@31', 'reordered@32', 'edited@50']);
  });

  it('compares the end of the chain with the recorded head', () => {
    const c = chain(10);
    expect(reasons(walk(c.slice(0, 8), { seq: 10, hash: c[9].hash }))).toEqual(['truncated@9']);
    expect(reasons(walk(c, { seq: 10, hash: h('other') }))).toEqual(['edited@10']);
    expect(reasons(walk(c, null))).toEqual(['head-missing@10']);
    expect(reasons(walk([], { seq: 3, hash: c[2].hash }))).toEqual(['truncated@1']);
  });
});
