// Demo data for the gateway. Grants come from the request workflow's seed (an approved request becomes a
// grant), so the gateway seeds in two steps: nothing before the requests, then — once grants exist — a
// few real calls through the service so the usage page and the operational records are not empty.
// Every record comes from an actual call (masking, metering, hashing), made with a key issued for the
// purpose and revoked right after: nobody holds it.
import { isNull, sql } from 'drizzle-orm';
import { systemActor } from '../../../platform/auth/actor';
import type { Share } from '..';
import { shareCalls, shareGrants } from './gateway.schema';
import { grantState } from './gateway.service';

export async function seedGatewayDemo(_share: Share): Promise<void> {
  // Grants do not exist yet at this point of the demo seed; see afterRequestsGatewayDemo.
}

/** Call from seedShareDemo after the requests' seed: a few calls on each live grant (idempotent). */
export async function afterRequestsGatewayDemo(share: Share): Promise<{ calls: number }> {
  const gw = share.gateway;
  const db = gw.deps.db;
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(shareCalls);
  if (n > 0) return { calls: 0 };
  const grants = (await db.select().from(shareGrants).where(isNull(shareGrants.revokedAt)).limit(20)).filter((g) => grantState(g) === 'live');
  const actor = systemActor('share.seed');
  let calls = 0;
  const bySubsystem = new Map<string, typeof grants>();
  for (const g of grants) bySubsystem.set(g.consumerSubsystemId, [...(bySubsystem.get(g.consumerSubsystemId) ?? []), g]);
  for (const [subsystemId, list] of bySubsystem) {
    const issued = await gw.issueKey(actor, subsystemId);
    try {
      const k = await gw.deps.auth.resolveApiKey(issued.key);
      const consumer = k && (await gw.deps.auth.loadActor(k.userId, 'apikey', k.scopes));
      if (!k || !consumer) continue;
      const caller = { ...consumer, apiKeyId: k.keyId };
      for (const g of list) {
        const instance = `/api/share/gateway/${g.resourceCode}/records`;
        // A first page, then lookups of the records it returned, then one refused call (a field outside the grant).
        const page = await gw.call(caller, { operation: 'query', resourceCode: g.resourceCode, limit: 5, offset: 0, instance });
        calls++;
        const shape = await gw.reader.shape(g.resourceId);
        const keyCols = shape?.items.filter((i) => i.key).map((i) => i.name) ?? [];
        if (page.status === 200 && keyCols.length && keyCols.every((c) => g.fields.includes(c))) {
          // Keys of the masked page are masked too, so read the clear keys from the provider's store.
          const rows = await gw.reader.query(g.resourceId, { fields: keyCols, filter: (g.rowFilter as { column: string; equals: string }[]) ?? [], where: {}, limit: 3, offset: 0 });
          for (const r of rows.items) {
            await gw.call(caller, { operation: 'lookup', resourceCode: g.resourceCode, key: keyCols.map((c) => String(r[c])).join('|'), instance: `${instance}/-` });
            calls++;
          }
        }
        const outside = shape?.items.map((i) => i.name).find((f) => !g.fields.includes(f));
        if (outside) {
          await gw.call(caller, { operation: 'query', resourceCode: g.resourceCode, fields: [outside], limit: 5, offset: 0, instance });
          calls++;
        }
      }
    } finally {
      await gw.revokeKey(actor, issued.id);
    }
  }
  return { calls };
}
