// The sharing gateway: grants, consumer keys, masked access, quotas, operational records, exports.
//
// A consumer system calls with its API key; the key leads to its subsystem, the subsystem and the resource
// code to its grant (read from the database on every call, so a revocation holds from the very next call),
// the grant to the fields, the row filter, the quota and the rate. Rows come from the data store (the
// DatasetReader), personal fields are masked by rule (masking.ts), and every call, refused or served,
// leaves an operational record whose binding hash ties the response to the request (gateway.hash.ts).
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { can, systemActor, type Actor } from '../../../platform/auth/actor';
import { users } from '../../../platform/auth/auth.schema';
import { inTransaction, rows as rawRows, type DbOrTx, type Tx } from '../../../platform/db/client';
import { exportStream } from '../../../platform/files';
import { AppError, errors, type FieldError } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import { todayInShanghai } from '../../../platform/ids';
import type { ResourceCatalogue } from '../catalogue';
import type { DatasetReader, GrantIssuer, NewGrant, ResourceDataShape, RowFilter } from '../contracts';
import type { DataStore } from '../data';
import type { ShareDeps } from '../deps';
import { SHARE } from '../share.permissions';
import { catalogueDirectory, type ConsumerSubsystem, type GatewayDirectory } from './directory';
import { bindingHash, requestHash, sha256 } from './gateway.hash';
import { shareCalls, shareExports, shareGatewayKeys, shareGrants, shareGrantMinutes, shareGrantUsage } from './gateway.schema';
import { MASKING_RULES, rowMasker } from './masking';

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

interface CallContext {
  consumer?: ConsumerSubsystem & { keyId: string };
  grant?: GrantRow;
  retryAfter?: number;
}

/** A refusal with its own problem code (no-grant, grant-expired, quota-exceeded…). */
const refuse = (status: number, code: string, title: string, detail: string, errs?: FieldError[]) => new AppError(status, code, title, detail, errs);

export function grantState(g: Pick<GrantRow, 'revokedAt' | 'expiresAt'>, now = new Date()): GrantState {
  if (g.revokedAt) return 'revoked';
  return g.expiresAt.getTime() <= now.getTime() ? 'expired' : 'live';
}

const grantView = (g: GrantRow, now = new Date()) => ({
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

const callView = (c: CallRow) => ({
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

const exportView = (e: ExportRow) => ({
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

export class Gateway implements GrantIssuer {
  private directoryPort: GatewayDirectory | null = null;
  /** apiKeyId → the subsystem it calls for; dropped when the key is revoked (the platform refuses a revoked key anyway). */
  private keyCache = new Map<string, ConsumerSubsystem & { keyId: string }>();
  options: Required<GatewayOptions> = { auditCalls: 'all' };

  constructor(readonly deps: ShareDeps & { catalogue: ResourceCatalogue; data: DataStore }) {}

  private get db() {
    return this.deps.db;
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
  async createGrant(tx: Tx, g: NewGrant, actorUserId: string | null): Promise<{ id: string }> {
    const facts = await this.directory.grantFacts(tx, g.consumerSubsystemId, g.resourceId);
    const problems: FieldError[] = [];
    if (!facts.subsystem) problems.push({ path: '/consumerSubsystemId', message: 'no such subsystem' });
    if (!facts.resource) problems.push({ path: '/resourceId', message: 'no such resource' });
    if (facts.subsystem && facts.resource) {
      const items = new Set(facts.resource.items.map((i) => i.name));
      if (!g.fields.length) problems.push({ path: '/fields', message: 'a grant names at least one field' });
      g.fields.forEach((f, i) => {
        if (!items.has(f)) problems.push({ path: `/fields/${i}`, message: `${f} is not a data item of ${facts.resource!.code}` });
      });
      (g.clearFields ?? []).forEach((f, i) => {
        const item = facts.resource!.items.find((x) => x.name === f);
        if (!g.fields.includes(f)) problems.push({ path: `/clearFields/${i}`, message: `${f} is not among the granted fields` });
        else if (!item?.personal) problems.push({ path: `/clearFields/${i}`, message: `${f} is not personal data (it is never masked)` });
        else if (facts.resource!.grade === 'core') problems.push({ path: `/clearFields/${i}`, message: 'core-grade data is never given in clear' });
      });
      g.rowFilter.forEach((c, i) => {
        if (!items.has(c.column)) problems.push({ path: `/rowFilter/${i}/column`, message: `${c.column} is not a data item` });
      });
    }
    if (!Number.isInteger(g.quotaPerDay) || g.quotaPerDay < 1) problems.push({ path: '/quotaPerDay', message: 'at least 1 call a day' });
    if (!Number.isInteger(g.ratePerMinute) || g.ratePerMinute < 1) problems.push({ path: '/ratePerMinute', message: 'at least 1 call a minute' });
    // A past expiry is not refused here: the grant is simply expired (the workflow decides what it accepts).
    if (!(g.expiresAt instanceof Date) || Number.isNaN(g.expiresAt.getTime())) problems.push({ path: '/expiresAt', message: 'not a valid time' });
    if (!g.purpose.trim()) problems.push({ path: '/purpose', message: 'required' });
    if (problems.length) throw errors.unprocessable('the grant cannot be made', problems);
    const sub = facts.subsystem!;
    const res = facts.resource!;
    const [row] = await tx
      .insert(shareGrants)
      .values({
        requestId: g.requestId,
        consumerMemberId: sub.memberId,
        consumerSubsystemId: sub.id,
        consumerOrgId: sub.orgId,
        consumerXroadId: sub.xroadId,
        resourceId: res.resourceId,
        resourceCode: res.code,
        providerOrgId: res.providerOrgId || null,
        serviceId: facts.serviceId ?? res.code,
        fields: g.fields,
        clearFields: g.clearFields ?? [],
        rowFilter: g.rowFilter,
        purpose: g.purpose,
        quotaPerDay: g.quotaPerDay,
        ratePerMinute: g.ratePerMinute,
        expiresAt: g.expiresAt,
        createdBy: actorUserId,
      })
      .returning();
    const actor = await this.actorOf(tx, actorUserId, 'share.grant');
    await recordAudit(tx, actor, { action: 'share.grant.create', entityType: 'share_grant', entityId: row.id, orgId: sub.orgId, after: grantView(row) });
    return { id: row.id };
  }

  /** An Actor for the audit entry of a change made by a user id (or by the system when null), read through `tx`. */
  private async actorOf(tx: Tx, userId: string | null, reason: string): Promise<Actor> {
    const base = systemActor(reason);
    if (!userId) return base;
    const [u] = await tx.select({ username: users.username, displayName: users.displayName, orgId: users.orgId }).from(users).where(eq(users.id, userId));
    return { ...base, userId, username: u?.username ?? userId, displayName: u?.displayName ?? userId, orgId: u?.orgId ?? null, kind: 'staff' };
  }

  /** Organisation ids the actor sees for a permission; undefined: everything. */
  private async visibleOrgIds(actor: Actor, permission: string): Promise<string[] | undefined> {
    return this.deps.orgs.visibleIds(actor, permission);
  }

  private async grantVisibility(actor: Actor): Promise<SQL | undefined> {
    const ids = await this.visibleOrgIds(actor, SHARE.statsRead);
    if (ids === undefined) return undefined;
    if (!ids.length) return sql`false`;
    return or(inArray(shareGrants.consumerOrgId, ids), inArray(shareGrants.providerOrgId, ids));
  }

  async listGrants(actor: Actor, q: { consumerMemberId?: string; consumerSubsystemId?: string; resourceId?: string; state?: GrantState; limit: number; offset: number }): Promise<Page<ReturnType<typeof grantView>>> {
    const conds: (SQL | undefined)[] = [await this.grantVisibility(actor)];
    if (q.consumerMemberId) conds.push(eq(shareGrants.consumerMemberId, q.consumerMemberId));
    if (q.consumerSubsystemId) conds.push(eq(shareGrants.consumerSubsystemId, q.consumerSubsystemId));
    if (q.resourceId) conds.push(eq(shareGrants.resourceId, q.resourceId));
    if (q.state === 'revoked') conds.push(sql`${shareGrants.revokedAt} is not null`);
    if (q.state === 'live') conds.push(and(isNull(shareGrants.revokedAt), sql`${shareGrants.expiresAt} > now()`));
    if (q.state === 'expired') conds.push(and(isNull(shareGrants.revokedAt), sql`${shareGrants.expiresAt} <= now()`));
    const where = and(...conds.filter(Boolean));
    const [items, [{ n }]] = await Promise.all([
      this.db.select().from(shareGrants).where(where).orderBy(desc(shareGrants.createdAt)).limit(q.limit).offset(q.offset),
      this.db.select({ n: sql<number>`count(*)::int` }).from(shareGrants).where(where),
    ]);
    return { items: items.map((g) => grantView(g)), total: n, limit: q.limit, offset: q.offset };
  }

  async getGrant(actor: Actor, id: string) {
    const [g] = await this.db.select().from(shareGrants).where(and(eq(shareGrants.id, id), await this.grantVisibility(actor)));
    if (!g) throw errors.notFound('grant');
    const today = todayInShanghai();
    const [u] = await this.db.select().from(shareGrantUsage).where(and(eq(shareGrantUsage.grantId, id), eq(shareGrantUsage.day, today)));
    return { ...grantView(g), today: { day: today, calls: u?.calls ?? 0, rows: u?.rows ?? 0 } };
  }

  /** Revoke at once: the next call on the grant is refused (grants are read afresh on every call). */
  async revokeGrant(actor: Actor, id: string, reason: string) {
    if (!reason.trim()) throw errors.field('/body/reason', 'a revocation gives its reason');
    return inTransaction(this.db, async (tx) => {
      const [before] = await tx.select().from(shareGrants).where(eq(shareGrants.id, id)).for('update');
      if (!before) throw errors.notFound('grant');
      if (before.revokedAt) throw errors.conflict('the grant is already revoked');
      const [after] = await tx.update(shareGrants).set({ revokedAt: new Date(), revokedBy: actor.userId, revokeReason: reason.trim() }).where(eq(shareGrants.id, id)).returning();
      await recordAudit(tx, actor, { action: 'share.grant.revoke', entityType: 'share_grant', entityId: id, orgId: before.consumerOrgId, before: grantView(before), after: grantView(after), note: { reason: reason.trim() } });
      return grantView(after);
    });
  }

  // ---- keys ---------------------------------------------------------------------------------------

  /**
   * Issue a gateway key for a subsystem: its service account (created once, role share_consumer_system in
   * the subsystem's organisation), then a platform API key scoped to share.gateway.call. The key is
   * returned here once; only its hash is kept.
   */
  async issueKey(actor: Actor, subsystemId: string) {
    const sub = await this.directory.subsystem(subsystemId);
    if (!sub) throw errors.notFound('subsystem');
    if (!sub.orgId) throw errors.unprocessable(`${sub.xroadId} belongs to an external member: it calls its own platform, not this gateway`);
    const serviceUserId = await this.serviceAccount(actor, sub);
    const key = await this.deps.auth.createApiKey(actor, { name: `share gateway ${sub.xroadId}`, userId: serviceUserId, scopes: [SHARE.gatewayCall] });
    const [row] = await inTransaction(this.db, async (tx) => {
      const r = await tx.insert(shareGatewayKeys).values({ subsystemId: sub.id, subsystemXroadId: sub.xroadId, apiKeyId: key.id, keyPrefix: key.prefix, serviceUserId, createdBy: actor.userId }).returning();
      await recordAudit(tx, actor, { action: 'share.key.issue', entityType: 'share_gateway_key', entityId: r[0].id, orgId: sub.orgId, after: { subsystem: sub.xroadId, prefix: key.prefix, apiKeyId: key.id } });
      return r;
    });
    return { id: row.id, subsystemId: sub.id, subsystemXroadId: sub.xroadId, prefix: key.prefix, key: key.key, createdAt: row.createdAt.toISOString() };
  }

  private async serviceAccount(actor: Actor, sub: ConsumerSubsystem): Promise<string> {
    const [existing] = await this.db.select({ id: shareGatewayKeys.serviceUserId }).from(shareGatewayKeys).where(eq(shareGatewayKeys.subsystemId, sub.id)).limit(1);
    if (existing) return existing.id;
    const username = `share-svc-${sub.id}`;
    const found = await this.deps.auth.findByUsername(username);
    if (found) return found.id;
    // Nobody signs in with this account: the password is random and never shown.
    const password = `${randomBytes(24).toString('base64url')}Aa1!`;
    const user = await this.deps.auth.createUser(actor, { username, displayName: `${sub.name}（共享接入）`, kind: 'staff', password, orgId: sub.orgId, roles: ['share_consumer_system'] });
    return user.id;
  }

  async listKeys(actor: Actor, subsystemId: string) {
    void actor;
    const rows = await this.db.select().from(shareGatewayKeys).where(eq(shareGatewayKeys.subsystemId, subsystemId)).orderBy(desc(shareGatewayKeys.createdAt)).limit(200);
    return { items: rows.map((k) => ({ id: k.id, subsystemId: k.subsystemId, subsystemXroadId: k.subsystemXroadId, prefix: k.keyPrefix, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null })), total: rows.length, limit: 200, offset: 0 };
  }

  async revokeKey(actor: Actor, id: string) {
    const [k] = await this.db.select().from(shareGatewayKeys).where(eq(shareGatewayKeys.id, id));
    if (!k) throw errors.notFound('gateway key');
    if (k.revokedAt) throw errors.conflict('the key is already revoked');
    await this.deps.auth.revokeApiKey(actor, k.apiKeyId);
    await inTransaction(this.db, async (tx) => {
      await tx.update(shareGatewayKeys).set({ revokedAt: new Date() }).where(eq(shareGatewayKeys.id, id));
      await recordAudit(tx, actor, { action: 'share.key.revoke', entityType: 'share_gateway_key', entityId: id, before: { subsystem: k.subsystemXroadId, prefix: k.keyPrefix } });
    });
    this.keyCache.delete(k.apiKeyId);
    return { id, revokedAt: new Date().toISOString() };
  }

  /** The subsystem a gateway call is made for, from the API key it came with. */
  private async consumerOf(actor: Actor): Promise<ConsumerSubsystem & { keyId: string }> {
    if (actor.via !== 'apikey' || !actor.apiKeyId) throw refuse(403, 'not-a-consumer', 'Not a consumer system', 'gateway calls are made with a gateway key issued to a subsystem');
    const hit = this.keyCache.get(actor.apiKeyId);
    if (hit) return hit;
    const [k] = await this.db.select().from(shareGatewayKeys).where(and(eq(shareGatewayKeys.apiKeyId, actor.apiKeyId), isNull(shareGatewayKeys.revokedAt)));
    if (!k) throw refuse(403, 'not-a-consumer', 'Not a consumer system', 'this API key is not a gateway key of any subsystem');
    const sub = await this.directory.subsystem(k.subsystemId);
    if (!sub) throw refuse(403, 'not-a-consumer', 'Not a consumer system', 'the key\'s subsystem no longer exists');
    const c = { ...sub, keyId: k.id };
    this.keyCache.set(actor.apiKeyId, c);
    return c;
  }

  /** The grants of the calling subsystem (GET /api/share/gateway/grants). */
  async consumerGrants(actor: Actor) {
    const c = await this.consumerOf(actor);
    const rows = await this.db.select().from(shareGrants).where(eq(shareGrants.consumerSubsystemId, c.id)).orderBy(desc(shareGrants.createdAt)).limit(200);
    return { subsystem: c.xroadId, items: rows.map((g) => grantView(g)), total: rows.length, limit: 200, offset: 0 };
  }

  // ---- calls --------------------------------------------------------------------------------------

  /** Serve (or refuse) one gateway call and leave its operational record. */
  async call(actor: Actor, input: CallInput): Promise<CallOutcome> {
    const at = new Date();
    const t0 = performance.now();
    const ctx: CallContext = {};
    let status = 200;
    let errorCode: string | null = null;
    let rowCount = 0;
    let body: string;
    try {
      const served = await this.serve(actor, input, ctx);
      status = served.status;
      rowCount = served.rows;
      body = JSON.stringify(served.payload);
    } catch (err) {
      const e = err instanceof AppError ? err : new AppError(500, 'internal', 'Internal error', 'Something went wrong on our side; quote the request id when you report it.');
      if (!(err instanceof AppError)) this.deps.log.error({ err }, 'gateway call failed');
      status = e.status;
      errorCode = e.code;
      body = JSON.stringify({ ...e.toProblem(), instance: input.instance, requestId: actor.requestId });
    }
    const headers: Record<string, string> = {};
    if (ctx.retryAfter !== undefined) headers['retry-after'] = String(ctx.retryAfter);
    const contentType = status < 300 ? 'application/json; charset=utf-8' : 'application/problem+json; charset=utf-8';
    const callId = await this.writeRecord(actor, input, ctx, { at, t0, status, errorCode, rows: rowCount, bytes: Buffer.byteLength(body), responseHash: sha256(body) });
    headers['x-share-call-id'] = String(callId.id);
    headers['x-share-request-hash'] = callId.requestHash;
    headers['x-share-binding-hash'] = callId.bindingHash;
    return { status, contentType, body, headers, callId: callId.id };
  }

  /** The service id of the call: the grant's, else the catalogue's for the code, else the bare code (unknown resource). */
  private async serviceIdFor(ctx: CallContext, resourceCode: string): Promise<string> {
    if (ctx.grant) return ctx.grant.serviceId;
    return (await this.directory.serviceIdOf(resourceCode)) ?? resourceCode;
  }

  /** The parameters kept in the record: values of personal columns masked (a lookup key is often an ID number). */
  private recordParams(input: CallInput, shape: ResourceDataShape | undefined): Record<string, unknown> {
    const kindOf = (col: string) => shape?.items.find((i) => i.name === col)?.personal ?? null;
    const maskIf = (col: string, v: string) => {
      const k = kindOf(col);
      return k ? MASKING_RULES[k].mask(v) : v;
    };
    const p: Record<string, unknown> = {};
    if (input.key !== undefined) {
      const keyCols = shape?.items.filter((i) => i.key).map((i) => i.name) ?? [];
      const parts = input.key.split('|');
      p.key = keyCols.length === parts.length ? parts.map((v, i) => maskIf(keyCols[i], v)).join('|') : '****';
    }
    if (input.where && Object.keys(input.where).length) p.where = Object.fromEntries(Object.entries(input.where).map(([c, v]) => [c, maskIf(c, v)]));
    if (input.fields) p.fields = input.fields;
    if (input.limit !== undefined) p.limit = input.limit;
    if (input.offset !== undefined) p.offset = input.offset;
    if (input.exportId) p.exportId = input.exportId;
    return p;
  }

  private shapes = new WeakMap<GrantRow, ResourceDataShape>();
  /** Published shapes for a few seconds: a new version's items reach the gateway within SHAPE_TTL_MS. Grants are never cached. */
  private shapeCache = new Map<string, { at: number; shape: ResourceDataShape | null }>();

  private async shapeOf(resourceId: string): Promise<ResourceDataShape | null> {
    const hit = this.shapeCache.get(resourceId);
    if (hit && Date.now() - hit.at < SHAPE_TTL_MS) return hit.shape;
    const shape = await this.reader.shape(resourceId);
    this.shapeCache.set(resourceId, { at: Date.now(), shape });
    return shape;
  }

  private async writeRecord(
    actor: Actor,
    input: CallInput,
    ctx: CallContext,
    r: { at: Date; t0: number; status: number; errorCode: string | null; rows: number; bytes: number; responseHash: string },
  ): Promise<{ id: number; requestHash: string; bindingHash: string }> {
    const g = ctx.grant;
    const serviceId = await this.serviceIdFor(ctx, input.resourceCode);
    const atIso = r.at.toISOString();
    const params: Record<string, unknown> = { key: input.key, where: input.where, fields: input.fields, limit: input.limit, offset: input.offset, exportId: input.exportId };
    const reqHash = requestHash({ consumer: ctx.consumer?.xroadId ?? null, service: serviceId, operation: input.operation, params, at: atIso });
    const responseAt = new Date();
    const bHash = bindingHash({ at: atIso, consumerXroadId: ctx.consumer?.xroadId ?? null, serviceId, operation: input.operation, status: r.status, rows: r.rows, responseBytes: r.bytes, requestHash: reqHash, responseHash: r.responseHash });
    const shape = g ? this.shapes.get(g) : undefined;
    const audit = this.options.auditCalls === 'all' || r.status >= 300 || input.operation === 'export' || input.operation === 'download';
    const values = {
          at: r.at,
          consumerSubsystemId: ctx.consumer?.id ?? null,
          consumerXroadId: ctx.consumer?.xroadId ?? null,
          consumerMemberId: ctx.consumer?.memberId ?? null,
          consumerOrgId: ctx.consumer?.orgId ?? null,
          serviceId,
          resourceCode: input.resourceCode,
          resourceId: g?.resourceId ?? null,
          providerOrgId: g?.providerOrgId ?? null,
          grantId: g?.id ?? null,
          operation: input.operation,
          requestParams: this.recordParams(input, shape),
          status: r.status,
          errorCode: r.errorCode,
          rows: r.rows,
          responseBytes: r.bytes,
          responseAt,
          durationMs: Math.round(performance.now() - r.t0),
          requestHash: reqHash,
          responseHash: r.responseHash,
          bindingHash: bHash,
        };
    const addRows = g && r.rows > 0 && r.status < 300 && input.operation !== 'download' ? r.rows : 0;
    const usageRows = (tx: DbOrTx) =>
      tx
        .update(shareGrantUsage)
        .set({ rows: sql`${shareGrantUsage.rows} + ${addRows}` })
        .where(and(eq(shareGrantUsage.grantId, g!.id), eq(shareGrantUsage.day, todayInShanghai(r.at))));
    let id: number;
    if (!audit) {
      // One statement, one commit: the record, and the day's row count when rows went out.
      let rec: { id: number };
      if (!addRows) [rec] = await this.db.insert(shareCalls).values(values).returning({ id: shareCalls.id });
      else {
        // drizzle parenthesises an embedded insert, which a WITH clause does not accept: the columns by hand.
        const cols = Object.keys(values) as (keyof typeof values)[];
        const param = (k: keyof typeof values) => {
          const v = values[k];
          if (v instanceof Date) return sql`${v.toISOString()}::timestamptz`;
          if (k === 'requestParams') return sql`${JSON.stringify(v)}::jsonb`;
          return sql`${v}`;
        };
        [rec] = await rawRows<{ id: number }>(
          this.db,
          sql`with c as (insert into ${shareCalls} (${sql.join(cols.map((k) => sql.identifier(shareCalls[k].name)), sql`, `)}) values (${sql.join(cols.map(param), sql`, `)}) returning id),
              u as (update ${shareGrantUsage} set rows = rows + ${addRows} where grant_id = ${g!.id} and day = ${todayInShanghai(r.at)})
              select id from c`,
        );
      }
      id = Number(rec.id);
    } else {
      id = await inTransaction(this.db, async (tx) => {
        const [rec] = await tx.insert(shareCalls).values(values).returning({ id: shareCalls.id });
        if (addRows) await usageRows(tx);
        await recordAudit(tx, actor, {
          action: r.status < 300 ? 'share.gateway.call' : 'share.gateway.refuse',
          entityType: 'share_call',
          entityId: String(rec.id),
          orgId: ctx.consumer?.orgId ?? null,
          note: { service: serviceId, operation: input.operation, grantId: g?.id ?? null, status: r.status, errorCode: r.errorCode, rows: r.rows, bindingHash: bHash },
        });
        return rec.id;
      });
    }
    return { id, requestHash: reqHash, bindingHash: bHash };
  }

  /** The live grant of the consumer for a resource code, or the refusal naming why there is none. */
  private async liveGrant(consumer: ConsumerSubsystem, resourceCode: string, ctx: CallContext, now: Date): Promise<GrantRow> {
    const grants = await this.db
      .select()
      .from(shareGrants)
      .where(and(eq(shareGrants.consumerSubsystemId, consumer.id), eq(shareGrants.resourceCode, resourceCode)))
      .orderBy(desc(shareGrants.createdAt))
      .limit(20);
    const live = grants.find((g) => grantState(g, now) === 'live');
    if (live) {
      ctx.grant = live;
      return live;
    }
    const latest = grants[0];
    if (!latest) throw refuse(403, 'no-grant', 'No grant', `${consumer.xroadId} holds no grant for ${resourceCode}`);
    ctx.grant = latest;
    if (latest.revokedAt) throw refuse(403, 'grant-revoked', 'Grant revoked', `the grant for ${resourceCode} was revoked on ${latest.revokedAt.toISOString()}: ${latest.revokeReason ?? ''}`.trim());
    throw refuse(403, 'grant-expired', 'Grant expired', `the grant for ${resourceCode} expired on ${latest.expiresAt.toISOString()}`);
  }

  /**
   * Count the call against the grant's per-minute rate and daily quota, atomically, in one statement: the
   * minute counter is always bumped; the day counter only while the minute is within the rate and the day
   * below the quota (no day row back: the quota is used up). Refusals throw 429. The statement commits
   * asynchronously (synchronous_commit off for its own transaction only): a database crash can lose the
   * last fraction of a second of increments, which errs in the consumer's favour, never corrupts.
   */
  private async meter(g: GrantRow, now: Date, ctx: CallContext): Promise<void> {
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    const day = todayInShanghai(now);
    const [m] = await rawRows<{ minute_calls: number; day_calls: number | null }>(
      this.db,
      sql`with mm as (
            insert into ${shareGrantMinutes} (grant_id, minute, calls) values (${g.id}, ${minute.toISOString()}, 1)
            on conflict (grant_id, minute) do update set calls = ${shareGrantMinutes}.calls + 1 returning calls),
          dd as (
            insert into ${shareGrantUsage} (grant_id, day, calls, rows) select ${g.id}, ${day}, 1, 0 where (select calls from mm) <= ${g.ratePerMinute}
            on conflict (grant_id, day) do update set calls = ${shareGrantUsage}.calls + 1 where ${shareGrantUsage}.calls < ${g.quotaPerDay} returning calls)
          select (select calls from mm) as minute_calls, (select calls from dd) as day_calls,
            set_config('synchronous_commit', 'off', true) as commit_mode`,
    );
    if (Number(m.minute_calls) > g.ratePerMinute) {
      ctx.retryAfter = Math.max(1, Math.ceil((minute.getTime() + 60_000 - now.getTime()) / 1000));
      throw refuse(429, 'rate-limited', 'Too many requests', `the grant allows ${g.ratePerMinute} calls a minute; retry after ${ctx.retryAfter} s`);
    }
    if (m.day_calls === null) throw refuse(429, 'quota-exceeded', 'Daily quota exceeded', `the grant allows ${g.quotaPerDay} calls a day (Asia/Shanghai); it is used up for ${day}`);
  }

  /** Check the requested fields and where-columns against the grant; the fields to read. */
  private checkRequest(g: GrantRow, shape: ResourceDataShape, input: CallInput): string[] {
    const items = new Set(shape.items.map((i) => i.name));
    const granted = g.fields.filter((f) => items.has(f));
    const fields = input.fields && input.fields.length ? input.fields : granted;
    const outside = fields.map((f, i) => ({ f, i })).filter(({ f }) => !granted.includes(f));
    if (outside.length) {
      throw refuse(403, 'field-not-granted', 'Field not granted', `not in the grant: ${outside.map((o) => o.f).join(', ')}`, outside.map(({ f, i }) => ({ path: `/query/fields/${i}`, message: `${f} is not in the grant` })));
    }
    const whereCols = Object.keys(input.where ?? {});
    const badWhere = whereCols.filter((c) => !granted.includes(c));
    if (badWhere.length) {
      throw refuse(403, 'where-not-granted', 'Filter column not granted', `cannot filter on a column outside the grant: ${badWhere.join(', ')}`, badWhere.map((c) => ({ path: `/query/${c}`, message: `${c} is not in the grant` })));
    }
    return [...new Set(fields)];
  }

  private async serve(actor: Actor, input: CallInput, ctx: CallContext): Promise<{ status: number; payload: unknown; rows: number }> {
    const now = new Date();
    ctx.consumer = await this.consumerOf(actor);
    const g = await this.liveGrant(ctx.consumer, input.resourceCode, ctx, now);
    const shape = await this.shapeOf(g.resourceId);
    if (!shape) throw errors.notFound(`dataset of ${input.resourceCode}`);
    this.shapes.set(g, shape);
    const fields = this.checkRequest(g, shape, input);
    await this.meter(g, now, ctx);
    const mask = rowMasker(shape, fields, g.clearFields);
    const rowFilter = (g.rowFilter as RowFilter) ?? [];
    const masking = Object.fromEntries(
      fields
        .map((f) => shape.items.find((i) => i.name === f)!)
        .filter((i) => i.personal && mask({ [i.name]: 'x' })[i.name] !== 'x')
        .map((i) => [i.name, MASKING_RULES[i.personal!].rule]),
    );
    const grantId = g.id;
    if (input.operation === 'lookup') {
      const keyItems = shape.items.filter((i) => i.key).map((i) => i.name);
      const parts = (input.key ?? '').split('|');
      if (!keyItems.length || parts.length !== keyItems.length) throw errors.field('/params/key', `the key of ${input.resourceCode} is ${keyItems.join('|') || '(none)'}`);
      const key = Object.fromEntries(keyItems.map((k, i) => [k, parts[i]]));
      const row = await this.reader.lookup(g.resourceId, key, fields, rowFilter);
      if (!row) throw errors.notFound('record');
      return { status: 200, rows: 1, payload: { grantId, service: g.serviceId, masking, record: mask(row) } };
    }
    if (input.operation === 'query') {
      const limit = Math.min(input.limit ?? 50, GATEWAY_MAX_PAGE);
      const offset = input.offset ?? 0;
      const r = await this.reader.query(g.resourceId, { fields, filter: rowFilter, where: input.where ?? {}, limit, offset });
      return { status: 200, rows: r.items.length, payload: { grantId, service: g.serviceId, masking, items: r.items.map(mask), total: r.total, limit, offset } };
    }
    // export: queue the job; the file is written by runExport.
    const [e] = await this.db
      .insert(shareExports)
      .values({ grantId, consumerSubsystemId: ctx.consumer.id, resourceCode: input.resourceCode, where: input.where ?? {}, fields, expiresAt: new Date(now.getTime() + EXPORT_TTL_HOURS * 3600_000) })
      .returning();
    await this.deps.queue.enqueue(EXPORT_JOB, { exportId: e.id }, { idempotencyKey: `share-export:${e.id}`, maxAttempts: 3 });
    return { status: 202, rows: 0, payload: { id: e.id, state: e.state, grantId, masking, expiresAt: e.expiresAt.toISOString() } };
  }

  // ---- exports ------------------------------------------------------------------------------------

  private async ownExport(actor: Actor, id: string): Promise<ExportRow> {
    const c = await this.consumerOf(actor);
    const [e] = await this.db.select().from(shareExports).where(eq(shareExports.id, id));
    // Another subsystem's export does not exist as far as this consumer is concerned.
    if (!e || e.consumerSubsystemId !== c.id) throw errors.notFound('export');
    return e;
  }

  async exportState(actor: Actor, id: string) {
    return exportView(await this.ownExport(actor, id));
  }

  /**
   * The export's file as a stream, with its operational record (operation download; the response hash is
   * the file's SHA-256, computed when it was written). Refused when the grant was revoked since.
   */
  async exportFile(actor: Actor, id: string, instance: string): Promise<{ stream: fs.ReadStream; export: ReturnType<typeof exportView>; callId: number } | { refusal: CallOutcome }> {
    const at = new Date();
    const t0 = performance.now();
    const ctx: CallContext = {};
    let e: ExportRow | undefined;
    const input: CallInput = { operation: 'download', resourceCode: '-', exportId: id, instance };
    try {
      e = await this.ownExport(actor, id);
      input.resourceCode = e.resourceCode;
      ctx.consumer = await this.consumerOf(actor);
      const [g] = await this.db.select().from(shareGrants).where(eq(shareGrants.id, e.grantId));
      ctx.grant = g;
      const st = grantState(g, at);
      if (st === 'revoked') throw refuse(403, 'grant-revoked', 'Grant revoked', 'the grant this export was made under has been revoked');
      if (e.state === 'expired' || e.expiresAt.getTime() <= at.getTime()) throw refuse(410, 'export-expired', 'Export expired', `the export expired at ${e.expiresAt.toISOString()}`);
      if (e.state !== 'done' || !e.fileLocation) throw refuse(409, 'export-not-ready', 'Export not ready', `the export is ${e.state}`);
      const stream = fs.createReadStream(e.fileLocation);
      const rec = await this.writeRecord(actor, input, ctx, { at, t0, status: 200, errorCode: null, rows: e.rows, bytes: e.bytes, responseHash: e.sha256 ?? '' });
      return { stream, export: exportView(e), callId: rec.id };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const body = JSON.stringify({ ...err.toProblem(), instance, requestId: actor.requestId });
      const rec = await this.writeRecord(actor, input, ctx, { at, t0, status: err.status, errorCode: err.code, rows: 0, bytes: Buffer.byteLength(body), responseHash: sha256(body) });
      return { refusal: { status: err.status, contentType: 'application/problem+json; charset=utf-8', body, headers: { 'x-share-call-id': String(rec.id) }, callId: rec.id } };
    }
  }

  /** The export job: stream the granted, masked rows into a CSV file (idempotent: a finished export is left alone). */
  async runExport(exportId: string): Promise<{ rows: number; bytes: number } | null> {
    const [e] = await this.db.select().from(shareExports).where(eq(shareExports.id, exportId));
    if (!e || e.state === 'done' || e.state === 'expired') return null;
    const [g] = await this.db.select().from(shareGrants).where(eq(shareGrants.id, e.grantId));
    const fail = async (error: string) => {
      await this.db.update(shareExports).set({ state: 'failed', error, finishedAt: new Date() }).where(eq(shareExports.id, e.id));
      return null;
    };
    if (!g || grantState(g) !== 'live') return fail(`the grant is ${g ? grantState(g) : 'gone'}`);
    const shape = await this.reader.shape(g.resourceId);
    if (!shape) return fail('the resource has no dataset');
    await this.db.update(shareExports).set({ state: 'running', startedAt: new Date(), error: null }).where(eq(shareExports.id, e.id));
    const dir = this.exportDir();
    await fs.promises.mkdir(dir, { recursive: true });
    const file = path.join(dir, `${e.id}.csv`);
    const tmp = `${file}.part`;
    const fields = e.fields.filter((f) => g.fields.includes(f));
    const mask = rowMasker(shape, fields, g.clearFields);
    let rowCount = 0;
    const reader = this.reader;
    async function* masked() {
      for await (const row of reader.stream(g.resourceId, { fields, filter: (g.rowFilter as RowFilter) ?? [], where: (e.where as Record<string, string>) ?? {} })) {
        rowCount++;
        yield mask(row);
      }
    }
    const columns = fields.map((f) => ({ key: f, header: f }));
    const hash = createHash('sha256');
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        bytes += chunk.length;
        cb(null, chunk);
      },
    });
    await pipeline(exportStream('csv', columns, masked()), tap, fs.createWriteStream(tmp));
    await fs.promises.rename(tmp, file);
    await inTransaction(this.db, async (tx) => {
      await tx.update(shareExports).set({ state: 'done', rows: rowCount, bytes, sha256: hash.digest('hex'), fileLocation: file, finishedAt: new Date() }).where(eq(shareExports.id, e.id));
      await tx
        .update(shareGrantUsage)
        .set({ rows: sql`${shareGrantUsage.rows} + ${rowCount}` })
        .where(and(eq(shareGrantUsage.grantId, g.id), eq(shareGrantUsage.day, todayInShanghai(e.createdAt))));
    });
    return { rows: rowCount, bytes };
  }

  /** Expire old export files and purge rate-limit minutes older than an hour. */
  async sweep(now = new Date()): Promise<{ expired: number; minutes: number }> {
    const old = await this.db.select().from(shareExports).where(and(inArray(shareExports.state, ['done', 'failed', 'queued']), sql`${shareExports.expiresAt} <= ${now.toISOString()}`)).limit(1000);
    for (const e of old) {
      if (e.fileLocation) await fs.promises.rm(e.fileLocation, { force: true });
      await this.db.update(shareExports).set({ state: 'expired', fileLocation: null }).where(eq(shareExports.id, e.id));
    }
    const purged = await this.db.delete(shareGrantMinutes).where(sql`${shareGrantMinutes.minute} < ${new Date(now.getTime() - 3600_000).toISOString()}`).returning({ g: shareGrantMinutes.grantId });
    return { expired: old.length, minutes: purged.length };
  }

  // ---- usage and operational records ----------------------------------------------------------------

  private async callVisibility(actor: Actor): Promise<SQL | undefined> {
    const ids = await this.visibleOrgIds(actor, SHARE.statsRead);
    if (ids === undefined) return undefined;
    if (!ids.length) return sql`false`;
    return or(inArray(shareCalls.consumerOrgId, ids), inArray(shareCalls.providerOrgId, ids));
  }

  private async callConditions(actor: Actor, q: { memberId?: string; resourceId?: string; from?: string; to?: string; grantId?: string; consumerSubsystemId?: string; status?: string }): Promise<SQL | undefined> {
    const conds: (SQL | undefined)[] = [await this.callVisibility(actor)];
    if (q.memberId) {
      const orgId = await this.directory.memberOrgId(q.memberId);
      conds.push(orgId ? or(eq(shareCalls.consumerMemberId, q.memberId), eq(shareCalls.providerOrgId, orgId)) : eq(shareCalls.consumerMemberId, q.memberId));
    }
    if (q.resourceId) conds.push(eq(shareCalls.resourceId, q.resourceId));
    // from/to are Asia/Shanghai dates, both inclusive.
    if (q.from) conds.push(sql`${shareCalls.at} >= (${q.from}::date)::timestamp at time zone 'Asia/Shanghai'`);
    if (q.to) conds.push(sql`${shareCalls.at} < ((${q.to}::date + 1))::timestamp at time zone 'Asia/Shanghai'`);
    if (q.grantId) conds.push(eq(shareCalls.grantId, q.grantId));
    if (q.consumerSubsystemId) conds.push(eq(shareCalls.consumerSubsystemId, q.consumerSubsystemId));
    if (q.status === 'ok') conds.push(sql`${shareCalls.status} < 400`);
    else if (q.status === 'error') conds.push(sql`${shareCalls.status} >= 400`);
    else if (q.status) conds.push(eq(shareCalls.status, Number(q.status)));
    return and(...conds.filter(Boolean));
  }

  async listCalls(actor: Actor, q: { grantId?: string; consumerSubsystemId?: string; status?: string; limit: number; offset: number }): Promise<Page<ReturnType<typeof callView>>> {
    const where = await this.callConditions(actor, q);
    const [items, [{ n }]] = await Promise.all([
      this.db.select().from(shareCalls).where(where).orderBy(desc(shareCalls.at), desc(shareCalls.id)).limit(q.limit).offset(q.offset),
      this.db.select({ n: sql<number>`count(*)::int` }).from(shareCalls).where(where),
    ]);
    return { items: items.map(callView), total: n, limit: q.limit, offset: q.offset };
  }

  async getCall(actor: Actor, id: number) {
    const [c] = await this.db.select().from(shareCalls).where(and(eq(shareCalls.id, id), await this.callVisibility(actor)));
    if (!c) throw errors.notFound('operational record');
    const recomputed = bindingHash({ at: c.at.toISOString(), consumerXroadId: c.consumerXroadId, serviceId: c.serviceId, operation: c.operation, status: c.status, rows: c.rows, responseBytes: c.responseBytes, requestHash: c.requestHash, responseHash: c.responseHash });
    return { ...callView(c), bindingValid: recomputed === c.bindingHash };
  }

  async usage(actor: Actor, q: { memberId?: string; resourceId?: string; from?: string; to?: string }) {
    const where = await this.callConditions(actor, q);
    const agg = sql`count(*)::int as calls, count(*) filter (where ${shareCalls.status} >= 400)::int as errors,
      coalesce(sum(${shareCalls.responseBytes}), 0)::bigint as bytes, coalesce(sum(${shareCalls.rows}), 0)::bigint as rows,
      coalesce(percentile_cont(0.5) within group (order by ${shareCalls.durationMs}), 0)::float8 as p50,
      coalesce(percentile_cont(0.99) within group (order by ${shareCalls.durationMs}), 0)::float8 as p99`;
    const w = where ? sql`where ${where}` : sql``;
    type Agg = { calls: number; errors: number; bytes: string | number; rows: string | number; p50: number; p99: number };
    const shapeAgg = (a: Agg) => ({ calls: Number(a.calls), errors: Number(a.errors), bytes: Number(a.bytes), rows: Number(a.rows), p50Ms: Number(a.p50), p99Ms: Number(a.p99) });
    const [total] = await rawRows<Agg>(this.db, sql`select ${agg} from ${shareCalls} ${w}`);
    const byResource = await rawRows<Agg & { resource_code: string }>(this.db, sql`select ${shareCalls.resourceCode} as resource_code, ${agg} from ${shareCalls} ${w} group by 1 order by calls desc limit 100`);
    const byConsumer = await rawRows<Agg & { consumer: string | null }>(this.db, sql`select ${shareCalls.consumerXroadId} as consumer, ${agg} from ${shareCalls} ${w} group by 1 order by calls desc limit 100`);
    const byDay = await rawRows<Agg & { day: string }>(this.db, sql`select to_char((${shareCalls.at} at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') as day, ${agg} from ${shareCalls} ${w} group by 1 order by 1 desc limit 400`);
    return {
      ...shapeAgg(total),
      byResource: byResource.map((r) => ({ resourceCode: r.resource_code, ...shapeAgg(r) })),
      byConsumer: byConsumer.map((r) => ({ consumerXroadId: r.consumer, ...shapeAgg(r) })),
      byDay: byDay.map((r) => ({ day: r.day, ...shapeAgg(r) })),
    };
  }

  /** For the console: whether the actor may manage grants and keys. */
  canManage(actor: Actor) {
    return can(actor, SHARE.grantManage);
  }
}
