// Token Status List (IETF OAuth draft "Token Status List"): a byte array where entry i takes `bits`
// bits, packed from the least significant bit of each byte, zlib-compressed and base64url-encoded
// (the `lst` member). Values for 2 bits: 0 valid, 1 invalid (revoked), 2 suspended.
import { b64uDecode, b64uEncode } from './bytes';
import { DecodeError } from './errors';
import { zlibDeflate, zlibInflate } from './zlib';

export type StatusBits = 1 | 2 | 4 | 8;
export const STATUS = { valid: 0, invalid: 1, suspended: 2 } as const;
/** A status list larger than this (inflated) is refused: 8 M bytes is 32 M entries at 2 bits. */
export const MAX_STATUS_LIST_BYTES = 8 * 1024 * 1024;

function checkBits(bits: number): asserts bits is StatusBits {
  if (bits !== 1 && bits !== 2 && bits !== 4 && bits !== 8) throw new RangeError(`status list: bits must be 1, 2, 4 or 8, not ${bits}`);
}

/** Pack one status value per entry (each below 2^bits) and compress it into an `lst` string. */
export async function encodeStatusList(values: Uint8Array, bits: StatusBits): Promise<string> {
  checkBits(bits);
  const perByte = 8 / bits;
  const packed = new Uint8Array(Math.ceil(values.length / perByte));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v >= 1 << bits) throw new RangeError(`status list: value ${v} at ${i} does not fit ${bits} bits`);
    packed[Math.floor(i / perByte)] |= v << ((i % perByte) * bits);
  }
  return b64uEncode(await zlibDeflate(packed));
}

/** Decode an `lst` string; the returned lookup throws RangeError for an index beyond the list. */
export async function decodeStatusList(lst: string, bits: StatusBits): Promise<(index: number) => number> {
  checkBits(bits);
  let compressed: Uint8Array;
  try {
    compressed = b64uDecode(lst);
  } catch {
    throw new DecodeError('bad-claims', 'status list: lst is not base64url');
  }
  const packed = await zlibInflate(compressed, MAX_STATUS_LIST_BYTES);
  const perByte = 8 / bits;
  const mask = (1 << bits) - 1;
  const size = packed.length * perByte;
  return (index: number) => {
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`status list: index ${index} is outside the list of ${size} entries`);
    return (packed[Math.floor(index / perByte)] >> ((index % perByte) * bits)) & mask;
  };
}
