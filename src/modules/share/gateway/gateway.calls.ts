// Serving one gateway call: the consumer's key, its live grant, the per-minute rate and the daily quota,
// the fields and filters it may use, masked rows from the data store, and the operational record whose
// binding hash ties the response to the request (gateway.hash.ts).
import { and, desc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import type { Actor } from '../../../platform/auth/actor';
import { inTransaction, rows as rawRows, type DbOrTx } from '../../../platform/db/client';
import { AppError, errors } from '../../../platform/http/problem';
import { todayInShanghai } from '../../../platform/ids';
import type { ResourceDataShape, RowFilter } from '../contracts';
import type { ConsumerSubsystem } from './directory';
import { bindingHash, requestHash, sha256 } from './gateway.hash';
import { EXPORT_JOB, EXPORT_TTL_HOURS, GATEWAY_MAX_PAGE, SHAPE_TTL_MS, grantState, refuse, type CallContext, type CallInput, type CallOutcome, type GatewayContext, type GrantRow } from './gateway.core';
import type { GatewayKeys } from './gateway.keys';
import { shareCalls, shareExports, shareGrantMinutes, shareGrants, shareGrantUsage } from './gateway.schema';
import { MASKING_RULES, rowMasker } from './masking';

export class GatewayCalls {
  constructor(
    private readonly gw: GatewayContext,
    private readonly keys: GatewayKeys,
  ) {}

  private get deps() {
    return this.gw.deps;
  }

  private get db() {
    return this.gw.deps.db;
  }

  private get reader() {
    return this.gw.reader;
  }

  private get directory() {
    return this.gw.directory;
  }

  private get options() {
    return this.gw.options;
  }

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

  /** The operational record of a call (served or refused); the exports room records downloads through it. */
  async writeRecord(
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
    ctx.consumer = await this.keys.consumerOf(actor);
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
}
