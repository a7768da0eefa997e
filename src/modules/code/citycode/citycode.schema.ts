// The city code's tables: pseudonymous subjects (sub → account, health colour, freeze state), fused cards,
// scanning terminals, scenario policies, the one-time ids already used (replay guard) and the scan log.
import { bigserial, boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** One row per person who ever had a code: the pseudonym the code carries, never the ID number. */
export const codeSubjects = pgTable(
  'code_subjects',
  {
    /** Base32 of an HMAC of the account id under a key derived from the master key (stable per person). */
    sub: text('sub').primaryKey(),
    userId: uuid('user_id').notNull(),
    /** green | yellow | red */
    health: text('health').notNull().default('green'),
    /** Set while the person has frozen their code (lost phone): every scan is refused. */
    frozenAt: timestamp('frozen_at', { withTimezone: true }),
    /** Codes issued before this instant are refused as frozen (set on unfreeze, so old screenshots stay dead). */
    validFrom: timestamp('valid_from', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('code_subjects_user_idx').on(t.userId)],
);

/** Cards fused into the code: social-security card, medical-insurance and bus accounts (opaque refs), meal account. */
export const codeCards = pgTable(
  'code_cards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    /** social-security | medical-insurance | bus | meal */
    kind: text('kind').notNull(),
    ref: text('ref').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('code_cards_user_kind_idx').on(t.userId, t.kind)],
);

export const codeTerminals = pgTable(
  'code_terminals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    place: text('place').notNull(),
    district: text('district'),
    ownerOrgId: uuid('owner_org_id').notNull(),
    /** bus | hospital | canteen | hall — selects the policy (code_policies). */
    scenario: text('scenario').notNull(),
    active: boolean('active').notNull().default(true),
    /** The terminal's platform API key (api_keys.id); only its hash is kept there. */
    apiKeyId: uuid('api_key_id'),
    keyPrefix: text('key_prefix'),
    /** The terminal's service account (role code_terminal, in the owner organisation). */
    serviceUserId: uuid('service_user_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('code_terminals_api_key_idx').on(t.apiKeyId),
    index('code_terminals_scenario_idx').on(t.scenario, t.active),
    index('code_terminals_created_idx').on(t.createdAt),
  ],
);

/** What a terminal of each scenario is told on a pass (data, editable by the bureau). */
export const codePolicies = pgTable('code_policies', {
  scenario: text('scenario').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  /** Subject fields disclosed to the terminal (see policies.ts for the vocabulary). */
  discloses: jsonb('discloses').notNull().$type<string[]>(),
  /** Fields that must be available, else the scan is refused (scenario-not-allowed). */
  requires: jsonb('requires').notNull().$type<string[]>(),
  /** Health colours refused in this scenario. */
  refuseHealth: jsonb('refuse_health').notNull().$type<string[]>(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
});

/** One-time ids already presented (the replay guard); purged once past their expiry plus the skew. */
export const codeSeen = pgTable(
  'code_seen',
  {
    cti: text('cti').primaryKey(),
    exp: timestamp('exp', { withTimezone: true }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('code_seen_exp_idx').on(t.exp)],
);

/** Every scan, passed or refused: what the person sees under "where was my code scanned". */
export const codeScans = pgTable(
  'code_scans',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    terminalId: uuid('terminal_id').notNull(),
    terminalName: text('terminal_name').notNull(),
    scenario: text('scenario').notNull(),
    place: text('place').notNull(),
    district: text('district'),
    /** The code's subject and issuer when the payload decoded that far. */
    sub: text('sub'),
    issuer: text('issuer'),
    /** The local account, when the code is this platform's own. */
    userId: uuid('user_id'),
    decision: text('decision').notNull(),
    reason: text('reason').notNull(),
    kid: text('kid'),
    trustList: text('trust_list'),
  },
  (t) => [
    index('code_scans_user_idx').on(t.userId, t.at),
    index('code_scans_at_idx').on(t.at),
    index('code_scans_terminal_idx').on(t.terminalId, t.at),
  ],
);
