// The holder's wallet and the verifier: claiming certificates by verified holder code, issuing SD-JWT VC
// credentials bound to the holder's browser key, one-time presentation handles, verifier requests and
// verification (trust, status, holder binding, nonce), and certificates used in service-hall applications.
import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { calculateJwkThumbprint } from 'jose';
import { randomInt } from 'node:crypto';
import { TrustStore } from '../../../lib/verifier/trust';
import { issueSdJwt, verifySdJwtVc, type SdJwtVcResult } from '../../../lib/sd-jwt';
import type { Reason } from '../../../lib/verifier/types';
import { type Actor } from '../../../platform/auth/actor';
import { users } from '../../../platform/auth/auth.schema';
import { recordAudit } from '../../../platform/audit/audit.service';
import { decrypt, encrypt, randomToken } from '../../../platform/crypto/secrets';
import { inTransaction } from '../../../platform/db/client';
import { AppError, errors } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import { maskIdNumber } from '../../../platform/ids/masking';
import type { IssuerKeys } from '../../code';
import type { ModuleDeps } from '../../deps';
import type { CertificateRef, CertificateWallet, ResolvedCertificate, WalletAnswer } from '../../svc';
import type { CertificateReader, CertificateRecord } from '../contracts';
import { disclosableClaims, disclosableFields, shanghaiDayEndEpoch, shanghaiDayStartEpoch } from './fields';
import { StatusListCache } from './status';
import { walletConsents, walletCredentials, walletHoldings, walletPresentations, walletRequests, walletVerifications } from './wallet.schema';

export type WalletDeps = ModuleDeps & { trust: IssuerKeys; certificates: CertificateReader };

const CREDENTIAL_CONTEXT = 'wallet.credential';
const PRESENTATION_CONTEXT = 'wallet.presentation';
export const REQUEST_PREFIX = 'DQVR:';
export const HANDLE_PREFIX = 'DQVP:';
const REQUEST_TTL_SECONDS = 10 * 60;
const HANDLE_TTL_SECONDS = 5 * 60;
const MAX_PRESENTATION_CHARS = 64 * 1024;
/** Unambiguous characters for codes people type (no 0/O, 1/I/L, U). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomCode(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

export type EffectiveStatus = 'valid' | 'suspended' | 'revoked' | 'expired' | 'not-yet-valid';

export function effectiveStatus(rec: CertificateRecord, at = new Date()): EffectiveStatus {
  if (rec.status !== 'valid') return rec.status;
  const now = at.getTime() / 1000;
  if (rec.validUntil && shanghaiDayEndEpoch(rec.validUntil) < now) return 'expired';
  if (shanghaiDayStartEpoch(rec.validFrom) > now) return 'not-yet-valid';
  return 'valid';
}

export interface VerificationAnswer {
  valid: boolean;
  reason: Reason;
  message: string;
  issuer?: string;
  issuerName?: string;
  kid?: string;
  trustList?: string;
  certificate?: { name: string; nameEn?: string; type: string; identifier?: string; vct?: string };
  disclosed: Record<string, unknown>;
  /** Labels of the disclosed fields ([zh, en]) when the certificate type is known here. */
  labels: Record<string, [string, string]>;
  warnings: string[];
  verifiedAt: string;
}

function holderJwkProblem(jwk: unknown): string | null {
  if (typeof jwk !== 'object' || jwk === null) return 'must be a JWK object';
  const k = jwk as Record<string, unknown>;
  if ('d' in k) return 'must be a public key: never send the private part';
  if (k.kty !== 'EC' || k.crv !== 'P-256') return 'must be an EC P-256 key';
  if (typeof k.x !== 'string' || typeof k.y !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(k.x) || !/^[A-Za-z0-9_-]{43}$/.test(k.y)) return 'x and y must be 32-byte base64url coordinates';
  return null;
}

export class WalletService {
  readonly statusLists: StatusListCache;
  constructor(readonly deps: WalletDeps) {
    this.statusLists = new StatusListCache();
  }

  private get db() {
    return this.deps.db;
  }

  // ---- claim ------------------------------------------------------------------------------------

  /** The verified holder code of the caller: a citizen's ID number or their enterprise's credit code. */
  private async holderCodeOf(actor: Actor): Promise<string | null> {
    if (!actor.userId) return null;
    if (actor.kind === 'citizen') {
      const [row] = await this.db.select({ idNumberEnc: users.idNumberEnc }).from(users).where(eq(users.id, actor.userId));
      return row ? this.deps.auth.revealIdNumber(row) : null;
    }
    if (actor.kind === 'enterprise' && actor.orgId) return (await this.deps.orgs.byId(actor.orgId))?.creditCode ?? null;
    return null;
  }

  private selfOnly(actor: Actor): string {
    if (!actor.userId || (actor.kind !== 'citizen' && actor.kind !== 'enterprise')) throw errors.forbidden('the wallet is for citizens and enterprise users');
    return actor.userId;
  }

  private view(rec: CertificateRecord, at = new Date()) {
    return {
      certificateId: rec.id,
      identifier: rec.identifier,
      number: rec.number,
      typeName: rec.type.nameZh,
      typeNameEn: rec.type.nameEn,
      typeCode: rec.type.code,
      vct: rec.type.vct,
      holderName: rec.holderName,
      holderCodeMasked: rec.holderCodeType === '111' ? maskIdNumber(rec.holderCode) : rec.holderCode,
      issuerName: rec.issuerName,
      issuedOn: rec.issuedOn,
      validFrom: rec.validFrom,
      validUntil: rec.validUntil,
      status: effectiveStatus(rec, at),
    };
  }

  async claimable(actor: Actor) {
    const userId = this.selfOnly(actor);
    const code = await this.holderCodeOf(actor);
    if (!code) return { items: [] };
    const recs = await this.deps.certificates.byHolderCode(code);
    const held = new Set((await this.db.select({ c: walletHoldings.certificateId }).from(walletHoldings).where(eq(walletHoldings.userId, userId))).map((r) => r.c));
    return { items: recs.map((r) => ({ ...this.view(r), claimed: held.has(r.id) })) };
  }

  async claim(actor: Actor, certificateId: string) {
    const userId = this.selfOnly(actor);
    const code = await this.holderCodeOf(actor);
    const rec = await this.deps.certificates.get(certificateId);
    // Same answer for "no such certificate" and "someone else's": nothing to learn by probing ids.
    if (!rec || !code || rec.holderCode !== code) throw errors.notFound('certificate');
    return inTransaction(this.db, async (tx) => {
      const [existing] = await tx.select().from(walletHoldings).where(and(eq(walletHoldings.userId, userId), eq(walletHoldings.certificateId, rec.id)));
      if (existing) return { id: existing.id, claimedAt: existing.claimedAt.toISOString(), created: false, ...this.view(rec) };
      const [row] = await tx.insert(walletHoldings).values({ userId, certificateId: rec.id, identifier: rec.identifier }).returning();
      await recordAudit(tx, actor, { action: 'wallet.claim', entityType: 'wallet_holding', entityId: row.id, note: { certificateId: rec.id, identifier: rec.identifier, type: rec.type.nameZh } });
      return { id: row.id, claimedAt: row.claimedAt.toISOString(), created: true, ...this.view(rec) };
    });
  }

  async mine(actor: Actor, f: { limit: number; offset: number }): Promise<Page<ReturnType<WalletService['view']> & { id: string; claimedAt: string }>> {
    const userId = this.selfOnly(actor);
    const rows = await this.db.select().from(walletHoldings).where(eq(walletHoldings.userId, userId)).orderBy(desc(walletHoldings.claimedAt), desc(walletHoldings.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(walletHoldings).where(eq(walletHoldings.userId, userId));
    const items = [];
    for (const h of rows) {
      const rec = await this.deps.certificates.get(h.certificateId);
      if (rec) items.push({ id: h.id, claimedAt: h.claimedAt.toISOString(), ...this.view(rec) });
    }
    return { items, total: n, limit: f.limit, offset: f.offset };
  }

  private async holding(actor: Actor, id: string) {
    const userId = this.selfOnly(actor);
    const [h] = await this.db.select().from(walletHoldings).where(and(eq(walletHoldings.id, id), eq(walletHoldings.userId, userId)));
    if (!h) throw errors.notFound('wallet certificate');
    const rec = await this.deps.certificates.get(h.certificateId);
    if (!rec) throw errors.notFound('certificate');
    return { h, rec };
  }

  /** One wallet certificate with its disclosable fields and their values (the holder's own view). */
  async one(actor: Actor, id: string) {
    const { h, rec } = await this.holding(actor, id);
    const values = disclosableClaims(rec);
    // The holder code is shown masked even to its holder: the page may be seen over a shoulder.
    values.holder_code = this.view(rec).holderCodeMasked;
    const fields = disclosableFields(rec.type.fields).map((f) => ({ ...f, value: values[f.key] ?? null }));
    return { id: h.id, claimedAt: h.claimedAt.toISOString(), ...this.view(rec), fields };
  }

  // ---- credential ---------------------------------------------------------------------------------

  /** Issues (or gives back) the SD-JWT VC of a wallet certificate bound to the holder's browser key. */
  async credential(actor: Actor, id: string, holderJwk: unknown): Promise<{ credential: string; kid: string; issuedAt: string; reused: boolean }> {
    const p = holderJwkProblem(holderJwk);
    if (p) throw errors.field('/body/holderJwk', p);
    const jwk = holderJwk as JsonWebKey;
    const pub = { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! };
    const { h, rec } = await this.holding(actor, id);
    const st = effectiveStatus(rec);
    if (st === 'revoked') throw new AppError(409, 'revoked', 'Certificate revoked', 'the issuer revoked this certificate; no credential is issued for it');
    const thumbprint = await calculateJwkThumbprint(pub as Parameters<typeof calculateJwkThumbprint>[0]);
    const [existing] = await this.db.select().from(walletCredentials).where(and(eq(walletCredentials.holdingId, h.id), eq(walletCredentials.holderThumbprint, thumbprint)));
    // A rotated issuing key stays valid for what it signed, so the stored credential is given back as is;
    // only a re-issued record (new identifier) needs a new one.
    if (existing && existing.identifier === rec.identifier) {
      return { credential: decrypt(this.deps.config.masterKey, existing.credentialEnc, CREDENTIAL_CONTEXT), kid: existing.issuerKid, issuedAt: existing.issuedAt.toISOString(), reused: true };
    }
    const signer = await this.deps.trust.signer(rec.issuerOrgCode, 'certificate');
    const claims: Record<string, unknown> = {
      iss: signer.issuer,
      iat: Math.floor(Date.now() / 1000),
      nbf: shanghaiDayStartEpoch(rec.validFrom),
      ...(rec.validUntil ? { exp: shanghaiDayEndEpoch(rec.validUntil) } : {}),
      vct: rec.type.vct,
      cnf: { jwk: pub },
      status: { status_list: { idx: rec.statusList.index, uri: rec.statusList.uri } },
      cert_name: rec.type.nameZh,
      cert_name_en: rec.type.nameEn,
      cert_type: rec.type.code,
      identifier: rec.identifier,
      issuer_name: rec.issuerName,
    };
    const credential = await issueSdJwt({ header: { kid: signer.kid }, claims, disclosable: disclosableClaims(rec), sign: (d) => signer.sign(d), decoys: 2 });
    return inTransaction(this.db, async (tx) => {
      if (existing) await tx.delete(walletCredentials).where(eq(walletCredentials.id, existing.id));
      const [row] = await tx
        .insert(walletCredentials)
        .values({ holdingId: h.id, userId: h.userId, identifier: rec.identifier, holderThumbprint: thumbprint, holderJwk: pub, credentialEnc: encrypt(this.deps.config.masterKey, credential, CREDENTIAL_CONTEXT), issuerKid: signer.kid })
        .onConflictDoNothing()
        .returning();
      if (!row) {
        // A concurrent request from the same browser issued it first: give back that one.
        const [other] = await tx.select().from(walletCredentials).where(and(eq(walletCredentials.holdingId, h.id), eq(walletCredentials.holderThumbprint, thumbprint)));
        return { credential: decrypt(this.deps.config.masterKey, other.credentialEnc, CREDENTIAL_CONTEXT), kid: other.issuerKid, issuedAt: other.issuedAt.toISOString(), reused: true };
      }
      await recordAudit(tx, actor, { action: 'wallet.credential', entityType: 'wallet_holding', entityId: h.id, note: { identifier: rec.identifier, kid: signer.kid, holderKey: thumbprint } });
      return { credential, kid: signer.kid, issuedAt: row.issuedAt.toISOString(), reused: false };
    });
  }

  // ---- presentations (one-time handles) -----------------------------------------------------------

  async uploadPresentation(actor: Actor, presentation: string): Promise<{ handle: string; qr: string; expiresAt: string }> {
    const userId = this.selfOnly(actor);
    if (presentation.length > MAX_PRESENTATION_CHARS) throw errors.field('/body/presentation', `at most ${MAX_PRESENTATION_CHARS} characters`);
    if (!/^[A-Za-z0-9_.~-]+$/.test(presentation) || presentation.split('~').length < 2) throw errors.field('/body/presentation', 'must be an SD-JWT presentation (`<JWT>~<disclosures>~<KB-JWT>`)');
    const handle = randomCode(12);
    const expiresAt = new Date(Date.now() + HANDLE_TTL_SECONDS * 1000);
    return inTransaction(this.db, async (tx) => {
      const [row] = await tx.insert(walletPresentations).values({ handle, userId, presentationEnc: encrypt(this.deps.config.masterKey, presentation, PRESENTATION_CONTEXT), expiresAt }).returning();
      await recordAudit(tx, actor, { action: 'wallet.show', entityType: 'wallet_presentation', entityId: row.id, note: { expiresAt: expiresAt.toISOString() } });
      return { handle, qr: HANDLE_PREFIX + handle, expiresAt: expiresAt.toISOString() };
    });
  }

  /** Handles past their time are useless; the sweep keeps the table small. */
  async purgeExpired(): Promise<number> {
    const cutoff = new Date(Date.now() - 24 * 3600 * 1000);
    const gone = await this.db.delete(walletPresentations).where(lt(walletPresentations.expiresAt, cutoff)).returning({ id: walletPresentations.id });
    const goneReq = await this.db.delete(walletRequests).where(lt(walletRequests.expiresAt, cutoff)).returning({ id: walletRequests.id });
    return gone.length + goneReq.length;
  }

  // ---- verifier requests --------------------------------------------------------------------------

  private async audienceOf(actor: Actor): Promise<string> {
    const org = actor.orgId ? await this.deps.orgs.byId(actor.orgId) : null;
    return org ? `${this.deps.trust.issuerId(org.code)}#verifier` : `${this.deps.trust.platformId}#verifier`;
  }

  async createRequest(actor: Actor, input: { fields: string[]; purpose: string; vct?: string }) {
    const fields = [...new Set(input.fields)];
    if (!fields.length) throw errors.field('/body/fields', 'ask for at least one field');
    const purpose = input.purpose.trim();
    if (!purpose) throw errors.field('/body/purpose', 'say why the fields are needed');
    const nonce = randomToken(16);
    const audience = await this.audienceOf(actor);
    const expiresAt = new Date(Date.now() + REQUEST_TTL_SECONDS * 1000);
    return inTransaction(this.db, async (tx) => {
      for (let attempt = 0; ; attempt++) {
        const code = randomCode(8);
        const [row] = await tx
          .insert(walletRequests)
          .values({ code, nonce, audience, fields, purpose, vct: input.vct ?? null, verifierOrgId: actor.orgId, verifierUserId: actor.userId, verifierApiKeyId: actor.apiKeyId ?? null, verifierName: actor.displayName, expiresAt })
          .onConflictDoNothing()
          .returning();
        if (!row) {
          if (attempt > 5) throw new AppError(503, 'busy', 'Try again', 'could not allocate a request code');
          continue;
        }
        await recordAudit(tx, actor, { action: 'wallet.request', entityType: 'wallet_request', entityId: row.id, orgId: actor.orgId, note: { fields, purpose } });
        return { id: row.id, nonce, audience, requestCode: code, qr: REQUEST_PREFIX + code, fields, purpose, vct: row.vct, expiresAt: expiresAt.toISOString() };
      }
    });
  }

  /** What the holder sees after typing or scanning a request code. */
  async requestForHolder(actor: Actor, codeText: string) {
    this.selfOnly(actor);
    const code = codeText.trim().toUpperCase().replace(/^DQVR:/, '');
    const [r] = await this.db.select().from(walletRequests).where(eq(walletRequests.code, code));
    if (!r) throw errors.notFound('verification request');
    if (r.expiresAt.getTime() < Date.now()) throw new AppError(410, 'expired', 'Request expired', 'this verification request has expired; ask the verifier for a new one');
    if (r.usedAt) throw new AppError(410, 'used', 'Request used', 'this verification request has already been answered');
    const org = r.verifierOrgId ? await this.deps.orgs.byId(r.verifierOrgId) : null;
    // Opening a request is the start of a show (an inline QR never reaches the server): audit it.
    await recordAudit(this.db, actor, { action: 'wallet.show.request', entityType: 'wallet_request', entityId: r.id, note: { verifierOrgId: r.verifierOrgId, fields: r.fields } });
    return { id: r.id, requestCode: r.code, verifier: { orgName: org?.name ?? null, orgNameEn: org?.nameEn ?? null, name: r.verifierName }, purpose: r.purpose, fields: r.fields, vct: r.vct, nonce: r.nonce, audience: r.audience, expiresAt: r.expiresAt.toISOString() };
  }

  // ---- verify -------------------------------------------------------------------------------------

  async verify(actor: Actor, input: { requestId: string; presentation?: string; handle?: string }, at = new Date()): Promise<VerificationAnswer> {
    if (!input.presentation === !input.handle) throw errors.validation([{ path: '/body/presentation', message: 'send either presentation or handle' }]);
    const [req] = await this.db.select().from(walletRequests).where(eq(walletRequests.id, input.requestId));
    // A request belongs to the organisation (or person, without one) that made it.
    if (!req || (req.verifierOrgId ? req.verifierOrgId !== actor.orgId : req.verifierUserId !== actor.userId)) throw errors.notFound('verification request');

    const answer = (d: Partial<VerificationAnswer> & { valid: boolean; reason: Reason; message: string }): VerificationAnswer => ({ disclosed: {}, labels: {}, warnings: [], verifiedAt: at.toISOString(), ...d });
    let presentation = input.presentation?.trim();
    let decided: VerificationAnswer | null = null;
    let handleUser: string | null = null;
    if (input.handle) {
      const handle = input.handle.trim().toUpperCase().replace(/^DQVP:/, '');
      // Taking the handle is one atomic update: a second use finds it used.
      const [taken] = await this.db
        .update(walletPresentations)
        .set({ usedAt: at })
        .where(and(eq(walletPresentations.handle, handle), isNull(walletPresentations.usedAt)))
        .returning();
      if (!taken) {
        const [seen] = await this.db.select({ id: walletPresentations.id }).from(walletPresentations).where(eq(walletPresentations.handle, handle));
        decided = seen ? answer({ valid: false, reason: 'replayed', message: 'this presentation handle has already been used' }) : answer({ valid: false, reason: 'bad-jws', message: 'no presentation has this handle' });
      } else if (taken.expiresAt.getTime() < at.getTime()) {
        decided = answer({ valid: false, reason: 'expired', message: 'the presentation handle has expired; ask the holder to show it again' });
      } else {
        presentation = decrypt(this.deps.config.masterKey, taken.presentationEnc, PRESENTATION_CONTEXT);
        handleUser = taken.userId;
      }
    }
    if (!decided && req.usedAt) decided = answer({ valid: false, reason: 'replayed', message: 'this request has already been answered; create a new request' });
    if (!decided && req.expiresAt.getTime() < at.getTime()) decided = answer({ valid: false, reason: 'bad-nonce', message: 'the request (and its nonce) has expired; create a new request' });

    let result: SdJwtVcResult | null = null;
    let holderUserId: string | null = handleUser;
    let certificateId: string | null = null;
    if (!decided) {
      const trust = await this.trustStore(at);
      result = await verifySdJwtVc(presentation!, {
        at,
        nonce: req.nonce,
        aud: req.audience,
        resolveKey: (kid, issuedAt) => {
          const r = trust.resolve(kid, 'certificate', issuedAt);
          return r.ok ? { ok: true, key: r.key.jwk, issuer: r.key.issuer, trustList: r.source.listId, warnings: r.warnings } : r;
        },
      });
      decided = answer({ valid: result.valid, reason: result.reason, message: result.message, issuer: result.issuer, kid: result.kid, trustList: result.trustList, warnings: result.warnings });
      const c = result.claims;
      if (c) {
        decided.issuerName = typeof c.issuer_name === 'string' ? c.issuer_name : undefined;
        decided.certificate = { name: String(c.cert_name ?? ''), nameEn: typeof c.cert_name_en === 'string' ? c.cert_name_en : undefined, type: String(c.cert_type ?? ''), identifier: typeof c.identifier === 'string' ? c.identifier : undefined, vct: String(c.vct ?? '') };
      }
      if (result.valid && c) {
        // Status: own certificates from the record, others from their published status list.
        const status = await this.statusOf(c, trust, at);
        if (status.found) certificateId = status.certificateId ?? null;
        if (status.reason !== 'ok') decided = { ...decided, valid: false, reason: status.reason, message: status.message };
        else {
          decided.disclosed = result.disclosed ?? {};
          decided.labels = await this.labelsFor(String(c.cert_name ?? ''), Object.keys(decided.disclosed));
        }
        if (!holderUserId && typeof c.identifier === 'string' && c.cnf) holderUserId = await this.holderOf(c.identifier, (c.cnf as { jwk: JsonWebKey }).jwk);
      }
    }

    const final = decided;
    await inTransaction(this.db, async (tx) => {
      if (final.valid) {
        const [marked] = await tx.update(walletRequests).set({ usedAt: at }).where(and(eq(walletRequests.id, req.id), isNull(walletRequests.usedAt))).returning({ id: walletRequests.id });
        if (!marked) Object.assign(final, { valid: false, reason: 'replayed', message: 'this request was answered meanwhile', disclosed: {}, labels: {} });
      }
      await tx.insert(walletVerifications).values({
        requestId: req.id,
        verifierOrgId: actor.orgId,
        verifierUserId: actor.userId,
        verifierName: actor.displayName,
        purpose: req.purpose,
        holderUserId,
        certificateId,
        identifier: final.certificate?.identifier ?? null,
        certificateName: final.certificate?.name ?? null,
        issuer: final.issuer ?? null,
        fields: Object.keys(final.disclosed),
        valid: final.valid,
        reason: final.reason,
        at,
      });
      await recordAudit(tx, actor, { action: 'wallet.verify', entityType: 'wallet_request', entityId: req.id, orgId: actor.orgId, note: { valid: final.valid, reason: final.reason, identifier: final.certificate?.identifier ?? null, fields: Object.keys(final.disclosed) } });
    });
    return final;
  }

  /** The trust part's store (with its configured partner grace) when it offers one, else one from the sources. */
  private async trustStore(at: Date): Promise<TrustStore> {
    return this.deps.trust.trustStore(at);
  }

  private async holderOf(identifier: string, jwk: JsonWebKey): Promise<string | null> {
    try {
      const thumbprint = await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! });
      const [row] = await this.db.select({ userId: walletCredentials.userId }).from(walletCredentials).where(and(eq(walletCredentials.identifier, identifier), eq(walletCredentials.holderThumbprint, thumbprint)));
      return row?.userId ?? null;
    } catch {
      return null;
    }
  }

  private async statusOf(c: Record<string, unknown>, trust: TrustStore, at: Date): Promise<{ reason: Reason; message: string; found?: boolean; certificateId?: string }> {
    const sl = (c.status as { status_list?: { idx?: unknown; uri?: unknown } } | undefined)?.status_list;
    if (!sl || typeof sl.idx !== 'number' || typeof sl.uri !== 'string') return { reason: 'status-unavailable', message: 'the credential names no status list' };
    const ownIssuer = typeof c.iss === 'string' && c.iss.startsWith(`${this.deps.trust.platformId}:`);
    if (ownIssuer && typeof c.identifier === 'string') {
      const [h] = await this.db.select({ certificateId: walletHoldings.certificateId }).from(walletHoldings).where(eq(walletHoldings.identifier, c.identifier)).limit(1);
      const rec = h ? await this.deps.certificates.get(h.certificateId) : null;
      if (rec && rec.statusList.uri === sl.uri && rec.statusList.index === sl.idx) {
        if (rec.status === 'revoked') return { reason: 'revoked', message: 'the issuer revoked this certificate', found: true, certificateId: rec.id };
        if (rec.status === 'suspended') return { reason: 'suspended', message: 'the issuer suspended this certificate', found: true, certificateId: rec.id };
        return { reason: 'ok', message: 'valid', found: true, certificateId: rec.id };
      }
    }
    // Anything else (a partner's certificate): read its published Token Status List.
    const v = await this.statusLists.status(sl.uri, sl.idx, trust, at);
    if (!v.ok) return { reason: 'status-unavailable', message: v.message };
    if (v.value === 1) return { reason: 'revoked', message: 'the status list marks this certificate invalid (revoked)' };
    if (v.value === 2) return { reason: 'suspended', message: 'the status list marks this certificate suspended' };
    if (v.value !== 0) return { reason: 'status-unavailable', message: `unknown status value ${v.value}` };
    return { reason: 'ok', message: 'valid' };
  }

  private async labelsFor(certName: string, keys: string[]): Promise<Record<string, [string, string]>> {
    const type = certName ? await this.deps.certificates.typeByName(certName) : null;
    const all = disclosableFields(type?.fields ?? []);
    const out: Record<string, [string, string]> = {};
    for (const k of keys) {
      const f = all.find((x) => x.key === k);
      out[k] = f ? [f.nameZh, f.nameEn] : [k, k];
    }
    return out;
  }

  /** Who verified what of mine (the holder's view). */
  async verificationsOfMine(actor: Actor, f: { limit: number; offset: number }) {
    const userId = this.selfOnly(actor);
    const rows = await this.db.select().from(walletVerifications).where(eq(walletVerifications.holderUserId, userId)).orderBy(desc(walletVerifications.at), desc(walletVerifications.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(walletVerifications).where(eq(walletVerifications.holderUserId, userId));
    const orgIds = [...new Set(rows.map((r) => r.verifierOrgId).filter((x): x is string => !!x))];
    const orgs = new Map<string, { name: string; nameEn: string | null }>();
    for (const id of orgIds) {
      const o = await this.deps.orgs.byId(id);
      if (o) orgs.set(id, { name: o.name, nameEn: o.nameEn });
    }
    const labels = new Map<string, Record<string, [string, string]>>();
    for (const r of rows) if (r.certificateName && !labels.has(r.certificateName)) labels.set(r.certificateName, await this.labelsFor(r.certificateName, disclosableFields((await this.deps.certificates.typeByName(r.certificateName))?.fields ?? []).map((f) => f.key)));
    return {
      items: rows.map((r) => ({
        id: r.id,
        labels: Object.fromEntries(r.fields.map((k) => [k, labels.get(r.certificateName ?? '')?.[k] ?? [k, k]])),
        at: r.at.toISOString(),
        verifierOrg: r.verifierOrgId ? (orgs.get(r.verifierOrgId)?.name ?? null) : null,
        verifierOrgEn: r.verifierOrgId ? (orgs.get(r.verifierOrgId)?.nameEn ?? null) : null,
        verifierName: r.verifierName,
        purpose: r.purpose,
        certificateName: r.certificateName,
        identifier: r.identifier,
        fields: r.fields,
        valid: r.valid,
        reason: r.reason,
      })),
      total: n,
      limit: f.limit,
      offset: f.offset,
    };
  }

  /** Demo seed: puts a demo user's certificate of a type into their wallet (idempotent). */
  async seedDemoHolding(username: string, typeName: string): Promise<void> {
    const user = await this.deps.auth.findByUsername(username);
    const code = user ? this.deps.auth.revealIdNumber(user) : null;
    if (!user || !code) return;
    const rec = (await this.deps.certificates.byHolderCode(code)).find((r) => r.type.nameZh === typeName && r.status === 'valid');
    if (!rec) return;
    await this.db.insert(walletHoldings).values({ userId: user.id, certificateId: rec.id, identifier: rec.identifier }).onConflictDoNothing();
  }

  // ---- service hall -------------------------------------------------------------------------------

  /** The service hall's port: a certificate the applicant claimed, chosen by them (that choice is the consent). */
  applicationWallet(): CertificateWallet {
    return {
      available: true,
      resolve: (holderUserId, ref) => this.resolveForApplication(holderUserId, ref),
      describe: (holderUserId, certificateId) => this.consentOf(holderUserId, certificateId),
    };
  }

  async resolveForApplication(holderUserId: string, ref: CertificateRef): Promise<WalletAnswer> {
    const [h] = await this.db.select().from(walletHoldings).where(and(eq(walletHoldings.userId, holderUserId), eq(walletHoldings.certificateId, ref.certificateId)));
    const rec = await this.deps.certificates.get(ref.certificateId);
    if (!rec || rec.type.nameZh !== ref.certificateTypeName) return { ok: false, reason: 'not-found', message: `no ${ref.certificateTypeName} with this id` };
    if (!h) return { ok: false, reason: 'not-holder', message: 'claim the certificate into your wallet first' };
    const st = effectiveStatus(rec);
    if (st === 'expired') return { ok: false, reason: 'expired', message: `the certificate expired on ${rec.validUntil}` };
    if (st === 'revoked' || st === 'suspended') return { ok: false, reason: st, message: `the issuer ${st === 'revoked' ? 'revoked' : 'suspended'} this certificate` };
    if (st !== 'valid') return { ok: false, reason: 'not-found', message: 'the certificate is not valid yet' };
    const verifiedAt = new Date();
    const actor = await this.deps.auth.loadActor(holderUserId, 'session');
    await inTransaction(this.db, async (tx) => {
      const [row] = await tx
        .insert(walletConsents)
        .values({ userId: holderUserId, certificateId: rec.id, certificateTypeName: rec.type.nameZh, identifier: rec.identifier, issuerName: rec.issuerName, validUntil: rec.validUntil, verifiedAt })
        .returning();
      if (actor) await recordAudit(tx, actor, { action: 'wallet.consent', entityType: 'wallet_consent', entityId: row.id, note: { certificateId: rec.id, identifier: rec.identifier, type: rec.type.nameZh } });
    });
    return { ok: true, certificate: this.resolved(holderUserId, rec.type.nameZh, rec.id, rec.identifier, rec.issuerName, rec.validUntil, verifiedAt) };
  }

  private resolved(holderUserId: string, typeName: string, certificateId: string, identifier: string, issuerName: string, validUntil: string | null, verifiedAt: Date): ResolvedCertificate {
    return { certificateTypeName: typeName, certificateId, holderUserId, issuer: issuerName, identifier, validUntil, verifiedAt: verifiedAt.toISOString() };
  }

  /** The latest consent (the verification made when the applicant chose it), for the officer's view. */
  async consentOf(holderUserId: string, certificateId: string): Promise<ResolvedCertificate | null> {
    const [c] = await this.db.select().from(walletConsents).where(and(eq(walletConsents.userId, holderUserId), eq(walletConsents.certificateId, certificateId))).orderBy(desc(walletConsents.verifiedAt)).limit(1);
    return c ? this.resolved(holderUserId, c.certificateTypeName, c.certificateId, c.identifier, c.issuerName, c.validUntil, c.verifiedAt) : null;
  }
}
