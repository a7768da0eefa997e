// Reading issued certificates: the records the wallet part reads (holder code in clear, inside the
// server only), the console's list (holder codes masked) and its detail with the status history.
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { type Actor, can, canSeeOrgPath, requirePermission, visibility } from '../../../platform/auth/actor';
import { decrypt } from '../../../platform/crypto/secrets';
import type { Page } from '../../../platform/http/paging';
import { errors } from '../../../platform/http/problem';
import { maskCitizenId, todayInShanghai } from '../../../platform/ids';
import { CERT } from '../cert.permissions';
import type { CertificateRecord, CertificateStatus, CertificateTypeInfo, HolderCodeType } from '../contracts';
import type { CertCore } from './certificates.core';
import { type CertificateListItem, type CertRow, HOLDER_CONTEXT, type StatusEventView } from './certificates.model';
import { certCertificates, certStatusEvents } from './certificates.schema';

export class CertReading {
  constructor(private readonly core: CertCore) {}

  async toRecords(rows: CertRow[]): Promise<CertificateRecord[]> {
    const types = new Map((await this.core.typeRows()).map((t) => [t.id, t]));
    const orgs = await this.core.orgMap([...rows.map((r) => r.issuerOrgId), ...[...types.values()].map((t) => t.departmentOrgId)]);
    return rows.map((r) => {
      const t = types.get(r.typeId)!;
      const issuer = orgs.get(r.issuerOrgId);
      return {
        id: r.id,
        identifier: r.identifier,
        type: this.core.typeInfo(t, orgs.get(t.departmentOrgId)),
        number: r.number,
        holderName: r.holderName,
        holderCode: decrypt(this.core.masterKey, r.holderCodeEnc, HOLDER_CONTEXT),
        holderCodeType: r.holderCodeType as HolderCodeType,
        issuerOrgId: r.issuerOrgId,
        issuerOrgCode: issuer?.code ?? '',
        issuerName: issuer?.name ?? '',
        issuerCreditCode: issuer?.creditCode ?? '',
        issuedOn: r.issuedOn,
        validFrom: r.validFrom,
        validUntil: r.validUntil,
        jurisdiction: r.jurisdiction,
        fields: r.fields,
        status: r.status as CertificateStatus,
        statusList: { id: String(r.statusListId), index: r.statusIndex, uri: this.core.statusListUri(r.statusListId) },
      };
    });
  }

  async get(id: string): Promise<CertificateRecord | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const [r] = await this.core.db.select().from(certCertificates).where(eq(certCertificates.id, id));
    return r ? (await this.toRecords([r]))[0] : null;
  }

  async byHolderCode(holderCode: string): Promise<CertificateRecord[]> {
    const rows = await this.core.db
      .select()
      .from(certCertificates)
      .where(eq(certCertificates.holderCodeHash, this.core.holderHash(holderCode.trim().toUpperCase())))
      .orderBy(desc(certCertificates.issuedOn), desc(certCertificates.createdAt))
      .limit(500);
    return this.toRecords(rows);
  }

  async typeByName(nameZh: string): Promise<CertificateTypeInfo | null> {
    const t = (await this.core.typeRows()).find((x) => x.nameZh === nameZh);
    if (!t) return null;
    return this.core.typeInfo(t, (await this.core.deps.orgs.byId(t.departmentOrgId)) ?? undefined);
  }

  async listItems(rows: CertRow[]): Promise<CertificateListItem[]> {
    const types = new Map((await this.core.typeRows()).map((t) => [t.id, t]));
    const orgs = await this.core.orgMap(rows.map((r) => r.issuerOrgId));
    const today = todayInShanghai();
    return rows.map((r) => ({
      id: r.id,
      identifier: r.identifier,
      typeId: r.typeId,
      typeName: types.get(r.typeId)?.nameZh ?? '',
      typeNameEn: types.get(r.typeId)?.nameEn ?? '',
      number: r.number,
      holderName: r.holderName,
      holderCodeMasked: r.holderCodeMasked,
      holderCodeType: r.holderCodeType as HolderCodeType,
      issuerOrgId: r.issuerOrgId,
      issuerName: orgs.get(r.issuerOrgId)?.name ?? '',
      issuedOn: r.issuedOn,
      validFrom: r.validFrom,
      validUntil: r.validUntil,
      expired: r.validUntil !== null && r.validUntil < today,
      status: r.status as CertificateStatus,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  async list(
    actor: Actor,
    f: { typeId?: string; status?: CertificateStatus; holderCode?: string; number?: string; expired?: boolean; importId?: string; limit: number; offset: number },
  ): Promise<Page<CertificateListItem>> {
    requirePermission(actor, CERT.read);
    const conds: SQL[] = [];
    const ids = await this.core.visibleIssuers(actor, CERT.read);
    if (ids) {
      if (!ids.length) return { items: [], total: 0, limit: f.limit, offset: f.offset };
      conds.push(inArray(certCertificates.issuerOrgId, ids));
    }
    if (f.typeId) conds.push(eq(certCertificates.typeId, f.typeId));
    if (f.status) conds.push(eq(certCertificates.status, f.status));
    if (f.holderCode) conds.push(eq(certCertificates.holderCodeHash, this.core.holderHash(f.holderCode.trim().toUpperCase())));
    if (f.number) conds.push(eq(certCertificates.number, f.number.trim()));
    if (f.importId) conds.push(eq(certCertificates.importId, f.importId));
    if (f.expired !== undefined) {
      const today = todayInShanghai();
      conds.push(f.expired ? sql`${certCertificates.validUntil} < ${today}` : sql`(${certCertificates.validUntil} is null or ${certCertificates.validUntil} >= ${today})`);
    }
    const where = conds.length ? and(...conds) : undefined;
    const rows = await this.core.db.select().from(certCertificates).where(where).orderBy(desc(certCertificates.createdAt), desc(certCertificates.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.core.db.select({ n: sql<number>`count(*)::int` }).from(certCertificates).where(where);
    return { items: await this.listItems(rows), total: n, limit: f.limit, offset: f.offset };
  }

  async visibleRow(actor: Actor, id: string, permission: string): Promise<CertRow> {
    requirePermission(actor, permission);
    const [r] = await this.core.db.select().from(certCertificates).where(eq(certCertificates.id, id));
    if (!r) throw errors.notFound('certificate');
    const p = await this.core.deps.orgs.pathOf(r.issuerOrgId);
    if (!canSeeOrgPath(visibility(actor, permission), p)) throw errors.notFound('certificate');
    return r;
  }

  /** The console's detail: metadata with the holder code masked, the identifier, status history. */
  async detail(actor: Actor, id: string) {
    const r = await this.visibleRow(actor, id, CERT.read);
    const [rec] = await this.toRecords([r]);
    const [item] = await this.listItems([r]);
    const events = await this.core.db.select().from(certStatusEvents).where(eq(certStatusEvents.certificateId, id)).orderBy(certStatusEvents.at, certStatusEvents.id);
    const issuerName = r.createdBy ? ((await this.core.deps.auth.displayNames([r.createdBy])).get(r.createdBy) ?? '') : '';
    const history: StatusEventView[] = [
      { action: 'issue', fromStatus: null, toStatus: 'valid', reason: null, actorName: r.importId ? 'import' : issuerName, at: r.createdAt.toISOString() },
      ...events.map((e) => ({ action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, reason: e.reason, actorName: e.actorName, at: e.at.toISOString() })),
    ];
    const { holderCode: _clear, ...rest } = rec;
    // ID numbers among the type's fields are masked like the holder code (the console needs no clear value).
    const fields = Object.fromEntries(Object.entries(rec.fields).map(([k, v]) => [k, typeof v === 'string' && /idnumber$/i.test(k) ? maskCitizenId(v) : v]));
    return {
      ...rest,
      fields,
      holderCodeMasked: r.holderCodeMasked,
      expired: item.expired,
      importId: r.importId,
      createdAt: r.createdAt.toISOString(),
      history,
      canChangeStatus: can(actor, CERT.revoke) && canSeeOrgPath(visibility(actor, CERT.revoke), await this.core.deps.orgs.pathOf(r.issuerOrgId)),
    };
  }
}
