// What the wallet's rooms share: the dependencies, the status list cache, who may use the wallet, the
// holder's view of a certificate and the look-up of one of the caller's wallet certificates.
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../../platform/auth/actor';
import { errors } from '../../../platform/http/problem';
import { maskIdNumber } from '../../../platform/ids/masking';
import type { CertificateRecord } from '../contracts';
import { effectiveStatus, type WalletDeps } from './wallet.model';
import { StatusListCache } from './status';
import { walletHoldings } from './wallet.schema';

export type WalletCertificateView = ReturnType<WalletCore['view']>;

export class WalletCore {
  readonly statusLists: StatusListCache;
  constructor(readonly deps: WalletDeps) {
    this.statusLists = new StatusListCache();
  }

  get db() {
    return this.deps.db;
  }

  selfOnly(actor: Actor): string {
    if (!actor.userId || (actor.kind !== 'citizen' && actor.kind !== 'enterprise')) throw errors.forbidden('the wallet is for citizens and enterprise users');
    return actor.userId;
  }

  view(rec: CertificateRecord, at = new Date()) {
    return {
      certificateId: rec.id,
      identifier: rec.identifier,
      number: rec.number,
      typeName: rec.type.nameZh,
      typeNameEn: rec.type.nameEn,
      typeCode: rec.type.code,
      vct: rec.type.vct,
      holderName: rec.holderName,
      holderCodeMasked: rec.holderCodeType === '111' ? maskIdNumber(rec.holderCode) : rec.holderCode,
      issuerName: rec.issuerName,
      issuedOn: rec.issuedOn,
      validFrom: rec.validFrom,
      validUntil: rec.validUntil,
      status: effectiveStatus(rec, at),
    };
  }

  async holding(actor: Actor, id: string) {
    const userId = this.selfOnly(actor);
    const [h] = await this.db.select().from(walletHoldings).where(and(eq(walletHoldings.id, id), eq(walletHoldings.userId, userId)));
    if (!h) throw errors.notFound('wallet certificate');
    const rec = await this.deps.certificates.get(h.certificateId);
    if (!rec) throw errors.notFound('certificate');
    return { h, rec };
  }
}
