// The personal home page (千人千面): services ranked for this person by the declared rules of rules.ts,
// each with the reasons that placed it there. Facts about the person come from the same FactRegistry
// automatic approval uses (profile.* from the ID number, lifeEvents.*), plus the account and its recent
// applications. Candidates are narrowed in SQL (zones, district, departments, the most used), then scored.
import { and, arrayOverlaps, desc, eq, gte, inArray, or, type SQL } from 'drizzle-orm';
import type { Actor } from '../../../platform/auth/actor';
import { addDays, dayNumber, shanghaiDate } from '../../../platform/calendar';
import type { Db } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import type { OrgService } from '../../org';
import { svcApplications } from '../applications/applications.schema';
import type { FactRegistry } from '../applications/ports';
import { STATE_LABELS, type State } from '../applications/states';
import type { CatalogueService } from '../svc.service';
import { svcBundleItems, svcBundles, svcHallItems, svcHalls, svcItems } from '../svc.schema';
import { ELDER_AGE, HOME_RULES, PERSONAL_EVENT_ZONES, type HomeRule, LIFE_EVENT_WINDOW, popularityWeight, RECENT_DAYS, retirementAge } from './rules';

export interface Reason {
  rule: string;
  label: { zh: string; en: string };
  weight: number;
}

export interface HomeItem {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  mode: string;
  ownerName: string | null;
  zones: string[];
  score: number;
  reasons: Reason[];
}

export interface HomeBundle {
  code: string;
  name: string;
  nameEn: string | null;
  score: number;
  reasons: Reason[];
}

export interface HomePage {
  audience: 'person' | 'enterprise' | 'staff';
  facts: { key: string; label: { zh: string; en: string }; value: unknown }[];
  items: HomeItem[];
  bundles: HomeBundle[];
  continue: { id: string; itemName: string; state: State; stateLabel: string; bundleApplicationId: string | null; updatedAt: string }[];
}

const reason = (r: HomeRule, weight = r.weight): Reason => ({ rule: r.code, label: r.label, weight });
const CANDIDATES_BY_POPULARITY = 60;

export class HomeService {
  constructor(
    private readonly db: Db,
    private readonly facts: FactRegistry,
    private readonly catalogue: CatalogueService,
    private readonly orgs: OrgService,
  ) {}

  async home(actor: Actor, limit = 12, today = shanghaiDate()): Promise<HomePage> {
    if (!actor.userId) throw errors.unauthorized();
    const audience: HomePage['audience'] = actor.kind === 'citizen' ? 'person' : actor.kind === 'enterprise' ? 'enterprise' : 'staff';
    const loaded = await this.facts.load({ applicantId: actor.userId, applicantKind: actor.kind, data: {}, materials: [], today });
    const profile = (loaded.profile ?? {}) as { age?: number; sex?: string; district?: string };
    const lifeEvents = (loaded.lifeEvents ?? {}) as Record<string, string>;
    let district: string | null = null;
    if (audience === 'person' && profile.district) district = profile.district;
    if (audience === 'enterprise' && actor.orgId) {
      const org = await this.orgs.byId(actor.orgId);
      district = org ? await this.catalogue.districtOf(org) : null;
    }
    const districtOrg = district ? await this.orgs.byCode(district) : null;
    if (!districtOrg || districtOrg.kind !== 'district') district = null;

    // Life events inside their window; retirement when the statutory age is near.
    const todayN = dayNumber(today);
    const activeEvents = Object.entries(lifeEvents)
      .filter(([, date]) => todayN - dayNumber(date) <= LIFE_EVENT_WINDOW.pastDays && dayNumber(date) - todayN <= LIFE_EVENT_WINDOW.aheadDays)
      .map(([event]) => event);
    const age = typeof profile.age === 'number' ? profile.age : null;
    const retireAt = retirementAge(profile.sex);
    const retirementNear = audience === 'person' && age !== null && age >= retireAt - 2 && age <= retireAt + 1;
    const elder = audience === 'person' && age !== null && age >= ELDER_AGE;

    // Recent applications: their zones and owners lift related items; drafts and corrections are "continue".
    const since = new Date(`${addDays(today, -RECENT_DAYS)}T00:00:00+08:00`);
    const mine = or(eq(svcApplications.applicantId, actor.userId), eq(svcApplications.agentId, actor.userId))!;
    const recent = await this.db
      .select({ itemId: svcApplications.itemId, ownerOrgId: svcApplications.ownerOrgId, zones: svcItems.zones })
      .from(svcApplications)
      .innerJoin(svcItems, eq(svcItems.id, svcApplications.itemId))
      .where(and(eq(svcApplications.applicantId, actor.userId), gte(svcApplications.createdAt, since)));
    const recentItems = new Set(recent.map((r) => r.itemId));
    const recentZones = new Set(recent.flatMap((r) => r.zones));
    const recentOwners = new Set(recent.map((r) => r.ownerOrgId));
    const cont = await this.db
      .select()
      .from(svcApplications)
      .where(and(mine, inArray(svcApplications.state, ['draft', 'correction_requested'])))
      .orderBy(desc(svcApplications.updatedAt))
      .limit(10);

    // Zones the rules lift, each with its rule.
    const zoneRules = new Map<string, Reason[]>();
    const addZone = (zone: string, r: Reason) => zoneRules.set(zone, [...(zoneRules.get(zone) ?? []), r]);
    if (elder) addZone('elders', reason(HOME_RULES.elder));
    if (audience === 'enterprise') addZone('enterprise', reason(HOME_RULES.enterpriseZone));
    for (const e of activeEvents) addZone(e, { ...reason(HOME_RULES.lifeEvent), rule: `life_event:${e}` });
    if (retirementNear && !activeEvents.includes('retirement')) addZone('retirement', reason(HOME_RULES.retirementNear));

    // Candidates: published items for this audience, in a lifted zone, the district, a recent department, or among the most used.
    const audienceCond: SQL | undefined =
      audience === 'person' ? inArray(svcItems.applicantType, ['person', 'both']) : audience === 'enterprise' ? inArray(svcItems.applicantType, ['enterprise', 'both']) : undefined;
    const hall = district ? (await this.db.select({ id: svcHalls.id }).from(svcHalls).where(eq(svcHalls.districtCode, district)))[0] : undefined;
    const hallItems = new Set(hall ? (await this.db.select({ itemId: svcHallItems.itemId }).from(svcHallItems).where(eq(svcHallItems.hallId, hall.id))).map((h) => h.itemId) : []);
    const lifted = [...new Set([...zoneRules.keys(), ...recentZones])];
    const reach: SQL[] = [];
    if (lifted.length) reach.push(arrayOverlaps(svcItems.zones, lifted));
    if (district) reach.push(eq(svcItems.districtCode, district));
    if (recentOwners.size) reach.push(inArray(svcItems.ownerOrgId, [...recentOwners]));
    const cols = { id: svcItems.id, code: svcItems.code, name: svcItems.name, mode: svcItems.mode, ownerOrgId: svcItems.ownerOrgId, districtCode: svcItems.districtCode, zones: svcItems.zones, applicantType: svcItems.applicantType, popularity: svcItems.popularity };
    const base = and(eq(svcItems.status, 'published'), audienceCond);
    const byRule = reach.length ? await this.db.select(cols).from(svcItems).where(and(base, or(...reach))).orderBy(desc(svcItems.popularity)).limit(1000) : [];
    const byPopularity = await this.db.select(cols).from(svcItems).where(base).orderBy(desc(svcItems.popularity), svcItems.code).limit(CANDIDATES_BY_POPULARITY);
    const hallRows = hallItems.size ? await this.db.select(cols).from(svcItems).where(and(base, inArray(svcItems.id, [...hallItems]))) : [];
    const candidates = new Map([...byPopularity, ...hallRows, ...byRule].map((c) => [c.id, c]));

    const scored: (Omit<HomeItem, 'ownerName' | 'nameEn'> & { ownerOrgId: string; popularity: number })[] = [];
    for (const c of candidates.values()) {
      // An item of a personal happening (a birth, a death, a marriage …) is for people living it: only that
      // event's rule or the person's own recent applications show it, never popularity or the district alone.
      const happening = c.zones.filter((z) => PERSONAL_EVENT_ZONES.has(z));
      if (happening.length && !happening.some((z) => zoneRules.has(z) || recentZones.has(z))) continue;
      const reasons: Reason[] = [];
      for (const z of c.zones) for (const r of zoneRules.get(z) ?? []) if (!reasons.some((x) => x.rule === r.rule)) reasons.push(r);
      if (audience === 'enterprise') reasons.push(reason(HOME_RULES.enterprise));
      if (audience === 'person') reasons.push(reason(HOME_RULES.person));
      if (district && c.districtCode === district) reasons.push(reason(HOME_RULES.district));
      else if (hallItems.has(c.id)) reasons.push(reason(HOME_RULES.districtHall));
      if (!recentItems.has(c.id)) {
        if (c.zones.some((z) => recentZones.has(z))) reasons.push(reason(HOME_RULES.recentZone));
        if (recentOwners.has(c.ownerOrgId)) reasons.push(reason(HOME_RULES.recentDepartment));
      }
      const pop = popularityWeight(c.popularity);
      if (pop > 0) reasons.push(reason(HOME_RULES.popularity, pop));
      const score = Math.round(reasons.reduce((s, r) => s + r.weight, 0) * 100) / 100;
      scored.push({ id: c.id, code: c.code, name: c.name, mode: c.mode, zones: c.zones, score, reasons, ownerOrgId: c.ownerOrgId, popularity: c.popularity });
    }
    scored.sort((a, b) => b.score - a.score || b.popularity - a.popularity || a.code.localeCompare(b.code));
    const top = scored.slice(0, limit);
    const owners = await this.orgs.namesOf([...new Set(top.map((t) => t.ownerOrgId))]);
    const items: HomeItem[] = top.map(({ ownerOrgId, popularity: _p, ...t }) => ({ ...t, nameEn: null, ownerName: owners.get(ownerOrgId)?.name ?? null }));

    // Bundles: those of a lifted zone whose members suit this audience.
    const bundles: HomeBundle[] = [];
    if (audience !== 'staff') {
      const bs = await this.db.select({ id: svcBundles.id, code: svcBundles.code, name: svcBundles.name, zone: svcBundles.zone }).from(svcBundles).where(eq(svcBundles.status, 'published'));
      const members = bs.length
        ? await this.db.select({ bundleId: svcBundleItems.bundleId, applicantType: svcItems.applicantType }).from(svcBundleItems).innerJoin(svcItems, eq(svcItems.id, svcBundleItems.itemId)).where(inArray(svcBundleItems.bundleId, bs.map((b) => b.id)))
        : [];
      const wanted = audience === 'person' ? 'person' : 'enterprise';
      for (const b of bs) {
        const types = members.filter((m) => m.bundleId === b.id).map((m) => m.applicantType);
        if (!types.length || !types.every((t) => t === wanted || t === 'both')) continue;
        const reasons: Reason[] = [];
        if (b.zone && activeEvents.includes(b.zone)) reasons.push({ ...reason(HOME_RULES.lifeEventBundle), rule: `life_event_bundle:${b.zone}` });
        if (b.zone === 'retirement' && retirementNear && !activeEvents.includes('retirement')) reasons.push(reason(HOME_RULES.retirementNear));
        if (b.zone === 'business_startup' && audience === 'enterprise') reasons.push(reason(HOME_RULES.enterpriseZone));
        if (!reasons.length) continue;
        bundles.push({ code: b.code, name: b.name, nameEn: null, score: reasons.reduce((s, r) => s + r.weight, 0), reasons });
      }
      bundles.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
    }

    const facts: HomePage['facts'] = [{ key: 'account.kind', label: { zh: '账号类型', en: 'Account' }, value: audience }];
    if (age !== null) facts.push({ key: 'profile.age', label: { zh: '年龄（据身份证号码）', en: 'Age (from the ID number)' }, value: age });
    if (district && districtOrg) facts.push({ key: 'account.district', label: { zh: '所在区（市）', en: 'District' }, value: { code: district, name: districtOrg.name, nameEn: districtOrg.nameEn } });
    for (const e of activeEvents) facts.push({ key: `lifeEvents.${e}`, label: { zh: '人生事件', en: 'Life event' }, value: { event: e, date: lifeEvents[e] } });
    if (retirementNear) facts.push({ key: 'profile.retirementNear', label: { zh: '临近法定退休年龄', en: 'Close to retirement age' }, value: retireAt });
    if (recent.length) facts.push({ key: 'history.recentApplications', label: { zh: `近 ${RECENT_DAYS} 天办理的事项数`, en: `Applications in the last ${RECENT_DAYS} days` }, value: recent.length });

    return {
      audience,
      facts,
      items,
      bundles,
      continue: cont.map((a) => ({ id: a.id, itemName: a.itemName, state: a.state as State, stateLabel: STATE_LABELS[a.state as State], bundleApplicationId: a.bundleApplicationId, updatedAt: a.updatedAt.toISOString() })),
    };
  }
}
