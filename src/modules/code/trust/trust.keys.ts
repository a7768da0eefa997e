// Issuing keys: ES256 (P-256) per issuing organisation and use, one current key per (organisation, use),
// created on first need. Rotation retires the current key with an end date (now + overlap), so codes and
// certificates signed before keep verifying until then; the list is republished with every change.
import { and, asc, count, desc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { KeyUse } from '../../../lib/verifier';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, requirePermission, systemActor } from '../../../platform/auth/actor';
import { inTransaction } from '../../../platform/db/client';
import type { Page } from '../../../platform/http/paging';
import { errors } from '../../../platform/http/problem';
import { CODE } from '../code.permissions';
import type { IssuerSigner } from '../contracts';
import type { TrustCore } from './trust.core';
import type { ListPublisher } from './trust.list';
import { CURRENT_CACHE_MS, iso, ISSUING_USES, type KeyRow, type KeyView, LIST_USE } from './trust.model';
import { trustKeys } from './trust.schema';

export class IssuingKeys {
  private readonly pendingSigners = new Map<string, Promise<IssuerSigner>>();

  constructor(
    private readonly core: TrustCore,
    private readonly lists: ListPublisher,
  ) {}

  private get db() {
    return this.core.db;
  }

  /** The organisation's current key for `use`; created (and the list republished) on first need. */
  async signer(orgCode: string, use: KeyUse): Promise<IssuerSigner> {
    if (!ISSUING_USES.includes(use)) throw errors.field('/body/use', `unknown key use ${String(use)}`);
    const cacheKey = `${orgCode}\0${use}`;
    const hit = this.core.currentSigners.get(cacheKey);
    if (hit && hit.until > Date.now()) return hit.signer;
    // Callers in this process share one look-up; other nodes meet at the unique index.
    let pending = this.pendingSigners.get(cacheKey);
    if (!pending) {
      pending = this.loadSigner(orgCode, use).finally(() => this.pendingSigners.delete(cacheKey));
      this.pendingSigners.set(cacheKey, pending);
    }
    const signer = await pending;
    this.core.currentSigners.set(cacheKey, { signer, until: Date.now() + CURRENT_CACHE_MS });
    return signer;
  }

  private async loadSigner(orgCode: string, use: KeyUse): Promise<IssuerSigner> {
    const { core } = this;
    let row = await core.currentRow(this.db, orgCode, use);
    if (!row) {
      row = await inTransaction(this.db, async (tx) => {
        await core.lock(tx);
        const again = await core.currentRow(tx, orgCode, use);
        if (again) return again;
        const created = await core.createKey(tx, orgCode, use, null);
        await recordAudit(tx, systemActor('trust.signer'), { action: 'trust.key.create', entityType: 'trust_key', entityId: created.id, after: { orgCode, use, kid: created.kid, issuer: core.issuerId(orgCode) } });
        await this.lists.publishIn(tx, 'key-created');
        return created;
      });
      core.changed();
    }
    return core.toSigner(row);
  }

  /** Retire the current key (it verifies until now + overlap) and make a new current one. */
  async rotate(actor: Actor, orgCode: string, use: KeyUse): Promise<{ key: KeyView; retired: KeyView | null }> {
    requirePermission(actor, CODE.keysManage);
    if (!ISSUING_USES.includes(use)) throw errors.field('/body/use', `use must be one of ${ISSUING_USES.join(', ')}`);
    const { core } = this;
    const result = await inTransaction(this.db, async (tx) => {
      await core.lock(tx);
      const settings = await core.settings(tx);
      const old = await core.currentRow(tx, orgCode, use);
      let retired: KeyRow | null = null;
      if (old) {
        const now = new Date();
        [retired] = await tx
          .update(trustKeys)
          .set({ state: 'retired', notAfter: new Date(now.getTime() + settings.overlapSeconds[use] * 1000), retiredAt: now, retiredBy: actor.userId })
          .where(eq(trustKeys.id, old.id))
          .returning();
      }
      const created = await core.createKey(tx, orgCode, use, actor);
      const list = await this.lists.publishIn(tx, 'key-rotated');
      await recordAudit(tx, actor, {
        action: 'trust.key.rotate',
        entityType: 'trust_key',
        entityId: created.id,
        before: retired ? { kid: retired.kid, notAfter: iso(retired.notAfter) } : null,
        after: { orgCode, use, kid: created.kid, listSeq: list.list.seq },
      });
      return { created, retired };
    });
    core.forget();
    core.changed();
    const names = await core.orgNames([orgCode]);
    return { key: this.keyView(result.created, names), retired: result.retired ? this.keyView(result.retired, names) : null };
  }

  async listKeys(actor: Actor, q: { orgCode?: string; use?: string; state?: 'current' | 'retired' | 'expired'; limit: number; offset: number }): Promise<Page<KeyView>> {
    requirePermission(actor, CODE.keysManage);
    const conds: SQL[] = [eq(trustKeys.platformId, this.core.platformId)];
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
    const names = await this.core.orgNames([...new Set(items.map((k) => k.orgCode))]);
    return { items: items.map((k) => this.keyView(k, names)), total: Number(n), limit: q.limit, offset: q.offset };
  }

  /** JWKS of the issuing keys that still verify (current and rotated-but-valid). */
  async jwks(): Promise<{ keys: (JsonWebKey & { kid: string; alg: string; use: string; iss: string; key_ops: string[] })[] }> {
    const { list } = await this.lists.published();
    return { keys: list.keys.map((k) => ({ ...k.jwk, kid: k.kid, alg: 'ES256', use: 'sig', key_ops: ['verify'], iss: k.issuer })) };
  }

  private keyView(k: KeyRow, names: Map<string, { name: string; nameEn: string | null }>): KeyView {
    const { core } = this;
    const expired = k.notAfter !== null && k.notAfter.getTime() <= Date.now();
    return {
      id: k.id,
      orgCode: k.orgCode,
      orgName: k.use === LIST_USE ? core.platformName : (names.get(k.orgCode)?.name ?? null),
      orgNameEn: k.use === LIST_USE ? core.platformNameEn : (names.get(k.orgCode)?.nameEn ?? null),
      issuer: k.use === LIST_USE ? core.platformId : core.issuerId(k.orgCode),
      use: k.use as KeyView['use'],
      kid: k.kid,
      state: k.state === 'current' ? 'current' : expired ? 'expired' : 'retired',
      notBefore: k.notBefore.toISOString(),
      notAfter: iso(k.notAfter),
      createdAt: k.createdAt.toISOString(),
      publicJwk: k.publicJwk as JsonWebKey,
    };
  }
}
