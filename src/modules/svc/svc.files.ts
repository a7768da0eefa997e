// Catalogue import and export as CSV or Excel, streamed both ways (platform/files does the formats).
// Import checks every row and reports every problem (row, field, message); then either the valid rows
// are written in one transaction (mode "valid") or, if any row is bad, nothing is (mode "all").
import type { Readable } from 'node:stream';
import { eq, inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { type Actor, can, requirePermission } from '../../platform/auth/actor';
import { inTransaction, rows, type Tx } from '../../platform/db/client';
import { exportStream, readRows, type Column, type RowProblem, type TabularFormat } from '../../platform/files';
import { findTextProblems } from '../../platform/text';
import type { Org } from '../org';
import { APPLICANT_TYPES, applicantOf, codeOf, HANDLING_MODES, ITEM_KINDS, type ItemDefinition, type ItemKind } from './model';
import { type CatalogueService, definitionOf, SVC } from './svc.service';
import { svcItems, svcItemVersions } from './svc.schema';

export const CATALOGUE_COLUMNS: Column[] = [
  { key: 'code', header: '事项编码', width: 20 },
  { key: 'name', header: '事项名称', width: 36 },
  { key: 'owner', header: '实施主体编码', width: 14 },
  { key: 'ownerName', header: '实施主体', width: 24 },
  { key: 'kind', header: '事项类型', width: 12 },
  { key: 'applicant', header: '服务对象', width: 12 },
  { key: 'legalDays', header: '法定时限', width: 10 },
  { key: 'promisedDays', header: '承诺时限', width: 10 },
  { key: 'mode', header: '办理方式', width: 12 },
  { key: 'zones', header: '主题专区', width: 20 },
  { key: 'keywords', header: '关键词', width: 20 },
  { key: 'legalBasis', header: '设定依据', width: 30 },
  { key: 'description', header: '事项说明', width: 30 },
  { key: 'fees', header: '收费(JSON)', width: 20 },
  { key: 'materials', header: '申请材料(JSON)', width: 30 },
  { key: 'form', header: '申请表单(JSON)', width: 30 },
  { key: 'status', header: '状态', width: 10 },
  { key: 'version', header: '版本', width: 8 },
];
/** Columns an import must have; the rest are optional (ownerName, status and version are ignored on import). */
export const REQUIRED_IMPORT_COLUMNS = ['name', 'owner', 'kind', 'applicant', 'legalDays', 'promisedDays', 'mode'];

export type ImportMode = 'valid' | 'all';

export interface ImportReport {
  mode: ImportMode;
  dryRun: boolean;
  rows: number;
  accepted: number;
  created: number;
  updated: number;
  published: number;
  written: boolean;
  rejected: RowProblem[];
}

const splitList = (s: string) => s.split(/[;；,，、]/).map((x) => x.trim()).filter(Boolean);

export class CatalogueFiles {
  constructor(private readonly svc: CatalogueService) {}

  /** The file as a stream: pages of 500 items in code order, pulled as the client reads. */
  async exportCatalogue(actor: Actor, format: TabularFormat, f: { status?: 'draft' | 'published' | 'retired'; department?: string; district?: string }): Promise<Readable> {
    requirePermission(actor, SVC.itemRead);
    const scope = await this.svc.orgService().visibleIds(actor, SVC.itemRead);
    const zones = await this.svc.zoneMap();
    const svc = this.svc;
    async function* items() {
      let after = '';
      const owners = new Map<string, Org>();
      for (;;) {
        const page = await svc.exportPage(scope, after, 500, f);
        if (!page.length) return;
        const missing = page.map((p) => p.ownerOrgId).filter((id) => !owners.has(id));
        if (missing.length) for (const [k, v] of await svc.orgService().namesOf(missing)) owners.set(k, v);
        for (const r of page) {
          const o = owners.get(r.ownerOrgId);
          yield {
            code: r.code,
            name: r.name,
            owner: o?.code ?? '',
            ownerName: o?.name ?? '',
            kind: ITEM_KINDS[r.kind as ItemKind]?.zh ?? r.kind,
            applicant: APPLICANT_TYPES[r.applicantType as keyof typeof APPLICANT_TYPES]?.zh ?? r.applicantType,
            legalDays: r.legalDays,
            promisedDays: r.promisedDays,
            mode: HANDLING_MODES[r.mode as keyof typeof HANDLING_MODES]?.zh ?? r.mode,
            zones: r.zones.map((z) => zones.get(z)?.name ?? z).join(';'),
            keywords: r.keywords.join(';'),
            legalBasis: r.legalBasis,
            description: r.description,
            fees: JSON.stringify(r.fees),
            materials: JSON.stringify(r.materials),
            form: JSON.stringify(r.form),
            status: r.status,
            version: r.version ?? '',
          };
        }
        after = page[page.length - 1].code;
      }
    }
    return exportStream(format, CATALOGUE_COLUMNS, items(), '政务服务事项');
  }

  async importCatalogue(actor: Actor, format: TabularFormat, input: Readable, opts: { mode: ImportMode; dryRun: boolean; publish: boolean; maxRows?: number }): Promise<ImportReport> {
    requirePermission(actor, SVC.itemWrite);
    if (opts.publish) requirePermission(actor, SVC.itemPublish);
    const orgs = this.svc.orgService();
    const scope = await orgs.visibleIds(actor, SVC.itemWrite);
    const zones = await this.svc.zoneMap();
    const zoneByName = new Map([...zones].map(([code, z]) => [z.name, code]));
    const ownerCache = new Map<string, Org | null>();
    const rejected: RowProblem[] = [];
    const accepted: { row: number; owner: Org; code: string | null; def: ItemDefinition }[] = [];
    const seenKeys = new Map<string, number>();
    let count = 0;

    for await (const { row, values: v, textProblems } of readRows(format, input, { columns: CATALOGUE_COLUMNS, required: REQUIRED_IMPORT_COLUMNS, maxRows: opts.maxRows })) {
      count++;
      const problems: RowProblem[] = (textProblems ?? []).map((p) => ({ row, field: p.field, message: p.message }));
      const bad = (field: string, message: string) => problems.push({ row, field, message });
      const int = (field: 'legalDays' | 'promisedDays') => {
        const s = v[field] ?? '';
        if (!/^\d{1,4}$/.test(s)) {
          bad(field, 'a whole number of working days');
          return 0;
        }
        return Number(s);
      };
      const json = <T>(field: string, fallback: T): T => {
        const s = v[field];
        if (!s) return fallback;
        try {
          const parsed = JSON.parse(s) as T;
          // Escapes inside the JSON (\u0000) meet the platform's text rule only once parsed.
          const textual = findTextProblems(parsed, '');
          if (textual.length) {
            bad(field, textual.map((p) => `${p.path || '/'} ${p.message}`).join('; '));
            return fallback;
          }
          return parsed;
        } catch {
          bad(field, 'not valid JSON');
          return fallback;
        }
      };
      let owner: Org | null = null;
      if (!v.owner) bad('owner', 'is required (a department or district code)');
      else {
        if (!ownerCache.has(v.owner)) ownerCache.set(v.owner, await orgs.byCode(v.owner));
        owner = ownerCache.get(v.owner) ?? null;
        if (!owner || !['department', 'subunit', 'district'].includes(owner.kind)) {
          bad('owner', `no department or district with code ${v.owner}`);
          owner = null;
        } else if (scope && !scope.includes(owner.id)) {
          bad('owner', 'outside your scope');
          owner = null;
        }
      }
      const kind = codeOf(ITEM_KINDS, v.kind ?? '');
      if (!kind) bad('kind', `one of ${Object.values(ITEM_KINDS).map((k) => k.zh).join('、')}`);
      const applicantType = applicantOf(v.applicant ?? '');
      if (!applicantType) bad('applicant', '自然人, 法人, or both');
      const mode = codeOf(HANDLING_MODES, v.mode ?? '');
      if (!mode) bad('mode', `one of ${Object.values(HANDLING_MODES).map((k) => k.zh).join('、')}`);
      const zoneCodes: string[] = [];
      for (const z of splitList(v.zones ?? '')) {
        const code = zones.has(z) ? z : zoneByName.get(z);
        if (!code) bad('zones', `no zone ${z}`);
        else zoneCodes.push(code);
      }
      const def: ItemDefinition = {
        name: (v.name ?? '').trim(),
        kind: kind ?? 'public_service',
        applicantType: applicantType ?? 'person',
        legalDays: int('legalDays'),
        promisedDays: int('promisedDays'),
        mode: mode ?? 'counter',
        description: v.description ?? '',
        keywords: splitList(v.keywords ?? ''),
        materials: json('materials', []),
        form: json('form', { fields: [] }),
        fees: v.fees === '免费' ? { free: true, items: [] } : json('fees', { free: true, items: [] }),
        legalBasis: v.legalBasis ?? '',
        zones: [...new Set(zoneCodes)],
      };
      if (!def.name) bad('name', 'is required');
      if (!problems.length) {
        for (const e of await this.svc.validateDefinition(def, '')) {
          const field = e.path.split('/').filter(Boolean)[0] ?? 'row';
          bad(field, `${e.path.slice(field.length + 2) || ''}${e.path.slice(field.length + 2) ? ': ' : ''}${e.message}`);
        }
      }
      const code = v.code?.trim() || null;
      const key = code ?? `${owner?.id}/${def.name}`;
      if (seenKeys.has(key)) bad(code ? 'code' : 'name', `same item as row ${seenKeys.get(key)}`);
      else seenKeys.set(key, row);
      if (problems.length || !owner) rejected.push(...problems);
      else accepted.push({ row, owner, code, def });
    }

    // Existing items: by code when given, else by owner and name.
    const byCode = new Map<string, typeof svcItems.$inferSelect>();
    const byOwnerName = new Map<string, typeof svcItems.$inferSelect>();
    const db = this.svc.database();
    const codes = accepted.map((a) => a.code).filter((c): c is string => !!c);
    for (let i = 0; i < codes.length; i += 500) for (const r of await db.select().from(svcItems).where(inArray(svcItems.code, codes.slice(i, i + 500)))) byCode.set(r.code, r);
    const ownerIds = [...new Set(accepted.filter((a) => !a.code).map((a) => a.owner.id))];
    if (ownerIds.length) for (const r of await db.select().from(svcItems).where(inArray(svcItems.ownerOrgId, ownerIds))) byOwnerName.set(`${r.ownerOrgId}/${r.name}`, r);
    const plan: { row: number; owner: Org; def: ItemDefinition; existing: typeof svcItems.$inferSelect | null }[] = [];
    for (const a of accepted) {
      const existing = a.code ? byCode.get(a.code) ?? null : byOwnerName.get(`${a.owner.id}/${a.def.name}`) ?? null;
      if (a.code && !existing) rejected.push({ row: a.row, field: 'code', message: `no item ${a.code}; leave the code empty to create one` });
      else if (existing && existing.ownerOrgId !== a.owner.id) rejected.push({ row: a.row, field: 'owner', message: `item ${existing.code} belongs to another owner; owners do not change by import` });
      else if (existing && a.code && existing.name !== a.def.name && byOwnerName.has(`${a.owner.id}/${a.def.name}`)) rejected.push({ row: a.row, field: 'name', message: 'the owner already has another item with this name' });
      else plan.push({ ...a, existing });
    }
    rejected.sort((x, y) => x.row - y.row);

    const report: ImportReport = { mode: opts.mode, dryRun: opts.dryRun, rows: count, accepted: plan.length, created: 0, updated: 0, published: 0, written: false, rejected };
    if (opts.dryRun || !plan.length || (opts.mode === 'all' && rejected.length)) return report;

    await this.svc.prepare();
    await inTransaction(db, async (tx) => {
      const serials = new Map<string, number>();
      for (const p of plan) {
        const r = await this.writeRow(tx, actor, p, serials, opts.publish && can(actor, SVC.itemPublish));
        if (r.created) report.created++;
        else report.updated++;
        if (r.published) report.published++;
      }
      await recordAudit(tx, actor, { action: 'svc.import', entityType: 'svc_catalogue', note: { format, mode: opts.mode, rows: count, created: report.created, updated: report.updated, published: report.published, rejected: rejected.length } });
    });
    report.written = true;
    return report;
  }

  private async writeRow(tx: Tx, actor: Actor, p: { owner: Org; def: ItemDefinition; existing: typeof svcItems.$inferSelect | null }, serials: Map<string, number>, publish: boolean): Promise<{ created: boolean; published: boolean }> {
    const { owner, def } = p;
    if (!p.existing) {
      const prefix = `${owner.code}-${ITEM_KINDS[def.kind].code}-`;
      if (!serials.has(prefix)) {
        const first = await this.svc.nextCode(tx, owner.code, def.kind);
        serials.set(prefix, Number(first.slice(prefix.length)) - 1);
      }
      const serial = serials.get(prefix)! + 1;
      serials.set(prefix, serial);
      const code = `${prefix}${String(serial).padStart(4, '0')}`;
      const [row] = await tx
        .insert(svcItems)
        .values({ ...def, code, ownerOrgId: owner.id, districtCode: await this.svc.districtOf(owner), status: publish ? 'published' : 'draft', version: publish ? 1 : null, searchVector: await this.svc.vectorOf(def, code, owner.name) })
        .returning();
      if (publish) await tx.insert(svcItemVersions).values({ itemId: row.id, version: 1, snapshot: this.svc.snapshot(row), publishedBy: actor.userId });
      await recordAudit(tx, actor, { action: 'svc.item.create', entityType: 'svc_item', entityId: row.id, orgId: owner.id, after: { code, ...def }, note: { via: 'import', published: publish } });
      return { created: true, published: publish };
    }
    const r = p.existing;
    const current = definitionOf(r);
    const changedKeys = (Object.keys(def) as (keyof ItemDefinition)[]).filter((k) => JSON.stringify(def[k]) !== JSON.stringify(current[k]));
    if (r.status === 'draft' && !publish) {
      await tx.update(svcItems).set({ ...def, searchVector: await this.svc.vectorOf(def, r.code, owner.name), updatedAt: new Date() }).where(eq(svcItems.id, r.id));
    } else if (publish && (changedKeys.length || r.status !== 'published')) {
      const version = changedKeys.length || r.version === null ? (r.version ?? 0) + 1 : r.version!;
      const [row] = await tx
        .update(svcItems)
        .set({ ...def, status: 'published', version, pending: null, searchVector: await this.svc.vectorOf(def, r.code, owner.name), updatedAt: new Date() })
        .where(eq(svcItems.id, r.id))
        .returning();
      if (version !== r.version) await tx.insert(svcItemVersions).values({ itemId: r.id, version, snapshot: this.svc.snapshot(row), publishedBy: actor.userId });
    } else if (!publish) {
      const pending = Object.fromEntries(changedKeys.map((k) => [k, def[k]]));
      await tx.update(svcItems).set({ pending: changedKeys.length ? pending : null, updatedAt: new Date() }).where(eq(svcItems.id, r.id));
    }
    await recordAudit(tx, actor, { action: 'svc.item.update', entityType: 'svc_item', entityId: r.id, orgId: owner.id, after: Object.fromEntries(changedKeys.map((k) => [k, def[k]])), note: { via: 'import', published: publish } });
    return { created: false, published: publish };
  }
}

/** Rows in the catalogue (for tests and statistics without an actor). */
export async function catalogueSize(db: Parameters<typeof rows>[0]): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from svc_items`);
  return Number(r.n);
}
