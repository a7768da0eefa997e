// Bulk imports: the upload staged to disk, a durable job issuing the rows in batches (resumable after the
// last committed row), progress, and the rejected rows with their problems.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { type Actor, canSeeOrgPath, requirePermission, systemActor, visibility } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { inTransaction } from '../../../platform/db/client';
import { readRows } from '../../../platform/files';
import { readJsonLines } from '../../../platform/files/jsonl';
import { stageUpload } from '../../../platform/files/staging';
import type { Page } from '../../../platform/http/paging';
import { AppError, errors } from '../../../platform/http/problem';
import { maskCitizenId, todayInShanghai } from '../../../platform/ids';
import { PermanentJobError } from '../../../platform/jobs/queue';
import type { Org } from '../../org';
import { CERT } from '../cert.permissions';
import { checkRow } from './certificates.check';
import type { CertCore } from './certificates.core';
import type { CertIssuing } from './certificates.issuing';
import { BATCH, type CleanRow, IMPORT_JOB, type ImportRow, type ImportView, iso, text, type TypeRow } from './certificates.model';
import { certImportRejects, certImports } from './certificates.schema';

export class CertImports {
  constructor(
    private readonly core: CertCore,
    private readonly issuing: CertIssuing,
  ) {}

  private importsDir() {
    const d = path.join(this.core.deps.config.dataDir, 'cert-imports');
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /** Check the type and the caller before the upload is read. */
  async importContext(actor: Actor, typeId: string | undefined) {
    if (!typeId || !/^[0-9a-f-]{36}$/i.test(typeId)) throw errors.field('/body/typeId', 'choose the certificate type (a form field before the file)');
    return this.issuing.issuingContext(actor, typeId);
  }

  /** Stage the upload to DATA_DIR/cert-imports (streamed) and queue the durable import job. */
  async createImport(actor: Actor, typeId: string, file: { fileName: string; format: 'csv' | 'jsonl'; stream: Readable }): Promise<ImportView> {
    const { type, issuer } = await this.importContext(actor, typeId);
    const id = randomUUID();
    const rel = `${id}.${file.format}`;
    const full = path.join(this.importsDir(), rel);
    const bytes = await stageUpload(file.stream, full);
    const row = await inTransaction(this.core.db, async (tx) => {
      const [r] = await tx.insert(certImports).values({ id, typeId: type.id, issuerOrgId: issuer.id, format: file.format, fileName: file.fileName, filePath: rel, bytesTotal: bytes, createdBy: actor.userId }).returning();
      await recordAudit(tx, actor, { action: 'cert.import.upload', entityType: 'cert_import', entityId: id, orgId: issuer.id, after: { type: type.nameZh, fileName: file.fileName, bytes } });
      return r;
    });
    await this.core.deps.queue.enqueue(IMPORT_JOB, { importId: id }, { idempotencyKey: `cert-import:${id}`, maxAttempts: 3 });
    return this.importView(row, type);
  }

  private importView(r: ImportRow, t?: TypeRow): ImportView {
    return {
      id: r.id,
      typeId: r.typeId,
      typeName: t?.nameZh ?? '',
      issuerOrgId: r.issuerOrgId,
      format: r.format,
      fileName: r.fileName,
      state: r.state,
      bytesTotal: r.bytesTotal,
      bytesRead: r.bytesRead,
      rowsRead: r.rowsRead,
      rowsIssued: r.rowsIssued,
      rowsDuplicate: r.rowsDuplicate,
      rowsRejected: r.rowsRejected,
      error: r.error,
      createdAt: r.createdAt.toISOString(),
      startedAt: iso(r.startedAt),
      finishedAt: iso(r.finishedAt),
    };
  }

  /**
   * The job's body. Rows stream from the staged file; every 1,000 rows the good ones are issued and the bad
   * ones' problems stored, together with the progress, in one transaction — so a restarted job resumes after
   * the last committed row and never issues or reports a row twice.
   */
  async runImport(importId: string, opts: { actor?: Actor } = {}): Promise<ImportView> {
    const [imp] = await this.core.db.select().from(certImports).where(eq(certImports.id, importId));
    if (!imp) throw new PermanentJobError(`no import ${importId}`);
    const type = await this.core.typeRow(imp.typeId);
    if (imp.state === 'succeeded' || imp.state === 'failed') return this.importView(imp, type ?? undefined);
    const issuer = await this.core.deps.orgs.byId(imp.issuerOrgId);
    if (!type || !issuer?.creditCode) return this.failImport(imp, 'the certificate type or its issuer is gone');
    const actor = opts.actor ?? { ...systemActor('cert.import'), userId: imp.createdBy };
    await this.core.db.update(certImports).set({ state: 'running', startedAt: imp.startedAt ?? new Date() }).where(eq(certImports.id, importId));
    const file = path.join(this.importsDir(), imp.filePath ?? '');
    if (!imp.filePath || !fs.existsSync(file)) return this.failImport(imp, 'the uploaded file is missing');
    let bytesRead = 0;
    const input = fs.createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(
      new Transform({
        transform(chunk: Buffer, _e, cb) {
          bytesRead += chunk.length;
          cb(null, chunk);
        },
      }),
    );
    const columns = this.core.importColumns(type);
    const source: AsyncIterable<{ row: number; values: Record<string, unknown>; textProblems?: { field: string; message: string }[] }> =
      imp.format === 'jsonl' ? readJsonLines(input) : readRows('csv', input, { columns, required: ['number', 'holderName', 'holderCode'], maxRows: Number.MAX_SAFE_INTEGER });
    const defaults = { today: todayInShanghai(), jurisdiction: issuer.divisionCode };
    const issuerWithCode = issuer as Org & { creditCode: string };
    let batch: { row: number; values: Record<string, unknown>; textProblems?: { field: string; message: string }[] }[] = [];
    // One batch is written while the next is read and checked (the database works while this process
    // parses); batches still commit one after another, in file order, so lastRow stays a safe resume point.
    let writing: Promise<void> = Promise.resolve();
    let writeError: unknown = null;
    const flush = async () => {
      if (!batch.length) return;
      const clean: CleanRow[] = [];
      const rejects: { importId: string; rowNumber: number; field: string; reason: string; raw: Record<string, unknown> }[] = [];
      let badRows = 0;
      for (const b of batch) {
        const values = imp.format === 'jsonl' ? flattenJson(b.values) : b.values;
        // A cell breaking the platform's text rule rejects the row, whatever else it holds.
        const r = b.textProblems ? { problems: b.textProblems.map((p) => ({ field: p.field, reason: p.message })) } : checkRow(type, values, b.row, defaults);
        if ('ok' in r) clean.push(r.ok);
        else {
          badRows++;
          for (const p of r.problems) rejects.push({ importId, rowNumber: b.row, field: p.field, reason: p.reason, raw: redactRaw(values) });
        }
      }
      const lastRow = batch[batch.length - 1].row;
      const count = batch.length;
      const bytes = bytesRead;
      batch = [];
      await writing;
      if (writeError) throw writeError;
      writing = this.issuing.issueBatch(type, issuerWithCode, clean, { actor, importId }, async (tx, res) => {
        if (rejects.length) await tx.insert(certImportRejects).values(rejects);
        await tx
          .update(certImports)
          .set({
            rowsRead: sql`${certImports.rowsRead} + ${count}`,
            rowsIssued: sql`${certImports.rowsIssued} + ${res.inserted.length}`,
            rowsDuplicate: sql`${certImports.rowsDuplicate} + ${res.duplicates.length}`,
            rowsRejected: sql`${certImports.rowsRejected} + ${badRows}`,
            lastRow,
            bytesRead: bytes,
          })
          .where(eq(certImports.id, importId));
      }).then(
        () => undefined,
        (err: unknown) => {
          writeError = err;
        },
      );
    };
    try {
      try {
        for await (const r of source) {
          if (r.row <= imp.lastRow) continue;
          batch.push(r);
          if (batch.length >= BATCH) await flush();
        }
        await flush();
      } finally {
        await writing;
      }
      if (writeError) throw writeError;
    } catch (err) {
      if (err instanceof AppError) {
        const detail = err.message + (err.errors?.length ? `: ${err.errors.map((e) => `${e.path} ${e.message}`).join('; ')}` : '');
        return this.failImport(imp, detail);
      }
      throw err;
    }
    const done = await inTransaction(this.core.db, async (tx) => {
      const [d] = await tx.update(certImports).set({ state: 'succeeded', finishedAt: new Date(), bytesRead, filePath: null }).where(eq(certImports.id, importId)).returning();
      await recordAudit(tx, actor, {
        action: 'cert.import.finish',
        entityType: 'cert_import',
        entityId: importId,
        orgId: imp.issuerOrgId,
        after: { rowsRead: d.rowsRead, rowsIssued: d.rowsIssued, rowsDuplicate: d.rowsDuplicate, rowsRejected: d.rowsRejected },
      });
      return d;
    });
    fs.rmSync(file, { force: true });
    return this.importView(done, type);
  }

  private async failImport(imp: ImportRow, error: string): Promise<ImportView> {
    const [d] = await this.core.db.update(certImports).set({ state: 'failed', error: error.slice(0, 2000), finishedAt: new Date(), filePath: null }).where(eq(certImports.id, imp.id)).returning();
    if (imp.filePath) fs.rmSync(path.join(this.importsDir(), imp.filePath), { force: true });
    return this.importView(d, (await this.core.typeRow(imp.typeId)) ?? undefined);
  }

  private async visibleImport(actor: Actor, id: string): Promise<ImportRow> {
    requirePermission(actor, CERT.issue);
    const [r] = await this.core.db.select().from(certImports).where(eq(certImports.id, id));
    if (!r || !canSeeOrgPath(visibility(actor, CERT.issue), await this.core.deps.orgs.pathOf(r.issuerOrgId))) throw errors.notFound('import');
    return r;
  }

  async getImport(actor: Actor, id: string): Promise<ImportView> {
    const r = await this.visibleImport(actor, id);
    return this.importView(r, (await this.core.typeRow(r.typeId)) ?? undefined);
  }

  async listImports(actor: Actor, f: { limit: number; offset: number }): Promise<Page<ImportView>> {
    requirePermission(actor, CERT.issue);
    const ids = await this.core.visibleIssuers(actor, CERT.issue);
    if (ids && !ids.length) return { items: [], total: 0, limit: f.limit, offset: f.offset };
    const where = ids ? inArray(certImports.issuerOrgId, ids) : undefined;
    const rows = await this.core.db.select().from(certImports).where(where).orderBy(desc(certImports.createdAt), desc(certImports.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.core.db.select({ n: sql<number>`count(*)::int` }).from(certImports).where(where);
    const types = new Map((await this.core.typeRows()).map((t) => [t.id, t]));
    return { items: rows.map((r) => this.importView(r, types.get(r.typeId))), total: n, limit: f.limit, offset: f.offset };
  }

  async rejects(actor: Actor, id: string, page: { limit: number; offset: number }) {
    await this.visibleImport(actor, id);
    const items = await this.core.db
      .select({ rowNumber: certImportRejects.rowNumber, field: certImportRejects.field, reason: certImportRejects.reason, raw: certImportRejects.raw })
      .from(certImportRejects)
      .where(eq(certImportRejects.importId, id))
      .orderBy(certImportRejects.rowNumber, certImportRejects.id)
      .limit(page.limit)
      .offset(page.offset);
    const [{ n }] = await this.core.db.select({ n: sql<number>`count(*)::int` }).from(certImportRejects).where(eq(certImportRejects.importId, id));
    return { items, total: n, limit: page.limit, offset: page.offset };
  }

  /** Every rejected row's problems, 1,000 at a time (CSV download). Access is checked before the first row. */
  async rejectsAll(actor: Actor, id: string): Promise<AsyncIterable<Record<string, unknown>>> {
    await this.visibleImport(actor, id);
    const db = this.core.db;
    return (async function* () {
      let last = 0;
      for (;;) {
        const page = await db.select().from(certImportRejects).where(and(eq(certImportRejects.importId, id), sql`${certImportRejects.id} > ${last}`)).orderBy(certImportRejects.id).limit(1000);
        for (const r of page) {
          last = r.id;
          yield { row: r.rowNumber, field: r.field, reason: r.reason, number: r.raw.number ?? '', holderName: r.raw.holderName ?? '' };
        }
        if (page.length < 1000) return;
      }
    })();
  }
}

/** JSON lines may carry the type fields at the top level or under `fields`. */
function flattenJson(v: Record<string, unknown>): Record<string, unknown> {
  const { fields, ...rest } = v;
  return fields && typeof fields === 'object' && !Array.isArray(fields) ? { ...rest, ...(fields as Record<string, unknown>) } : v;
}

/** A rejected row is kept for the report without the holder's full code (masked like everywhere else). */
function redactRaw(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const s = text(x);
    out[k] = /idnumber|holdercode/i.test(k) && s.length > 8 ? maskCitizenId(s) : typeof x === 'object' ? JSON.stringify(x).slice(0, 200) : s.slice(0, 200);
  }
  return out;
}
