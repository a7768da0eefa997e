// Pull connectors: an http_json source or a postgres table, configuration encrypted at rest (only a
// non-secret summary is shown), run on demand or on a schedule; the rows they read, since the watermark
// when incremental.
import { and, eq, inArray, sql } from 'drizzle-orm';
import pg from 'pg';
import { type Actor, systemActor } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { decrypt, encrypt } from '../../../platform/crypto/secrets';
import { inTransaction } from '../../../platform/db/client';
import { AppError, errors } from '../../../platform/http/problem';
import { PermanentJobError } from '../../../platform/jobs/queue';
import type { ResourceDataShape } from '../contracts';
import { type ConnectorInput, type ConnectorRow, ident, type InRow, iso, LOAD_JOB, type LoadView, loadView } from './data.core';
import { shareConnectors, shareLoads } from './data.schema';
import type { DataTables } from './data.tables';

export class DataConnectors {
  constructor(private readonly tables: DataTables) {}

  private get deps() {
    return this.tables.deps;
  }

  private get db() {
    return this.deps.db;
  }

  // ---- connectors -----------------------------------------------------------------------------------------

  private sealConfig(c: Record<string, string>) {
    return encrypt(this.deps.config.masterKey, JSON.stringify(c), 'share-connector');
  }
  private openConfig(c: ConnectorRow): Record<string, string> {
    return JSON.parse(decrypt(this.deps.config.masterKey, c.configSealed, 'share-connector')) as Record<string, string>;
  }

  private connectorSummary(kind: string, c: Record<string, string>): Record<string, unknown> {
    if (kind === 'http_json') {
      const u = new URL(c.url);
      return { url: `${u.origin}${u.pathname}`, sinceParam: c.sinceParam ?? 'since', token: c.token ? 'set' : 'none' };
    }
    let host = '(unparseable)';
    try {
      const u = new URL(c.connectionString);
      host = `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
    } catch {
      /* keep the placeholder */
    }
    return { host, table: c.table };
  }

  private checkConnector(shape: ResourceDataShape, input: Partial<ConnectorInput>, kind: string) {
    if (input.config) {
      if (kind === 'http_json') {
        try {
          const u = new URL(input.config.url ?? '');
          if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
        } catch {
          throw errors.field('/config/url', 'an http(s) URL is required');
        }
      } else {
        if (!/^postgres(ql)?:\/\//.test(input.config.connectionString ?? '')) throw errors.field('/config/connectionString', 'a postgres:// URL is required');
        if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/i.test(input.config.table ?? '')) throw errors.field('/config/table', 'a table name (schema.table) is required');
      }
    }
    if (input.changeColumn && !shape.items.some((i) => i.name === input.changeColumn)) throw errors.field('/changeColumn', 'not a column of the resource');
  }

  private connectorView(c: ConnectorRow) {
    return {
      id: c.id,
      resourceId: c.resourceId,
      name: c.name,
      kind: c.kind,
      summary: c.summary,
      mode: c.mode,
      changeColumn: c.changeColumn,
      watermark: c.watermark,
      scheduleSeconds: c.scheduleSeconds,
      enabled: c.enabled,
      nextRunAt: iso(c.nextRunAt),
      lastRunAt: iso(c.lastRunAt),
      lastLoadId: c.lastLoadId,
      lastError: c.lastError,
      createdAt: c.createdAt.toISOString(),
    };
  }

  async listConnectors(actor: Actor, resourceId: string) {
    await this.tables.providerShape(actor, resourceId);
    const items = await this.db.select().from(shareConnectors).where(eq(shareConnectors.resourceId, resourceId)).orderBy(shareConnectors.createdAt);
    return { items: items.map((c) => this.connectorView(c)), total: items.length, limit: items.length, offset: 0 };
  }

  async createConnector(actor: Actor, resourceId: string, input: ConnectorInput) {
    const shape = await this.tables.providerShape(actor, resourceId);
    this.checkConnector(shape, input, input.kind);
    const changeColumn = input.changeColumn ?? shape.items.find((i) => i.change)?.name ?? null;
    const mode = input.mode ?? 'incremental';
    if (mode === 'incremental' && !changeColumn) throw errors.field('/changeColumn', 'an incremental connector needs a change column');
    return inTransaction(this.db, async (tx) => {
      const [c] = await tx
        .insert(shareConnectors)
        .values({
          resourceId,
          name: input.name,
          kind: input.kind,
          configSealed: this.sealConfig(input.config),
          summary: this.connectorSummary(input.kind, input.config),
          mode,
          changeColumn,
          scheduleSeconds: input.scheduleSeconds ?? null,
          enabled: input.enabled ?? true,
          nextRunAt: input.scheduleSeconds ? new Date(Date.now() + input.scheduleSeconds * 1000) : null,
          createdBy: actor.userId,
        })
        .returning();
      await recordAudit(tx, actor, { action: 'share.data.connector.create', entityType: 'share_connector', entityId: c.id, orgId: shape.providerOrgId, after: { resourceId, kind: c.kind, summary: c.summary, mode, scheduleSeconds: c.scheduleSeconds } });
      return this.connectorView(c);
    });
  }

  private async connectorFor(actor: Actor, id: string): Promise<{ c: ConnectorRow; shape: ResourceDataShape }> {
    const [c] = await this.db.select().from(shareConnectors).where(eq(shareConnectors.id, id));
    if (!c) throw errors.notFound('connector');
    const shape = await this.tables.providerShape(actor, c.resourceId);
    return { c, shape };
  }

  async updateConnector(actor: Actor, id: string, patch: Partial<ConnectorInput> & { watermark?: string | null }) {
    const { c, shape } = await this.connectorFor(actor, id);
    this.checkConnector(shape, patch, c.kind);
    return inTransaction(this.db, async (tx) => {
      const set: Partial<typeof shareConnectors.$inferInsert> = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.config) {
        const merged = { ...this.openConfig(c), ...patch.config };
        this.checkConnector(shape, { config: merged }, c.kind);
        set.configSealed = this.sealConfig(merged);
        set.summary = this.connectorSummary(c.kind, merged);
      }
      if (patch.mode !== undefined) set.mode = patch.mode;
      if (patch.changeColumn !== undefined) set.changeColumn = patch.changeColumn;
      if (patch.enabled !== undefined) set.enabled = patch.enabled;
      if (patch.watermark !== undefined) set.watermark = patch.watermark;
      if (patch.scheduleSeconds !== undefined) {
        set.scheduleSeconds = patch.scheduleSeconds;
        set.nextRunAt = patch.scheduleSeconds ? new Date(Date.now() + patch.scheduleSeconds * 1000) : null;
      }
      const [u] = await tx.update(shareConnectors).set(set).where(eq(shareConnectors.id, id)).returning();
      await recordAudit(tx, actor, { action: 'share.data.connector.update', entityType: 'share_connector', entityId: id, orgId: shape.providerOrgId, before: this.connectorView(c), after: this.connectorView(u) });
      return this.connectorView(u);
    });
  }

  /** Queue a pull now (on demand, or from the schedule). */
  async runConnector(actor: Actor, id: string): Promise<LoadView> {
    const { c, shape } = await this.connectorFor(actor, id);
    return this.queuePull(actor, c, shape);
  }

  private async queuePull(actor: Actor, c: ConnectorRow, shape: ResourceDataShape): Promise<LoadView> {
    const busy = await this.db.select({ id: shareLoads.id }).from(shareLoads).where(and(eq(shareLoads.connectorId, c.id), inArray(shareLoads.state, ['queued', 'running'])));
    if (busy.length) throw errors.conflict('this connector already has a load queued or running', { loadId: busy[0].id });
    const [l] = await this.db.insert(shareLoads).values({ resourceId: c.resourceId, providerOrgId: shape.providerOrgId, source: 'pull', mode: c.mode, connectorId: c.id, createdBy: actor.userId }).returning();
    await this.deps.queue.enqueue(LOAD_JOB, { loadId: l.id }, { idempotencyKey: `share-load:${l.id}`, maxAttempts: 3 });
    return loadView(l);
  }

  /** The periodic job: every enabled connector with a schedule that is due gets a pull queued. */
  async runDueConnectors(now = new Date()): Promise<number> {
    const due = await this.db.select().from(shareConnectors).where(and(eq(shareConnectors.enabled, true), sql`${shareConnectors.scheduleSeconds} is not null and ${shareConnectors.nextRunAt} <= ${now}`));
    let n = 0;
    for (const c of due) {
      await this.db.update(shareConnectors).set({ nextRunAt: new Date(now.getTime() + c.scheduleSeconds! * 1000) }).where(eq(shareConnectors.id, c.id));
      const shape = await this.tables.shape(c.resourceId);
      if (!shape) continue;
      try {
        await this.queuePull(systemActor('share-connector-schedule'), c, shape);
        n++;
      } catch (err) {
        if (!(err instanceof AppError)) throw err; // a pull still running: skip this round
      }
    }
    return n;
  }

  /** Rows from the source, since the connector's watermark when incremental. */
  async *pullRows(c: ConnectorRow, shape: ResourceDataShape, mode: 'full' | 'incremental'): AsyncIterable<InRow> {
    const cfg = this.openConfig(c);
    const names = shape.items.map((i) => i.name);
    const pickRow = (o: Record<string, unknown>) => Object.fromEntries(names.filter((n) => n in o).map((n) => [n, o[n]]));
    let n = 0;
    const since = mode === 'incremental' ? c.watermark : null;
    if (c.kind === 'http_json') {
      let cursor = since;
      for (let page = 0; page < 10_000; page++) {
        const u = new URL(cfg.url);
        if (cursor) u.searchParams.set(cfg.sinceParam ?? 'since', cursor);
        const res = await fetch(u, { headers: { accept: 'application/json', ...(cfg.token ? { authorization: `Bearer ${cfg.token}` } : {}) }, signal: AbortSignal.timeout(60_000) });
        if (!res.ok) throw new PermanentJobError(`the source answered ${res.status}`);
        const body = (await res.json()) as unknown;
        const list = Array.isArray(body) ? body : Array.isArray((body as { items?: unknown }).items) ? (body as { items: unknown[] }).items : null;
        if (!list) throw new PermanentJobError('the source did not answer a JSON array or {items: [...]}');
        if (!list.length) return;
        let top = cursor;
        for (const o of list as Record<string, unknown>[]) {
          yield { row: ++n, values: pickRow(o) };
          const v = c.changeColumn ? o[c.changeColumn] : undefined;
          if (typeof v === 'string' && (!top || v > top)) top = v;
        }
        // Without a change column, or when the source ignores `since`, one page is all there is.
        if (!c.changeColumn || top === cursor) return;
        cursor = top;
      }
      return;
    }
    const client = new pg.Client({ connectionString: cfg.connectionString });
    await client.connect();
    try {
      const table = cfg.table.split('.').map((p) => `"${p}"`).join('.');
      const ch = c.changeColumn ? ident(c.changeColumn) : null;
      const keys = shape.items.filter((i) => i.key).map((i) => ident(i.name));
      for (let offset = 0; ; offset += 5000) {
        const where = since && ch ? `where ${ch} > $1::timestamptz` : '';
        const order = [...(ch ? [ch] : []), ...keys].join(', ');
        const r = await client.query<{ r: Record<string, unknown> }>(`select to_jsonb(s) as r from (select * from ${table} ${where} order by ${order} limit 5000 offset ${offset}) s`, since && ch ? [since] : []);
        for (const x of r.rows) yield { row: ++n, values: pickRow(x.r) };
        if (r.rows.length < 5000) return;
      }
    } finally {
      await client.end();
    }
  }
}
