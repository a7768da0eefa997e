// Electronic seals: the platform CA (made on first need, key encrypted at rest), a seal per department
// (make, renew, revoke), sealing PDFs with a visible seal and a PDF signature, verification of any PDF,
// and the sealed decision documents of approved service-hall applications.
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor';
import { can, canSeeOrgPath, requirePermission, systemActor, visibility } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit.service';
import { shanghaiDate } from '../../platform/calendar';
import { decrypt, encrypt } from '../../platform/crypto/secrets';
import { inTransaction, type DbOrTx } from '../../platform/db/client';
import { getBlob, putBlob, sha256Of } from '../../platform/files/blobs';
import { AppError, errors } from '../../platform/http/problem';
import type { Page } from '../../platform/http/paging';
import type { ModuleDeps } from '../deps';
import type { ApplicationService } from '../svc';
import { checkDetached, signDetached } from './cms';
import { layoutDecision } from './decision-document';
import { fillSignature, findSignatures, loadPdf, PdfInputError, prepareSealedPdf, type PlaceOptions } from './pdf-sign';
import { certificateDetails, fromPem, importSigningKey, issueSealCertificate, makeRootCa, nameAttribute, parseCertificate, signedByCa, type CertificateDetails } from './pki';
import { SEAL } from './seal.permissions';
import { sealCa, sealDecisionDocuments, sealSeals, sealSignings } from './seal.schema';
import { sealSvg } from './seal-image';

export type SealDeps = ModuleDeps & { applications: ApplicationService };

type SealRow = typeof sealSeals.$inferSelect;
type CaRow = typeof sealCa.$inferSelect;

export type SealState = 'active' | 'superseded' | 'revoked';

export interface SealView {
  id: string;
  orgId: string;
  orgCode: string | null;
  orgName: string;
  name: string;
  state: SealState;
  serial: string;
  notBefore: string;
  notAfter: string;
  revokedAt: string | null;
  revokedReason: string | null;
  replacesId: string | null;
  createdAt: string;
  certificate: CertificateDetails;
  certificatePem: string;
  signings: number;
}

export interface VerifiedSignature {
  /** The seal holder: the certificate's common name (the department). */
  signer: string | null;
  /** The certificate's organisation (the city). */
  org: string | null;
  signedAt: string | null;
  /** The signed bytes are unchanged and the CMS signature verifies. */
  intact: boolean;
  /** The signature covers the whole file (nothing was appended after sealing). */
  coversWholeDocument: boolean;
  /** The signer's certificate chains to this platform's CA, was valid when signed, and its seal is not revoked. */
  chainTrusted: boolean;
  revoked: boolean;
  serial: string | null;
  sealId: string | null;
  byteRange: number[];
  /** Why the signature is not fully valid (the first problem found). */
  reason?: 'unreadable' | 'modified' | 'bad-signature' | 'not-whole-document' | 'unknown-issuer' | 'certificate-not-valid-then' | 'seal-revoked';
  detail?: string;
}

export interface VerifyReport {
  documentSha256: string;
  size: number;
  signatures: VerifiedSignature[];
}

const MAX_PDF = 20 * 1024 * 1024;
const keyContext = (table: string, serial: string) => `${table}.key:${serial}`;

/**
 * The name a seal carries: the department's full name. City departments are listed as "市公安局" inside
 * the city's tree; on a seal (and its certificate) they are "青岛市公安局".
 */
export function formalName(orgName: string, cityName: string): string {
  return orgName.startsWith('市') && cityName.endsWith('市') && !orgName.startsWith(cityName) ? cityName + orgName.slice(1) : orgName;
}

function toInput(e: unknown): never {
  if (e instanceof PdfInputError) throw errors.field(`/body/${e.field}`, e.message);
  throw e;
}

export class SealService {
  constructor(readonly deps: SealDeps) {}

  private get db() {
    return this.deps.db;
  }

  private get masterKey() {
    return this.deps.config.masterKey;
  }

  private async cityName(): Promise<string> {
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
  private async allCas(): Promise<CaRow[]> {
    return this.db.select().from(sealCa).orderBy(asc(sealCa.createdAt));
  }

  // ---- seals -----------------------------------------------------------------------------------------------

  private async orgPathOf(orgId: string): Promise<string | null> {
    return (await this.deps.orgs.byId(orgId))?.path ?? null;
  }

  /** Managers see every seal; users see their own organisations' seals (their grant's subtree). */
  private async mayUse(actor: Actor, orgId: string): Promise<boolean> {
    return canSeeOrgPath(visibility(actor, SEAL.use), await this.orgPathOf(orgId));
  }

  private async views(rows: SealRow[]): Promise<SealView[]> {
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

  async list(actor: Actor, f: { orgId?: string; state?: SealState; limit: number; offset: number }): Promise<Page<SealView>> {
    requirePermission(actor, SEAL.use);
    const conds: (SQL | undefined)[] = [];
    if (!can(actor, SEAL.manage)) {
      const ids = await this.deps.orgs.visibleIds(actor, SEAL.use);
      if (ids) conds.push(ids.length ? inArray(sealSeals.orgId, ids) : sql`false`);
    }
    if (f.orgId) conds.push(eq(sealSeals.orgId, f.orgId));
    if (f.state) conds.push(eq(sealSeals.state, f.state));
    const where = and(...conds);
    const rows = await this.db
      .select()
      .from(sealSeals)
      .where(where)
      .orderBy(sql`case ${sealSeals.state} when 'active' then 0 when 'superseded' then 1 else 2 end`, asc(sealSeals.name), desc(sealSeals.createdAt))
      .limit(f.limit)
      .offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(sealSeals).where(where);
    return { items: await this.views(rows), total: n, limit: f.limit, offset: f.offset };
  }

  private async visibleRow(actor: Actor, id: string): Promise<SealRow> {
    requirePermission(actor, SEAL.use);
    const [r] = await this.db.select().from(sealSeals).where(eq(sealSeals.id, id));
    if (!r || !(can(actor, SEAL.manage) || (await this.mayUse(actor, r.orgId)))) throw errors.notFound('seal');
    return r;
  }

  async get(actor: Actor, id: string): Promise<SealView> {
    return (await this.views([await this.visibleRow(actor, id)]))[0];
  }

  async image(actor: Actor, id: string): Promise<string> {
    return sealSvg((await this.visibleRow(actor, id)).name);
  }

  async activeSealOf(orgId: string, db: DbOrTx = this.db): Promise<SealRow | null> {
    const [r] = await db.select().from(sealSeals).where(and(eq(sealSeals.orgId, orgId), eq(sealSeals.state, 'active'))).orderBy(desc(sealSeals.createdAt)).limit(1);
    return r ?? null;
  }

  /**
   * Make the department's seal, or renew it: a new key and certificate; the previous active seal becomes
   * superseded and keeps verifying what it sealed. `onlyIfMissing` (seeding, decision documents) makes one
   * only when the department has no active seal.
   */
  async make(actor: Actor, orgId: string, opts: { onlyIfMissing?: boolean } = {}): Promise<SealView> {
    requirePermission(actor, SEAL.manage);
    const org = await this.deps.orgs.byId(orgId);
    if (!org) throw errors.field('/body/orgId', 'no such organisation');
    if (org.kind === 'enterprise') throw errors.field('/body/orgId', 'seals are made for government departments, not enterprises');
    if (opts.onlyIfMissing) {
      const current = await this.activeSealOf(orgId);
      if (current) return (await this.views([current]))[0];
    }
    const ca = await this.ensureCa();
    const caPkcs8 = new Uint8Array(Buffer.from(decrypt(this.masterKey, ca.keyEnc, keyContext('seal_ca', ca.serial)), 'base64'));
    const cityName = await this.cityName();
    const sealName = formalName(org.name, cityName);
    const issued = await issueSealCertificate({ caCertDer: fromPem(ca.certPem), caPkcs8, departmentName: sealName, cityName });
    const row = await inTransaction(this.db, async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'seal.org:' + orgId}))`);
      const current = await this.activeSealOf(orgId, tx);
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
          keyEnc: encrypt(this.masterKey, Buffer.from(issued.pkcs8).toString('base64'), keyContext('seal_seals', issued.serial)),
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
    return (await this.views([row]))[0];
  }

  async revoke(actor: Actor, id: string, reason: string): Promise<SealView> {
    requirePermission(actor, SEAL.manage);
    const row = await inTransaction(this.db, async (tx) => {
      const [r] = await tx.select().from(sealSeals).where(eq(sealSeals.id, id)).for('update');
      if (!r) throw errors.notFound('seal');
      if (r.state === 'revoked') throw errors.conflict('the seal is already revoked', { currentState: r.state });
      const [u] = await tx.update(sealSeals).set({ state: 'revoked', revokedAt: new Date(), revokedReason: reason }).where(eq(sealSeals.id, id)).returning();
      await recordAudit(tx, actor, { action: 'seal.seal.revoke', entityType: 'seal_seal', entityId: id, orgId: r.orgId, before: { state: r.state }, after: { state: 'revoked' }, note: { reason, serial: r.serial } });
      return u;
    });
    return (await this.views([row]))[0];
  }

  async signings(actor: Actor, f: { sealId?: string; limit: number; offset: number }) {
    requirePermission(actor, SEAL.use);
    const conds: (SQL | undefined)[] = [];
    if (!can(actor, SEAL.manage)) {
      const ids = await this.deps.orgs.visibleIds(actor, SEAL.use);
      if (ids) conds.push(ids.length ? inArray(sealSignings.orgId, ids) : sql`false`);
    }
    if (f.sealId) conds.push(eq(sealSignings.sealId, f.sealId));
    const where = and(...conds);
    const rows = await this.db.select().from(sealSignings).where(where).orderBy(desc(sealSignings.signedAt), asc(sealSignings.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(sealSignings).where(where);
    return {
      items: rows.map((r) => ({ id: r.id, sealId: r.sealId, orgId: r.orgId, fileName: r.fileName, size: r.size, page: r.page, purpose: r.purpose, applicationId: r.applicationId, documentSha256: r.documentSha256, inputSha256: r.inputSha256, signerName: r.signerName, signedAt: r.signedAt.toISOString() })),
      total: n,
      limit: f.limit,
      offset: f.offset,
    };
  }

  // ---- sealing ---------------------------------------------------------------------------------------------

  /** Seal a PDF already loaded: visible seal, signature, and the record of it (in the caller's transaction). */
  private async sealLoaded(tx: DbOrTx, actor: Actor, seal: SealRow, doc: Awaited<ReturnType<typeof loadPdf>>, place: PlaceOptions, meta: { inputSha256: string; fileName: string; purpose: 'upload' | 'decision'; applicationId?: string; reason: string }, ctx: { ca: CaRow; cityName: string }) {
    const now = new Date();
    if (now < seal.notBefore || now > seal.notAfter) throw errors.conflict('the seal certificate is not valid now; renew the seal');
    const { ca, cityName } = ctx;
    const prepared = await prepareSealedPdf(doc, seal.name, place, { name: seal.name, reason: meta.reason, location: cityName, signingTime: now }).catch(toInput);
    const key = await importSigningKey(new Uint8Array(Buffer.from(decrypt(this.masterKey, seal.keyEnc, keyContext('seal_seals', seal.serial)), 'base64')));
    const signed = await fillSignature(prepared, (digest) => signDetached({ digest, certDer: fromPem(seal.certPem), chainDer: [fromPem(ca.certPem)], key, signingTime: now }));
    const documentSha256 = sha256Of(signed);
    const pageNo = place.page ?? doc.getPageCount();
    const [rec] = await tx
      .insert(sealSignings)
      .values({ sealId: seal.id, orgId: seal.orgId, inputSha256: meta.inputSha256, documentSha256, fileName: meta.fileName, size: signed.length, page: pageNo, purpose: meta.purpose, applicationId: meta.applicationId ?? null, signerId: actor.userId, signerName: actor.displayName, signedAt: now })
      .returning();
    await recordAudit(tx, actor, {
      action: meta.purpose === 'decision' ? 'seal.decision.sign' : 'seal.document.sign',
      entityType: 'seal_signing',
      entityId: rec.id,
      orgId: seal.orgId,
      after: { sealId: seal.id, serial: seal.serial, fileName: meta.fileName, inputSha256: meta.inputSha256, documentSha256, page: pageNo },
    });
    return { bytes: signed, signing: rec };
  }

  /** Which seal the actor seals with: the one asked for, else their organisation's active seal. */
  private async sealFor(actor: Actor, sealId?: string): Promise<SealRow> {
    requirePermission(actor, SEAL.use);
    let seal: SealRow | null;
    if (sealId) {
      [seal] = await this.db.select().from(sealSeals).where(eq(sealSeals.id, sealId));
      if (!seal) throw errors.field('/body/sealId', 'no such seal');
    } else {
      if (!actor.orgId) throw errors.field('/body/sealId', 'you belong to no organisation; name the seal');
      seal = await this.activeSealOf(actor.orgId);
      if (!seal) throw errors.unprocessable('your organisation has no active seal; ask the seal administrator to make one', [{ path: '/body/sealId', message: 'no active seal for your organisation' }]);
    }
    // Each department seals with its own seal only (a city-wide grant may use any).
    if (!(await this.mayUse(actor, seal.orgId))) throw errors.forbidden("you may only seal with your own organisation's seal");
    if (seal.state !== 'active') throw errors.conflict(`the seal is ${seal.state}; only an active seal can be used`, { currentState: seal.state });
    return seal;
  }

  /** What sealing needs from outside the writing transaction (PGlite has one connection: no reads beside it). */
  private async sealingContext(seal: SealRow): Promise<{ ca: CaRow; cityName: string }> {
    const ca = (await this.allCas()).find((c) => c.id === seal.caId);
    if (!ca) throw new Error(`seal ${seal.id} names an unknown CA`);
    return { ca, cityName: await this.cityName() };
  }

  async sign(actor: Actor, input: { bytes: Buffer; fileName: string; sealId?: string; place: PlaceOptions }): Promise<{ bytes: Buffer; signingId: string; sealId: string }> {
    const seal = await this.sealFor(actor, input.sealId);
    const ctx = await this.sealingContext(seal);
    const doc = await loadPdf(input.bytes).catch(toInput);
    if (findSignatures(input.bytes).length) {
      // A full rewrite would break the signatures already there; refuse rather than silently invalidate them.
      throw errors.unprocessable('the PDF is already signed; sealing it again would invalidate its signatures', [{ path: '/body/file', message: 'already contains a signature' }]);
    }
    const r = await inTransaction(this.db, (tx) => this.sealLoaded(tx, actor, seal, doc, input.place, { inputSha256: sha256Of(input.bytes), fileName: input.fileName, purpose: 'upload', reason: '电子印章' }, ctx));
    return { bytes: r.bytes, signingId: r.signing.id, sealId: seal.id };
  }

  // ---- verification ----------------------------------------------------------------------------------------

  async verify(bytes: Buffer): Promise<VerifyReport> {
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw errors.field('/body/file', 'the file is not a PDF');
    const cas = await this.allCas();
    const out: VerifiedSignature[] = [];
    for (const found of findSignatures(bytes)) {
      const base: VerifiedSignature = { signer: null, org: null, signedAt: null, intact: false, coversWholeDocument: found.coversWholeDocument, chainTrusted: false, revoked: false, serial: null, sealId: null, byteRange: found.byteRange };
      if (!found.contents) {
        out.push({ ...base, reason: 'unreadable', detail: found.problem });
        continue;
      }
      const c = checkDetached(found.contents, found.signedBytes);
      const v: VerifiedSignature = { ...base, signedAt: c.signingTime?.toISOString() ?? null, intact: c.digestMatches && c.signatureValid };
      let cert: ReturnType<typeof parseCertificate> | null = null;
      if (c.signerCertDer) {
        cert = parseCertificate(c.signerCertDer);
        v.signer = nameAttribute(cert.subject, 'CN');
        v.org = nameAttribute(cert.subject, 'O');
        v.serial = Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex');
      }
      const reasons: [NonNullable<VerifiedSignature['reason']>, string][] = [];
      if (c.problem) reasons.push(['unreadable', c.problem]);
      else if (!c.digestMatches) reasons.push(['modified', 'the signed bytes changed after sealing']);
      else if (!c.signatureValid) reasons.push(['bad-signature', 'the signature does not verify with the signer certificate']);
      if (!found.coversWholeDocument) reasons.push(['not-whole-document', 'bytes were added or removed outside the signed range']);
      if (cert && c.signerCertDer) {
        let chained = false;
        for (const ca of cas) if (await signedByCa(c.signerCertDer, fromPem(ca.certPem))) chained = true;
        const at = c.signingTime ?? new Date();
        const validThen = at >= cert.notBefore.value && at <= cert.notAfter.value;
        const [seal] = v.serial ? await this.db.select().from(sealSeals).where(eq(sealSeals.serial, v.serial)) : [];
        v.sealId = seal?.id ?? null;
        v.revoked = seal?.state === 'revoked';
        if (!chained) reasons.push(['unknown-issuer', "the signer's certificate was not issued by this platform's CA"]);
        else if (!validThen) reasons.push(['certificate-not-valid-then', 'the seal certificate was not valid at the signing time']);
        else if (v.revoked) reasons.push(['seal-revoked', `the seal was revoked${seal?.revokedAt ? ` on ${seal.revokedAt.toISOString()}` : ''}`]);
        v.chainTrusted = chained && validThen && !v.revoked;
      } else if (!c.problem) reasons.push(['unknown-issuer', 'the signature carries no signer certificate']);
      if (reasons.length) [v.reason, v.detail] = reasons[0];
      out.push(v);
    }
    return { documentSha256: sha256Of(bytes), size: bytes.length, signatures: out };
  }

  // ---- decision documents ------------------------------------------------------------------------------------

  /**
   * The sealed decision document of an approved application: made once (under a per-application lock),
   * stored as a blob, and the same bytes returned on every later download.
   */
  async decisionDocument(actor: Actor, applicationId: string): Promise<{ bytes: Buffer; fileName: string }> {
    // Loading through the service hall applies its rules: the applicant (or an authorised agent) and staff
    // who handle the owning department see it; anyone else gets 404.
    const app = await this.deps.applications.get(actor, applicationId);
    const decided = app.decision as { decision?: string } | null;
    if (!(['approved', 'completed'].includes(app.state) && decided?.decision === 'approved')) {
      throw errors.conflict('a decision document exists only for an approved application', { currentState: app.state });
    }
    const fileName = `decision-${applicationId}.pdf`;
    const [existing] = await this.db.select().from(sealDecisionDocuments).where(eq(sealDecisionDocuments.applicationId, applicationId));
    if (existing) return { bytes: (await getBlob(this.db, existing.blobId))!.bytes, fileName };

    const system = systemActor('seal.decision');
    const seal = (await this.activeSealOf(app.ownerOrgId)) ?? (await this.findOrMakeSeal(app.ownerOrgId));
    const decisionDate = shanghaiDate(app.decidedAt ? new Date(app.decidedAt) : new Date());
    const facts = {
      applicationId,
      applicantName: app.applicant.name,
      itemName: app.item.name,
      itemCode: app.item.code,
      departmentName: seal.name,
      cityName: await this.cityName(),
      decisionDate,
      submittedDate: app.submittedAt ? shanghaiDate(new Date(app.submittedAt)) : null,
      automatic: (app.decision as { kind?: string } | null)?.kind === 'auto_approval',
    };
    const { doc, sealAt } = await layoutDecision(facts);
    const ctx = await this.sealingContext(seal);
    return inTransaction(this.db, async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'seal.decision:' + applicationId}))`);
      const [again] = await tx.select().from(sealDecisionDocuments).where(eq(sealDecisionDocuments.applicationId, applicationId));
      if (again) return { bytes: (await getBlob(tx, again.blobId))!.bytes, fileName };
      const unsigned = Buffer.from(await doc.save({ useObjectStreams: false }));
      const fresh = await loadPdf(unsigned);
      const { bytes, signing } = await this.sealLoaded(tx, system, seal, fresh, { page: 1, x: sealAt.x, y: sealAt.y }, { inputSha256: sha256Of(unsigned), fileName, purpose: 'decision', applicationId, reason: '准予许可决定' }, ctx);
      const blob = await putBlob(tx, { bytes, contentType: 'application/pdf', fileName, createdBy: actor.userId });
      await tx.insert(sealDecisionDocuments).values({ applicationId, blobId: blob.id, signingId: signing.id });
      await recordAudit(tx, actor, { action: 'seal.decision.create', entityType: 'svc_application', entityId: applicationId, orgId: app.ownerOrgId, after: { blobId: blob.id, sha256: blob.sha256, sealId: seal.id } });
      return { bytes, fileName };
    });
  }

  private async findOrMakeSeal(orgId: string): Promise<SealRow> {
    // A department that decides applications needs a seal for its decisions; make its first one (audited).
    // One whose seal was revoked waits for the administrator instead.
    const [any] = await this.db.select({ id: sealSeals.id }).from(sealSeals).where(eq(sealSeals.orgId, orgId)).limit(1);
    if (any) throw errors.conflict("the department's seal was revoked and no new one has been made yet");
    await this.make(systemActor('seal.decision'), orgId, { onlyIfMissing: true });
    const seal = await this.activeSealOf(orgId);
    if (!seal) throw new AppError(409, 'conflict', 'Conflict', 'the department has no active seal');
    return seal;
  }
}

export const SEAL_MAX_PDF = MAX_PDF;
