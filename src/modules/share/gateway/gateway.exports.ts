// Bulk exports: the job that streams the granted, masked rows into a CSV file, the consumer's view of its
// exports and the download (itself an operational record), and the hourly sweep.
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../../platform/auth/actor';
import { inTransaction } from '../../../platform/db/client';
import { exportStream } from '../../../platform/files';
import { AppError, errors } from '../../../platform/http/problem';
import { todayInShanghai } from '../../../platform/ids';
import type { RowFilter } from '../contracts';
import type { GatewayCalls } from './gateway.calls';
import { exportView, grantState, refuse, type CallContext, type CallInput, type CallOutcome, type ExportRow, type GatewayContext } from './gateway.core';
import { sha256 } from './gateway.hash';
import type { GatewayKeys } from './gateway.keys';
import { shareExports, shareGrantMinutes, shareGrants, shareGrantUsage } from './gateway.schema';
import { rowMasker } from './masking';

export class GatewayExports {
  constructor(
    private readonly gw: GatewayContext,
    private readonly keys: GatewayKeys,
    private readonly calls: GatewayCalls,
  ) {}

  private get db() {
    return this.gw.deps.db;
  }

  private get reader() {
    return this.gw.reader;
  }

  private async ownExport(actor: Actor, id: string): Promise<ExportRow> {
    const c = await this.keys.consumerOf(actor);
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
      ctx.consumer = await this.keys.consumerOf(actor);
      const [g] = await this.db.select().from(shareGrants).where(eq(shareGrants.id, e.grantId));
      ctx.grant = g;
      const st = grantState(g, at);
      if (st === 'revoked') throw refuse(403, 'grant-revoked', 'Grant revoked', 'the grant this export was made under has been revoked');
      if (e.state === 'expired' || e.expiresAt.getTime() <= at.getTime()) throw refuse(410, 'export-expired', 'Export expired', `the export expired at ${e.expiresAt.toISOString()}`);
      if (e.state !== 'done' || !e.fileLocation) throw refuse(409, 'export-not-ready', 'Export not ready', `the export is ${e.state}`);
      const stream = fs.createReadStream(e.fileLocation);
      const rec = await this.calls.writeRecord(actor, input, ctx, { at, t0, status: 200, errorCode: null, rows: e.rows, bytes: e.bytes, responseHash: e.sha256 ?? '' });
      return { stream, export: exportView(e), callId: rec.id };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const body = JSON.stringify({ ...err.toProblem(), instance, requestId: actor.requestId });
      const rec = await this.calls.writeRecord(actor, input, ctx, { at, t0, status: err.status, errorCode: err.code, rows: 0, bytes: Buffer.byteLength(body), responseHash: sha256(body) });
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
    const dir = this.gw.exportDir();
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
}
