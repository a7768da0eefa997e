// Seals: a seal per department (make, renew — the old one is kept, superseded, for verifying — and
// revoke), reading them and the record of sealings.
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { type Actor, can, requirePermission } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit.service';
import { decrypt, encrypt } from '../../platform/crypto/secrets';
import { inTransaction } from '../../platform/db/client';
import type { Page } from '../../platform/http/paging';
import { errors } from '../../platform/http/problem';
import { fromPem, issueSealCertificate } from './pki';
import type { SealCore } from './seal.core';
import { formalName, keyContext, type SealRow, type SealState, type SealView } from './seal.model';
import { SEAL } from './seal.permissions';
import { sealSeals, sealSignings } from './seal.schema';
import { sealSvg } from './seal-image';

export class SealRegistry {
  constructor(private readonly core: SealCore) {}

  async list(actor: Actor, f: { orgId?: string; state?: SealState; limit: number; offset: number }): Promise<Page<SealView>> {
    requirePermission(actor, SEAL.use);
    const conds: (SQL | undefined)[] = [];
    if (!can(actor, SEAL.manage)) {
      const ids = await this.core.deps.orgs.visibleIds(actor, SEAL.use);
      if (ids) conds.push(ids.length ? inArray(sealSeals.orgId, ids) : sql`false`);
    }
    if (f.orgId) conds.push(eq(sealSeals.orgId, f.orgId));
    if (f.state) conds.push(eq(sealSeals.state, f.state));
    const where = and(...conds);
    const rows = await this.core.db
      .select()
      .from(sealSeals)
      .where(where)
      .orderBy(sql`case ${sealSeals.state} when 'active' then 0 when 'superseded' then 1 else 2 end`, asc(sealSeals.name), desc(sealSeals.createdAt))
      .limit(f.limit)
      .offset(f.offset);
    const [{ n }] = await this.core.db.select({ n: sql<number>`count(*)::int` }).from(sealSeals).where(where);
    return { items: await this.core.views(rows), total: n, limit: f.limit, offset: f.offset };
  }

  async visibleRow(actor: Actor, id: string): Promise<SealRow> {
    requirePermission(actor, SEAL.use);
    const [r] = await this.core.db.select().from(sealSeals).where(eq(sealSeals.id, id));
    if (!r || !(can(actor, SEAL.manage) || (await this.core.mayUse(actor, r.orgId)))) throw errors.notFound('seal');
    return r;
  }

  async get(actor: Actor, id: string): Promise<SealView> {
    return (await this.core.views([await this.visibleRow(actor, id)]))[0];
  }

  async image(actor: Actor, id: string): Promise<string> {
    return sealSvg((await this.visibleRow(actor, id)).name);
  }

  /**
   * Make the department's seal, or renew it: a new key and certificate; the previous active seal becomes
   * superseded and keeps verifying what it sealed. `onlyIfMissing` (seeding, decision documents) makes one
   * only when the department has no active seal.
   */
  async make(actor: Actor, orgId: string, opts: { onlyIfMissing?: boolean } = {}): Promise<SealView> {
    requirePermission(actor, SEAL.manage);
    const org = await this.core.deps.orgs.byId(orgId);
    if (!org) throw errors.field('/body/orgId', 'no such organisation');
    if (org.kind === 'enterprise') throw errors.field('/body/orgId', 'seals are made for government departments, not enterprises');
    if (opts.onlyIfMissing) {
      const current = await this.core.activeSealOf(orgId);
      if (current) return (await this.core.views([current]))[0];
    }
    const ca = await this.core.ensureCa();
    const caPkcs8 = new Uint8Array(Buffer.from(decrypt(this.core.masterKey, ca.keyEnc, keyContext('seal_ca', ca.serial)), 'base64'));
    const cityName = await this.core.cityName();
    const sealName = formalName(org.name, cityName);
    const issued = await issueSealCertificate({ caCertDer: fromPem(ca.certPem), caPkcs8, departmentName: sealName, cityName });
    const row = await inTransaction(this.core.db, async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'seal.org:' + orgId}))`);
      const current = await this.core.activeSealOf(orgId, tx);
      if (current && opts.onlyIfMissing) return current;
      if (current) await tx.update(sealSeals).set({ state: 'superseded' }).where(eq(sealSeals.id, current.id));
      const [created] = await tx
        .insert(sealSeals)
        .values({
          orgId,
          name: sealName,
          caId: ca.id,
          serial: issued.serial,
          certPem: issued.certPem,
          keyEnc: encrypt(this.core.masterKey, Buffer.from(issued.pkcs8).toString('base64'), keyContext('seal_seals', issued.serial)),
          notBefore: issued.notBefore,
          notAfter: issued.notAfter,
          replacesId: current?.id ?? null,
          createdBy: actor.userId,
        })
        .returning();
      await recordAudit(tx, actor, {
        action: current ? 'seal.seal.renew' : 'seal.seal.create',
        entityType: 'seal_seal',
        entityId: created.id,
        orgId,
        before: current ? { sealId: current.id, serial: current.serial, state: 'active' } : undefined,
        after: { serial: issued.serial, name: sealName, notAfter: issued.notAfter },
      });
      return created;
    });
    return (await this.core.views([row]))[0];
  }

  async revoke(actor: Actor, id: string, reason: string): Promise<SealView> {
    requirePermission(actor, SEAL.manage);
    const row = await inTransaction(this.core.db, async (tx) => {
      const [r] = await tx.select().from(sealSeals).where(eq(sealSeals.id, id)).for('update');
      if (!r) throw errors.notFound('seal');
      if (r.state === 'revoked') throw errors.conflict('the seal is already revoked', { currentState: r.state });
      const [u] = await tx.update(sealSeals).set({ state: 'revoked', revokedAt: new Date(), revokedReason: reason }).where(eq(sealSeals.id, id)).returning();
      await recordAudit(tx, actor, { action: 'seal.seal.revoke', entityType: 'seal_seal', entityId: id, orgId: r.orgId, before: { state: r.state }, after: { state: 'revoked' }, note: { reason, serial: r.serial } });
      return u;
    });
    return (await this.core.views([row]))[0];
  }

  async signings(actor: Actor, f: { sealId?: string; limit: number; offset: number }) {
    requirePermission(actor, SEAL.use);
    const conds: (SQL | undefined)[] = [];
    if (!can(actor, SEAL.manage)) {
      const ids = await this.core.deps.orgs.visibleIds(actor, SEAL.use);
      if (ids) conds.push(ids.length ? inArray(sealSignings.orgId, ids) : sql`false`);
    }
    if (f.sealId) conds.push(eq(sealSignings.sealId, f.sealId));
    const where = and(...conds);
    const rows = await this.core.db.select().from(sealSignings).where(where).orderBy(desc(sealSignings.signedAt), asc(sealSignings.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.core.db.select({ n: sql<number>`count(*)::int` }).from(sealSignings).where(where);
    return {
      items: rows.map((r) => ({ id: r.id, sealId: r.sealId, orgId: r.orgId, fileName: r.fileName, size: r.size, page: r.page, purpose: r.purpose, applicationId: r.applicationId, documentSha256: r.documentSha256, inputSha256: r.inputSha256, signerName: r.signerName, signedAt: r.signedAt.toISOString() })),
      total: n,
      limit: f.limit,
      offset: f.offset,
    };
  }
}
