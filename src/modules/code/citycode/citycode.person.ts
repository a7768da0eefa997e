// The person's side of the city code: the pseudonymous subject, fused cards, issuing a fresh signed code,
// freezing and unfreezing, the person's scan log, and the demo cards and health colour.
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { count, desc, eq } from 'drizzle-orm';
import { issueCityCode, type CityCodeClaims } from '../../../lib/verifier';
import { recordAudit } from '../../../platform/audit/audit.service';
import type { Actor } from '../../../platform/auth/actor';
import { inTransaction } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import { base32, CLAIM_CARDS, type CityCodeDeps, type ScanLogEntry } from './citycode.model';
import { codeCards, codeScans, codeSubjects } from './citycode.schema';
import type { CodeSettings } from './citycode.settings';
import { CARD_KINDS, type CardKind } from './policies';

export class CodeHolders {
  private readonly subKey: Buffer;

  constructor(
    private readonly deps: CityCodeDeps,
    private readonly config: CodeSettings,
  ) {
    this.subKey = Buffer.from(hkdfSync('sha256', deps.config.masterKey, Buffer.alloc(0), 'dq city-code subject', 32));
  }

  private get db() {
    return this.deps.db;
  }

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
    const settings = await this.config.settings();
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

  async myScans(actor: Actor, q: { limit: number; offset: number }): Promise<Page<ScanLogEntry>> {
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
