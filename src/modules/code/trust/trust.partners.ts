// Partner platforms: registered by URL or uploaded list plus the pinned list key, refreshed on a schedule
// (a failing fetch keeps the last good list; a list failing the pin makes the partner untrusted), and
// handed to the verifiers as trust sources with their freshness or the reason they are no longer trusted.
import { and, asc, count, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { kidOf, type TrustList, trustListState, verifyTrustList } from '../../../lib/verifier';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, requirePermission, systemActor } from '../../../platform/auth/actor';
import { type DbOrTx, inTransaction } from '../../../platform/db/client';
import type { Page } from '../../../platform/http/paging';
import { errors } from '../../../platform/http/problem';
import { CODE } from '../code.permissions';
import type { TrustCore } from './trust.core';
import { iso, type PartnerRow, type PartnerView, publicOnly, type RefreshOutcome, type RegisterPartnerInput, type TrustSettings } from './trust.model';
import { trustPartners } from './trust.schema';

export class PartnerRegistry {
  constructor(private readonly core: TrustCore) {}

  private get db() {
    return this.core.db;
  }

  async registerPartner(actor: Actor, input: RegisterPartnerInput): Promise<PartnerView> {
    requirePermission(actor, CODE.keysManage);
    if (!input.url && !input.trustListJws) throw errors.validation([{ path: '/body/url', message: 'give the partner\'s trust-list URL or upload its list (trustListJws)' }]);
    if (input.url) checkUrl(input.url);
    const pinnedJwk = publicOnly(input.pinnedJwk);
    const pinnedKid = await kidOrField(pinnedJwk);
    const settings = await this.core.settings();
    const now = new Date();
    let jws: string;
    if (input.trustListJws) jws = input.trustListJws.trim();
    else {
      try {
        jws = await fetchTrustList(input.url!, settings);
      } catch (e) {
        throw errors.unprocessable(`could not fetch the trust list: ${(e as Error).message}`, [{ path: '/body/url', message: (e as Error).message }]);
      }
    }
    const v = await verifyTrustList(jws, pinnedJwk);
    if (!v.ok) {
      const path = input.trustListJws ? '/body/trustListJws' : '/body/pinnedJwk';
      throw errors.unprocessable(`the trust list does not verify with the pinned key (${v.reason}): ${v.message}`, [{ path, message: v.reason }]);
    }
    if (v.list.platform.id === this.core.platformId) throw errors.unprocessable('this is our own trust list', [{ path: input.url ? '/body/url' : '/body/trustListJws', message: 'own platform' }]);
    const row = await inTransaction(this.db, async (tx) => {
      const [dup] = await tx.select({ id: trustPartners.id }).from(trustPartners).where(and(eq(trustPartners.platformId, v.list.platform.id), isNull(trustPartners.deactivatedAt)));
      if (dup) throw errors.conflict(`platform ${v.list.platform.id} is already registered`, { partnerId: dup.id });
      const [r] = await tx
        .insert(trustPartners)
        .values({
          name: input.name,
          url: input.url ?? null,
          platformId: v.list.platform.id,
          pinnedJwk,
          pinnedKid,
          jws,
          list: v.list,
          seq: v.list.seq,
          lastFetchedAt: input.url && !input.trustListJws ? now : null,
          acceptedAt: now,
          createdBy: actor.userId,
        })
        .returning();
      await recordAudit(tx, actor, { action: 'trust.partner.register', entityType: 'trust_partner', entityId: r.id, after: { name: r.name, url: r.url, platformId: r.platformId, pinnedKid, seq: r.seq } });
      return r;
    });
    this.core.changed();
    return this.partnerView(row, settings);
  }

  async listPartners(actor: Actor, q: { active?: boolean; limit: number; offset: number }): Promise<Page<PartnerView>> {
    requirePermission(actor, CODE.keysManage);
    const where = q.active === undefined ? undefined : q.active ? isNull(trustPartners.deactivatedAt) : sql`${trustPartners.deactivatedAt} is not null`;
    const [items, [{ n }], settings] = await Promise.all([
      this.db.select().from(trustPartners).where(where).orderBy(desc(trustPartners.createdAt)).limit(q.limit).offset(q.offset),
      this.db.select({ n: count() }).from(trustPartners).where(where),
      this.core.settings(),
    ]);
    return { items: items.map((p) => this.partnerView(p, settings)), total: Number(n), limit: q.limit, offset: q.offset };
  }

  async getPartner(actor: Actor, id: string): Promise<PartnerView & { list: TrustList }> {
    requirePermission(actor, CODE.keysManage);
    const p = await this.partnerRow(this.db, id);
    return { ...this.partnerView(p, await this.core.settings()), list: p.list as TrustList };
  }

  private async partnerRow(db: DbOrTx, id: string): Promise<PartnerRow> {
    const [p] = await db.select().from(trustPartners).where(eq(trustPartners.id, id));
    if (!p) throw errors.notFound('partner');
    return p;
  }

  /** Fetch (or take the uploaded) list again; keep the held list when anything is wrong with the new one. */
  async refreshPartner(actor: Actor, id: string, upload?: string): Promise<PartnerView> {
    requirePermission(actor, CODE.keysManage);
    const p = await this.partnerRow(this.db, id);
    if (p.deactivatedAt) throw errors.conflict('the partner is deactivated');
    if (!p.url && !upload) throw errors.validation([{ path: '/body/trustListJws', message: 'this partner has no URL: upload its new list' }]);
    await this.refresh(p, actor, upload);
    return this.partnerView(await this.partnerRow(this.db, id), await this.core.settings());
  }

  /** The scheduled refresh: every active partner with a URL whose last fetch is older than the interval. */
  async refreshDue(now = new Date()): Promise<{ checked: number; outcomes: RefreshOutcome[] }> {
    const settings = await this.core.settings();
    const cutoff = new Date(now.getTime() - settings.refreshIntervalSeconds * 1000 + 30_000);
    const due = await this.db
      .select()
      .from(trustPartners)
      .where(and(isNull(trustPartners.deactivatedAt), isNull(trustPartners.untrustedReason), sql`${trustPartners.url} is not null`, or(isNull(trustPartners.lastFetchedAt), sql`${trustPartners.lastFetchedAt} < ${cutoff.toISOString()}::timestamptz`)))
      .orderBy(asc(trustPartners.lastFetchedAt))
      .limit(500);
    const outcomes: RefreshOutcome[] = [];
    for (const p of due) outcomes.push(await this.refresh(p, systemActor('trust.partners.refresh')));
    return { checked: due.length, outcomes };
  }

  private async refresh(p: PartnerRow, actor: Actor, upload?: string): Promise<RefreshOutcome> {
    const settings = await this.core.settings();
    const now = new Date();
    const manual = actor.kind !== 'system';
    let jws: string;
    try {
      jws = upload ? upload.trim() : await fetchTrustList(p.url!, settings);
    } catch (e) {
      return this.recordFailure(p, actor, now, `fetch failed: ${(e as Error).message}`, upload === undefined);
    }
    const v = await verifyTrustList(jws, p.pinnedJwk as JsonWebKey);
    if (!v.ok) {
      // A list that fails the pin is not a network hiccup: someone else is speaking for the partner, or it
      // changed its list key without telling us. Stop trusting it until an administrator re-registers it.
      if (v.reason === 'bad-signature' || v.reason === 'untrusted-partner' || v.reason === 'unknown-key') return this.markUntrusted(p, actor, now, `pin-mismatch: ${v.message}`, upload === undefined);
      return this.recordFailure(p, actor, now, `list refused (${v.reason}): ${v.message}`, upload === undefined);
    }
    if (v.list.platform.id !== p.platformId) return this.recordFailure(p, actor, now, `the list is for platform ${v.list.platform.id}, not ${p.platformId}`, upload === undefined);
    if (v.list.seq < p.seq) return this.recordFailure(p, actor, now, `refused a list with seq ${v.list.seq}, lower than the held ${p.seq}`, upload === undefined);
    if (v.list.seq === p.seq) {
      if (jws !== p.jws) return this.recordFailure(p, actor, now, `a different list with the same seq ${p.seq}`, upload === undefined);
      await inTransaction(this.db, async (tx) => {
        await tx.update(trustPartners).set({ lastFetchedAt: upload === undefined ? now : p.lastFetchedAt, lastError: null, lastErrorAt: null }).where(eq(trustPartners.id, p.id));
        if (manual) await recordAudit(tx, actor, { action: 'trust.partner.refresh', entityType: 'trust_partner', entityId: p.id, note: { outcome: 'unchanged', seq: p.seq } });
      });
      return { partnerId: p.id, outcome: 'unchanged', seq: p.seq };
    }
    await inTransaction(this.db, async (tx) => {
      await tx
        .update(trustPartners)
        .set({ jws, list: v.list, seq: v.list.seq, acceptedAt: now, lastFetchedAt: upload === undefined ? now : p.lastFetchedAt, lastError: null, lastErrorAt: null })
        .where(eq(trustPartners.id, p.id));
      await recordAudit(tx, actor, { action: 'trust.partner.refresh', entityType: 'trust_partner', entityId: p.id, before: { seq: p.seq }, after: { seq: v.list.seq, keys: v.list.keys.length } });
    });
    this.core.changed();
    return { partnerId: p.id, outcome: 'updated', seq: v.list.seq };
  }

  private async recordFailure(p: PartnerRow, actor: Actor, now: Date, error: string, fetched: boolean): Promise<RefreshOutcome> {
    await inTransaction(this.db, async (tx) => {
      await tx.update(trustPartners).set({ lastError: error, lastErrorAt: now, ...(fetched ? { lastFetchedAt: now } : {}) }).where(eq(trustPartners.id, p.id));
      await recordAudit(tx, actor, { action: 'trust.partner.refresh', entityType: 'trust_partner', entityId: p.id, note: { outcome: 'failed', error, heldSeq: p.seq } });
    });
    this.core.deps.log.warn({ partner: p.platformId, error }, 'partner trust list refresh failed; keeping the last good list');
    return { partnerId: p.id, outcome: 'failed', seq: p.seq, error };
  }

  private async markUntrusted(p: PartnerRow, actor: Actor, now: Date, reason: string, fetched: boolean): Promise<RefreshOutcome> {
    await inTransaction(this.db, async (tx) => {
      await tx
        .update(trustPartners)
        .set({ untrustedReason: reason, lastError: reason, lastErrorAt: now, ...(fetched ? { lastFetchedAt: now } : {}) })
        .where(eq(trustPartners.id, p.id));
      await recordAudit(tx, actor, { action: 'trust.partner.untrusted', entityType: 'trust_partner', entityId: p.id, note: { reason, heldSeq: p.seq } });
    });
    this.core.changed();
    this.core.deps.log.error({ partner: p.platformId, reason }, 'partner trust list failed its pinned key; partner no longer trusted');
    return { partnerId: p.id, outcome: 'untrusted', seq: p.seq, error: reason };
  }

  async deactivatePartner(actor: Actor, id: string): Promise<PartnerView> {
    requirePermission(actor, CODE.keysManage);
    const row = await inTransaction(this.db, async (tx) => {
      const p = await this.partnerRow(tx, id);
      if (p.deactivatedAt) return p;
      const [r] = await tx.update(trustPartners).set({ deactivatedAt: new Date(), deactivatedBy: actor.userId }).where(eq(trustPartners.id, id)).returning();
      await recordAudit(tx, actor, { action: 'trust.partner.deactivate', entityType: 'trust_partner', entityId: id, before: { active: true }, after: { active: false, platformId: p.platformId } });
      return r;
    });
    this.core.changed();
    return this.partnerView(row, await this.core.settings());
  }

  private partnerView(p: PartnerRow, settings: TrustSettings, now = new Date()): PartnerView {
    const list = p.list as TrustList;
    const untrustedReason = p.deactivatedAt ? 'deactivated' : p.untrustedReason;
    return {
      id: p.id,
      name: p.name,
      url: p.url,
      platformId: p.platformId,
      platformName: list.platform.name,
      pinnedKid: p.pinnedKid,
      pinnedJwk: p.pinnedJwk as JsonWebKey,
      state: untrustedReason ? 'untrusted' : trustListState(list, now, settings.graceSeconds),
      untrustedReason,
      active: !p.deactivatedAt,
      seq: p.seq,
      listId: `${p.platformId}#${p.seq}`,
      issuedAt: list.issuedAt,
      nextUpdate: list.nextUpdate,
      keyCount: list.keys.length,
      issuers: [...new Set(list.keys.map((k) => k.issuer))],
      lastFetchedAt: iso(p.lastFetchedAt),
      acceptedAt: p.acceptedAt.toISOString(),
      lastError: p.lastError,
      lastErrorAt: iso(p.lastErrorAt),
      createdAt: p.createdAt.toISOString(),
      deactivatedAt: iso(p.deactivatedAt),
    };
  }
}

function checkUrl(url: string) {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw errors.field('/body/url', 'not a URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw errors.field('/body/url', 'must be an http(s) URL');
}

async function kidOrField(jwk: JsonWebKey): Promise<string> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw errors.field('/body/pinnedJwk', 'must be an EC P-256 public key (kty, crv, x, y)');
  try {
    return await kidOf(jwk);
  } catch {
    throw errors.field('/body/pinnedJwk', 'not a valid P-256 public key');
  }
}

/** GET a partner's list with a timeout and a size limit; accepts the bare JWS or `{ jws }`. */
export async function fetchTrustList(url: string, settings: Pick<TrustSettings, 'fetchTimeoutMs' | 'maxListBytes'>): Promise<string> {
  const res = await fetch(url, { headers: { accept: 'application/jose, application/json;q=0.5' }, signal: AbortSignal.timeout(settings.fetchTimeoutMs), redirect: 'follow' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > settings.maxListBytes) throw new Error(`list larger than ${settings.maxListBytes} bytes`);
  const reader = res.body?.getReader();
  if (!reader) throw new Error('empty response');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > settings.maxListBytes) {
      await reader.cancel();
      throw new Error(`list larger than ${settings.maxListBytes} bytes`);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text.startsWith('{')) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error('response is neither a JWS nor JSON');
    }
    const jws = (body as { jws?: unknown }).jws;
    if (typeof jws !== 'string') throw new Error('JSON response without a jws member');
    return jws;
  }
  return text;
}

