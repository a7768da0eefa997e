// The sharing gateway: grants, consumer keys, masked access, quotas, operational records, exports.
//
// A consumer system calls with its API key; the key leads to its subsystem, the subsystem and the resource
// code to its grant (read from the database on every call, so a revocation holds from the very next call),
// the grant to the fields, the row filter, the quota and the rate. Rows come from the data store (the
// DatasetReader), personal fields are masked by rule (masking.ts), and every call, refused or served,
// leaves an operational record whose binding hash ties the response to the request (gateway.hash.ts).
//
// This file is the façade the rest of the application uses; the work is done by its rooms: grants
// (gateway.grants.ts), keys (gateway.keys.ts), calls (gateway.calls.ts), exports (gateway.exports.ts),
// usage and operational records (gateway.usage.ts); shared types and views are in gateway.core.ts.
import path from 'node:path';
import { can, type Actor } from '../../../platform/auth/actor';
import type { Tx } from '../../../platform/db/client';
import type { DatasetReader, GrantIssuer, NewGrant } from '../contracts';
import { SHARE } from '../share.permissions';
import { catalogueDirectory, type GatewayDirectory } from './directory';
import { GatewayCalls } from './gateway.calls';
import type { CallInput, CallOutcome, GatewayContext, GatewayDeps, GatewayOptions, GrantState } from './gateway.core';
import { GatewayExports } from './gateway.exports';
import { GatewayGrants } from './gateway.grants';
import { GatewayKeys } from './gateway.keys';
import { GatewayUsage } from './gateway.usage';

export {
  EXPORT_JOB,
  EXPORT_SWEEP_JOB,
  EXPORT_TTL_HOURS,
  GATEWAY_MAX_PAGE,
  SHAPE_TTL_MS,
  grantState,
  type CallInput,
  type CallOutcome,
  type CallRow,
  type ExportRow,
  type GatewayOptions,
  type GrantRow,
  type GrantState,
  type Operation,
} from './gateway.core';

export class Gateway implements GrantIssuer, GatewayContext {
  private directoryPort: GatewayDirectory | null = null;
  options: Required<GatewayOptions> = { auditCalls: 'all' };
  private readonly keys: GatewayKeys;
  private readonly grants: GatewayGrants;
  private readonly calls: GatewayCalls;
  private readonly exports: GatewayExports;
  private readonly records: GatewayUsage;

  constructor(readonly deps: GatewayDeps) {
    this.keys = new GatewayKeys(this);
    this.grants = new GatewayGrants(this, this.keys);
    this.calls = new GatewayCalls(this, this.keys);
    this.exports = new GatewayExports(this, this.keys, this.calls);
    this.records = new GatewayUsage(this);
  }

  get reader(): DatasetReader {
    return this.deps.data;
  }

  get directory(): GatewayDirectory {
    this.directoryPort ??= catalogueDirectory(this.deps.catalogue, this.deps.db);
    return this.directoryPort;
  }

  /** Tests and embedders may point the gateway at another directory. */
  setDirectory(d: GatewayDirectory) {
    this.directoryPort = d;
  }

  exportDir(): string {
    return path.join(this.deps.config.dataDir, 'share-exports');
  }

  // ---- grants -------------------------------------------------------------------------------------

  /** Turn an approved request into a grant (called inside the request workflow's transaction). */
  createGrant(tx: Tx, g: NewGrant, actorUserId: string | null): Promise<{ id: string }> {
    return this.grants.createGrant(tx, g, actorUserId);
  }

  listGrants(actor: Actor, q: { consumerMemberId?: string; consumerSubsystemId?: string; resourceId?: string; state?: GrantState; limit: number; offset: number }) {
    return this.grants.listGrants(actor, q);
  }

  getGrant(actor: Actor, id: string) {
    return this.grants.getGrant(actor, id);
  }

  /** Revoke at once: the next call on the grant is refused (grants are read afresh on every call). */
  revokeGrant(actor: Actor, id: string, reason: string) {
    return this.grants.revokeGrant(actor, id, reason);
  }

  /** The grants of the calling subsystem (GET /api/share/gateway/grants). */
  consumerGrants(actor: Actor) {
    return this.grants.consumerGrants(actor);
  }

  // ---- keys ---------------------------------------------------------------------------------------

  /** Issue a gateway key for a subsystem; the key is in this answer only (see GatewayKeys.issueKey). */
  issueKey(actor: Actor, subsystemId: string) {
    return this.keys.issueKey(actor, subsystemId);
  }

  listKeys(actor: Actor, subsystemId: string) {
    return this.keys.listKeys(actor, subsystemId);
  }

  revokeKey(actor: Actor, id: string) {
    return this.keys.revokeKey(actor, id);
  }

  // ---- calls --------------------------------------------------------------------------------------

  /** Serve (or refuse) one gateway call and leave its operational record. */
  call(actor: Actor, input: CallInput): Promise<CallOutcome> {
    return this.calls.call(actor, input);
  }

  // ---- exports ------------------------------------------------------------------------------------

  exportState(actor: Actor, id: string) {
    return this.exports.exportState(actor, id);
  }

  /** The export's file as a stream with its operational record, or the refusal (see GatewayExports.exportFile). */
  exportFile(actor: Actor, id: string, instance: string): ReturnType<GatewayExports['exportFile']> {
    return this.exports.exportFile(actor, id, instance);
  }

  /** The export job: stream the granted, masked rows into a CSV file (idempotent: a finished export is left alone). */
  runExport(exportId: string): Promise<{ rows: number; bytes: number } | null> {
    return this.exports.runExport(exportId);
  }

  /** Expire old export files and purge rate-limit minutes older than an hour. */
  sweep(now = new Date()): Promise<{ expired: number; minutes: number }> {
    return this.exports.sweep(now);
  }

  // ---- usage and operational records ----------------------------------------------------------------

  listCalls(actor: Actor, q: { grantId?: string; consumerSubsystemId?: string; status?: string; limit: number; offset: number }) {
    return this.records.listCalls(actor, q);
  }

  getCall(actor: Actor, id: number) {
    return this.records.getCall(actor, id);
  }

  usage(actor: Actor, q: { memberId?: string; resourceId?: string; from?: string; to?: string }) {
    return this.records.usage(actor, q);
  }

  /** For the console: whether the actor may manage grants and keys. */
  canManage(actor: Actor) {
    return can(actor, SHARE.grantManage);
  }
}
