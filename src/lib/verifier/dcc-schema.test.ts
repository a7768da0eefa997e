// The DCC payload schema check (dcc-schema.ts) on plain JSON: what it requires, what it ignores, and
// the JSON pointer each failure names.
import { describe, expect, it } from 'vitest';
import { checkDccSchema } from './dcc-schema';
import { SAMPLE_RECOVERY, SAMPLE_TEST, SAMPLE_VACCINATION } from './node/hc1-testing';

const clone = <T>(v: T): T => structuredClone(v);
const fails = (dcc: unknown) => {
  const r = checkDccSchema(dcc);
  return r.ok ? null : r.pointer;
};

describe('EU DCC payload schema (1.3.0 structure)', () => {
  it('accepts the three certificate types and names the type', () => {
    expect(checkDccSchema(SAMPLE_VACCINATION)).toEqual({ ok: true, type: 'vaccination', ver: '1.3.0' });
    expect(checkDccSchema(SAMPLE_TEST)).toMatchObject({ ok: true, type: 'test' });
    expect(checkDccSchema(SAMPLE_RECOVERY)).toMatchObject({ ok: true, type: 'recovery' });
  });

  it('accepts every 1.x version, unknown members, optional members left out, and any codes', () => {
    for (const ver of ['1.0.0', '1.0.1', '1.2.1', '1.3.0', '1.3.2']) expect(fails({ ...SAMPLE_VACCINATION, ver })).toBeNull();
    const v = clone(SAMPLE_VACCINATION) as Record<string, unknown> & typeof SAMPLE_VACCINATION;
    Object.assign(v, { extension: [1, 2], ver: '1.3.0' });
    Object.assign(v.v[0], { tg: 'unknown-agent', ma: 'X', extra: null });
    expect(fails(v)).toBeNull();
    expect(fails({ ...SAMPLE_VACCINATION, nam: { fnt: 'MUSTERMANN' } })).toBeNull();
    for (const dob of ['', '1964', '1964-08', '1964-08-12', '2099-00-00']) expect(fails({ ...SAMPLE_VACCINATION, dob })).toBeNull();
    const t = clone(SAMPLE_TEST) as { t: Record<string, unknown>[] };
    delete t.t[0].tc;
    Object.assign(t.t[0], { nm: 'Roche LightCycler qPCR', ma: '1232' });
    expect(fails(t)).toBeNull();
  });

  it('names the failing member as a JSON pointer', () => {
    expect(fails('not a map')).toBe('');
    expect(fails([SAMPLE_VACCINATION])).toBe('');
    expect(fails({ ...SAMPLE_VACCINATION, ver: 1.3 })).toBe('/ver');
    expect(fails({ ...SAMPLE_VACCINATION, ver: 'v1' })).toBe('/ver');
    expect(fails({ ...SAMPLE_VACCINATION, ver: '2.0.0' })).toBe('/ver');
    expect(fails({ ...SAMPLE_VACCINATION, ver: '0.9.0' })).toBe('/ver');
    expect(fails({ ...SAMPLE_VACCINATION, nam: 'Erika Mustermann' })).toBe('/nam');
    expect(fails({ ...SAMPLE_VACCINATION, nam: { fnt: 'X', gnt: 7 } })).toBe('/nam/gnt');
    expect(fails({ ...SAMPLE_VACCINATION, dob: undefined })).toBe('/dob');
    expect(fails({ ...SAMPLE_VACCINATION, dob: '1864-01-01' })).toBe('/dob');
    expect(fails({ ...SAMPLE_VACCINATION, v: SAMPLE_VACCINATION.v[0] })).toBe('/v');
    expect(fails({ ...SAMPLE_VACCINATION, r: SAMPLE_RECOVERY.r })).toBe('/r');
    expect(fails({ ...SAMPLE_VACCINATION, v: ['x'] })).toBe('/v/0');
    for (const k of ['tg', 'vp', 'mp', 'ma', 'dn', 'sd', 'dt', 'co', 'is', 'ci']) {
      const v = clone(SAMPLE_VACCINATION) as { v: Record<string, unknown>[] };
      delete v.v[0][k];
      expect(fails(v)).toBe(`/v/0/${k}`);
    }
    for (const k of ['tg', 'tt', 'sc', 'tr', 'co', 'is', 'ci']) {
      const t = clone(SAMPLE_TEST) as { t: Record<string, unknown>[] };
      delete t.t[0][k];
      expect(fails(t)).toBe(`/t/0/${k}`);
    }
    for (const k of ['tg', 'fr', 'co', 'is', 'df', 'du', 'ci']) {
      const r = clone(SAMPLE_RECOVERY) as { r: Record<string, unknown>[] };
      delete r.r[0][k];
      expect(fails(r)).toBe(`/r/0/${k}`);
    }
    const second = clone(SAMPLE_VACCINATION) as { v: Record<string, unknown>[] };
    second.v.push({ ...second.v[0], dn: 0 });
    expect(fails(second)).toBe('/v/1/dn');
    expect(fails({ ...SAMPLE_TEST, t: [{ ...SAMPLE_TEST.t[0], tc: 5 }] })).toBe('/t/0/tc');
    expect(fails({ ...SAMPLE_VACCINATION, v: [{ ...SAMPLE_VACCINATION.v[0], dn: '2' }] })).toBe('/v/0/dn');
  });
});
