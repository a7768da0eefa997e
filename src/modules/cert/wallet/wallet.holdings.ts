// The holder's certificates: what their verified holder code (a citizen's ID number, an enterprise's
// credit code) makes claimable, claiming into the wallet, the wallet list and one wallet certificate.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../../platform/auth/actor';
import { idNumberSealed } from '../../../platform/auth/accounts';
import { recordAudit } from '../../../platform/audit/audit.service';
import { inTransaction } from '../../../platform/db/client';
import type { Page } from '../../../platform/http/paging';
import { errors } from '../../../platform/http/problem';
import { disclosableClaims, disclosableFields } from './fields';
import type { WalletCertificateView, WalletCore } from './wallet.core';
import { walletHoldings } from './wallet.schema';

export class WalletHoldings {
  constructor(private readonly core: WalletCore) {}

  // ---- claim ------------------------------------------------------------------------------------

  /** The verified holder code of the caller: a citizen's ID number or their enterprise's credit code. */
  async holderCodeOf(actor: Actor): Promise<string | null> {
    if (!actor.userId) return null;
    if (actor.kind === 'citizen') {
      const row = await idNumberSealed(this.core.db, actor.userId);
      return row ? this.core.deps.auth.revealIdNumber(row) : null;
    }
    if (actor.kind === 'enterprise' && actor.orgId) return (await this.core.deps.orgs.byId(actor.orgId))?.creditCode ?? null;
    return null;
  }

  async claimable(actor: Actor) {
    const userId = this.core.selfOnly(actor);
    const code = await this.holderCodeOf(actor);
    if (!code) return { items: [] };
    const recs = await this.core.deps.certificates.byHolderCode(code);
    const held = new Set((await this.core.db.select({ c: walletHoldings.certificateId }).from(walletHoldings).where(eq(walletHoldings.userId, userId))).map((r) => r.c));
    return { items: recs.map((r) => ({ ...this.core.view(r), claimed: held.has(r.id) })) };
  }

  async claim(actor: Actor, certificateId: string) {
    const userId = this.core.selfOnly(actor);
    const code = await this.holderCodeOf(actor);
    const rec = await this.core.deps.certificates.get(certificateId);
    // Same answer for "no such certificate" and "someone else's": nothing to learn by probing ids.
    if (!rec || !code || rec.holderCode !== code) throw errors.notFound('certificate');
    return inTransaction(this.core.db, async (tx) => {
      const [existing] = await tx.select().from(walletHoldings).where(and(eq(walletHoldings.userId, userId), eq(walletHoldings.certificateId, rec.id)));
      if (existing) return { id: existing.id, claimedAt: existing.claimedAt.toISOString(), created: false, ...this.core.view(rec) };
      const [row] = await tx.insert(walletHoldings).values({ userId, certificateId: rec.id, identifier: rec.identifier }).returning();
      await recordAudit(tx, actor, { action: 'wallet.claim', entityType: 'wallet_holding', entityId: row.id, note: { certificateId: rec.id, identifier: rec.identifier, type: rec.type.nameZh } });
      return { id: row.id, claimedAt: row.claimedAt.toISOString(), created: true, ...this.core.view(rec) };
    });
  }

  async mine(actor: Actor, f: { limit: number; offset: number }): Promise<Page<WalletCertificateView & { id: string; claimedAt: string }>> {
    const userId = this.core.selfOnly(actor);
    const rows = await this.core.db.select().from(walletHoldings).where(eq(walletHoldings.userId, userId)).orderBy(desc(walletHoldings.claimedAt), desc(walletHoldings.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.core.db.select({ n: sql<number>`count(*)::int` }).from(walletHoldings).where(eq(walletHoldings.userId, userId));
    const items = [];
    for (const h of rows) {
      const rec = await this.core.deps.certificates.get(h.certificateId);
      if (rec) items.push({ id: h.id, claimedAt: h.claimedAt.toISOString(), ...this.core.view(rec) });
    }
    return { items, total: n, limit: f.limit, offset: f.offset };
  }

  /** One wallet certificate with its disclosable fields and their values (the holder's own view). */
  async one(actor: Actor, id: string) {
    const { h, rec } = await this.core.holding(actor, id);
    const values = disclosableClaims(rec);
    // The holder code is shown masked even to its holder: the page may be seen over a shoulder.
    values.holder_code = this.core.view(rec).holderCodeMasked;
    const fields = disclosableFields(rec.type.fields).map((f) => ({ ...f, value: values[f.key] ?? null }));
    return { id: h.id, claimedAt: h.claimedAt.toISOString(), ...this.core.view(rec), fields };
  }

  /** Demo seed: puts a demo user's certificate of a type into their wallet (idempotent). */
  async seedDemoHolding(username: string, typeName: string): Promise<void> {
    const user = await this.core.deps.auth.findByUsername(username);
    const code = user ? this.core.deps.auth.revealIdNumber(user) : null;
    if (!user || !code) return;
    const rec = (await this.core.deps.certificates.byHolderCode(code)).find((r) => r.type.nameZh === typeName && r.status === 'valid');
    if (!rec) return;
    await this.core.db.insert(walletHoldings).values({ userId: user.id, certificateId: rec.id, identifier: rec.identifier }).onConflictDoNothing();
  }
}
