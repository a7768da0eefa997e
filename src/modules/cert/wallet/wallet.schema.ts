// The wallet's tables: certificates a holder claimed, the SD-JWT VC credentials issued to a holder's
// browser key, verifier requests, one-time presentation handles, every verification, and the holder's
// consents to use a certificate in a service-hall application.
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const walletHoldings = pgTable(
  'wallet_holdings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    certificateId: text('certificate_id').notNull(),
    /** GB/T 36904 identifier, kept to find the holding from a presented credential. */
    identifier: text('identifier').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('wallet_holdings_user_cert_uq').on(t.userId, t.certificateId), index('wallet_holdings_identifier_idx').on(t.identifier)],
);

export const walletCredentials = pgTable(
  'wallet_credentials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    holdingId: uuid('holding_id').notNull(),
    userId: uuid('user_id').notNull(),
    identifier: text('identifier').notNull(),
    /** JWK thumbprint (RFC 7638) of the holder's browser key. */
    holderThumbprint: text('holder_thumbprint').notNull(),
    holderJwk: jsonb('holder_jwk').notNull(),
    /** The issued SD-JWT with every disclosure (personal data): encrypted under the master key. */
    credentialEnc: text('credential_enc').notNull(),
    issuerKid: text('issuer_kid').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('wallet_credentials_holding_key_uq').on(t.holdingId, t.holderThumbprint), index('wallet_credentials_identifier_idx').on(t.identifier, t.holderThumbprint)],
);

export const walletRequests = pgTable(
  'wallet_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Short code the holder types or scans (`DQVR:<code>`). */
    code: text('code').notNull(),
    nonce: text('nonce').notNull(),
    audience: text('audience').notNull(),
    fields: text('fields').array().notNull(),
    purpose: text('purpose').notNull(),
    /** Optional certificate type asked for (its vct). */
    vct: text('vct'),
    verifierOrgId: uuid('verifier_org_id'),
    verifierUserId: uuid('verifier_user_id'),
    verifierApiKeyId: uuid('verifier_api_key_id'),
    verifierName: text('verifier_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('wallet_requests_code_uq').on(t.code)],
);

export const walletPresentations = pgTable(
  'wallet_presentations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    handle: text('handle').notNull(),
    userId: uuid('user_id').notNull(),
    presentationEnc: text('presentation_enc').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('wallet_presentations_handle_uq').on(t.handle), index('wallet_presentations_expires_idx').on(t.expiresAt)],
);

export const walletVerifications = pgTable(
  'wallet_verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id'),
    verifierOrgId: uuid('verifier_org_id'),
    verifierUserId: uuid('verifier_user_id'),
    verifierName: text('verifier_name').notNull(),
    purpose: text('purpose'),
    /** The holder, when the credential is one this platform issued to a known browser key. */
    holderUserId: uuid('holder_user_id'),
    certificateId: text('certificate_id'),
    identifier: text('identifier'),
    certificateName: text('certificate_name'),
    issuer: text('issuer'),
    fields: text('fields').array().notNull(),
    valid: boolean('valid').notNull(),
    reason: text('reason').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('wallet_verifications_holder_idx').on(t.holderUserId, t.at), index('wallet_verifications_org_idx').on(t.verifierOrgId, t.at)],
);

export const walletConsents = pgTable(
  'wallet_consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    certificateId: text('certificate_id').notNull(),
    certificateTypeName: text('certificate_type_name').notNull(),
    identifier: text('identifier').notNull(),
    issuerName: text('issuer_name').notNull(),
    validUntil: text('valid_until'),
    verifiedAt: timestamp('verified_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('wallet_consents_user_cert_idx').on(t.userId, t.certificateId, t.verifiedAt)],
);
