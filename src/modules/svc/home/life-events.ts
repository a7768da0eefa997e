// Life events of a person (新生儿, 婚姻登记, 退休 …): a small table the home page ranks services by, read
// through the same FactRegistry automatic approval uses (namespace `lifeEvents`). The event codes are the
// codes of the catalogue's life-event zones, so an event leads straight to its zone and bundle.
import { and, desc, eq } from 'drizzle-orm';
import type { AuthService } from '../../../platform/auth/auth.service';
import type { Db } from '../../../platform/db/client';
import { svcLifeEvents } from '../applications/applications.schema';
import type { FactRequest, FactSource } from '../applications/ports';
import { ZONES } from '../svc.reference';

export const LIFE_EVENTS: readonly string[] = ZONES.filter((z) => z.category === 'life_event').map((z) => z.code);

/** lifeEvents.<code> = the most recent date of that event for the person (YYYY-MM-DD). */
export class LifeEventFacts implements FactSource {
  readonly namespace = 'lifeEvents';
  constructor(private readonly db: Db) {}
  async load(req: FactRequest): Promise<Record<string, unknown>> {
    if (req.applicantKind !== 'citizen') return {};
    const rows = await this.db.select({ event: svcLifeEvents.event, date: svcLifeEvents.eventDate }).from(svcLifeEvents).where(eq(svcLifeEvents.userId, req.applicantId)).orderBy(desc(svcLifeEvents.eventDate));
    const out: Record<string, string> = {};
    for (const r of rows) out[r.event] ??= r.date;
    return out;
  }
}

/** Record a life event (idempotent per person, event and date). */
export async function recordLifeEvent(db: Db, e: { userId: string; event: string; eventDate: string; source: string }): Promise<boolean> {
  if (!LIFE_EVENTS.includes(e.event)) throw new Error(`unknown life event ${e.event}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(e.eventDate)) throw new Error(`life event date ${e.eventDate} is not YYYY-MM-DD`);
  const r = await db.insert(svcLifeEvents).values(e).onConflictDoNothing().returning({ id: svcLifeEvents.id });
  return r.length > 0;
}

/** Demo life events, so the demo accounts see different homes (only for accounts that exist). */
export const DEMO_LIFE_EVENTS = [
  { username: 'parent_li', event: 'newborn', eventDate: '2026-10-08', source: 'demo seed (出生医学证明 data exchange)' },
  { username: 'citizen_zhang', event: 'renting', eventDate: '2026-05-01', source: 'demo seed (lease registration)' },
] as const;

export async function seedDemoLifeEvents(db: Db, auth: AuthService): Promise<number> {
  let n = 0;
  for (const e of DEMO_LIFE_EVENTS) {
    const user = await auth.findByUsername(e.username);
    if (!user) continue;
    const [has] = await db.select({ id: svcLifeEvents.id }).from(svcLifeEvents).where(and(eq(svcLifeEvents.userId, user.id), eq(svcLifeEvents.event, e.event)));
    if (has) continue;
    if (await recordLifeEvent(db, { userId: user.id, event: e.event, eventDate: e.eventDate, source: e.source })) n++;
  }
  return n;
}
