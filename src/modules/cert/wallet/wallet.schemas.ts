// The shapes of the wallet's and the verifier's HTTP answers (TypeBox). The verifier's answer is read by
// SD-JWT VC tooling as well as the portal: its fields are kept exactly as the service gives them.
import { AnyJson, DateString, Dict, Enum, Json, Nullable, Timestamp, Type, Uuid } from '../../../platform/http/schema';

const EFFECTIVE_STATUSES = ['valid', 'suspended', 'revoked', 'expired', 'not-yet-valid'] as const;

/** A certificate as its holder sees it (the holder code masked). */
const WalletCertProps = {
  certificateId: Uuid,
  identifier: Type.String({ description: 'GB/T 36904 identifier' }),
  number: Type.String(),
  typeName: Type.String(),
  typeNameEn: Type.String(),
  typeCode: Type.String(),
  vct: Type.String(),
  holderName: Type.String(),
  holderCodeMasked: Type.String(),
  issuerName: Type.String(),
  issuedOn: DateString,
  validFrom: DateString,
  validUntil: Nullable(DateString),
  status: Enum(EFFECTIVE_STATUSES, { description: 'The issuer status, or expired / not-yet-valid by the validity dates' }),
};

const HoldingProps = { id: Uuid, claimedAt: Timestamp, ...WalletCertProps };

export const ClaimableList = Type.Object({ items: Type.Array(Type.Object({ ...WalletCertProps, claimed: Type.Boolean() })) });

export const ClaimAnswer = Type.Object({ ...HoldingProps, created: Type.Boolean() });

export const WalletCertificate = Type.Object(HoldingProps);

export const WalletCertificateWithFields = Type.Object({
  ...HoldingProps,
  fields: Type.Array(
    Type.Object({
      key: Type.String(),
      nameZh: Type.String(),
      nameEn: Type.String(),
      personal: Type.Optional(Type.Boolean()),
      value: AnyJson,
    }),
  ),
});

export const CredentialAnswer = Type.Object({
  credential: Type.String({ description: 'The SD-JWT VC, issuer-signed, with every disclosure' }),
  kid: Type.String(),
  issuedAt: Timestamp,
  reused: Type.Boolean(),
});

export const HolderRequest = Type.Object({
  id: Uuid,
  requestCode: Type.String(),
  verifier: Type.Object({ orgName: Nullable(Type.String()), orgNameEn: Nullable(Type.String()), name: Type.String() }),
  purpose: Type.String(),
  fields: Type.Array(Type.String()),
  vct: Nullable(Type.String()),
  nonce: Type.String(),
  audience: Type.String(),
  expiresAt: Timestamp,
});

export const PresentationHandle = Type.Object({
  handle: Type.String(),
  qr: Type.String({ description: 'DQVP:<handle>' }),
  expiresAt: Timestamp,
});

/** Labels of fields by key: [zh, en]. */
const Labels = Dict(Type.Array(Type.String(), { minItems: 2, maxItems: 2 }));

export const VerificationRow = Type.Object({
  id: Uuid,
  labels: Labels,
  at: Timestamp,
  verifierOrg: Nullable(Type.String()),
  verifierOrgEn: Nullable(Type.String()),
  verifierName: Type.String(),
  purpose: Nullable(Type.String()),
  certificateName: Nullable(Type.String()),
  identifier: Nullable(Type.String()),
  fields: Type.Array(Type.String()),
  valid: Type.Boolean(),
  reason: Type.String(),
});

export const VerifierRequest = Type.Object({
  id: Uuid,
  nonce: Type.String(),
  audience: Type.String(),
  requestCode: Type.String(),
  qr: Type.String({ description: 'DQVR:<code>' }),
  fields: Type.Array(Type.String()),
  purpose: Type.String(),
  vct: Nullable(Type.String()),
  expiresAt: Timestamp,
});

export const VerificationAnswerSchema = Type.Object({
  valid: Type.Boolean(),
  reason: Type.String({ description: 'ok, or why the presentation does not pass (the verifier reasons: bad-jws, revoked, replayed, bad-nonce…)' }),
  message: Type.String(),
  issuer: Type.Optional(Type.String()),
  issuerName: Type.Optional(Type.String()),
  kid: Type.Optional(Type.String()),
  trustList: Type.Optional(Type.String()),
  certificate: Type.Optional(
    Type.Object({
      name: Type.String(),
      nameEn: Type.Optional(Type.String()),
      type: Type.String(),
      identifier: Type.Optional(Type.String()),
      vct: Type.Optional(Type.String()),
    }),
  ),
  disclosed: Json,
  labels: Labels,
  warnings: Type.Array(Type.String()),
  verifiedAt: Timestamp,
});
