// Sealing a PDF: the visible seal, the PDF signature (CMS, with the CA in the chain) and the record
// of it; which seal the caller seals with.
import { eq } from 'drizzle-orm';
import { type Actor, requirePermission } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit.service';
import { decrypt } from '../../platform/crypto/secrets';
import { type DbOrTx, inTransaction } from '../../platform/db/client';
import { sha256Of } from '../../platform/files/blobs';
import { errors } from '../../platform/http/problem';
import { signDetached } from './cms';
import { fillSignature, findSignatures, loadPdf, prepareSealedPdf, type PlaceOptions } from './pdf-sign';
import { fromPem, importSigningKey } from './pki';
import type { SealCore } from './seal.core';
import { type CaRow, keyContext, type SealRow, toInput } from './seal.model';
import { SEAL } from './seal.permissions';
import { sealSeals, sealSignings } from './seal.schema';

export class SealSealing {
  constructor(private readonly core: SealCore) {}

  // ---- sealing ---------------------------------------------------------------------------------------------

  /** Seal a PDF already loaded: visible seal, signature, and the record of it (in the caller's transaction). */
  async sealLoaded(tx: DbOrTx, actor: Actor, seal: SealRow, doc: Awaited<ReturnType<typeof loadPdf>>, place: PlaceOptions, meta: { inputSha256: string; fileName: string; purpose: 'upload' | 'decision'; applicationId?: string; reason: string }, ctx: { ca: CaRow; cityName: string }) {
    const now = new Date();
    if (now < seal.notBefore || now > seal.notAfter) throw errors.conflict('the seal certificate is not valid now; renew the seal');
    const { ca, cityName } = ctx;
    const prepared = await prepareSealedPdf(doc, seal.name, place, { name: seal.name, reason: meta.reason, location: cityName, signingTime: now }).catch(toInput);
    const key = await importSigningKey(new Uint8Array(Buffer.from(decrypt(this.core.masterKey, seal.keyEnc, keyContext('seal_seals', seal.serial)), 'base64')));
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
      [seal] = await this.core.db.select().from(sealSeals).where(eq(sealSeals.id, sealId));
      if (!seal) throw errors.field('/body/sealId', 'no such seal');
    } else {
      if (!actor.orgId) throw errors.field('/body/sealId', 'you belong to no organisation; name the seal');
      seal = await this.core.activeSealOf(actor.orgId);
      if (!seal) throw errors.unprocessable('your organisation has no active seal; ask the seal administrator to make one', [{ path: '/body/sealId', message: 'no active seal for your organisation' }]);
    }
    // Each department seals with its own seal only (a city-wide grant may use any).
    if (!(await this.core.mayUse(actor, seal.orgId))) throw errors.forbidden("you may only seal with your own organisation's seal");
    if (seal.state !== 'active') throw errors.conflict(`the seal is ${seal.state}; only an active seal can be used`, { currentState: seal.state });
    return seal;
  }

  /** What sealing needs from outside the writing transaction (PGlite has one connection: no reads beside it). */
  async sealingContext(seal: SealRow): Promise<{ ca: CaRow; cityName: string }> {
    const ca = (await this.core.allCas()).find((c) => c.id === seal.caId);
    if (!ca) throw new Error(`seal ${seal.id} names an unknown CA`);
    return { ca, cityName: await this.core.cityName() };
  }

  async sign(actor: Actor, input: { bytes: Buffer; fileName: string; sealId?: string; place: PlaceOptions }): Promise<{ bytes: Buffer; signingId: string; sealId: string }> {
    const seal = await this.sealFor(actor, input.sealId);
    const ctx = await this.sealingContext(seal);
    const doc = await loadPdf(input.bytes).catch(toInput);
    if (findSignatures(input.bytes).length) {
      // A full rewrite would break the signatures already there; refuse rather than silently invalidate them.
      throw errors.unprocessable('the PDF is already signed; sealing it again would invalidate its signatures', [{ path: '/body/file', message: 'already contains a signature' }]);
    }
    const r = await inTransaction(this.core.db, (tx) => this.sealLoaded(tx, actor, seal, doc, input.place, { inputSha256: sha256Of(input.bytes), fileName: input.fileName, purpose: 'upload', reason: '电子印章' }, ctx));
    return { bytes: r.bytes, signingId: r.signing.id, sealId: seal.id };
  }
}
