// OpenID Connect provider storage: registered client platforms and the provider's short-lived artefacts.
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const oidcClients = pgTable('oidc_clients', {
  clientId: text('client_id').primaryKey(),
  name: text('name').notNull(),
  /** SHA-256 is not enough here: the provider needs the secret itself to verify client_secret_basic,
   *  so it is kept AES-GCM encrypted under the master key and shown once at registration. */
  clientSecretEnc: text('client_secret_enc'),
  redirectUris: jsonb('redirect_uris').$type<string[]>().notNull(),
  postLogoutRedirectUris: jsonb('post_logout_redirect_uris').$type<string[]>().notNull().default([]),
  scopes: jsonb('scopes').$type<string[]>().notNull(),
  /** confidential (has a secret) | public (PKCE only, e.g. a mobile app) */
  clientType: text('client_type').notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
});

export const oidcPayloads = pgTable(
  'oidc_payloads',
  {
    id: text('id').notNull(),
    model: text('model').notNull(),
    payload: jsonb('payload').notNull(),
    grantId: text('grant_id'),
    userCode: text('user_code'),
    uid: text('uid'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index('oidc_payloads_grant_idx').on(t.grantId),
    index('oidc_payloads_uid_idx').on(t.uid),
    index('oidc_payloads_expires_idx').on(t.expiresAt),
    // Remembered consent is looked up by account and client; disabling a client sweeps by client.
    index('oidc_payloads_client_account_idx').on(sql`(${t.payload}->>'clientId')`, sql`(${t.payload}->>'accountId')`),
  ],
);

/** Signing keys of the provider (RS256/ES256), private JWK encrypted under the master key. */
export const oidcKeys = pgTable('oidc_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  privateJwkEnc: text('private_jwk_enc').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});
