// The trust part's tables: issuing keys (private halves encrypted under the master key), this platform's
// published trust lists (the exact JWS bytes served until the next change), and partner platforms with
// their pinned list-signing key and the last list that verified against it.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const trustKeys = pgTable(
  'trust_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The platform the key belongs to (`CN-<division code>`): an installation only ever uses its own rows. */
    platformId: text('platform_id').notNull(),
    /** Issuing organisation's code (DSJ, GAJ…); the list key uses the platform's division code. */
    orgCode: text('org_code').notNull(),
    /** city-code | certificate | status-list | trust-list */
    use: text('use').notNull(),
    kid: text('kid').notNull(),
    publicJwk: jsonb('public_jwk').notNull(),
    /** PKCS#8 DER, base64, AES-256-GCM under the master key with context `trust-key:<kid>`. */
    privateKey: text('private_key').notNull(),
    /** current | retired */
    state: text('state').notNull(),
    notBefore: timestamp('not_before', { withTimezone: true }).notNull(),
    /** null while current; a rotated key verifies until this instant. */
    notAfter: timestamp('not_after', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    retiredBy: uuid('retired_by'),
  },
  (t) => [
    uniqueIndex('trust_keys_kid_uq').on(t.kid),
    // One current key per organisation and use: racing creators insert, one wins, both read the winner.
    uniqueIndex('trust_keys_current_uq').on(t.platformId, t.orgCode, t.use).where(sql`${t.state} = 'current'`),
    index('trust_keys_list_idx').on(t.platformId, t.notAfter),
    index('trust_keys_org_idx').on(t.platformId, t.orgCode, t.use, t.createdAt),
  ],
);

export const trustLists = pgTable(
  'trust_lists',
  {
    platformId: text('platform_id').notNull(),
    seq: integer('seq').notNull(),
    /** The signed list exactly as served. */
    jws: text('jws').notNull(),
    list: jsonb('list').notNull(),
    signerKid: text('signer_kid').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    nextUpdate: timestamp('next_update', { withTimezone: true }).notNull(),
    /** Why it was published (first, key-created, key-rotated, scheduled). */
    cause: text('cause').notNull(),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.seq] })],
);

export const trustPartners = pgTable(
  'trust_partners',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** The partner's `/api/trust/list` URL; null for a partner known only by uploaded lists. */
    url: text('url'),
    /** The partner's platform id, from its first verified list. */
    platformId: text('platform_id').notNull(),
    pinnedJwk: jsonb('pinned_jwk').notNull(),
    pinnedKid: text('pinned_kid').notNull(),
    /** The last list that verified against the pin (kept when a later refresh fails). */
    jws: text('jws').notNull(),
    list: jsonb('list').notNull(),
    seq: integer('seq').notNull(),
    lastFetchedAt: timestamp('last_fetched_at', { withTimezone: true }),
    /** When the held list was accepted. */
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull(),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    /** Set when a fetched list failed the pin: the partner is no longer trusted until re-registered. */
    untrustedReason: text('untrusted_reason'),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    deactivatedBy: uuid('deactivated_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    index('trust_partners_platform_idx').on(t.platformId),
    // One active registration per partner platform.
    uniqueIndex('trust_partners_active_uq').on(t.platformId).where(sql`${t.deactivatedAt} is null`),
    index('trust_partners_created_idx').on(t.createdAt),
  ],
);
