// What the rest of the platform uses from the trust part: signing with an organisation's current key,
// and the trust lists (own and partners') verifiers decide with.
import type { KeyUse, TrustSource, TrustStore } from '../../lib/verifier';

/** An organisation's current issuing key for one use. The private key never leaves the trust part. */
export interface IssuerSigner {
  kid: string;
  /** `<platform id>:<organisation code>`, e.g. `CN-370200:GAJ`. */
  issuer: string;
  alg: 'ES256';
  publicJwk: JsonWebKey;
  /** ECDSA P-256 / SHA-256 over `data`; the signature in IEEE P1363 form (r‖s, 64 bytes), as COSE and JWS want. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export interface IssuerKeys {
  /** `CN-<division code>` of this platform's city, e.g. `CN-370200`. */
  readonly platformId: string;
  issuerId(orgCode: string): string;
  /** The organisation's current key for `use`, created (and published in the trust list) on first need. */
  signer(orgCode: string, use: KeyUse): Promise<IssuerSigner>;
  /** Every trust list held now, this platform's own first, then each registered partner's last verified list. */
  trustSources(): Promise<TrustSource[]>;
  /** A verifier's store over those lists at `at`, with the configured grace for stale partner lists. */
  trustStore(at?: Date): Promise<TrustStore>;
  /** Called after a key is made or rotated, the list republished, or a partner changes; returns unsubscribe. */
  onChange(listener: () => void): () => void;
}
