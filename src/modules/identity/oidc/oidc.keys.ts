// The provider's key material. Signing keys (RS256 and ES256) are generated on first start and kept in
// oidc_keys with the private JWK encrypted under the master key; cookie-signing keys are derived from
// the master key, so every node of a cluster signs the provider's cookies alike without more config.
import { hkdfSync } from 'node:crypto';
import { asc, isNull, sql } from 'drizzle-orm';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { recordAudit } from '../../../platform/audit/audit.service';
import { systemActor } from '../../../platform/auth/actor';
import { type Db, inTransaction } from '../../../platform/db/client';
import { decrypt, encrypt } from '../../../platform/crypto/secrets';
import { oidcKeys } from '../identity.schema';

const KEY_CONTEXT = 'oidc_keys.private_jwk';
const KEYS_LOCK = 7_020_101; // advisory lock: two nodes starting together create one key per algorithm
export const SIGNING_ALGS = ['RS256', 'ES256'] as const;

export interface SigningJwk extends JWK {
  kid: string;
  alg: string;
  use: 'sig';
}

async function newKey(alg: (typeof SIGNING_ALGS)[number]): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { ...jwk, kid, alg, use: 'sig' };
}

/** The active private signing keys, RS256 first (the default for clients); creates missing ones. */
export async function loadSigningKeys(db: Db, masterKey: Buffer): Promise<SigningJwk[]> {
  const rows = await inTransaction(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${KEYS_LOCK})`);
    const active = await tx.select().from(oidcKeys).where(isNull(oidcKeys.retiredAt)).orderBy(asc(oidcKeys.createdAt));
    for (const alg of SIGNING_ALGS) {
      if (active.some((k) => k.alg === alg)) continue;
      const jwk = await newKey(alg);
      const [row] = await tx
        .insert(oidcKeys)
        .values({ kid: jwk.kid, alg, privateJwkEnc: encrypt(masterKey, JSON.stringify(jwk), KEY_CONTEXT) })
        .returning();
      await recordAudit(tx, systemActor('oidc'), { action: 'oidc.key.create', entityType: 'oidc_key', entityId: jwk.kid, after: { alg } });
      active.push(row);
    }
    return active;
  });
  const keys = rows.map((r) => JSON.parse(decrypt(masterKey, r.privateJwkEnc, KEY_CONTEXT)) as SigningJwk);
  const order = (alg: string) => SIGNING_ALGS.indexOf(alg as (typeof SIGNING_ALGS)[number]);
  return keys.sort((a, b) => order(a.alg) - order(b.alg));
}

/** Keys for the provider's signed cookies, derived with HKDF so they never need storing. */
export function cookieKeys(masterKey: Buffer): string[] {
  const key = hkdfSync('sha256', masterKey, Buffer.from('digital-qingdao'), Buffer.from('oidc-provider cookie signing v1'), 32);
  return [Buffer.from(key).toString('base64url')];
}
