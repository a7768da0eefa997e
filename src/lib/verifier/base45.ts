// Base45 (RFC 9285): two bytes become three characters of the QR alphanumeric alphabet, so a QR code in
// alphanumeric mode carries binary data with about 3% less room than byte mode at 8 bits per character.
import { DecodeError } from './errors';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;

export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 1 < bytes.length; i += 2) {
    let n = bytes[i] * 256 + bytes[i + 1];
    const c = n % 45;
    n = (n - c) / 45;
    const d = n % 45;
    const e = (n - d) / 45;
    out += ALPHABET[c] + ALPHABET[d] + ALPHABET[e];
  }
  if (i < bytes.length) {
    const n = bytes[i];
    out += ALPHABET[n % 45] + ALPHABET[Math.floor(n / 45)];
  }
  return out;
}

function digit(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const v = c < 128 ? INDEX[c] : -1;
  if (v < 0) throw new DecodeError('bad-base45', `base45: invalid character ${JSON.stringify(text[i])} at ${i}`);
  return v;
}

/** Strict decoding: a group whose value does not fit (over 65535, or over 255 for the last pair) and a
 *  length of 3k+1 are rejected (RFC 9285 §4.2). */
export function base45Decode(text: string): Uint8Array {
  if (typeof text !== 'string') throw new DecodeError('bad-base45', 'base45: not a string');
  if (text.length % 3 === 1) throw new DecodeError('bad-base45', `base45: length ${text.length} leaves a single character`);
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 2 < text.length; i += 3) {
    const n = digit(text, i) + digit(text, i + 1) * 45 + digit(text, i + 2) * 2025;
    if (n > 0xffff) throw new DecodeError('bad-base45', `base45: group at ${i} exceeds 65535`);
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  }
  if (i < text.length) {
    const n = digit(text, i) + digit(text, i + 1) * 45;
    if (n > 0xff) throw new DecodeError('bad-base45', `base45: final pair at ${i} exceeds 255`);
    out[o++] = n;
  }
  return out;
}
