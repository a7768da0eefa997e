// The shapes of the certificates part's HTTP answers and bodies (TypeBox): types with their fields,
// issued certificates (list and detail with the status history) and bulk imports.
import { DateString, Dict, Enum, Json, Nullable, Str, Text, Timestamp, Type, Uuid } from '../../../platform/http/schema';

export const CERTIFICATE_STATUSES = ['valid', 'suspended', 'revoked'] as const;
const FIELD_TYPES = ['string', 'date', 'number', 'boolean'] as const;

const CertificateStatusSchema = Enum(CERTIFICATE_STATUSES);
/** GB/T 36903 持证主体代码类型: 111 citizen ID number, 001 unified social credit code. */
const HolderCodeTypeSchema = Enum(['111', '001']);

// ---- bodies ------------------------------------------------------------------------------------------------

/** A type field as the console edits it. */
export const FieldDefInput = Type.Object({
  key: Str(40, 1),
  nameZh: Str(60, 1),
  nameEn: Str(120, 1),
  type: Enum(FIELD_TYPES),
  required: Type.Boolean(),
  personal: Type.Optional(Type.Boolean()),
});

const FieldValueInput = Type.Union([Type.String({ maxLength: 1000 }), Type.Number(), Type.Boolean(), Type.Null()]);
const dateOrEmpty = Type.String({ maxLength: 10 });

export const IssueBody = Type.Object({
  typeId: Uuid,
  number: Type.String({ maxLength: 200 }),
  holderName: Type.String({ maxLength: 400 }),
  holderCode: Type.String({ maxLength: 40 }),
  issuedOn: Type.Optional(dateOrEmpty),
  validFrom: Type.Optional(dateOrEmpty),
  validUntil: Type.Optional(Nullable(Type.String({ maxLength: 10 }))),
  jurisdiction: Type.Optional(Type.String({ maxLength: 6 })),
  fields: Type.Optional(Type.Unsafe<Record<string, string | number | boolean | null>>({ type: 'object', maxProperties: 60, additionalProperties: FieldValueInput })),
});

export const ReasonBody = Type.Object({ reason: Text(1000) });

// ---- answers -----------------------------------------------------------------------------------------------

export const FieldDefSchema = Type.Object({
  key: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  type: Enum(FIELD_TYPES),
  required: Type.Boolean(),
  personal: Type.Optional(Type.Boolean()),
});

const TypeInfoProps = {
  id: Uuid,
  /** GB/T 36904 licence-type code. */
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  departmentCode: Type.String(),
  holderKind: Enum(['person', 'organisation']),
  fields: Type.Array(FieldDefSchema),
  vct: Type.String({ description: 'SD-JWT VC type: urn:dq:cert:<code>' }),
};

export const CertificateTypeInfoSchema = Type.Object(TypeInfoProps);

export const CertificateTypeViewSchema = Type.Object({
  ...TypeInfoProps,
  departmentName: Type.String(),
  departmentCreditCode: Nullable(Type.String()),
  canIssue: Type.Boolean({ description: 'True when the caller may issue certificates of this type' }),
});

/** The type's field values, by key. */
const FieldValues = Dict(Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]));

export const CertificateListItemSchema = Type.Object({
  id: Uuid,
  identifier: Type.String(),
  typeId: Uuid,
  typeName: Type.String(),
  typeNameEn: Type.String(),
  number: Type.String(),
  holderName: Type.String(),
  holderCodeMasked: Type.String(),
  holderCodeType: HolderCodeTypeSchema,
  issuerOrgId: Uuid,
  issuerName: Type.String(),
  issuedOn: DateString,
  validFrom: DateString,
  validUntil: Nullable(DateString),
  expired: Type.Boolean(),
  status: CertificateStatusSchema,
  createdAt: Timestamp,
});

const StatusEventSchema = Type.Object({
  action: Type.String(),
  fromStatus: Nullable(Type.String()),
  toStatus: Type.String(),
  reason: Nullable(Type.String()),
  actorName: Type.String(),
  at: Timestamp,
});

/** The console's detail: GB/T 36903 metadata with the holder code masked, the identifier, the status history. */
export const CertificateDetailSchema = Type.Object({
  id: Uuid,
  identifier: Type.String({ description: 'GB/T 36904 identifier' }),
  type: CertificateTypeInfoSchema,
  number: Type.String(),
  holderName: Type.String(),
  holderCodeType: HolderCodeTypeSchema,
  holderCodeMasked: Type.String(),
  issuerOrgId: Uuid,
  issuerOrgCode: Type.String(),
  issuerName: Type.String(),
  issuerCreditCode: Type.String(),
  issuedOn: DateString,
  validFrom: DateString,
  validUntil: Nullable(DateString),
  jurisdiction: Type.String(),
  fields: FieldValues,
  status: CertificateStatusSchema,
  statusList: Type.Object({ id: Type.String(), index: Type.Integer(), uri: Type.String() }),
  expired: Type.Boolean(),
  importId: Nullable(Uuid),
  createdAt: Timestamp,
  history: Type.Array(StatusEventSchema),
  canChangeStatus: Type.Boolean(),
});

export const ImportViewSchema = Type.Object({
  id: Uuid,
  typeId: Uuid,
  typeName: Type.String(),
  issuerOrgId: Uuid,
  format: Type.String({ description: 'csv | jsonl' }),
  fileName: Type.String(),
  state: Type.String({ description: 'queued | running | succeeded | failed' }),
  bytesTotal: Type.Integer(),
  bytesRead: Type.Integer(),
  rowsRead: Type.Integer(),
  rowsIssued: Type.Integer(),
  rowsDuplicate: Type.Integer(),
  rowsRejected: Type.Integer(),
  error: Nullable(Type.String()),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
});

/** One problem of a rejected row; `raw` is the row as read (holder codes masked). */
export const RejectSchema = Type.Object({
  rowNumber: Type.Integer(),
  field: Type.String(),
  reason: Type.String(),
  raw: Json,
});
