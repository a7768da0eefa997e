// Gateway keys: a platform API key scoped to share.gateway.call, issued for a subsystem's service account,
// listed by prefix and revoked; and the look-up every consumer call starts with (key → subsystem).
import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import type { Actor } from '../../../platform/auth/actor';
import { inTransaction } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import { SHARE } from '../share.permissions';
import type { ConsumerSubsystem } from './directory';
import { refuse, type GatewayContext } from './gateway.core';
import { shareGatewayKeys } from './gateway.schema';

export class GatewayKeys {
  /** apiKeyId → the subsystem it calls for; dropped when the key is revoked (the platform refuses a revoked key anyway). */
  private keyCache = new Map<string, ConsumerSubsystem & { keyId: string }>();

  constructor(private readonly gw: GatewayContext) {}

  private get deps() {
    return this.gw.deps;
  }

  private get db() {
    return this.gw.deps.db;
  }

  private get directory() {
    return this.gw.directory;
  }

  /**
   * Issue a gateway key for a subsystem: its service account (created once, role share_consumer_system in
   * the subsystem's organisation), then a platform API key scoped to share.gateway.call. The key is
   * returned here once; only its hash is kept.
   */
  async issueKey(actor: Actor, subsystemId: string) {
    const sub = await this.directory.subsystem(subsystemId);
    if (!sub) throw errors.notFound('subsystem');
    if (!sub.orgId) throw errors.unprocessable(`${sub.xroadId} belongs to an external member: it calls its own platform, not this gateway`);
    const serviceUserId = await this.serviceAccount(actor, sub);
    const key = await this.deps.auth.createApiKey(actor, { name: `share gateway ${sub.xroadId}`, userId: serviceUserId, scopes: [SHARE.gatewayCall] });
    const [row] = await inTransaction(this.db, async (tx) => {
      const r = await tx.insert(shareGatewayKeys).values({ subsystemId: sub.id, subsystemXroadId: sub.xroadId, apiKeyId: key.id, keyPrefix: key.prefix, serviceUserId, createdBy: actor.userId }).returning();
      await recordAudit(tx, actor, { action: 'share.key.issue', entityType: 'share_gateway_key', entityId: r[0].id, orgId: sub.orgId, after: { subsystem: sub.xroadId, prefix: key.prefix, apiKeyId: key.id } });
      return r;
    });
    return { id: row.id, subsystemId: sub.id, subsystemXroadId: sub.xroadId, prefix: key.prefix, key: key.key, createdAt: row.createdAt.toISOString() };
  }

  private async serviceAccount(actor: Actor, sub: ConsumerSubsystem): Promise<string> {
    const [existing] = await this.db.select({ id: shareGatewayKeys.serviceUserId }).from(shareGatewayKeys).where(eq(shareGatewayKeys.subsystemId, sub.id)).limit(1);
    if (existing) return existing.id;
    const username = `share-svc-${sub.id}`;
    const found = await this.deps.auth.findByUsername(username);
    if (found) return found.id;
    // Nobody signs in with this account: the password is random and never shown.
    const password = `${randomBytes(24).toString('base64url')}Aa1!`;
    const user = await this.deps.auth.createUser(actor, { username, displayName: `${sub.name}（共享接入）`, kind: 'staff', password, orgId: sub.orgId, roles: ['share_consumer_system'] });
    return user.id;
  }

  async listKeys(actor: Actor, subsystemId: string) {
    void actor;
    const rows = await this.db.select().from(shareGatewayKeys).where(eq(shareGatewayKeys.subsystemId, subsystemId)).orderBy(desc(shareGatewayKeys.createdAt)).limit(200);
    return { items: rows.map((k) => ({ id: k.id, subsystemId: k.subsystemId, subsystemXroadId: k.subsystemXroadId, prefix: k.keyPrefix, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null })), total: rows.length, limit: 200, offset: 0 };
  }

  async revokeKey(actor: Actor, id: string) {
    const [k] = await this.db.select().from(shareGatewayKeys).where(eq(shareGatewayKeys.id, id));
    if (!k) throw errors.notFound('gateway key');
    if (k.revokedAt) throw errors.conflict('the key is already revoked');
    await this.deps.auth.revokeApiKey(actor, k.apiKeyId);
    await inTransaction(this.db, async (tx) => {
      await tx.update(shareGatewayKeys).set({ revokedAt: new Date() }).where(eq(shareGatewayKeys.id, id));
      await recordAudit(tx, actor, { action: 'share.key.revoke', entityType: 'share_gateway_key', entityId: id, before: { subsystem: k.subsystemXroadId, prefix: k.keyPrefix } });
    });
    this.keyCache.delete(k.apiKeyId);
    return { id, revokedAt: new Date().toISOString() };
  }

  /** The subsystem a gateway call is made for, from the API key it came with (the calls, exports and consumer grants ask). */
  async consumerOf(actor: Actor): Promise<ConsumerSubsystem & { keyId: string }> {
    if (actor.via !== 'apikey' || !actor.apiKeyId) throw refuse(403, 'not-a-consumer', 'Not a consumer system', 'gateway calls are made with a gateway key issued to a subsystem');
    const hit = this.keyCache.get(actor.apiKeyId);
    if (hit) return hit;
    const [k] = await this.db.select().from(shareGatewayKeys).where(and(eq(shareGatewayKeys.apiKeyId, actor.apiKeyId), isNull(shareGatewayKeys.revokedAt)));
    if (!k) throw refuse(403, 'not-a-consumer', 'Not a consumer system', 'this API key is not a gateway key of any subsystem');
    const sub = await this.directory.subsystem(k.subsystemId);
    if (!sub) throw refuse(403, 'not-a-consumer', 'Not a consumer system', 'the key\'s subsystem no longer exists');
    const c = { ...sub, keyId: k.id };
    this.keyCache.set(actor.apiKeyId, c);
    return c;
  }
}
