// Shapes of the catalogue and directory API (src/modules/share/catalogue) as the console uses them.
export const CATEGORIES = ['basic', 'thematic', 'departmental'] as const;
export const BASIC_KINDS = ['population', 'legal_person', 'natural_resources', 'credit', 'certificates'] as const;
export const FORMATS = ['table', 'file', 'api'] as const;
export const SHARING_TYPES = ['unconditional', 'conditional', 'none'] as const;
export const SHARING_METHODS = ['interface', 'file', 'query'] as const;
export const OPENING_TYPES = ['unconditional', 'conditional', 'none'] as const;
export const UPDATE_CYCLES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;
export const GRADES = ['core', 'important', 'general'] as const;
export const STATES = ['draft', 'published', 'retired'] as const;
export const ITEM_TYPES = ['string', 'integer', 'decimal', 'date', 'datetime', 'boolean'] as const;
export const PERSONAL_KINDS = ['id_number', 'name', 'phone', 'address', 'date_of_birth', 'account'] as const;
export const LEVELS = ['city', 'district', 'province', 'national'] as const;

export type Grade = (typeof GRADES)[number];
export type ResourceState = (typeof STATES)[number];

export interface DataItem {
  name: string;
  label: string;
  type: (typeof ITEM_TYPES)[number];
  key?: boolean;
  required?: boolean;
  personal?: (typeof PERSONAL_KINDS)[number] | null;
  change?: boolean;
}

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
  grade: Grade;
  legalBasis: string | null;
  providerSubsystemId: string | null;
}

export interface ResourceSummary {
  id: string;
  code: string;
  name: string;
  state: ResourceState;
  version: number;
  draftVersion: number | null;
  category: string;
  basicKind: string | null;
  grade: Grade;
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

export interface Member {
  id: string;
  instance: string;
  class: string;
  code: string;
  name: string;
  nameEn: string | null;
  level: (typeof LEVELS)[number];
  orgId: string | null;
  external: boolean;
  contact: string | null;
  xroadId: string;
  createdAt: string;
  subsystems?: number;
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

export interface VersionSummary {
  version: number;
  state: string;
  note: string | null;
  changedBy: string | null;
  createdAt: string;
  publishedAt: string | null;
}

export type Resource = ResourceSummary &
  ResourceFields & {
    providerMember: Member;
    providerSubsystem: Subsystem | null;
    xroadServiceId: string | null;
    draft: (ResourceFields & { version: number; note: string | null; updatedAt: string }) | null;
    versions: VersionSummary[];
    canManage: boolean;
    createdAt: string;
  };

export interface Facets {
  category: { value: string; count: number }[];
  grade: { value: string; count: number }[];
  sharingType: { value: string; count: number }[];
  provider: { value: string; name: string; code: string; count: number }[];
}

export const GRADE_COLOUR: Record<string, string> = { core: 'red', important: 'orange', general: 'default' };
export const STATE_COLOUR: Record<string, string> = { draft: 'default', published: 'green', retired: 'volcano', superseded: 'default' };
