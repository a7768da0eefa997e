// Publication (双公示): upload batches validated row by row and staged, publication of the valid rows,
// single records, the public lookup with masking, profiles, statistics and configuration (publication
// regimes, repair time limits). Every write is audited in its transaction. Repairs live in repair.service.ts.
import type { Readable } from 'node:stream';
import { and, asc, desc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { recordAudit } from '../../platform/audit/audit.service';
import { can, visibility, type Actor } from '../../platform/auth/actor';
import { definePermission } from '../../platform/auth/permissions';
import { blindIndex } from '../../platform/crypto/secrets';
import { inTransaction, rows as rawRows, type Db, type DbOrTx, type Tx } from '../../platform/db/client';
import { appMeta } from '../../platform/db/meta.schema';
import { CONTENT_TYPES, exportStream, type TabularFormat } from '../../platform/files';
import { AppError, errors } from '../../platform/http/problem';
import { likeEscape, type Page } from '../../platform/http/paging';
import { maskCitizenId, maskName, PLACEHOLDER_CREDIT_CODE, todayInShanghai } from '../../platform/ids';
import type { OrgService } from '../org';
import { bigrams, documentVector, lexeme, unigrams } from '../../platform/search';
import { creditRows } from './credit.files';
import { creditAuthorities, creditBatches, creditBatchRows, creditRecords, creditRegimes, creditRepairs } from './credit.schema';
import { columnsOf, type CreditKind, FIELDS, KEYS } from './fields';
import { publishedKey, validateRecord, validateRows, type Problem } from './validator';
import { DEFAULT_REGIMES, regimeProblems, type Regime, type Severity, windowOf } from './windows';

export const CREDIT = {
  publish: definePermission('credit.publish', '报送双公示信息', 'Publish licence and penalty records (双公示)'),
  repairDecide: definePermission('credit.repair.decide', '审核信用修复', 'Decide credit repair applications'),
  profileRead: definePermission('credit.profile.read', '查看信用档案', 'View credit profiles'),
  manage: definePermission('credit.manage', '管理信用配置', 'Manage publication regimes and outbox endpoints'),
} as const;

export interface CreditSettings {
  /** Working days to accept a submitted repair application. */
  acceptDays: number;
  /** Working days to decide after acceptance (or after resubmitted material). */
  decideDays: number;
  /** Fine plus confiscation (万元) from which a penalty counts as serious. */
  seriousAmount: number;
}
export const DEFAULT_SETTINGS: CreditSettings = { acceptDays: 3, decideDays: 7, seriousAmount: 10 };
const SETTINGS_KEY = 'credit.settings';

type RecordRow = typeof creditRecords.$inferSelect;
type BatchRow = typeof creditBatches.$inferSelect;

export interface BatchView {
  id: string;
  kind: CreditKind;
  fileName: string;
  state: string;
  total: number;
  valid: number;
  invalid: number;
  published: number | null;
  createdAt: string;
  publishedAt: string | null;
}

const batchView = (b: BatchRow): BatchView => ({
  id: b.id,
  kind: b.kind as CreditKind,
  fileName: b.fileName,
  state: b.state,
  total: b.total,
  valid: b.valid,
  invalid: b.invalid,
  published: b.published,
  createdAt: b.createdAt.toISOString(),
  publishedAt: b.publishedAt?.toISOString() ?? null,
});

/** A person's name shown without need: the surname, then one star per further character (the platform's rule). */
export { maskName };

const ID_FIELDS = ['XK_XDR_ZJHM', 'XK_FR_ZJHM', 'CF_XDR_ZJHM', 'CF_FR_ZJHM'];

/** The record as the public (or a viewer without need) sees it: every ID number masked, persons' names masked. */
export function maskedRecord(r: RecordRow): Record<string, unknown> {
  const rec = { ...(r.record as Record<string, string>) };
  for (const f of ID_FIELDS) if (rec[f]) rec[f] = maskCitizenId(rec[f]);
  if (r.subjectCategory === '自然人') {
    const p = KEYS[r.kind as CreditKind].prefix;
    rec[`${p}_XDR_MC`] = maskName(rec[`${p}_XDR_MC`] ?? '');
  }
  return rec;
}

export function recordView(r: RecordRow, masked: boolean) {
  const person = r.subjectCategory === '自然人';
  return {
    id: r.id,
    kind: r.kind as CreditKind,
    status: r.status,
    record: masked ? maskedRecord(r) : (r.record as Record<string, string>),
    subjectName: masked && person ? maskName(r.subjectName) : r.subjectName,
    subjectCode: masked && person ? maskCitizenId(r.subjectCode) : r.subjectCode,
    subjectKey: r.subjectKey,
    documentNo: r.docNo,
    authorityCode: r.authorityCode,
    decisionDate: r.decisionDate,
    severity: r.severity,
    repairableFrom: r.repairableFrom,
    publicationEnds: r.publicationEnds,
    publishedAt: r.publishedAt.toISOString(),
    withdrawnAt: r.withdrawnAt?.toISOString() ?? null,
  };
}
export type RecordView = ReturnType<typeof recordView>;

export interface CreditDeps {
  db: Db;
  orgs: OrgService;
  masterKey: Buffer;
  today?: () => string;
}

export class CreditService {
  readonly db: Db;
  constructor(readonly d: CreditDeps) {
    this.db = d.db;
  }

  today(): string {
    return this.d.today?.() ?? todayInShanghai();
  }

  // ---- configuration -------------------------------------------------------------------------------------

  async settings(db: DbOrTx = this.db): Promise<CreditSettings> {
    const [r] = await db.select().from(appMeta).where(eq(appMeta.key, SETTINGS_KEY));
    return { ...DEFAULT_SETTINGS, ...((r?.value as Partial<CreditSettings>) ?? {}) };
  }

  async regimes(db: DbOrTx = this.db): Promise<Regime[]> {
    const r = await db.select().from(creditRegimes).orderBy(asc(creditRegimes.effectiveFrom), asc(creditRegimes.severity));
    if (!r.length) return DEFAULT_REGIMES;
    return r.map((x) => ({ severity: x.severity as Severity, minMonths: x.minMonths, maxMonths: x.maxMonths, effectiveFrom: x.effectiveFrom, note: x.note }));
  }

  async getRegimes() {
    return { items: await this.regimes(), limits: await this.settings() };
  }

  async putRegimes(actor: Actor, input: { items: Regime[]; limits?: Partial<CreditSettings> }) {
    const problems = regimeProblems(input.items);
    if (problems.length) throw errors.validation(problems.map((p) => ({ path: `/body${p.path}`, message: p.message })));
    const before = await this.getRegimes();
    const limits = { ...before.limits, ...(input.limits ?? {}) };
    await inTransaction(this.db, async (tx) => {
      await tx.delete(creditRegimes);
      await tx.insert(creditRegimes).values(input.items.map((r) => ({ severity: r.severity, minMonths: r.minMonths, maxMonths: r.maxMonths, effectiveFrom: r.effectiveFrom, note: r.note ?? null })));
      await tx.insert(appMeta).values({ key: SETTINGS_KEY, value: limits }).onConflictDoUpdate({ target: appMeta.key, set: { value: limits } });
      await recordAudit(tx, actor, { action: 'credit.regimes.update', entityType: 'credit_regimes', before, after: { items: input.items, limits } });
    });
    return this.getRegimes();
  }

  /** Seed the standard's regimes when none are configured (reference data, idempotent). */
  async seedRegimes(): Promise<void> {
    const [{ n }] = await rawRows<{ n: number }>(this.db, sql`select count(*)::int as n from credit_regimes`);
    if (n === 0) await this.db.insert(creditRegimes).values(DEFAULT_REGIMES.map((r) => ({ ...r, note: r.note ?? null }))).onConflictDoNothing();
  }

  // ---- who publishes for which authority -------------------------------------------------------------------

  /** Authority credit codes the actor may publish for, with the organisation each belongs to. */
  async authoritiesOf(actor: Actor): Promise<Map<string, string>> {
    const v = visibility(actor, CREDIT.publish);
    const conds: SQL[] = [];
    if (!v.all) {
      for (const p of v.prefixes) conds.push(sql`o.path like ${likeEscape(p) + '%'}`);
      if (!conds.length) return new Map();
    }
    const where = v.all ? sql`true` : sql.join(conds, sql` or `);
    const r = await rawRows<{ code: string; org_id: string }>(
      this.db,
      sql`select a.code, a.org_id from credit_authorities a join organisations o on o.id = a.org_id where ${where}
          union select o.credit_code as code, o.id as org_id from organisations o where o.credit_code is not null and o.kind <> 'enterprise' and (${where})`,
    );
    return new Map(r.map((x) => [x.code, x.org_id]));
  }

  async setAuthority(code: string, name: string, orgId: string, db: DbOrTx = this.db) {
    await db.insert(creditAuthorities).values({ code, name, orgId }).onConflictDoUpdate({ target: creditAuthorities.code, set: { name, orgId } });
  }

  private async publishingOrgIds(actor: Actor): Promise<string[] | undefined> {
    return this.d.orgs.visibleIds(actor, CREDIT.publish);
  }

  private async lookupPublished(db: DbOrTx, kind: CreditKind, keys: { authorityCode: string; docNo: string }[]): Promise<Set<string>> {
    const docs = [...new Set(keys.map((k) => k.docNo))];
    if (!docs.length) return new Set();
    const r = await db
      .select({ a: creditRecords.authorityCode, d: creditRecords.docNo })
      .from(creditRecords)
      .where(and(eq(creditRecords.kind, kind), inArray(creditRecords.docNo, docs)));
    return new Set(r.map((x) => publishedKey(x.a, x.d)));
  }

  // ---- records ----------------------------------------------------------------------------------------------

  /** The row to insert for a validated record (window computed for penalties). */
  private recordValues(kind: CreditKind, values: Record<string, string>, orgId: string, ctx: { regimes: Regime[]; settings: CreditSettings; batchId?: string; createdBy: string | null }) {
    const k = KEYS[kind];
    const p = k.prefix;
    const clean: Record<string, string> = {};
    for (const f of FIELDS[kind]) if (values[f.code]?.trim()) clean[f.code] = values[f.code].trim();
    const category = clean[`${p}_XDR_LB`];
    const credit = clean[`${p}_XDR_SHXYM`];
    const hasCode = !!credit && credit !== PLACEHOLDER_CREDIT_CODE;
    const subjectCode = hasCode ? credit : (clean[`${p}_XDR_ZJHM`] ?? '').toUpperCase();
    const subjectKey = hasCode ? credit : `P${blindIndex(this.d.masterKey, subjectCode, 'credit.subject').slice(0, 24)}`;
    const name = clean[`${p}_XDR_MC`];
    const win = kind === 'penalty' ? windowOf(clean, ctx.regimes, ctx.settings.seriousAmount) : null;
    return {
      kind,
      record: clean,
      docNo: clean[k.docNo],
      authorityCode: clean[k.authorityCode],
      orgId,
      batchId: ctx.batchId ?? null,
      subjectName: name,
      subjectCategory: category,
      subjectCode,
      subjectKey,
      decisionDate: clean[k.decisionDate],
      severity: win?.severity ?? null,
      repairableFrom: win?.repairableFrom ?? null,
      publicationEnds: win?.publicationEnds ?? null,
      // Persons are found by name only; their ID numbers are never searchable in public.
      searchVector: documentVector([{ text: name, weight: 'A' }, ...(hasCode ? [{ text: credit, weight: 'A' as const }] : [])]),
      createdBy: ctx.createdBy,
    };
  }

  async createRecord(actor: Actor, kind: CreditKind, record: Record<string, unknown>): Promise<RecordView> {
    const allowed = await this.authoritiesOf(actor);
    const k = KEYS[kind];
    const auth = String(record[k.authorityCode] ?? '').trim();
    const doc = String(record[k.docNo] ?? '').trim();
    const published = await this.lookupPublished(this.db, kind, [{ authorityCode: auth, docNo: doc }]);
    const problems = validateRecord(kind, record, { today: this.today(), allowedAuthorities: new Set(allowed.keys()), isPublished: (a, d) => published.has(publishedKey(a, d)) });
    if (problems.length) throw recordErrors(problems);
    const [regimes, settings] = [await this.regimes(), await this.settings()];
    const values: Record<string, string> = {};
    for (const [key, v] of Object.entries(record)) if (v !== null && v !== undefined) values[key] = String(v);
    const row = this.recordValues(kind, values, allowed.get(auth)!, { regimes, settings, createdBy: actor.userId });
    return inTransaction(this.db, async (tx) => {
      const [r] = await tx.insert(creditRecords).values(row).onConflictDoNothing().returning();
      if (!r) throw recordErrors([{ row: 1, field: k.docNo, code: 'duplicate-published', message: '已有相同文号的记录公示' }]);
      await recordAudit(tx, actor, { action: 'credit.record.publish', entityType: 'credit_record', entityId: r.id, orgId: r.orgId, after: { kind, docNo: r.docNo, authorityCode: r.authorityCode } });
      return recordView(r, false);
    });
  }

  /** Insert a record for seed data: validated by the same rules, published by the given organisation; idempotent by document number. */
  async seedRecord(kind: CreditKind, values: Record<string, string>, orgId: string): Promise<boolean> {
    const problems = validateRecord(kind, values, { today: this.today() });
    if (problems.length) throw new Error(`seed record ${values[KEYS[kind].docNo]} is invalid: ${problems.map((p) => `${p.field} ${p.code}`).join(', ')}`);
    const row = this.recordValues(kind, values, orgId, { regimes: await this.regimes(), settings: await this.settings(), createdBy: null });
    const r = await this.db.insert(creditRecords).values(row).onConflictDoNothing().returning({ id: creditRecords.id });
    return r.length > 0;
  }

  async listRecords(actor: Actor, f: { kind?: CreditKind; status?: string; q?: string; limit: number; offset: number }): Promise<Page<RecordView>> {
    const conds: SQL[] = [];
    if (!can(actor, CREDIT.profileRead)) {
      const ids = await this.publishingOrgIds(actor);
      if (ids) conds.push(ids.length ? inArray(creditRecords.orgId, ids) : sql`false`);
    }
    if (f.kind) conds.push(eq(creditRecords.kind, f.kind));
    if (f.status) conds.push(eq(creditRecords.status, f.status));
    if (f.q?.trim()) {
      const q = f.q.trim();
      const tsq = nameQuery(q);
      conds.push(sql`(${creditRecords.docNo} = ${q} or ${creditRecords.subjectCode} = ${q.toUpperCase()}${tsq ? sql` or ${creditRecords.searchVector} @@ ${tsq}::tsquery` : sql``})`);
    }
    const where = conds.length ? and(...conds) : undefined;
    const [items, [{ n }]] = await Promise.all([
      this.db.select().from(creditRecords).where(where).orderBy(desc(creditRecords.publishedAt), desc(creditRecords.id)).limit(f.limit).offset(f.offset),
      this.db.select({ n: sql<number>`count(*)::int` }).from(creditRecords).where(where),
    ]);
    return { items: items.map((r) => recordView(r, false)), total: n, limit: f.limit, offset: f.offset };
  }

  async getRecord(actor: Actor, id: string): Promise<RecordView> {
    const [r] = await this.db.select().from(creditRecords).where(eq(creditRecords.id, id));
    if (!r) throw errors.notFound('record');
    if (!can(actor, CREDIT.profileRead)) {
      const ids = await this.publishingOrgIds(actor);
      if (ids && !ids.includes(r.orgId)) throw errors.notFound('record');
    }
    return recordView(r, false);
  }

  // ---- batches ----------------------------------------------------------------------------------------------

  async createBatch(actor: Actor, kind: CreditKind, fileName: string, format: TabularFormat, input: Readable): Promise<BatchView & { problems: Problem[] }> {
    if (!actor.orgId) throw errors.forbidden('publishing needs an account of an organisation');
    const allowed = new Set((await this.authoritiesOf(actor)).keys());
    const today = this.today();
    const batch = await inTransaction(this.db, async (tx) => {
      const [b] = await tx.insert(creditBatches).values({ kind, orgId: actor.orgId!, fileName, createdBy: actor.userId }).returning();
      let total = 0;
      let valid = 0;
      let pending: (typeof creditBatchRows.$inferInsert)[] = [];
      const flush = async () => {
        if (pending.length) await tx.insert(creditBatchRows).values(pending);
        pending = [];
      };
      const checked = validateRows(kind, creditRows(kind, format, input), { today, allowedAuthorities: allowed, lookupPublished: (keys) => this.lookupPublished(tx, kind, keys), chunk: 500 });
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
    const ids = await this.publishingOrgIds(actor);
    if (!b || (ids && !ids.includes(b.orgId))) throw errors.notFound('batch');
    return b;
  }

  async listBatches(actor: Actor, f: { kind?: CreditKind; state?: string; limit: number; offset: number }): Promise<Page<BatchView>> {
    const ids = await this.publishingOrgIds(actor);
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
    const authorities = await this.authoritiesOf(actor);
    const [regimes, settings] = [await this.regimes(), await this.settings()];
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
          return orgId ? [this.recordValues(kind, v, orgId, { regimes, settings, batchId: id, createdBy: actor.userId })] : [];
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

  // ---- expiry -------------------------------------------------------------------------------------------

  /** Take penalties whose publication window has ended out of publication (the recurring job). */
  async expire(actor: Actor, today = this.today()): Promise<{ expired: number }> {
    return inTransaction(this.db, async (tx) => {
      const r = await tx
        .update(creditRecords)
        .set({ status: 'expired', withdrawnAt: new Date() })
        .where(and(eq(creditRecords.status, 'published'), sql`${creditRecords.publicationEnds} < ${today}`))
        .returning({ id: creditRecords.id });
      if (r.length) await recordAudit(tx, actor, { action: 'credit.publication.expire', entityType: 'credit_record', note: { expired: r.length, today, ids: r.slice(0, 100).map((x) => x.id) } });
      return { expired: r.length };
    });
  }

  // ---- public lookup ---------------------------------------------------------------------------------------

  async publicSearch(f: { q: string; limit: number; offset: number }) {
    const q = f.q.trim();
    let match: SQL;
    if (/^[0-9A-Z]{18}$/i.test(q)) match = sql`subject_code = ${q.toUpperCase()} and subject_category <> '自然人'`;
    else {
      const tsq = nameQuery(q);
      if (!tsq) return { items: [], total: 0, limit: f.limit, offset: f.offset };
      match = sql`search_vector @@ ${tsq}::tsquery`;
    }
    const items = await rawRows<{ key: string; code: string; name: string; category: string; licences: number; penalties: number }>(
      this.db,
      sql`select subject_key as key, min(subject_code) as code, min(subject_name) as name, min(subject_category) as category,
                 count(*) filter (where kind = 'licence')::int as licences, count(*) filter (where kind = 'penalty')::int as penalties
          from credit_records where status = 'published' and ${match}
          group by subject_key order by min(subject_name), subject_key limit ${f.limit} offset ${f.offset}`,
    );
    const [{ n }] = await rawRows<{ n: number }>(this.db, sql`select count(distinct subject_key)::int as n from credit_records where status = 'published' and ${match}`);
    return {
      items: items.map((i) => {
        const person = i.category === '自然人';
        return { key: i.key, code: person ? maskCitizenId(i.code) : i.code, name: person ? maskName(i.name) : i.name, kind: person ? 'person' : 'organisation', licences: i.licences, penalties: i.penalties };
      }),
      total: n,
      limit: f.limit,
      offset: f.offset,
    };
  }

  /** A subject by credit code (or the public key of a person): only records in publication, masked. */
  async publicSubject(code: string) {
    const key = code.trim();
    const recs = await this.db
      .select()
      .from(creditRecords)
      .where(and(eq(creditRecords.subjectKey, /^[0-9a-z]{18}$/i.test(key) ? key.toUpperCase() : key), eq(creditRecords.status, 'published')))
      .orderBy(desc(creditRecords.decisionDate))
      .limit(500);
    if (!recs.length) throw errors.notFound('subject');
    const first = recs[0];
    const person = first.subjectCategory === '自然人';
    const view = (r: RecordRow) => {
      const v = recordView(r, true);
      return { id: v.id, kind: v.kind, record: v.record, documentNo: v.documentNo, decisionDate: v.decisionDate, authorityCode: v.authorityCode, severity: v.severity, publicationEnds: v.publicationEnds, publishedAt: v.publishedAt, status: v.status };
    };
    return {
      subject: { key: first.subjectKey, code: person ? maskCitizenId(first.subjectCode) : first.subjectCode, name: person ? maskName(first.subjectName) : first.subjectName, kind: person ? 'person' : 'organisation' },
      licences: recs.filter((r) => r.kind === 'licence').map(view),
      penalties: recs.filter((r) => r.kind === 'penalty').map(view),
    };
  }

  // ---- profile and statistics ---------------------------------------------------------------------------------

  async profile(actor: Actor, code: string) {
    const key = /^[0-9a-z]{18}$/i.test(code) ? code.toUpperCase() : code;
    let own = false;
    if (actor.orgId && actor.kind === 'enterprise') {
      const org = await this.d.orgs.byId(actor.orgId);
      own = org?.creditCode === key;
    }
    if (!own && !can(actor, CREDIT.profileRead)) throw errors.forbidden('only the subject itself or staff with credit.profile.read see a credit profile');
    const recs = await this.db.select().from(creditRecords).where(eq(creditRecords.subjectKey, key)).orderBy(desc(creditRecords.decisionDate)).limit(1000);
    if (!recs.length) throw errors.notFound('subject');
    const repairs = await this.db
      .select()
      .from(creditRepairs)
      .where(inArray(creditRepairs.penaltyId, recs.map((r) => r.id)))
      .orderBy(desc(creditRepairs.createdAt));
    const first = recs[0];
    const masked = !own && first.subjectCategory === '自然人';
    return {
      subject: { key: first.subjectKey, code: masked ? maskCitizenId(first.subjectCode) : first.subjectCode, name: masked ? maskName(first.subjectName) : first.subjectName, kind: first.subjectCategory === '自然人' ? 'person' : 'organisation' },
      licences: recs.filter((r) => r.kind === 'licence').map((r) => recordView(r, masked)),
      penalties: recs.filter((r) => r.kind === 'penalty').map((r) => ({ ...recordView(r, masked), inPublication: r.status === 'published' })),
      repairs: repairs.map((r) => ({ id: r.id, penaltyId: r.penaltyId, state: r.state, createdAt: r.createdAt.toISOString(), submittedAt: r.submittedAt?.toISOString() ?? null, decidedAt: r.decidedAt?.toISOString() ?? null, reason: r.lastReason })),
    };
  }

  async stats(actor: Actor) {
    const v = visibility(actor, CREDIT.profileRead);
    const ids = v.all ? undefined : await this.d.orgs.visibleIds(actor, CREDIT.profileRead);
    const scope = (col: string) => (ids ? (ids.length ? sql`${sql.raw(col)} in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})` : sql`false`) : sql`true`);
    const byState = await rawRows<{ state: string; count: number }>(this.db, sql`select state, count(*)::int as count from credit_repairs where ${scope('decider_org_id')} and state <> 'draft' group by state order by state`);
    const byDepartment = await rawRows<{ orgId: string; deptName: string; count: number; decided: number; onTime: number }>(
      this.db,
      sql`select r.decider_org_id as "orgId", o.name as "deptName", count(*)::int as count,
                 count(*) filter (where r.decided_at is not null)::int as decided, count(*) filter (where r.on_time)::int as "onTime"
          from credit_repairs r join organisations o on o.id = r.decider_org_id
          where ${scope('r.decider_org_id')} and r.state <> 'draft' group by r.decider_org_id, o.name order by count desc`,
    );
    const [agg] = await rawRows<{ decided: number; on_time: number; avg_days: number | null; total: number }>(
      this.db,
      sql`select count(*) filter (where decided_at is not null)::int as decided, count(*) filter (where on_time)::int as on_time,
                 avg(handling_days) filter (where decided_at is not null)::float as avg_days, count(*)::int as total
          from credit_repairs where ${scope('decider_org_id')} and state <> 'draft'`,
    );
    const records = await rawRows<{ kind: string; orgId: string; deptName: string; count: number; published: number }>(
      this.db,
      sql`select c.kind, c.org_id as "orgId", o.name as "deptName", count(*)::int as count, count(*) filter (where c.status = 'published')::int as published
          from credit_records c join organisations o on o.id = c.org_id where ${scope('c.org_id')} group by c.kind, c.org_id, o.name order by count desc`,
    );
    return {
      repairs: {
        byState,
        byDepartment,
        total: agg.total,
        onTimeRate: agg.decided ? Math.round((agg.on_time / agg.decided) * 1000) / 1000 : null,
        avgWorkingDays: agg.avg_days === null ? null : Math.round(agg.avg_days * 10) / 10,
      },
      records,
    };
  }
}

/** tsquery literal matching every bigram of the name (one-character queries match the character). */
export function nameQuery(q: string): string | null {
  const grams = [...new Set(bigrams(q))];
  const use = grams.length ? grams : unigrams(q);
  if (!use.length) return null;
  return use.map(lexeme).join(' & ');
}

/** 422 for the single-record API: the same problems, as paths into the request body. */
export function recordErrors(problems: Problem[]): AppError {
  const errs = problems.map((p) => ({ path: `/record/${p.field}`, code: p.code, message: p.message }));
  return new AppError(422, 'unprocessable', 'Cannot process', `the record has ${problems.length} problem(s): ${errs.map((e) => `${e.path} ${e.code}`).join('; ')}`, errs);
}

export type { Tx };
