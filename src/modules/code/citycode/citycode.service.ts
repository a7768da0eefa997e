// The personal dynamic city code (一码通城): issuing, freezing, terminals, the scan decision and the scan log.
//
// A code is a CWT signed by the bureau's city-code key (through the trust part); the subject is a stable
// pseudonym (HMAC of the account id), never the ID number. A scan runs the offline verifier library against
// the trust lists held now (own + partners'), with the replay guard backed by code_seen, then the server-only
// state (frozen, health) and the terminal's scenario policy, and logs the outcome for the person to see.
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { and, count, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { issueCityCode, TrustStore, verifyCityCode, type CityCodeClaims, type Reason } from '../../../lib/verifier';
import { recordAudit } from '../../../platform/audit/audit.service';
import type { Actor } from '../../../platform/auth/actor';
import { users } from '../../../platform/auth/auth.schema';
import { inTransaction, rows as rawRows, type DbOrTx } from '../../../platform/db/client';
import { appMeta } from '../../../platform/db/meta.schema';
import { errors } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import type { ModuleDeps } from '../../deps';
import type { IssuerKeys } from '../contracts';
import { codeCards, codePolicies, codeScans, codeSeen, codeSubjects, codeTerminals } from './citycode.schema';
import { applyPolicy, CARD_KINDS, DEFAULT_POLICIES, type CardKind, type Policy, type Scenario, type SubjectFacts, type SubjectField } from './policies';

export type CityCodeDeps = ModuleDeps & { trust: IssuerKeys };

export const PURGE_SEEN_JOB = 'code.citycode.purge-seen';

export interface CityCodeSettings {
  /** The organisation whose city-code key signs (the bureau). */
  issuerOrgCode: string;
  /** Lifetime of one code. */
  validitySeconds: number;
  /** Clock skew tolerated between the issuer and the terminal. */
  skewSeconds: number;
}
export const DEFAULT_CODE_SETTINGS: CityCodeSettings = { issuerOrgCode: 'DSJ', validitySeconds: 60, skewSeconds: 300 };
const SETTINGS_KEY = 'code.citycode.settings';
/** How long a built trust store (and a terminal looked up by key) is reused. */
const CACHE_MS = 5_000;
/** Policy fields that come from the fused cards (the cards are read only when a policy needs one). */
const CARD_FIELDS: SubjectField[] = ['rideAccount', 'insuranceAccount', 'socialSecurityCard', 'mealAccount'];
const CLAIM_CARDS: CityCodeClaims['cards'][number]['kind'][] = ['social-security', 'medical-insurance', 'bus'];

export type TerminalRow = typeof codeTerminals.$inferSelect;

export interface ScanResult {
  decision: 'pass' | 'refuse';
  reason: Reason;
  message: string;
  scenario: Scenario;
  terminal: { id: string; name: string; place: string };
  subject: Record<string, string>;
  issuer: string | null;
  kid: string | null;
  trustList: string | null;
  warnings: string[];
  local: boolean;
  at: string;
}

const terminalView = (t: TerminalRow) => ({
  id: t.id,
  name: t.name,
  place: t.place,
  district: t.district,
  ownerOrgId: t.ownerOrgId,
  scenario: t.scenario,
  active: t.active,
  keyPrefix: t.keyPrefix,
  createdAt: t.createdAt.toISOString(),
  deactivatedAt: t.deactivatedAt?.toISOString() ?? null,
});

const RFC4648 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += RFC4648[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += RFC4648[(value << (5 - bits)) & 31];
  return out;
}

export class CityCodeService {
  private readonly subKey: Buffer;
  private trustCache: { store: TrustStore; until: number } | null = null;
  private terminalCache = new Map<string, { terminal: TerminalRow; until: number }>();
  private configCache: { settings: CityCodeSettings; policies: Policy[]; until: number } | null = null;

  constructor(readonly deps: CityCodeDeps) {
    this.subKey = Buffer.from(hkdfSync('sha256', deps.config.masterKey, Buffer.alloc(0), 'dq city-code subject', 32));
    // A rotated key or a deactivated partner must count at the next scan, not after the cache expires.
    deps.trust.onChange(() => this.invalidateTrust());
  }

  private get db() {
    return this.deps.db;
  }

  // ---- settings and policies ------------------------------------------------------------------------

  async settings(db: DbOrTx = this.db): Promise<CityCodeSettings> {
    const [r] = await db.select().from(appMeta).where(eq(appMeta.key, SETTINGS_KEY));
    return { ...DEFAULT_CODE_SETTINGS, ...((r?.value as Partial<CityCodeSettings>) ?? {}) };
  }

  /** Settings and policies as the scan path reads them: from memory for a few seconds (changes here drop the copy). */
  private async scanConfig(scenario: string): Promise<{ settings: CityCodeSettings; policy: Policy }> {
    if (!this.configCache || this.configCache.until <= Date.now()) {
      this.configCache = { settings: await this.settings(), policies: await this.policies(), until: Date.now() + CACHE_MS };
    }
    const policy = this.configCache.policies.find((p) => p.scenario === scenario);
    if (!policy) throw errors.notFound(`policy ${scenario}`);
    return { settings: this.configCache.settings, policy };
  }

  async putSettings(actor: Actor, patch: Partial<CityCodeSettings>): Promise<CityCodeSettings> {
    if (patch.issuerOrgCode !== undefined && !(await this.deps.orgs.byCode(patch.issuerOrgCode))) throw errors.field('/issuerOrgCode', 'no such organisation');
    return inTransaction(this.db, async (tx) => {
      const before = await this.settings(tx);
      const next = { ...before, ...patch };
      await tx.insert(appMeta).values({ key: SETTINGS_KEY, value: next }).onConflictDoUpdate({ target: appMeta.key, set: { value: next } });
      await recordAudit(tx, actor, { action: 'code.settings.update', entityType: 'code_settings', entityId: SETTINGS_KEY, before, after: next });
      this.configCache = null;
      return next;
    });
  }

  /** The four scenario policies; the defaults are written on first read, then the table is the truth. */
  async policies(): Promise<Policy[]> {
    let rows = await this.db.select().from(codePolicies);
    if (rows.length < DEFAULT_POLICIES.length) {
      await this.db.insert(codePolicies).values(DEFAULT_POLICIES).onConflictDoNothing();
      rows = await this.db.select().from(codePolicies);
    }
    const order = DEFAULT_POLICIES.map((p) => p.scenario as string);
    return rows
      .map((r) => ({ scenario: r.scenario as Scenario, nameZh: r.nameZh, nameEn: r.nameEn, discloses: r.discloses, requires: r.requires, refuseHealth: r.refuseHealth }) as Policy)
      .sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario));
  }

  async policy(scenario: string): Promise<Policy> {
    const p = (await this.policies()).find((x) => x.scenario === scenario);
    if (!p) throw errors.notFound(`policy ${scenario}`);
    return p;
  }

  async putPolicy(actor: Actor, scenario: Scenario, input: Pick<Policy, 'discloses' | 'requires' | 'refuseHealth'>): Promise<Policy> {
    const before = await this.policy(scenario);
    input.requires.forEach((f, i) => {
      if (!input.discloses.includes(f)) throw errors.field(`/requires/${i}`, `${f} must also be disclosed`);
    });
    await inTransaction(this.db, async (tx) => {
      await tx.update(codePolicies).set({ discloses: input.discloses, requires: input.requires, refuseHealth: input.refuseHealth, updatedAt: new Date(), updatedBy: actor.userId }).where(eq(codePolicies.scenario, scenario));
      await recordAudit(tx, actor, { action: 'code.policy.update', entityType: 'code_policy', entityId: scenario, before, after: input });
    });
    this.configCache = null;
    return this.policy(scenario);
  }

  // ---- subjects and issuing -------------------------------------------------------------------------

  /** The person's pseudonym: stable, unlinkable to the account without the master key. */
  subjectFor(userId: string): string {
    return base32(createHmac('sha256', this.subKey).update(userId).digest().subarray(0, 15));
  }

  private async subjectRow(userId: string) {
    const sub = this.subjectFor(userId);
    await this.db.insert(codeSubjects).values({ sub, userId }).onConflictDoNothing();
    const [row] = await this.db.select().from(codeSubjects).where(eq(codeSubjects.userId, userId));
    return row;
  }

  private requirePerson(actor: Actor): string {
    if (!actor.userId || actor.via === 'apikey' || actor.kind === 'system') throw errors.forbidden('a city code belongs to a signed-in person');
    return actor.userId;
  }

  async cards(userId: string): Promise<{ kind: CardKind; ref: string }[]> {
    const rows = await this.db.select().from(codeCards).where(eq(codeCards.userId, userId));
    const order = CARD_KINDS as readonly string[];
    return rows.map((r) => ({ kind: r.kind as CardKind, ref: r.ref })).sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  }

  /** A fresh signed code for the caller (or the frozen state, without a payload). */
  async myCode(actor: Actor) {
    const userId = this.requirePerson(actor);
    const s = await this.subjectRow(userId);
    const cards = await this.cards(userId);
    const base = { subject: s.sub, health: s.health, cards, frozen: !!s.frozenAt, frozenAt: s.frozenAt?.toISOString() ?? null };
    if (s.frozenAt) return { ...base, payload: null, issuedAt: null, expiresAt: null, refreshAfter: null };
    const settings = await this.settings();
    const signer = await this.deps.trust.signer(settings.issuerOrgCode, 'city-code');
    // Never before the last unfreeze (codes issued earlier are refused), even within the same second.
    const iat = Math.max(Math.floor(Date.now() / 1000), s.validFrom ? Math.ceil(s.validFrom.getTime() / 1000) : 0);
    const exp = iat + settings.validitySeconds;
    const claims: CityCodeClaims = {
      iss: this.deps.trust.issuerId(settings.issuerOrgCode),
      sub: s.sub,
      iat,
      exp,
      cti: randomBytes(10).toString('hex'),
      type: 'person',
      health: s.health as CityCodeClaims['health'],
      cards: cards.filter((c) => (CLAIM_CARDS as string[]).includes(c.kind)) as CityCodeClaims['cards'],
    };
    const payload = await issueCityCode(claims, signer);
    // Refresh with a quarter of the lifetime to spare (at least 5 s), so a slow network never shows an expired code.
    const margin = Math.max(5, Math.floor(settings.validitySeconds / 4));
    return {
      ...base,
      payload,
      kid: signer.kid,
      issuer: claims.iss,
      issuedAt: new Date(iat * 1000).toISOString(),
      expiresAt: new Date(exp * 1000).toISOString(),
      refreshAfter: new Date((exp - margin) * 1000).toISOString(),
    };
  }

  async freeze(actor: Actor) {
    const userId = this.requirePerson(actor);
    const s = await this.subjectRow(userId);
    if (s.frozenAt) throw errors.conflict('the code is already frozen');
    const at = new Date();
    await inTransaction(this.db, async (tx) => {
      await tx.update(codeSubjects).set({ frozenAt: at }).where(eq(codeSubjects.sub, s.sub));
      await recordAudit(tx, actor, { action: 'code.freeze', entityType: 'code_subject', entityId: s.sub, after: { frozenAt: at.toISOString() } });
    });
    return { frozen: true, frozenAt: at.toISOString() };
  }

  /** Unfreezing needs the password again (the phone may be in someone else's hands); old codes stay dead. */
  async unfreeze(actor: Actor, password: string) {
    const userId = this.requirePerson(actor);
    if (!(await this.deps.auth.checkPassword(userId, password))) throw errors.field('/password', 'the password is wrong');
    const s = await this.subjectRow(userId);
    const frozenAt = s.frozenAt;
    if (!frozenAt) throw errors.conflict('the code is not frozen');
    const at = new Date();
    await inTransaction(this.db, async (tx) => {
      await tx.update(codeSubjects).set({ frozenAt: null, validFrom: at }).where(eq(codeSubjects.sub, s.sub));
      await recordAudit(tx, actor, { action: 'code.unfreeze', entityType: 'code_subject', entityId: s.sub, before: { frozenAt: frozenAt.toISOString() }, after: { validFrom: at.toISOString() } });
    });
    return { frozen: false, validFrom: at.toISOString() };
  }

  async myScans(actor: Actor, q: { limit: number; offset: number }): Promise<Page<Record<string, unknown>>> {
    const userId = this.requirePerson(actor);
    const where = eq(codeScans.userId, userId);
    const [items, [{ n }]] = await Promise.all([
      this.db.select().from(codeScans).where(where).orderBy(desc(codeScans.at), desc(codeScans.id)).limit(q.limit).offset(q.offset),
      this.db.select({ n: count() }).from(codeScans).where(where),
    ]);
    return {
      items: items.map((r) => ({ id: r.id, at: r.at.toISOString(), terminalName: r.terminalName, scenario: r.scenario, place: r.place, district: r.district, decision: r.decision, reason: r.reason })),
      total: Number(n),
      limit: q.limit,
      offset: q.offset,
    };
  }

  // ---- terminals ------------------------------------------------------------------------------------

  async listTerminals(q: { limit: number; offset: number; scenario?: string; active?: boolean }) {
    const conds: SQL[] = [];
    if (q.scenario) conds.push(eq(codeTerminals.scenario, q.scenario));
    if (q.active !== undefined) conds.push(eq(codeTerminals.active, q.active));
    const where = conds.length ? and(...conds) : undefined;
    const [items, [{ n }]] = await Promise.all([
      this.db.select().from(codeTerminals).where(where).orderBy(desc(codeTerminals.createdAt)).limit(q.limit).offset(q.offset),
      this.db.select({ n: count() }).from(codeTerminals).where(where),
    ]);
    const orgs = await this.deps.orgs.namesOf([...new Set(items.map((t) => t.ownerOrgId))]);
    return {
      items: items.map((t) => ({ ...terminalView(t), ownerOrgName: orgs.get(t.ownerOrgId)?.name ?? null })),
      total: Number(n),
      limit: q.limit,
      offset: q.offset,
    };
  }

  /**
   * Register a terminal: its service account (role code_terminal in the owner organisation, which anchors the
   * department-scoped role), then an API key. The key is returned here once; only its hash is kept.
   */
  async createTerminal(actor: Actor, input: { name: string; place: string; district?: string; scenario: Scenario; ownerOrgId?: string }) {
    const ownerOrgId = input.ownerOrgId ?? actor.orgId;
    if (!ownerOrgId) throw errors.field('/ownerOrgId', 'name the organisation that owns the terminal');
    const org = await this.deps.orgs.byId(ownerOrgId);
    if (!org) throw errors.field('/ownerOrgId', 'no such organisation');
    await this.policy(input.scenario);
    const id = crypto.randomUUID();
    // Nobody signs in with this account: the password is random and never shown.
    const password = `${randomBytes(24).toString('base64url')}Aa1!`;
    const user = await this.deps.auth.createUser(actor, { username: `code-terminal-${id}`, displayName: `${input.name}（扫码终端）`, kind: 'staff', password, orgId: org.id, roles: ['code_terminal'] });
    const key = await this.deps.auth.createApiKey(actor, { name: `city-code terminal ${input.name}`, userId: user.id, scopes: ['code.scan', 'cert.verify'] });
    const row = await inTransaction(this.db, async (tx) => {
      const [r] = await tx
        .insert(codeTerminals)
        .values({ id, name: input.name, place: input.place, district: input.district ?? null, ownerOrgId: org.id, scenario: input.scenario, apiKeyId: key.id, keyPrefix: key.prefix, serviceUserId: user.id, createdBy: actor.userId })
        .returning();
      await recordAudit(tx, actor, { action: 'code.terminal.create', entityType: 'code_terminal', entityId: id, orgId: org.id, after: { ...terminalView(r), apiKeyId: key.id } });
      return r;
    });
    return { ...terminalView(row), ownerOrgName: org.name, key: key.key };
  }

  async updateTerminal(actor: Actor, id: string, patch: { name?: string; place?: string; district?: string | null; scenario?: Scenario; active?: boolean }) {
    const [t] = await this.db.select().from(codeTerminals).where(eq(codeTerminals.id, id));
    if (!t) throw errors.notFound('terminal');
    if (patch.active === true && !t.active) throw errors.field('/active', 'a deactivated terminal comes back with a new key (POST …/key)');
    if (patch.scenario) await this.policy(patch.scenario);
    const deactivate = patch.active === false && t.active;
    const { active: _active, ...fields } = patch;
    // Nothing changes (e.g. {"active": true} on an active terminal): answer with it as it is, no audit entry.
    if (!deactivate && Object.values(fields).every((v) => v === undefined)) return terminalView(t);
    if (deactivate && t.apiKeyId) await this.deps.auth.revokeApiKey(actor, t.apiKeyId);
    const row = await inTransaction(this.db, async (tx) => {
      const [r] = await tx
        .update(codeTerminals)
        .set({ ...fields, ...(deactivate ? { active: false, deactivatedAt: new Date() } : {}) })
        .where(eq(codeTerminals.id, id))
        .returning();
      await recordAudit(tx, actor, { action: deactivate ? 'code.terminal.deactivate' : 'code.terminal.update', entityType: 'code_terminal', entityId: id, orgId: t.ownerOrgId, before: terminalView(t), after: terminalView(r) });
      return r;
    });
    if (t.apiKeyId) this.terminalCache.delete(t.apiKeyId);
    return terminalView(row);
  }

  /** A new key for a terminal (lost or leaked key, or bringing a deactivated terminal back); the old key stops at once. */
  async rotateTerminalKey(actor: Actor, id: string) {
    const [t] = await this.db.select().from(codeTerminals).where(eq(codeTerminals.id, id));
    if (!t) throw errors.notFound('terminal');
    if (t.active && t.apiKeyId) await this.deps.auth.revokeApiKey(actor, t.apiKeyId);
    const key = await this.deps.auth.createApiKey(actor, { name: `city-code terminal ${t.name}`, userId: t.serviceUserId, scopes: ['code.scan', 'cert.verify'] });
    const row = await inTransaction(this.db, async (tx) => {
      const [r] = await tx.update(codeTerminals).set({ apiKeyId: key.id, keyPrefix: key.prefix, active: true, deactivatedAt: null }).where(eq(codeTerminals.id, id)).returning();
      await recordAudit(tx, actor, { action: 'code.terminal.key', entityType: 'code_terminal', entityId: id, orgId: t.ownerOrgId, after: { prefix: key.prefix, apiKeyId: key.id } });
      return r;
    });
    if (t.apiKeyId) this.terminalCache.delete(t.apiKeyId);
    return { ...terminalView(row), key: key.key };
  }

  /** The terminal calling with its API key (cached briefly; a revoked key is refused by the platform anyway). */
  async terminalOf(actor: Actor): Promise<TerminalRow> {
    if (actor.via !== 'apikey' || !actor.apiKeyId) throw errors.forbidden('scans come from a registered terminal (its API key)');
    const hit = this.terminalCache.get(actor.apiKeyId);
    if (hit && hit.until > Date.now()) return hit.terminal;
    const [t] = await this.db.select().from(codeTerminals).where(eq(codeTerminals.apiKeyId, actor.apiKeyId));
    if (!t || !t.active) throw errors.forbidden('this key belongs to no active terminal');
    this.terminalCache.set(actor.apiKeyId, { terminal: t, until: Date.now() + CACHE_MS });
    return t;
  }

  /** What a terminal needs to know about itself (its set-up check and its offline mode). */
  async terminalInfo(actor: Actor) {
    const t = await this.terminalOf(actor);
    const policy = await this.policy(t.scenario);
    const { skewSeconds } = await this.settings();
    return { terminal: terminalView(t), policy, skewSeconds, platformId: this.deps.trust.platformId };
  }

  // ---- scanning -------------------------------------------------------------------------------------

  /** The trust lists held now, as a store; rebuilt every few seconds so a refreshed partner list takes effect. */
  async trustStore(at: Date): Promise<TrustStore> {
    if (this.trustCache && this.trustCache.until > at.getTime()) return this.trustCache.store;
    const store = await this.deps.trust.trustStore(at);
    this.trustCache = { store, until: at.getTime() + CACHE_MS };
    return store;
  }

  /** Drop the cached trust store (after a key rotation or a partner refresh). */
  invalidateTrust() {
    this.trustCache = null;
  }

  /** Record a one-time id; true when it was already there (a replay). */
  private async seen(cti: string, exp: number): Promise<boolean> {
    const r = await this.db
      .insert(codeSeen)
      .values({ cti, exp: new Date(exp * 1000) })
      .onConflictDoNothing()
      .returning({ cti: codeSeen.cti });
    return r.length === 0;
  }

  async scan(actor: Actor, payload: string): Promise<ScanResult> {
    const terminal = await this.terminalOf(actor);
    const { policy, settings } = await this.scanConfig(terminal.scenario);
    const at = new Date();
    const d = await verifyCityCode(payload, { trust: await this.trustStore(at), at, skewSeconds: settings.skewSeconds, seen: (cti, exp) => this.seen(cti, exp) });
    let reason: Reason = d.reason;
    let message = d.message;
    let subject: Record<string, string> = {};
    let userId: string | null = null;
    const claims = d.claims;
    const local = !!claims && claims.iss.startsWith(`${this.deps.trust.platformId}:`);
    if (d.valid && claims) {
      let facts: SubjectFacts | null = null;
      if (local) {
        const [row] = await this.db
          .select({ s: codeSubjects, displayName: users.displayName, idNumberEnc: users.idNumberEnc })
          .from(codeSubjects)
          .leftJoin(users, eq(users.id, codeSubjects.userId))
          .where(eq(codeSubjects.sub, claims.sub));
        const s = row?.s;
        if (!s) {
          reason = 'bad-claims';
          message = 'the subject is not one of this platform\'s';
        } else {
          userId = s.userId;
          if (s.frozenAt) {
            reason = 'frozen';
            message = 'the holder has frozen this code';
          } else if (s.validFrom && claims.iat < Math.ceil(s.validFrom.getTime() / 1000)) {
            reason = 'frozen';
            message = 'the code was issued before the holder last unfroze it';
          } else {
            const needsCards = [...policy.discloses, ...policy.requires].some((f) => (CARD_FIELDS as string[]).includes(f));
            const cards = needsCards ? Object.fromEntries((await this.cards(s.userId)).map((c) => [c.kind, c.ref])) : {};
            const idNumber = row.idNumberEnc ? this.deps.auth.revealIdNumber({ idNumberEnc: row.idNumberEnc }) : null;
            facts = { pseudonym: s.sub, health: s.health, name: row.displayName ?? undefined, idNumber: idNumber ?? undefined, cards };
          }
        }
      } else {
        // A partner's code: its claims are all that is known of the person.
        facts = { pseudonym: claims.sub, health: claims.health, cards: Object.fromEntries(claims.cards.map((c) => [c.kind, c.ref])) };
      }
      if (facts) {
        const applied = applyPolicy(policy, facts);
        if ((policy.refuseHealth as string[]).includes(facts.health)) {
          reason = 'scenario-not-allowed';
          message = `health status ${facts.health} is refused at ${policy.nameEn.toLowerCase()} terminals`;
        } else if (applied.missing.length) {
          reason = 'scenario-not-allowed';
          message = `${policy.nameEn} needs ${applied.missing.join(', ')}, which this code does not carry`;
        } else subject = applied.subject;
      }
    }
    // A refusal after the signature verified (time, replay) still belongs in the person's log; a forged code does not.
    if (!userId && local && claims && ['expired', 'not-yet-valid', 'replayed'].includes(d.reason)) {
      const [s] = await this.db.select({ userId: codeSubjects.userId }).from(codeSubjects).where(eq(codeSubjects.sub, claims.sub));
      userId = s?.userId ?? null;
    }
    const decision = reason === 'ok' ? 'pass' : 'refuse';
    await this.db.insert(codeScans).values({
      at,
      terminalId: terminal.id,
      terminalName: terminal.name,
      scenario: terminal.scenario,
      place: terminal.place,
      district: terminal.district,
      sub: claims?.sub ?? null,
      issuer: d.issuer ?? claims?.iss ?? null,
      userId,
      decision,
      reason,
      kid: d.kid ?? null,
      trustList: d.trustList ?? null,
    });
    return {
      decision,
      reason,
      message,
      scenario: terminal.scenario as Scenario,
      terminal: { id: terminal.id, name: terminal.name, place: terminal.place },
      subject,
      issuer: d.issuer ?? claims?.iss ?? null,
      kid: d.kid ?? null,
      trustList: d.trustList ?? null,
      warnings: d.warnings,
      local,
      at: at.toISOString(),
    };
  }

  // ---- statistics and housekeeping -----------------------------------------------------------------

  async stats(q: { days: number }) {
    const from = new Date(Date.now() - q.days * 86_400_000);
    const w = gte(codeScans.at, from);
    type Agg = { pass: number; refuse: number };
    const agg = sql`count(*) filter (where ${codeScans.decision} = 'pass')::int as pass, count(*) filter (where ${codeScans.decision} = 'refuse')::int as refuse`;
    const [byScenario, byReason, byDay, terminals] = await Promise.all([
      rawRows<Agg & { scenario: string }>(this.db, sql`select ${codeScans.scenario} as scenario, ${agg} from ${codeScans} where ${w} group by 1 order by 1`),
      rawRows<{ decision: string; reason: string; n: number }>(this.db, sql`select ${codeScans.decision} as decision, ${codeScans.reason} as reason, count(*)::int as n from ${codeScans} where ${w} group by 1, 2 order by 3 desc`),
      rawRows<Agg & { day: string }>(this.db, sql`select to_char((${codeScans.at} at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') as day, ${agg} from ${codeScans} where ${w} group by 1 order by 1`),
      rawRows<{ scenario: string; active: number; total: number }>(this.db, sql`select ${codeTerminals.scenario} as scenario, count(*) filter (where ${codeTerminals.active})::int as active, count(*)::int as total from ${codeTerminals} group by 1 order by 1`),
    ]);
    const total = byScenario.reduce((a, r) => ({ pass: a.pass + Number(r.pass), refuse: a.refuse + Number(r.refuse) }), { pass: 0, refuse: 0 });
    return { from: from.toISOString(), days: q.days, total, byScenario, byReason, byDay, terminals };
  }

  /** Forget one-time ids whose codes can no longer pass anyway (past expiry plus the skew). */
  async purgeSeen(now = new Date()): Promise<number> {
    const { skewSeconds } = await this.settings();
    const r = await this.db
      .delete(codeSeen)
      .where(lt(codeSeen.exp, new Date(now.getTime() - skewSeconds * 1000)))
      .returning({ cti: codeSeen.cti });
    return r.length;
  }

  // ---- demo -----------------------------------------------------------------------------------------

  /** Fused cards for a person (demo seed and tests): refs are opaque, derived from the pseudonym. */
  async fuseDemoCards(userId: string, health: 'green' | 'yellow' | 'red' = 'green') {
    const s = await this.subjectRow(userId);
    if (health !== s.health) await this.db.update(codeSubjects).set({ health }).where(eq(codeSubjects.sub, s.sub));
    const tag = (kind: string) => createHmac('sha256', this.subKey).update(`card:${kind}:${userId}`).digest('hex').slice(0, 12).toUpperCase();
    const prefix: Record<CardKind, string> = { 'social-security': 'SSC-3702-', 'medical-insurance': 'MI-3702-', bus: 'BUS-QD-', meal: 'MEAL-' };
    await this.db
      .insert(codeCards)
      .values(CARD_KINDS.map((kind) => ({ userId, kind, ref: prefix[kind] + tag(kind) })))
      .onConflictDoNothing();
  }

  async setHealth(actor: Actor, userId: string, health: 'green' | 'yellow' | 'red') {
    const s = await this.subjectRow(userId);
    await inTransaction(this.db, async (tx) => {
      await tx.update(codeSubjects).set({ health }).where(eq(codeSubjects.sub, s.sub));
      await recordAudit(tx, actor, { action: 'code.health', entityType: 'code_subject', entityId: s.sub, before: { health: s.health }, after: { health } });
    });
  }
}

