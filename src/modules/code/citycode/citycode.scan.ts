// The scan decision and the scan log: the offline verifier library against the trust lists held now (own
// + partners'), with the replay guard backed by code_seen, then the server-only state (frozen, health) and
// the terminal's scenario policy; the outcome is logged for the person to see. Also the statistics and the
// purge of one-time ids that can no longer pass.
import { eq, gte, lt, sql } from 'drizzle-orm';
import { TrustStore, verifyCityCode, type Reason } from '../../../lib/verifier';
import type { Actor } from '../../../platform/auth/actor';
import { accountSummary, idNumberSealed } from '../../../platform/auth/accounts';
import { rows as rawRows } from '../../../platform/db/client';
import { CACHE_MS, CARD_FIELDS, type CityCodeDeps, type ScanResult } from './citycode.model';
import type { CodeHolders } from './citycode.person';
import { codeScans, codeSeen, codeSubjects, codeTerminals } from './citycode.schema';
import type { CodeSettings } from './citycode.settings';
import type { CodeTerminals } from './citycode.terminals';
import { applyPolicy, type Scenario, type SubjectFacts } from './policies';

export class CodeScanner {
  private trustCache: { store: TrustStore; until: number } | null = null;

  constructor(
    private readonly deps: CityCodeDeps,
    private readonly config: CodeSettings,
    private readonly holders: CodeHolders,
    private readonly terminals: CodeTerminals,
  ) {}

  private get db() {
    return this.deps.db;
  }

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
    const terminal = await this.terminals.terminalOf(actor);
    const { policy, settings } = await this.config.scanConfig(terminal.scenario);
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
        const [s] = await this.db.select().from(codeSubjects).where(eq(codeSubjects.sub, claims.sub));
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
            const cards = needsCards ? Object.fromEntries((await this.holders.cards(s.userId)).map((c) => [c.kind, c.ref])) : {};
            // The account's name and ID number come from the platform's account look-ups. The stored masked ID
            // keeps fewer digits than a hall terminal is shown, so the policy masks the revealed number itself.
            const [account, sealed] = await Promise.all([accountSummary(this.db, s.userId), idNumberSealed(this.db, s.userId)]);
            const idNumber = sealed?.idNumberEnc ? this.deps.auth.revealIdNumber({ idNumberEnc: sealed.idNumberEnc }) : null;
            facts = { pseudonym: s.sub, health: s.health, name: account?.displayName ?? undefined, idNumber: idNumber ?? undefined, cards };
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
    const { skewSeconds } = await this.config.settings();
    const r = await this.db
      .delete(codeSeen)
      .where(lt(codeSeen.exp, new Date(now.getTime() - skewSeconds * 1000)))
      .returning({ cti: codeSeen.cti });
    return r.length;
  }
}
