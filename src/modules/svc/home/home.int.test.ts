// The personal home page (千人千面): different demo accounts see different homes, every item's score is the
// sum of its reasons, and the reasons name the declared rules; applications to continue are listed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, testApp, type TestApp } from '../../../test/app';
import { HOME_RULES } from './rules';

interface Reason {
  rule: string;
  label: { zh: string; en: string };
  weight: number;
}
interface Home {
  audience: string;
  facts: { key: string; value: unknown }[];
  items: { id: string; code: string; name: string; zones: string[]; score: number; reasons: Reason[]; ownerName: string | null }[];
  bundles: { code: string; name: string; score: number; reasons: Reason[] }[];
  continue: { id: string; itemName: string; state: string }[];
}

let t: TestApp;
const homes: Record<string, Home> = {};
let clients: Record<string, Client> = {};

beforeAll(async () => {
  t = await testApp();
  clients = { elder_wang: await t.login('elder_wang'), parent_li: await t.login('parent_li'), citizen_zhang: await t.login('citizen_zhang'), ent_demo: await t.login('ent_demo'), admin: await t.login('admin') };
  for (const [name, c] of Object.entries(clients)) {
    const r = await c.get('/api/svc/home?limit=12');
    expect(r.statusCode, r.body).toBe(200);
    homes[name] = r.json();
  }
});
afterAll(() => t.close());

const rulesOf = (h: Home, i = 0) => h.items[i].reasons.map((r) => r.rule);
const fact = (h: Home, key: string) => h.facts.find((f) => f.key === key)?.value;

describe('personal home page', () => {
  it('explains every score: the reasons add up, and each names a declared rule', () => {
    const codes = new Set(Object.values(HOME_RULES).map((r) => r.code));
    for (const h of Object.values(homes)) {
      expect(h.items.length).toBe(12);
      for (const it of h.items) {
        expect(it.score).toBeCloseTo(it.reasons.reduce((s, r) => s + r.weight, 0), 2);
        for (const r of it.reasons) {
          expect(codes.has(r.rule.split(':')[0])).toBe(true);
          expect(r.label.zh.length).toBeGreaterThan(0);
          expect(r.label.en.length).toBeGreaterThan(0);
        }
      }
      const scores = h.items.map((i) => i.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    }
  });

  it('puts the elders’ zone first for a person of 60 or more, with their district', () => {
    const h = homes.elder_wang;
    expect(h.audience).toBe('person');
    expect(fact(h, 'profile.age')).toBeGreaterThanOrEqual(60);
    expect(fact(h, 'account.district')).toMatchObject({ code: '370203' });
    expect(h.items[0].zones).toContain('elders');
    expect(rulesOf(h)).toContain('elder');
    expect(homes.citizen_zhang.items.some((i) => i.reasons.some((r) => r.rule === 'elder'))).toBe(false);
    // Items only for a life event the elder is not living (身后 → 死亡人员户口注销, 新生儿) stay off his home.
    expect(h.items.map((i) => i.name)).not.toContain('死亡人员户口注销');
    expect(h.items.map((i) => i.name)).not.toContain('出生医学证明签发');
  });

  it('offers the newborn bundle and zone to a household with a newborn', () => {
    const h = homes.parent_li;
    expect(fact(h, 'lifeEvents.newborn')).toMatchObject({ event: 'newborn', date: '2026-10-08' });
    expect(h.bundles[0].name).toBe('新生儿出生一件事');
    expect(h.bundles[0].reasons[0].rule).toBe('life_event_bundle:newborn');
    expect(h.items[0].zones).toContain('newborn');
    expect(rulesOf(h)).toContain('life_event:newborn');
    expect(homes.elder_wang.bundles.some((b) => b.name === '新生儿出生一件事')).toBe(false);
  });

  it('ranks enterprise services for an enterprise account and never person-only items', async () => {
    const h = homes.ent_demo;
    expect(h.audience).toBe('enterprise');
    expect(rulesOf(h)).toContain('enterprise_zone');
    expect(h.bundles.map((b) => b.name)).toContain('企业开办一件事');
    const ids = h.items.map((i) => i.id);
    const db = t.app.services.database.db;
    const { svcItems } = await import('../svc.schema');
    const { inArray } = await import('drizzle-orm');
    const rows = await db.select({ applicantType: svcItems.applicantType }).from(svcItems).where(inArray(svcItems.id, ids));
    expect(rows.every((r) => r.applicantType !== 'person')).toBe(true);
  });

  it('gives different people different homes', () => {
    const first = (n: string) => homes[n].items.slice(0, 5).map((i) => i.id).join();
    const set = new Set(['elder_wang', 'parent_li', 'citizen_zhang', 'ent_demo'].map(first));
    expect(set.size).toBe(4);
    expect(homes.admin.audience).toBe('staff');
  });

  it('follows recent applications and lists drafts to continue', async () => {
    const zhang = clients.citizen_zhang;
    const item = homes.elder_wang.items.find((i) => i.zones.includes('elders'))!;
    const r = await zhang.post('/api/applications', { itemId: item.id });
    expect(r.statusCode, r.body).toBe(201);
    const h = (await zhang.get('/api/svc/home')).json() as Home;
    expect(h.continue.map((c) => c.id)).toContain(r.json().id);
    expect(h.items.some((i) => i.reasons.some((x) => x.rule === 'recent_zone'))).toBe(true);
    expect(h.items.some((i) => i.id === item.id && i.reasons.some((x) => x.rule === 'recent_zone'))).toBe(false);
    expect(fact(h, 'history.recentApplications')).toBe(1);
  });

  it('checks its query and needs a session', async () => {
    expect((await clients.parent_li.get('/api/svc/home?limit=0')).statusCode).toBe(400);
    expect((await clients.parent_li.get('/api/svc/home?limit=abc')).statusCode).toBe(400);
    expect((await t.anonymous().get('/api/svc/home')).statusCode).toBe(401);
    expect((await clients.parent_li.get('/api/svc/home?limit=3')).json().items).toHaveLength(3);
  });
});
