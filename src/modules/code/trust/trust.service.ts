// Issuing keys, this platform's signed trust list, and partner platforms.
//
// Keys: ES256 (P-256) per issuing organisation and use, private halves encrypted under the master key,
// one current key per (organisation, use), created on first need. Rotation retires the current key with
// an end date (now + overlap), so codes and certificates signed before keep verifying until then.
// The trust list (every key whose end date has not passed) is republished on every key change and on a
// schedule, signed by the platform's own list key; partners pin that key. Partner platforms are
// registered by URL or uploaded list plus the pinned key, refreshed on a schedule, and handed to the
// verifiers as trust sources with their freshness (or the reason they are no longer trusted).
import { createPrivateKey, generateKeyPairSync, type KeyObject, sign as nodeSign } from 'node:crypto';
import { and, asc, count, desc, eq, gt, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, requirePermission, systemActor } from '../../../platform/auth/actor';
import { decrypt, encrypt } from '../../../platform/crypto/secrets';
import { type DbOrTx, inTransaction, type Tx } from '../../../platform/db/client';
import { appMeta } from '../../../platform/db/meta.schema';
import { errors } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import { kidOf, signTrustList, type KeyUse, type TrustList, type TrustListKey, type TrustListState, trustListState, type TrustSource, TrustStore, verifyTrustList } from '../../../lib/verifier';
import type { ModuleDeps } from '../../deps';
import { loadCityFile } from '../../org';
import { CODE } from '../code.permissions';
import type { IssuerKeys, IssuerSigner } from '../contracts';
import { trustKeys, trustLists, trustPartners } from './trust.schema';

export const ISSUING_USES: KeyUse[] = ['city-code', 'certificate', 'status-list'];
/** The list-signing key's use (never in the list itself; partners pin it). */
export const LIST_USE = 'trust-list';
export const REFRESH_JOB = 'trust.partners.refresh';
export const REPUBLISH_JOB = 'trust.list.republish';
const SETTINGS_KEY = 'trust.settings';
/** Serialises publications (seq) and key creation of one platform across nodes. */
const LOCK_BASE = 7_040_000;

export interface TrustSettings {
  /** How long a rotated key keeps verifying, per use (seconds). */
  overlapSeconds: Record<KeyUse, number>;
  /** nextUpdate = issuedAt + this. */
  listValiditySeconds: number;
  /** After a partner list's nextUpdate: warn this long, then stop trusting it. */
  graceSeconds: number;
  /** How often each partner's list is fetched again. */
  refreshIntervalSeconds: number;
  fetchTimeoutMs: number;
  maxListBytes: number;
}

const FIVE_YEARS = 5 * 365 * 86400;
export const DEFAULT_TRUST_SETTINGS: TrustSettings = {
  overlapSeconds: { 'city-code': 86400, certificate: FIVE_YEARS, 'status-list': FIVE_YEARS },
  listValiditySeconds: 86400,
  graceSeconds: 86400,
  refreshIntervalSeconds: 3600,
  fetchTimeoutMs: 10_000,
  maxListBytes: 1024 * 1024,
};

type KeyRow = typeof trustKeys.$inferSelect;
type PartnerRow = typeof trustPartners.$inferSelect;
type ListRow = typeof trustLists.$inferSelect;

export interface KeyView {
  id: string;
  orgCode: string;
  orgName: string | null;
  orgNameEn: string | null;
  issuer: string;
  use: KeyUse | typeof LIST_USE;
  kid: string;
  /** current: signing now; retired: verifying until notAfter; expired: past notAfter (no longer listed). */
  state: 'current' | 'retired' | 'expired';
  notBefore: string;
  notAfter: string | null;
  createdAt: string;
  publicJwk: JsonWebKey;
}

export type PartnerState = TrustListState | 'untrusted';

export interface PartnerView {
  id: string;
  name: string;
  url: string | null;
  platformId: string;
  platformName: string;
  pinnedKid: string;
  pinnedJwk: JsonWebKey;
  state: PartnerState;
  /** Why the partner is untrusted (deactivated, pin-mismatch). */
  untrustedReason: string | null;
  active: boolean;
  seq: number;
  listId: string;
  issuedAt: string;
  nextUpdate: string;
  keyCount: number;
  issuers: string[];
  lastFetchedAt: string | null;
  acceptedAt: string;
  lastError: string | null;
  lastErrorAt: string | null;
  createdAt: string;
  deactivatedAt: string | null;
}

export interface PublishedList {
  jws: string;
  list: TrustList;
  listId: string;
  signerKid: string;
}

export interface RegisterPartnerInput {
  name: string;
  url?: string;
  trustListJws?: string;
  pinnedJwk: JsonWebKey;
}

export interface RefreshOutcome {
  partnerId: string;
  outcome: 'updated' | 'unchanged' | 'failed' | 'untrusted';
  seq: number;
  error?: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const publicOnly = (jwk: JsonWebKey): JsonWebKey => ({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
const KEY_CACHE_MS = 10 * 60_000;
const CURRENT_CACHE_MS = 60_000;
const SOURCES_CACHE_MS = 5_000;

export class TrustService implements IssuerKeys {
  readonly platformId: string;
  readonly platformName: string;
  readonly platformNameEn: string;
  private readonly divisionCode: string;
  private readonly privateKeys = new Map<string, { key: KeyObject; until: number }>();
  private readonly currentSigners = new Map<string, { signer: IssuerSigner; until: number }>();
  private readonly pendingSigners = new Map<string, Promise<IssuerSigner>>();
  private sourcesCache: { at: number; sources: (TrustSource & { jws: string })[] } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(readonly deps: ModuleDeps) {
    const city = loadCityFile(deps.config.cityFile);
    this.divisionCode = city.city.divisionCode;
    this.platformId = `CN-${city.city.divisionCode}`;
    this.platformName = city.city.name;
    this.platformNameEn = city.city.nameEn;
  }

  private get db() {
    return this.deps.db;
  }

  issuerId(orgCode: string): string {
    return `${this.platformId}:${orgCode}`;
  }

  /** Where partners fetch this platform's list. */
  get listUrl(): string {
    return `${this.deps.config.publicUrl}/api/trust/list`;
  }

  // ---- settings ------------------------------------------------------------------------------------------

  async settings(db: DbOrTx = this.db): Promise<TrustSettings> {
    const [r] = await db.select().from(appMeta).where(eq(appMeta.key, SETTINGS_KEY));
    const v = (r?.value as Partial<TrustSettings>) ?? {};
    return { ...DEFAULT_TRUST_SETTINGS, ...v, overlapSeconds: { ...DEFAULT_TRUST_SETTINGS.overlapSeconds, ...(v.overlapSeconds ?? {}) } };
  }

  async putSettings(actor: Actor, patch: Partial<TrustSettings>): Promise<TrustSettings> {
    requirePermission(actor, CODE.keysManage);
    return inTransaction(this.db, async (tx) => {
      const before = await this.settings(tx);
      const after: TrustSettings = { ...before, ...patch, overlapSeconds: { ...before.overlapSeconds, ...(patch.overlapSeconds ?? {}) } };
      await tx.insert(appMeta).values({ key: SETTINGS_KEY, value: after }).onConflictDoUpdate({ target: appMeta.key, set: { value: after, updatedAt: new Date() } });
      await recordAudit(tx, actor, { action: 'trust.settings.update', entityType: 'trust_settings', before, after });
      this.sourcesCache = null;
      return after;
    });
  }

  // ---- keys ----------------------------------------------------------------------------------------------

  /** The organisation's current key for `use`; created (and the list republished) on first need. */
  async signer(orgCode: string, use: KeyUse): Promise<IssuerSigner> {
    if (!ISSUING_USES.includes(use)) throw errors.field('/body/use', `unknown key use ${String(use)}`);
    const cacheKey = `${orgCode}\0${use}`;
    const hit = this.currentSigners.get(cacheKey);
    if (hit && hit.until > Date.now()) return hit.signer;
    // Callers in this process share one look-up; other nodes meet at the unique index.
    let pending = this.pendingSigners.get(cacheKey);
    if (!pending) {
      pending = this.loadSigner(orgCode, use).finally(() => this.pendingSigners.delete(cacheKey));
      this.pendingSigners.set(cacheKey, pending);
    }
    const signer = await pending;
    this.currentSigners.set(cacheKey, { signer, until: Date.now() + CURRENT_CACHE_MS });
    return signer;
  }

  private async loadSigner(orgCode: string, use: KeyUse): Promise<IssuerSigner> {
    let row = await this.currentRow(this.db, orgCode, use);
    if (!row) {
      row = await inTransaction(this.db, async (tx) => {
        await this.lock(tx);
        const again = await this.currentRow(tx, orgCode, use);
        if (again) return again;
        const created = await this.createKey(tx, orgCode, use, null);
        await recordAudit(tx, systemActor('trust.signer'), { action: 'trust.key.create', entityType: 'trust_key', entityId: created.id, after: { orgCode, use, kid: created.kid, issuer: this.issuerId(orgCode) } });
        await this.publishIn(tx, 'key-created');
        return created;
      });
      this.changed();
    }
    return this.toSigner(row);
  }

  private toSigner(row: KeyRow): IssuerSigner {
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

  private async currentRow(db: DbOrTx, orgCode: string, use: string): Promise<KeyRow | null> {
    const [r] = await db
      .select()
      .from(trustKeys)
      .where(and(eq(trustKeys.platformId, this.platformId), eq(trustKeys.orgCode, orgCode), eq(trustKeys.use, use), eq(trustKeys.state, 'current')));
    return r ?? null;
  }

  private async lock(tx: Tx) {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_BASE}, hashtext(${this.platformId}))`);
  }

  /** A fresh P-256 key pair; the private half encrypted under the master key, bound to its kid. */
  private async createKey(tx: Tx, orgCode: string, use: string, actor: Actor | null): Promise<KeyRow> {
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

  /** Retire the current key (it verifies until now + overlap) and make a new current one. */
  async rotate(actor: Actor, orgCode: string, use: KeyUse): Promise<{ key: KeyView; retired: KeyView | null }> {
    requirePermission(actor, CODE.keysManage);
    if (!ISSUING_USES.includes(use)) throw errors.field('/body/use', `use must be one of ${ISSUING_USES.join(', ')}`);
    const result = await inTransaction(this.db, async (tx) => {
      await this.lock(tx);
      const settings = await this.settings(tx);
      const old = await this.currentRow(tx, orgCode, use);
      let retired: KeyRow | null = null;
      if (old) {
        const now = new Date();
        [retired] = await tx
          .update(trustKeys)
          .set({ state: 'retired', notAfter: new Date(now.getTime() + settings.overlapSeconds[use] * 1000), retiredAt: now, retiredBy: actor.userId })
          .where(eq(trustKeys.id, old.id))
          .returning();
      }
      const created = await this.createKey(tx, orgCode, use, actor);
      const list = await this.publishIn(tx, 'key-rotated');
      await recordAudit(tx, actor, {
        action: 'trust.key.rotate',
        entityType: 'trust_key',
        entityId: created.id,
        before: retired ? { kid: retired.kid, notAfter: iso(retired.notAfter) } : null,
        after: { orgCode, use, kid: created.kid, listSeq: list.list.seq },
      });
      return { created, retired };
    });
    this.forget();
    this.changed();
    const names = await this.orgNames([orgCode]);
    return { key: this.keyView(result.created, names), retired: result.retired ? this.keyView(result.retired, names) : null };
  }

  async listKeys(actor: Actor, q: { orgCode?: string; use?: string; state?: 'current' | 'retired' | 'expired'; limit: number; offset: number }): Promise<Page<KeyView>> {
    requirePermission(actor, CODE.keysManage);
    const conds: SQL[] = [eq(trustKeys.platformId, this.platformId)];
    if (q.orgCode) conds.push(eq(trustKeys.orgCode, q.orgCode));
    if (q.use) conds.push(eq(trustKeys.use, q.use));
    if (q.state === 'current') conds.push(eq(trustKeys.state, 'current'));
    if (q.state === 'retired') conds.push(and(eq(trustKeys.state, 'retired'), gt(trustKeys.notAfter, sql`now()`))!);
    if (q.state === 'expired') conds.push(and(eq(trustKeys.state, 'retired'), sql`${trustKeys.notAfter} <= now()`)!);
    const where = and(...conds);
    const [items, [{ n }]] = await Promise.all([
      this.db.select().from(trustKeys).where(where).orderBy(asc(trustKeys.orgCode), asc(trustKeys.use), desc(trustKeys.createdAt)).limit(q.limit).offset(q.offset),
      this.db.select({ n: count() }).from(trustKeys).where(where),
    ]);
    const names = await this.orgNames([...new Set(items.map((k) => k.orgCode))]);
    return { items: items.map((k) => this.keyView(k, names)), total: Number(n), limit: q.limit, offset: q.offset };
  }

  /** JWKS of the issuing keys that still verify (current and rotated-but-valid). */
  async jwks(): Promise<{ keys: (JsonWebKey & { kid: string; alg: string; use: string; iss: string; key_ops: string[] })[] }> {
    const { list } = await this.published();
    return { keys: list.keys.map((k) => ({ ...k.jwk, kid: k.kid, alg: 'ES256', use: 'sig', key_ops: ['verify'], iss: k.issuer })) };
  }

  private keyView(k: KeyRow, names: Map<string, { name: string; nameEn: string | null }>): KeyView {
    const expired = k.notAfter !== null && k.notAfter.getTime() <= Date.now();
    return {
      id: k.id,
      orgCode: k.orgCode,
      orgName: k.use === LIST_USE ? this.platformName : (names.get(k.orgCode)?.name ?? null),
      orgNameEn: k.use === LIST_USE ? this.platformNameEn : (names.get(k.orgCode)?.nameEn ?? null),
      issuer: k.use === LIST_USE ? this.platformId : this.issuerId(k.orgCode),
      use: k.use as KeyView['use'],
      kid: k.kid,
      state: k.state === 'current' ? 'current' : expired ? 'expired' : 'retired',
      notBefore: k.notBefore.toISOString(),
      notAfter: iso(k.notAfter),
      createdAt: k.createdAt.toISOString(),
      publicJwk: k.publicJwk as JsonWebKey,
    };
  }

  private async orgNames(codes: string[], db: DbOrTx = this.db): Promise<Map<string, { name: string; nameEn: string | null }>> {
    return new Map([...(await this.deps.orgs.byCodes(codes, db))].map(([code, o]) => [code, { name: o.name, nameEn: o.nameEn }]));
  }

  // ---- this platform's trust list -----------------------------------------------------------------------

  /** The latest published list (published now when there is none yet). Same bytes until the next change. */
  async published(): Promise<PublishedList> {
    const row = await this.latestList(this.db);
    if (row && this.describesUs(row)) return this.toPublished(row);
    return inTransaction(this.db, async (tx) => {
      await this.lock(tx);
      const again = await this.latestList(tx);
      if (again && this.describesUs(again)) return this.toPublished(again);
      // None yet, or the platform's name or public URL changed since the last one (a moved installation).
      const cause = again ? 'platform-changed' : 'first';
      const p = await this.publishIn(tx, cause);
      await recordAudit(tx, systemActor('trust.publish'), { action: 'trust.list.publish', entityType: 'trust_list', entityId: p.listId, after: { seq: p.list.seq, cause, keys: p.list.keys.length } });
      return p;
    }).then((p) => {
      this.changed();
      return p;
    });
  }

  /** The list-signing key as a partner pins it. */
  async listKey(): Promise<JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' }> {
    await this.published();
    const row = await this.currentRow(this.db, this.divisionCode, LIST_USE);
    if (!row) throw new Error('the trust-list key is missing');
    return { ...(row.publicJwk as JsonWebKey), kid: row.kid, alg: 'ES256', use: 'sig' };
  }

  /** Publish a new list now (a key change, the schedule, or an operator). */
  async publish(cause: string, actor: Actor = systemActor('trust.publish')): Promise<PublishedList> {
    const r = await inTransaction(this.db, async (tx) => {
      await this.lock(tx);
      const p = await this.publishIn(tx, cause);
      await recordAudit(tx, actor, { action: 'trust.list.publish', entityType: 'trust_list', entityId: p.listId, after: { seq: p.list.seq, cause, keys: p.list.keys.length } });
      return p;
    });
    this.forget();
    this.changed();
    return r;
  }

  /** Republish when the list is past half its validity or lists a key whose end date has passed. */
  async republishIfDue(now = new Date()): Promise<{ published: boolean; seq: number }> {
    const settings = await this.settings();
    const row = await this.latestList(this.db);
    if (row) {
      const halfLeft = row.nextUpdate.getTime() - now.getTime() > (settings.listValiditySeconds * 1000) / 2;
      // The listed keys must be exactly the keys that still verify (an end date passed, or a change not yet listed).
      const listed = (row.list as TrustList).keys.map((k) => k.kid).sort();
      const valid = (await this.validKeys(this.db, now)).map((k) => k.kid).sort();
      if (halfLeft && listed.join() === valid.join()) return { published: false, seq: row.seq };
    }
    const p = await this.publish(row ? 'scheduled' : 'first');
    return { published: true, seq: p.list.seq };
  }

  /** Issuing keys that still verify at `at` (no end date, or an end date after it). */
  private validKeys(db: DbOrTx, at: Date): Promise<KeyRow[]> {
    return db
      .select()
      .from(trustKeys)
      .where(and(eq(trustKeys.platformId, this.platformId), ne(trustKeys.use, LIST_USE), or(isNull(trustKeys.notAfter), gt(trustKeys.notAfter, at))))
      .orderBy(asc(trustKeys.orgCode), asc(trustKeys.use), asc(trustKeys.notBefore));
  }

  private describesUs(row: ListRow): boolean {
    const p = (row.list as TrustList).platform;
    return p.url === this.deps.config.publicUrl && p.name === this.platformName;
  }

  private async latestList(db: DbOrTx): Promise<ListRow | null> {
    const [r] = await db.select().from(trustLists).where(eq(trustLists.platformId, this.platformId)).orderBy(desc(trustLists.seq)).limit(1);
    return r ?? null;
  }

  private toPublished(r: ListRow): PublishedList {
    return { jws: r.jws, list: r.list as TrustList, listId: `${r.platformId}#${r.seq}`, signerKid: r.signerKid };
  }

  /** Sign and store the next list; the caller holds the platform lock inside `tx`. */
  private async publishIn(tx: Tx, cause: string): Promise<PublishedList> {
    const settings = await this.settings(tx);
    let listKey = await this.currentRow(tx, this.divisionCode, LIST_USE);
    if (!listKey) {
      listKey = await this.createKey(tx, this.divisionCode, LIST_USE, null);
      await recordAudit(tx, systemActor('trust.publish'), { action: 'trust.key.create', entityType: 'trust_key', entityId: listKey.id, after: { use: LIST_USE, kid: listKey.kid } });
    }
    const rows = await this.validKeys(tx, new Date());
    const names = await this.orgNames([...new Set(rows.map((k) => k.orgCode))], tx);
    const keys: TrustListKey[] = rows.map((k) => ({
      kid: k.kid,
      issuer: this.issuerId(k.orgCode),
      issuerName: names.get(k.orgCode)?.name ?? k.orgCode,
      uses: [k.use as KeyUse],
      jwk: publicOnly(k.publicJwk as JsonWebKey),
      notBefore: k.notBefore.toISOString(),
      notAfter: iso(k.notAfter),
    }));
    const [{ max }] = await tx.select({ max: sql<number | null>`max(${trustLists.seq})` }).from(trustLists).where(eq(trustLists.platformId, this.platformId));
    const issuedAt = new Date();
    // Whole seconds: the list says when it was issued, not to the millisecond.
    issuedAt.setMilliseconds(0);
    const list: TrustList = {
      version: 1,
      platform: { id: this.platformId, name: this.platformName, nameEn: this.platformNameEn, url: this.deps.config.publicUrl },
      seq: Number(max ?? 0) + 1,
      issuedAt: issuedAt.toISOString(),
      nextUpdate: new Date(issuedAt.getTime() + settings.listValiditySeconds * 1000).toISOString(),
      keys,
    };
    const signer = this.toSigner(listKey);
    const jws = await signTrustList(list, { kid: signer.kid, sign: signer.sign });
    await tx.insert(trustLists).values({ platformId: this.platformId, seq: list.seq, jws, list, signerKid: listKey.kid, issuedAt, nextUpdate: new Date(list.nextUpdate), cause });
    // Listeners are told by the caller once the transaction has committed.
    this.sourcesCache = null;
    return { jws, list, listId: `${this.platformId}#${list.seq}`, signerKid: listKey.kid };
  }

  // ---- partners -------------------------------------------------------------------------------------------

  async registerPartner(actor: Actor, input: RegisterPartnerInput): Promise<PartnerView> {
    requirePermission(actor, CODE.keysManage);
    if (!input.url && !input.trustListJws) throw errors.validation([{ path: '/body/url', message: 'give the partner\'s trust-list URL or upload its list (trustListJws)' }]);
    if (input.url) checkUrl(input.url);
    const pinnedJwk = publicOnly(input.pinnedJwk);
    const pinnedKid = await kidOrField(pinnedJwk);
    const settings = await this.settings();
    const now = new Date();
    let jws: string;
    if (input.trustListJws) jws = input.trustListJws.trim();
    else {
      try {
        jws = await fetchTrustList(input.url!, settings);
      } catch (e) {
        throw errors.unprocessable(`could not fetch the trust list: ${(e as Error).message}`, [{ path: '/body/url', message: (e as Error).message }]);
      }
    }
    const v = await verifyTrustList(jws, pinnedJwk);
    if (!v.ok) {
      const path = input.trustListJws ? '/body/trustListJws' : '/body/pinnedJwk';
      throw errors.unprocessable(`the trust list does not verify with the pinned key (${v.reason}): ${v.message}`, [{ path, message: v.reason }]);
    }
    if (v.list.platform.id === this.platformId) throw errors.unprocessable('this is our own trust list', [{ path: input.url ? '/body/url' : '/body/trustListJws', message: 'own platform' }]);
    const row = await inTransaction(this.db, async (tx) => {
      const [dup] = await tx.select({ id: trustPartners.id }).from(trustPartners).where(and(eq(trustPartners.platformId, v.list.platform.id), isNull(trustPartners.deactivatedAt)));
      if (dup) throw errors.conflict(`platform ${v.list.platform.id} is already registered`, { partnerId: dup.id });
      const [r] = await tx
        .insert(trustPartners)
        .values({
          name: input.name,
          url: input.url ?? null,
          platformId: v.list.platform.id,
          pinnedJwk,
          pinnedKid,
          jws,
          list: v.list,
          seq: v.list.seq,
          lastFetchedAt: input.url && !input.trustListJws ? now : null,
          acceptedAt: now,
          createdBy: actor.userId,
        })
        .returning();
      await recordAudit(tx, actor, { action: 'trust.partner.register', entityType: 'trust_partner', entityId: r.id, after: { name: r.name, url: r.url, platformId: r.platformId, pinnedKid, seq: r.seq } });
      return r;
    });
    this.changed();
    return this.partnerView(row, settings);
  }

  async listPartners(actor: Actor, q: { active?: boolean; limit: number; offset: number }): Promise<Page<PartnerView>> {
    requirePermission(actor, CODE.keysManage);
    const where = q.active === undefined ? undefined : q.active ? isNull(trustPartners.deactivatedAt) : sql`${trustPartners.deactivatedAt} is not null`;
    const [items, [{ n }], settings] = await Promise.all([
      this.db.select().from(trustPartners).where(where).orderBy(desc(trustPartners.createdAt)).limit(q.limit).offset(q.offset),
      this.db.select({ n: count() }).from(trustPartners).where(where),
      this.settings(),
    ]);
    return { items: items.map((p) => this.partnerView(p, settings)), total: Number(n), limit: q.limit, offset: q.offset };
  }

  async getPartner(actor: Actor, id: string): Promise<PartnerView & { list: TrustList }> {
    requirePermission(actor, CODE.keysManage);
    const p = await this.partnerRow(this.db, id);
    return { ...this.partnerView(p, await this.settings()), list: p.list as TrustList };
  }

  private async partnerRow(db: DbOrTx, id: string): Promise<PartnerRow> {
    const [p] = await db.select().from(trustPartners).where(eq(trustPartners.id, id));
    if (!p) throw errors.notFound('partner');
    return p;
  }

  /** Fetch (or take the uploaded) list again; keep the held list when anything is wrong with the new one. */
  async refreshPartner(actor: Actor, id: string, upload?: string): Promise<PartnerView> {
    requirePermission(actor, CODE.keysManage);
    const p = await this.partnerRow(this.db, id);
    if (p.deactivatedAt) throw errors.conflict('the partner is deactivated');
    if (!p.url && !upload) throw errors.validation([{ path: '/body/trustListJws', message: 'this partner has no URL: upload its new list' }]);
    await this.refresh(p, actor, upload);
    return this.partnerView(await this.partnerRow(this.db, id), await this.settings());
  }

  /** The scheduled refresh: every active partner with a URL whose last fetch is older than the interval. */
  async refreshDue(now = new Date()): Promise<{ checked: number; outcomes: RefreshOutcome[] }> {
    const settings = await this.settings();
    const cutoff = new Date(now.getTime() - settings.refreshIntervalSeconds * 1000 + 30_000);
    const due = await this.db
      .select()
      .from(trustPartners)
      .where(and(isNull(trustPartners.deactivatedAt), isNull(trustPartners.untrustedReason), sql`${trustPartners.url} is not null`, or(isNull(trustPartners.lastFetchedAt), sql`${trustPartners.lastFetchedAt} < ${cutoff.toISOString()}::timestamptz`)))
      .orderBy(asc(trustPartners.lastFetchedAt))
      .limit(500);
    const outcomes: RefreshOutcome[] = [];
    for (const p of due) outcomes.push(await this.refresh(p, systemActor('trust.partners.refresh')));
    return { checked: due.length, outcomes };
  }

  private async refresh(p: PartnerRow, actor: Actor, upload?: string): Promise<RefreshOutcome> {
    const settings = await this.settings();
    const now = new Date();
    const manual = actor.kind !== 'system';
    let jws: string;
    try {
      jws = upload ? upload.trim() : await fetchTrustList(p.url!, settings);
    } catch (e) {
      return this.recordFailure(p, actor, now, `fetch failed: ${(e as Error).message}`, upload === undefined);
    }
    const v = await verifyTrustList(jws, p.pinnedJwk as JsonWebKey);
    if (!v.ok) {
      // A list that fails the pin is not a network hiccup: someone else is speaking for the partner, or it
      // changed its list key without telling us. Stop trusting it until an administrator re-registers it.
      if (v.reason === 'bad-signature' || v.reason === 'untrusted-partner' || v.reason === 'unknown-key') return this.markUntrusted(p, actor, now, `pin-mismatch: ${v.message}`, upload === undefined);
      return this.recordFailure(p, actor, now, `list refused (${v.reason}): ${v.message}`, upload === undefined);
    }
    if (v.list.platform.id !== p.platformId) return this.recordFailure(p, actor, now, `the list is for platform ${v.list.platform.id}, not ${p.platformId}`, upload === undefined);
    if (v.list.seq < p.seq) return this.recordFailure(p, actor, now, `refused a list with seq ${v.list.seq}, lower than the held ${p.seq}`, upload === undefined);
    if (v.list.seq === p.seq) {
      if (jws !== p.jws) return this.recordFailure(p, actor, now, `a different list with the same seq ${p.seq}`, upload === undefined);
      await inTransaction(this.db, async (tx) => {
        await tx.update(trustPartners).set({ lastFetchedAt: upload === undefined ? now : p.lastFetchedAt, lastError: null, lastErrorAt: null }).where(eq(trustPartners.id, p.id));
        if (manual) await recordAudit(tx, actor, { action: 'trust.partner.refresh', entityType: 'trust_partner', entityId: p.id, note: { outcome: 'unchanged', seq: p.seq } });
      });
      return { partnerId: p.id, outcome: 'unchanged', seq: p.seq };
    }
    await inTransaction(this.db, async (tx) => {
      await tx
        .update(trustPartners)
        .set({ jws, list: v.list, seq: v.list.seq, acceptedAt: now, lastFetchedAt: upload === undefined ? now : p.lastFetchedAt, lastError: null, lastErrorAt: null })
        .where(eq(trustPartners.id, p.id));
      await recordAudit(tx, actor, { action: 'trust.partner.refresh', entityType: 'trust_partner', entityId: p.id, before: { seq: p.seq }, after: { seq: v.list.seq, keys: v.list.keys.length } });
    });
    this.changed();
    return { partnerId: p.id, outcome: 'updated', seq: v.list.seq };
  }

  private async recordFailure(p: PartnerRow, actor: Actor, now: Date, error: string, fetched: boolean): Promise<RefreshOutcome> {
    await inTransaction(this.db, async (tx) => {
      await tx.update(trustPartners).set({ lastError: error, lastErrorAt: now, ...(fetched ? { lastFetchedAt: now } : {}) }).where(eq(trustPartners.id, p.id));
      await recordAudit(tx, actor, { action: 'trust.partner.refresh', entityType: 'trust_partner', entityId: p.id, note: { outcome: 'failed', error, heldSeq: p.seq } });
    });
    this.deps.log.warn({ partner: p.platformId, error }, 'partner trust list refresh failed; keeping the last good list');
    return { partnerId: p.id, outcome: 'failed', seq: p.seq, error };
  }

  private async markUntrusted(p: PartnerRow, actor: Actor, now: Date, reason: string, fetched: boolean): Promise<RefreshOutcome> {
    await inTransaction(this.db, async (tx) => {
      await tx
        .update(trustPartners)
        .set({ untrustedReason: reason, lastError: reason, lastErrorAt: now, ...(fetched ? { lastFetchedAt: now } : {}) })
        .where(eq(trustPartners.id, p.id));
      await recordAudit(tx, actor, { action: 'trust.partner.untrusted', entityType: 'trust_partner', entityId: p.id, note: { reason, heldSeq: p.seq } });
    });
    this.changed();
    this.deps.log.error({ partner: p.platformId, reason }, 'partner trust list failed its pinned key; partner no longer trusted');
    return { partnerId: p.id, outcome: 'untrusted', seq: p.seq, error: reason };
  }

  async deactivatePartner(actor: Actor, id: string): Promise<PartnerView> {
    requirePermission(actor, CODE.keysManage);
    const row = await inTransaction(this.db, async (tx) => {
      const p = await this.partnerRow(tx, id);
      if (p.deactivatedAt) return p;
      const [r] = await tx.update(trustPartners).set({ deactivatedAt: new Date(), deactivatedBy: actor.userId }).where(eq(trustPartners.id, id)).returning();
      await recordAudit(tx, actor, { action: 'trust.partner.deactivate', entityType: 'trust_partner', entityId: id, before: { active: true }, after: { active: false, platformId: p.platformId } });
      return r;
    });
    this.changed();
    return this.partnerView(row, await this.settings());
  }

  private partnerView(p: PartnerRow, settings: TrustSettings, now = new Date()): PartnerView {
    const list = p.list as TrustList;
    const untrustedReason = p.deactivatedAt ? 'deactivated' : p.untrustedReason;
    return {
      id: p.id,
      name: p.name,
      url: p.url,
      platformId: p.platformId,
      platformName: list.platform.name,
      pinnedKid: p.pinnedKid,
      pinnedJwk: p.pinnedJwk as JsonWebKey,
      state: untrustedReason ? 'untrusted' : trustListState(list, now, settings.graceSeconds),
      untrustedReason,
      active: !p.deactivatedAt,
      seq: p.seq,
      listId: `${p.platformId}#${p.seq}`,
      issuedAt: list.issuedAt,
      nextUpdate: list.nextUpdate,
      keyCount: list.keys.length,
      issuers: [...new Set(list.keys.map((k) => k.issuer))],
      lastFetchedAt: iso(p.lastFetchedAt),
      acceptedAt: p.acceptedAt.toISOString(),
      lastError: p.lastError,
      lastErrorAt: iso(p.lastErrorAt),
      createdAt: p.createdAt.toISOString(),
      deactivatedAt: iso(p.deactivatedAt),
    };
  }

  // ---- what verifiers use ---------------------------------------------------------------------------------

  /** Every list held now: ours first, then each partner's last verified list (untrusted ones say why). */
  async trustSources(): Promise<TrustSource[]> {
    return (await this.sourcesWithJws()).map(({ jws: _jws, ...s }) => s);
  }

  /** The same, each with the JWS it came in, so an offline verifier can check the signatures itself. */
  async sourcesWithJws(): Promise<(TrustSource & { jws: string })[]> {
    const c = this.sourcesCache;
    if (c && Date.now() - c.at < SOURCES_CACHE_MS) return c.sources;
    const own = await this.published();
    const partners = await this.db.select().from(trustPartners).orderBy(asc(trustPartners.createdAt));
    // Only the latest registration of each platform speaks for it (an older, deactivated one stays for history).
    const latest = new Map<string, PartnerRow>();
    for (const p of partners) {
      const held = latest.get(p.platformId);
      if (!held || (held.deactivatedAt && !p.deactivatedAt) || (!!held.deactivatedAt === !!p.deactivatedAt && p.createdAt > held.createdAt)) latest.set(p.platformId, p);
    }
    const sources: (TrustSource & { jws: string })[] = [{ list: own.list, listId: own.listId, signerKid: own.signerKid, own: true, jws: own.jws }];
    for (const p of latest.values()) {
      const reason = p.deactivatedAt ? 'deactivated' : p.untrustedReason;
      sources.push({
        list: p.list as TrustList,
        listId: `${p.platformId}#${p.seq}`,
        signerKid: p.pinnedKid,
        own: false,
        fetchedAt: p.acceptedAt.toISOString(),
        ...(reason ? { untrusted: { reason } } : {}),
        jws: p.jws,
      });
    }
    this.sourcesCache = { at: Date.now(), sources };
    return sources;
  }

  /** A trust store over every held list, with this platform's grace period. */
  async trustStore(at = new Date()): Promise<TrustStore> {
    const [sources, settings] = await Promise.all([this.trustSources(), this.settings()]);
    return new TrustStore(sources, { at, graceSeconds: settings.graceSeconds });
  }

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

  private changed() {
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

function checkUrl(url: string) {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw errors.field('/body/url', 'not a URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw errors.field('/body/url', 'must be an http(s) URL');
}

async function kidOrField(jwk: JsonWebKey): Promise<string> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw errors.field('/body/pinnedJwk', 'must be an EC P-256 public key (kty, crv, x, y)');
  try {
    return await kidOf(jwk);
  } catch {
    throw errors.field('/body/pinnedJwk', 'not a valid P-256 public key');
  }
}

/** GET a partner's list with a timeout and a size limit; accepts the bare JWS or `{ jws }`. */
export async function fetchTrustList(url: string, settings: Pick<TrustSettings, 'fetchTimeoutMs' | 'maxListBytes'>): Promise<string> {
  const res = await fetch(url, { headers: { accept: 'application/jose, application/json;q=0.5' }, signal: AbortSignal.timeout(settings.fetchTimeoutMs), redirect: 'follow' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > settings.maxListBytes) throw new Error(`list larger than ${settings.maxListBytes} bytes`);
  const reader = res.body?.getReader();
  if (!reader) throw new Error('empty response');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > settings.maxListBytes) {
      await reader.cancel();
      throw new Error(`list larger than ${settings.maxListBytes} bytes`);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text.startsWith('{')) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error('response is neither a JWS nor JSON');
    }
    const jws = (body as { jws?: unknown }).jws;
    if (typeof jws !== 'string') throw new Error('JSON response without a jws member');
    return jws;
  }
  return text;
}

