// The dataset tables: one typed table per published resource in the schema share_data, created (and
// widened when items are added) at runtime; the raw SQL helper the rooms use; and who may act on a
// dataset as (or for) its provider.
import { eq, sql, type SQL } from 'drizzle-orm';
import { type Actor, can, canSeeOrgPath, requirePermission, visibility } from '../../../platform/auth/actor';
import { type DbOrTx, rows as rawRows } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import type { ResourceDataShape } from '../contracts';
import { SHARE } from '../share.permissions';
import { type DataDeps, type DatasetRow, ident, tableNameFor } from './data.core';
import { shareDatasets } from './data.schema';
import { SQL_TYPE } from './quality';

export class DataTables {
  private tables = new Map<string, { sig: string; ds: DatasetRow }>();

  constructor(readonly deps: DataDeps) {}

  private get db() {
    return this.deps.db;
  }

  async q<T>(db: DbOrTx, text: string, params: unknown[] = []): Promise<T[]> {
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

  async requireShape(resourceId: string): Promise<ResourceDataShape> {
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
  colType(ds: DatasetRow, name: string): string {
    return ds.columns.find((c) => c.name === name)?.type ?? 'text';
  }

  /** Drop the cached copy of a dataset's row (after a merge: row counts are read fresh). */
  forget(resourceId: string) {
    this.tables.delete(resourceId);
  }

  async datasetRow(resourceId: string, db: DbOrTx = this.db): Promise<DatasetRow | null> {
    const [d] = await db.select().from(shareDatasets).where(eq(shareDatasets.resourceId, resourceId));
    return d ?? null;
  }

  // ---- access ---------------------------------------------------------------------------------------------

  async canProvide(actor: Actor, providerOrgId: string | null, permission: string): Promise<boolean> {
    if (!can(actor, permission)) return false;
    const v = visibility(actor, permission);
    if (v.all) return true;
    if (!providerOrgId) return false;
    return canSeeOrgPath(v, await this.deps.orgs.pathOf(providerOrgId));
  }

  /** The resource's shape when the actor may act on it as (or for) its provider; 403/404 otherwise. */
  async providerShape(actor: Actor, resourceId: string, permission: string = SHARE.dataLoad): Promise<ResourceDataShape> {
    requirePermission(actor, permission);
    const shape = await this.requireShape(resourceId);
    if (!(await this.canProvide(actor, shape.providerOrgId, permission))) throw errors.forbidden('only the providing department (or the bureau) may do this');
    return shape;
  }
}
