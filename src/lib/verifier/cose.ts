// COSE_Sign1 (RFC 9052 §4.2): [protected bstr, unprotected map, payload bstr, signature bstr], tagged 18
// or not. The signature covers Sig_structure ["Signature1", protected, external_aad (empty), payload].
import { CborTag, cborDecode, cborEncode } from './cbor';
import { DecodeError } from './errors';

export const COSE_SIGN1_TAG = 18;
/** COSE header labels and algorithm ids used here. */
export const COSE = { alg: 1, kid: 4, ES256: -7, PS256: -37 } as const;

export interface CoseSign1 {
  protectedHeader: Map<unknown, unknown>;
  /** The protected header exactly as it was encoded (the signature covers these bytes). */
  protectedBytes: Uint8Array;
  unprotectedHeader: Map<unknown, unknown>;
  payload: Uint8Array;
  signature: Uint8Array;
}

/** The bytes a COSE_Sign1 signature covers. */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array, externalAad = new Uint8Array(0)): Uint8Array {
  return cborEncode(['Signature1', protectedBytes, externalAad, payload]);
}

/** Build a tagged COSE_Sign1; `sign` receives the Sig_structure and returns the signature (ES256: r‖s). */
export async function coseSign1Encode(
  msg: { protectedHeader: Map<unknown, unknown>; unprotectedHeader?: Map<unknown, unknown>; payload: Uint8Array },
  sign: (toBeSigned: Uint8Array) => Promise<Uint8Array>,
  opts: { tagged?: boolean } = {},
): Promise<Uint8Array> {
  const protectedBytes = msg.protectedHeader.size ? cborEncode(msg.protectedHeader) : new Uint8Array(0);
  const signature = await sign(sigStructure(protectedBytes, msg.payload));
  const arr = [protectedBytes, msg.unprotectedHeader ?? new Map(), msg.payload, signature];
  return cborEncode(opts.tagged === false ? arr : new CborTag(COSE_SIGN1_TAG, arr));
}

export interface CoseDecodeOptions {
  /** A header label in both buckets: `refuse` (RFC 9052, the default) or `protected-wins` (the EU DCC
   *  lets the kid sit in either header, the protected one taking precedence). */
  sameLabelInBoth?: 'refuse' | 'protected-wins';
}

/** Decode a COSE_Sign1 (tag 18 optional). CBOR errors are `bad-cbor`; a wrong structure is `bad-cose`. */
export function coseSign1Decode(bytes: Uint8Array, opts: CoseDecodeOptions = {}): CoseSign1 {
  let v = cborDecode(bytes);
  if (v instanceof CborTag) {
    if (v.tag !== COSE_SIGN1_TAG) throw new DecodeError('bad-cose', `cose: tag ${v.tag}, expected 18 (COSE_Sign1)`);
    v = v.value;
  }
  if (!Array.isArray(v) || v.length !== 4) throw new DecodeError('bad-cose', 'cose: COSE_Sign1 must be an array of four items');
  const [protectedBytes, unprotectedHeader, payload, signature] = v as unknown[];
  if (!(protectedBytes instanceof Uint8Array)) throw new DecodeError('bad-cose', 'cose: protected header is not a byte string');
  if (!(unprotectedHeader instanceof Map)) throw new DecodeError('bad-cose', 'cose: unprotected header is not a map');
  if (!(payload instanceof Uint8Array)) throw new DecodeError('bad-cose', 'cose: payload is not a byte string (detached payloads are not accepted)');
  if (!(signature instanceof Uint8Array)) throw new DecodeError('bad-cose', 'cose: signature is not a byte string');
  let protectedHeader: Map<unknown, unknown> = new Map();
  if (protectedBytes.length) {
    let h: unknown;
    try {
      h = cborDecode(protectedBytes);
    } catch (err) {
      throw new DecodeError('bad-cose', `cose: protected header: ${(err as Error).message}`);
    }
    if (!(h instanceof Map)) throw new DecodeError('bad-cose', 'cose: protected header is not a map');
    protectedHeader = h;
  }
  for (const k of protectedHeader.keys()) {
    if (unprotectedHeader.has(k) && opts.sameLabelInBoth !== 'protected-wins') throw new DecodeError('bad-cose', `cose: header label ${String(k)} in both buckets`);
  }
  return { protectedHeader, protectedBytes, unprotectedHeader, payload, signature };
}

/** The kid of a COSE_Sign1: protected header first, then unprotected (EU DCC allows either). */
export function coseKid(msg: CoseSign1): Uint8Array | undefined {
  const k = msg.protectedHeader.get(COSE.kid) ?? msg.unprotectedHeader.get(COSE.kid);
  return k instanceof Uint8Array ? k : undefined;
}
