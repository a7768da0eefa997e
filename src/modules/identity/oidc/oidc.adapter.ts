// oidc-provider storage in PostgreSQL. Every short-lived artefact (sessions, interactions, codes,
// tokens, grants) is one row of oidc_payloads keyed by (model, id); clients come from oidc_clients,
// which administrators manage through the admin API.
import { AsyncLocalStorage } from 'node:async_hooks';
import { and, eq, gt, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Adapter, AdapterPayload, ClientMetadata } from 'oidc-provider';
import type { Db, DbOrTx } from '../../../platform/db/client';
import { oidcPayloads } from '../identity.schema';
import type { OidcClientStore } from './oidc.clients';

// Lets a caller run provider writes inside its own transaction (a grant and the audit entry for it
// land together): code inside withTransaction() sees the transaction, everything else the pool.
const txScope = new AsyncLocalStorage<DbOrTx>();

export function withTransaction<T>(tx: DbOrTx, fn: () => Promise<T>): Promise<T> {
  return txScope.run(tx, fn);
}

/** Models whose rows belong to a grant and go when the grant is revoked. */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest', 'PreAuthorizedCode']);

export class PgPayloadAdapter implements Adapter {
  constructor(
    private readonly db: Db,
    readonly model: string,
  ) {}

  private get q(): DbOrTx {
    return txScope.getStore() ?? this.db;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const expiresAt = typeof expiresIn === 'number' && expiresIn > 0 ? new Date(Date.now() + expiresIn * 1000) : null;
    const grantId = GRANTABLE.has(this.model) && typeof payload.grantId === 'string' ? payload.grantId : null;
    const userCode = typeof payload.userCode === 'string' ? payload.userCode : null;
    const uid = this.model === 'Session' && typeof payload.uid === 'string' ? payload.uid : null;
    const row = { payload, grantId, userCode, uid, expiresAt };
    // consumed_at is deliberately kept on update: once used, an artefact stays used.
    await this.q
      .insert(oidcPayloads)
      .values({ id, model: this.model, ...row })
      .onConflictDoUpdate({ target: [oidcPayloads.model, oidcPayloads.id], set: row });
  }

  private async findWhere(cond: SQL): Promise<AdapterPayload | undefined> {
    const [row] = await this.q
      .select({ payload: oidcPayloads.payload, consumedAt: oidcPayloads.consumedAt })
      .from(oidcPayloads)
      .where(and(eq(oidcPayloads.model, this.model), cond, or(isNull(oidcPayloads.expiresAt), gt(oidcPayloads.expiresAt, new Date()))))
      .limit(1);
    if (!row) return undefined;
    const payload = { ...(row.payload as AdapterPayload) };
    if (row.consumedAt) payload.consumed = Math.floor(row.consumedAt.getTime() / 1000);
    return payload;
  }

  find(id: string) {
    return this.findWhere(eq(oidcPayloads.id, id));
  }

  findByUid(uid: string) {
    return this.findWhere(eq(oidcPayloads.uid, uid));
  }

  findByUserCode(userCode: string) {
    return this.findWhere(eq(oidcPayloads.userCode, userCode));
  }

  async consume(id: string): Promise<void> {
    await this.q
      .update(oidcPayloads)
      .set({ consumedAt: new Date() })
      .where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.id, id)));
  }

  async destroy(id: string): Promise<void> {
    await this.q.delete(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.id, id)));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.q.delete(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.grantId, grantId)));
  }
}

/** Clients are registered through the admin API, never by the provider itself: reads only. */
export class PgClientAdapter implements Adapter {
  constructor(private readonly clients: OidcClientStore) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const meta: ClientMetadata | null = await this.clients.providerMetadata(id);
    return meta ?? undefined;
  }

  async upsert(): Promise<void> {
    throw new Error('clients are registered through /api/oidc/clients');
  }

  async destroy(): Promise<void> {
    throw new Error('clients are disabled through /api/oidc/clients');
  }

  async findByUid() {
    return undefined;
  }

  async findByUserCode() {
    return undefined;
  }

  async consume(): Promise<void> {}

  async revokeByGrantId(): Promise<void> {}
}

export function adapterFactory(db: Db, clients: OidcClientStore): (model: string) => Adapter {
  return (model) => (model === 'Client' ? new PgClientAdapter(clients) : new PgPayloadAdapter(db, model));
}

/** Delete artefacts past their expiry (the provider already ignores them; this keeps the table small). */
export async function purgeExpiredPayloads(db: Db): Promise<number> {
  const r = await db.delete(oidcPayloads).where(lt(oidcPayloads.expiresAt, new Date())).returning({ id: oidcPayloads.id });
  return r.length;
}
