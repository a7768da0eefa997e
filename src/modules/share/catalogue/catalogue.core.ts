// What the catalogue's rooms share: the vocabularies, the row types, the views the API answers with and
// the functions that make them from rows. The rooms: access (who may manage what, catalogue.access.ts),
// the directory of members and subsystems (catalogue.directory.ts), reading resources
// (catalogue.reading.ts), editing them (catalogue.editing.ts); the search document and the publish checks
// are in catalogue.rules.ts; the façade the rest of the application uses is catalogue.service.ts.
import type { DataItem } from '../contracts';
import type { shareMembers, shareResources, shareSubsystems } from './catalogue.schema';

export const MEMBER_LEVELS = ['city', 'district', 'province', 'national'] as const;
export const CATEGORIES = ['basic', 'thematic', 'departmental'] as const;
export const BASIC_KINDS = ['population', 'legal_person', 'natural_resources', 'credit', 'certificates'] as const;
export const FORMATS = ['table', 'file', 'api'] as const;
export const SHARING_TYPES = ['unconditional', 'conditional', 'none'] as const;
export const SHARING_METHODS = ['interface', 'file', 'query'] as const;
export const OPENING_TYPES = ['unconditional', 'conditional', 'none'] as const;
export const UPDATE_CYCLES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;
export const GRADES = ['core', 'important', 'general'] as const;
export const RESOURCE_STATES = ['draft', 'published', 'retired'] as const;
export const ITEM_TYPES = ['string', 'integer', 'decimal', 'date', 'datetime', 'boolean'] as const;
export const PERSONAL_KINDS = ['id_number', 'name', 'phone', 'address', 'date_of_birth', 'account'] as const;
export const ITEM_NAME = /^[a-z][a-z0-9_]{0,62}$/;
/** Resource code: <division code>-<provider member code>-<5-digit serial>, e.g. 370200-MZJ-00012. */
export const RESOURCE_CODE = /^\d{6}-[A-Z0-9-]{2,20}-\d{5}$/;

export type MemberLevel = (typeof MEMBER_LEVELS)[number];
export type MemberRow = typeof shareMembers.$inferSelect;
export type SubsystemRow = typeof shareSubsystems.$inferSelect;
export type ResourceRow = typeof shareResources.$inferSelect;

export interface Member {
  id: string;
  instance: string;
  class: string;
  code: string;
  name: string;
  nameEn: string | null;
  level: MemberLevel;
  orgId: string | null;
  external: boolean;
  contact: string | null;
  /** instance/class/code */
  xroadId: string;
  createdAt: string;
}

export interface Subsystem {
  id: string;
  memberId: string;
  code: string;
  name: string;
  description: string | null;
  xroadId: string;
  createdAt: string;
}

/** The editable catalogue fields of a resource (what a version snapshot holds). */
export interface ResourceFields {
  name: string;
  summary: string;
  category: (typeof CATEGORIES)[number];
  basicKind: (typeof BASIC_KINDS)[number] | null;
  classification: string;
  format: (typeof FORMATS)[number];
  items: DataItem[];
  sharingType: (typeof SHARING_TYPES)[number];
  sharingCondition: string | null;
  sharingMethod: (typeof SHARING_METHODS)[number];
  openingType: (typeof OPENING_TYPES)[number];
  updateCycle: (typeof UPDATE_CYCLES)[number];
  relatedCodes: string[];
  grade: (typeof GRADES)[number];
  legalBasis: string | null;
  providerSubsystemId: string | null;
}

export const FIELD_KEYS: (keyof ResourceFields)[] = [
  'name', 'summary', 'category', 'basicKind', 'classification', 'format', 'items', 'sharingType', 'sharingCondition',
  'sharingMethod', 'openingType', 'updateCycle', 'relatedCodes', 'grade', 'legalBasis', 'providerSubsystemId',
];

export type NewResource = Partial<ResourceFields> & Pick<ResourceFields, 'name' | 'category' | 'format' | 'sharingType' | 'sharingMethod' | 'openingType' | 'updateCycle' | 'grade'> & { providerMemberId?: string };

export interface ResourceSummary {
  id: string;
  code: string;
  name: string;
  state: string;
  version: number;
  draftVersion: number | null;
  category: string;
  basicKind: string | null;
  grade: string;
  sharingType: string;
  openingType: string;
  updateCycle: string;
  format: string;
  providerMemberId: string;
  providerName: string;
  providerOrgId: string | null;
  publishDate: string | null;
  itemCount: number;
  updatedAt: string;
}

export type ResourceView = Omit<ResourceSummary, keyof ResourceFields> & ResourceFields & {
  providerMember: Member;
  /** The serving subsystem with its member (as CatalogueDirectory.subsystem answers). */
  providerSubsystem: (Subsystem & { member: Member }) | null;
  /** The X-Road service id: <subsystem id>/<resource code>; null when the provider has no subsystem yet. */
  xroadServiceId: string | null;
  /** The pending draft (version draftVersion) when the caller may manage the resource. */
  draft: (ResourceFields & { version: number; note: string | null; updatedAt: string }) | null;
  versions: VersionSummary[];
  canManage: boolean;
  createdAt: string;
};

export interface VersionSummary {
  version: number;
  state: string;
  note: string | null;
  changedBy: string | null;
  createdAt: string;
  publishedAt: string | null;
}

export interface ResourceFilter {
  q?: string;
  category?: string;
  basicKind?: string;
  grade?: string;
  sharingType?: string;
  providerMemberId?: string;
  state?: string;
  limit: number;
  offset: number;
}

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function memberXroadId(m: Pick<MemberRow, 'instance' | 'class' | 'code'>): string {
  return `${m.instance}/${m.class}/${m.code}`;
}

export function toMember(r: MemberRow): Member {
  return {
    id: r.id,
    instance: r.instance,
    class: r.class,
    code: r.code,
    name: r.name,
    nameEn: r.nameEn,
    level: r.level as MemberLevel,
    orgId: r.orgId,
    external: r.external,
    contact: r.contact,
    xroadId: memberXroadId(r),
    createdAt: r.createdAt.toISOString(),
  };
}

export function toSubsystem(s: SubsystemRow, m: Pick<MemberRow, 'instance' | 'class' | 'code'>): Subsystem {
  return { id: s.id, memberId: s.memberId, code: s.code, name: s.name, description: s.description, xroadId: `${memberXroadId(m)}/${s.code}`, createdAt: s.createdAt.toISOString() };
}

export function fieldsOf(r: ResourceRow): ResourceFields {
  return {
    name: r.name,
    summary: r.summary,
    category: r.category as ResourceFields['category'],
    basicKind: r.basicKind as ResourceFields['basicKind'],
    classification: r.classification,
    format: r.format as ResourceFields['format'],
    items: (r.items ?? []) as DataItem[],
    sharingType: r.sharingType as ResourceFields['sharingType'],
    sharingCondition: r.sharingCondition,
    sharingMethod: r.sharingMethod as ResourceFields['sharingMethod'],
    openingType: r.openingType as ResourceFields['openingType'],
    updateCycle: r.updateCycle as ResourceFields['updateCycle'],
    relatedCodes: r.relatedCodes ?? [],
    grade: r.grade as ResourceFields['grade'],
    legalBasis: r.legalBasis,
    providerSubsystemId: r.providerSubsystemId,
  };
}

export function summaryOf(r: ResourceRow, providerName: string): ResourceSummary {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    state: r.state,
    version: r.version,
    draftVersion: r.draftVersion,
    category: r.category,
    basicKind: r.basicKind,
    grade: r.grade,
    sharingType: r.sharingType,
    openingType: r.openingType,
    updateCycle: r.updateCycle,
    format: r.format,
    providerMemberId: r.providerMemberId,
    providerName,
    providerOrgId: r.providerOrgId,
    publishDate: r.publishDate,
    itemCount: ((r.items ?? []) as DataItem[]).length,
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function divisionOfInstance(instance: string): string {
  const m = /^CN-(\d{6})$/.exec(instance);
  return m ? m[1] : '100000';
}

export function normaliseItem(i: DataItem): DataItem {
  const out: DataItem = { name: i.name, label: i.label, type: i.type };
  if (i.key) out.key = true;
  if (i.required || i.key) out.required = true;
  if (i.personal) out.personal = i.personal;
  if (i.change) out.change = true;
  return out;
}
