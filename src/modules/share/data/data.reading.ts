// Reading a dataset: the gateway's DatasetReader (lookup by key, paged query, a stream for exports), the
// dataset view (columns, row count, last load, quality score) and the provider's own rows.
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import { errors } from '../../../platform/http/problem';
import type { ResourceDataShape, RowFilter } from '../contracts';
import { SHARE } from '../share.permissions';
import { type DatasetRow, ident, iso } from './data.core';
import type { DataQuality } from './data.quality';
import type { DataTables } from './data.tables';
import { typed } from './quality';

export class DataReading {
  constructor(
    private readonly tables: DataTables,
    private readonly quality: DataQuality,
  ) {}

  private get db() {
    return this.tables.deps.db;
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
      return `${ident(c)} = $${params.length}::${this.tables.colType(ds, c)}`;
    }).join(' and ');
  }

  async lookup(resourceId: string, key: Record<string, string>, fields: string[], filter: RowFilter): Promise<Record<string, unknown> | null> {
    const shape = await this.tables.requireShape(resourceId);
    const ds = await this.tables.ensureTable(shape);
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
    const [r] = await this.tables.q<Record<string, unknown>>(this.db, `select ${this.projection(shape, fields)} from ${ds.tableName} where ${where} limit 1`, params);
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
    const shape = await this.tables.requireShape(resourceId);
    const ds = await this.tables.ensureTable(shape);
    this.checkColumns(shape, q.fields, 'fields');
    const params: unknown[] = [];
    const where = this.whereOf(shape, ds, q.filter, q.where, params);
    const order = ds.keyColumns.length ? ds.keyColumns.map(ident).join(', ') : '_row_id';
    const items = await this.tables.q<Record<string, unknown>>(this.db, `select ${this.projection(shape, q.fields)} from ${ds.tableName} ${where} order by ${order} limit ${Math.max(0, Math.floor(q.limit))} offset ${Math.max(0, Math.floor(q.offset))}`, params);
    let total: number;
    if (!where) total = ds.rowCount === 0 ? 0 : (await this.tables.datasetRow(resourceId))!.rowCount;
    else [{ total }] = await this.tables.q<{ total: number }>(this.db, `select count(*)::int as total from ${ds.tableName} ${where}`, params);
    return { items: items.map((r) => this.outRow(shape, r)), total };
  }

  /** Every matching row, 1,000 at a time by keyset on the row id: bounded memory on any table size. */
  async *stream(resourceId: string, q: { fields: string[]; filter: RowFilter; where: Record<string, string> }): AsyncIterable<Record<string, unknown>> {
    const shape = await this.tables.requireShape(resourceId);
    const ds = await this.tables.ensureTable(shape);
    this.checkColumns(shape, q.fields, 'fields');
    const params: unknown[] = [];
    const where = this.whereOf(shape, ds, q.filter, q.where, params);
    let last = '0';
    for (;;) {
      const page = await this.tables.q<Record<string, unknown>>(
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

  // ---- dataset view ---------------------------------------------------------------------------------------

  async datasetView(actor: Actor, resourceId: string) {
    requirePermission(actor, SHARE.catalogueRead);
    const shape = await this.tables.requireShape(resourceId);
    const ds = await this.tables.ensureTable(shape);
    const fresh = (await this.tables.datasetRow(resourceId))!;
    return {
      resourceId,
      tableName: ds.tableName,
      columns: shape.items.map((i) => ({ name: i.name, label: i.label, type: i.type, key: !!i.key, required: !!i.required, personal: i.personal ?? null, change: !!i.change })),
      retiredColumns: ds.columns.filter((c) => !shape.items.some((i) => i.name === c.name)).map((c) => c.name),
      rowCount: fresh.rowCount,
      lastLoadedAt: iso(fresh.lastLoadedAt),
      changeWatermark: fresh.changeWatermark,
      quality: await this.quality.score(resourceId),
    };
  }

  async records(actor: Actor, resourceId: string, q: { limit: number; offset: number; where: Record<string, string> }) {
    const shape = await this.tables.providerShape(actor, resourceId);
    const fields = shape.items.map((i) => i.name);
    const r = await this.query(resourceId, { fields, filter: [], where: q.where, limit: q.limit, offset: q.offset });
    return { ...r, limit: q.limit, offset: q.offset };
  }
}
