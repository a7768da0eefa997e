// Electronic seals: the platform's certificate authority, each department's seals (one active, older
// ones kept for verifying documents sealed with them), every sealing, and the sealed decision documents
// of the service hall.
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const sealCa = pgTable(
  'seal_ca',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subject: text('subject').notNull(),
    serial: text('serial').notNull(),
    certPem: text('cert_pem').notNull(),
    /** PKCS#8 private key, AES-GCM under the master key (context "seal_ca.key:<serial>"). */
    keyEnc: text('key_enc').notNull(),
    notBefore: timestamp('not_before', { withTimezone: true }).notNull(),
    notAfter: timestamp('not_after', { withTimezone: true }).notNull(),
    /** active: issues seal certificates; retired: kept only to verify what it issued. */
    state: text('state').notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('seal_ca_serial_idx').on(t.serial), index('seal_ca_state_idx').on(t.state)],
);

export const sealSeals = pgTable(
  'seal_seals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    /** The department's name when the seal was made: what the image and the certificate say. */
    name: text('name').notNull(),
    caId: uuid('ca_id').notNull(),
    serial: text('serial').notNull(),
    certPem: text('cert_pem').notNull(),
    /** PKCS#8 private key, AES-GCM under the master key (context "seal_seals.key:<serial>"). */
    keyEnc: text('key_enc').notNull(),
    notBefore: timestamp('not_before', { withTimezone: true }).notNull(),
    notAfter: timestamp('not_after', { withTimezone: true }).notNull(),
    /** active (the one used), superseded (renewed; still verifies), revoked (no longer trusted). */
    state: text('state').notNull().default('active'),
    replacesId: uuid('replaces_id'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('seal_seals_serial_idx').on(t.serial), index('seal_seals_org_idx').on(t.orgId, t.state), index('seal_seals_created_idx').on(t.createdAt)],
);

export const sealSignings = pgTable(
  'seal_signings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sealId: uuid('seal_id').notNull(),
    orgId: uuid('org_id').notNull(),
    /** SHA-256 of the uploaded document and of the sealed result. */
    inputSha256: text('input_sha256').notNull(),
    documentSha256: text('document_sha256').notNull(),
    fileName: text('file_name').notNull(),
    size: integer('size').notNull(),
    page: integer('page').notNull(),
    /** upload: a staff member sealed a file; decision: the service hall's decision document. */
    purpose: text('purpose').notNull(),
    applicationId: uuid('application_id'),
    signerId: uuid('signer_id'),
    signerName: text('signer_name').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('seal_signings_seal_idx').on(t.sealId, t.signedAt), index('seal_signings_org_idx').on(t.orgId, t.signedAt), index('seal_signings_doc_idx').on(t.documentSha256)],
);

export const sealDecisionDocuments = pgTable('seal_decision_documents', {
  applicationId: uuid('application_id').primaryKey(),
  blobId: uuid('blob_id').notNull(),
  signingId: uuid('signing_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
