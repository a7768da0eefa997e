// What the gateway's rooms share: the row types, the views the API answers with, the constants, the
// call's input and outcome, and the context every room reads (the façade in gateway.service.ts).
import type { Actor } from '../../../platform/auth/actor';
import { AppError, type FieldError } from '../../../platform/http/problem';
import type { ResourceCatalogue } from '../catalogue';
import type { DatasetReader, RowFilter } from '../contracts';
import type { DataStore } from '../data';
import type { ShareDeps } from '../deps';
import type { ConsumerSubsystem, GatewayDirectory } from './directory';
import type { shareCalls, shareExports, shareGrants } from './gateway.schema';

export type GrantRow = typeof shareGrants.$inferSelect;
export type CallRow = typeof shareCalls.$inferSelect;
export type ExportRow = typeof shareExports.$inferSelect;
export type GrantState = 'live' | 'expired' | 'revoked';

export const EXPORT_JOB = 'share.gateway.export';
export const EXPORT_SWEEP_JOB = 'share.gateway.sweep';
/** Hours an export file stays downloadable. */
export const EXPORT_TTL_HOURS = 24;
/** How long the gateway keeps a resource's published shape (items, grade) before reading it again. */
export const SHAPE_TTL_MS = 5_000;
/** Page size of a gateway query. */
export const GATEWAY_MAX_PAGE = 200;

export type Operation = 'lookup' | 'query' | 'export' | 'download';

export interface CallInput {
  operation: Operation;
  resourceCode: string;
  /** lookup: the record key (several key columns joined by '|'). */
  key?: string;
  where?: Record<string, string>;
  fields?: string[];
  limit?: number;
  offset?: number;
  /** download: the export. */
  exportId?: string;
  /** The path, for the problem document's `instance`. */
  instance: string;
}

export interface CallOutcome {
  status: number;
  contentType: string;
  /** The exact response body (its SHA-256 is the record's responseHash). */
  body: string;
  headers: Record<string, string>;
  callId: number;
}

export interface CallContext {
  consumer?: ConsumerSubsystem & { keyId: string };
  grant?: GrantRow;
  retryAfter?: number;
}

/** A refusal with its own problem code (no-grant, grant-expired, quota-exceeded…). */
export const refuse = (status: number, code: string, title: string, detail: string, errs?: FieldError[]) => new AppError(status, code, title, detail, errs);

export function grantState(g: Pick<GrantRow, 'revokedAt' | 'expiresAt'>, now = new Date()): GrantState {
  if (g.revokedAt) return 'revoked';
  return g.expiresAt.getTime() <= now.getTime() ? 'expired' : 'live';
}

export const grantView = (g: GrantRow, now = new Date()) => ({
  id: g.id,
  requestId: g.requestId,
  consumerMemberId: g.consumerMemberId,
  consumerSubsystemId: g.consumerSubsystemId,
  consumerXroadId: g.consumerXroadId,
  resourceId: g.resourceId,
  resourceCode: g.resourceCode,
  serviceId: g.serviceId,
  fields: g.fields,
  clearFields: g.clearFields,
  rowFilter: g.rowFilter as RowFilter,
  purpose: g.purpose,
  quotaPerDay: g.quotaPerDay,
  ratePerMinute: g.ratePerMinute,
  expiresAt: g.expiresAt.toISOString(),
  state: grantState(g, now),
  revokedAt: g.revokedAt?.toISOString() ?? null,
  revokeReason: g.revokeReason,
  createdAt: g.createdAt.toISOString(),
});
export const callView = (c: CallRow) => ({
  id: c.id,
  at: c.at.toISOString(),
  consumerSubsystemId: c.consumerSubsystemId,
  consumerXroadId: c.consumerXroadId,
  serviceId: c.serviceId,
  resourceCode: c.resourceCode,
  grantId: c.grantId,
  operation: c.operation,
  requestParams: c.requestParams,
  status: c.status,
  errorCode: c.errorCode,
  rows: c.rows,
  responseBytes: c.responseBytes,
  responseAt: c.responseAt.toISOString(),
  durationMs: c.durationMs,
  requestHash: c.requestHash,
  responseHash: c.responseHash,
  bindingHash: c.bindingHash,
});
export const exportView = (e: ExportRow) => ({
  id: e.id,
  grantId: e.grantId,
  resourceCode: e.resourceCode,
  state: e.state,
  where: e.where,
  fields: e.fields,
  rows: e.rows,
  bytes: e.bytes,
  sha256: e.sha256,
  error: e.error,
  createdAt: e.createdAt.toISOString(),
  startedAt: e.startedAt?.toISOString() ?? null,
  finishedAt: e.finishedAt?.toISOString() ?? null,
  expiresAt: e.expiresAt.toISOString(),
});

export interface GatewayOptions {
  /**
   * Which calls get an audit entry besides their operational record: 'all', or 'refusals' (refusals,
   * exports and downloads; served lookups and queries are evidenced by their operational records alone).
   */
  auditCalls?: 'all' | 'refusals';
}

export type GatewayDeps = ShareDeps & { catalogue: ResourceCatalogue; data: DataStore };

/** What every room of the gateway reads: the Gateway façade implements it. */
export interface GatewayContext {
  readonly deps: GatewayDeps;
  readonly reader: DatasetReader;
  readonly directory: GatewayDirectory;
  /** Read on every call (a bench switches auditCalls on the live instance). */
  readonly options: Required<GatewayOptions>;
  exportDir(): string;
}

/** Organisation ids the actor sees for a permission; undefined: everything. */
export async function visibleOrgIds(gw: GatewayContext, actor: Actor, permission: string): Promise<string[] | undefined> {
  return gw.deps.orgs.visibleIds(actor, permission);
}
