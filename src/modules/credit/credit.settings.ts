// Configuration of credit supervision: the day it is (injectable for tests), the repair time limits and
// the serious-penalty amount (an installation setting), and the publication regimes by severity with
// their effective dates. Every other room of the service reads them from here.
import { asc, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Actor } from '../../platform/auth/actor';
import { inTransaction, rows as rawRows, type Db, type DbOrTx } from '../../platform/db/client';
import { readSetting, writeSetting } from '../../platform/db/settings';
import { errors } from '../../platform/http/problem';
import { todayInShanghai } from '../../platform/ids';
import type { OrgService } from '../org';
import { creditRegimes } from './credit.schema';
import { DEFAULT_REGIMES, regimeProblems, type Regime, type Severity } from './windows';

export interface CreditSettings {
  /** Working days to accept a submitted repair application. */
  acceptDays: number;
  /** Working days to decide after acceptance (or after resubmitted material). */
  decideDays: number;
  /** Fine plus confiscation (万元) from which a penalty counts as serious. */
  seriousAmount: number;
}
export const DEFAULT_SETTINGS: CreditSettings = { acceptDays: 3, decideDays: 7, seriousAmount: 10 };
const SETTINGS_KEY = 'credit.settings';

export interface CreditDeps {
  db: Db;
  orgs: OrgService;
  masterKey: Buffer;
  today?: () => string;
}

export class CreditConfig {
  private readonly db: Db;
  constructor(private readonly d: CreditDeps) {
    this.db = d.db;
  }

  today(): string {
    return this.d.today?.() ?? todayInShanghai();
  }

  async settings(db: DbOrTx = this.db): Promise<CreditSettings> {
    const stored = await readSetting<Partial<CreditSettings>>(db, SETTINGS_KEY);
    return { ...DEFAULT_SETTINGS, ...(stored ?? {}) };
  }

  async regimes(db: DbOrTx = this.db): Promise<Regime[]> {
    const r = await db.select().from(creditRegimes).orderBy(asc(creditRegimes.effectiveFrom), asc(creditRegimes.severity));
    if (!r.length) return DEFAULT_REGIMES;
    return r.map((x) => ({ severity: x.severity as Severity, minMonths: x.minMonths, maxMonths: x.maxMonths, effectiveFrom: x.effectiveFrom, note: x.note }));
  }

  async getRegimes() {
    return { items: await this.regimes(), limits: await this.settings() };
  }

  async putRegimes(actor: Actor, input: { items: Regime[]; limits?: Partial<CreditSettings> }) {
    const problems = regimeProblems(input.items);
    if (problems.length) throw errors.validation(problems.map((p) => ({ path: `/body${p.path}`, message: p.message })));
    const before = await this.getRegimes();
    const limits = { ...before.limits, ...(input.limits ?? {}) };
    await inTransaction(this.db, async (tx) => {
      await tx.delete(creditRegimes);
      await tx.insert(creditRegimes).values(input.items.map((r) => ({ severity: r.severity, minMonths: r.minMonths, maxMonths: r.maxMonths, effectiveFrom: r.effectiveFrom, note: r.note ?? null })));
      await writeSetting(tx, SETTINGS_KEY, limits);
      await recordAudit(tx, actor, { action: 'credit.regimes.update', entityType: 'credit_regimes', before, after: { items: input.items, limits } });
    });
    return this.getRegimes();
  }

  /** Seed the standard's regimes when none are configured (reference data, idempotent). */
  async seedRegimes(): Promise<void> {
    const [{ n }] = await rawRows<{ n: number }>(this.db, sql`select count(*)::int as n from credit_regimes`);
    if (n === 0) await this.db.insert(creditRegimes).values(DEFAULT_REGIMES.map((r) => ({ ...r, note: r.note ?? null }))).onConflictDoNothing();
  }
}
