// Upload batches: a file validated row by row and staged with its problems (nothing published yet),
// the problems page, the report of every row with its errors, and publication or discarding of the batch.
import type { Readable } from 'node:stream';
import { and, asc, desc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Actor } from '../../platform/auth/actor';
import { inTransaction, rows as rawRows, type Db } from '../../platform/db/client';
import { CONTENT_TYPES, exportStream, type TabularFormat } from '../../platform/files';
import { errors } from '../../platform/http/problem';
import type { Page } from '../../platform/http/paging';
import { creditRows } from './credit.files';
import type { CreditRecords } from './credit.records';
import { creditBatches, creditBatchRows, creditRecords } from './credit.schema';
import type { CreditConfig, CreditDeps } from './credit.settings';
import { type BatchRow, type BatchView, batchView } from './credit.views';
import { columnsOf, type CreditKind, KEYS } from './fields';
import { validateRows, type Problem } from './validator';

export class CreditBatches {
  private readonly db: Db;
  constructor(
    d: CreditDeps,
    private readonly config: CreditConfig,
    private readonly records: CreditRecords,
  ) {
    this.db = d.db;
  }

  async createBatch(actor: Actor, kind: CreditKind, fileName: string, format: TabularFormat, input: Readable): Promise<BatchView & { problems: Problem[] }> {
    if (!actor.orgId) throw errors.forbidden('publishing needs an account of an organisation');
    const allowed = new Set((await this.records.authoritiesOf(actor)).keys());
    const today = this.config.today();
    const batch = await inTransaction(this.db, async (tx) => {
      const [b] = await tx.insert(creditBatches).values({ kind, orgId: actor.orgId!, fileName, createdBy: actor.userId }).returning();
      let total = 0;
      let valid = 0;
      let pending: (typeof creditBatchRows.$inferInsert)[] = [];
      const flush = async () => {
        if (pending.length) await tx.insert(creditBatchRows).values(pending);
        pending = [];
      };
      const checked = validateRows(kind, creditRows(kind, format, input), { today, allowedAuthorities: allowed, lookupPublished: (keys) => this.records.lookupPublished(tx, kind, keys), chunk: 500 });
      for await (const r of checked) {
        total++;
        if (!r.problems.length) valid++;
        pending.push({ batchId: b.id, row: r.row, values: r.values, valid: r.problems.length === 0, problems: r.problems });
        if (pending.length >= 500) await flush();
      }
      await flush();
      if (total === 0) throw errors.unprocessable('the file has a header but no data rows');
      const [done] = await tx.update(creditBatches).set({ total, valid, invalid: total - valid }).where(eq(creditBatches.id, b.id)).returning();
      await recordAudit(tx, actor, { action: 'credit.batch.upload', entityType: 'credit_batch', entityId: b.id, orgId: b.orgId, note: { kind, fileName, total, valid, invalid: total - valid } });
      return done;
    });
    const first = await this.problems(actor, batch.id, { limit: 100, offset: 0 });
    return { ...batchView(batch), problems: first.items };
  }

  private async batchFor(actor: Actor, id: string): Promise<BatchRow> {
    const [b] = await this.db.select().from(creditBatches).where(eq(creditBatches.id, id));
    const ids = await this.records.publishingOrgIds(actor);
    if (!b || (ids && !ids.includes(b.orgId))) throw errors.notFound('batch');
    return b;
  }

  async listBatches(actor: Actor, f: { kind?: CreditKind; state?: string; limit: number; offset: number }): Promise<Page<BatchView>> {
    const ids = await this.records.publishingOrgIds(actor);
    const conds: SQL[] = [];
    if (ids) conds.push(ids.length ? inArray(creditBatches.orgId, ids) : sql`false`);
    if (f.kind) conds.push(eq(creditBatches.kind, f.kind));
    if (f.state) conds.push(eq(creditBatches.state, f.state));
    const where = conds.length ? and(...conds) : undefined;
    const [items, [{ n }]] = await Promise.all([
      this.db.select().from(creditBatches).where(where).orderBy(desc(creditBatches.createdAt)).limit(f.limit).offset(f.offset),
      this.db.select({ n: sql<number>`count(*)::int` }).from(creditBatches).where(where),
    ]);
    return { items: items.map(batchView), total: n, limit: f.limit, offset: f.offset };
  }

  async getBatch(actor: Actor, id: string): Promise<BatchView> {
    return batchView(await this.batchFor(actor, id));
  }

  async problems(actor: Actor, id: string, f: { limit: number; offset: number }): Promise<Page<Problem>> {
    await this.batchFor(actor, id);
    const items = await rawRows<Problem>(
      this.db,
      sql`select (p->>'row')::int as row, p->>'field' as field, p->>'code' as code, p->>'message' as message
          from credit_batch_rows r cross join lateral jsonb_array_elements(r.problems) with ordinality as e(p, n)
          where r.batch_id = ${id} and not r.valid order by r.row, e.n limit ${f.limit} offset ${f.offset}`,
    );
    const [{ n }] = await rawRows<{ n: number }>(this.db, sql`select coalesce(sum(jsonb_array_length(problems)), 0)::int as n from credit_batch_rows where batch_id = ${id} and not valid`);
    return { items, total: n, limit: f.limit, offset: f.offset };
  }

  /** Staged rows in row order, read in pages so a 50,000-row report streams in flat memory. */
  private async *batchRows(id: string) {
    let after = 0;
    for (;;) {
      const page = await this.db
        .select()
        .from(creditBatchRows)
        .where(and(eq(creditBatchRows.batchId, id), gt(creditBatchRows.row, after)))
        .orderBy(asc(creditBatchRows.row))
        .limit(1000);
      if (!page.length) return;
      yield* page;
      after = page[page.length - 1].row;
    }
  }

  /** Every row with its errors: an error column, and in Excel the bad cells filled red with the reason as a note. */
  async report(actor: Actor, id: string, format: TabularFormat): Promise<{ stream: Readable; fileName: string; contentType: string }> {
    const b = await this.batchFor(actor, id);
    const kind = b.kind as CreditKind;
    const base = columnsOf(kind).map((c) => ({ ...c, header: c.key }));
    const columns = [{ key: '__row', header: '行号 ROW', width: 8 }, ...base, { key: '__errors', header: '错误说明 ERRORS', width: 60 }];
    const fileName = `${b.fileName.replace(/\.(csv|xlsx)$/i, '')}-report.${format}`;
    const rowsOf = this.batchRows(id);
    if (format === 'csv') {
      const out = async function* () {
        for await (const r of rowsOf) {
          const ps = r.problems as Problem[];
          yield { ...(r.values as Record<string, string>), __row: r.row, __errors: ps.map((p) => `${p.field} [${p.code}] ${p.message}`).join('；') };
        }
      };
      return { stream: exportStream('csv', columns, out()), fileName, contentType: CONTENT_TYPES.csv };
    }
    const { PassThrough } = await import('node:stream');
    const out = new PassThrough();
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const ws = wb.addWorksheet('report');
    ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 16 }));
    const index = new Map(columns.map((c, i) => [c.key, i + 1]));
    (async () => {
      for await (const r of rowsOf) {
        const ps = r.problems as Problem[];
        const values = r.values as Record<string, string>;
        const row = ws.addRow({ ...values, __row: r.row, __errors: ps.map((p) => `${p.field} [${p.code}] ${p.message}`).join('；') });
        for (const p of ps) {
          const col = index.get(p.field);
          if (!col) continue;
          const cell = row.getCell(col);
          cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
          cell.font = { color: { argb: 'FF9C0006' } };
          cell.note = `${p.code}: ${p.message}`;
        }
        if (ps.length) row.getCell(index.get('__errors')!).font = { color: { argb: 'FF9C0006' } };
        row.commit();
        if (out.writableNeedDrain) await new Promise((res) => out.once('drain', res));
      }
      ws.commit();
      await wb.commit();
    })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
    return { stream: out, fileName, contentType: CONTENT_TYPES.xlsx };
  }

  async publishBatch(actor: Actor, id: string): Promise<{ published: number; state: string }> {
    const b = await this.batchFor(actor, id);
    if (b.state !== 'validated') throw errors.conflict(`the batch is ${b.state}`);
    const authorities = await this.records.authoritiesOf(actor);
    const [regimes, settings] = [await this.config.regimes(), await this.config.settings()];
    const kind = b.kind as CreditKind;
    return inTransaction(this.db, async (tx) => {
      const [locked] = await tx.select().from(creditBatches).where(eq(creditBatches.id, id)).for('update');
      if (locked.state !== 'validated') throw errors.conflict(`the batch is ${locked.state}`);
      let published = 0;
      let after = 0;
      for (;;) {
        const page = await tx
          .select()
          .from(creditBatchRows)
          .where(and(eq(creditBatchRows.batchId, id), eq(creditBatchRows.valid, true), gt(creditBatchRows.row, after)))
          .orderBy(asc(creditBatchRows.row))
          .limit(500);
        if (!page.length) break;
        after = page[page.length - 1].row;
        const values = page.flatMap((r) => {
          const v = r.values as Record<string, string>;
          const orgId = authorities.get(v[KEYS[kind].authorityCode]);
          // The permission may have changed since the upload: such rows are not published.
          return orgId ? [this.records.recordValues(kind, v, orgId, { regimes, settings, batchId: id, createdBy: actor.userId })] : [];
        });
        // A row published meanwhile by another batch (same authority and document number) is skipped.
        if (values.length) published += (await tx.insert(creditRecords).values(values).onConflictDoNothing().returning({ id: creditRecords.id })).length;
      }
      await tx.update(creditBatches).set({ state: 'published', published, publishedAt: new Date() }).where(eq(creditBatches.id, id));
      await recordAudit(tx, actor, { action: 'credit.batch.publish', entityType: 'credit_batch', entityId: id, orgId: b.orgId, note: { kind, published, valid: b.valid } });
      return { published, state: 'published' };
    });
  }

  async discardBatch(actor: Actor, id: string): Promise<{ state: string }> {
    const b = await this.batchFor(actor, id);
    return inTransaction(this.db, async (tx) => {
      const [r] = await tx.update(creditBatches).set({ state: 'discarded' }).where(and(eq(creditBatches.id, id), eq(creditBatches.state, 'validated'))).returning();
      if (!r) throw errors.conflict(`the batch is ${b.state}`);
      await recordAudit(tx, actor, { action: 'credit.batch.discard', entityType: 'credit_batch', entityId: id, orgId: b.orgId });
      return { state: 'discarded' };
    });
  }
}
