// The verifier: requests for fields (a nonce and a short code), verification of a presentation against
// a request (trust, signature, disclosures, validity, status, holder binding, nonce), and the holder's
// record of who verified what.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { calculateJwkThumbprint } from 'jose';
import { verifySdJwtVc, type SdJwtVcResult } from '../../../lib/sd-jwt';
import type { TrustStore } from '../../../lib/verifier/trust';
import type { Reason } from '../../../lib/verifier/types';
import type { Actor } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { decrypt, randomToken } from '../../../platform/crypto/secrets';
import { inTransaction } from '../../../platform/db/client';
import { AppError, errors } from '../../../platform/http/problem';
import { disclosableFields } from './fields';
import type { WalletCore } from './wallet.core';
import { PRESENTATION_CONTEXT, randomCode, REQUEST_PREFIX, REQUEST_TTL_SECONDS, type VerificationAnswer } from './wallet.model';
import { walletCredentials, walletHoldings, walletPresentations, walletRequests, walletVerifications } from './wallet.schema';

export class WalletVerifier {
  constructor(private readonly core: WalletCore) {}

  // ---- verifier requests --------------------------------------------------------------------------

  private async audienceOf(actor: Actor): Promise<string> {
    const org = actor.orgId ? await this.core.deps.orgs.byId(actor.orgId) : null;
    return org ? `${this.core.deps.trust.issuerId(org.code)}#verifier` : `${this.core.deps.trust.platformId}#verifier`;
  }

  async createRequest(actor: Actor, input: { fields: string[]; purpose: string; vct?: string }) {
    const fields = [...new Set(input.fields)];
    if (!fields.length) throw errors.field('/body/fields', 'ask for at least one field');
    const purpose = input.purpose.trim();
    if (!purpose) throw errors.field('/body/purpose', 'say why the fields are needed');
    const nonce = randomToken(16);
    const audience = await this.audienceOf(actor);
    const expiresAt = new Date(Date.now() + REQUEST_TTL_SECONDS * 1000);
    return inTransaction(this.core.db, async (tx) => {
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
    this.core.selfOnly(actor);
    const code = codeText.trim().toUpperCase().replace(/^DQVR:/, '');
    const [r] = await this.core.db.select().from(walletRequests).where(eq(walletRequests.code, code));
    if (!r) throw errors.notFound('verification request');
    if (r.expiresAt.getTime() < Date.now()) throw new AppError(410, 'expired', 'Request expired', 'this verification request has expired; ask the verifier for a new one');
    if (r.usedAt) throw new AppError(410, 'used', 'Request used', 'this verification request has already been answered');
    const org = r.verifierOrgId ? await this.core.deps.orgs.byId(r.verifierOrgId) : null;
    // Opening a request is the start of a show (an inline QR never reaches the server): audit it.
    await recordAudit(this.core.db, actor, { action: 'wallet.show.request', entityType: 'wallet_request', entityId: r.id, note: { verifierOrgId: r.verifierOrgId, fields: r.fields } });
    return { id: r.id, requestCode: r.code, verifier: { orgName: org?.name ?? null, orgNameEn: org?.nameEn ?? null, name: r.verifierName }, purpose: r.purpose, fields: r.fields, vct: r.vct, nonce: r.nonce, audience: r.audience, expiresAt: r.expiresAt.toISOString() };
  }

  // ---- verify -------------------------------------------------------------------------------------

  async verify(actor: Actor, input: { requestId: string; presentation?: string; handle?: string }, at = new Date()): Promise<VerificationAnswer> {
    if (!input.presentation === !input.handle) throw errors.validation([{ path: '/body/presentation', message: 'send either presentation or handle' }]);
    const [req] = await this.core.db.select().from(walletRequests).where(eq(walletRequests.id, input.requestId));
    // A request belongs to the organisation (or person, without one) that made it.
    if (!req || (req.verifierOrgId ? req.verifierOrgId !== actor.orgId : req.verifierUserId !== actor.userId)) throw errors.notFound('verification request');

    const answer = (d: Partial<VerificationAnswer> & { valid: boolean; reason: Reason; message: string }): VerificationAnswer => ({ disclosed: {}, labels: {}, warnings: [], verifiedAt: at.toISOString(), ...d });
    let presentation = input.presentation?.trim();
    let decided: VerificationAnswer | null = null;
    let handleUser: string | null = null;
    if (input.handle) {
      const handle = input.handle.trim().toUpperCase().replace(/^DQVP:/, '');
      // Taking the handle is one atomic update: a second use finds it used.
      const [taken] = await this.core.db
        .update(walletPresentations)
        .set({ usedAt: at })
        .where(and(eq(walletPresentations.handle, handle), isNull(walletPresentations.usedAt)))
        .returning();
      if (!taken) {
        const [seen] = await this.core.db.select({ id: walletPresentations.id }).from(walletPresentations).where(eq(walletPresentations.handle, handle));
        decided = seen ? answer({ valid: false, reason: 'replayed', message: 'this presentation handle has already been used' }) : answer({ valid: false, reason: 'bad-jws', message: 'no presentation has this handle' });
      } else if (taken.expiresAt.getTime() < at.getTime()) {
        decided = answer({ valid: false, reason: 'expired', message: 'the presentation handle has expired; ask the holder to show it again' });
      } else {
        presentation = decrypt(this.core.deps.config.masterKey, taken.presentationEnc, PRESENTATION_CONTEXT);
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
    await inTransaction(this.core.db, async (tx) => {
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
    return this.core.deps.trust.trustStore(at);
  }

  private async holderOf(identifier: string, jwk: JsonWebKey): Promise<string | null> {
    try {
      const thumbprint = await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! });
      const [row] = await this.core.db.select({ userId: walletCredentials.userId }).from(walletCredentials).where(and(eq(walletCredentials.identifier, identifier), eq(walletCredentials.holderThumbprint, thumbprint)));
      return row?.userId ?? null;
    } catch {
      return null;
    }
  }

  private async statusOf(c: Record<string, unknown>, trust: TrustStore, at: Date): Promise<{ reason: Reason; message: string; found?: boolean; certificateId?: string }> {
    const sl = (c.status as { status_list?: { idx?: unknown; uri?: unknown } } | undefined)?.status_list;
    if (!sl || typeof sl.idx !== 'number' || typeof sl.uri !== 'string') return { reason: 'status-unavailable', message: 'the credential names no status list' };
    const ownIssuer = typeof c.iss === 'string' && c.iss.startsWith(`${this.core.deps.trust.platformId}:`);
    if (ownIssuer && typeof c.identifier === 'string') {
      const [h] = await this.core.db.select({ certificateId: walletHoldings.certificateId }).from(walletHoldings).where(eq(walletHoldings.identifier, c.identifier)).limit(1);
      const rec = h ? await this.core.deps.certificates.get(h.certificateId) : null;
      if (rec && rec.statusList.uri === sl.uri && rec.statusList.index === sl.idx) {
        if (rec.status === 'revoked') return { reason: 'revoked', message: 'the issuer revoked this certificate', found: true, certificateId: rec.id };
        if (rec.status === 'suspended') return { reason: 'suspended', message: 'the issuer suspended this certificate', found: true, certificateId: rec.id };
        return { reason: 'ok', message: 'valid', found: true, certificateId: rec.id };
      }
    }
    // Anything else (a partner's certificate): read its published Token Status List.
    const v = await this.core.statusLists.status(sl.uri, sl.idx, trust, at);
    if (!v.ok) return { reason: 'status-unavailable', message: v.message };
    if (v.value === 1) return { reason: 'revoked', message: 'the status list marks this certificate invalid (revoked)' };
    if (v.value === 2) return { reason: 'suspended', message: 'the status list marks this certificate suspended' };
    if (v.value !== 0) return { reason: 'status-unavailable', message: `unknown status value ${v.value}` };
    return { reason: 'ok', message: 'valid' };
  }

  private async labelsFor(certName: string, keys: string[]): Promise<Record<string, [string, string]>> {
    const type = certName ? await this.core.deps.certificates.typeByName(certName) : null;
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
    const userId = this.core.selfOnly(actor);
    const rows = await this.core.db.select().from(walletVerifications).where(eq(walletVerifications.holderUserId, userId)).orderBy(desc(walletVerifications.at), desc(walletVerifications.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.core.db.select({ n: sql<number>`count(*)::int` }).from(walletVerifications).where(eq(walletVerifications.holderUserId, userId));
    const orgIds = [...new Set(rows.map((r) => r.verifierOrgId).filter((x): x is string => !!x))];
    const orgs = new Map<string, { name: string; nameEn: string | null }>();
    for (const id of orgIds) {
      const o = await this.core.deps.orgs.byId(id);
      if (o) orgs.set(id, { name: o.name, nameEn: o.nameEn });
    }
    const labels = new Map<string, Record<string, [string, string]>>();
    for (const r of rows) if (r.certificateName && !labels.has(r.certificateName)) labels.set(r.certificateName, await this.labelsFor(r.certificateName, disclosableFields((await this.core.deps.certificates.typeByName(r.certificateName))?.fields ?? []).map((f) => f.key)));
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
}
