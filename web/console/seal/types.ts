// Shapes of the seal API's answers, taken from the server's OpenAPI document (../../shared/api-types.ts).
import type { ItemOf, ResponseOf } from '../../shared/api-types';

export type Seal = ItemOf<'/api/seal/seals'>;
export type SealState = Seal['state'];
export type CertificateDetails = Seal['certificate'];

export type VerifyReport = ResponseOf<'/api/seal/verify', 'post'>;
export type VerifiedSignature = VerifyReport['signatures'][number];

export type Signing = ItemOf<'/api/seal/signings'>;

// UI-side: the tag colour of each state.
export const STATE_COLOUR: Record<SealState, string> = { active: 'green', superseded: 'default', revoked: 'red' };
