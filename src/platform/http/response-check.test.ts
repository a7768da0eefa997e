import { describe, expect, it } from 'vitest';
import { firstDifference, serializerFactory } from './response-check';
import { Nullable, Timestamp, Type } from './schema';

const build = (schema: unknown, check = true) =>
  serializerFactory(check)({}, {})({ schema, method: 'GET', url: '/api/things', httpStatus: '200' });

const Thing = Type.Object({ id: Type.String(), count: Type.Integer(), note: Nullable(Type.String()), at: Timestamp });

describe('response schema check', () => {
  it('passes an answer the schema carries whole, Dates included', () => {
    const at = new Date('2026-12-07T01:02:03.004Z');
    expect(JSON.parse(build(Thing)({ id: 'a', count: 2, note: null, at }))).toEqual({ id: 'a', count: 2, note: null, at: at.toISOString() });
  });

  it('names a field the schema would drop', () => {
    expect(() => build(Thing)({ id: 'a', count: 2, note: null, at: '2026-12-07T00:00:00Z', secret: 'x' })).toThrow(
      /GET \/api\/things → 200: \/secret is not in the response schema/,
    );
  });

  it('names a value the schema would coerce, and a required field that is missing', () => {
    expect(() => build(Thing)({ id: 'a', count: 2.5, note: null, at: '2026-12-07T00:00:00Z' })).toThrow(/\/count was 2.5/);
    expect(() => build(Thing)({ id: 'a', note: null, at: '2026-12-07T00:00:00Z' })).toThrow(/GET \/api\/things → 200: "count" is required/);
  });

  it('without the check serialises as production does: undeclared fields are dropped', () => {
    expect(JSON.parse(build(Thing, false)({ id: 'a', count: 1, note: 'n', at: '2026-12-07T00:00:00Z', secret: 'x' }))).not.toHaveProperty('secret');
  });

  it('reports the first difference as a JSON pointer', () => {
    expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] }, '')).toBe('/a/1/b was 2, the schema sent 3');
    expect(firstDifference([1, 2], [1], '')).toBe('/ had 2 items, the schema sent 1');
    expect(firstDifference({ a: 1 }, { a: 1 }, '')).toBeNull();
  });
});
