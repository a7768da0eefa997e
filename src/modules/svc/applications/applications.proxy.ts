// Proxy authorisations (亲友代办): A requests, B confirms; either may revoke.
import { desc, eq, or } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import type { Actor } from '../../../platform/auth/actor';
import { inTransaction } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import { svcProxyGrants } from './applications.schema';
import { type ApplicationCore, iso } from './applications.core';

export class ProxyAuthorisations {
  constructor(private readonly core: ApplicationCore) {}

  async requestProxy(actor: Actor, input: { principal: string; relation: string; itemIds?: string[]; expiresAt: string }) {
    if (!actor.userId || actor.kind !== 'citizen') throw errors.forbidden('only citizens act for relatives');
    const expires = new Date(input.expiresAt);
    if (!(expires.getTime() > Date.now())) throw errors.field('/body/expiresAt', 'must be in the future');
    if (expires.getTime() > Date.now() + 5 * 366 * 86400_000) throw errors.field('/body/expiresAt', 'at most five years ahead');
    const p = input.principal.trim();
    const row = /^\d{17}[\dXx]$/.test(p) ? await this.core.d.auth.findByIdNumber(p.toUpperCase()) : await this.core.d.auth.findByUsername(p);
    if (!row || row.kind !== 'citizen') throw errors.field('/body/principal', 'no citizen with that username or ID number');
    if (row.id === actor.userId) throw errors.field('/body/principal', 'you cannot authorise yourself');
    return inTransaction(this.core.db, async (tx) => {
      const [g] = await tx.insert(svcProxyGrants).values({ principalId: row.id, agentId: actor.userId!, relation: input.relation, itemIds: input.itemIds?.length ? input.itemIds : null, expiresAt: expires }).returning();
      await recordAudit(tx, actor, { action: 'svc.proxy.request', entityType: 'svc_proxy_grant', entityId: g.id, after: { principal: row.id, relation: input.relation, items: input.itemIds ?? 'all', expiresAt: expires.toISOString() } });
      await this.core.d.notifier.notify(tx, { userId: row.id, kind: 'proxy.request', title: '亲友代办授权待您确认', body: `${actor.displayName}（${input.relation}）申请为您代办政务服务事项，请确认或拒绝。` });
      return grantView(g);
    });
  }

  async proxyGrants(actor: Actor) {
    if (!actor.userId) throw errors.forbidden();
    const rows = await this.core.db.select().from(svcProxyGrants).where(or(eq(svcProxyGrants.agentId, actor.userId), eq(svcProxyGrants.principalId, actor.userId))).orderBy(desc(svcProxyGrants.createdAt));
    // Each side sees who the other is: the person asked must know who wants to act for them.
    const names = await this.core.d.auth.displayNames(rows.flatMap((g) => [g.principalId, g.agentId]));
    return { items: rows.map((g) => ({ ...grantView(g), principalName: names.get(g.principalId) ?? null, agentName: names.get(g.agentId) ?? null })) };
  }

  async decideProxy(actor: Actor, id: string, decision: 'confirm' | 'decline' | 'revoke') {
    if (!actor.userId) throw errors.forbidden();
    return inTransaction(this.core.db, async (tx) => {
      const [g] = await tx.select().from(svcProxyGrants).where(eq(svcProxyGrants.id, id)).for('update');
      if (!g || (g.principalId !== actor.userId && g.agentId !== actor.userId)) throw errors.notFound('authorisation');
      if (decision !== 'revoke' && g.principalId !== actor.userId) throw errors.forbidden('only the person being represented confirms or declines');
      const allowed = decision === 'revoke' ? ['pending', 'active'] : ['pending'];
      if (!allowed.includes(g.status)) throw errors.conflict(`the authorisation is ${g.status}`, { currentState: g.status });
      const status = decision === 'confirm' ? 'active' : decision === 'decline' ? 'declined' : 'revoked';
      const [next] = await tx
        .update(svcProxyGrants)
        .set({ status, ...(decision === 'confirm' ? { confirmedAt: new Date() } : { revokedAt: new Date() }) })
        .where(eq(svcProxyGrants.id, id))
        .returning();
      await recordAudit(tx, actor, { action: `svc.proxy.${decision}`, entityType: 'svc_proxy_grant', entityId: id, before: { status: g.status }, after: { status } });
      const other = actor.userId === g.principalId ? g.agentId : g.principalId;
      await this.core.d.notifier.notify(tx, { userId: other, kind: `proxy.${decision}`, title: `亲友代办授权已${decision === 'confirm' ? '确认' : decision === 'decline' ? '拒绝' : '撤销'}`, body: `${actor.displayName} ${decision === 'confirm' ? '确认了' : decision === 'decline' ? '拒绝了' : '撤销了'}代办授权。` });
      return grantView(next);
    });
  }
}

function grantView(g: typeof svcProxyGrants.$inferSelect) {
  const expired = g.expiresAt.getTime() <= Date.now();
  return {
    id: g.id,
    principalId: g.principalId,
    agentId: g.agentId,
    relation: g.relation,
    itemIds: g.itemIds,
    scope: g.itemIds ? 'items' : 'all',
    expiresAt: g.expiresAt.toISOString(),
    status: g.status === 'active' && expired ? 'expired' : g.status,
    createdAt: g.createdAt.toISOString(),
    confirmedAt: iso(g.confirmedAt),
    revokedAt: iso(g.revokedAt),
  };
}
