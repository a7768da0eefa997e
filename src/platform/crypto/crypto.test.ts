import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blindIndex, decrypt, encrypt } from './secrets';
import { base32Decode, base32Encode, hotp, totp, verifyTotp } from './totp';

describe('TOTP (RFC 6238 / RFC 4226)', () => {
  // RFC 4226 appendix D: secret "12345678901234567890", counters 0..9.
  const secret = Buffer.from('12345678901234567890');
  it('matches the RFC 4226 HOTP test vectors', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => expect(hotp(secret, counter)).toBe(code));
  });
  it('matches the RFC 6238 SHA-1 vectors (8 digits, truncated to 6 here)', () => {
    const b32 = base32Encode(secret);
    // T = 59 s → 94287082; T = 1111111109 s → 07081804
    expect(totp(b32, 59_000)).toBe('287082');
    expect(totp(b32, 1111111109_000)).toBe('081804');
  });
  it('accepts one step of drift, refuses older steps and reuse', () => {
    const b32 = base32Encode(randomBytes(20));
    const now = 1_800_000_000_000;
    expect(verifyTotp(b32, totp(b32, now - 30_000), now)).not.toBeNull();
    expect(verifyTotp(b32, totp(b32, now - 90_000), now)).toBeNull();
    const step = verifyTotp(b32, totp(b32, now), now)!;
    expect(verifyTotp(b32, totp(b32, now), now, step)).toBeNull();
    expect(verifyTotp(b32, 'abcdef', now)).toBeNull();
  });
  it('round-trips base32', () => {
    const b = randomBytes(33);
    expect(base32Decode(base32Encode(b)).equals(b)).toBe(true);
  });
});

describe('secrets at rest', () => {
  const key = randomBytes(32);
  it('round-trips and binds the ciphertext to its context', () => {
    const box = encrypt(key, '11010519491231002X', 'users.id_number');
    expect(box).not.toContain('11010519491231002X');
    expect(decrypt(key, box, 'users.id_number')).toBe('11010519491231002X');
    expect(() => decrypt(key, box, 'users.totp_secret')).toThrow();
    expect(() => decrypt(randomBytes(32), box, 'users.id_number')).toThrow();
    expect(encrypt(key, 'same', 'c')).not.toBe(encrypt(key, 'same', 'c')); // fresh nonce each time
  });
  it('detects tampering', () => {
    const box = encrypt(key, 'secret value', 'c');
    const parts = box.split('.');
    const body = Buffer.from(parts[2], 'base64url');
    body[0] ^= 1;
    parts[2] = body.toString('base64url');
    expect(() => decrypt(key, parts.join('.'), 'c')).toThrow();
  });
  it('blind indexes are stable per key and context', () => {
    expect(blindIndex(key, 'x', 'a')).toBe(blindIndex(key, 'x', 'a'));
    expect(blindIndex(key, 'x', 'a')).not.toBe(blindIndex(key, 'x', 'b'));
  });
});
