// TypeBox shapes of the catalogue routes (svc.routes.ts): what staff send (with the limits the API
// enforces) and what the service answers (items, versions, search pages, browse facets, structure).
import { Dict, Enum, Nullable, Str, TabularFile, Timestamp, Type } from '../../platform/http/schema';
import { FIELD_TYPES } from './form';
import { UPLOAD_TYPES } from './materials';
import { APPLICANT_TYPE_CODES, HANDLING_MODE_CODES, ITEM_KIND_CODES, ITEM_STATUSES } from './model';

/** The catalogue as CSV (UTF-8) or Excel, streamed (the export). */
export const CatalogueFile = TabularFile('The catalogue as CSV (UTF-8) or Excel, streamed');

export const ZONE_CATEGORIES = ['audience', 'life_event', 'topic'] as const;

// ---- what staff send ---------------------------------------------------------------------------------

const Text2In = Type.Object({ zh: Str(200, 1), en: Str(200, 1) });

const FieldIn = Type.Object({
  key: Str(40, 1),
  label: Text2In,
  type: Enum(FIELD_TYPES),
  required: Type.Optional(Type.Boolean()),
  validation: Type.Optional(
    Type.Object({
      min: Type.Optional(Type.Number()),
      max: Type.Optional(Type.Number()),
      pattern: Type.Optional(Str(200, 1)),
      options: Type.Optional(Type.Array(Type.Object({ value: Str(60, 1), label: Text2In }), { maxItems: 200 })),
      minDate: Type.Optional(Str(10, 10)),
      maxDate: Type.Optional(Str(10, 10)),
    }),
  ),
  help: Type.Optional(Text2In),
});
export const FormIn = Type.Object({ fields: Type.Array(FieldIn, { maxItems: 100 }) });

const MaterialIn = Type.Object({
  key: Str(40, 1),
  name: Str(100, 1),
  required: Type.Boolean(),
  upload: Nullable(Type.Object({ types: Type.Array(Enum(UPLOAD_TYPES), { minItems: 1, uniqueItems: true }), maxSizeMb: Type.Number({ exclusiveMinimum: 0, maximum: 50 }) })),
  certificateType: Nullable(Type.String({ maxLength: 60 })),
  note: Type.Optional(Str(200)),
});

const FeesIn = Type.Object({
  free: Type.Boolean(),
  items: Type.Array(Type.Object({ name: Str(100, 1), amountYuan: Type.Number({ minimum: 0, maximum: 1e7 }), basis: Str(300) }), { maxItems: 20 }),
});

const Days = Type.Integer({ minimum: 0, maximum: 3650 });
/** The required part of a definition (a new item must give these). */
const definitionCore = {
  name: Str(100, 1),
  kind: Enum(ITEM_KIND_CODES),
  applicantType: Enum(APPLICANT_TYPE_CODES),
  legalDays: Days,
  promisedDays: Days,
  mode: Enum(HANDLING_MODE_CODES),
};
const definitionRest = {
  description: Type.Optional(Str(4000)),
  keywords: Type.Optional(Type.Array(Str(30, 1), { maxItems: 30 })),
  materials: Type.Optional(Type.Array(MaterialIn, { maxItems: 50 })),
  form: Type.Optional(FormIn),
  fees: Type.Optional(FeesIn),
  legalBasis: Type.Optional(Str(2000)),
  zones: Type.Optional(Type.Array(Str(40, 1), { maxItems: 20, uniqueItems: true })),
};

export const NewItemBody = Type.Object({ ...definitionCore, ...definitionRest, ownerOrgId: Type.String({ format: 'uuid' }) });
export const ItemPatchBody = Type.Object(
  {
    name: Type.Optional(definitionCore.name),
    kind: Type.Optional(definitionCore.kind),
    applicantType: Type.Optional(definitionCore.applicantType),
    legalDays: Type.Optional(Days),
    promisedDays: Type.Optional(Days),
    mode: Type.Optional(definitionCore.mode),
    ...definitionRest,
  },
  { minProperties: 1 },
);

export const ZoneBody = Type.Object({
  code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
  name: Str(30, 1),
  nameEn: Str(60, 1),
  category: Enum(ZONE_CATEGORIES),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  active: Type.Optional(Type.Boolean()),
});

export const BundleBody = Type.Object({
  code: Type.String({ pattern: '^[A-Z0-9-]{2,40}$' }),
  name: Str(60, 1),
  description: Type.Optional(Str(1000)),
  zone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  form: Type.Optional(FormIn),
  items: Type.Array(Type.Object({ itemId: Type.String({ format: 'uuid' }), fieldMap: Type.Optional(Dict(Type.String({ maxLength: 40 }))) }), { minItems: 1, maxItems: 30 }),
  status: Type.Optional(Enum(['published', 'retired'])),
});

// ---- what the service answers ------------------------------------------------------------------------

const Text2 = Type.Object({ zh: Type.String(), en: Type.String() });

export const FormSchema = Type.Object({
  fields: Type.Array(
    Type.Object({
      key: Type.String(),
      label: Text2,
      type: Enum(FIELD_TYPES),
      required: Type.Optional(Type.Boolean()),
      validation: Type.Optional(
        Type.Object({
          min: Type.Optional(Type.Number()),
          max: Type.Optional(Type.Number()),
          pattern: Type.Optional(Type.String()),
          options: Type.Optional(Type.Array(Type.Object({ value: Type.String(), label: Text2 }))),
          minDate: Type.Optional(Type.String()),
          maxDate: Type.Optional(Type.String()),
        }),
      ),
      help: Type.Optional(Text2),
    }),
  ),
});

const MaterialSchema = Type.Object({
  key: Type.String(),
  name: Type.String(),
  required: Type.Boolean(),
  upload: Nullable(Type.Object({ types: Type.Array(Enum(UPLOAD_TYPES)), maxSizeMb: Type.Number() })),
  certificateType: Nullable(Type.String()),
  note: Type.Optional(Type.String()),
});

const FeesSchema = Type.Object({ free: Type.Boolean(), items: Type.Array(Type.Object({ name: Type.String(), amountYuan: Type.Number(), basis: Type.String() })) });

/** ItemDefinition: what staff edit and a published version freezes. */
const definitionProps = {
  name: Type.String(),
  kind: Enum(ITEM_KIND_CODES),
  applicantType: Enum(APPLICANT_TYPE_CODES),
  legalDays: Type.Integer(),
  promisedDays: Type.Integer(),
  mode: Enum(HANDLING_MODE_CODES),
  description: Type.String(),
  keywords: Type.Array(Type.String()),
  materials: Type.Array(MaterialSchema),
  form: FormSchema,
  fees: FeesSchema,
  legalBasis: Type.String(),
  zones: Type.Array(Type.String()),
};

const CodeName = Type.Object({ code: Type.String(), name: Type.String() });

/** ItemSummary */
const summaryProps = {
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  kind: Enum(ITEM_KIND_CODES),
  applicantType: Enum(APPLICANT_TYPE_CODES),
  mode: Enum(HANDLING_MODE_CODES),
  legalDays: Type.Integer(),
  promisedDays: Type.Integer(),
  owner: Nullable(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })),
  districtCode: Nullable(Type.String()),
  zones: Type.Array(Type.String()),
  status: Enum(ITEM_STATUSES),
  version: Nullable(Type.Integer()),
  popularity: Type.Integer(),
  isDemo: Type.Boolean(),
};

const itemProps = {
  ...summaryProps,
  ...definitionProps,
  pending: Nullable(Type.Partial(Type.Object(definitionProps))),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const ItemSchema = Type.Object(itemProps);

export const ItemWithVersions = Type.Object({ ...itemProps, versions: Type.Array(Type.Object({ version: Type.Integer(), publishedAt: Timestamp })) });

export const PublicItem = Type.Object({ ...itemProps, bundles: Type.Array(CodeName), halls: Type.Array(Type.String()) });

export const ItemVersion = Type.Object({
  ...definitionProps,
  code: Type.String(),
  ownerOrgId: Type.String(),
  districtCode: Nullable(Type.String()),
  version: Type.Integer(),
  publishedAt: Timestamp,
});

export const SearchPage = Type.Object({
  items: Type.Array(Type.Object({ ...summaryProps, score: Type.Number(), highlight: Type.Array(Type.Object({ text: Type.String(), match: Type.Boolean() })) })),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  /** Abbreviations found in the query and what they were expanded to. */
  expanded: Type.Array(Type.Object({ term: Type.String(), expansions: Type.Array(Type.String()) })),
});

const itemsOf = <T extends Parameters<typeof Type.Array>[0]>(t: T) => Type.Object({ items: Type.Array(t) });

export const Departments = itemsOf(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), items: Type.Integer() }));

export const Halls = itemsOf(Type.Object({ id: Type.String(), districtCode: Type.String(), name: Type.String(), address: Type.String(), ownItems: Type.Integer(), cityItems: Type.Integer() }));

export const Zones = itemsOf(
  Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), nameEn: Type.String(), category: Type.String(), items: Type.Integer(), bundles: Type.Array(CodeName) }),
);

export const Bundles = itemsOf(
  Type.Object({
    id: Type.String(),
    code: Type.String(),
    name: Type.String(),
    description: Type.String(),
    zone: Nullable(Type.String()),
    items: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), position: Type.Integer() })),
  }),
);

export const BundleSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  zone: Nullable(Type.String()),
  form: FormSchema,
  items: Type.Array(
    Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), position: Type.Integer(), fieldMap: Dict(Type.String()), status: Type.String() }),
  ),
});

export const CertificateTypes = itemsOf(Type.Object({ name: Type.String(), department: Type.String(), holder: Type.String() }));

export const Counts = Type.Object({ byStatus: Dict(Type.Integer()), departments: Type.Integer(), districts: Type.Integer() });

export const ZoneSchema = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), nameEn: Type.String(), category: Type.String(), sort: Type.Integer(), active: Type.Boolean() });

export const HallItems = Type.Object({ districtCode: Type.String(), cityItems: Type.Integer() });

export const BundleSaved = Type.Object({ id: Type.String(), code: Type.String(), created: Type.Boolean() });

export const Synonym = Type.Object({ term: Type.String(), expansions: Type.Array(Type.String()) });

export const ImportReport = Type.Object({
  mode: Enum(['valid', 'all']),
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  accepted: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  published: Type.Integer(),
  written: Type.Boolean(),
  rejected: Type.Array(Type.Object({ row: Type.Integer(), field: Type.String(), message: Type.String() })),
});
