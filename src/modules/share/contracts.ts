// The seams between the parts of data sharing: the catalogue describes resources and their data items,
// the data store holds each resource's rows, the gateway serves granted rows to consumer systems.
// Each part depends on these shapes, not on the other parts' classes.
import type { Tx } from '../../platform/db/client';

/** Column types a data item may have; each maps to one PostgreSQL type in the dataset's table. */
export type ItemType = 'string' | 'integer' | 'decimal' | 'date' | 'datetime' | 'boolean';

/**
 * What kind of personal data an item holds; the gateway masks by this (GB/T 37964 suppression/masking).
 * null: not personal.
 */
export type PersonalKind = 'id_number' | 'name' | 'phone' | 'address' | 'date_of_birth' | 'account' | null;

export interface DataItem {
  /** Column name: lower snake case ASCII (the dataset's column). */
  name: string;
  /** Chinese label shown in the console (数据项名称). */
  label: string;
  type: ItemType;
  /** Part of the record key (lookups by key use these, in order). */
  key?: boolean;
  required?: boolean;
  personal?: PersonalKind;
  /** Column the incremental loads compare (e.g. updated_at); at most one per resource. */
  change?: boolean;
}

/** A published resource as the data store and the gateway see it. */
export interface ResourceDataShape {
  resourceId: string;
  code: string;
  name: string;
  grade: 'core' | 'important' | 'general';
  providerOrgId: string;
  items: DataItem[];
}

/** AND of equality conditions on columns, e.g. own district: [{ column: 'district_code', equals: '370202' }]. */
export type RowFilter = { column: string; equals: string }[];

/** What the gateway needs from the data store. Rows come back with only `fields`, unmasked. */
export interface DatasetReader {
  shape(resourceId: string): Promise<ResourceDataShape | null>;
  lookup(resourceId: string, key: Record<string, string>, fields: string[], filter: RowFilter): Promise<Record<string, unknown> | null>;
  query(resourceId: string, q: { fields: string[]; filter: RowFilter; where: Record<string, string>; limit: number; offset: number }): Promise<{ items: Record<string, unknown>[]; total: number }>;
  stream(resourceId: string, q: { fields: string[]; filter: RowFilter; where: Record<string, string> }): AsyncIterable<Record<string, unknown>>;
}

/** What the request workflow hands the gateway when a request is finally approved. */
export interface NewGrant {
  requestId: string | null;
  consumerSubsystemId: string;
  resourceId: string;
  fields: string[];
  /** Personal fields approved in clear (a subset of `fields`; refused for a core-grade resource). Default: none. */
  clearFields?: string[];
  rowFilter: RowFilter;
  purpose: string;
  quotaPerDay: number;
  ratePerMinute: number;
  expiresAt: Date;
}

export interface GrantIssuer {
  createGrant(tx: Tx, grant: NewGrant, actorUserId: string | null): Promise<{ id: string }>;
}
