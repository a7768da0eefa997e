// CBOR (RFC 8949), the subset COSE and CWT need. Encoding writes preferred (shortest) heads and
// definite lengths. Decoding is strict and bounded, because it runs on whatever a camera read:
// definite lengths only, no trailing bytes, nesting at most 16 deep, no length beyond the input,
// no duplicate map keys. Every failure is a DecodeError('bad-cbor').
import { DecodeError } from './errors';
import { concatBytes, utf8 } from './bytes';

/** A tagged data item (major type 6), e.g. COSE_Sign1 is tag 18, an epoch date tag 1. */
export class CborTag {
  constructor(
    readonly tag: number,
    readonly value: unknown,
  ) {}
}

/** A simple value other than false/true/null/undefined (major type 7, 0..19 and 32..255). */
export class CborSimple {
  constructor(readonly value: number) {}
}

/** A number to encode as a float of the given width (major type 7: 16 = half, 32 = single, 64 =
 *  double), whatever its value; encoding refuses a value that width cannot hold exactly. Decoding
 *  gives plain numbers, so this exists for writers (and tests) that need a particular encoding. */
export class CborFloat {
  constructor(
    readonly value: number,
    readonly width: 16 | 32 | 64 = 64,
  ) {}
}

export const CBOR_MAX_DEPTH = 16;

// ---------------------------------------------------------------------------------------------------
// Encoding

function head(major: number, n: number | bigint): Uint8Array {
  const m = major << 5;
  if (typeof n === 'bigint') {
    if (n < 0n || n > 0xffffffffffffffffn) throw new RangeError('cbor: integer out of range');
    if (n <= BigInt(Number.MAX_SAFE_INTEGER)) return head(major, Number(n));
    const b = new Uint8Array(9);
    b[0] = m | 27;
    new DataView(b.buffer).setBigUint64(1, n);
    return b;
  }
  if (n < 24) return Uint8Array.of(m | n);
  if (n < 0x100) return Uint8Array.of(m | 24, n);
  if (n < 0x10000) return Uint8Array.of(m | 25, n >> 8, n & 0xff);
  if (n < 0x100000000) {
    const b = new Uint8Array(5);
    b[0] = m | 26;
    new DataView(b.buffer).setUint32(1, n);
    return b;
  }
  const b = new Uint8Array(9);
  b[0] = m | 27;
  new DataView(b.buffer).setBigUint64(1, BigInt(n));
  return b;
}

/** IEEE 754 binary16 bits of `v`, or null when a half float cannot hold it exactly. */
function numberToHalf(v: number): number | null {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  let bits: number;
  if (a === Infinity) bits = 0x7c00;
  else if (a < 2 ** -14) bits = a * 2 ** 24; // zero or subnormal: mantissa × 2^-24
  else {
    let e = Math.floor(Math.log2(a));
    if (a / 2 ** e >= 2) e++;
    if (a / 2 ** e < 1) e--;
    const mant = (a / 2 ** e - 1) * 1024;
    if (e > 15 || !Number.isInteger(mant)) return null;
    bits = ((e + 15) << 10) | mant;
  }
  if (!Number.isInteger(bits)) return null;
  return Object.is(halfToNumber(sign | bits), v) ? sign | bits : null;
}

function encodeFloat(f: CborFloat): Uint8Array {
  const v = f.value;
  if (typeof v !== 'number') throw new TypeError('cbor: CborFloat needs a number');
  if (f.width === 16) {
    const h = numberToHalf(v);
    if (h === null) throw new RangeError(`cbor: ${v} is not exactly representable as a half float`);
    return Uint8Array.of(0xf9, h >> 8, h & 0xff);
  }
  if (f.width === 32) {
    if (!Number.isNaN(v) && Math.fround(v) !== v) throw new RangeError(`cbor: ${v} is not exactly representable as a single float`);
    const b = new Uint8Array(5);
    b[0] = 0xfa;
    new DataView(b.buffer).setFloat32(1, v);
    return b;
  }
  const b = new Uint8Array(9);
  b[0] = 0xfb;
  new DataView(b.buffer).setFloat64(1, v);
  return b;
}

function encodeItem(v: unknown, parts: Uint8Array[], depth: number): void {
  if (depth > CBOR_MAX_DEPTH) throw new RangeError('cbor: nesting too deep to encode');
  if (v === false) parts.push(Uint8Array.of(0xf4));
  else if (v === true) parts.push(Uint8Array.of(0xf5));
  else if (v === null) parts.push(Uint8Array.of(0xf6));
  else if (v === undefined) parts.push(Uint8Array.of(0xf7));
  else if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) parts.push(v >= 0 ? head(0, v) : head(1, -1 - v));
    else parts.push(encodeFloat(new CborFloat(v, 64)));
  } else if (v instanceof CborFloat) parts.push(encodeFloat(v));
  else if (typeof v === 'bigint') parts.push(v >= 0n ? head(0, v) : head(1, -1n - v));
  else if (typeof v === 'string') {
    const b = utf8.encode(v);
    parts.push(head(3, b.length), b);
  } else if (v instanceof Uint8Array) parts.push(head(2, v.length), v);
  else if (Array.isArray(v)) {
    parts.push(head(4, v.length));
    for (const x of v) encodeItem(x, parts, depth + 1);
  } else if (v instanceof Map) {
    parts.push(head(5, v.size));
    for (const [k, x] of v) {
      encodeItem(k, parts, depth + 1);
      encodeItem(x, parts, depth + 1);
    }
  } else if (v instanceof CborTag) {
    parts.push(head(6, v.tag));
    encodeItem(v.value, parts, depth + 1);
  } else if (v instanceof CborSimple) {
    if (v.value < 24) parts.push(Uint8Array.of(0xe0 | v.value));
    else parts.push(Uint8Array.of(0xf8, v.value));
  } else if (typeof v === 'object') {
    // A plain object is a map with text keys.
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    parts.push(head(5, entries.length));
    for (const [k, x] of entries) {
      encodeItem(k, parts, depth + 1);
      encodeItem(x, parts, depth + 1);
    }
  } else throw new TypeError(`cbor: cannot encode a ${typeof v}`);
}

/** Encode numbers (safe integers as ints, others as float64), bigints, strings, Uint8Array (byte
 *  strings), arrays, Map (any keys), plain objects (text keys), booleans, null, undefined, CborTag,
 *  CborSimple, CborFloat (a float of a chosen width). */
export function cborEncode(value: unknown): Uint8Array {
  const parts: Uint8Array[] = [];
  encodeItem(value, parts, 0);
  return concatBytes(...parts);
}

// ---------------------------------------------------------------------------------------------------
// Decoding

function halfToNumber(h: number): number {
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  const sign = h & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  fail(msg: string): never {
    throw new DecodeError('bad-cbor', `cbor: ${msg} at byte ${this.pos}`);
  }
  need(n: number) {
    if (n > this.bytes.length - this.pos) this.fail(`${n} bytes announced, ${this.bytes.length - this.pos} left`);
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }
  /** The argument of a head; a bigint only when it does not fit a safe integer. */
  arg(info: number): number | bigint {
    if (info < 24) return info;
    if (info === 24) return this.u8();
    if (info === 25) {
      this.need(2);
      const v = this.view.getUint16(this.pos);
      this.pos += 2;
      return v;
    }
    if (info === 26) {
      this.need(4);
      const v = this.view.getUint32(this.pos);
      this.pos += 4;
      return v;
    }
    if (info === 27) {
      this.need(8);
      const v = this.view.getBigUint64(this.pos);
      this.pos += 8;
      return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    if (info === 31) this.fail('indefinite length is not accepted');
    return this.fail(`reserved additional information ${info}`);
  }
  length(info: number): number {
    const n = this.arg(info);
    if (typeof n === 'bigint') return this.fail('length too large');
    return n;
  }
  item(depth: number): unknown {
    if (depth > CBOR_MAX_DEPTH) this.fail(`nesting deeper than ${CBOR_MAX_DEPTH}`);
    const ib = this.u8();
    const major = ib >> 5;
    const info = ib & 0x1f;
    switch (major) {
      case 0:
        return this.arg(info);
      case 1: {
        const n = this.arg(info);
        return typeof n === 'bigint' ? -1n - n : -1 - n;
      }
      case 2: {
        const n = this.length(info);
        this.need(n);
        const b = this.bytes.slice(this.pos, this.pos + n);
        this.pos += n;
        return b;
      }
      case 3: {
        const n = this.length(info);
        this.need(n);
        const b = this.bytes.subarray(this.pos, this.pos + n);
        this.pos += n;
        try {
          return utf8.decode(b);
        } catch {
          return this.fail('text string is not valid UTF-8');
        }
      }
      case 4: {
        const n = this.length(info);
        this.need(n); // every item takes at least one byte
        const out: unknown[] = new Array(n);
        for (let i = 0; i < n; i++) out[i] = this.item(depth + 1);
        return out;
      }
      case 5: {
        const n = this.length(info);
        if (n > (this.bytes.length - this.pos) / 2) this.fail(`${n} map entries announced, input too short`);
        const out = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          const k = this.item(depth + 1);
          if (!(typeof k === 'string' || typeof k === 'bigint' || Number.isInteger(k))) this.fail('map keys must be integers or text strings');
          if (out.has(k)) this.fail(`duplicate map key ${String(k)}`);
          out.set(k, this.item(depth + 1));
        }
        return out;
      }
      case 6: {
        const tag = this.arg(info);
        if (typeof tag === 'bigint') return this.fail('tag number too large');
        return new CborTag(tag, this.item(depth + 1));
      }
      default: {
        if (info < 20) return new CborSimple(info);
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        if (info === 23) return undefined;
        if (info === 24) {
          const v = this.u8();
          if (v < 32) this.fail('simple value in two bytes below 32');
          return new CborSimple(v);
        }
        if (info === 25) {
          this.need(2);
          const v = halfToNumber(this.view.getUint16(this.pos));
          this.pos += 2;
          return v;
        }
        if (info === 26) {
          this.need(4);
          const v = this.view.getFloat32(this.pos);
          this.pos += 4;
          return v;
        }
        if (info === 27) {
          this.need(8);
          const v = this.view.getFloat64(this.pos);
          this.pos += 8;
          return v;
        }
        if (info === 31) this.fail('break without an indefinite-length item');
        return this.fail(`reserved additional information ${info}`);
      }
    }
  }
}

/** Decode exactly one data item. Maps decode to `Map` (whatever their keys), byte strings to
 *  Uint8Array, tags to CborTag, integers beyond 2^53 to bigint. */
export function cborDecode(bytes: Uint8Array): unknown {
  if (!(bytes instanceof Uint8Array)) throw new DecodeError('bad-cbor', 'cbor: input is not bytes');
  const r = new Reader(bytes);
  if (bytes.length === 0) r.fail('empty input');
  const v = r.item(0);
  if (r.pos !== bytes.length) r.fail(`${bytes.length - r.pos} trailing bytes`);
  return v;
}
