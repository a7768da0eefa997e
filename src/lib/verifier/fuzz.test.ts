// Fuzz: random bytes, random Base45 text, and truncations and bit flips of valid payloads go to every
// decoder and verifier. Decoders may only throw DecodeError (status list lookups: RangeError for an
// index); verifiers never throw and always answer with a known reason. A seeded generator makes a
// failure reproducible (the seed is in the test name).
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  TrustStore,
  b64uDecode,
  b64uEncode,
  base45Decode,
  base45Encode,
  cborDecode,
  coseSign1Decode,
  decodeStatusList,
  detectScheme,
  encodeStatusList,
  issueCityCode,
  verifyCityCode,
  verifyHc1,
  verifyTrustList,
  zlibDeflate,
  zlibInflate,
  type Reason,
} from './index';
import { makeDsc, makeHc1 } from './node/hc1-testing';
import { signerFromDer } from './node/signer-certs';
import { listKey, makeKey, makeList, makeSource } from './testing';

const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(SEED);
const int = (n: number) => Math.floor(rand() * n);
const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const b45text = (n: number) => Array.from({ length: n }, () => B45[int(45)]).join('');

const REASONS = new Set<Reason>([
  'ok', 'bad-prefix', 'bad-base45', 'bad-zlib', 'bad-cbor', 'bad-cose', 'bad-claims', 'bad-jws', 'unknown-key', 'untrusted-issuer',
  'wrong-issuer', 'untrusted-partner', 'stale-trust-list', 'key-usage', 'key-expired', 'bad-signature', 'expired', 'not-yet-valid', 'replayed',
]);

function onlyDecodeErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof DecodeError)) throw new Error(`unexpected ${(err as Error)?.name}: ${(err as Error)?.message}`);
  }
}
async function onlyDecodeErrorsAsync(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof DecodeError)) throw new Error(`unexpected ${(err as Error)?.name}: ${(err as Error)?.message}`);
  }
}

/** Mutations of a valid byte string: every truncation point (sampled), single bit flips, byte splices. */
function* mutations(valid: Uint8Array, count: number): Generator<Uint8Array> {
  for (let i = 0; i < count; i++) {
    const kind = i % 3;
    if (kind === 0) yield valid.subarray(0, int(valid.length));
    else if (kind === 1) {
      const b = valid.slice();
      b[int(b.length)] ^= 1 << int(8);
      yield b;
    } else {
      const b = valid.slice();
      const at = int(b.length);
      b.set(bytes(Math.min(4, b.length - at)), at);
      yield b;
    }
  }
}

describe(`fuzz (seed ${SEED})`, () => {
  it('byte decoders: random bytes and mutated valid CBOR/COSE only throw DecodeError', async () => {
    const k = await makeKey();
    const code = await issueCityCode({ iss: 'CN-370200:GAJ', sub: 's1', iat: 1, exp: 61, cti: '01', type: 'person', health: 'green', cards: [] }, k.signer);
    const validCose = base45Decode(code.slice(4));
    for (let i = 0; i < 5000; i++) {
      const b = bytes(int(64));
      onlyDecodeErrors(() => cborDecode(b));
      onlyDecodeErrors(() => coseSign1Decode(b));
    }
    for (const m of mutations(validCose, 3000)) {
      onlyDecodeErrors(() => cborDecode(m));
      onlyDecodeErrors(() => coseSign1Decode(m));
    }
    // deep nesting and huge announced lengths
    onlyDecodeErrors(() => cborDecode(new Uint8Array(10_000).fill(0x81)));
    onlyDecodeErrors(() => cborDecode(Uint8Array.of(0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)));
    onlyDecodeErrors(() => cborDecode(Uint8Array.of(0xbb, 0, 0, 0, 1, 0, 0, 0, 0)));
  });

  it('text decoders: random Base45 and base64url text', () => {
    for (let i = 0; i < 5000; i++) {
      const t = b45text(int(80));
      onlyDecodeErrors(() => base45Decode(t));
      onlyDecodeErrors(() => b64uDecode(t));
      const anyText = String.fromCharCode(...Array.from({ length: int(20) }, () => int(0x3000)));
      onlyDecodeErrors(() => base45Decode(anyText));
      onlyDecodeErrors(() => b64uDecode(anyText));
      detectScheme(anyText);
    }
  });

  it('zlib and status lists: random and mutated compressed data', async () => {
    const valid = await zlibDeflate(new TextEncoder().encode('status list '.repeat(50)));
    const lst = await encodeStatusList(new Uint8Array(500).map(() => int(3)), 2);
    const inputs = [...Array.from({ length: 300 }, () => bytes(int(40))), ...mutations(valid, 300)];
    for (const b of inputs) {
      await onlyDecodeErrorsAsync(() => zlibInflate(b));
      await onlyDecodeErrorsAsync(async () => {
        const get = await decodeStatusList(b64uEncode(b), 2);
        for (const idx of [0, 7, 100]) {
          try {
            get(idx);
          } catch (err) {
            if (!(err instanceof RangeError)) throw err;
          }
        }
      });
    }
    for (let i = 0; i < 300; i++) {
      const cut = lst.slice(0, int(lst.length));
      await onlyDecodeErrorsAsync(() => decodeStatusList(cut, 2));
      await onlyDecodeErrorsAsync(() => decodeStatusList(b45text(int(30)), 2));
    }
  });

  it('city code verifier: random payloads and mutations of a valid code always give a known decision', async () => {
    const listSigner = await makeKey();
    const k = await makeKey();
    const T = 1_795_766_400;
    const trust = new TrustStore([await makeSource(makeList('CN-370200', [listKey(k, 'CN-370200:GAJ')]), listSigner, { own: true })], { at: new Date(T * 1000) });
    const code = await issueCityCode({ iss: 'CN-370200:GAJ', sub: 'p7kQ2mZx9TfA1wXy', iat: T, exp: T + 60, cti: '0011223344556677', type: 'person', health: 'green', cards: [{ kind: 'bus', ref: 'B1' }] }, k.signer);
    const cose = base45Decode(code.slice(4));
    const seen: Reason[] = [];
    const check = async (p: string) => {
      const d = await verifyCityCode(p, { trust, at: new Date(T * 1000), seen: () => false });
      expect(REASONS.has(d.reason), `${d.reason} for ${p}`).toBe(true);
      expect(d.valid).toBe(d.reason === 'ok');
      seen.push(d.reason);
    };
    for (let i = 0; i < 1500; i++) await check('CC1:' + b45text(int(300)));
    for (let i = 0; i < 500; i++) await check('CC1:' + base45Encode(bytes(int(200))));
    for (const m of mutations(cose, 2000)) await check('CC1:' + base45Encode(m));
    for (let cut = 0; cut < code.length; cut++) await check(code.slice(0, cut));
    const counts = new Set(seen);
    // The mutations reach past decoding into the signature check.
    expect([...counts]).toEqual(expect.arrayContaining(['bad-base45', 'bad-cbor', 'bad-signature', 'bad-prefix']));
    expect(seen.filter((r) => r === 'ok').length).toBeLessThan(20); // only no-op mutations (e.g. an empty truncation never passes)
  });

  it('HC1 verifier: random payloads and mutations of a valid DCC always give a known decision', async () => {
    const dsc = await makeDsc();
    const signers = [await signerFromDer(dsc.der)];
    const iat = 1_622_505_600;
    const hc1 = await makeHc1(dsc, { iss: 'DE', iat, exp: iat + 86400 * 365 });
    const compressed = base45Decode(hc1.slice(4));
    const cose = await zlibInflate(compressed);
    const at = new Date((iat + 100) * 1000);
    const seen = new Set<Reason>();
    const check = async (p: string) => {
      const d = await verifyHc1(p, { signers, at });
      expect(REASONS.has(d.reason), d.reason).toBe(true);
      seen.add(d.reason);
    };
    for (let i = 0; i < 500; i++) await check('HC1:' + b45text(int(300)));
    for (const m of mutations(compressed, 500)) await check('HC1:' + base45Encode(m));
    for (const m of mutations(cose, 1000)) await check('HC1:' + base45Encode(await zlibDeflate(m)));
    for (let cut = 0; cut < hc1.length; cut += 7) await check(hc1.slice(0, cut));
    expect([...seen]).toEqual(expect.arrayContaining(['bad-base45', 'bad-zlib', 'bad-cbor', 'bad-signature']));
  });

  it('trust list verifier: random and mutated JWS always give ok:false with a known reason', async () => {
    const listSigner = await makeKey();
    const k = await makeKey();
    const jws = await signTrustListFor(listSigner, k);
    const seen = new Set<Reason>();
    const check = async (t: string) => {
      const r = await verifyTrustList(t, listSigner.jwk);
      if (r.ok) {
        expect(t).toBe(jws);
        return;
      }
      expect(REASONS.has(r.reason), r.reason).toBe(true);
      seen.add(r.reason);
    };
    for (let i = 0; i < 1000; i++) await check(b45text(int(100)));
    for (let i = 0; i < 300; i++) await check(`${b64uEncode(bytes(int(30)))}.${b64uEncode(bytes(int(30)))}.${b64uEncode(bytes(int(64)))}`);
    const raw = new TextEncoder().encode(jws);
    for (const m of mutations(raw, 1500)) await check(new TextDecoder().decode(m));
    expect([...seen]).toEqual(expect.arrayContaining(['bad-jws', 'bad-signature']));
  });
});

async function signTrustListFor(listSigner: Awaited<ReturnType<typeof makeKey>>, k: Awaited<ReturnType<typeof makeKey>>): Promise<string> {
  const { signTrustList } = await import('./index');
  return signTrustList(makeList('CN-370200', [listKey(k, 'CN-370200:GAJ', ['city-code', 'certificate'])]), listSigner.signer);
}
