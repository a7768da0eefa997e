// The shapes of the identity routes (sign-in, the signed-in account, account administration) as TypeBox
// schemas: validation, handler types, serialisation and the OpenAPI document all come from these.
import { AuditEntryFields } from '../../platform/audit/audit.routes';
import { Enum, Nullable, Page, Str, Text, Timestamp, Type } from '../../platform/http/schema';
import { ORG_KINDS } from '../org';

export const USER_KINDS = ['citizen', 'enterprise', 'staff'] as const;
export const LOCALES = ['zh-CN', 'en'] as const;
export const ROLE_SCOPES = ['city', 'district', 'department', 'self'] as const;

/** A role or permission code as a list item (role and scope lists). */
const Code64 = Text(64);
export const RoleCode = Type.String({ pattern: '^[a-z][a-z0-9_]{1,40}$' });
export const TotpCode = Type.Object({ code: Type.String({ pattern: '^\\d{6}$' }) });

/** An account as anyone but its owner's secrets may see it (AuthService.toPublic). */
export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  kind: Type.String({ description: 'citizen | enterprise | staff' }),
  orgId: Nullable(Type.String()),
  idNumberMasked: Nullable(Type.String()),
  phoneMasked: Nullable(Type.String()),
  locale: Type.String(),
  elderMode: Type.Boolean({ description: '适老化 elder mode of the portal, remembered per account' }),
  totpEnabled: Type.Boolean(),
  status: Type.String({ description: 'active | disabled' }),
  roles: Type.Array(Type.String()),
  lastLoginAt: Nullable(Timestamp),
  createdAt: Timestamp,
  locked: Type.Boolean({ description: 'Locked out for a while after repeated failed sign-ins' }),
});

/** A row of the account list: the account with its organisation's names. */
export const UserListItem = Type.Object({ ...UserSchema.properties, orgName: Nullable(Type.String()), orgNameEn: Nullable(Type.String()) });

/** What sign-in and registration answer (the session cookie is set alongside). */
export const LoginResult = Type.Object({
  user: UserSchema,
  mfaRequired: Type.Boolean({ description: 'The session is partial until the second factor is verified' }),
  csrfToken: Type.String(),
});

export const MeSchema = Type.Object({
  user: UserSchema,
  org: Nullable(Type.Object({ id: Type.String(), code: Type.String(), kind: Enum(ORG_KINDS), name: Type.String(), nameEn: Nullable(Type.String()) })),
  permissions: Type.Array(Type.String(), { description: 'Empty while the second factor is pending' }),
  roles: Type.Array(Type.String()),
  mfaPending: Type.Boolean(),
  csrfToken: Nullable(Type.String()),
});

/** An audit entry about the caller's own account: without the chain hashes. */
export const MyActivity = Type.Object({ items: Type.Array(Type.Object(AuditEntryFields)) });

export const TotpSetup = Type.Object({ secret: Type.String(), otpauthUri: Type.String({ description: 'otpauth:// URI for the authenticator app (QR code)' }) });

export const UserQuery = {
  q: Type.Optional(Str(100)),
  kind: Type.Optional(Enum(USER_KINDS)),
  orgId: Type.Optional(Type.String({ format: 'uuid' })),
  role: Type.Optional(Str(64)),
};

export const RoleList = Type.Array(Code64, { maxItems: 20, uniqueItems: true });
export const PermissionList = Type.Array(Code64, { maxItems: 200, uniqueItems: true });

export const NewUserBody = Type.Object({
  username: Str(64, 3),
  displayName: Text(100),
  kind: Enum(USER_KINDS),
  password: Text(256),
  orgId: Type.Optional(Type.String({ format: 'uuid' })),
  idNumber: Type.Optional(Str(18)),
  phone: Type.Optional(Str(11)),
  roles: RoleList,
});

export const RoleSchema = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  scope: Enum(ROLE_SCOPES),
  permissions: Type.Array(Type.String()),
  builtin: Type.Boolean(),
});

export const PermissionSchema = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() });

export const ApiKeySchema = Type.Object({
  id: Type.String(),
  prefix: Type.String({ description: 'Public part of the key (dqk_<prefix>_…)' }),
  name: Type.String(),
  userId: Type.String(),
  username: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Timestamp,
  expiresAt: Nullable(Timestamp),
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
});

export const UserPage = Page(UserListItem);
export const ApiKeyPage = Page(ApiKeySchema);

export const NewApiKey = Type.Object({ id: Type.String(), key: Type.String({ description: 'The whole key: shown in this response only' }), prefix: Type.String() });
