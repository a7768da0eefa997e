// Quality of datasets: the rules of a resource (derived from its items, and the provider's own) and the
// scores (the GB/T 36344 dimensions) by resource and by department. How a rule checks rows is quality.ts.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { type Actor, can, requirePermission } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { inTransaction } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import type { ResourceDataShape } from '../contracts';
import { SHARE } from '../share.permissions';
import type { QualityScore } from './data.core';
import { shareLoads, shareQualityResults, shareQualityRules } from './data.schema';
import type { DataTables } from './data.tables';
import { CYCLE_DAYS, DIMENSION_OF, DIMENSIONS, type Dimension, type QualityRule, type RuleKind, derivedRules, passRateScore, ruleProblem, timelinessScore } from './quality';

export class DataQuality {
  constructor(private readonly tables: DataTables) {}

  private get deps() {
    return this.tables.deps;
  }

  private get db() {
    return this.deps.db;
  }

  // ---- quality rules ----------------------------------------------------------------------------------------

  /** Derived rules (from the items; always on) followed by the provider's own. */
  async rules(resourceId: string, shape?: ResourceDataShape): Promise<QualityRule[]> {
    shape ??= await this.tables.requireShape(resourceId);
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
    const shape = await this.tables.providerShape(actor, resourceId);
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
      const other = await this.tables.shape(String(r.params.resourceId));
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

  // ---- quality scores -------------------------------------------------------------------------------------

  /** The resource's score (see docs: mean of the six GB/T 36344 dimensions, each 0–100). */
  async score(resourceId: string): Promise<QualityScore> {
    const [meta] = await this.tables.q<{ state: string; update_cycle: string }>(this.db, `select state, update_cycle from share_resources where id = $1::uuid`, [resourceId]);
    const ds = await this.tables.datasetRow(resourceId);
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
    const res = await this.tables.q<{ id: string; code: string; name: string; provider_org_id: string | null; member_name: string; member_code: string }>(
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
}
