// Loads: an upload (streamed to disk, loaded by a durable job), a pushed batch (validated and merged at
// once, idempotent by batch id), the list and detail of loads with their rejected rows, and the job body
// that (re)runs an upload or a pull from its source.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { inTransaction } from '../../../platform/db/client';
import { readRows, type TabularFormat } from '../../../platform/files';
import { stageUpload } from '../../../platform/files/staging';
import { readJsonLines } from '../../../platform/files/jsonl';
import { AppError, errors } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import { PermanentJobError } from '../../../platform/jobs/queue';
import { SHARE } from '../share.permissions';
import type { DataConnectors } from './data.connectors';
import { type InRow, LOAD_JOB, type LoadRow, type LoadView, loadView, MAX_BATCH_ROWS } from './data.core';
import type { DataIngest } from './data.ingest';
import { shareConnectors, shareLoadRejects, shareLoads, shareQualityResults } from './data.schema';
import type { DataTables } from './data.tables';
import type { Problem } from './quality';

export class DataLoads {
  constructor(
    private readonly tables: DataTables,
    private readonly ingester: DataIngest,
    private readonly connectors: DataConnectors,
  ) {}

  private get deps() {
    return this.tables.deps;
  }

  private get db() {
    return this.deps.db;
  }

  // ---- loads ----------------------------------------------------------------------------------------------

  private loadsDir() {
    const d = path.join(this.deps.config.dataDir, 'share-loads');
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /** Upload: the file is streamed to DATA_DIR/share-loads, then a durable job loads it. */
  async createUpload(actor: Actor, resourceId: string, mode: 'full' | 'incremental', file: { fileName: string; format: TabularFormat | 'jsonl'; stream: Readable }): Promise<LoadView> {
    const shape = await this.tables.providerShape(actor, resourceId);
    await this.tables.ensureTable(shape);
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
    const shape = await this.tables.providerShape(actor, resourceId);
    if (input.rows.length > MAX_BATCH_ROWS) throw errors.field('/rows', `at most ${MAX_BATCH_ROWS} rows per batch`);
    await this.tables.ensureTable(shape);
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
    await this.ingester.ingest(created, shape, rowsIn, actor);
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
      const s = await this.tables.shape(id);
      if (s) codes.set(id, { code: s.code, name: s.name });
    }
    return { items: items.map((l) => ({ ...loadView(l), resourceCode: codes.get(l.resourceId)?.code ?? null, resourceName: codes.get(l.resourceId)?.name ?? null })), total: n, limit: f.limit, offset: f.offset };
  }

  private async visibleLoad(actor: Actor, id: string): Promise<LoadRow> {
    requirePermission(actor, SHARE.dataLoad);
    const [l] = await this.db.select().from(shareLoads).where(eq(shareLoads.id, id));
    if (!l || !(await this.tables.canProvide(actor, l.providerOrgId, SHARE.dataLoad))) throw errors.notFound('load');
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
    const shape = await this.tables.shape(l.resourceId);
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
        await this.ingester.ingest(l, shape, source, null, () => bytesRead);
        fs.rmSync(file, { force: true });
      } else if (l.source === 'pull') {
        const [c] = await this.db.select().from(shareConnectors).where(eq(shareConnectors.id, l.connectorId!));
        if (!c) throw new PermanentJobError('the connector was removed');
        await this.ingester.ingest(l, shape, this.connectors.pullRows(c, shape, l.mode as 'full' | 'incremental'), null, undefined, c);
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
}
