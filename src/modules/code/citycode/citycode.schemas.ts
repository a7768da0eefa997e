// TypeBox shapes of the city-code API: what the routes validate and what the service's rooms answer
// (citycode.person.ts, citycode.terminals.ts, citycode.settings.ts, citycode.scan.ts; the views in
// citycode.model.ts). Text columns the service hands back as plain strings stay strings here.
import { DateString, Dict, Enum, Nullable, Page, Str, Timestamp, Type } from '../../../platform/http/schema';
import { CARD_KINDS, SCENARIOS, SUBJECT_FIELD_NAMES } from './policies';

const HEALTH = ['green', 'yellow', 'red'] as const;

export const ScenarioSchema = Enum(SCENARIOS);
const FieldList = Type.Array(Enum(SUBJECT_FIELD_NAMES), { uniqueItems: true, maxItems: SUBJECT_FIELD_NAMES.length });
const HealthList = Type.Array(Enum(HEALTH), { uniqueItems: true, maxItems: 3 });

// ---- the person ------------------------------------------------------------------------------------------

const Card = Type.Object({ kind: Enum(CARD_KINDS), ref: Type.String() });

/** GET /api/code/me: a fresh code, or the frozen state (payload and times null, no kid or issuer). */
export const MyCode = Type.Object({
  subject: Type.String({ description: 'the pseudonym the code carries' }),
  health: Type.String({ description: 'green | yellow | red' }),
  cards: Type.Array(Card),
  frozen: Type.Boolean(),
  frozenAt: Nullable(Timestamp),
  payload: Nullable(Type.String({ description: 'the CC1 code to show as a QR code; null while frozen' })),
  kid: Type.Optional(Type.String()),
  issuer: Type.Optional(Type.String()),
  issuedAt: Nullable(Timestamp),
  expiresAt: Nullable(Timestamp),
  refreshAfter: Nullable(Timestamp),
});

export const Frozen = Type.Object({ frozen: Type.Boolean(), frozenAt: Timestamp });
export const Unfrozen = Type.Object({ frozen: Type.Boolean(), validFrom: Timestamp });

export const UnfreezeBody = Type.Object({ password: Str(200, 1) });

export const ScanLogEntry = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  terminalName: Type.String(),
  scenario: Type.String(),
  place: Type.String(),
  district: Nullable(Type.String()),
  decision: Type.String({ description: 'pass | refuse' }),
  reason: Type.String(),
});

// ---- terminals -------------------------------------------------------------------------------------------

const terminalFields = {
  id: Type.String(),
  name: Type.String(),
  place: Type.String(),
  district: Nullable(Type.String()),
  ownerOrgId: Type.String(),
  scenario: Type.String(),
  active: Type.Boolean(),
  keyPrefix: Nullable(Type.String()),
  createdAt: Timestamp,
  deactivatedAt: Nullable(Timestamp),
};
export const Terminal = Type.Object(terminalFields);
/** In the list: with the owner organisation's name. */
export const ListedTerminal = Type.Object({ ...terminalFields, ownerOrgName: Nullable(Type.String()) });
/** Just registered: with the API key, shown this once. */
export const CreatedTerminal = Type.Object({ ...terminalFields, ownerOrgName: Type.String(), key: Type.String() });
/** After a key rotation: with the new API key, shown this once. */
export const RekeyedTerminal = Type.Object({ ...terminalFields, key: Type.String() });

export const TerminalsQuery = { scenario: Type.Optional(ScenarioSchema), active: Type.Optional(Type.Boolean()) };

export const CreateTerminalBody = Type.Object({
  name: Str(100, 1),
  place: Str(200, 1),
  district: Type.Optional(Str(50)),
  scenario: ScenarioSchema,
  ownerOrgId: Type.Optional(Type.String({ format: 'uuid' })),
});

export const UpdateTerminalBody = Type.Object(
  {
    name: Type.Optional(Str(100, 1)),
    place: Type.Optional(Str(200, 1)),
    district: Type.Optional(Nullable(Str(50))),
    scenario: Type.Optional(ScenarioSchema),
    active: Type.Optional(Type.Boolean()),
  },
  { minProperties: 1 },
);

// ---- policies and settings -------------------------------------------------------------------------------

export const PolicySchema = Type.Object({
  scenario: ScenarioSchema,
  nameZh: Type.String(),
  nameEn: Type.String(),
  discloses: Type.Array(Enum(SUBJECT_FIELD_NAMES)),
  requires: Type.Array(Enum(SUBJECT_FIELD_NAMES)),
  refuseHealth: Type.Array(Enum(HEALTH)),
});

export const Policies = Type.Object({ items: Type.Array(PolicySchema), fields: Type.Array(Enum(SUBJECT_FIELD_NAMES)) });

export const PolicyParams = Type.Object({ scenario: ScenarioSchema });
export const PolicyBody = Type.Object({ discloses: FieldList, requires: FieldList, refuseHealth: HealthList });

export const Settings = Type.Object({ issuerOrgCode: Type.String(), validitySeconds: Type.Integer(), skewSeconds: Type.Integer() });

export const SettingsBody = Type.Object(
  {
    issuerOrgCode: Type.Optional(Str(50, 1)),
    validitySeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 600 })),
    skewSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 900 })),
  },
  { minProperties: 1 },
);

// ---- scanning and statistics -----------------------------------------------------------------------------

export const TerminalInfo = Type.Object({ terminal: Terminal, policy: PolicySchema, skewSeconds: Type.Integer(), platformId: Type.String() });

export const ScanBody = Type.Object({ payload: Str(4096, 1) });

export const ScanAnswer = Type.Object({
  decision: Enum(['pass', 'refuse']),
  reason: Type.String({ description: "the verifier's reason; ok is the only passing one" }),
  message: Type.String(),
  scenario: ScenarioSchema,
  terminal: Type.Object({ id: Type.String(), name: Type.String(), place: Type.String() }),
  subject: Dict(Type.String()),
  issuer: Nullable(Type.String()),
  kid: Nullable(Type.String()),
  trustList: Nullable(Type.String()),
  warnings: Type.Array(Type.String()),
  local: Type.Boolean(),
  at: Timestamp,
});

const Agg = { pass: Type.Integer(), refuse: Type.Integer() };
export const Stats = Type.Object({
  from: Timestamp,
  days: Type.Integer(),
  total: Type.Object(Agg),
  byScenario: Type.Array(Type.Object({ scenario: Type.String(), ...Agg })),
  byReason: Type.Array(Type.Object({ decision: Type.String(), reason: Type.String(), n: Type.Integer() })),
  byDay: Type.Array(Type.Object({ day: DateString, ...Agg })),
  terminals: Type.Array(Type.Object({ scenario: Type.String(), active: Type.Integer(), total: Type.Integer() })),
});

export const ScanLogPage = Page(ScanLogEntry);
export const TerminalPage = Page(ListedTerminal);
