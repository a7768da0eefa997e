// The shared vocabulary of the offline verifier: trust lists, the trust store built from them, and the
// decision every verification returns. This library runs in Node and in the browser (WebCrypto only,
// no Node built-ins), so the server, the CLI and the terminal page reach the same decisions.

/** What an issuing key may sign. A key used outside its uses is refused (`key-usage`). */
export type KeyUse = 'city-code' | 'certificate' | 'status-list';

/** One issuing key as a trust list publishes it. */
export interface TrustListKey {
  /** base64url of the first 8 bytes of SHA-256 over the key's SubjectPublicKeyInfo DER (as EU DCC kids). */
  kid: string;
  /** Issuer id: `<platform id>:<organisation code>`, e.g. `CN-370200:GAJ`. */
  issuer: string;
  issuerName: string;
  uses: KeyUse[];
  /** Public EC P-256 key (kty, crv, x, y only). */
  jwk: JsonWebKey;
  /** Signatures made by this key verify only for tokens issued inside [notBefore, notAfter]. */
  notBefore: string;
  /** null: no end date yet (the current key). A rotated key keeps verifying until this date. */
  notAfter: string | null;
}

/** The body of a signed trust list (JWS compact, ES256, header typ `dq-trust-list+jwt`, kid of the list key). */
export interface TrustList {
  version: 1;
  /** The publishing platform: id `CN-<GB/T 2260 division code>`, e.g. `CN-370200`. */
  platform: { id: string; name: string; nameEn?: string; url: string };
  /** Increases with every publication; a verifier never replaces a list with a lower seq. */
  seq: number;
  issuedAt: string;
  /** After this the list is stale: verifiers warn for `graceSeconds`, then stop trusting it. */
  nextUpdate: string;
  keys: TrustListKey[];
}

/** How fresh a list is at the verification time (own lists are always `fresh`). */
export type TrustListState = 'fresh' | 'warn' | 'stale';

/** A trust list a verifier holds, with where it came from. */
export interface TrustSource {
  list: TrustList;
  /** `<platform id>#<seq>`: named in every decision that used it. */
  listId: string;
  /** kid of the key that signed the list (for partners: the pinned key). */
  signerKid: string;
  /** This platform's own list (never stale) or a partner's. */
  own: boolean;
  fetchedAt?: string;
  /** Set when the platform no longer trusts this partner (deactivated, pin mismatch): its keys then
   *  resolve to `untrusted-partner` rather than `unknown-key`, so the decision says why. */
  untrusted?: { reason: string };
}

/** Every reason a verification can end with. `ok` is the only passing one. */
export type Reason =
  | 'ok'
  // decoding steps (the CLI reports which step failed)
  | 'bad-prefix'
  | 'bad-base45'
  | 'bad-zlib'
  | 'bad-cbor'
  | 'bad-cose'
  | 'bad-claims'
  | 'bad-jws'
  // trust
  | 'unknown-key'
  | 'untrusted-issuer'
  | 'wrong-issuer'
  | 'untrusted-partner'
  | 'stale-trust-list'
  | 'key-usage'
  | 'key-expired'
  | 'bad-signature'
  // time
  | 'expired'
  | 'not-yet-valid'
  // state (server side, or offline where the verifier holds it)
  | 'replayed'
  | 'frozen'
  | 'revoked'
  | 'suspended'
  | 'status-unavailable'
  // presentations
  | 'bad-holder-binding'
  | 'bad-nonce'
  | 'bad-disclosure'
  // terminals
  | 'scenario-not-allowed';

export type Scheme = 'city' | 'hc1' | 'sd-jwt-vc';

/** The answer of every verifier in this library, the scan API and `dq code verify`. */
export interface Decision<C = Record<string, unknown>> {
  valid: boolean;
  scheme: Scheme;
  reason: Reason;
  /** Human-readable detail in English (the UI maps `reason` to its own words). */
  message: string;
  issuer?: string;
  kid?: string;
  /** The trust list that vouched for the key (`listId`), when one did. */
  trustList?: string;
  claims?: C;
  /** e.g. the partner list is past nextUpdate but inside its grace period. */
  warnings: string[];
}
