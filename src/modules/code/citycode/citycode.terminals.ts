// Scanning terminals: registration (a service account in the owner organisation and an API key shown
// once), changes and deactivation, key rotation, and the terminal calling with its key.
import { randomBytes } from 'node:crypto';
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import type { Actor } from '../../../platform/auth/actor';
import { inTransaction } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import { CACHE_MS, terminalView, type CityCodeDeps, type TerminalRow } from './citycode.model';
import { codeTerminals } from './citycode.schema';
import type { CodeSettings } from './citycode.settings';
import type { Scenario } from './policies';

export class CodeTerminals {
  private terminalCache = new Map<string, { terminal: TerminalRow; until: number }>();

  constructor(
    private readonly deps: CityCodeDeps,
    private readonly config: CodeSettings,
  ) {}

  private get db() {
    return this.deps.db;
  }

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
    await this.config.policy(input.scenario);
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
    if (patch.scenario) await this.config.policy(patch.scenario);
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
    const policy = await this.config.policy(t.scenario);
    const { skewSeconds } = await this.config.settings();
    return { terminal: terminalView(t), policy, skewSeconds, platformId: this.deps.trust.platformId };
  }
}
