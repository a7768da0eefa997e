import { describe, expect, it } from 'vitest';
import {
  CborFloat,
  CborSimple,
  CborTag,
  DecodeError,
  b64uDecode,
  b64uEncode,
  base45Decode,
  base45Encode,
  cborDecode,
  cborEncode,
  coseSign1Decode,
  coseSign1Encode,
  hexDecode,
  hexEncode,
  kidOf,
  sigStructure,
  verifyEs256,
  zlibDeflate,
  zlibInflate,
} from './index';
import { makeKey } from './testing';

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);
function step(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DecodeError) return err.step;
    throw err;
  }
  return 'no error';
}

describe('base45 (RFC 9285)', () => {
  it('encodes and decodes the RFC examples', () => {
    expect(base45Encode(text('AB'))).toBe('BB8');
    expect(base45Encode(text('Hello!!'))).toBe('%69 VD92EX0');
    expect(base45Encode(text('base-45'))).toBe('UJCLQE7W581');
    expect(str(base45Decode('QED8WEX0'))).toBe('ietf!');
    expect(str(base45Decode('%69 VD92EX0'))).toBe('Hello!!');
    expect(base45Encode(new Uint8Array())).toBe('');
  });
  it('round-trips random bytes', () => {
    for (let n = 0; n < 200; n++) {
      const b = crypto.getRandomValues(new Uint8Array(n));
      expect(base45Decode(base45Encode(b))).toEqual(b);
    }
  });
  it('rejects bad characters, a dangling character and overflowing groups', () => {
    expect(step(() => base45Decode('abc'))).toBe('bad-base45'); // lower case is not in the alphabet
    expect(step(() => base45Decode('BB8B'))).toBe('bad-base45');
    expect(step(() => base45Decode('GGW'))).toBe('bad-base45'); // 16 + 16*45 + 32*2025 = 65536
    expect(step(() => base45Decode('::'))).toBe('bad-base45'); // 44 + 44*45 > 255
    expect(step(() => base45Decode('é0'))).toBe('bad-base45');
  });
});

describe('base64url and hex', () => {
  it('round-trips and matches RFC 4648 vectors', () => {
    expect(b64uEncode(text('foob'))).toBe('Zm9vYg');
    expect(b64uEncode(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
    expect(str(b64uDecode('Zm9vYmFy'))).toBe('foobar');
    for (let n = 0; n < 50; n++) {
      const b = crypto.getRandomValues(new Uint8Array(n));
      expect(b64uDecode(b64uEncode(b))).toEqual(b);
      expect(hexDecode(hexEncode(b))).toEqual(b);
    }
    expect(step(() => b64uDecode('Zm9v+g'))).toBe('bad-jws');
    expect(step(() => b64uDecode('Zh'))).toBe('bad-jws'); // non-canonical trailing bits
    expect(step(() => b64uDecode('Z'))).toBe('bad-jws');
  });
});

describe('CBOR (RFC 8949 subset)', () => {
  const hex = (v: unknown) => hexEncode(cborEncode(v));
  it('encodes the RFC 8949 Appendix A examples', () => {
    expect(hex(0)).toBe('00');
    expect(hex(23)).toBe('17');
    expect(hex(24)).toBe('1818');
    expect(hex(1000)).toBe('1903e8');
    expect(hex(1000000)).toBe('1a000f4240');
    expect(hex(1000000000000)).toBe('1b000000e8d4a51000');
    expect(hex(-1)).toBe('20');
    expect(hex(-1000)).toBe('3903e7');
    expect(hex(-70001)).toBe('3a00011170');
    expect(hex(18446744073709551615n)).toBe('1bffffffffffffffff');
    expect(hex(1.1)).toBe('fb3ff199999999999a');
    expect(hex(false)).toBe('f4');
    expect(hex(null)).toBe('f6');
    expect(hex('IETF')).toBe('6449455446');
    expect(hex('水')).toBe('63e6b0b4');
    expect(hex(Uint8Array.of(1, 2, 3, 4))).toBe('4401020304');
    expect(hex([1, [2, 3], [4, 5]])).toBe('8301820203820405');
    expect(hex({ a: 1, b: [2, 3] })).toBe('a26161016162820203');
    expect(hex(new Map([[1, 2], [3, 4]]))).toBe('a201020304');
    expect(hex(new CborTag(1, 1363896240))).toBe('c11a514b67b0');
  });
  it('decodes the RFC examples, including floats', () => {
    const d = (h: string) => cborDecode(hexDecode(h));
    expect(d('1bffffffffffffffff')).toBe(18446744073709551615n);
    expect(d('3bffffffffffffffff')).toBe(-18446744073709551616n);
    expect(d('f93c00')).toBe(1);
    expect(d('f97bff')).toBe(65504);
    expect(d('f90001')).toBeCloseTo(5.960464477539063e-8);
    expect(d('f9fc00')).toBe(-Infinity);
    expect(d('fa47c35000')).toBe(100000);
    expect(d('fb3ff199999999999a')).toBe(1.1);
    expect(d('f0')).toEqual(new CborSimple(16));
    expect(d('f8ff')).toEqual(new CborSimple(255));
    expect(d('f7')).toBe(undefined);
    expect(d('a26161016162820203')).toEqual(new Map<unknown, unknown>([['a', 1], ['b', [2, 3]]]));
    expect(d('c11a514b67b0')).toEqual(new CborTag(1, 1363896240));
  });
  it('encodes floats at a chosen width (CborFloat) and decodes half, single and double floats', () => {
    const hex = (v: unknown) => hexEncode(cborEncode(v));
    const d = (h: string) => cborDecode(hexDecode(h));
    expect(hex(new CborFloat(1, 16))).toBe('f93c00');
    expect(hex(new CborFloat(-4, 16))).toBe('f9c400');
    expect(hex(new CborFloat(65504, 16))).toBe('f97bff');
    expect(hex(new CborFloat(5.960464477539063e-8, 16))).toBe('f90001');
    expect(hex(new CborFloat(0, 16))).toBe('f90000');
    expect(hex(new CborFloat(-0, 16))).toBe('f98000');
    expect(hex(new CborFloat(Infinity, 16))).toBe('f97c00');
    expect(hex(new CborFloat(NaN, 16))).toBe('f97e00');
    expect(hex(new CborFloat(100000, 32))).toBe('fa47c35000');
    expect(hex(new CborFloat(1.1, 64))).toBe('fb3ff199999999999a');
    expect(hex(new CborFloat(1656633600, 64))).toBe('fb41d8af8e40000000');
    expect(hex(1656633600.5)).toBe('fb41d8af8e40200000'); // a non-integer number is a double
    expect(() => cborEncode(new CborFloat(1.1, 16))).toThrow(RangeError);
    expect(() => cborEncode(new CborFloat(65536, 16))).toThrow(RangeError);
    expect(() => cborEncode(new CborFloat(1.1, 32))).toThrow(RangeError);
    // decoding: RFC 8949 Appendix A examples and epoch times
    expect(d('f90000')).toBe(0);
    expect(Object.is(d('f98000'), -0)).toBe(true);
    expect(d('f93e00')).toBe(1.5);
    expect(d('f9c400')).toBe(-4);
    expect(d('f90400')).toBe(0.00006103515625);
    expect(d('f97c00')).toBe(Infinity);
    expect(d('f97e00')).toBeNaN();
    expect(d('fa7f7fffff')).toBe(3.4028234663852886e38);
    expect(d('fa7f800000')).toBe(Infinity);
    expect(d('fa4ec56928')).toBe(1656001536); // the single float nearest 1656001600
    expect(d('fb7e37e43c8800759c')).toBe(1e300);
    expect(d('fbc010666666666666')).toBe(-4.1);
    expect(d('fb41d8af8e40000000')).toBe(1656633600);
    for (const [v, w] of [[0.5, 16], [-2.75, 16], [1024, 16], [123456.5, 32], [2 ** -130, 32], [Math.PI, 64]] as const) {
      expect(d(hexEncode(cborEncode(new CborFloat(v, w))))).toBe(v);
    }
    expect(() => d('f93c')).toThrow(/bad|announced/);
    expect(() => d('fa47c350')).toThrow(/announced/);
  });
  it('round-trips nested values', () => {
    const v = new Map<unknown, unknown>([[1, 'iss'], [-260, new Map([[1, { v: [{ dn: 1 }] }]])], ['k', [Uint8Array.of(9), null, true, -5]]]);
    const back = cborDecode(cborEncode(v)) as Map<unknown, unknown>;
    expect(back.get(1)).toBe('iss');
    expect(((back.get(-260) as Map<unknown, unknown>).get(1) as Map<unknown, unknown>).get('v')).toEqual([new Map([['dn', 1]])]);
    expect(back.get('k')).toEqual([Uint8Array.of(9), null, true, -5]);
  });
  it('is strict: trailing bytes, indefinite lengths, short input, deep nesting, duplicate keys', () => {
    const s = (h: string) => step(() => cborDecode(hexDecode(h)));
    expect(s('0000')).toBe('bad-cbor');
    expect(s('5f42010243030405ff')).toBe('bad-cbor');
    expect(s('9f01ff')).toBe('bad-cbor');
    expect(s('44010203')).toBe('bad-cbor');
    expect(s('9bffffffffffffffff')).toBe('bad-cbor');
    expect(s('9a7fffffff00')).toBe('bad-cbor');
    expect(s('a201020103')).toBe('bad-cbor');
    expect(s('')).toBe('bad-cbor');
    expect(s('1c')).toBe('bad-cbor');
    expect(s('f818')).toBe('bad-cbor');
    expect(s('62c328')).toBe('bad-cbor'); // invalid UTF-8
    expect(s('a1820102' + '03')).toBe('bad-cbor'); // array as a map key
    expect(s('81'.repeat(16) + '00')).toBe('no error');
    expect(s('81'.repeat(17) + '00')).toBe('bad-cbor');
  });
});

describe('COSE_Sign1 (RFC 9052)', () => {
  it('signs the Signature1 structure and decodes what it encoded', async () => {
    const k = await makeKey();
    const protectedHeader = new Map<unknown, unknown>([[1, -7], [4, b64uDecode(k.kid)]]);
    const payload = text('payload');
    const bytes = await coseSign1Encode({ protectedHeader, payload }, k.signer.sign);
    expect(bytes[0]).toBe(0xd2); // tag 18
    const msg = coseSign1Decode(bytes);
    expect(msg.protectedHeader.get(1)).toBe(-7);
    expect(msg.payload).toEqual(payload);
    const pub = await crypto.subtle.importKey('jwk', k.jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    expect(await verifyEs256(pub, msg.signature, sigStructure(msg.protectedBytes, msg.payload))).toBe(true);
    // Sig_structure is ["Signature1", protected, h'', payload]
    expect(hexEncode(sigStructure(Uint8Array.of(0xa0), Uint8Array.of(1)))).toBe('846a5369676e61747572653141a0404101');
    const untagged = await coseSign1Encode({ protectedHeader, payload }, k.signer.sign, { tagged: false });
    expect(untagged[0]).toBe(0x84);
    expect(coseSign1Decode(untagged).payload).toEqual(payload);
  });
  it('rejects structures that are not COSE_Sign1', () => {
    const s = (v: unknown) => step(() => coseSign1Decode(cborEncode(v)));
    expect(s([Uint8Array.of(), new Map(), Uint8Array.of()])).toBe('bad-cose');
    expect(s(new CborTag(17, [Uint8Array.of(), new Map(), Uint8Array.of(), Uint8Array.of()]))).toBe('bad-cose');
    expect(s([Uint8Array.of(), new Map(), null, Uint8Array.of()])).toBe('bad-cose');
    expect(s([Uint8Array.of(0x01), new Map(), Uint8Array.of(), Uint8Array.of()])).toBe('bad-cose');
    expect(s([cborEncode(new Map([[4, Uint8Array.of(1)]])), new Map([[4, Uint8Array.of(1)]]), Uint8Array.of(), Uint8Array.of()])).toBe('bad-cose');
    expect(step(() => coseSign1Decode(Uint8Array.of(0x84, 0x40)))).toBe('bad-cbor');
  });
});

describe('kidOf', () => {
  it('is base64url of the first 8 bytes of SHA-256 over the SPKI DER', async () => {
    const k = await makeKey();
    const pub = await crypto.subtle.importKey('jwk', k.jwk, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pub));
    expect(spki.length).toBe(91);
    const h = new Uint8Array(await crypto.subtle.digest('SHA-256', spki));
    expect(await kidOf(k.jwk)).toBe(b64uEncode(h.subarray(0, 8)));
    expect((await kidOf(k.jwk)).length).toBe(11);
  });
});

describe('zlib', () => {
  it('round-trips and bounds the inflated size', async () => {
    const data = new Uint8Array(100_000).fill(7);
    const z = await zlibDeflate(data);
    expect(z.length).toBeLessThan(1000);
    expect(await zlibInflate(z)).toEqual(data);
    await expect(zlibInflate(z, 50_000)).rejects.toMatchObject({ step: 'bad-zlib' });
    await expect(zlibInflate(Uint8Array.of(1, 2, 3))).rejects.toMatchObject({ step: 'bad-zlib' });
    await expect(zlibInflate(z.subarray(0, z.length - 3))).rejects.toMatchObject({ step: 'bad-zlib' });
  });
});
