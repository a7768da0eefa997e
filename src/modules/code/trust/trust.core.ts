// What the trust part's rooms share: who this platform is, its settings, the in-memory caches and change
// listeners, and the key store underneath both the issuing keys and the list key (look-up, the platform
// lock, creation with the private half encrypted under the master key, signing).
import { createPrivateKey, generateKeyPairSync, type KeyObject, sign as nodeSign } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { kidOf, type TrustSource } from '../../../lib/verifier';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import { decrypt, encrypt } from '../../../platform/crypto/secrets';
import { type DbOrTx, inTransaction, type Tx } from '../../../platform/db/client';
import { readSetting, writeSetting } from '../../../platform/db/settings';
import { errors } from '../../../platform/http/problem';
import type { ModuleDeps } from '../../deps';
import { loadCityFile } from '../../org';
import { CODE } from '../code.permissions';
import type { IssuerSigner } from '../contracts';
import { DEFAULT_TRUST_SETTINGS, KEY_CACHE_MS, type KeyRow, LIST_USE, LOCK_BASE, publicOnly, SETTINGS_KEY, type TrustSettings, type TrustSettingsPatch } from './trust.model';
import { trustKeys } from './trust.schema';

export class TrustCore {
  readonly platformId: string;
  readonly platformName: string;
  readonly platformNameEn: string;
  readonly divisionCode: string;
  readonly privateKeys = new Map<string, { key: KeyObject; until: number }>();
  readonly currentSigners = new Map<string, { signer: IssuerSigner; until: number }>();
  sourcesCache: { at: number; sources: (TrustSource & { jws: string })[] } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(readonly deps: ModuleDeps) {
    const city = loadCityFile(deps.config.cityFile);
    this.divisionCode = city.city.divisionCode;
    this.platformId = `CN-${city.city.divisionCode}`;
    this.platformName = city.city.name;
    this.platformNameEn = city.city.nameEn;
  }

  get db() {
    return this.deps.db;
  }

  issuerId(orgCode: string): string {
    return `${this.platformId}:${orgCode}`;
  }

  // ---- settings ------------------------------------------------------------------------------------------

  async settings(db: DbOrTx = this.db): Promise<TrustSettings> {
    const v = (await readSetting<Partial<TrustSettings>>(db, SETTINGS_KEY)) ?? {};
    return { ...DEFAULT_TRUST_SETTINGS, ...v, overlapSeconds: { ...DEFAULT_TRUST_SETTINGS.overlapSeconds, ...(v.overlapSeconds ?? {}) } };
  }

  async putSettings(actor: Actor, patch: TrustSettingsPatch): Promise<TrustSettings> {
    requirePermission(actor, CODE.keysManage);
    return inTransaction(this.db, async (tx) => {
      const before = await this.settings(tx);
      const after: TrustSettings = { ...before, ...patch, overlapSeconds: { ...before.overlapSeconds, ...(patch.overlapSeconds ?? {}) } };
      await writeSetting(tx, SETTINGS_KEY, after);
      await recordAudit(tx, actor, { action: 'trust.settings.update', entityType: 'trust_settings', before, after });
      this.sourcesCache = null;
      return after;
    });
  }

  // ---- the key store -------------------------------------------------------------------------------------

  toSigner(row: KeyRow): IssuerSigner {
    return {
      kid: row.kid,
      issuer: this.issuerId(row.orgCode),
      alg: 'ES256',
      publicJwk: row.publicJwk as JsonWebKey,
      sign: async (data) => new Uint8Array(nodeSign('sha256', data, { key: this.privateKey(row), dsaEncoding: 'ieee-p1363' })),
    };
  }

  private privateKey(row: Pick<KeyRow, 'kid' | 'privateKey'>): KeyObject {
    const hit = this.privateKeys.get(row.kid);
    if (hit && hit.until > Date.now()) return hit.key;
    const der = Buffer.from(decrypt(this.deps.config.masterKey, row.privateKey, `trust-key:${row.kid}`), 'base64');
    const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    this.privateKeys.set(row.kid, { key, until: Date.now() + KEY_CACHE_MS });
    return key;
  }

  async currentRow(db: DbOrTx, orgCode: string, use: string): Promise<KeyRow | null> {
    const [r] = await db
      .select()
      .from(trustKeys)
      .where(and(eq(trustKeys.platformId, this.platformId), eq(trustKeys.orgCode, orgCode), eq(trustKeys.use, use), eq(trustKeys.state, 'current')));
    return r ?? null;
  }

  async lock(tx: Tx) {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_BASE}, hashtext(${this.platformId}))`);
  }

  /** A fresh P-256 key pair; the private half encrypted under the master key, bound to its kid. */
  async createKey(tx: Tx, orgCode: string, use: string, actor: Actor | null): Promise<KeyRow> {
    // The list key belongs to the platform itself; issuing keys to one of its organisations.
    const org = use === LIST_USE ? { id: null } : await this.deps.orgs.byCode(orgCode, tx);
    if (!org) throw errors.unprocessable(`organisation ${orgCode} is not known`, [{ path: '/body/orgCode', message: 'unknown organisation' }]);
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicOnly(publicKey.export({ format: 'jwk' }) as JsonWebKey);
    const kid = await kidOf(jwk);
    const pkcs8 = (privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64');
    // Whole seconds: tokens carry iat in seconds, and one issued in the key's first second must verify.
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const [row] = await tx
      .insert(trustKeys)
      .values({
        platformId: this.platformId,
        orgCode,
        use,
        kid,
        publicJwk: jwk,
        privateKey: encrypt(this.deps.config.masterKey, pkcs8, `trust-key:${kid}`),
        state: 'current',
        notBefore: now,
        notAfter: null,
        createdBy: actor?.userId ?? null,
      })
      .onConflictDoNothing()
      .returning();
    // Another node won the race between our look-up and insert (the lock makes this rare): use its key.
    if (!row) {
      const winner = await this.currentRow(tx, orgCode, use);
      if (!winner) throw new Error(`could not create a ${use} key for ${orgCode}`);
      return winner;
    }
    this.privateKeys.set(kid, { key: privateKey, until: Date.now() + KEY_CACHE_MS });
    return row;
  }

  async orgNames(codes: string[], db: DbOrTx = this.db): Promise<Map<string, { name: string; nameEn: string | null }>> {
    return new Map([...(await this.deps.orgs.byCodes(codes, db))].map(([code, o]) => [code, { name: o.name, nameEn: o.nameEn }]));
  }

  // ---- caches and change listeners -----------------------------------------------------------------------

  /** Drop in-memory caches (after a change here; other nodes pick changes up within the cache times). */
  forget() {
    this.currentSigners.clear();
    this.sourcesCache = null;
  }

  /** Be told when the held trust lists change (a key made or rotated, a partner registered, refreshed or
   *  deactivated), e.g. to drop a cached trust store at once. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed() {
    this.sourcesCache = null;
    for (const l of this.listeners) {
      try {
        l();
      } catch (err) {
        this.deps.log.warn({ err }, 'trust change listener failed');
      }
    }
  }
}
