// Status: suspension, reinstatement and (final) revocation with their history, and the signed Token
// Status Lists (2 bits a slot) that publish every certificate's status.
import { and, eq, sql } from 'drizzle-orm';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { inTransaction } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import { encodeStatusList, STATUS } from '../../../lib/verifier';
import { CERT } from '../cert.permissions';
import type { CertificateStatus } from '../contracts';
import type { CertCore } from './certificates.core';
import { STATUS_LIST_SIGNER_ORG, TOKEN_LIFETIME_SECONDS } from './certificates.model';
import type { CertReading } from './certificates.reading';
import { certCertificates, certStatusEvents, certStatusLists } from './certificates.schema';

export class CertStatus {
  constructor(
    private readonly core: CertCore,
    private readonly reading: CertReading,
  ) {}

  /** suspend: valid → suspended; reinstate: suspended → valid; revoke: valid or suspended → revoked (final). */
  async changeStatus(actor: Actor, id: string, action: 'suspend' | 'reinstate' | 'revoke', reason: string) {
    requirePermission(actor, CERT.revoke);
    const why = reason.trim();
    if (!why) throw errors.field('/body/reason', 'give the reason');
    // Access is checked before the transaction: on PGlite a query outside it would wait for its one connection.
    await this.reading.visibleRow(actor, id, CERT.revoke);
    await inTransaction(this.core.db, async (tx) => {
      const [r] = await tx.select().from(certCertificates).where(eq(certCertificates.id, id)).for('update');
      if (!r) throw errors.notFound('certificate');
      const from = r.status as CertificateStatus;
      const to: CertificateStatus = action === 'suspend' ? 'suspended' : action === 'reinstate' ? 'valid' : 'revoked';
      const allowed = (action === 'suspend' && from === 'valid') || (action === 'reinstate' && from === 'suspended') || (action === 'revoke' && from !== 'revoked');
      if (!allowed) throw errors.conflict(from === 'revoked' ? 'the certificate is revoked; revocation is final' : `cannot ${action} a ${from} certificate`);
      await tx.update(certCertificates).set({ status: to, updatedAt: new Date() }).where(eq(certCertificates.id, id));
      await tx.insert(certStatusEvents).values({ certificateId: id, action, fromStatus: from, toStatus: to, reason: why, actorId: actor.userId, actorName: actor.displayName || actor.username });
      await tx.update(certStatusLists).set({ version: sql`${certStatusLists.version} + 1` }).where(eq(certStatusLists.id, r.statusListId));
      await recordAudit(tx, actor, { action: `cert.${action}`, entityType: 'cert_certificate', entityId: id, orgId: r.issuerOrgId, before: { status: from }, after: { status: to }, note: { reason: why, number: r.number } });
    });
    return this.reading.detail(actor, id);
  }

  /**
   * The signed Token Status List of list `id`: rebuilt when a status in it changed since the cached token
   * was made or the cached token is within half its lifetime of expiring; otherwise the cached token.
   */
  async statusListToken(id: number): Promise<{ token: string; ttl: number }> {
    const ttl = this.core.statusListTtlSeconds;
    const [l] = await this.core.db.select().from(certStatusLists).where(eq(certStatusLists.id, id));
    if (!l) throw errors.notFound('status list');
    const fresh = l.token && l.tokenVersion === l.version && l.tokenExpiresAt && l.tokenExpiresAt.getTime() - Date.now() > (TOKEN_LIFETIME_SECONDS * 1000) / 2;
    if (fresh) return { token: l.token!, ttl };
    const version = l.version;
    const marked = await this.core.db
      .select({ index: certCertificates.statusIndex, status: certCertificates.status })
      .from(certCertificates)
      .where(and(eq(certCertificates.statusListId, id), sql`${certCertificates.status} <> 'valid'`));
    const values = new Uint8Array(l.size);
    for (const m of marked) values[m.index] = m.status === 'revoked' ? STATUS.invalid : STATUS.suspended;
    const lst = await encodeStatusList(values, 2);
    const signer = await this.core.deps.trust.signer(STATUS_LIST_SIGNER_ORG, 'status-list');
    const iat = Math.floor(Date.now() / 1000);
    const header = { alg: 'ES256', typ: 'statuslist+jwt', kid: signer.kid };
    const payload = { iss: signer.issuer, sub: this.core.statusListUri(id), iat, exp: iat + TOKEN_LIFETIME_SECONDS, ttl, status_list: { bits: 2, lst } };
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const sig = await signer.sign(new TextEncoder().encode(input));
    const token = `${input}.${Buffer.from(sig).toString('base64url')}`;
    // Only store when nothing changed meanwhile; a newer version is rebuilt by the next request.
    await this.core.db
      .update(certStatusLists)
      .set({ token, tokenVersion: version, tokenExpiresAt: new Date((iat + TOKEN_LIFETIME_SECONDS) * 1000) })
      .where(and(eq(certStatusLists.id, id), eq(certStatusLists.version, version)));
    return { token, ttl };
  }
}
