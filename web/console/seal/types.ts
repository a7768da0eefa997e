// Shapes of the seal API's answers (src/modules/seal/seal.service.ts).
export type SealState = 'active' | 'superseded' | 'revoked';

export interface CertificateDetails {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  keyAlgorithm: string;
  keyUsage: string[];
  sha256Fingerprint: string;
}

export interface Seal {
  id: string;
  orgId: string;
  orgCode: string | null;
  orgName: string;
  name: string;
  state: SealState;
  serial: string;
  notBefore: string;
  notAfter: string;
  revokedAt: string | null;
  revokedReason: string | null;
  replacesId: string | null;
  createdAt: string;
  certificate: CertificateDetails;
  certificatePem: string;
  signings: number;
}

export interface VerifiedSignature {
  signer: string | null;
  org: string | null;
  signedAt: string | null;
  intact: boolean;
  coversWholeDocument: boolean;
  chainTrusted: boolean;
  revoked: boolean;
  serial: string | null;
  sealId: string | null;
  byteRange: number[];
  reason?: string;
  detail?: string;
}

export interface VerifyReport {
  documentSha256: string;
  size: number;
  signatures: VerifiedSignature[];
}

export interface Signing {
  id: string;
  sealId: string;
  fileName: string;
  size: number;
  page: number;
  purpose: 'upload' | 'decision';
  applicationId: string | null;
  documentSha256: string;
  signerName: string;
  signedAt: string;
}

export const STATE_COLOUR: Record<SealState, string> = { active: 'green', superseded: 'default', revoked: 'red' };
