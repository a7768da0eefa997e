// Certificate types, issued certificates with their GB/T 36903 core metadata, serial sequences for GB/T
// 36904 identifiers, Token Status Lists, status history and bulk imports.
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { CertificateFieldDef } from '../contracts';

export const certTypes = pgTable(
  'cert_types',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** GB/T 36904 licence-type code: the defining department's credit code + 3 digits. */
    code: text('code').notNull().unique(),
    nameZh: text('name_zh').notNull().unique(),
    nameEn: text('name_en').notNull(),
    departmentOrgId: uuid('department_org_id').notNull(),
    /** person | organisation */
    holderKind: text('holder_kind').notNull(),
    fields: jsonb('fields').notNull().$type<CertificateFieldDef[]>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('cert_types_department_idx').on(t.departmentOrgId)],
);

/** Next serial per (type, issuer): ranges are taken with one UPDATE … RETURNING, so bulk imports do not contend per row. */
export const certSerials = pgTable(
  'cert_serials',
  {
    typeId: uuid('type_id').notNull(),
    issuerOrgId: uuid('issuer_org_id').notNull(),
    next: bigint('next', { mode: 'number' }).notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.typeId, t.issuerOrgId] })],
);

export const certStatusLists = pgTable('cert_status_lists', {
  id: integer('id').primaryKey(),
  size: integer('size').notNull(),
  /** Next free index; the list is full when it reaches size. */
  nextIndex: integer('next_index').notNull().default(0),
  /** Bumped by every status change of a certificate in the list; the cached token is rebuilt when it differs. */
  version: integer('version').notNull().default(0),
  tokenVersion: integer('token_version'),
  token: text('token'),
  tokenExpiresAt: timestamp('token_expires_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const certCertificates = pgTable(
  'cert_certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    typeId: uuid('type_id').notNull(),
    issuerOrgId: uuid('issuer_org_id').notNull(),
    serial: bigint('serial', { mode: 'number' }).notNull(),
    version: integer('version').notNull().default(1),
    /** 证照标识 (GB/T 36904). */
    identifier: text('identifier').notNull(),
    /** 证照编号. */
    number: text('number').notNull(),
    holderName: text('holder_name').notNull(),
    /** 持证主体代码, encrypted (context cert.holder_code); looked up by its blind index. */
    holderCodeEnc: text('holder_code_enc').notNull(),
    holderCodeHash: text('holder_code_hash').notNull(),
    holderCodeMasked: text('holder_code_masked').notNull(),
    /** 111 citizen ID number, 001 credit code. */
    holderCodeType: text('holder_code_type').notNull(),
    issuedOn: text('issued_on').notNull(),
    validFrom: text('valid_from').notNull(),
    validUntil: text('valid_until'),
    /** 管辖属地 (GB/T 2260). */
    jurisdiction: text('jurisdiction').notNull(),
    fields: jsonb('fields').notNull().$type<Record<string, string | number | boolean | null>>(),
    /** valid | suspended | revoked */
    status: text('status').notNull().default('valid'),
    statusListId: integer('status_list_id').notNull(),
    statusIndex: integer('status_index').notNull(),
    importId: uuid('import_id'),
    isDemo: integer('is_demo').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The identifier carries type, issuer and serial: unique serials per (type, issuer) follow from it.
    uniqueIndex('cert_certificates_identifier_uq').on(t.identifier),
    // Idempotency of imports and API calls: the same certificate number for the same holder and type once.
    uniqueIndex('cert_certificates_natural_uq').on(t.typeId, t.number, t.holderCodeHash),
    uniqueIndex('cert_certificates_slot_uq').on(t.statusListId, t.statusIndex),
    index('cert_certificates_holder_idx').on(t.holderCodeHash),
    index('cert_certificates_issuer_idx').on(t.issuerOrgId, t.createdAt),
    index('cert_certificates_type_idx').on(t.typeId, t.createdAt),
    // The status list builder reads only the few certificates that are not valid.
    index('cert_certificates_marked_idx').on(t.statusListId).where(sql`status <> 'valid'`),
    index('cert_certificates_import_idx').on(t.importId).where(sql`import_id is not null`),
  ],
);

export const certStatusEvents = pgTable(
  'cert_status_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    certificateId: uuid('certificate_id').notNull(),
    /** issue | suspend | reinstate | revoke */
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    reason: text('reason'),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('cert_status_events_cert_idx').on(t.certificateId, t.at)],
);

export const certImports = pgTable(
  'cert_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    typeId: uuid('type_id').notNull(),
    issuerOrgId: uuid('issuer_org_id').notNull(),
    /** csv | jsonl */
    format: text('format').notNull(),
    fileName: text('file_name').notNull(),
    /** Staged upload, relative to DATA_DIR; removed when the import finishes. */
    filePath: text('file_path'),
    /** queued | running | succeeded | failed */
    state: text('state').notNull().default('queued'),
    bytesTotal: bigint('bytes_total', { mode: 'number' }).notNull().default(0),
    bytesRead: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
    /** Rows fully handled so far (a restarted job skips these). */
    rowsRead: integer('rows_read').notNull().default(0),
    rowsIssued: integer('rows_issued').notNull().default(0),
    rowsDuplicate: integer('rows_duplicate').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    /** Last source row number committed: a restarted job resumes after it. */
    lastRow: integer('last_row').notNull().default(0),
    error: text('error'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('cert_imports_issuer_idx').on(t.issuerOrgId, t.createdAt)],
);

export const certImportRejects = pgTable(
  'cert_import_rejects',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    importId: uuid('import_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    field: text('field').notNull(),
    reason: text('reason').notNull(),
    raw: jsonb('raw').notNull().$type<Record<string, unknown>>(),
  },
  (t) => [index('cert_import_rejects_import_idx').on(t.importId, t.rowNumber)],
);
