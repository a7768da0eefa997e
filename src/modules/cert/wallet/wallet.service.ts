// The holder's wallet and the verifier: claiming certificates by verified holder code, issuing SD-JWT VC
// credentials bound to the holder's browser key, one-time presentation handles, verifier requests and
// verification (trust, status, holder binding, nonce), and certificates used in service-hall applications.
//
// This file is the façade the rest of the platform uses; the work is done in its rooms:
// wallet.core.ts (dependencies, the holder's view, look-ups), wallet.holdings.ts (claiming and the wallet),
// wallet.credentials.ts (credentials and presentation handles), wallet.verifier.ts (requests and
// verification), wallet.consents.ts (certificates used with the holder's consent).
import type { Actor } from '../../../platform/auth/actor';
import type { Page } from '../../../platform/http/paging';
import type { StatusListCache } from './status';
import { type WalletCertificateView, WalletCore } from './wallet.core';
import { WalletCredentials } from './wallet.credentials';
import { type CertificateConsent, type ConsentAnswer, type ConsentRequest, WalletConsents } from './wallet.consents';
import { WalletHoldings } from './wallet.holdings';
import type { VerificationAnswer, WalletDeps } from './wallet.model';
import { WalletVerifier } from './wallet.verifier';

export { effectiveStatus, HANDLE_PREFIX, REQUEST_PREFIX } from './wallet.model';
export type { EffectiveStatus, VerificationAnswer, WalletDeps } from './wallet.model';
export type { WalletCertificateView } from './wallet.core';
export type { CertificateConsent, ConsentAnswer, ConsentRefusal, ConsentRequest } from './wallet.consents';

export class WalletService {
  private readonly core: WalletCore;
  private readonly holdings: WalletHoldings;
  private readonly credentials: WalletCredentials;
  private readonly verifier: WalletVerifier;
  private readonly consents: WalletConsents;

  constructor(readonly deps: WalletDeps) {
    this.core = new WalletCore(deps);
    this.holdings = new WalletHoldings(this.core);
    this.credentials = new WalletCredentials(this.core);
    this.verifier = new WalletVerifier(this.core);
    this.consents = new WalletConsents(this.core);
  }

  get statusLists(): StatusListCache {
    return this.core.statusLists;
  }

  // ---- claim (wallet.holdings.ts) -------------------------------------------------------------------------

  claimable(actor: Actor) {
    return this.holdings.claimable(actor);
  }

  claim(actor: Actor, certificateId: string) {
    return this.holdings.claim(actor, certificateId);
  }

  mine(actor: Actor, f: { limit: number; offset: number }): Promise<Page<WalletCertificateView & { id: string; claimedAt: string }>> {
    return this.holdings.mine(actor, f);
  }

  /** One wallet certificate with its disclosable fields and their values (the holder's own view). */
  one(actor: Actor, id: string) {
    return this.holdings.one(actor, id);
  }

  /** Demo seed: puts a demo user's certificate of a type into their wallet (idempotent). */
  seedDemoHolding(username: string, typeName: string): Promise<void> {
    return this.holdings.seedDemoHolding(username, typeName);
  }

  // ---- credential and presentations (wallet.credentials.ts) -------------------------------------------------

  /** Issues (or gives back) the SD-JWT VC of a wallet certificate bound to the holder's browser key. */
  credential(actor: Actor, id: string, holderJwk: unknown): Promise<{ credential: string; kid: string; issuedAt: string; reused: boolean }> {
    return this.credentials.credential(actor, id, holderJwk);
  }

  uploadPresentation(actor: Actor, presentation: string): Promise<{ handle: string; qr: string; expiresAt: string }> {
    return this.credentials.uploadPresentation(actor, presentation);
  }

  /** Handles past their time are useless; the sweep keeps the table small. */
  purgeExpired(): Promise<number> {
    return this.credentials.purgeExpired();
  }

  // ---- verifier (wallet.verifier.ts) ----------------------------------------------------------------------

  createRequest(actor: Actor, input: { fields: string[]; purpose: string; vct?: string }) {
    return this.verifier.createRequest(actor, input);
  }

  /** What the holder sees after typing or scanning a request code. */
  requestForHolder(actor: Actor, codeText: string) {
    return this.verifier.requestForHolder(actor, codeText);
  }

  verify(actor: Actor, input: { requestId: string; presentation?: string; handle?: string }, at = new Date()): Promise<VerificationAnswer> {
    return this.verifier.verify(actor, input, at);
  }

  /** Who verified what of mine (the holder's view). */
  verificationsOfMine(actor: Actor, f: { limit: number; offset: number }) {
    return this.verifier.verificationsOfMine(actor, f);
  }

  // ---- consented use (wallet.consents.ts) -------------------------------------------------------------------

  /** The holder chooses a claimed certificate for a purpose: checked (holder, status, validity) and recorded. */
  consentToUse(holderUserId: string, ref: ConsentRequest): Promise<ConsentAnswer> {
    return this.consents.consentToUse(holderUserId, ref);
  }

  /** The latest consent recorded for the holder's certificate (what another party may see). */
  latestConsent(holderUserId: string, certificateId: string): Promise<CertificateConsent | null> {
    return this.consents.latestConsent(holderUserId, certificateId);
  }
}
