// The pluggable edges of the applications work: the certificate wallet, notification delivery and the
// fact sources automatic approval reads. Each has a default that is honest about what exists today.

// ---- electronic certificates --------------------------------------------------------------------------

export interface CertificateRef {
  certificateTypeName: string;
  certificateId: string;
}

export interface ResolvedCertificate extends CertificateRef {
  holderUserId: string;
  issuer: string;
  validUntil: string | null;
  /** GB/T 36904 identifier of the certificate (set by a wallet that verified it). */
  identifier?: string;
  /** When the wallet checked holder, status and validity (the applicant's choice, i.e. their consent). */
  verifiedAt?: string;
}

export type WalletAnswer =
  | { ok: true; certificate: ResolvedCertificate }
  | { ok: false; reason: 'wallet-unavailable' | 'not-found' | 'not-holder' | 'expired' | 'revoked' | 'suspended'; message: string };

/** The certificate wallet (another capability) resolves a reference for its holder. */
export interface CertificateWallet {
  readonly available: boolean;
  resolve(holderUserId: string, ref: CertificateRef): Promise<WalletAnswer>;
  /** The verification recorded when the holder chose the certificate (for the officer's view), if any. */
  describe?(holderUserId: string, certificateId: string): Promise<ResolvedCertificate | null>;
}

/** Until the wallet exists: every reference is refused with a clear reason; no fake certificates. */
export class NoCertificateWallet implements CertificateWallet {
  readonly available = false;
  async resolve(): Promise<WalletAnswer> {
    return { ok: false, reason: 'wallet-unavailable', message: 'the electronic certificate wallet is not available yet; upload the document instead' };
  }
}

// ---- notifications: the platform's channel (src/platform/notify) -------------------------------------

export { InAppNotifier, type Notice, type Notifier } from '../../../platform/notify';

// ---- facts for automatic approval ------------------------------------------------------------------

export interface FactRequest {
  applicantId: string;
  applicantKind: string;
  /** The item and application being decided; absent when facts are read for the person alone (the home page). */
  itemId?: string;
  applicationId?: string;
  data: Record<string, unknown>;
  materials: string[];
  today: string;
}

/**
 * A source of facts about the applicant, under its own namespace (profile.*, history.*, …). Sources run
 * before the submission transaction opens; a fact a source cannot know is left out (the rule sees it as
 * missing and the application goes to a person).
 */
export interface FactSource {
  readonly namespace: string;
  load(req: FactRequest): Promise<Record<string, unknown>>;
}

export class FactRegistry {
  private readonly sources = new Map<string, FactSource>();
  register(source: FactSource): this {
    this.sources.set(source.namespace, source);
    return this;
  }
  async load(req: FactRequest): Promise<Record<string, unknown>> {
    const facts: Record<string, unknown> = { data: req.data, materials: Object.fromEntries(req.materials.map((k) => [k, true])), today: req.today };
    for (const [ns, s] of this.sources) {
      try {
        facts[ns] = await s.load(req);
      } catch {
        facts[ns] = {}; // a failing source means missing facts, never an approval
      }
    }
    return facts;
  }
}
