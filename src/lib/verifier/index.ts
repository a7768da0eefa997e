// The offline verifier library (public entry point): decoders, trust store and verifiers for the city
// code (`CC1:`), EU DCC (`HC1:`) and the trust lists themselves. See docs/specs/city-code.md.
// Isomorphic: WebCrypto, TextEncoder and Compression Streams only, so the server, the CLI and the
// terminal page in the browser reach the same decisions.
export * from './types';
export { DecodeError, type DecodeStep } from './errors';
export { b64uEncode, b64uDecode, hexEncode, hexDecode, concatBytes, bytesEqual } from './bytes';
export { base45Encode, base45Decode } from './base45';
export { cborEncode, cborDecode, CborTag, CborSimple, CborFloat, CBOR_MAX_DEPTH } from './cbor';
export { coseSign1Encode, coseSign1Decode, coseKid, sigStructure, COSE, COSE_SIGN1_TAG, type CoseSign1, type CoseDecodeOptions } from './cose';
export { zlibInflate, zlibDeflate } from './zlib';
export { kidOf, kidOfDer, spkiOf, publicEcJwk, importEs256PublicKey, verifyEs256, es256Signer, requireSubtle } from './keys';
export {
  signTrustList,
  verifyTrustList,
  trustListState,
  trustListProblem,
  TrustStore,
  TRUST_LIST_TYP,
  DEFAULT_GRACE_SECONDS,
  type ListSigner,
  type Resolved,
} from './trust';
export {
  CITY_CODE_PREFIX,
  DEFAULT_SKEW_SECONDS,
  issueCityCode,
  verifyCityCode,
  encodeCityClaims,
  decodeCityClaims,
  CWT,
  CITY,
  CITY_CLAIM,
  MAX_CARDS,
  type CityCodeClaims,
  type CodeSigner,
  type HealthColour,
  type CardKind,
  type VerifyCityCodeOptions,
} from './city-code';
export { HC1_PREFIX, HCERT_CLAIM, DCC_EKU, DCC_EKU_ALT, dccTypesAllowed, verifyHc1, type Hc1Signer, type Hc1Claims, type DccType, type VerifyHc1Options } from './hc1';
export { checkDccSchema, DCC_GROUPS, DCC_DOB_RE, DCC_SCHEMA_MAJOR, type DccSchemaResult } from './dcc-schema';
export { encodeStatusList, decodeStatusList, STATUS, type StatusBits } from './status-list';
export { detectScheme } from './detect';
