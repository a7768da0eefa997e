// Code settings (validity, clock skew, the issuing organisation) and the scenario policies: what the
// bureau configures, and the short-lived copy the scan path reads.
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import type { Actor } from '../../../platform/auth/actor';
import { inTransaction, type DbOrTx } from '../../../platform/db/client';
import { readSetting, writeSetting } from '../../../platform/db/settings';
import { errors } from '../../../platform/http/problem';
import { CACHE_MS, DEFAULT_CODE_SETTINGS, SETTINGS_KEY, type CityCodeDeps, type CityCodeSettings } from './citycode.model';
import { codePolicies } from './citycode.schema';
import { DEFAULT_POLICIES, type Policy, type Scenario } from './policies';

export class CodeSettings {
  private configCache: { settings: CityCodeSettings; policies: Policy[]; until: number } | null = null;

  constructor(private readonly deps: CityCodeDeps) {}

  private get db() {
    return this.deps.db;
  }

  async settings(db: DbOrTx = this.db): Promise<CityCodeSettings> {
    const stored = await readSetting<Partial<CityCodeSettings>>(db, SETTINGS_KEY);
    return { ...DEFAULT_CODE_SETTINGS, ...(stored ?? {}) };
  }

  /** Settings and policies as the scan path reads them: from memory for a few seconds (changes here drop the copy). */
  async scanConfig(scenario: string): Promise<{ settings: CityCodeSettings; policy: Policy }> {
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
      await writeSetting(tx, SETTINGS_KEY, next);
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
}
