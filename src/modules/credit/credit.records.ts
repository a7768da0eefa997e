// Published records: who publishes for which authority, the row a validated record becomes (with the
// penalty's publication window), single records, the staff's record list, and expiry of publication.
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { can, visibility, type Actor } from '../../platform/auth/actor';
import { blindIndex } from '../../platform/crypto/secrets';
import { inTransaction, type Db, type DbOrTx } from '../../platform/db/client';
import { errors } from '../../platform/http/problem';
import type { Page } from '../../platform/http/paging';
import { PLACEHOLDER_CREDIT_CODE } from '../../platform/ids';
import { ORG_KINDS } from '../org';
import { documentVector } from '../../platform/search';
import { CREDIT } from './credit.permissions';
import { creditAuthorities, creditRecords } from './credit.schema';
import type { CreditConfig, CreditDeps, CreditSettings } from './credit.settings';
import { nameQuery, recordErrors, recordView, type RecordView } from './credit.views';
import { type CreditKind, FIELDS, KEYS } from './fields';
import { publishedKey, validateRecord } from './validator';
import { type Regime, windowOf } from './windows';

/** Government bodies (every kind but enterprises) may publish under their own credit code. */
const PUBLISHING_KINDS = ORG_KINDS.filter((k) => k !== 'enterprise');

export class CreditRecords {
  private readonly db: Db;
  constructor(
    private readonly d: CreditDeps,
    private readonly config: CreditConfig,
  ) {
    this.db = d.db;
  }

  // ---- who publishes for which authority -------------------------------------------------------------------

  /** Authority credit codes the actor may publish for, with the organisation each belongs to. */
  async authoritiesOf(actor: Actor): Promise<Map<string, string>> {
    const v = visibility(actor, CREDIT.publish);
    // The subtrees the actor publishes in (undefined: everywhere); a grant for its own organisation only
    // publishes for no authority.
    const under = v.all ? undefined : v.prefixes;
    if (under && !under.length) return new Map();
    // The registered authorities are few (one per government body without a code of its own): read them
    // all, then their organisations' paths in one call.
    const [registered, bodies] = await Promise.all([
      this.db.select({ code: creditAuthorities.code, orgId: creditAuthorities.orgId }).from(creditAuthorities),
      this.d.orgs.withCreditCode(PUBLISHING_KINDS, under),
    ]);
    const orgs = await this.d.orgs.namesOf(registered.map((a) => a.orgId));
    const inScope = (orgId: string) => {
      const path = orgs.get(orgId)?.path;
      return !!path && (!under || under.some((p) => path.startsWith(p)));
    };
    return new Map([...registered.filter((a) => inScope(a.orgId)).map((a) => [a.code, a.orgId] as const), ...bodies.map((o) => [o.creditCode!, o.id] as const)]);
  }

  async setAuthority(code: string, name: string, orgId: string, db: DbOrTx = this.db) {
    await db.insert(creditAuthorities).values({ code, name, orgId }).onConflictDoUpdate({ target: creditAuthorities.code, set: { name, orgId } });
  }

  async publishingOrgIds(actor: Actor): Promise<string[] | undefined> {
    return this.d.orgs.visibleIds(actor, CREDIT.publish);
  }

  async lookupPublished(db: DbOrTx, kind: CreditKind, keys: { authorityCode: string; docNo: string }[]): Promise<Set<string>> {
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
  recordValues(kind: CreditKind, values: Record<string, string>, orgId: string, ctx: { regimes: Regime[]; settings: CreditSettings; batchId?: string; createdBy: string | null }) {
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
    const problems = validateRecord(kind, record, { today: this.config.today(), allowedAuthorities: new Set(allowed.keys()), isPublished: (a, d) => published.has(publishedKey(a, d)) });
    if (problems.length) throw recordErrors(problems);
    const [regimes, settings] = [await this.config.regimes(), await this.config.settings()];
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
    const problems = validateRecord(kind, values, { today: this.config.today() });
    if (problems.length) throw new Error(`seed record ${values[KEYS[kind].docNo]} is invalid: ${problems.map((p) => `${p.field} ${p.code}`).join(', ')}`);
    const row = this.recordValues(kind, values, orgId, { regimes: await this.config.regimes(), settings: await this.config.settings(), createdBy: null });
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

  // ---- expiry -------------------------------------------------------------------------------------------

  /** Take penalties whose publication window has ended out of publication (the recurring job). */
  async expire(actor: Actor, today = this.config.today()): Promise<{ expired: number }> {
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
}
