// The TypeBox shapes of the catalogue's and the directory's routes: what they accept and what they answer
// (the views of catalogue.core.ts).
import { DateString, Enum, Nullable, Str, Timestamp, Type, Uuid } from '../../../platform/http/schema';
import {
  BASIC_KINDS, CATEGORIES, FORMATS, GRADES, ITEM_TYPES, MEMBER_LEVELS, OPENING_TYPES, PERSONAL_KINDS, RESOURCE_STATES,
  SHARING_METHODS, SHARING_TYPES, UPDATE_CYCLES,
} from './catalogue.core';

const NullableStr = (max: number) => Nullable(Str(max));

// ---- directory ---------------------------------------------------------------------------------------------

export const MemberSchema = Type.Object({
  id: Type.String(),
  instance: Type.String(),
  class: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  level: Enum(MEMBER_LEVELS),
  orgId: Nullable(Type.String()),
  external: Type.Boolean(),
  contact: Nullable(Type.String()),
  xroadId: Type.String({ description: 'instance/class/code' }),
  createdAt: Timestamp,
});

export const SubsystemSchema = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  xroadId: Type.String({ description: 'instance/class/member code/subsystem code' }),
  createdAt: Timestamp,
});

export const MemberListItem = Type.Object({ ...MemberSchema.properties, subsystems: Type.Integer({ description: 'How many subsystems the member has' }) });
export const MemberDetail = Type.Object({ ...MemberSchema.properties, subsystems: Type.Array(SubsystemSchema), canManage: Type.Boolean() });
export const SubsystemListItem = Type.Object({ ...SubsystemSchema.properties, memberName: Type.String(), memberCode: Type.String() });
/** A subsystem with its member (how a resource names the subsystem that serves it). */
const SubsystemWithMember = Type.Object({ ...SubsystemSchema.properties, member: MemberSchema });

export const MemberQuery = {
  q: Type.Optional(Str(100)),
  level: Type.Optional(Enum(MEMBER_LEVELS)),
  external: Type.Optional(Type.Boolean()),
  orgId: Type.Optional(Uuid),
};

export const NewMemberBody = Type.Object({
  instance: Type.String({ pattern: '^CN(-\\d{6})?$', maxLength: 9 }),
  class: Enum(['GOV', 'COM']),
  code: Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,19}$' }),
  name: Str(200, 1),
  nameEn: Type.Optional(NullableStr(200)),
  level: Enum(MEMBER_LEVELS),
  contact: Type.Optional(NullableStr(300)),
});

export const NewSubsystemBody = Type.Object({
  memberId: Uuid,
  code: Type.String({ pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 50 }),
  name: Str(200, 1),
  description: Type.Optional(NullableStr(2000)),
});

// ---- resources ---------------------------------------------------------------------------------------------

/** A data item as the catalogue answers it (normalised: flags only when set). */
export const DataItemSchema = Type.Object({
  name: Type.String(),
  label: Type.String(),
  type: Enum(ITEM_TYPES),
  key: Type.Optional(Type.Boolean()),
  required: Type.Optional(Type.Boolean()),
  personal: Type.Optional(Nullable(Enum(PERSONAL_KINDS))),
  change: Type.Optional(Type.Boolean()),
});

/** A data item as a body sends it. */
const DataItemBody = Type.Object({
  name: Str(63, 1),
  label: Str(100, 1),
  type: Enum(ITEM_TYPES),
  key: Type.Optional(Type.Boolean()),
  required: Type.Optional(Type.Boolean()),
  personal: Type.Optional(Nullable(Enum(PERSONAL_KINDS))),
  change: Type.Optional(Type.Boolean()),
});

const RelatedCode = Type.String({ pattern: '^\\d{6}-[A-Z0-9-]{2,20}-\\d{5}$' });

/** The editable fields as a body sends them (each optional here; the create body requires some). */
const fieldProps = {
  name: Str(200, 1),
  summary: Str(4000),
  category: Enum(CATEGORIES),
  basicKind: Nullable(Enum(BASIC_KINDS)),
  classification: Str(300),
  format: Enum(FORMATS),
  items: Type.Array(DataItemBody, { maxItems: 300 }),
  sharingType: Enum(SHARING_TYPES),
  sharingCondition: NullableStr(2000),
  sharingMethod: Enum(SHARING_METHODS),
  openingType: Enum(OPENING_TYPES),
  updateCycle: Enum(UPDATE_CYCLES),
  relatedCodes: Type.Array(RelatedCode, { maxItems: 50, uniqueItems: true }),
  grade: Enum(GRADES),
  legalBasis: NullableStr(2000),
  providerSubsystemId: Nullable(Uuid),
};
const optional = <K extends keyof typeof fieldProps>(k: K) => Type.Optional(fieldProps[k]);

export const NewResourceBody = Type.Object({
  name: fieldProps.name,
  summary: optional('summary'),
  category: fieldProps.category,
  basicKind: optional('basicKind'),
  classification: optional('classification'),
  format: fieldProps.format,
  items: optional('items'),
  sharingType: fieldProps.sharingType,
  sharingCondition: optional('sharingCondition'),
  sharingMethod: fieldProps.sharingMethod,
  openingType: fieldProps.openingType,
  updateCycle: fieldProps.updateCycle,
  relatedCodes: optional('relatedCodes'),
  grade: fieldProps.grade,
  legalBasis: optional('legalBasis'),
  providerSubsystemId: optional('providerSubsystemId'),
  providerMemberId: Type.Optional(Uuid),
});

export const ResourcePatchBody = Type.Object(
  {
    name: optional('name'),
    summary: optional('summary'),
    category: optional('category'),
    basicKind: optional('basicKind'),
    classification: optional('classification'),
    format: optional('format'),
    items: optional('items'),
    sharingType: optional('sharingType'),
    sharingCondition: optional('sharingCondition'),
    sharingMethod: optional('sharingMethod'),
    openingType: optional('openingType'),
    updateCycle: optional('updateCycle'),
    relatedCodes: optional('relatedCodes'),
    grade: optional('grade'),
    legalBasis: optional('legalBasis'),
    providerSubsystemId: optional('providerSubsystemId'),
    note: Type.Optional(Str(500)),
  },
  { minProperties: 1 },
);

export const ResourceQuery = {
  q: Type.Optional(Str(100)),
  category: Type.Optional(Enum(CATEGORIES)),
  basicKind: Type.Optional(Enum(BASIC_KINDS)),
  grade: Type.Optional(Enum(GRADES)),
  sharingType: Type.Optional(Enum(SHARING_TYPES)),
  providerMemberId: Type.Optional(Uuid),
  state: Type.Optional(Enum(RESOURCE_STATES)),
};

/** The editable fields as the catalogue answers them (a version snapshot). */
export const ResourceFieldsSchema = Type.Object({
  name: Type.String(),
  summary: Type.String(),
  category: Enum(CATEGORIES),
  basicKind: Nullable(Enum(BASIC_KINDS)),
  classification: Type.String(),
  format: Enum(FORMATS),
  items: Type.Array(DataItemSchema),
  sharingType: Enum(SHARING_TYPES),
  sharingCondition: Nullable(Type.String()),
  sharingMethod: Enum(SHARING_METHODS),
  openingType: Enum(OPENING_TYPES),
  updateCycle: Enum(UPDATE_CYCLES),
  relatedCodes: Type.Array(Type.String()),
  grade: Enum(GRADES),
  legalBasis: Nullable(Type.String()),
  providerSubsystemId: Nullable(Type.String()),
});

/** What a search hit and the view share beyond the editable fields. */
const resourceMeta = {
  id: Type.String(),
  code: Type.String(),
  state: Type.String({ description: RESOURCE_STATES.join(' | ') }),
  version: Type.Integer(),
  draftVersion: Nullable(Type.Integer()),
  providerMemberId: Type.String(),
  providerName: Type.String(),
  providerOrgId: Nullable(Type.String()),
  publishDate: Nullable(DateString),
  itemCount: Type.Integer(),
  updatedAt: Timestamp,
};

export const ResourceSummarySchema = Type.Object({
  ...resourceMeta,
  name: Type.String(),
  category: Type.String({ description: CATEGORIES.join(' | ') }),
  basicKind: Nullable(Type.String({ description: BASIC_KINDS.join(' | ') })),
  grade: Type.String({ description: GRADES.join(' | ') }),
  sharingType: Type.String({ description: SHARING_TYPES.join(' | ') }),
  openingType: Type.String({ description: OPENING_TYPES.join(' | ') }),
  updateCycle: Type.String({ description: UPDATE_CYCLES.join(' | ') }),
  format: Type.String({ description: FORMATS.join(' | ') }),
});

const VersionSummarySchema = Type.Object({
  version: Type.Integer(),
  state: Type.String({ description: 'draft | published | superseded | retired' }),
  note: Nullable(Type.String()),
  changedBy: Nullable(Type.String()),
  createdAt: Timestamp,
  publishedAt: Nullable(Timestamp),
});

const DraftSchema = Type.Object(
  { ...ResourceFieldsSchema.properties, version: Type.Integer(), note: Nullable(Type.String()), updatedAt: Timestamp },
  { description: 'The pending draft (version draftVersion) when the caller may manage the resource' },
);

export const ResourceViewSchema = Type.Object({
  ...resourceMeta,
  ...ResourceFieldsSchema.properties,
  providerMember: MemberSchema,
  providerSubsystem: Nullable(SubsystemWithMember),
  xroadServiceId: Nullable(Type.String({ description: 'The X-Road service id: <subsystem id>/<resource code>; null when the provider has no subsystem yet' })),
  draft: Nullable(DraftSchema),
  versions: Type.Array(VersionSummarySchema),
  canManage: Type.Boolean(),
  createdAt: Timestamp,
});

export const ResourceVersions = Type.Object({
  items: Type.Array(Type.Object({ ...VersionSummarySchema.properties, snapshot: ResourceFieldsSchema })),
});

const FacetCount = Type.Object({ value: Type.String(), count: Type.Integer() });
export const ResourceFacets = Type.Object({
  category: Type.Array(FacetCount),
  grade: Type.Array(FacetCount),
  sharingType: Type.Array(FacetCount),
  provider: Type.Array(Type.Object({ value: Type.String({ description: 'The provider member id' }), name: Type.String(), code: Type.String(), count: Type.Integer() })),
});
