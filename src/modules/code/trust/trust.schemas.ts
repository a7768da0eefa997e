// TypeBox shapes of the trust API: what the routes validate and what the service's rooms answer (the views
// in trust.model.ts, the list and sources from lib/verifier's types).
//
// Trust lists are documents other platforms publish and fetch: a partner's list is handed on as it was
// verified, so the list objects keep any member this schema does not name (additionalProperties), and
// their times stay the text the list carries. Keys are typed as the JsonWebKey the service returns, with
// the members our own keys always have required.
import type { TrustList, TrustSource } from '../../../lib/verifier';
import { Enum, Nullable, Page, Str, Timestamp, Type } from '../../../platform/http/schema';
import { ISSUING_USES, LIST_USE, type PublishedList } from './trust.model';

const KEY_STATES = ['current', 'retired', 'expired'] as const;
const PARTNER_STATES = ['fresh', 'warn', 'stale', 'untrusted'] as const;

// ---- keys --------------------------------------------------------------------------------------------------

const ecMembers = {
  kty: Type.String({ description: 'EC' }),
  crv: Type.String({ description: 'P-256' }),
  x: Type.String(),
  y: Type.String(),
};
/** An EC P-256 public key as stored (kty, crv, x, y only). */
export const PublicJwk = Type.Unsafe<JsonWebKey>(Type.Object(ecMembers, { description: 'EC P-256 public key (kty, crv, x, y)' }));

/** The list-signing key as partners pin it. */
export const ListKeyJwk = Type.Unsafe<JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' }>(
  Type.Object({ ...ecMembers, kid: Type.String(), alg: Type.Literal('ES256'), use: Type.Literal('sig') }, { description: 'The trust-list key (JWK with its kid): what partners pin' }),
);

/** JWKS (RFC 7517) of the issuing keys that still verify, each naming its issuer. */
export const Jwks = Type.Object({
  keys: Type.Array(
    Type.Unsafe<JsonWebKey & { kid: string; alg: string; use: string; iss: string; key_ops: string[] }>(
      Type.Object({ ...ecMembers, kid: Type.String(), alg: Type.String(), use: Type.String(), key_ops: Type.Array(Type.String()), iss: Type.String() }),
    ),
  ),
});

export const KeyViewSchema = Type.Object({
  id: Type.String(),
  orgCode: Type.String(),
  orgName: Nullable(Type.String()),
  orgNameEn: Nullable(Type.String()),
  issuer: Type.String(),
  use: Enum([...ISSUING_USES, LIST_USE]),
  kid: Type.String(),
  state: Enum(KEY_STATES, { description: 'current: signing now; retired: verifying until notAfter; expired: past notAfter (no longer listed)' }),
  notBefore: Timestamp,
  notAfter: Nullable(Timestamp),
  createdAt: Timestamp,
  publicJwk: PublicJwk,
});

export const KeysQuery = {
  orgCode: Type.Optional(Str(64, 1)),
  use: Type.Optional(Enum([...ISSUING_USES, LIST_USE])),
  state: Type.Optional(Enum(KEY_STATES)),
};

export const RotateBody = Type.Object({ orgCode: Str(64, 1), use: Enum(ISSUING_USES) }, { additionalProperties: false });
export const Rotated = Type.Object({ key: KeyViewSchema, retired: Nullable(KeyViewSchema) });

// ---- settings ----------------------------------------------------------------------------------------------

const seconds = (min: number, max: number) => Type.Integer({ minimum: min, maximum: max });

export const TrustSettingsSchema = Type.Object({
  overlapSeconds: Type.Object({ 'city-code': Type.Integer(), certificate: Type.Integer(), 'status-list': Type.Integer() }),
  listValiditySeconds: Type.Integer(),
  graceSeconds: Type.Integer(),
  refreshIntervalSeconds: Type.Integer(),
  fetchTimeoutMs: Type.Integer(),
  maxListBytes: Type.Integer(),
});

export const TrustSettingsBody = Type.Object(
  {
    overlapSeconds: Type.Optional(
      Type.Object(
        { 'city-code': Type.Optional(seconds(60, 3650 * 86400)), certificate: Type.Optional(seconds(60, 3650 * 86400)), 'status-list': Type.Optional(seconds(60, 3650 * 86400)) },
        { additionalProperties: false },
      ),
    ),
    listValiditySeconds: Type.Optional(seconds(3600, 30 * 86400)),
    graceSeconds: Type.Optional(seconds(0, 30 * 86400)),
    refreshIntervalSeconds: Type.Optional(seconds(300, 7 * 86400)),
    fetchTimeoutMs: Type.Optional(seconds(1000, 60_000)),
    maxListBytes: Type.Optional(seconds(10_000, 10 * 1024 * 1024)),
  },
  { additionalProperties: false },
);

// ---- trust lists -------------------------------------------------------------------------------------------

const open = { additionalProperties: true } as const;

/** A signed trust list's body (lib/verifier TrustList), as published or as a partner's list was verified. */
export const TrustListSchema = Type.Unsafe<TrustList>(
  Type.Object(
    {
      version: Type.Literal(1),
      platform: Type.Object({ id: Type.String(), name: Type.String(), nameEn: Type.Optional(Type.String()), url: Type.String() }, open),
      seq: Type.Integer(),
      issuedAt: Type.String({ description: 'RFC 3339, as the list says' }),
      nextUpdate: Type.String({ description: 'RFC 3339, as the list says' }),
      keys: Type.Array(
        Type.Object(
          {
            kid: Type.String(),
            issuer: Type.String(),
            issuerName: Type.String(),
            uses: Type.Array(Enum(ISSUING_USES)),
            jwk: Type.Unsafe<JsonWebKey>(Type.Object(ecMembers, open)),
            notBefore: Type.String(),
            notAfter: Nullable(Type.String()),
          },
          open,
        ),
      ),
    },
    { ...open, description: 'The trust list body (JWS payload)' },
  ),
);

/**
 * GET /api/trust/list: `{ jws, list, listId }` as JSON, or the bare compact JWS when the caller asks for
 * application/jose. Fastify picks the serializer by the answer's content type; the JWS text is sent as is.
 */
export const PublishedListAnswer = Type.Unsafe<Pick<PublishedList, 'jws' | 'list' | 'listId'> | string>({
  description: "This platform's signed trust list",
  content: {
    'application/json': { schema: Type.Object({ jws: Type.String({ description: 'JWS compact (ES256), typ dq-trust-list+jwt' }), list: TrustListSchema, listId: Type.String() }) },
    'application/jose': { schema: { type: 'string', description: 'The JWS compact serialisation' } },
  },
});

/** 304: the list is the one the caller's ETag names. */
export const NotModified = Type.Unsafe<void | null | undefined>({ type: 'null', description: 'Not modified' });

export const Sources = Type.Object({
  items: Type.Array(
    Type.Unsafe<TrustSource & { jws: string }>(
      Type.Object({
        list: TrustListSchema,
        listId: Type.String(),
        signerKid: Type.String(),
        own: Type.Boolean(),
        fetchedAt: Type.Optional(Timestamp),
        untrusted: Type.Optional(Type.Object({ reason: Type.String() })),
        jws: Type.String(),
      }),
    ),
  ),
  graceSeconds: Type.Integer(),
});

// ---- partners ----------------------------------------------------------------------------------------------

const partnerFields = {
  id: Type.String(),
  name: Type.String(),
  url: Nullable(Type.String()),
  platformId: Type.String(),
  platformName: Type.String(),
  pinnedKid: Type.String(),
  pinnedJwk: PublicJwk,
  state: Enum(PARTNER_STATES),
  untrustedReason: Nullable(Type.String({ description: 'deactivated, or pin-mismatch: …' })),
  active: Type.Boolean(),
  seq: Type.Integer(),
  listId: Type.String(),
  issuedAt: Type.String({ description: "the held list's issuedAt" }),
  nextUpdate: Type.String({ description: "the held list's nextUpdate" }),
  keyCount: Type.Integer(),
  issuers: Type.Array(Type.String()),
  lastFetchedAt: Nullable(Timestamp),
  acceptedAt: Timestamp,
  lastError: Nullable(Type.String()),
  lastErrorAt: Nullable(Timestamp),
  createdAt: Timestamp,
  deactivatedAt: Nullable(Timestamp),
};
export const PartnerViewSchema = Type.Object(partnerFields);
export const PartnerWithList = Type.Object({ ...partnerFields, list: TrustListSchema });
export const PartnerPage = Page(PartnerViewSchema);
export const KeyPage = Page(KeyViewSchema);

const b64u = Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$' });
/** The partner's list key as given (extra JWK members are accepted; only kty, crv, x, y are kept). */
const PinnedJwkBody = Type.Object({
  kty: Type.Literal('EC'),
  crv: Type.Literal('P-256'),
  x: b64u,
  y: b64u,
  kid: Type.Optional(Str(200)),
  alg: Type.Optional(Str(20)),
  use: Type.Optional(Str(20)),
  key_ops: Type.Optional(Type.Array(Str(30), { maxItems: 8 })),
});

export const RegisterPartnerBody = Type.Object(
  {
    name: Str(200, 1),
    url: Type.Optional(Type.String({ maxLength: 2000, pattern: '^https?://' })),
    trustListJws: Type.Optional(Str(2_000_000, 10)),
    pinnedJwk: PinnedJwkBody,
  },
  { additionalProperties: false },
);

/** The refresh body is optional (a partner with a URL is fetched); an upload-only partner sends its new list. */
export const RefreshBody = Type.Unsafe<{ trustListJws?: string } | null | undefined>({
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { trustListJws: Str(2_000_000, 10) },
});
