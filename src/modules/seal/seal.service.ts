// Electronic seals: the platform CA (made on first need, key encrypted at rest), a seal per department
// (make, renew, revoke), sealing PDFs with a visible seal and a PDF signature, verification of any PDF,
// and the sealed decision documents of approved service-hall applications.
//
// This file is the façade the rest of the platform uses; the work is done in its rooms:
// seal.core.ts (the CA, views, shared look-ups), seal.seals.ts (seals and sealings), seal.sealing.ts
// (sealing a PDF), seal.verify.ts (verifying any PDF), seal.decisions.ts (decision documents).
import type { Actor } from '../../platform/auth/actor';
import type { DbOrTx } from '../../platform/db/client';
import type { Page } from '../../platform/http/paging';
import type { PlaceOptions } from './pdf-sign';
import { SealCore } from './seal.core';
import { SealDecisions } from './seal.decisions';
import { type CaRow, MAX_PDF, type SealDeps, type SealRow, type SealState, type SealView, type VerifyReport } from './seal.model';
import { SealSealing } from './seal.sealing';
import { SealRegistry } from './seal.seals';
import { SealVerifier } from './seal.verify';

export { formalName } from './seal.model';
export type { SealDeps, SealState, SealView, VerifiedSignature, VerifyReport } from './seal.model';

export class SealService {
  private readonly core: SealCore;
  private readonly seals: SealRegistry;
  private readonly sealing: SealSealing;
  private readonly verifier: SealVerifier;
  private readonly decisions: SealDecisions;

  constructor(readonly deps: SealDeps) {
    this.core = new SealCore(deps);
    this.seals = new SealRegistry(this.core);
    this.sealing = new SealSealing(this.core);
    this.verifier = new SealVerifier(this.core);
    this.decisions = new SealDecisions(this.core, this.seals, this.sealing);
  }

  // ---- the certificate authority (seal.core.ts) ------------------------------------------------------------

  /** The active CA, made on first need (under a lock, so two processes never make two). */
  ensureCa(): Promise<CaRow> {
    return this.core.ensureCa();
  }

  caPem(): Promise<string> {
    return this.core.caPem();
  }

  caInfo() {
    return this.core.caInfo();
  }

  // ---- seals (seal.seals.ts) -------------------------------------------------------------------------------

  list(actor: Actor, f: { orgId?: string; state?: SealState; limit: number; offset: number }): Promise<Page<SealView>> {
    return this.seals.list(actor, f);
  }

  get(actor: Actor, id: string): Promise<SealView> {
    return this.seals.get(actor, id);
  }

  image(actor: Actor, id: string): Promise<string> {
    return this.seals.image(actor, id);
  }

  activeSealOf(orgId: string, db?: DbOrTx): Promise<SealRow | null> {
    return this.core.activeSealOf(orgId, db);
  }

  /**
   * Make the department's seal, or renew it: a new key and certificate; the previous active seal becomes
   * superseded and keeps verifying what it sealed. `onlyIfMissing` (seeding, decision documents) makes one
   * only when the department has no active seal.
   */
  make(actor: Actor, orgId: string, opts: { onlyIfMissing?: boolean } = {}): Promise<SealView> {
    return this.seals.make(actor, orgId, opts);
  }

  revoke(actor: Actor, id: string, reason: string): Promise<SealView> {
    return this.seals.revoke(actor, id, reason);
  }

  signings(actor: Actor, f: { sealId?: string; limit: number; offset: number }) {
    return this.seals.signings(actor, f);
  }

  // ---- sealing and verification (seal.sealing.ts, seal.verify.ts) --------------------------------------------

  sign(actor: Actor, input: { bytes: Buffer; fileName: string; sealId?: string; place: PlaceOptions }): Promise<{ bytes: Buffer; signingId: string; sealId: string }> {
    return this.sealing.sign(actor, input);
  }

  verify(bytes: Buffer): Promise<VerifyReport> {
    return this.verifier.verify(bytes);
  }

  // ---- decision documents (seal.decisions.ts) -----------------------------------------------------------------

  /**
   * The sealed decision document of an approved application: made once (under a per-application lock),
   * stored as a blob, and the same bytes returned on every later download.
   */
  decisionDocument(actor: Actor, applicationId: string): Promise<{ bytes: Buffer; fileName: string }> {
    return this.decisions.decisionDocument(actor, applicationId);
  }
}

export const SEAL_MAX_PDF = MAX_PDF;
