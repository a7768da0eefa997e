// What the seal rooms share: the dependencies, the platform CA (made on first need, key encrypted at
// rest), who may use a seal, the seals' views and a department's active seal.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { type Actor, canSeeOrgPath, systemActor, visibility } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit.service';
import { encrypt } from '../../platform/crypto/secrets';
import { type DbOrTx, inTransaction } from '../../platform/db/client';
import { certificateDetails, fromPem, makeRootCa } from './pki';
import { type CaRow, keyContext, type SealDeps, type SealRow, type SealState, type SealView } from './seal.model';
import { SEAL } from './seal.permissions';
import { sealCa, sealSeals, sealSignings } from './seal.schema';

export class SealCore {
  constructor(readonly deps: SealDeps) {}

  get db() {
    return this.deps.db;
  }

  get masterKey() {
    return this.deps.config.masterKey;
  }

  async cityName(): Promise<string> {
    return (await this.deps.orgs.publicCity()).city?.name ?? '数字政府';
  }

  // ---- the certificate authority -------------------------------------------------------------------------

  /** The active CA, made on first need (under a lock, so two processes never make two). */
  async ensureCa(): Promise<CaRow> {
    const [found] = await this.db.select().from(sealCa).where(eq(sealCa.state, 'active')).orderBy(desc(sealCa.createdAt)).limit(1);
    if (found) return found;
    const cityName = await this.cityName();
    const issued = await makeRootCa({ cityName });
    return inTransaction(this.db, async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('seal.ca'))`);
      const [again] = await tx.select().from(sealCa).where(eq(sealCa.state, 'active')).limit(1);
      if (again) return again;
      const details = certificateDetails(issued.certDer);
      const [row] = await tx
        .insert(sealCa)
        .values({ subject: details.subject, serial: issued.serial, certPem: issued.certPem, keyEnc: encrypt(this.masterKey, Buffer.from(issued.pkcs8).toString('base64'), keyContext('seal_ca', issued.serial)), notBefore: issued.notBefore, notAfter: issued.notAfter })
        .returning();
      await recordAudit(tx, systemActor('seal.ca'), { action: 'seal.ca.create', entityType: 'seal_ca', entityId: row.id, after: { subject: details.subject, serial: issued.serial, notAfter: issued.notAfter, fingerprint: details.sha256Fingerprint } });
      return row;
    });
  }

  async caPem(): Promise<string> {
    return (await this.ensureCa()).certPem;
  }

  async caInfo() {
    const ca = await this.ensureCa();
    return { pem: ca.certPem, ...certificateDetails(fromPem(ca.certPem)) };
  }

  /** Every CA this platform ever had: what issued seals are checked against. */
  async allCas(): Promise<CaRow[]> {
    return this.db.select().from(sealCa).orderBy(asc(sealCa.createdAt));
  }

  async orgPathOf(orgId: string): Promise<string | null> {
    return (await this.deps.orgs.byId(orgId))?.path ?? null;
  }

  /** Managers see every seal; users see their own organisations' seals (their grant's subtree). */
  async mayUse(actor: Actor, orgId: string): Promise<boolean> {
    return canSeeOrgPath(visibility(actor, SEAL.use), await this.orgPathOf(orgId));
  }

  async views(rows: SealRow[]): Promise<SealView[]> {
    const orgs = await this.deps.orgs.namesOf(rows.map((r) => r.orgId));
    const counts = rows.length
      ? await this.db
          .select({ sealId: sealSignings.sealId, n: sql<number>`count(*)::int` })
          .from(sealSignings)
          .where(inArray(sealSignings.sealId, rows.map((r) => r.id)))
          .groupBy(sealSignings.sealId)
      : [];
    const countOf = new Map(counts.map((c) => [c.sealId, c.n]));
    return rows.map((r) => ({
      id: r.id,
      orgId: r.orgId,
      orgCode: orgs.get(r.orgId)?.code ?? null,
      orgName: orgs.get(r.orgId)?.name ?? r.name,
      name: r.name,
      state: r.state as SealState,
      serial: r.serial,
      notBefore: r.notBefore.toISOString(),
      notAfter: r.notAfter.toISOString(),
      revokedAt: r.revokedAt?.toISOString() ?? null,
      revokedReason: r.revokedReason,
      replacesId: r.replacesId,
      createdAt: r.createdAt.toISOString(),
      certificate: certificateDetails(fromPem(r.certPem)),
      certificatePem: r.certPem,
      signings: countOf.get(r.id) ?? 0,
    }));
  }

  async activeSealOf(orgId: string, db: DbOrTx = this.db): Promise<SealRow | null> {
    const [r] = await db.select().from(sealSeals).where(and(eq(sealSeals.orgId, orgId), eq(sealSeals.state, 'active'))).orderBy(desc(sealSeals.createdAt)).limit(1);
    return r ?? null;
  }
}
