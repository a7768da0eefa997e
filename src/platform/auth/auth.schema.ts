// Accounts, roles, sessions and API keys: the identity machinery every module relies on.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    /** citizen | enterprise | staff */
    kind: text('kind').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** Organisation the account belongs to: a department or district for staff, the enterprise for its users. */
    orgId: uuid('org_id'),
    /** Citizen ID number, AES-GCM encrypted under the master key; never stored in clear. */
    idNumberEnc: text('id_number_enc'),
    /** Keyed hash of the ID number, so an account can be found by it without decrypting every row. */
    idNumberHash: text('id_number_hash'),
    /** Masked form safe to show (first 3 and last 4 characters). */
    idNumberMasked: text('id_number_masked'),
    phoneMasked: text('phone_masked'),
    locale: text('locale').notNull().default('zh-CN'),
    /** 适老化: the portal's elder mode (larger type, high contrast), remembered per account. */
    elderMode: boolean('elder_mode').notNull().default(false),
    totpSecretEnc: text('totp_secret_enc'),
    totpEnabled: boolean('totp_enabled').notNull().default(false),
    /** Last TOTP time step accepted, so a code cannot be used twice. */
    totpLastStep: integer('totp_last_step'),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    status: text('status').notNull().default('active'),
    isDemo: boolean('is_demo').notNull().default(false),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_username_uq').on(sql`lower(${t.username})`),
    uniqueIndex('users_id_number_hash_uq').on(t.idNumberHash),
    index('users_org_idx').on(t.orgId),
    index('users_kind_created_idx').on(t.kind, t.createdAt),
  ],
);

export const roles = pgTable('roles', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  /** city: every record; district: the holder's district and what lies in it; department: the holder's
   *  organisation and its sub-units; self: only the holder's own records. */
  scope: text('scope').notNull(),
  permissions: jsonb('permissions').$type<string[]>().notNull(),
  builtin: boolean('builtin').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const roleAssignments = pgTable(
  'role_assignments',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roleCode: text('role_code')
      .notNull()
      .references(() => roles.code),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('role_assignments_uq').on(t.userId, t.roleCode), index('role_assignments_role_idx').on(t.roleCode)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie token: a database leak does not hand out live sessions. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    /** false until the second factor is given, for accounts that have one. */
    mfaPassed: boolean('mfa_passed').notNull().default(true),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Public part of the key, shown in lists (dqk_<prefix>_…). */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the secret part; the whole key is shown once at creation and never again. */
    secretHash: text('secret_hash').notNull(),
    name: text('name').notNull(),
    /** The account the key acts as; its permissions are the intersection of this account's and the scopes. */
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    scopes: jsonb('scopes').$type<string[]>().notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_keys_prefix_uq').on(t.prefix), index('api_keys_user_idx').on(t.userId)],
);
