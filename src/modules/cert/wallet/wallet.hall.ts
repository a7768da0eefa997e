// The service hall's port: a certificate the applicant claimed, chosen by them (that choice is the
// consent), checked and recorded; the officer sees the recorded consent.
import { and, desc, eq } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { inTransaction } from '../../../platform/db/client';
import type { CertificateRef, CertificateWallet, ResolvedCertificate, WalletAnswer } from '../../svc';
import type { WalletCore } from './wallet.core';
import { effectiveStatus } from './wallet.model';
import { walletConsents, walletHoldings } from './wallet.schema';

export class WalletHall {
  constructor(private readonly core: WalletCore) {}

  // ---- service hall -------------------------------------------------------------------------------

  /** The service hall's port: a certificate the applicant claimed, chosen by them (that choice is the consent). */
  applicationWallet(): CertificateWallet {
    return {
      available: true,
      resolve: (holderUserId, ref) => this.resolveForApplication(holderUserId, ref),
      describe: (holderUserId, certificateId) => this.consentOf(holderUserId, certificateId),
    };
  }

  async resolveForApplication(holderUserId: string, ref: CertificateRef): Promise<WalletAnswer> {
    const [h] = await this.core.db.select().from(walletHoldings).where(and(eq(walletHoldings.userId, holderUserId), eq(walletHoldings.certificateId, ref.certificateId)));
    const rec = await this.core.deps.certificates.get(ref.certificateId);
    if (!rec || rec.type.nameZh !== ref.certificateTypeName) return { ok: false, reason: 'not-found', message: `no ${ref.certificateTypeName} with this id` };
    if (!h) return { ok: false, reason: 'not-holder', message: 'claim the certificate into your wallet first' };
    const st = effectiveStatus(rec);
    if (st === 'expired') return { ok: false, reason: 'expired', message: `the certificate expired on ${rec.validUntil}` };
    if (st === 'revoked' || st === 'suspended') return { ok: false, reason: st, message: `the issuer ${st === 'revoked' ? 'revoked' : 'suspended'} this certificate` };
    if (st !== 'valid') return { ok: false, reason: 'not-found', message: 'the certificate is not valid yet' };
    const verifiedAt = new Date();
    const actor = await this.core.deps.auth.loadActor(holderUserId, 'session');
    await inTransaction(this.core.db, async (tx) => {
      const [row] = await tx
        .insert(walletConsents)
        .values({ userId: holderUserId, certificateId: rec.id, certificateTypeName: rec.type.nameZh, identifier: rec.identifier, issuerName: rec.issuerName, validUntil: rec.validUntil, verifiedAt })
        .returning();
      if (actor) await recordAudit(tx, actor, { action: 'wallet.consent', entityType: 'wallet_consent', entityId: row.id, note: { certificateId: rec.id, identifier: rec.identifier, type: rec.type.nameZh } });
    });
    return { ok: true, certificate: this.resolved(holderUserId, rec.type.nameZh, rec.id, rec.identifier, rec.issuerName, rec.validUntil, verifiedAt) };
  }

  private resolved(holderUserId: string, typeName: string, certificateId: string, identifier: string, issuerName: string, validUntil: string | null, verifiedAt: Date): ResolvedCertificate {
    return { certificateTypeName: typeName, certificateId, holderUserId, issuer: issuerName, identifier, validUntil, verifiedAt: verifiedAt.toISOString() };
  }

  /** The latest consent (the verification made when the applicant chose it), for the officer's view. */
  async consentOf(holderUserId: string, certificateId: string): Promise<ResolvedCertificate | null> {
    const [c] = await this.core.db.select().from(walletConsents).where(and(eq(walletConsents.userId, holderUserId), eq(walletConsents.certificateId, certificateId))).orderBy(desc(walletConsents.verifiedAt)).limit(1);
    return c ? this.resolved(holderUserId, c.certificateTypeName, c.certificateId, c.identifier, c.issuerName, c.validUntil, c.verifiedAt) : null;
  }
}
