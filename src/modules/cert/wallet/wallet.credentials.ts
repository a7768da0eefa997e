// Credentials and presentations: the SD-JWT VC of a wallet certificate bound to the holder's browser
// key, and one-time handles for presentations too large for one QR code.
import { and, eq, lt } from 'drizzle-orm';
import { calculateJwkThumbprint } from 'jose';
import { issueSdJwt } from '../../../lib/sd-jwt';
import type { Actor } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { decrypt, encrypt } from '../../../platform/crypto/secrets';
import { inTransaction } from '../../../platform/db/client';
import { AppError, errors } from '../../../platform/http/problem';
import { disclosableClaims, shanghaiDayEndEpoch, shanghaiDayStartEpoch } from './fields';
import type { WalletCore } from './wallet.core';
import { CREDENTIAL_CONTEXT, effectiveStatus, HANDLE_PREFIX, HANDLE_TTL_SECONDS, holderJwkProblem, MAX_PRESENTATION_CHARS, PRESENTATION_CONTEXT, randomCode } from './wallet.model';
import { walletCredentials, walletPresentations, walletRequests } from './wallet.schema';

export class WalletCredentials {
  constructor(private readonly core: WalletCore) {}

  // ---- credential ---------------------------------------------------------------------------------

  /** Issues (or gives back) the SD-JWT VC of a wallet certificate bound to the holder's browser key. */
  async credential(actor: Actor, id: string, holderJwk: unknown): Promise<{ credential: string; kid: string; issuedAt: string; reused: boolean }> {
    const p = holderJwkProblem(holderJwk);
    if (p) throw errors.field('/body/holderJwk', p);
    const jwk = holderJwk as JsonWebKey;
    const pub = { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! };
    const { h, rec } = await this.core.holding(actor, id);
    const st = effectiveStatus(rec);
    if (st === 'revoked') throw new AppError(409, 'revoked', 'Certificate revoked', 'the issuer revoked this certificate; no credential is issued for it');
    const thumbprint = await calculateJwkThumbprint(pub as Parameters<typeof calculateJwkThumbprint>[0]);
    const [existing] = await this.core.db.select().from(walletCredentials).where(and(eq(walletCredentials.holdingId, h.id), eq(walletCredentials.holderThumbprint, thumbprint)));
    // A rotated issuing key stays valid for what it signed, so the stored credential is given back as is;
    // only a re-issued record (new identifier) needs a new one.
    if (existing && existing.identifier === rec.identifier) {
      return { credential: decrypt(this.core.deps.config.masterKey, existing.credentialEnc, CREDENTIAL_CONTEXT), kid: existing.issuerKid, issuedAt: existing.issuedAt.toISOString(), reused: true };
    }
    const signer = await this.core.deps.trust.signer(rec.issuerOrgCode, 'certificate');
    const claims: Record<string, unknown> = {
      iss: signer.issuer,
      iat: Math.floor(Date.now() / 1000),
      nbf: shanghaiDayStartEpoch(rec.validFrom),
      ...(rec.validUntil ? { exp: shanghaiDayEndEpoch(rec.validUntil) } : {}),
      vct: rec.type.vct,
      cnf: { jwk: pub },
      status: { status_list: { idx: rec.statusList.index, uri: rec.statusList.uri } },
      cert_name: rec.type.nameZh,
      cert_name_en: rec.type.nameEn,
      cert_type: rec.type.code,
      identifier: rec.identifier,
      issuer_name: rec.issuerName,
    };
    const credential = await issueSdJwt({ header: { kid: signer.kid }, claims, disclosable: disclosableClaims(rec), sign: (d) => signer.sign(d), decoys: 2 });
    return inTransaction(this.core.db, async (tx) => {
      if (existing) await tx.delete(walletCredentials).where(eq(walletCredentials.id, existing.id));
      const [row] = await tx
        .insert(walletCredentials)
        .values({ holdingId: h.id, userId: h.userId, identifier: rec.identifier, holderThumbprint: thumbprint, holderJwk: pub, credentialEnc: encrypt(this.core.deps.config.masterKey, credential, CREDENTIAL_CONTEXT), issuerKid: signer.kid })
        .onConflictDoNothing()
        .returning();
      if (!row) {
        // A concurrent request from the same browser issued it first: give back that one.
        const [other] = await tx.select().from(walletCredentials).where(and(eq(walletCredentials.holdingId, h.id), eq(walletCredentials.holderThumbprint, thumbprint)));
        return { credential: decrypt(this.core.deps.config.masterKey, other.credentialEnc, CREDENTIAL_CONTEXT), kid: other.issuerKid, issuedAt: other.issuedAt.toISOString(), reused: true };
      }
      await recordAudit(tx, actor, { action: 'wallet.credential', entityType: 'wallet_holding', entityId: h.id, note: { identifier: rec.identifier, kid: signer.kid, holderKey: thumbprint } });
      return { credential, kid: signer.kid, issuedAt: row.issuedAt.toISOString(), reused: false };
    });
  }

  // ---- presentations (one-time handles) -----------------------------------------------------------

  async uploadPresentation(actor: Actor, presentation: string): Promise<{ handle: string; qr: string; expiresAt: string }> {
    const userId = this.core.selfOnly(actor);
    if (presentation.length > MAX_PRESENTATION_CHARS) throw errors.field('/body/presentation', `at most ${MAX_PRESENTATION_CHARS} characters`);
    if (!/^[A-Za-z0-9_.~-]+$/.test(presentation) || presentation.split('~').length < 2) throw errors.field('/body/presentation', 'must be an SD-JWT presentation (`<JWT>~<disclosures>~<KB-JWT>`)');
    const handle = randomCode(12);
    const expiresAt = new Date(Date.now() + HANDLE_TTL_SECONDS * 1000);
    return inTransaction(this.core.db, async (tx) => {
      const [row] = await tx.insert(walletPresentations).values({ handle, userId, presentationEnc: encrypt(this.core.deps.config.masterKey, presentation, PRESENTATION_CONTEXT), expiresAt }).returning();
      await recordAudit(tx, actor, { action: 'wallet.show', entityType: 'wallet_presentation', entityId: row.id, note: { expiresAt: expiresAt.toISOString() } });
      return { handle, qr: HANDLE_PREFIX + handle, expiresAt: expiresAt.toISOString() };
    });
  }

  /** Handles past their time are useless; the sweep keeps the table small. */
  async purgeExpired(): Promise<number> {
    const cutoff = new Date(Date.now() - 24 * 3600 * 1000);
    const gone = await this.core.db.delete(walletPresentations).where(lt(walletPresentations.expiresAt, cutoff)).returning({ id: walletPresentations.id });
    const goneReq = await this.core.db.delete(walletRequests).where(lt(walletRequests.expiresAt, cutoff)).returning({ id: walletRequests.id });
    return gone.length + goneReq.length;
  }
}
