// Credit supervision: published 双公示 records, upload batches with their staged rows and problems,
// the authorities each organisation may publish for, publication regimes, credit repairs with their
// history and materials, and the outbox that carries repair results to linked systems.
import { sql } from 'drizzle-orm';
import { bigserial, boolean, customType, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** PostgreSQL tsvector written as a literal built in TypeScript (svc/search/tokenize.ts). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const creditRecords = pgTable(
  'credit_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    /** published | expired (publication window over) | repaired (withdrawn after credit repair). */
    status: text('status').notNull().default('published'),
    /** The record under the standard's field codes, exactly as validated. */
    record: jsonb('record').notNull(),
    docNo: text('doc_no').notNull(),
    authorityCode: text('authority_code').notNull(),
    /** The organisation that published it (the deciding authority's organisation). */
    orgId: uuid('org_id').notNull(),
    batchId: uuid('batch_id'),
    subjectName: text('subject_name').notNull(),
    subjectCategory: text('subject_category').notNull(),
    /** Credit code for organisations and sole traders with one; the ID number for persons (never shown unmasked in public). */
    subjectCode: text('subject_code').notNull(),
    /** Public key of the subject: the credit code, or a keyed hash of a person's ID number. */
    subjectKey: text('subject_key').notNull(),
    decisionDate: date('decision_date', { mode: 'string' }).notNull(),
    severity: text('severity'),
    repairableFrom: date('repairable_from', { mode: 'string' }),
    publicationEnds: date('publication_ends', { mode: 'string' }),
    searchVector: tsvector('search_vector').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
  },
  (t) => [
    uniqueIndex('credit_records_doc_uq').on(t.kind, t.authorityCode, t.docNo),
    index('credit_records_subject_idx').on(t.subjectKey, t.status),
    index('credit_records_subject_code_idx').on(t.subjectCode),
    index('credit_records_org_idx').on(t.orgId, t.kind, t.status),
    index('credit_records_expiry_idx').on(t.status, t.publicationEnds),
    index('credit_records_search_idx').using('gin', t.searchVector),
  ],
);

export const creditBatches = pgTable(
  'credit_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    orgId: uuid('org_id').notNull(),
    fileName: text('file_name').notNull(),
    /** validated → published | discarded */
    state: text('state').notNull().default('validated'),
    total: integer('total').notNull().default(0),
    valid: integer('valid').notNull().default(0),
    invalid: integer('invalid').notNull().default(0),
    published: integer('published'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [index('credit_batches_org_idx').on(t.orgId, t.createdAt)],
);

/** Every row of an uploaded file as read, with its problems: the staging area and the source of the report. */
export const creditBatchRows = pgTable(
  'credit_batch_rows',
  {
    batchId: uuid('batch_id').notNull(),
    row: integer('row').notNull(),
    values: jsonb('values').notNull(),
    valid: boolean('valid').notNull(),
    problems: jsonb('problems').notNull().default(sql`'[]'::jsonb`),
  },
  (t) => [uniqueIndex('credit_batch_rows_pk').on(t.batchId, t.row), index('credit_batch_rows_invalid_idx').on(t.batchId, t.valid, t.row)],
);

/** Which organisation publishes as which authority (by the authority's credit code). */
export const creditAuthorities = pgTable(
  'credit_authorities',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    orgId: uuid('org_id').notNull(),
  },
  (t) => [index('credit_authorities_org_idx').on(t.orgId)],
);

export const creditRegimes = pgTable(
  'credit_regimes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    severity: text('severity').notNull(),
    minMonths: integer('min_months').notNull(),
    maxMonths: integer('max_months').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    note: text('note'),
  },
  (t) => [uniqueIndex('credit_regimes_uq').on(t.effectiveFrom, t.severity)],
);

export const creditRepairs = pgTable(
  'credit_repairs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    penaltyId: uuid('penalty_id').notNull(),
    /** The deciding department: the organisation that published the penalty. */
    deciderOrgId: uuid('decider_org_id').notNull(),
    applicantId: uuid('applicant_id').notNull(),
    applicantOrgId: uuid('applicant_org_id').notNull(),
    subjectCode: text('subject_code').notNull(),
    state: text('state').notNull().default('draft'),
    statement: text('statement').notNull(),
    commitmentText: text('commitment_text').notNull(),
    commitmentAcceptedAt: timestamp('commitment_accepted_at', { withTimezone: true }).notNull(),
    acceptDue: date('accept_due', { mode: 'string' }),
    decideDue: date('decide_due', { mode: 'string' }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** Working days from submission to decision, and whether every step met its limit. */
    handlingDays: integer('handling_days'),
    onTime: boolean('on_time'),
    lastReason: text('last_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('credit_repairs_penalty_idx').on(t.penaltyId, t.state),
    index('credit_repairs_decider_idx').on(t.deciderOrgId, t.state),
    index('credit_repairs_applicant_idx').on(t.applicantOrgId, t.createdAt),
  ],
);

export const creditRepairEvents = pgTable(
  'credit_repair_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Order of events; several share one transaction's timestamp. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    repairId: uuid('repair_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    reason: text('reason'),
  },
  (t) => [index('credit_repair_events_repair_idx').on(t.repairId, t.seq)],
);

export const creditRepairMaterials = pgTable(
  'credit_repair_materials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    repairId: uuid('repair_id').notNull(),
    key: text('key').notNull(),
    blobId: uuid('blob_id').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('credit_repair_materials_uq').on(t.repairId, t.key)],
);

export const creditEndpoints = pgTable('credit_endpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  /** Optional signing secret (AES-GCM under the master key): deliveries carry an HMAC-SHA256 of the body. */
  secretEnc: text('secret_enc'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One delivery of one event to one endpoint; written in the transaction of the change it reports. */
export const creditOutbox = pgTable(
  'credit_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    event: text('event').notNull(),
    repairId: uuid('repair_id'),
    endpointId: uuid('endpoint_id').notNull(),
    endpointName: text('endpoint_name').notNull(),
    url: text('url').notNull(),
    payload: jsonb('payload').notNull(),
    /** pending | sending | delivered | failed */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(8),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastError: text('last_error'),
    lastStatus: integer('last_status'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('credit_outbox_due_idx').on(t.status, t.nextAttemptAt), index('credit_outbox_repair_idx').on(t.repairId)],
);
