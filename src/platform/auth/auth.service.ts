// Accounts, password login with progressive delays and address throttling, sessions, TOTP and API keys.
// The HTTP routes that expose these live in modules/identity; this file holds the rules.
import { and, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Config } from '../../config';
import { recordAudit } from '../audit/audit.service';
import { type Db, type DbOrTx, inTransaction } from '../db/client';
import { errors } from '../http/problem';
import { blindIndex, decrypt, encrypt, randomToken, sha256Hex } from '../crypto/secrets';
import { newTotpSecret, otpauthUri, verifyTotp } from '../crypto/totp';
import { citizenIdProblem, maskCitizenId } from '../ids';
import type { Actor, ActorGrant } from './actor';
import { apiKeys, roleAssignments, roles, sessions, users } from './auth.schema';
import { AddressThrottle, accountDelaySeconds } from './login-throttle';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords';
import type { RoleScope } from './permissions';

export type UserRow = typeof users.$inferSelect;
export type UserKind = 'citizen' | 'enterprise' | 'staff';

/** What auth needs to know about organisations, supplied by the org module (platform knows no domain). */
export interface OrgResolver {
  /** Materialised path of the organisation ("/<id>/<id>/"), or null. */
  pathOf(orgId: string): Promise<string | null>;
  /** Path of the district the organisation lies in (itself when it is a district), or null. */
  districtPathOf(orgId: string): Promise<string | null>;
}

export interface NewUser {
  username: string;
  displayName: string;
  kind: UserKind;
  password: string;
  orgId?: string | null;
  idNumber?: string | null;
  phone?: string | null;
  roles: string[];
  locale?: string;
  isDemo?: boolean;
}

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  kind: string;
  orgId: string | null;
  idNumberMasked: string | null;
  phoneMasked: string | null;
  locale: string;
  /** 适老化 elder mode of the portal, remembered per account. */
  elderMode: boolean;
  totpEnabled: boolean;
  status: string;
  roles: string[];
  lastLoginAt: string | null;
  createdAt: string;
  locked: boolean;
}

const ID_CONTEXT = 'users.id_number';
const TOTP_CONTEXT = 'users.totp_secret';

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? phone.slice(0, 3) + '****' + phone.slice(-4) : '****';
}

export class AuthService {
  private cityNames: string[] = [];
  private readonly addressThrottle: AddressThrottle;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private orgs: OrgResolver,
  ) {
    this.addressThrottle = new AddressThrottle(config.loginAddressMaxFailures, config.loginAddressWindowMinutes * 60_000);
  }

  setOrgResolver(r: OrgResolver) {
    this.orgs = r;
  }

  /** The city's names, which no password may contain (from the city file; platform knows no city). */
  setCityNames(names: string[]) {
    this.cityNames = names;
  }

  // ---- accounts -------------------------------------------------------------------------------

  async createUser(actor: Actor, input: NewUser, tx?: DbOrTx): Promise<PublicUser> {
    const problems: { path: string; message: string }[] = [];
    if (!/^[A-Za-z0-9_.@-]{3,64}$/.test(input.username)) problems.push({ path: '/username', message: 'use 3-64 letters, digits, _ . @ -' });
    // Demo accounts share one published password (the seed's); every real account meets the whole policy.
    const pw = passwordProblem(input.password, input.isDemo ? {} : { username: input.username, displayName: input.displayName, cityNames: this.cityNames });
    if (pw) problems.push({ path: '/password', message: pw });
    if (input.kind === 'citizen' && !input.idNumber) problems.push({ path: '/idNumber', message: 'a citizen account needs a verified ID number' });
    if (input.idNumber) {
      const p = citizenIdProblem(input.idNumber);
      if (p) problems.push({ path: '/idNumber', message: `not a valid GB 11643 ID number (${p})` });
    }
    if (input.kind !== 'citizen' && !input.orgId) problems.push({ path: '/orgId', message: 'staff and enterprise accounts belong to an organisation' });
    if (input.phone && !/^1\d{10}$/.test(input.phone)) problems.push({ path: '/phone', message: 'a mainland mobile number has 11 digits starting with 1' });
    if (problems.length) throw errors.validation(problems);

    const knownRoles = await this.db.select({ code: roles.code }).from(roles).where(inArray(roles.code, input.roles.length ? input.roles : ['-']));
    const missing = input.roles.filter((r) => !knownRoles.some((k) => k.code === r));
    if (missing.length) throw errors.field('/roles', `unknown role(s): ${missing.join(', ')}`);

    const passwordHash = await hashPassword(input.password);
    const run = async (t: DbOrTx) => {
      const [dup] = await t.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${input.username})`);
      if (dup) throw errors.conflict(`username ${input.username} is taken`);
      const idHash = input.idNumber ? blindIndex(this.config.masterKey, input.idNumber, ID_CONTEXT) : null;
      if (idHash) {
        const [dupId] = await t.select({ id: users.id }).from(users).where(eq(users.idNumberHash, idHash));
        if (dupId) throw errors.conflict('an account with this ID number already exists');
      }
      const [row] = await t
        .insert(users)
        .values({
          username: input.username,
          displayName: input.displayName,
          kind: input.kind,
          passwordHash,
          orgId: input.orgId ?? null,
          idNumberEnc: input.idNumber ? encrypt(this.config.masterKey, input.idNumber, ID_CONTEXT) : null,
          idNumberHash: idHash,
          idNumberMasked: input.idNumber ? maskCitizenId(input.idNumber) : null,
          phoneMasked: input.phone ? maskPhone(input.phone) : null,
          locale: input.locale ?? 'zh-CN',
          isDemo: input.isDemo ?? false,
        })
        .returning();
      if (input.roles.length) await t.insert(roleAssignments).values(input.roles.map((r) => ({ userId: row.id, roleCode: r })));
      const pub = toPublic(row, input.roles);
      await recordAudit(t, actor, { action: 'user.create', entityType: 'user', entityId: row.id, orgId: row.orgId, after: pub });
      return pub;
    };
    return tx ? run(tx) : inTransaction(this.db, run);
  }

  async getUser(id: string): Promise<PublicUser | null> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    if (!row) return null;
    return toPublic(row, await this.rolesOf(row.id));
  }

  /** Display names of several accounts at once (for lists that show who is on the other side). */
  async displayNames(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, unique));
    return new Map(rows.map((r) => [r.id, r.displayName]));
  }

  async findByUsername(username: string): Promise<UserRow | null> {
    const [row] = await this.db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
    return row ?? null;
  }

  async findByIdNumber(idNumber: string): Promise<UserRow | null> {
    const [row] = await this.db.select().from(users).where(eq(users.idNumberHash, blindIndex(this.config.masterKey, idNumber, ID_CONTEXT)));
    return row ?? null;
  }

  /** The clear ID number, for the holder themselves or a service with a legal need. */
  revealIdNumber(row: Pick<UserRow, 'idNumberEnc'>): string | null {
    return row.idNumberEnc ? decrypt(this.config.masterKey, row.idNumberEnc, ID_CONTEXT) : null;
  }

  async rolesOf(userId: string): Promise<string[]> {
    const r = await this.db.select({ code: roleAssignments.roleCode }).from(roleAssignments).where(eq(roleAssignments.userId, userId));
    return r.map((x) => x.code).sort();
  }

  async setRoles(actor: Actor, userId: string, roleCodes: string[]): Promise<PublicUser> {
    return inTransaction(this.db, async (tx) => {
      const [row] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
      if (!row) throw errors.notFound('user');
      const known = roleCodes.length ? await tx.select({ code: roles.code }).from(roles).where(inArray(roles.code, roleCodes)) : [];
      const missing = roleCodes.filter((r) => !known.some((k) => k.code === r));
      if (missing.length) throw errors.field('/roles', `unknown role(s): ${missing.join(', ')}`);
      const before = await this.rolesOfTx(tx, userId);
      await tx.delete(roleAssignments).where(eq(roleAssignments.userId, userId));
      if (roleCodes.length) await tx.insert(roleAssignments).values(roleCodes.map((r) => ({ userId, roleCode: r })));
      await recordAudit(tx, actor, { action: 'user.roles', entityType: 'user', entityId: userId, orgId: row.orgId, before: { roles: before }, after: { roles: roleCodes } });
      return toPublic(row, [...roleCodes].sort());
    });
  }

  private async rolesOfTx(tx: DbOrTx, userId: string) {
    const r = await tx.select({ code: roleAssignments.roleCode }).from(roleAssignments).where(eq(roleAssignments.userId, userId));
    return r.map((x) => x.code).sort();
  }

  async updateUser(actor: Actor, userId: string, patch: { displayName?: string; status?: 'active' | 'disabled'; orgId?: string | null; locale?: string; elderMode?: boolean; unlock?: boolean }): Promise<PublicUser> {
    return inTransaction(this.db, async (tx) => {
      const [row] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
      if (!row) throw errors.notFound('user');
      const set: Partial<UserRow> = { updatedAt: new Date() };
      if (patch.displayName !== undefined) set.displayName = patch.displayName;
      if (patch.status !== undefined) set.status = patch.status;
      if (patch.orgId !== undefined) set.orgId = patch.orgId;
      if (patch.locale !== undefined) set.locale = patch.locale;
      if (patch.elderMode !== undefined) set.elderMode = patch.elderMode;
      if (patch.unlock) {
        set.failedLogins = 0;
        set.lockedUntil = null;
      }
      const [updated] = await tx.update(users).set(set).where(eq(users.id, userId)).returning();
      const roleList = await this.rolesOfTx(tx, userId);
      if (patch.status === 'disabled') await tx.delete(sessions).where(eq(sessions.userId, userId));
      await recordAudit(tx, actor, {
        action: 'user.update',
        entityType: 'user',
        entityId: userId,
        orgId: updated.orgId,
        before: pick(toPublic(row, roleList), Object.keys(patch)),
        after: pick(toPublic(updated, roleList), Object.keys(patch)),
      });
      return toPublic(updated, roleList);
    });
  }

  /** Whether `password` is the account's password (re-confirmation before a sensitive step); the hash
   *  never leaves this service. An unknown account costs the same work and answers false. */
  async checkPassword(userId: string, password: string): Promise<boolean> {
    const [row] = await this.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
    if (!row) {
      await verifyPassword(await dummyPasswordHash(), password);
      return false;
    }
    return verifyPassword(row.passwordHash, password);
  }

  async changePassword(actor: Actor, userId: string, current: string | null, next: string): Promise<void> {
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
    if (!row) throw errors.notFound('user');
    if (current !== null && !(await verifyPassword(row.passwordHash, current))) throw errors.field('/currentPassword', 'the current password is wrong');
    const p = passwordProblem(next, { username: row.username, displayName: row.displayName, cityNames: this.cityNames });
    if (p) throw errors.field('/newPassword', p);
    const hash = await hashPassword(next);
    await inTransaction(this.db, async (tx) => {
      await tx.update(users).set({ passwordHash: hash, updatedAt: new Date(), failedLogins: 0, lockedUntil: null }).where(eq(users.id, userId));
      await recordAudit(tx, actor, { action: 'user.password', entityType: 'user', entityId: userId, orgId: row.orgId });
    });
  }

  // ---- login and sessions ---------------------------------------------------------------------

  /**
   * Check username and password. An unknown account, a wrong password and an attempt made while the
   * account must wait (login-throttle.ts) all end in the same InvalidLogin after the same argon2 work, so
   * the answer never tells whether an account exists or is being slowed down. Failures from one address
   * across accounts end in 429 once past the address limit.
   */
  async login(
    actor: Actor,
    username: string,
    password: string,
    meta: { ip?: string; userAgent?: string },
  ): Promise<{ token: string; csrfToken: string; user: PublicUser; mfaRequired: boolean; expiresAt: Date }> {
    const wait = this.addressThrottle.retryAfter(meta.ip);
    if (wait > 0) throw errors.tooMany(`too many failed sign-ins from this address; try again in ${wait} s`, wait);
    const row = await this.findByUsername(username);
    const waiting = !!row?.lockedUntil && row.lockedUntil > new Date();
    if (!row || waiting) {
      await verifyPassword(await dummyPasswordHash(), password);
      this.addressThrottle.fail(meta.ip);
      throw new InvalidLogin();
    }
    const ok = await verifyPassword(row.passwordHash, password);
    if (!ok) {
      this.addressThrottle.fail(meta.ip);
      const failures = row.failedLogins + 1;
      const delay = accountDelaySeconds(failures, this.config.loginMaxFailures, this.config.lockoutMinutes);
      await inTransaction(this.db, async (tx) => {
        await tx
          .update(users)
          .set({ failedLogins: failures, lockedUntil: delay ? new Date(Date.now() + delay * 1000) : null })
          .where(eq(users.id, row.id));
        await recordAudit(tx, { ...actor, userId: row.id, username: row.username }, {
          action: failures === this.config.loginMaxFailures ? 'auth.lockout' : 'auth.login-failed',
          entityType: 'user',
          entityId: row.id,
          orgId: row.orgId,
          note: delay ? { failures, waitSeconds: delay } : { failures },
        });
      });
      throw new InvalidLogin();
    }
    if (row.status !== 'active') throw errors.forbidden('this account is disabled');
    const roleList = await this.rolesOf(row.id);
    const mfaRequired = row.totpEnabled;
    const token = randomToken(32);
    const csrfToken = randomToken(24);
    const expiresAt = new Date(Date.now() + this.config.sessionHours * 3600_000);
    const needsEnrolment = this.config.requireAdminTotp && roleList.includes('admin') && !row.totpEnabled;
    await inTransaction(this.db, async (tx) => {
      await tx.insert(sessions).values({
        tokenHash: sha256Hex(token),
        userId: row.id,
        csrfToken,
        mfaPassed: !mfaRequired && !needsEnrolment,
        ip: meta.ip ?? null,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
        expiresAt,
      });
      await tx.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() }).where(eq(users.id, row.id));
      await recordAudit(tx, { ...actor, userId: row.id, username: row.username }, { action: 'auth.login', entityType: 'user', entityId: row.id, orgId: row.orgId, note: { mfaRequired } });
    });
    return { token, csrfToken, user: toPublic(row, roleList), mfaRequired: mfaRequired || needsEnrolment, expiresAt };
  }

  async resolveSession(token: string): Promise<{ userId: string; csrfToken: string; mfaPassed: boolean; tokenHash: string } | null> {
    const tokenHash = sha256Hex(token);
    const [s] = await this.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date())));
    if (!s) return null;
    // Touch at most once a minute: a read-heavy page should not turn into a write per request.
    if (Date.now() - s.lastSeenAt.getTime() > 60_000) {
      await this.db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.tokenHash, tokenHash));
    }
    return { userId: s.userId, csrfToken: s.csrfToken, mfaPassed: s.mfaPassed, tokenHash };
  }

  async logout(actor: Actor, token: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const r = await tx.delete(sessions).where(eq(sessions.tokenHash, sha256Hex(token))).returning({ userId: sessions.userId });
      if (r.length) await recordAudit(tx, actor, { action: 'auth.logout', entityType: 'user', entityId: r[0].userId });
    });
  }

  async purgeExpiredSessions(): Promise<number> {
    const r = await this.db.delete(sessions).where(lt(sessions.expiresAt, new Date())).returning({ t: sessions.tokenHash });
    return r.length;
  }

  // ---- TOTP -----------------------------------------------------------------------------------

  /** Start enrolment: a new secret, stored encrypted but not yet active until a code confirms it. */
  async beginTotp(actor: Actor, userId: string): Promise<{ secret: string; otpauthUri: string }> {
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
    if (!row) throw errors.notFound('user');
    if (row.totpEnabled) throw errors.conflict('two-factor sign-in is already enabled');
    const secret = newTotpSecret();
    await this.db.update(users).set({ totpSecretEnc: encrypt(this.config.masterKey, secret, TOTP_CONTEXT) }).where(eq(users.id, userId));
    return { secret, otpauthUri: otpauthUri(secret, row.username, 'Digital Qingdao') };
  }

  async confirmTotp(actor: Actor, userId: string, code: string, sessionTokenHash?: string): Promise<void> {
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
    if (!row?.totpSecretEnc) throw errors.conflict('start enrolment first');
    const secret = decrypt(this.config.masterKey, row.totpSecretEnc, TOTP_CONTEXT);
    const step = verifyTotp(secret, code, Date.now(), row.totpLastStep);
    if (step === null) throw errors.field('/code', 'the code is wrong or expired');
    await inTransaction(this.db, async (tx) => {
      await tx.update(users).set({ totpEnabled: true, totpLastStep: step }).where(eq(users.id, userId));
      if (sessionTokenHash) await tx.update(sessions).set({ mfaPassed: true }).where(eq(sessions.tokenHash, sessionTokenHash));
      await recordAudit(tx, actor, { action: 'auth.totp-enabled', entityType: 'user', entityId: userId, orgId: row.orgId });
    });
  }

  /** Second step of login: the session becomes full once a valid, unused code is given. */
  async verifySecondFactor(actor: Actor, sessionTokenHash: string, userId: string, code: string): Promise<void> {
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
    if (!row?.totpEnabled || !row.totpSecretEnc) throw errors.conflict('two-factor sign-in is not enabled for this account');
    const secret = decrypt(this.config.masterKey, row.totpSecretEnc, TOTP_CONTEXT);
    const step = verifyTotp(secret, code, Date.now(), row.totpLastStep);
    if (step === null) {
      await recordAudit(this.db, actor, { action: 'auth.totp-failed', entityType: 'user', entityId: userId, orgId: row.orgId });
      throw errors.field('/code', 'the code is wrong or expired');
    }
    await inTransaction(this.db, async (tx) => {
      await tx.update(users).set({ totpLastStep: step }).where(eq(users.id, userId));
      await tx.update(sessions).set({ mfaPassed: true }).where(eq(sessions.tokenHash, sessionTokenHash));
      await recordAudit(tx, actor, { action: 'auth.totp-passed', entityType: 'user', entityId: userId, orgId: row.orgId });
    });
  }

  async disableTotp(actor: Actor, userId: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      await tx.update(users).set({ totpEnabled: false, totpSecretEnc: null, totpLastStep: null }).where(eq(users.id, userId));
      await recordAudit(tx, actor, { action: 'auth.totp-disabled', entityType: 'user', entityId: userId });
    });
  }

  // ---- API keys -------------------------------------------------------------------------------

  /** Create a key; the full key is returned once and only its hash is kept. */
  async createApiKey(actor: Actor, input: { name: string; userId: string; scopes: string[]; expiresAt?: Date | null }): Promise<{ key: string; id: string; prefix: string }> {
    const prefix = randomToken(6).replace(/[-_]/g, 'x');
    const secret = randomToken(32);
    const key = `dqk_${prefix}_${secret}`;
    return inTransaction(this.db, async (tx) => {
      const [owner] = await tx.select({ id: users.id, orgId: users.orgId }).from(users).where(eq(users.id, input.userId));
      if (!owner) throw errors.field('/userId', 'no such account');
      const [row] = await tx
        .insert(apiKeys)
        .values({ prefix, secretHash: sha256Hex(secret), name: input.name, userId: input.userId, scopes: input.scopes, createdBy: actor.userId, expiresAt: input.expiresAt ?? null })
        .returning();
      await recordAudit(tx, actor, { action: 'apikey.create', entityType: 'api_key', entityId: row.id, orgId: owner.orgId, after: { name: row.name, prefix, scopes: row.scopes, userId: row.userId } });
      return { key, id: row.id, prefix };
    });
  }

  async revokeApiKey(actor: Actor, id: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const r = await tx.update(apiKeys).set({ revokedAt: new Date() }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning();
      if (!r.length) throw errors.notFound('active API key');
      await recordAudit(tx, actor, { action: 'apikey.revoke', entityType: 'api_key', entityId: id, before: { name: r[0].name, prefix: r[0].prefix } });
    });
  }

  async resolveApiKey(key: string): Promise<{ keyId: string; userId: string; scopes: string[] } | null> {
    const m = /^dqk_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/.exec(key);
    if (!m) return null;
    const [row] = await this.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.prefix, m[1]), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date()))));
    if (!row || row.secretHash !== sha256Hex(m[2])) return null;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      await this.db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id));
    }
    return { keyId: row.id, userId: row.userId, scopes: row.scopes };
  }

  // ---- actors ---------------------------------------------------------------------------------

  /** Build the Actor for an account: its roles, each role's scope resolved to an organisation subtree. */
  async loadActor(userId: string, via: Actor['via'], narrowTo?: string[]): Promise<Actor | null> {
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
    if (!row || row.status !== 'active') return null;
    const roleRows = await this.db
      .select({ code: roles.code, scope: roles.scope, permissions: roles.permissions })
      .from(roleAssignments)
      .innerJoin(roles, eq(roles.code, roleAssignments.roleCode))
      .where(eq(roleAssignments.userId, userId));
    const grants: ActorGrant[] = [];
    for (const r of roleRows) {
      const perms = new Set(narrowTo ? r.permissions.filter((p) => narrowTo.includes(p)) : r.permissions);
      const scope = r.scope as RoleScope;
      let pathPrefix: string | null = null;
      if (scope === 'department') pathPrefix = row.orgId ? await this.orgs.pathOf(row.orgId) : null;
      if (scope === 'district') pathPrefix = row.orgId ? await this.orgs.districtPathOf(row.orgId) : null;
      // A scoped role without an organisation to anchor it grants nothing rather than everything.
      if ((scope === 'department' || scope === 'district') && !pathPrefix) continue;
      grants.push({ scope, pathPrefix, permissions: perms });
    }
    const permissions = new Set(grants.flatMap((g) => [...g.permissions]));
    return {
      userId: row.id,
      username: row.username,
      displayName: row.displayName,
      kind: row.kind as Actor['kind'],
      orgId: row.orgId,
      locale: row.locale,
      roles: roleRows.map((r) => r.code).sort(),
      grants,
      permissions,
      via,
    };
  }
}

export class InvalidLogin extends Error {
  constructor() {
    super('wrong username or password');
  }
}

export function toPublic(row: UserRow, roleList: string[]): PublicUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    kind: row.kind,
    orgId: row.orgId,
    idNumberMasked: row.idNumberMasked,
    phoneMasked: row.phoneMasked,
    locale: row.locale,
    elderMode: row.elderMode,
    totpEnabled: row.totpEnabled,
    status: row.status,
    roles: roleList,
    lastLoginAt: row.lastLoginAt ? row.lastLoginAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    locked: !!row.lockedUntil && row.lockedUntil > new Date(),
  };
}

function pick<T extends object>(o: T, keys: string[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (k in o) (out as Record<string, unknown>)[k] = (o as Record<string, unknown>)[k];
  return out;
}
