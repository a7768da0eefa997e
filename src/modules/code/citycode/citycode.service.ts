// The personal dynamic city code (一码通城): issuing, freezing, terminals, the scan decision and the scan log.
//
// A code is a CWT signed by the bureau's city-code key (through the trust part); the subject is a stable
// pseudonym (HMAC of the account id), never the ID number. A scan runs the offline verifier library against
// the trust lists held now (own + partners'), with the replay guard backed by code_seen, then the server-only
// state (frozen, health) and the terminal's scenario policy, and logs the outcome for the person to see.
//
// This file is the façade the module's routes, jobs and seeds use; the work is done in its rooms:
// citycode.settings.ts (settings and scenario policies), citycode.person.ts (subjects, cards, issuing,
// freezing, the person's log), citycode.terminals.ts (terminals and their keys), citycode.scan.ts (the scan
// decision, statistics, housekeeping).
import type { TrustStore } from '../../../lib/verifier';
import type { Actor } from '../../../platform/auth/actor';
import type { DbOrTx } from '../../../platform/db/client';
import type { Page } from '../../../platform/http/paging';
import type { CityCodeDeps, CityCodeSettings, ScanLogEntry, ScanResult, TerminalRow } from './citycode.model';
import { CodeHolders } from './citycode.person';
import { CodeScanner } from './citycode.scan';
import { CodeSettings } from './citycode.settings';
import { CodeTerminals } from './citycode.terminals';
import type { CardKind, Policy, Scenario } from './policies';

export { DEFAULT_CODE_SETTINGS, PURGE_SEEN_JOB } from './citycode.model';
export type { CityCodeDeps, CityCodeSettings, ScanLogEntry, ScanResult, TerminalRow } from './citycode.model';

export class CityCodeService {
  private readonly config: CodeSettings;
  private readonly holders: CodeHolders;
  private readonly terminals: CodeTerminals;
  private readonly scanner: CodeScanner;

  constructor(readonly deps: CityCodeDeps) {
    this.config = new CodeSettings(deps);
    this.holders = new CodeHolders(deps, this.config);
    this.terminals = new CodeTerminals(deps, this.config);
    this.scanner = new CodeScanner(deps, this.config, this.holders, this.terminals);
    // A rotated key or a deactivated partner must count at the next scan, not after the cache expires.
    deps.trust.onChange(() => this.invalidateTrust());
  }

  // ---- settings and policies (citycode.settings.ts) ---------------------------------------------------

  settings(db: DbOrTx = this.deps.db): Promise<CityCodeSettings> {
    return this.config.settings(db);
  }

  putSettings(actor: Actor, patch: Partial<CityCodeSettings>): Promise<CityCodeSettings> {
    return this.config.putSettings(actor, patch);
  }

  /** The four scenario policies; the defaults are written on first read, then the table is the truth. */
  policies(): Promise<Policy[]> {
    return this.config.policies();
  }

  policy(scenario: string): Promise<Policy> {
    return this.config.policy(scenario);
  }

  putPolicy(actor: Actor, scenario: Scenario, input: Pick<Policy, 'discloses' | 'requires' | 'refuseHealth'>): Promise<Policy> {
    return this.config.putPolicy(actor, scenario, input);
  }

  // ---- subjects and issuing (citycode.person.ts) ------------------------------------------------------

  /** The person's pseudonym: stable, unlinkable to the account without the master key. */
  subjectFor(userId: string): string {
    return this.holders.subjectFor(userId);
  }

  cards(userId: string): Promise<{ kind: CardKind; ref: string }[]> {
    return this.holders.cards(userId);
  }

  /** A fresh signed code for the caller (or the frozen state, without a payload). */
  myCode(actor: Actor) {
    return this.holders.myCode(actor);
  }

  freeze(actor: Actor) {
    return this.holders.freeze(actor);
  }

  /** Unfreezing needs the password again (the phone may be in someone else's hands); old codes stay dead. */
  unfreeze(actor: Actor, password: string) {
    return this.holders.unfreeze(actor, password);
  }

  myScans(actor: Actor, q: { limit: number; offset: number }): Promise<Page<ScanLogEntry>> {
    return this.holders.myScans(actor, q);
  }

  /** Fused cards for a person (demo seed and tests): refs are opaque, derived from the pseudonym. */
  fuseDemoCards(userId: string, health: 'green' | 'yellow' | 'red' = 'green') {
    return this.holders.fuseDemoCards(userId, health);
  }

  setHealth(actor: Actor, userId: string, health: 'green' | 'yellow' | 'red') {
    return this.holders.setHealth(actor, userId, health);
  }

  // ---- terminals (citycode.terminals.ts) --------------------------------------------------------------

  listTerminals(q: { limit: number; offset: number; scenario?: string; active?: boolean }) {
    return this.terminals.listTerminals(q);
  }

  /**
   * Register a terminal: its service account (role code_terminal in the owner organisation, which anchors the
   * department-scoped role), then an API key. The key is returned here once; only its hash is kept.
   */
  createTerminal(actor: Actor, input: { name: string; place: string; district?: string; scenario: Scenario; ownerOrgId?: string }) {
    return this.terminals.createTerminal(actor, input);
  }

  updateTerminal(actor: Actor, id: string, patch: { name?: string; place?: string; district?: string | null; scenario?: Scenario; active?: boolean }) {
    return this.terminals.updateTerminal(actor, id, patch);
  }

  /** A new key for a terminal (lost or leaked key, or bringing a deactivated terminal back); the old key stops at once. */
  rotateTerminalKey(actor: Actor, id: string) {
    return this.terminals.rotateTerminalKey(actor, id);
  }

  /** The terminal calling with its API key (cached briefly; a revoked key is refused by the platform anyway). */
  terminalOf(actor: Actor): Promise<TerminalRow> {
    return this.terminals.terminalOf(actor);
  }

  /** What a terminal needs to know about itself (its set-up check and its offline mode). */
  terminalInfo(actor: Actor) {
    return this.terminals.terminalInfo(actor);
  }

  // ---- scanning, statistics, housekeeping (citycode.scan.ts) ------------------------------------------

  /** The trust lists held now, as a store; rebuilt every few seconds so a refreshed partner list takes effect. */
  trustStore(at: Date): Promise<TrustStore> {
    return this.scanner.trustStore(at);
  }

  /** Drop the cached trust store (after a key rotation or a partner refresh). */
  invalidateTrust() {
    this.scanner.invalidateTrust();
  }

  scan(actor: Actor, payload: string): Promise<ScanResult> {
    return this.scanner.scan(actor, payload);
  }

  stats(q: { days: number }) {
    return this.scanner.stats(q);
  }

  /** Forget one-time ids whose codes can no longer pass anyway (past expiry plus the skew). */
  purgeSeen(now = new Date()): Promise<number> {
    return this.scanner.purgeSeen(now);
  }
}
