// Shapes of the catalogue and directory API (src/modules/share/catalogue) as the console uses them,
// taken from the server's OpenAPI document (../../shared/api-types.ts).
import type { ItemOf, QueryOf, ResponseOf } from '../../shared/api-types';

/** A resource: catalogue fields, items, provider, versions and (for managers) the pending draft. */
export type Resource = ResponseOf<'/api/share/resources/{id}'>;
/** A resource as the catalogue search lists it. */
export type ResourceSummary = ItemOf<'/api/share/resources'>;
/** The catalogue fields of a resource (or of its draft): what the form edits. */
export type ResourceFields = Omit<NonNullable<Resource['draft']>, 'version' | 'note' | 'updatedAt'>;
export type DataItem = Resource['items'][number];

export type Facets = ResponseOf<'/api/share/resources/facets'>;

/** An exchange member as the directory lists it (with its subsystem count). */
export type Member = ItemOf<'/api/share/members'>;
/** A member with its subsystems. */
export type MemberDetail = ResponseOf<'/api/share/members/{id}'>;
/** A subsystem (the directory's list rows add memberCode and memberName). */
export type Subsystem = ResponseOf<'/api/share/subsystems', 'post'>;

// UI-side: the options the forms and filters offer, each checked against the server's enum.
export const CATEGORIES = ['basic', 'thematic', 'departmental'] as const satisfies readonly ResourceFields['category'][];
export const BASIC_KINDS = ['population', 'legal_person', 'natural_resources', 'credit', 'certificates'] as const satisfies readonly NonNullable<ResourceFields['basicKind']>[];
export const FORMATS = ['table', 'file', 'api'] as const satisfies readonly ResourceFields['format'][];
export const SHARING_TYPES = ['unconditional', 'conditional', 'none'] as const satisfies readonly ResourceFields['sharingType'][];
export const SHARING_METHODS = ['interface', 'file', 'query'] as const satisfies readonly ResourceFields['sharingMethod'][];
export const OPENING_TYPES = ['unconditional', 'conditional', 'none'] as const satisfies readonly ResourceFields['openingType'][];
export const UPDATE_CYCLES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const satisfies readonly ResourceFields['updateCycle'][];
export const GRADES = ['core', 'important', 'general'] as const satisfies readonly ResourceFields['grade'][];
export const STATES = ['draft', 'published', 'retired'] as const satisfies readonly NonNullable<QueryOf<'/api/share/resources'>['state']>[];
export const ITEM_TYPES = ['string', 'integer', 'decimal', 'date', 'datetime', 'boolean'] as const satisfies readonly DataItem['type'][];
export const PERSONAL_KINDS = ['id_number', 'name', 'phone', 'address', 'date_of_birth', 'account'] as const satisfies readonly NonNullable<DataItem['personal']>[];
export const LEVELS = ['city', 'district', 'province', 'national'] as const satisfies readonly Member['level'][];

// UI-side: tag colours.
export const GRADE_COLOUR: Record<string, string> = { core: 'red', important: 'orange', general: 'default' };
export const STATE_COLOUR: Record<string, string> = { draft: 'default', published: 'green', retired: 'volcano', superseded: 'default' };
