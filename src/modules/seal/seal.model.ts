// What the seal rooms share: row and view types, the verification report, the PDF size limit, the
// context keys are encrypted under, and a seal's formal name.
import { errors } from '../../platform/http/problem';
import type { ModuleDeps } from '../deps';
import type { ApplicationService } from '../svc';
import { PdfInputError } from './pdf-sign';
import type { CertificateDetails } from './pki';
import type { sealCa, sealSeals } from './seal.schema';

export type SealDeps = ModuleDeps & { applications: ApplicationService };

export type SealRow = typeof sealSeals.$inferSelect;
export type CaRow = typeof sealCa.$inferSelect;

export type SealState = 'active' | 'superseded' | 'revoked';

export interface SealView {
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
  /** The seal holder: the certificate's common name (the department). */
  signer: string | null;
  /** The certificate's organisation (the city). */
  org: string | null;
  signedAt: string | null;
  /** The signed bytes are unchanged and the CMS signature verifies. */
  intact: boolean;
  /** The signature covers the whole file (nothing was appended after sealing). */
  coversWholeDocument: boolean;
  /** The signer's certificate chains to this platform's CA, was valid when signed, and its seal is not revoked. */
  chainTrusted: boolean;
  revoked: boolean;
  serial: string | null;
  sealId: string | null;
  byteRange: number[];
  /** Why the signature is not fully valid (the first problem found). */
  reason?: 'unreadable' | 'modified' | 'bad-signature' | 'not-whole-document' | 'unknown-issuer' | 'certificate-not-valid-then' | 'seal-revoked';
  detail?: string;
}

export interface VerifyReport {
  documentSha256: string;
  size: number;
  signatures: VerifiedSignature[];
}

export const MAX_PDF = 20 * 1024 * 1024;
export const keyContext = (table: string, serial: string) => `${table}.key:${serial}`;

/**
 * The name a seal carries: the department's full name. City departments are listed as "市公安局" inside
 * the city's tree; on a seal (and its certificate) they are "青岛市公安局".
 */
export function formalName(orgName: string, cityName: string): string {
  return orgName.startsWith('市') && cityName.endsWith('市') && !orgName.startsWith(cityName) ? cityName + orgName.slice(1) : orgName;
}

export function toInput(e: unknown): never {
  if (e instanceof PdfInputError) throw errors.field(`/body/${e.field}`, e.message);
  throw e;
}
