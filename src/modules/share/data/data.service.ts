// Datasets behind published resources: one typed table per resource (schema share_data), loading by
// upload, push and pull with quality rules, the reader the gateway uses, quality scores and objections.
//
// Every load goes the same way: rows are typed and checked as they stream in, good rows are written in
// chunks into a private staging table, set-level rules (unique, referential) run in SQL on the staging
// table, and then ONE transaction merges staging into the dataset (full: replace; incremental: upsert by
// key) together with the dataset's counters, the load's outcome and its audit entry. A process killed at
// any point before that commit leaves the dataset exactly as it was; the job then starts the load again
// from the staged file.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import { type Actor, can, canSeeOrgPath, requirePermission, systemActor, visibility } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { decrypt, encrypt } from '../../../platform/crypto/secrets';
import { type DbOrTx, inTransaction, rows as rawRows, type Tx } from '../../../platform/db/client';
import { readRows, type TabularFormat } from '../../../platform/files';
import { stageUpload } from '../../../platform/files/staging';
import { readJsonLines } from '../../../platform/files/jsonl';
import { AppError, errors } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import { PermanentJobError } from '../../../platform/jobs/queue';
import { todayInShanghai } from '../../../platform/ids';
import { checkRowText, type RowTextProblem } from '../../../platform/text';
import type { ResourceCatalogue } from '../catalogue';
import type { DataItem, DatasetReader, ItemType, ResourceDataShape, RowFilter } from '../contracts';
import type { ShareDeps } from '../deps';
import { SHARE } from '../share.permissions';
import { shareConnectors, shareDatasets, shareLoadRejects, shareLoads, shareObjections, shareQualityResults, shareQualityRules } from './data.schema';
import { CYCLE_DAYS, DERIVED_THRESHOLD, DIMENSION_OF, DIMENSIONS, type Dimension, type Problem, type QualityRule, type RuleKind, checkRow, derivedRules, isRowRule, passRateScore, ruleProblem, SQL_TYPE, timelinessScore, typed } from './quality';

export const LOAD_JOB = 'share.data.load';
export const CONNECTORS_JOB = 'share.data.connectors';
export const MAX_BATCH_ROWS = 10_000;
const CHUNK = 5000;
const PROGRESS_EVERY = 5000;
const COLUMN = /^[a-z][a-z0-9_]{0,62}$/;

type LoadRow = typeof shareLoads.$inferSelect;
type ConnectorRow = typeof shareConnectors.$inferSelect;
type ObjectionRow = typeof shareObjections.$inferSelect;
type DatasetRow = typeof shareDatasets.$inferSelect;
type InRow = { row: number; values: Record<string, unknown>; textProblems?: RowTextProblem[] };

/** A column name quoted after checking it is one (names come from items, and items are checked on publish). */
export function ident(name: string): string {
  if (!COLUMN.test(name)) throw errors.field('/column', `not a column name: ${name}`);
  return `"${name}"`;
}

export function tableNameFor(code: string): string {
  return `share_data.ds_${code.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
}

export interface LoadView {
  id: string;
  resourceId: string;
  source: string;
  mode: string;
  state: string;
  batchId: string | null;
  connectorId: string | null;
  fileName: string | null;
  format: string | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsInserted: number;
  rowsUpdated: number;
  bytesRead: number;
  bytesTotal: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
function loadView(l: LoadRow): LoadView {
  return {
    id: l.id,
    resourceId: l.resourceId,
    source: l.source,
    mode: l.mode,
    state: l.state,
    batchId: l.batchId,
    connectorId: l.connectorId,
    fileName: l.fileName,
    format: l.format,
    rowsRead: l.rowsRead,
    rowsLoaded: l.rowsLoaded,
    rowsRejected: l.rowsRejected,
    rowsInserted: l.rowsInserted,
    rowsUpdated: l.rowsUpdated,
    bytesRead: l.bytesRead,
    bytesTotal: l.bytesTotal,
    error: l.error,
    createdAt: l.createdAt.toISOString(),
    startedAt: iso(l.startedAt),
    finishedAt: iso(l.finishedAt),
  };
}

export interface QualityScore {
  score: number;
  dimensions: Record<Dimension, number>;
}

export interface ConnectorInput {
  name: string;
  kind: 'http_json' | 'postgres';
  /** http_json: {url, token?, sinceParam?}; postgres: {connectionString, table}. */
  config: Record<string, string>;
  mode?: 'full' | 'incremental';
  changeColumn?: string | null;
  scheduleSeconds?: number | null;
  enabled?: boolean;
}

export class DataStore implements DatasetReader {
  private tables = new Map<string, { sig: string; ds: DatasetRow }>();

  constructor(readonly deps: ShareDeps & { catalogue: ResourceCatalogue }) {}

  private get db() {
    return this.deps.db;
  }
  private get isPostgres() {
    return this.deps.config.databaseUrl !== undefined && this.deps.config.databaseUrl !== '';
  }

  private async q<T>(db: DbOrTx, text: string, params: unknown[] = []): Promise<T[]> {
    const chunks: SQL[] = [];
    const parts = text.split(/\$(\d+)/);
    for (let i = 0; i < parts.length; i++) {
      if (i % 2 === 0) chunks.push(sql.raw(parts[i]));
      else chunks.push(sql`${sql.param(params[Number(parts[i]) - 1])}`);
    }
    return rawRows<T>(db, sql.join(chunks, sql.raw('')));
  }

  // ---- tables -------------------------------------------------------------------------------------------

  shape(resourceId: string): Promise<ResourceDataShape | null> {
    return this.deps.catalogue.shape(resourceId);
  }

  private async requireShape(resourceId: string): Promise<ResourceDataShape> {
    const s = await this.shape(resourceId);
    if (!s) throw errors.notFound('published resource');
    return s;
  }

  /**
   * Create the resource's table, or add the columns of new items (never dropping one: an item removed from
   * the catalogue keeps its column and data). Idempotent; cached per process by the items' signature.
   */
  async ensureTable(shape: ResourceDataShape): Promise<DatasetRow> {
    const sig = JSON.stringify(shape.items.map((i) => [i.name, i.type, !!i.key]));
    const hit = this.tables.get(shape.resourceId);
    if (hit && hit.sig === sig) return hit.ds;
    for (const i of shape.items) ident(i.name);
    const table = tableNameFor(shape.code);
    const keys = shape.items.filter((i) => i.key).map((i) => i.name);
    await this.db.execute(sql.raw(`create schema if not exists share_data`));
    let [ds] = await this.db.select().from(shareDatasets).where(eq(shareDatasets.resourceId, shape.resourceId));
    if (!ds) {
      const cols = shape.items.map((i) => `${ident(i.name)} ${SQL_TYPE[i.type]}`);
      await this.db.execute(
        sql.raw(
          `create table if not exists ${table} (${cols.join(', ')}, _row_id bigserial not null, _load_id uuid, _loaded_at timestamptz not null default now()` +
            (keys.length ? `, primary key (${keys.map(ident).join(', ')})` : '') +
            `)`,
        ),
      );
      await this.db.execute(sql.raw(`create unique index if not exists ${table.split('.')[1]}_row_id on ${table} (_row_id)`));
      if (shape.items.some((i) => i.name === 'district_code')) await this.db.execute(sql.raw(`create index if not exists ${table.split('.')[1]}_district on ${table} (district_code)`));
      await this.db
        .insert(shareDatasets)
        .values({ resourceId: shape.resourceId, tableName: table, columns: shape.items.map((i) => ({ name: i.name, type: SQL_TYPE[i.type] })), keyColumns: keys })
        .onConflictDoNothing();
      [ds] = await this.db.select().from(shareDatasets).where(eq(shareDatasets.resourceId, shape.resourceId));
    } else {
      const have = new Set(ds.columns.map((c) => c.name));
      const added = shape.items.filter((i) => !have.has(i.name));
      if (added.length) {
        for (const i of added) await this.db.execute(sql.raw(`alter table ${ds.tableName} add column if not exists ${ident(i.name)} ${SQL_TYPE[i.type]}`));
        const columns = [...ds.columns, ...added.map((i) => ({ name: i.name, type: SQL_TYPE[i.type] }))];
        await this.db.update(shareDatasets).set({ columns }).where(eq(shareDatasets.resourceId, shape.resourceId));
        ds = { ...ds, columns };
      }
    }
    this.tables.set(shape.resourceId, { sig, ds });
    return ds;
  }

  /** The dataset's qualified table name (created when missing). */
  async tableOf(resourceId: string): Promise<string> {
    return (await this.ensureTable(await this.requireShape(resourceId))).tableName;
  }

  /** The column's SQL type in the table as it is (a column keeps its type when an item's type changes). */
  private colType(ds: DatasetRow, name: string): string {
    return ds.columns.find((c) => c.name === name)?.type ?? 'text';
  }

  // ---- reading (the gateway's DatasetReader and the provider's own view) -----------------------------------

  private checkColumns(shape: ResourceDataShape, names: string[], where: string) {
    const known = new Set(shape.items.map((i) => i.name));
    names.forEach((n, i) => {
      if (!known.has(n)) throw errors.field(`/${where}/${i}`, `unknown column ${n}`);
    });
  }

  private projection(shape: ResourceDataShape, fields: string[]): string {
    return fields.map((f) => (shape.items.find((i) => i.name === f)?.type === 'date' ? `to_char(${ident(f)}, 'YYYY-MM-DD') as ${ident(f)}` : ident(f))).join(', ');
  }

  private outRow(shape: ResourceDataShape, r: Record<string, unknown>): Record<string, unknown> {
    for (const it of shape.items) {
      const v = r[it.name];
      if (v === undefined || v === null) continue;
      if (it.type === 'datetime') r[it.name] = v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
      else if (it.type === 'integer') r[it.name] = Number(v);
      else if (it.type === 'decimal') r[it.name] = String(v);
    }
    return r;
  }

  private conditions(ds: DatasetRow, eqs: [string, string][], params: unknown[]): string {
    return eqs.map(([c, v]) => {
      params.push(v);
      return `${ident(c)} = $${params.length}::${this.colType(ds, c)}`;
    }).join(' and ');
  }

  async lookup(resourceId: string, key: Record<string, string>, fields: string[], filter: RowFilter): Promise<Record<string, unknown> | null> {
    const shape = await this.requireShape(resourceId);
    const ds = await this.ensureTable(shape);
    const keys = shape.items.filter((i) => i.key).map((i) => i.name);
    for (const k of keys) if (key[k] === undefined) throw errors.field(`/key/${k}`, 'required');
    this.checkColumns(shape, fields, 'fields');
    this.checkColumns(shape, filter.map((f) => f.column), 'filter');
    if (!fields.length) throw errors.field('/fields', 'at least one field');
    const params: unknown[] = [];
    const where = this.conditions(ds, [...keys.map((k) => [k, key[k]] as [string, string]), ...filter.map((f) => [f.column, f.equals] as [string, string])], params);
    for (const k of keys) {
      const t = typed(shape.items.find((i) => i.name === k)!.type, key[k]);
      if ('error' in t) return null;
    }
    const [r] = await this.q<Record<string, unknown>>(this.db, `select ${this.projection(shape, fields)} from ${ds.tableName} where ${where} limit 1`, params);
    return r ? this.outRow(shape, r) : null;
  }

  private whereOf(shape: ResourceDataShape, ds: DatasetRow, filter: RowFilter, where: Record<string, string>, params: unknown[]): string {
    this.checkColumns(shape, Object.keys(where), 'where');
    this.checkColumns(shape, filter.map((f) => f.column), 'filter');
    for (const [c, v] of Object.entries(where)) {
      const t = typed(shape.items.find((i) => i.name === c)!.type, v);
      if ('error' in t) throw errors.field(`/where/${c}`, t.error);
    }
    const eqs = [...Object.entries(where), ...filter.map((f) => [f.column, f.equals] as [string, string])];
    return eqs.length ? `where ${this.conditions(ds, eqs, params)}` : '';
  }

  async query(resourceId: string, q: { fields: string[]; filter: RowFilter; where: Record<string, string>; limit: number; offset: number }): Promise<{ items: Record<string, unknown>[]; total: number }> {
    const shape = await this.requireShape(resourceId);
    const ds = await this.ensureTable(shape);
    this.checkColumns(shape, q.fields, 'fields');
    const params: unknown[] = [];
    const where = this.whereOf(shape, ds, q.filter, q.where, params);
    const order = ds.keyColumns.length ? ds.keyColumns.map(ident).join(', ') : '_row_id';
    const items = await this.q<Record<string, unknown>>(this.db, `select ${this.projection(shape, q.fields)} from ${ds.tableName} ${where} order by ${order} limit ${Math.max(0, Math.floor(q.limit))} offset ${Math.max(0, Math.floor(q.offset))}`, params);
    let total: number;
    if (!where) total = ds.rowCount === 0 ? 0 : (await this.datasetRow(resourceId))!.rowCount;
    else [{ total }] = await this.q<{ total: number }>(this.db, `select count(*)::int as total from ${ds.tableName} ${where}`, params);
    return { items: items.map((r) => this.outRow(shape, r)), total };
  }

  /** Every matching row, 1,000 at a time by keyset on the row id: bounded memory on any table size. */
  async *stream(resourceId: string, q: { fields: string[]; filter: RowFilter; where: Record<string, string> }): AsyncIterable<Record<string, unknown>> {
    const shape = await this.requireShape(resourceId);
    const ds = await this.ensureTable(shape);
    this.checkColumns(shape, q.fields, 'fields');
    const params: unknown[] = [];
    const where = this.whereOf(shape, ds, q.filter, q.where, params);
    let last = '0';
    for (;;) {
      const page = await this.q<Record<string, unknown>>(
        this.db,
        `select _row_id::text as _rid, ${this.projection(shape, q.fields)} from ${ds.tableName} ${where ? `${where} and` : 'where'} _row_id > $${params.length + 1}::bigint order by _row_id limit 1000`,
        [...params, last],
      );
      for (const r of page) {
        last = r._rid as string;
        delete r._rid;
        yield this.outRow(shape, r);
      }
      if (page.length < 1000) return;
    }
  }

  private async datasetRow(resourceId: string, db: DbOrTx = this.db): Promise<DatasetRow | null> {
    const [d] = await db.select().from(shareDatasets).where(eq(shareDatasets.resourceId, resourceId));
    return d ?? null;
  }

  // ---- access ---------------------------------------------------------------------------------------------

  private async canProvide(actor: Actor, providerOrgId: string | null, permission: string): Promise<boolean> {
    if (!can(actor, permission)) return false;
    const v = visibility(actor, permission);
    if (v.all) return true;
    if (!providerOrgId) return false;
    return canSeeOrgPath(v, await this.deps.orgs.pathOf(providerOrgId));
  }

  /** The resource's shape when the actor may act on it as (or for) its provider; 403/404 otherwise. */
  private async providerShape(actor: Actor, resourceId: string, permission: string = SHARE.dataLoad): Promise<ResourceDataShape> {
    requirePermission(actor, permission);
    const shape = await this.requireShape(resourceId);
    if (!(await this.canProvide(actor, shape.providerOrgId, permission))) throw errors.forbidden('only the providing department (or the bureau) may do this');
    return shape;
  }

  // ---- dataset view ---------------------------------------------------------------------------------------

  async datasetView(actor: Actor, resourceId: string) {
    requirePermission(actor, SHARE.catalogueRead);
    const shape = await this.requireShape(resourceId);
    const ds = await this.ensureTable(shape);
    const fresh = (await this.datasetRow(resourceId))!;
    return {
      resourceId,
      tableName: ds.tableName,
      columns: shape.items.map((i) => ({ name: i.name, label: i.label, type: i.type, key: !!i.key, required: !!i.required, personal: i.personal ?? null, change: !!i.change })),
      retiredColumns: ds.columns.filter((c) => !shape.items.some((i) => i.name === c.name)).map((c) => c.name),
      rowCount: fresh.rowCount,
      lastLoadedAt: iso(fresh.lastLoadedAt),
      changeWatermark: fresh.changeWatermark,
      quality: await this.score(resourceId),
    };
  }

  async records(actor: Actor, resourceId: string, q: { limit: number; offset: number; where: Record<string, string> }) {
    const shape = await this.providerShape(actor, resourceId);
    const fields = shape.items.map((i) => i.name);
    const r = await this.query(resourceId, { fields, filter: [], where: q.where, limit: q.limit, offset: q.offset });
    return { ...r, limit: q.limit, offset: q.offset };
  }

  // ---- quality rules ----------------------------------------------------------------------------------------

  /** Derived rules (from the items; always on) followed by the provider's own. */
  async rules(resourceId: string, shape?: ResourceDataShape): Promise<QualityRule[]> {
    shape ??= await this.requireShape(resourceId);
    const own = await this.db.select().from(shareQualityRules).where(eq(shareQualityRules.resourceId, resourceId)).orderBy(shareQualityRules.createdAt, shareQualityRules.id);
    return [
      ...derivedRules(shape.items),
      ...own.map((r) => ({ id: r.id, kind: r.kind as RuleKind, column: r.column, params: r.params, threshold: r.threshold, severity: r.severity as 'error' | 'warning', derived: false })),
    ];
  }

  async listRules(actor: Actor, resourceId: string) {
    requirePermission(actor, SHARE.catalogueRead);
    return { items: await this.rules(resourceId) };
  }

  /** Replace the provider's own rules (derived rules stay). */
  async putRules(actor: Actor, resourceId: string, input: Omit<QualityRule, 'id' | 'derived'>[]) {
    const shape = await this.providerShape(actor, resourceId);
    input.forEach((r, i) => {
      const p = ruleProblem({ ...r, params: r.params ?? {} }, shape.items);
      if (p) throw errors.field(`/rules/${i}`, p);
      if (r.kind === 'referential') {
        // The referenced dataset must exist and have the column.
        if (r.params.resourceId === resourceId) throw errors.field(`/rules/${i}/params/resourceId`, 'must be another resource');
      }
    });
    for (const [i, r] of input.entries()) {
      if (r.kind !== 'referential') continue;
      const other = await this.shape(String(r.params.resourceId));
      if (!other) throw errors.field(`/rules/${i}/params/resourceId`, 'not a published resource');
      if (!other.items.some((it) => it.name === r.params.column)) throw errors.field(`/rules/${i}/params/column`, `not a column of ${other.code}`);
    }
    await inTransaction(this.db, async (tx) => {
      const before = await tx.select().from(shareQualityRules).where(eq(shareQualityRules.resourceId, resourceId));
      await tx.delete(shareQualityRules).where(eq(shareQualityRules.resourceId, resourceId));
      if (input.length)
        await tx.insert(shareQualityRules).values(input.map((r) => ({ resourceId, kind: r.kind, column: r.column ?? null, params: r.params ?? {}, threshold: r.threshold, severity: r.severity })));
      await recordAudit(tx, actor, { action: 'share.data.rules', entityType: 'share_resource', entityId: resourceId, orgId: shape.providerOrgId, before: { rules: before.length }, after: { rules: input.length } });
    });
    return this.listRules(actor, resourceId);
  }

  // ---- loads ----------------------------------------------------------------------------------------------

  private loadsDir() {
    const d = path.join(this.deps.config.dataDir, 'share-loads');
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /** Upload: the file is streamed to DATA_DIR/share-loads, then a durable job loads it. */
  async createUpload(actor: Actor, resourceId: string, mode: 'full' | 'incremental', file: { fileName: string; format: TabularFormat | 'jsonl'; stream: Readable }): Promise<LoadView> {
    const shape = await this.providerShape(actor, resourceId);
    await this.ensureTable(shape);
    const id = randomUUID();
    const rel = `${id}.${file.format}`;
    const full = path.join(this.loadsDir(), rel);
    const bytes = await stageUpload(file.stream, full);
    const load = await inTransaction(this.db, async (tx) => {
      const [l] = await tx
        .insert(shareLoads)
        .values({ id, resourceId, providerOrgId: shape.providerOrgId, source: 'upload', mode, fileName: file.fileName, format: file.format, filePath: rel, bytesTotal: bytes, createdBy: actor.userId })
        .returning();
      await recordAudit(tx, actor, { action: 'share.data.upload', entityType: 'share_load', entityId: id, orgId: shape.providerOrgId, after: { resourceId, mode, fileName: file.fileName, bytes } });
      return l;
    });
    await this.deps.queue.enqueue(LOAD_JOB, { loadId: id }, { idempotencyKey: `share-load:${id}`, maxAttempts: 3 });
    return loadView(load);
  }

  /** Push API: validated and merged at once; the same batchId again returns the first result. */
  async pushBatch(actor: Actor, resourceId: string, input: { batchId: string; mode: 'full' | 'incremental'; rows: Record<string, unknown>[] }) {
    const shape = await this.providerShape(actor, resourceId);
    if (input.rows.length > MAX_BATCH_ROWS) throw errors.field('/rows', `at most ${MAX_BATCH_ROWS} rows per batch`);
    await this.ensureTable(shape);
    const [created] = await this.db
      .insert(shareLoads)
      .values({ resourceId, providerOrgId: shape.providerOrgId, source: 'push', mode: input.mode, batchId: input.batchId, bytesTotal: 0, createdBy: actor.userId })
      .onConflictDoNothing()
      .returning();
    if (!created) {
      const [first] = await this.db.select().from(shareLoads).where(and(eq(shareLoads.resourceId, resourceId), eq(shareLoads.batchId, input.batchId)));
      return { replayed: true, ...(await this.batchResult(first)) };
    }
    const rowsIn = (async function* () {
      let n = 0;
      for (const r of input.rows) yield { row: ++n, values: r };
    })();
    await this.ingest(created, shape, rowsIn, actor);
    const [done] = await this.db.select().from(shareLoads).where(eq(shareLoads.id, created.id));
    return { replayed: false, ...(await this.batchResult(done)) };
  }

  private async batchResult(l: LoadRow) {
    const rejected = await this.db.select({ rowNumber: shareLoadRejects.rowNumber, problems: shareLoadRejects.problems }).from(shareLoadRejects).where(eq(shareLoadRejects.loadId, l.id)).orderBy(shareLoadRejects.rowNumber);
    return { load: loadView(l), rejected };
  }

  async listLoads(actor: Actor, f: { resourceId?: string; state?: string; limit: number; offset: number }): Promise<Page<LoadView & { resourceCode: string | null; resourceName: string | null }>> {
    requirePermission(actor, SHARE.dataLoad);
    const conds: SQL[] = [];
    const ids = await this.deps.orgs.visibleIds(actor, SHARE.dataLoad);
    if (ids) {
      if (!ids.length) return { items: [], total: 0, limit: f.limit, offset: f.offset };
      conds.push(inArray(shareLoads.providerOrgId, ids));
    }
    if (f.resourceId) conds.push(eq(shareLoads.resourceId, f.resourceId));
    if (f.state) conds.push(eq(shareLoads.state, f.state));
    const where = conds.length ? and(...conds) : undefined;
    const items = await this.db.select().from(shareLoads).where(where).orderBy(desc(shareLoads.createdAt), desc(shareLoads.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(shareLoads).where(where);
    const codes = new Map<string, { code: string; name: string }>();
    for (const id of new Set(items.map((l) => l.resourceId))) {
      const s = await this.shape(id);
      if (s) codes.set(id, { code: s.code, name: s.name });
    }
    return { items: items.map((l) => ({ ...loadView(l), resourceCode: codes.get(l.resourceId)?.code ?? null, resourceName: codes.get(l.resourceId)?.name ?? null })), total: n, limit: f.limit, offset: f.offset };
  }

  private async visibleLoad(actor: Actor, id: string): Promise<LoadRow> {
    requirePermission(actor, SHARE.dataLoad);
    const [l] = await this.db.select().from(shareLoads).where(eq(shareLoads.id, id));
    if (!l || !(await this.canProvide(actor, l.providerOrgId, SHARE.dataLoad))) throw errors.notFound('load');
    return l;
  }

  async getLoad(actor: Actor, id: string) {
    const l = await this.visibleLoad(actor, id);
    const quality = await this.db.select().from(shareQualityResults).where(eq(shareQualityResults.loadId, id)).orderBy(shareQualityResults.id);
    return { ...loadView(l), quality: quality.map((q) => ({ ruleId: q.ruleId, kind: q.kind, column: q.column, severity: q.severity, checked: q.checked, failed: q.failed, passed: q.passed, threshold: q.threshold })) };
  }

  async rejected(actor: Actor, id: string, page: { limit: number; offset: number }) {
    await this.visibleLoad(actor, id);
    const items = await this.db.select({ rowNumber: shareLoadRejects.rowNumber, problems: shareLoadRejects.problems, raw: shareLoadRejects.raw }).from(shareLoadRejects).where(eq(shareLoadRejects.loadId, id)).orderBy(shareLoadRejects.rowNumber, shareLoadRejects.id).limit(page.limit).offset(page.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(shareLoadRejects).where(eq(shareLoadRejects.loadId, id));
    return { items, total: n, limit: page.limit, offset: page.offset };
  }

  /** Every rejected row, 1,000 at a time, for the CSV export. */
  async *rejectedAll(actor: Actor, id: string): AsyncIterable<{ rowNumber: number; problems: Problem[]; raw: Record<string, unknown> }> {
    await this.visibleLoad(actor, id);
    let last = 0;
    for (;;) {
      const page = await this.db.select().from(shareLoadRejects).where(and(eq(shareLoadRejects.loadId, id), sql`${shareLoadRejects.id} > ${last}`)).orderBy(shareLoadRejects.id).limit(1000);
      for (const r of page) {
        last = r.id;
        yield r;
      }
      if (page.length < 1000) return;
    }
  }

  /** The durable job's body: (re)run a queued or interrupted load from its source. */
  async runLoad(loadId: string): Promise<void> {
    const [l] = await this.db.select().from(shareLoads).where(eq(shareLoads.id, loadId));
    if (!l) throw new PermanentJobError(`no load ${loadId}`);
    if (l.state === 'succeeded' || l.state === 'rejected' || l.state === 'failed') return;
    const shape = await this.shape(l.resourceId);
    if (!shape) {
      await this.finishFailed(l.id, 'the resource is no longer published');
      return;
    }
    try {
      if (l.source === 'upload') {
        const file = path.join(this.loadsDir(), l.filePath!);
        let bytesRead = 0;
        const input = fs.createReadStream(file).pipe(
          new Transform({
            transform(chunk: Buffer, _e, cb) {
              bytesRead += chunk.length;
              cb(null, chunk);
            },
          }),
        );
        const columns = shape.items.map((i) => ({ key: i.name, header: i.label }));
        const source: AsyncIterable<InRow> =
          l.format === 'jsonl' ? readJsonLines(input) : readRows(l.format as TabularFormat, input, { columns, required: shape.items.filter((i) => i.key).map((i) => i.name), maxRows: Number.MAX_SAFE_INTEGER });
        await this.ingest(l, shape, source, null, () => bytesRead);
        fs.rmSync(file, { force: true });
      } else if (l.source === 'pull') {
        const [c] = await this.db.select().from(shareConnectors).where(eq(shareConnectors.id, l.connectorId!));
        if (!c) throw new PermanentJobError('the connector was removed');
        await this.ingest(l, shape, this.pullRows(c, shape, l.mode as 'full' | 'incremental'), null, undefined, c);
      } else throw new PermanentJobError(`a ${l.source} load is not run by a job`);
    } catch (err) {
      if (err instanceof AppError || err instanceof PermanentJobError) {
        await this.finishFailed(l.id, err.message + (err instanceof AppError && err.errors?.length ? `: ${err.errors.map((e) => `${e.path} ${e.message}`).join('; ')}` : ''));
        return;
      }
      throw err;
    }
  }

  private async finishFailed(id: string, message: string) {
    await this.db.update(shareLoads).set({ state: 'failed', error: message.slice(0, 2000), finishedAt: new Date() }).where(eq(shareLoads.id, id));
    await this.db.execute(sql.raw(`drop table if exists share_data.stg_${id.replaceAll('-', '')}`));
  }

  /**
   * Type, check, stage and merge. Rows failing an error-severity rule are never loaded; when any such rule
   * fails on more than its threshold the whole load is rejected and the dataset stays as it was.
   */
  async ingest(load: LoadRow, shape: ResourceDataShape, input: AsyncIterable<InRow>, actor: Actor | null, bytesRead?: () => number, connector?: ConnectorRow): Promise<LoadView> {
    const ds = await this.ensureTable(shape);
    const rules = await this.rules(shape.resourceId, shape);
    const items = shape.items;
    const types: Record<string, ItemType> = Object.fromEntries(items.map((i) => [i.name, i.type]));
    const known = new Set(items.map((i) => i.name));
    const stg = `share_data.stg_${load.id.replaceAll('-', '')}`;
    const today = todayInShanghai();
    await this.db.update(shareLoads).set({ state: 'running', startedAt: new Date(), error: null, rowsRead: 0, bytesRead: 0 }).where(eq(shareLoads.id, load.id));
    await this.db.execute(sql.raw(`drop table if exists ${stg}`));
    await this.db.delete(shareLoadRejects).where(eq(shareLoadRejects.loadId, load.id));
    await this.db.delete(shareQualityResults).where(eq(shareQualityResults.loadId, load.id));
    await this.db.execute(sql.raw(`create ${this.isPostgres ? 'unlogged ' : ''}table ${stg} (_rn integer not null, ${items.map((i) => `${ident(i.name)} ${this.colType(ds, i.name)}`).join(', ')}, _rejected boolean not null default false)`));

    const failed = rules.map(() => 0);
    let typeFailed = 0;
    let read = 0;
    let rejectedRows = 0;
    let buf: (string | null)[][] = items.map(() => []);
    let rns: number[] = [];
    let rejBuf: { rowNumber: number; problems: Problem[]; raw: Record<string, unknown> }[] = [];
    // One chunk is written while the next is parsed and checked (at most one write in flight).
    let inFlight: Promise<void> = Promise.resolve();
    let writeError: unknown = null;
    const write = async (rnsChunk: number[], cols: (string | null)[][], rejects: typeof rejBuf) => {
      if (rnsChunk.length) {
        await this.q(
          this.db,
          `insert into ${stg} (_rn, ${items.map((i) => ident(i.name)).join(', ')}) select u._rn, ${items.map((i, k) => `u.c${k}::${this.colType(ds, i.name)}`).join(', ')} from unnest($1::int[], ${items.map((_, k) => `$${k + 2}::text[]`).join(', ')}) as u(_rn, ${items.map((_, k) => `c${k}`).join(', ')})`,
          [rnsChunk, ...cols],
        );
      }
      if (rejects.length) await this.db.insert(shareLoadRejects).values(rejects.map((r) => ({ loadId: load.id, ...r })));
    };
    const flush = async () => {
      await inFlight;
      if (writeError) throw writeError;
      if (!rns.length && !rejBuf.length) return;
      const chunk = write(rns, buf, rejBuf);
      buf = items.map(() => []);
      rns = [];
      rejBuf = [];
      inFlight = chunk.catch((err: unknown) => {
        writeError = err;
      });
    };

    // Uploaded files are checked against the platform's text rule by their reader; rows pushed or pulled here.
    const checkText = load.source !== 'upload';
    for await (const r of input) {
      read++;
      const row = r.row;
      let values = r.values;
      let textual = r.textProblems;
      if (!textual && checkText) {
        const bad = checkRowText(values);
        if (bad) [textual, values] = [bad.problems, bad.shown];
      }
      const canon: Record<string, string | null> = {};
      const problems: Problem[] = (textual ?? []).map((p) => ({ column: p.field, rule: 'type', message: p.message }));
      for (const k of Object.keys(values)) if (!known.has(k)) problems.push({ column: k, rule: 'type', message: 'unknown column' });
      for (const it of items) {
        const t = typed(it.type, values[it.name]);
        if ('error' in t) {
          problems.push({ column: it.name, rule: 'type', message: t.error });
          canon[it.name] = null;
        } else canon[it.name] = t.value;
      }
      if (problems.length) typeFailed++;
      let reject = problems.length > 0;
      for (const f of checkRow(rules, canon, types, today)) {
        failed[f.rule]++;
        if (rules[f.rule].severity === 'error') {
          reject = true;
          problems.push(f.problem);
        }
      }
      if (reject) {
        rejectedRows++;
        rejBuf.push({ rowNumber: row, problems, raw: values });
      } else {
        rns.push(row);
        items.forEach((it, k) => buf[k].push(canon[it.name]));
      }
      if (rns.length >= CHUNK || rejBuf.length >= CHUNK) await flush();
      if (read % PROGRESS_EVERY === 0) await this.db.update(shareLoads).set({ rowsRead: read, rowsRejected: rejectedRows, bytesRead: bytesRead?.() ?? 0 }).where(eq(shareLoads.id, load.id));
    }
    await flush();
    await inFlight;
    if (writeError) throw writeError;

    // Set-level rules on the staged rows.
    const tableOfResource = async (rid: string) => {
      const s = await this.shape(rid);
      return s ? (await this.ensureTable(s)).tableName : null;
    };
    const markRejected = async (rule: QualityRule, cond: string, message: string, column: string) => {
      const hit = await this.q<Record<string, unknown> & { _rn: number }>(this.db, `update ${stg} s set _rejected = true where not s._rejected and (${cond}) returning s.*`);
      if (hit.length) {
        const withRaw = hit.map((h) => {
          const raw: Record<string, unknown> = {};
          for (const it of items) raw[it.name] = h[it.name] instanceof Date ? (h[it.name] as Date).toISOString() : h[it.name];
          return { loadId: load.id, rowNumber: h._rn, problems: [{ column, rule: rule.kind, message }], raw };
        });
        for (let i = 0; i < withRaw.length; i += CHUNK) await this.db.insert(shareLoadRejects).values(withRaw.slice(i, i + CHUNK));
      }
      return hit.length;
    };
    const count = async (cond: string) => (await this.q<{ n: number }>(this.db, `select count(*)::int as n from ${stg} s where not s._rejected and (${cond})`))[0].n;
    for (const [i, r] of rules.entries()) {
      if (isRowRule(r.kind)) continue;
      if (r.kind === 'unique') {
        const cols = r.column!.split(',').map(ident);
        const isKey = r.column === ds.keyColumns.join(',');
        let cond = `s._rn in (select _rn from (select _rn, row_number() over (partition by ${cols.join(', ')} order by _rn) as k from ${stg} where not _rejected and ${cols.map((c) => `${c} is not null`).join(' and ')}) d where d.k > 1)`;
        if (!isKey && load.mode === 'incremental' && ds.keyColumns.length)
          cond += ` or exists (select 1 from ${ds.tableName} t where ${cols.map((c) => `t.${c} = s.${c}`).join(' and ')} and not (${ds.keyColumns.map((k) => `t.${ident(k)} = s.${ident(k)}`).join(' and ')}))`;
        // Duplicate keys can never be merged: they are rejected whatever the rule's severity.
        failed[i] = r.severity === 'error' || isKey ? await markRejected(r, cond, `duplicate value of ${r.column}`, r.column!) : await count(cond);
        rejectedRows += r.severity === 'error' || isKey ? failed[i] : 0;
      } else if (r.kind === 'referential') {
        const other = await tableOfResource(String(r.params.resourceId));
        if (!other) continue;
        const col = ident(r.column!);
        const cond = `s.${col} is not null and not exists (select 1 from ${other} o where o.${ident(String(r.params.column))}::text = s.${col}::text)`;
        failed[i] = r.severity === 'error' ? await markRejected(r, cond, `no ${String(r.params.column)} = value in the referenced dataset`, r.column!) : await count(cond);
        if (r.severity === 'error') rejectedRows += failed[i];
      } else if (r.kind === 'row_count') {
        const min = r.params.min as number | undefined;
        const max = r.params.max as number | undefined;
        failed[i] = (min !== undefined && read < min) || (max !== undefined && read > max) ? 1 : 0;
      }
    }

    // Decide.
    const results = rules
      .map((r, i) => {
        if (r.kind === 'freshness') return null;
        const checked = r.kind === 'row_count' ? 1 : read;
        const share = checked ? failed[i] / checked : 0;
        const passed = r.kind === 'row_count' ? failed[i] === 0 : share <= r.threshold;
        return { ruleId: r.id ?? null, kind: r.kind as RuleKind | 'type', column: r.column, severity: r.severity, checked, failed: failed[i], passed, threshold: r.threshold };
      })
      .filter((x) => x !== null);
    results.unshift({ ruleId: null, kind: 'type', column: null, severity: 'error', checked: read, failed: typeFailed, passed: read ? typeFailed / read <= DERIVED_THRESHOLD : true, threshold: DERIVED_THRESHOLD });
    const blocking = results.filter((r) => r.severity === 'error' && !r.passed);
    const resultRows = results.map((r) => ({ ...r, loadId: load.id, resourceId: shape.resourceId }));
    const who = actor ?? systemActor(`share-${load.source}`);

    try {
      if (blocking.length) {
        const error = `rejected: ${blocking.map((b) => `${b.kind}${b.column ? `(${b.column})` : ''} failed on ${b.failed} of ${b.checked} rows, above the threshold ${b.threshold}`).join('; ')}`;
        await inTransaction(this.db, async (tx) => {
          await tx.insert(shareQualityResults).values(resultRows);
          await tx.update(shareLoads).set({ state: 'rejected', error, rowsRead: read, rowsRejected: rejectedRows, rowsLoaded: 0, bytesRead: bytesRead?.() ?? 0, finishedAt: new Date() }).where(eq(shareLoads.id, load.id));
          await recordAudit(tx, who, { action: 'share.data.load.rejected', entityType: 'share_load', entityId: load.id, orgId: shape.providerOrgId, after: { resourceId: shape.resourceId, rowsRead: read, rowsRejected: rejectedRows } });
          if (connector) await tx.update(shareConnectors).set({ lastRunAt: new Date(), lastLoadId: load.id, lastError: error.slice(0, 2000) }).where(eq(shareConnectors.id, connector.id));
        });
      } else await this.merge(load, shape, ds, stg, read, rejectedRows, resultRows, who, bytesRead?.() ?? 0, connector);
    } finally {
      await this.db.execute(sql.raw(`drop table if exists ${stg}`));
    }
    const [done] = await this.db.select().from(shareLoads).where(eq(shareLoads.id, load.id));
    return loadView(done);
  }

  /** The one transaction that changes the dataset. */
  private async merge(load: LoadRow, shape: ResourceDataShape, ds: DatasetRow, stg: string, read: number, rejected: number, results: (typeof shareQualityResults.$inferInsert)[], who: Actor, bytes: number, connector?: ConnectorRow) {
    const cols = shape.items.map((i) => ident(i.name));
    const keys = ds.keyColumns.map(ident);
    const change = shape.items.find((i) => i.change)?.name;
    await inTransaction(this.db, async (tx) => {
      await this.q(tx, `select pg_advisory_xact_lock(hashtext($1))`, [ds.tableName]);
      const corrected = await this.markCorrections(tx, shape, ds, stg, load.id);
      let inserted = 0;
      let updated = 0;
      let rowCount: number;
      if (load.mode === 'full') {
        await this.q(tx, `delete from ${ds.tableName}`);
        const [r] = await this.q<{ n: number }>(tx, `with ins as (insert into ${ds.tableName} (${cols.join(', ')}, _load_id, _loaded_at) select ${cols.join(', ')}, $1::uuid, now() from ${stg} where not _rejected order by _rn returning 1) select count(*)::int as n from ins`, [load.id]);
        inserted = r.n;
        rowCount = r.n;
      } else {
        const set = [...cols.filter((c) => !keys.includes(c)).map((c) => `${c} = excluded.${c}`), '_load_id = excluded._load_id', '_loaded_at = excluded._loaded_at'];
        const [r] = await this.q<{ ins: number; upd: number }>(
          tx,
          `with up as (insert into ${ds.tableName} (${cols.join(', ')}, _load_id, _loaded_at) select ${cols.join(', ')}, $1::uuid, now() from ${stg} where not _rejected order by _rn
             on conflict (${keys.join(', ')}) do update set ${set.join(', ')} returning (xmax = 0) as fresh)
           select count(*) filter (where fresh)::int as ins, count(*) filter (where not fresh)::int as upd from up`,
          [load.id],
        );
        inserted = r.ins;
        updated = r.upd;
        const [cur] = await tx.select({ n: shareDatasets.rowCount }).from(shareDatasets).where(eq(shareDatasets.resourceId, shape.resourceId));
        rowCount = cur.n + inserted;
      }
      let watermark: string | null = null;
      if (change) [{ watermark }] = await this.q<{ watermark: string | null }>(tx, `select to_json(max(${ident(change)}))#>>'{}' as watermark from ${stg} where not _rejected`);
      await tx
        .update(shareDatasets)
        .set({ rowCount, lastLoadedAt: new Date(), ...(watermark ? { changeWatermark: sql`case when ${shareDatasets.changeWatermark} is null or ${shareDatasets.changeWatermark} < ${watermark} then ${watermark} else ${shareDatasets.changeWatermark} end` } : {}) })
        .where(eq(shareDatasets.resourceId, shape.resourceId));
      if (results.length) await tx.insert(shareQualityResults).values(results);
      await tx
        .update(shareLoads)
        .set({ state: 'succeeded', rowsRead: read, rowsRejected: rejected, rowsLoaded: inserted + updated, rowsInserted: inserted, rowsUpdated: updated, bytesRead: bytes, finishedAt: new Date() })
        .where(eq(shareLoads.id, load.id));
      if (connector) {
        await tx
          .update(shareConnectors)
          .set({ lastRunAt: new Date(), lastLoadId: load.id, lastError: null, ...(watermark ? { watermark: sql`case when ${shareConnectors.watermark} is null or ${shareConnectors.watermark} < ${watermark} then ${watermark} else ${shareConnectors.watermark} end` } : {}) })
          .where(eq(shareConnectors.id, connector.id));
      }
      await recordAudit(tx, who, { action: 'share.data.load', entityType: 'share_load', entityId: load.id, orgId: shape.providerOrgId, after: { resourceId: shape.resourceId, mode: load.mode, source: load.source, rowsRead: read, inserted, updated, rejected, corrected } });
    });
    this.tables.delete(shape.resourceId); // row counts are read fresh; drop the cached copy
  }

  /** Accepted objections whose column the staged row changes are marked corrected by this load. */
  private async markCorrections(tx: Tx, shape: ResourceDataShape, ds: DatasetRow, stg: string, loadId: string): Promise<number> {
    const open = await tx.select().from(shareObjections).where(and(eq(shareObjections.resourceId, shape.resourceId), eq(shareObjections.state, 'answered')));
    let n = 0;
    for (const o of open) {
      if (!ds.columns.some((c) => c.name === o.column)) continue;
      const parts = o.recordKey.split('|');
      if (parts.length !== ds.keyColumns.length) continue;
      const params: unknown[] = [];
      const cond = ds.keyColumns.map((k, i) => {
        params.push(parts[i]);
        return `s.${ident(k)} = $${params.length}::${this.colType(ds, k)}`;
      });
      const col = ident(o.column);
      const [hit] = await this.q<{ changed: boolean }>(
        tx,
        `select (s.${col}::text is distinct from d.${col}::text) as changed from ${stg} s left join ${ds.tableName} d on ${ds.keyColumns.map((k) => `d.${ident(k)} = s.${ident(k)}`).join(' and ')} where not s._rejected and ${cond.join(' and ')} limit 1`,
        params,
      );
      if (hit?.changed) {
        await tx.update(shareObjections).set({ state: 'corrected', correctedLoadId: loadId, correctedAt: new Date() }).where(eq(shareObjections.id, o.id));
        n++;
      }
    }
    return n;
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
    await this.providerShape(actor, resourceId);
    const items = await this.db.select().from(shareConnectors).where(eq(shareConnectors.resourceId, resourceId)).orderBy(shareConnectors.createdAt);
    return { items: items.map((c) => this.connectorView(c)), total: items.length, limit: items.length, offset: 0 };
  }

  async createConnector(actor: Actor, resourceId: string, input: ConnectorInput) {
    const shape = await this.providerShape(actor, resourceId);
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
    const shape = await this.providerShape(actor, c.resourceId);
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
      const shape = await this.shape(c.resourceId);
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
  private async *pullRows(c: ConnectorRow, shape: ResourceDataShape, mode: 'full' | 'incremental'): AsyncIterable<InRow> {
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

  // ---- quality scores -------------------------------------------------------------------------------------

  /** The resource's score (see docs: mean of the six GB/T 36344 dimensions, each 0–100). */
  async score(resourceId: string): Promise<QualityScore> {
    const [meta] = await this.q<{ state: string; update_cycle: string }>(this.db, `select state, update_cycle from share_resources where id = $1::uuid`, [resourceId]);
    const ds = await this.datasetRow(resourceId);
    const [last] = await this.db
      .select()
      .from(shareLoads)
      .where(and(eq(shareLoads.resourceId, resourceId), inArray(shareLoads.state, ['succeeded', 'rejected', 'failed'])))
      .orderBy(desc(shareLoads.finishedAt))
      .limit(1);
    const results = last ? await this.db.select().from(shareQualityResults).where(eq(shareQualityResults.loadId, last.id)) : [];
    const dims = {} as Record<Dimension, number>;
    for (const d of DIMENSIONS) {
      if (d === 'timeliness' || d === 'accessibility') continue;
      const s = passRateScore(results.filter((r) => DIMENSION_OF[r.kind as RuleKind] === d));
      dims[d] = s ?? (ds?.lastLoadedAt ? 100 : 0);
    }
    const age = ds?.lastLoadedAt ? (Date.now() - ds.lastLoadedAt.getTime()) / 86_400_000 : null;
    const fresh = (await this.db.select().from(shareQualityRules).where(and(eq(shareQualityRules.resourceId, resourceId), eq(shareQualityRules.kind, 'freshness'))))[0];
    const cycle = fresh ? Number(fresh.params.maxAgeDays) : (CYCLE_DAYS[meta?.update_cycle ?? 'irregular'] ?? 366);
    dims.timeliness = timelinessScore(age, cycle);
    // Accessibility: published (50) and its latest load went through (50; a rejected or failed one: 0).
    dims.accessibility = (meta?.state === 'published' ? 50 : 0) + (last?.state === 'succeeded' ? 50 : !last && ds?.lastLoadedAt ? 50 : 0);
    const score = Math.round((10 * DIMENSIONS.reduce((a, d) => a + dims[d], 0)) / DIMENSIONS.length) / 10;
    return { score, dimensions: dims };
  }

  async qualityList(actor: Actor, f: { by: 'resource' | 'department'; limit: number; offset: number }) {
    if (!can(actor, SHARE.statsRead) && !can(actor, SHARE.catalogueRead)) throw errors.forbidden('requires permission share.stats.read');
    // Published resources with a dataset; departments see their own, the bureau all.
    const ids = await this.deps.orgs.visibleIds(actor, can(actor, SHARE.statsRead) ? SHARE.statsRead : SHARE.catalogueRead);
    const res = await this.q<{ id: string; code: string; name: string; provider_org_id: string | null; member_name: string; member_code: string }>(
      this.db,
      `select r.id, r.code, r.name, r.provider_org_id, m.name as member_name, m.code as member_code from share_resources r
         join share_datasets d on d.resource_id = r.id join share_members m on m.id = r.provider_member_id
        where r.state = 'published' order by r.code`,
    );
    const visible = ids ? res.filter((r) => r.provider_org_id && ids.includes(r.provider_org_id)) : res;
    const scored = [];
    for (const r of visible) scored.push({ resourceId: r.id, code: r.code, name: r.name, providerOrgId: r.provider_org_id, provider: r.member_name, providerCode: r.member_code, ...(await this.score(r.id)) });
    if (f.by === 'resource') return { items: scored.slice(f.offset, f.offset + f.limit), total: scored.length, limit: f.limit, offset: f.offset };
    const byDept = new Map<string, { provider: string; providerCode: string; providerOrgId: string | null; scores: QualityScore[] }>();
    for (const s of scored) {
      const e = byDept.get(s.providerCode) ?? { provider: s.provider, providerCode: s.providerCode, providerOrgId: s.providerOrgId, scores: [] };
      e.scores.push(s);
      byDept.set(s.providerCode, e);
    }
    const avg = (xs: number[]) => Math.round((10 * xs.reduce((a, b) => a + b, 0)) / xs.length) / 10;
    const items = [...byDept.values()].map((e) => ({
      provider: e.provider,
      providerCode: e.providerCode,
      providerOrgId: e.providerOrgId,
      resources: e.scores.length,
      score: avg(e.scores.map((s) => s.score)),
      dimensions: Object.fromEntries(DIMENSIONS.map((d) => [d, avg(e.scores.map((s) => s.dimensions[d]))])) as Record<Dimension, number>,
    }));
    items.sort((a, b) => a.score - b.score || a.providerCode.localeCompare(b.providerCode));
    return { items: items.slice(f.offset, f.offset + f.limit), total: items.length, limit: f.limit, offset: f.offset };
  }

  // ---- objections (疑义) -----------------------------------------------------------------------------------

  /** The value at raise time is shown to the provider's side only (a consumer may hold it masked). */
  private objectionView(o: ObjectionRow, showValue = false) {
    return {
      id: o.id,
      resourceId: o.resourceId,
      recordKey: o.recordKey,
      column: o.column,
      description: o.description,
      valueAtRaise: showValue ? o.valueAtRaise : null,
      state: o.state,
      raisedBy: o.raisedBy,
      raisedOrgId: o.raisedOrgId,
      providerOrgId: o.providerOrgId,
      accepted: o.accepted,
      answer: o.answer,
      answeredAt: iso(o.answeredAt),
      correctedLoadId: o.correctedLoadId,
      correctedAt: iso(o.correctedAt),
      resolveNote: o.resolveNote,
      closedAt: iso(o.closedAt),
      createdAt: o.createdAt.toISOString(),
    };
  }

  async raiseObjection(actor: Actor, resourceId: string, input: { recordKey: string; column: string; description: string }) {
    requirePermission(actor, SHARE.requestCreate);
    const shape = await this.requireShape(resourceId);
    if (!shape.items.some((i) => i.name === input.column)) throw errors.field('/column', 'not a column of the resource');
    const keys = shape.items.filter((i) => i.key).map((i) => i.name);
    const parts = input.recordKey.split('|');
    if (parts.length !== keys.length) throw errors.field('/recordKey', `expected ${keys.join('|')}`);
    const rec = await this.lookup(resourceId, Object.fromEntries(keys.map((k, i) => [k, parts[i]])), [input.column], []);
    if (!rec) throw errors.notFound('record');
    const v = rec[input.column];
    return inTransaction(this.db, async (tx) => {
      const [o] = await tx
        .insert(shareObjections)
        .values({ resourceId, providerOrgId: shape.providerOrgId, recordKey: input.recordKey, column: input.column, description: input.description, valueAtRaise: v === null || v === undefined ? null : String(v), raisedBy: actor.userId, raisedOrgId: actor.orgId })
        .returning();
      await recordAudit(tx, actor, { action: 'share.objection.raise', entityType: 'share_objection', entityId: o.id, orgId: shape.providerOrgId, after: { resourceId, column: input.column } });
      return this.objectionView(o);
    });
  }

  async listObjections(actor: Actor, f: { box: 'raised' | 'received' | 'all'; state?: string; resourceId?: string; limit: number; offset: number }) {
    if (!can(actor, SHARE.requestCreate) && !can(actor, SHARE.requestAnswer)) throw errors.forbidden('requires share.request.create or share.request.answer');
    const conds: SQL[] = [];
    const raisedIds = can(actor, SHARE.requestCreate) ? await this.deps.orgs.visibleIds(actor, SHARE.requestCreate) : [];
    const receivedIds = can(actor, SHARE.requestAnswer) ? await this.deps.orgs.visibleIds(actor, SHARE.requestAnswer) : [];
    const side = (col: typeof shareObjections.raisedOrgId | typeof shareObjections.providerOrgId, ids: string[] | undefined): SQL | undefined => (ids === undefined ? sql`true` : ids.length ? inArray(col, ids) : undefined);
    const raised = side(shareObjections.raisedOrgId, raisedIds);
    const received = side(shareObjections.providerOrgId, receivedIds);
    const mine = actor.userId ? eq(shareObjections.raisedBy, actor.userId) : undefined;
    let scope: SQL | undefined;
    if (f.box === 'raised') scope = or(...[raised, mine].filter((x): x is SQL => !!x));
    else if (f.box === 'received') scope = received;
    else scope = or(...[raised, received, mine].filter((x): x is SQL => !!x));
    if (!scope) return { items: [], total: 0, limit: f.limit, offset: f.offset };
    conds.push(scope);
    if (f.state) conds.push(eq(shareObjections.state, f.state));
    if (f.resourceId) conds.push(eq(shareObjections.resourceId, f.resourceId));
    const where = and(...conds);
    const items = await this.db.select().from(shareObjections).where(where).orderBy(desc(shareObjections.createdAt), desc(shareObjections.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(shareObjections).where(where);
    return { items: items.map((o) => this.objectionView(o, receivedIds === undefined || (!!o.providerOrgId && receivedIds.includes(o.providerOrgId)))), total: n, limit: f.limit, offset: f.offset };
  }

  private async providerObjection(actor: Actor, id: string): Promise<ObjectionRow> {
    requirePermission(actor, SHARE.requestAnswer);
    const [o] = await this.db.select().from(shareObjections).where(eq(shareObjections.id, id));
    if (!o) throw errors.notFound('objection');
    if (!(await this.canProvide(actor, o.providerOrgId, SHARE.requestAnswer))) throw errors.forbidden('only the providing department answers an objection');
    return o;
  }

  async answerObjection(actor: Actor, id: string, input: { accepted: boolean; answer: string }) {
    const o = await this.providerObjection(actor, id);
    if (o.state !== 'raised') throw errors.conflict(`the objection is ${o.state}, not raised`);
    return inTransaction(this.db, async (tx) => {
      const [u] = await tx
        .update(shareObjections)
        .set({ state: input.accepted ? 'answered' : 'rejected', accepted: input.accepted, answer: input.answer, answeredBy: actor.userId, answeredAt: new Date() })
        .where(and(eq(shareObjections.id, id), eq(shareObjections.state, 'raised')))
        .returning();
      if (!u) throw errors.conflict('the objection was answered meanwhile');
      await recordAudit(tx, actor, { action: 'share.objection.answer', entityType: 'share_objection', entityId: id, orgId: o.providerOrgId, before: { state: o.state }, after: { state: u.state, accepted: input.accepted } });
      return this.objectionView(u, true);
    });
  }

  /** answered → corrected (fixed by hand), corrected | rejected → closed. */
  async resolveObjection(actor: Actor, id: string, input: { note: string }) {
    const o = await this.providerObjection(actor, id);
    const next = o.state === 'answered' ? 'corrected' : o.state === 'corrected' || o.state === 'rejected' ? 'closed' : null;
    if (!next) throw errors.conflict(`an objection that is ${o.state} cannot be resolved`);
    return inTransaction(this.db, async (tx) => {
      const [u] = await tx
        .update(shareObjections)
        .set({ state: next, resolveNote: input.note, ...(next === 'corrected' ? { correctedAt: new Date() } : { closedAt: new Date() }) })
        .where(and(eq(shareObjections.id, id), eq(shareObjections.state, o.state)))
        .returning();
      if (!u) throw errors.conflict('the objection changed meanwhile');
      await recordAudit(tx, actor, { action: 'share.objection.resolve', entityType: 'share_objection', entityId: id, orgId: o.providerOrgId, before: { state: o.state }, after: { state: next } });
      return this.objectionView(u, true);
    });
  }
}

export type { DataItem };
