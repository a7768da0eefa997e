// Durable upload storage: the bytes live in the database (bytea) so they are in every backup and work the
// same on PGlite and PostgreSQL. Content-addressed by SHA-256 for integrity checks; not deduplicated
// (a blob belongs to the record that stored it and is removed with it).
import { customType, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (v) => v,
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const fileBlobs = pgTable(
  'file_blobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    contentType: text('content_type').notNull(),
    fileName: text('file_name').notNull(),
    bytes: bytea('bytes').notNull(),
    /** Who stored it (account id), for the audit trail and clean-up. */
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('file_blobs_sha256_idx').on(t.sha256)],
);
