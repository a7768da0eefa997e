// This platform's signed trust list: every issuing key whose end date has not passed, signed by the
// platform's own list key (which partners pin), republished on every key change and on a schedule.
import { and, asc, desc, eq, gt, isNull, ne, or, sql } from 'drizzle-orm';
import { type KeyUse, signTrustList, type TrustList, type TrustListKey } from '../../../lib/verifier';
import { type Actor, systemActor } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type DbOrTx, inTransaction, type Tx } from '../../../platform/db/client';
import type { TrustCore } from './trust.core';
import { iso, type KeyRow, LIST_USE, type ListRow, publicOnly, type PublishedList } from './trust.model';
import { trustKeys, trustLists } from './trust.schema';

export class ListPublisher {
  constructor(private readonly core: TrustCore) {}

  private get db() {
    return this.core.db;
  }

  /** The latest published list (published now when there is none yet). Same bytes until the next change. */
  async published(): Promise<PublishedList> {
    const row = await this.latestList(this.db);
    if (row && this.describesUs(row)) return this.toPublished(row);
    return inTransaction(this.db, async (tx) => {
      await this.core.lock(tx);
      const again = await this.latestList(tx);
      if (again && this.describesUs(again)) return this.toPublished(again);
      // None yet, or the platform's name or public URL changed since the last one (a moved installation).
      const cause = again ? 'platform-changed' : 'first';
      const p = await this.publishIn(tx, cause);
      await recordAudit(tx, systemActor('trust.publish'), { action: 'trust.list.publish', entityType: 'trust_list', entityId: p.listId, after: { seq: p.list.seq, cause, keys: p.list.keys.length } });
      return p;
    }).then((p) => {
      this.core.changed();
      return p;
    });
  }

  /** The list-signing key as a partner pins it. */
  async listKey(): Promise<JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' }> {
    await this.published();
    const row = await this.core.currentRow(this.db, this.core.divisionCode, LIST_USE);
    if (!row) throw new Error('the trust-list key is missing');
    return { ...(row.publicJwk as JsonWebKey), kid: row.kid, alg: 'ES256', use: 'sig' };
  }

  /** Publish a new list now (a key change, the schedule, or an operator). */
  async publish(cause: string, actor: Actor = systemActor('trust.publish')): Promise<PublishedList> {
    const r = await inTransaction(this.db, async (tx) => {
      await this.core.lock(tx);
      const p = await this.publishIn(tx, cause);
      await recordAudit(tx, actor, { action: 'trust.list.publish', entityType: 'trust_list', entityId: p.listId, after: { seq: p.list.seq, cause, keys: p.list.keys.length } });
      return p;
    });
    this.core.forget();
    this.core.changed();
    return r;
  }

  /** Republish when the list is past half its validity or lists a key whose end date has passed. */
  async republishIfDue(now = new Date()): Promise<{ published: boolean; seq: number }> {
    const settings = await this.core.settings();
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
      .where(and(eq(trustKeys.platformId, this.core.platformId), ne(trustKeys.use, LIST_USE), or(isNull(trustKeys.notAfter), gt(trustKeys.notAfter, at))))
      .orderBy(asc(trustKeys.orgCode), asc(trustKeys.use), asc(trustKeys.notBefore));
  }

  private describesUs(row: ListRow): boolean {
    const p = (row.list as TrustList).platform;
    return p.url === this.core.deps.config.publicUrl && p.name === this.core.platformName;
  }

  private async latestList(db: DbOrTx): Promise<ListRow | null> {
    const [r] = await db.select().from(trustLists).where(eq(trustLists.platformId, this.core.platformId)).orderBy(desc(trustLists.seq)).limit(1);
    return r ?? null;
  }

  private toPublished(r: ListRow): PublishedList {
    return { jws: r.jws, list: r.list as TrustList, listId: `${r.platformId}#${r.seq}`, signerKid: r.signerKid };
  }

  /** Sign and store the next list; the caller holds the platform lock inside `tx`. */
  async publishIn(tx: Tx, cause: string): Promise<PublishedList> {
    const { core } = this;
    const settings = await core.settings(tx);
    let listKey = await core.currentRow(tx, core.divisionCode, LIST_USE);
    if (!listKey) {
      listKey = await core.createKey(tx, core.divisionCode, LIST_USE, null);
      await recordAudit(tx, systemActor('trust.publish'), { action: 'trust.key.create', entityType: 'trust_key', entityId: listKey.id, after: { use: LIST_USE, kid: listKey.kid } });
    }
    const rows = await this.validKeys(tx, new Date());
    const names = await core.orgNames([...new Set(rows.map((k) => k.orgCode))], tx);
    const keys: TrustListKey[] = rows.map((k) => ({
      kid: k.kid,
      issuer: core.issuerId(k.orgCode),
      issuerName: names.get(k.orgCode)?.name ?? k.orgCode,
      uses: [k.use as KeyUse],
      jwk: publicOnly(k.publicJwk as JsonWebKey),
      notBefore: k.notBefore.toISOString(),
      notAfter: iso(k.notAfter),
    }));
    const [{ max }] = await tx.select({ max: sql<number | null>`max(${trustLists.seq})` }).from(trustLists).where(eq(trustLists.platformId, core.platformId));
    const issuedAt = new Date();
    // Whole seconds: the list says when it was issued, not to the millisecond.
    issuedAt.setMilliseconds(0);
    const list: TrustList = {
      version: 1,
      platform: { id: core.platformId, name: core.platformName, nameEn: core.platformNameEn, url: core.deps.config.publicUrl },
      seq: Number(max ?? 0) + 1,
      issuedAt: issuedAt.toISOString(),
      nextUpdate: new Date(issuedAt.getTime() + settings.listValiditySeconds * 1000).toISOString(),
      keys,
    };
    const signer = core.toSigner(listKey);
    const jws = await signTrustList(list, { kid: signer.kid, sign: signer.sign });
    await tx.insert(trustLists).values({ platformId: core.platformId, seq: list.seq, jws, list, signerKid: listKey.kid, issuedAt, nextUpdate: new Date(list.nextUpdate), cause });
    // Listeners are told by the caller once the transaction has committed.
    core.sourcesCache = null;
    return { jws, list, listId: `${core.platformId}#${list.seq}`, signerKid: listKey.kid };
  }
}
