// The shapes of the seal HTTP answers (TypeBox): certificate details, seals, sealings and the report of
// verifying a PDF (a public answer other tools read: its fields are kept exactly as the service gives them).
import { Enum, Nullable, Timestamp, Type, Uuid } from '../../platform/http/schema';

export const SEAL_STATES = ['active', 'superseded', 'revoked'] as const;

const CertificateDetailsProps = {
  subject: Type.String(),
  issuer: Type.String(),
  serial: Type.String({ description: 'Hexadecimal' }),
  notBefore: Timestamp,
  notAfter: Timestamp,
  keyAlgorithm: Type.String(),
  keyUsage: Type.Array(Type.String()),
  sha256Fingerprint: Type.String(),
};

export const CaInfo = Type.Object({ pem: Type.String(), ...CertificateDetailsProps });

export const SealViewSchema = Type.Object({
  id: Uuid,
  orgId: Uuid,
  orgCode: Nullable(Type.String()),
  orgName: Type.String(),
  name: Type.String(),
  state: Enum(SEAL_STATES),
  serial: Type.String(),
  notBefore: Timestamp,
  notAfter: Timestamp,
  revokedAt: Nullable(Timestamp),
  revokedReason: Nullable(Type.String()),
  replacesId: Nullable(Uuid),
  createdAt: Timestamp,
  certificate: Type.Object(CertificateDetailsProps),
  certificatePem: Type.String(),
  signings: Type.Integer(),
});

export const SigningSchema = Type.Object({
  id: Uuid,
  sealId: Uuid,
  orgId: Uuid,
  fileName: Type.String(),
  size: Type.Integer(),
  page: Type.Integer(),
  purpose: Type.String({ description: 'upload | decision' }),
  applicationId: Nullable(Uuid),
  documentSha256: Type.String(),
  inputSha256: Type.String(),
  signerName: Type.String(),
  signedAt: Timestamp,
});

const SIGNATURE_PROBLEMS = ['unreadable', 'modified', 'bad-signature', 'not-whole-document', 'unknown-issuer', 'certificate-not-valid-then', 'seal-revoked'] as const;

export const VerifyReportSchema = Type.Object({
  documentSha256: Type.String(),
  size: Type.Integer(),
  signatures: Type.Array(
    Type.Object({
      signer: Nullable(Type.String()),
      org: Nullable(Type.String()),
      signedAt: Nullable(Timestamp),
      intact: Type.Boolean(),
      coversWholeDocument: Type.Boolean(),
      chainTrusted: Type.Boolean(),
      revoked: Type.Boolean(),
      serial: Nullable(Type.String()),
      sealId: Nullable(Uuid),
      byteRange: Type.Array(Type.Integer()),
      reason: Type.Optional(Enum(SIGNATURE_PROBLEMS, { description: 'Why the signature is not fully valid (the first problem found)' })),
      detail: Type.Optional(Type.String()),
    }),
  ),
});
