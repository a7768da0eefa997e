// Certificates used with the holder's consent: the holder chooses one of their claimed certificates for
// a purpose (today: a material of a service-hall application); the wallet checks holder, status and
// validity, and records that choice as the consent. Another party sees only the recorded consent.
// The service hall's port over this lives in src/flows/application-certificates.ts.
import { and, desc, eq } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { inTransaction } from '../../../platform/db/client';
import type { WalletCore } from './wallet.core';
import { effectiveStatus } from './wallet.model';
import { walletConsents, walletHoldings } from './wallet.schema';

/** Which certificate the holder chose: its type (Chinese name, as catalogue materials name it) and id. */
export interface ConsentRequest {
  certificateTypeName: string;
  certificateId: string;
}

/** The recorded consent: what was checked, and when. */
export interface CertificateConsent {
  certificateTypeName: string;
  certificateId: string;
  holderUserId: string;
  issuer: string;
  /** GB/T 36904 identifier of the certificate. */
  identifier: string;
  validUntil: string | null;
  verifiedAt: string;
}

export type ConsentRefusal = 'not-found' | 'not-holder' | 'expired' | 'revoked' | 'suspended';
export type ConsentAnswer = { ok: true; consent: CertificateConsent } | { ok: false; reason: ConsentRefusal; message: string };

export class WalletConsents {
  constructor(private readonly core: WalletCore) {}

  /** Check the chosen certificate for its holder and record the consent (with an audit entry). */
  async consentToUse(holderUserId: string, ref: ConsentRequest): Promise<ConsentAnswer> {
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
    return { ok: true, consent: consentView(holderUserId, rec.type.nameZh, rec.id, rec.identifier, rec.issuerName, rec.validUntil, verifiedAt) };
  }

  /** The latest consent the holder gave for this certificate, if any. */
  async latestConsent(holderUserId: string, certificateId: string): Promise<CertificateConsent | null> {
    const [c] = await this.core.db.select().from(walletConsents).where(and(eq(walletConsents.userId, holderUserId), eq(walletConsents.certificateId, certificateId))).orderBy(desc(walletConsents.verifiedAt)).limit(1);
    return c ? consentView(holderUserId, c.certificateTypeName, c.certificateId, c.identifier, c.issuerName, c.validUntil, c.verifiedAt) : null;
  }
}

function consentView(holderUserId: string, typeName: string, certificateId: string, identifier: string, issuerName: string, validUntil: string | null, verifiedAt: Date): CertificateConsent {
  return { certificateTypeName: typeName, certificateId, holderUserId, issuer: issuerName, identifier, validUntil, verifiedAt: verifiedAt.toISOString() };
}
