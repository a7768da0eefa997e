// Secrets at rest: AES-256-GCM under the installation's master key, keyed hashes for look-ups,
// and random tokens. Everything here is Node's own crypto; nothing is home-made.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 'v1';

/** Encrypt text; the result carries version, nonce and tag so it can be decrypted alone. */
export function encrypt(masterKey: Buffer, plain: string, context = ''): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  // The context binds a ciphertext to its use: a value encrypted for one column cannot be pasted into another.
  if (context) cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), body.toString('base64url'), tag.toString('base64url')].join('.');
}

export function decrypt(masterKey: Buffer, boxed: string, context = ''): string {
  const [version, iv, body, tag] = boxed.split('.');
  if (version !== VERSION || !iv || body === undefined || !tag) throw new Error('not an encrypted value');
  const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(iv, 'base64url'));
  if (context) decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** Keyed hash for blind indexes (find a row by an ID number without storing the number). */
export function blindIndex(masterKey: Buffer, value: string, context: string): string {
  return createHmac('sha256', masterKey).update(context).update('\0').update(value).digest('base64url');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
