// Reference catalogue: the 37 themed zones, the search synonyms, one sub-hall per district, the real
// items of src/seed-data/service-items.csv (published, version 1, with demo forms and materials) and the
// bundles of bundles.csv. Idempotent: zones by code, synonyms by term, halls by district, items by owner
// and name, bundles by name — a second run adds only what is missing and never overwrites staff edits.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { systemActor } from '../../platform/auth/actor';
import { inTransaction } from '../../platform/db/client';
import type { Org } from '../org';
import { applicantOf, codeOf, HANDLING_MODES, ITEM_KINDS, type ItemDefinition, type ItemKind } from './model';
import type { FormField } from './form';
import { demoForm, demoMaterials, ENTERPRISE_FIELDS, FEES_BY_NAME, LEGAL_BASIS, LEGAL_BASIS_BY_NAME, PERSON_FIELDS, RICH_FORMS, SYNONYMS, ZONE_RULES, ZONES } from './svc.reference';
import type { CatalogueService } from './svc.service';
import { svcBundles, svcHallItems, svcHalls, svcItems, svcItemVersions, svcSynonyms, svcZones } from './svc.schema';

const SEED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../seed-data');

export interface ItemCsvRow {
  name: string;
  department: string;
  kind: string;
  applicant: string;
  legalDays: number;
  promisedDays: number;
  mode: string;
  zones: string[];
}

function csvLines(file: string): string[][] {
  return fs
    .readFileSync(path.join(SEED_DIR, file), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.split(',').map((c) => c.trim()));
}

export function loadItemCsv(): ItemCsvRow[] {
  return csvLines('service-items.csv').map(([name, department, kind, applicant, legal, promised, mode, zones]) => ({
    name,
    department,
    kind,
    applicant,
    legalDays: Number(legal),
    promisedDays: Number(promised),
    mode,
    zones: (zones ?? '').split(/[;；]/).map((z) => z.trim()).filter(Boolean),
  }));
}

export function loadBundleCsv(): { name: string; items: string[] }[] {
  return csvLines('bundles.csv').map(([name, items]) => ({ name, items: items.split(';').map((s) => s.trim()).filter(Boolean) }));
}

const BUNDLE_ZONES: Record<string, string> = {
  新生儿出生一件事: 'newborn',
  企业开办一件事: 'business_startup',
  退休一件事: 'retirement',
  身后一件事: 'after_death',
  二手房交易一件事: 'home_purchase',
  人才引进一件事: 'talent',
  入学一件事: 'school_enrolment',
};

/** A stable pseudo-random number from a string (for demo popularity). */
export function hashNumber(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
  return h >>> 0;
}

const MODE_POPULARITY: Record<string, number> = { auto: 900, online: 500, immediate: 400, no_action: 300, counter: 200 };

export function definitionFromCsv(r: ItemCsvRow, zoneByName: Map<string, string>): ItemDefinition {
  const kind = codeOf(ITEM_KINDS, r.kind);
  const applicantType = applicantOf(r.applicant);
  const mode = codeOf(HANDLING_MODES, r.mode);
  if (!kind || !applicantType || !mode) throw new Error(`service-items.csv: cannot read ${r.name}`);
  const zones = new Set(r.zones.map((z) => zoneByName.get(z) ?? '').filter(Boolean));
  for (const [re, z] of ZONE_RULES) if (re.test(r.name)) zones.add(z);
  if (applicantType === 'enterprise') zones.add('enterprise');
  const rich = RICH_FORMS[r.name];
  return {
    name: r.name,
    kind,
    applicantType,
    legalDays: r.legalDays,
    promisedDays: r.promisedDays,
    mode,
    description: `${r.name}（${ITEM_KINDS[kind].zh}，${HANDLING_MODES[mode].zh}）。法定办结时限 ${r.legalDays} 个工作日，承诺办结时限 ${r.promisedDays} 个工作日。`,
    keywords: [],
    materials: rich?.materials ?? demoMaterials(r.name, applicantType),
    form: rich?.form ?? demoForm(r.name, applicantType),
    fees: FEES_BY_NAME.find(([re]) => re.test(r.name))?.[1] ?? { free: true, items: [] },
    legalBasis: LEGAL_BASIS_BY_NAME.find(([re]) => re.test(r.name))?.[1] ?? LEGAL_BASIS[r.department] ?? '',
    zones: [...zones],
  };
}

export async function seedCatalogue(svc: CatalogueService): Promise<{ zones: number; synonyms: number; halls: number; items: number; bundles: number }> {
  const db = svc.database();
  const orgs = svc.orgService();
  const actor = systemActor('seed');
  const out = { zones: 0, synonyms: 0, halls: 0, items: 0, bundles: 0 };

  out.zones = (await db.insert(svcZones).values(ZONES.map((z, i) => ({ ...z, sort: i + 1 }))).onConflictDoNothing().returning({ code: svcZones.code })).length;
  out.synonyms = (await db.insert(svcSynonyms).values(Object.entries(SYNONYMS).map(([term, expansions]) => ({ term, expansions }))).onConflictDoNothing().returning({ term: svcSynonyms.term })).length;
  svc.invalidateCaches();

  const city = await orgs.publicCity();
  for (const d of city.districts) {
    const org = await orgs.byCode(d.code);
    if (!org) continue;
    const r = await db
      .insert(svcHalls)
      .values({ districtOrgId: org.id, districtCode: d.code, name: `${d.name.replace(/（.*?）/, '')}政务服务大厅`, address: `${d.name}政务服务中心` })
      .onConflictDoNothing()
      .returning({ id: svcHalls.id });
    out.halls += r.length;
  }

  const zoneByName = new Map([...(await svc.zoneMap())].map(([code, z]) => [z.name, code]));
  const rows = loadItemCsv();
  const owners = new Map<string, Org>();
  for (const code of new Set(rows.map((r) => r.department))) {
    const o = await orgs.byCode(code);
    if (o) owners.set(code, o);
  }
  const existing = new Set(
    (await db.select({ owner: svcItems.ownerOrgId, name: svcItems.name }).from(svcItems).where(eq(svcItems.isDemo, false))).map((x) => `${x.owner}/${x.name}`),
  );
  const missing = rows.filter((r) => owners.has(r.department) && !existing.has(`${owners.get(r.department)!.id}/${r.name}`));
  if (missing.length) {
    await svc.prepare();
    await inTransaction(db, async (tx) => {
      const serials = new Map<string, number>();
      for (const r of missing) {
        const owner = owners.get(r.department)!;
        const def = definitionFromCsv(r, zoneByName);
        const prefix = `${owner.code}-${ITEM_KINDS[def.kind as ItemKind].code}-`;
        if (!serials.has(prefix)) serials.set(prefix, Number((await svc.nextCode(tx, owner.code, def.kind)).slice(prefix.length)) - 1);
        const serial = serials.get(prefix)! + 1;
        serials.set(prefix, serial);
        const code = `${prefix}${String(serial).padStart(4, '0')}`;
        const popularity = (MODE_POPULARITY[def.mode] ?? 100) + (hashNumber(r.name) % 300) + (RICH_FORMS[r.name] ? 1500 : 0);
        const [row] = await tx
          .insert(svcItems)
          .values({ ...def, code, ownerOrgId: owner.id, districtCode: await svc.districtOf(owner), status: 'published', version: 1, popularity, searchVector: await svc.vectorOf(def, code, owner.name) })
          .returning();
        await tx.insert(svcItemVersions).values({ itemId: row.id, version: 1, snapshot: svc.snapshot(row) });
      }
      await recordAudit(tx, actor, { action: 'svc.seed', entityType: 'svc_catalogue', note: { items: missing.length } });
    });
    out.items = missing.length;
  }

  // Each sub-hall handles the city's in-person items for people (counter and immediate handling, and the
  // items of the elders', disability and veterans' zones, where people are helped at the desk).
  const halls = await db.select().from(svcHalls);
  const inPerson = await db
    .select({ id: svcItems.id })
    .from(svcItems)
    .where(sql`${svcItems.districtCode} is null and ${svcItems.isDemo} = false and ${svcItems.applicantType} <> 'enterprise' and (${svcItems.mode} in ('counter', 'immediate') or ${svcItems.zones} && array['elders', 'disability', 'veterans']::text[])`);
  if (halls.length && inPerson.length) {
    const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(svcHallItems);
    if (Number(n) === 0) await db.insert(svcHallItems).values(halls.flatMap((h) => inPerson.map((i) => ({ hallId: h.id, itemId: i.id })))).onConflictDoNothing();
  }

  // Bundles: the shared fields every member's form has in common go on the bundle form, mapped one to one.
  const bundles = loadBundleCsv();
  const have = new Set((await db.select({ name: svcBundles.name }).from(svcBundles)).map((b) => b.name));
  const byName = new Map((await db.select({ id: svcItems.id, name: svcItems.name, form: svcItems.form, applicantType: svcItems.applicantType }).from(svcItems).where(eq(svcItems.isDemo, false))).map((x) => [x.name, x]));
  for (const [i, b] of bundles.entries()) {
    if (have.has(b.name)) continue;
    const members = b.items.map((n) => byName.get(n)).filter((x): x is NonNullable<typeof x> => !!x);
    if (!members.length) continue;
    const enterprise = members.every((m) => m.applicantType === 'enterprise');
    const shared: FormField[] = (enterprise ? ENTERPRISE_FIELDS : PERSON_FIELDS).filter((f) => members.some((m) => (m.form as { fields: FormField[] }).fields.some((x) => x.key === f.key)));
    await svc.upsertBundle(actor, {
      code: `BUNDLE-${String(i + 1).padStart(2, '0')}`,
      name: b.name,
      description: `${b.name}：一次申请，${members.length} 个事项联办（${b.items.join('、')}）。`,
      zone: BUNDLE_ZONES[b.name] ?? null,
      form: { fields: shared },
      items: members.map((m) => ({
        itemId: m.id,
        fieldMap: Object.fromEntries(shared.filter((f) => (m.form as { fields: FormField[] }).fields.some((x) => x.key === f.key)).map((f) => [f.key, f.key])),
      })),
    });
    out.bundles++;
  }
  return out;
}

/** Ids of seeded items by name (tests, later modules' seeds). */
export async function itemIdsByName(svc: CatalogueService, names: string[]): Promise<Map<string, string>> {
  if (!names.length) return new Map();
  const r = await svc.database().select({ id: svcItems.id, name: svcItems.name }).from(svcItems).where(inArray(svcItems.name, names));
  return new Map(r.map((x) => [x.name, x.id]));
}
