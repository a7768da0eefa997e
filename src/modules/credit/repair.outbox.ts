// The outbox: the endpoints that receive repair results, the deliveries, and the worker that sends what
// is due — durably, with retries — and marks a repair synced when every delivery has landed.
import { createHmac } from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { systemActor, type Actor } from '../../platform/auth/actor';
import { decrypt, encrypt } from '../../platform/crypto/secrets';
import { inTransaction, rows as rawRows, type Db, type Tx } from '../../platform/db/client';
import { errors } from '../../platform/http/problem';
import { creditEndpoints, creditOutbox, creditRepairs } from './credit.schema';
import { outboxView, type RepairCore, type RepairDeps } from './repair.core';

export class RepairOutbox {
  private readonly d: RepairDeps;
  private readonly db: Db;
  constructor(private readonly core: RepairCore) {
    this.d = core.d;
    this.db = core.db;
  }

  async getEndpoints() {
    const items = await this.db.select().from(creditEndpoints).orderBy(asc(creditEndpoints.createdAt), asc(creditEndpoints.name));
    // The secret is never returned; hasSecret says whether one is set.
    return { items: items.map((e) => ({ id: e.id, name: e.name, url: e.url, enabled: e.enabled, hasSecret: !!e.secretEnc })) };
  }

  async putEndpoints(actor: Actor, items: { id?: string; name: string; url: string; enabled: boolean; secret?: string | null }[]) {
    items.forEach((e, i) => {
      let u: URL;
      try {
        u = new URL(e.url);
      } catch {
        throw errors.field(`/body/items/${i}/url`, 'not a URL');
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw errors.field(`/body/items/${i}/url`, 'only http and https endpoints');
    });
    const before = await this.getEndpoints();
    await inTransaction(this.db, async (tx) => {
      const keep = items.filter((e) => e.id).map((e) => e.id!);
      await tx.delete(creditEndpoints).where(keep.length ? sql`${creditEndpoints.id} not in (${sql.join(keep.map((k) => sql`${k}::uuid`), sql`, `)})` : sql`true`);
      for (const e of items) {
        // An omitted secret keeps the stored one; an empty string removes it.
        const secret = e.secret === undefined ? {} : { secretEnc: e.secret ? encrypt(this.d.masterKey, e.secret, 'credit.endpoint') : null };
        if (e.id) await tx.update(creditEndpoints).set({ name: e.name, url: e.url, enabled: e.enabled, ...secret }).where(eq(creditEndpoints.id, e.id));
        else await tx.insert(creditEndpoints).values({ name: e.name, url: e.url, enabled: e.enabled, ...secret });
      }
      await recordAudit(tx, actor, { action: 'credit.endpoints.update', entityType: 'credit_endpoints', before: before.items, after: items.map(({ secret, ...rest }) => ({ ...rest, secretSet: secret === undefined ? 'unchanged' : !!secret })) });
    });
    return this.getEndpoints();
  }

  async listOutbox(f: { status?: string; limit: number; offset: number }) {
    const where = f.status ? eq(creditOutbox.status, f.status) : undefined;
    const [items, [{ n }]] = await Promise.all([
      this.db.select().from(creditOutbox).where(where).orderBy(desc(creditOutbox.createdAt)).limit(f.limit).offset(f.offset),
      this.db.select({ n: sql<number>`count(*)::int` }).from(creditOutbox).where(where),
    ]);
    return { items: items.map(outboxView), total: n, limit: f.limit, offset: f.offset };
  }

  /**
   * Deliver what is due. Rows are claimed with a lease (skip locked), so two workers never send the same
   * row at once and a crashed worker's row is retried after the lease; the receiver gets the row id as
   * Idempotency-Key, so a retry after a lost answer is recognisable as the same delivery.
   */
  async deliverDue(max = 50): Promise<{ delivered: number; failed: number; retrying: number }> {
    const res = { delivered: 0, failed: 0, retrying: 0 };
    const doFetch = this.d.fetch ?? fetch;
    for (;;) {
      const claimed = await rawRows<{ id: string }>(
        this.db,
        sql`update credit_outbox set status = 'sending', lease_until = now() + make_interval(secs => ${this.d.deliveryLeaseSeconds ?? 60}), attempts = attempts + 1
            where id in (select id from credit_outbox
                         where (status = 'pending' and next_attempt_at <= now()) or (status = 'sending' and lease_until < now())
                         order by next_attempt_at limit 10 for update skip locked)
            returning id`,
      );
      if (!claimed.length) break;
      for (const { id } of claimed) {
        const [row] = await this.db.select().from(creditOutbox).where(eq(creditOutbox.id, id));
        const [endpoint] = await this.db.select({ secretEnc: creditEndpoints.secretEnc }).from(creditEndpoints).where(eq(creditEndpoints.id, row.endpointId));
        const body = JSON.stringify({ id: row.id, ...(row.payload as object) });
        const signature: Record<string, string> = endpoint?.secretEnc ? { 'x-dq-signature': `sha256=${createHmac('sha256', decrypt(this.d.masterKey, endpoint.secretEnc, 'credit.endpoint')).update(body).digest('hex')}` } : {};
        let status: number | null = null;
        let error: string | null = null;
        try {
          const resp = await doFetch(row.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': row.id, 'x-dq-event': row.event, ...signature },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          status = resp.status;
          await resp.arrayBuffer().catch(() => undefined);
          if (!resp.ok) error = `HTTP ${resp.status}`;
        } catch (err) {
          error = (err as Error).message.slice(0, 500);
        }
        if (!error) {
          // Delivered and, with the repair's last delivery, synced: in one transaction, so a crash between
          // the two never leaves a repair whose every delivery landed waiting for ever.
          await inTransaction(this.db, async (tx) => {
            if (row.repairId) await tx.select({ id: creditRepairs.id }).from(creditRepairs).where(eq(creditRepairs.id, row.repairId)).for('update');
            await tx.update(creditOutbox).set({ status: 'delivered', deliveredAt: new Date(), lastStatus: status, lastError: null, leaseUntil: null }).where(eq(creditOutbox.id, id));
            if (row.repairId) await this.markSynced(tx, row.repairId);
          });
          res.delivered++;
        } else if (row.attempts >= row.maxAttempts) {
          await this.db.update(creditOutbox).set({ status: 'failed', lastStatus: status, lastError: error, leaseUntil: null }).where(eq(creditOutbox.id, id));
          this.d.log.error({ outboxId: id, url: row.url, error }, 'credit outbox delivery failed for good');
          res.failed++;
        } else {
          const delay = (this.d.retryBaseSeconds ?? 30) * 2 ** (row.attempts - 1);
          await this.db
            .update(creditOutbox)
            .set({ status: 'pending', lastStatus: status, lastError: error, leaseUntil: null, nextAttemptAt: new Date(Date.now() + delay * 1000) })
            .where(eq(creditOutbox.id, id));
          res.retrying++;
        }
        if (res.delivered + res.failed + res.retrying >= max) return res;
      }
    }
    return res;
  }

  /**
   * When every delivery of an approved repair has landed, the repair is synced. Runs in the delivery's
   * transaction, which holds the repair's row lock: two deliveries of one repair landing at once see
   * each other's outcome.
   */
  private async markSynced(tx: Tx, repairId: string) {
    const [{ open }] = await rawRows<{ open: number }>(tx, sql`select count(*)::int as open from credit_outbox where repair_id = ${repairId} and status <> 'delivered'`);
    if (open > 0) return;
    const actor = systemActor('credit.outbox');
    const [r] = await tx.update(creditRepairs).set({ state: 'synced', updatedAt: new Date() }).where(and(eq(creditRepairs.id, repairId), eq(creditRepairs.state, 'withdrawn'))).returning();
    if (!r) return;
    await this.core.event(tx, actor, repairId, 'sync', 'withdrawn', 'synced', null);
    await recordAudit(tx, actor, { action: 'credit.repair.sync', entityType: 'credit_repair', entityId: repairId, orgId: r.deciderOrgId });
  }
}
