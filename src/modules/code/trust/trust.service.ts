// Issuing keys, this platform's signed trust list, and partner platforms.
//
// Keys: ES256 (P-256) per issuing organisation and use, private halves encrypted under the master key,
// one current key per (organisation, use), created on first need. Rotation retires the current key with
// an end date (now + overlap), so codes and certificates signed before keep verifying until then.
// The trust list (every key whose end date has not passed) is republished on every key change and on a
// schedule, signed by the platform's own list key; partners pin that key. Partner platforms are
// registered by URL or uploaded list plus the pinned key, refreshed on a schedule, and handed to the
// verifiers as trust sources with their freshness (or the reason they are no longer trusted).
//
// This file is the façade the rest of the platform uses; the work is done in its rooms:
// trust.core.ts (identity, settings, caches, the key store), trust.keys.ts (issuing keys and rotation),
// trust.list.ts (this platform's list), trust.partners.ts (partner platforms). The trust sources the
// verifiers use are assembled here, from the own list and the partners' held lists.
import { asc } from 'drizzle-orm';
import { type KeyUse, type TrustList, type TrustSource, TrustStore } from '../../../lib/verifier';
import { type Actor, systemActor } from '../../../platform/auth/actor';
import type { DbOrTx } from '../../../platform/db/client';
import type { Page } from '../../../platform/http/paging';
import type { ModuleDeps } from '../../deps';
import type { IssuerKeys, IssuerSigner } from '../contracts';
import { TrustCore } from './trust.core';
import { IssuingKeys } from './trust.keys';
import { ListPublisher } from './trust.list';
import { type KeyView, type PartnerRow, type PartnerView, type PublishedList, type RefreshOutcome, type RegisterPartnerInput, SOURCES_CACHE_MS, type TrustSettings, type TrustSettingsPatch } from './trust.model';
import { PartnerRegistry } from './trust.partners';
import { trustPartners } from './trust.schema';

export { DEFAULT_TRUST_SETTINGS, ISSUING_USES, LIST_USE, REFRESH_JOB, REPUBLISH_JOB } from './trust.model';
export type { KeyView, PartnerState, PartnerView, PublishedList, RefreshOutcome, RegisterPartnerInput, TrustSettings, TrustSettingsPatch } from './trust.model';
export { fetchTrustList } from './trust.partners';

export class TrustService implements IssuerKeys {
  private readonly core: TrustCore;
  private readonly keys: IssuingKeys;
  private readonly lists: ListPublisher;
  private readonly partners: PartnerRegistry;

  constructor(readonly deps: ModuleDeps) {
    this.core = new TrustCore(deps);
    this.lists = new ListPublisher(this.core);
    this.keys = new IssuingKeys(this.core, this.lists);
    this.partners = new PartnerRegistry(this.core);
  }

  get platformId(): string {
    return this.core.platformId;
  }

  get platformName(): string {
    return this.core.platformName;
  }

  get platformNameEn(): string {
    return this.core.platformNameEn;
  }

  issuerId(orgCode: string): string {
    return this.core.issuerId(orgCode);
  }

  /** Where partners fetch this platform's list. */
  get listUrl(): string {
    return `${this.deps.config.publicUrl}/api/trust/list`;
  }

  // ---- settings ------------------------------------------------------------------------------------------

  settings(db: DbOrTx = this.deps.db): Promise<TrustSettings> {
    return this.core.settings(db);
  }

  putSettings(actor: Actor, patch: TrustSettingsPatch): Promise<TrustSettings> {
    return this.core.putSettings(actor, patch);
  }

  // ---- keys (trust.keys.ts) ------------------------------------------------------------------------------

  /** The organisation's current key for `use`; created (and the list republished) on first need. */
  signer(orgCode: string, use: KeyUse): Promise<IssuerSigner> {
    return this.keys.signer(orgCode, use);
  }

  /** Retire the current key (it verifies until now + overlap) and make a new current one. */
  rotate(actor: Actor, orgCode: string, use: KeyUse): Promise<{ key: KeyView; retired: KeyView | null }> {
    return this.keys.rotate(actor, orgCode, use);
  }

  listKeys(actor: Actor, q: { orgCode?: string; use?: string; state?: 'current' | 'retired' | 'expired'; limit: number; offset: number }): Promise<Page<KeyView>> {
    return this.keys.listKeys(actor, q);
  }

  /** JWKS of the issuing keys that still verify (current and rotated-but-valid). */
  jwks(): Promise<{ keys: (JsonWebKey & { kid: string; alg: string; use: string; iss: string; key_ops: string[] })[] }> {
    return this.keys.jwks();
  }

  // ---- this platform's trust list (trust.list.ts) --------------------------------------------------------

  /** The latest published list (published now when there is none yet). Same bytes until the next change. */
  published(): Promise<PublishedList> {
    return this.lists.published();
  }

  /** The list-signing key as a partner pins it. */
  listKey(): Promise<JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' }> {
    return this.lists.listKey();
  }

  /** Publish a new list now (a key change, the schedule, or an operator). */
  publish(cause: string, actor: Actor = systemActor('trust.publish')): Promise<PublishedList> {
    return this.lists.publish(cause, actor);
  }

  /** Republish when the list is past half its validity or lists a key whose end date has passed. */
  republishIfDue(now = new Date()): Promise<{ published: boolean; seq: number }> {
    return this.lists.republishIfDue(now);
  }

  // ---- partners (trust.partners.ts) ----------------------------------------------------------------------

  registerPartner(actor: Actor, input: RegisterPartnerInput): Promise<PartnerView> {
    return this.partners.registerPartner(actor, input);
  }

  listPartners(actor: Actor, q: { active?: boolean; limit: number; offset: number }): Promise<Page<PartnerView>> {
    return this.partners.listPartners(actor, q);
  }

  getPartner(actor: Actor, id: string): Promise<PartnerView & { list: TrustList }> {
    return this.partners.getPartner(actor, id);
  }

  /** Fetch (or take the uploaded) list again; keep the held list when anything is wrong with the new one. */
  refreshPartner(actor: Actor, id: string, upload?: string): Promise<PartnerView> {
    return this.partners.refreshPartner(actor, id, upload);
  }

  /** The scheduled refresh: every active partner with a URL whose last fetch is older than the interval. */
  refreshDue(now = new Date()): Promise<{ checked: number; outcomes: RefreshOutcome[] }> {
    return this.partners.refreshDue(now);
  }

  deactivatePartner(actor: Actor, id: string): Promise<PartnerView> {
    return this.partners.deactivatePartner(actor, id);
  }

  // ---- what verifiers use ---------------------------------------------------------------------------------

  /** Every list held now: ours first, then each partner's last verified list (untrusted ones say why). */
  async trustSources(): Promise<TrustSource[]> {
    return (await this.sourcesWithJws()).map(({ jws: _jws, ...s }) => s);
  }

  /** The same, each with the JWS it came in, so an offline verifier can check the signatures itself. */
  async sourcesWithJws(): Promise<(TrustSource & { jws: string })[]> {
    const c = this.core.sourcesCache;
    if (c && Date.now() - c.at < SOURCES_CACHE_MS) return c.sources;
    const own = await this.published();
    const partners = await this.deps.db.select().from(trustPartners).orderBy(asc(trustPartners.createdAt));
    // Only the latest registration of each platform speaks for it (an older, deactivated one stays for history).
    const latest = new Map<string, PartnerRow>();
    for (const p of partners) {
      const held = latest.get(p.platformId);
      if (!held || (held.deactivatedAt && !p.deactivatedAt) || (!!held.deactivatedAt === !!p.deactivatedAt && p.createdAt > held.createdAt)) latest.set(p.platformId, p);
    }
    const sources: (TrustSource & { jws: string })[] = [{ list: own.list, listId: own.listId, signerKid: own.signerKid, own: true, jws: own.jws }];
    for (const p of latest.values()) {
      const reason = p.deactivatedAt ? 'deactivated' : p.untrustedReason;
      sources.push({
        list: p.list as TrustList,
        listId: `${p.platformId}#${p.seq}`,
        signerKid: p.pinnedKid,
        own: false,
        fetchedAt: p.acceptedAt.toISOString(),
        ...(reason ? { untrusted: { reason } } : {}),
        jws: p.jws,
      });
    }
    this.core.sourcesCache = { at: Date.now(), sources };
    return sources;
  }

  /** A trust store over every held list, with this platform's grace period. */
  async trustStore(at = new Date()): Promise<TrustStore> {
    const [sources, settings] = await Promise.all([this.trustSources(), this.settings()]);
    return new TrustStore(sources, { at, graceSeconds: settings.graceSeconds });
  }

  /** Drop in-memory caches (after a change here; other nodes pick changes up within the cache times). */
  forget() {
    this.core.forget();
  }

  /** Be told when the held trust lists change (a key made or rotated, a partner registered, refreshed or
   *  deactivated), e.g. to drop a cached trust store at once. */
  onChange(listener: () => void): () => void {
    return this.core.onChange(listener);
  }
}
