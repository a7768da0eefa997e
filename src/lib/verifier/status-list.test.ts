import { describe, expect, it } from 'vitest';
import { b64uDecode, b64uEncode, decodeStatusList, detectScheme, encodeStatusList, zlibDeflate, zlibInflate } from './index';

describe('Token Status List', () => {
  it('packs entries from the least significant bits, as the draft specifies', async () => {
    // The draft's 1-bit example: statuses 1,0,0,1,1,1,0,1 | 1,1,0,0,0,1,0,1 → bytes 0xB9 0xA3
    const one = Uint8Array.of(1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1);
    const lst = await encodeStatusList(one, 1);
    expect([...(await zlibInflate(b64uDecode(lst)))]).toEqual([0xb9, 0xa3]);
    // The draft's 2-bit example: 1,2,0,3,0,1,0,1,1,2,3,3 → 0xC9 0x44 0xF9
    const two = Uint8Array.of(1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3);
    const lst2 = await encodeStatusList(two, 2);
    expect([...(await zlibInflate(b64uDecode(lst2)))]).toEqual([0xc9, 0x44, 0xf9]);
    const get = await decodeStatusList(lst2, 2);
    expect([...two].map((_, i) => get(i))).toEqual([...two]);
  });

  it('round-trips every width and bounds the index', async () => {
    for (const bits of [1, 2, 4, 8] as const) {
      const values = new Uint8Array(1000).map(() => Math.floor(Math.random() * (1 << bits)));
      const get = await decodeStatusList(await encodeStatusList(values, bits), bits);
      for (let i = 0; i < values.length; i++) expect(get(i)).toBe(values[i]);
      expect(() => get(-1)).toThrow(RangeError);
      expect(() => get(1 << 20)).toThrow(RangeError);
    }
    await expect(encodeStatusList(Uint8Array.of(4), 2)).rejects.toThrow(RangeError);
  });

  it('refuses input that is not base64url zlib, and bombs', async () => {
    await expect(decodeStatusList('!!!', 2)).rejects.toMatchObject({ step: 'bad-claims' });
    await expect(decodeStatusList('AAAA', 2)).rejects.toMatchObject({ step: 'bad-zlib' });
    const bomb = b64uEncode(await zlibDeflate(new Uint8Array(9 * 1024 * 1024)));
    await expect(decodeStatusList(bomb, 2)).rejects.toMatchObject({ step: 'bad-zlib' });
  });
});

describe('detectScheme', () => {
  it('names the scheme by prefix or shape', () => {
    expect(detectScheme('CC1:ABC')).toBe('city');
    expect(detectScheme('HC1:ABC')).toBe('hc1');
    expect(detectScheme('eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln~WyJzYWx0IiwiYSIsMV0~')).toBe('sd-jwt-vc');
    expect(detectScheme('hello')).toBe(null);
    expect(detectScheme('')).toBe(null);
  });
});
