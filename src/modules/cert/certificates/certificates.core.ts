// What the certificates part's rooms share: the dependencies, the holder-code blind index, the cached
// type rows, type and organisation look-ups, who may issue a type, and where status lists are published.
import { type Actor, can, canSeeOrgPath, visibility } from '../../../platform/auth/actor';
import { blindIndex } from '../../../platform/crypto/secrets';
import type { Column } from '../../../platform/files';
import type { Org } from '../../org';
import { CERT } from '../cert.permissions';
import type { CertificateTypeInfo } from '../contracts';
import { CORE_COLUMNS, type CertificatesDeps, HOLDER_CONTEXT, type TypeRow } from './certificates.model';
import { certTypes } from './certificates.schema';

export class CertCore {
  /** Cleared by a type edit. */
  typeCache: { at: number; rows: TypeRow[] } | null = null;

  constructor(readonly deps: CertificatesDeps) {}

  get db() {
    return this.deps.db;
  }
  get masterKey() {
    return this.deps.config.masterKey;
  }
  get statusListTtlSeconds(): number {
    return this.deps.config.certStatusListTtlSeconds;
  }

  holderHash(code: string): string {
    return blindIndex(this.masterKey, code, HOLDER_CONTEXT);
  }

  /** Every type (30-odd rows), cached for a minute; an edit clears the cache. */
  async typeRows(): Promise<TypeRow[]> {
    if (this.typeCache && Date.now() - this.typeCache.at < 60_000) return this.typeCache.rows;
    const rows = await this.db.select().from(certTypes).orderBy(certTypes.code);
    this.typeCache = { at: Date.now(), rows };
    return rows;
  }

  async typeRow(id: string): Promise<TypeRow | null> {
    return (await this.typeRows()).find((t) => t.id === id) ?? null;
  }

  async orgMap(ids: string[]): Promise<Map<string, Org>> {
    return this.deps.orgs.namesOf(ids);
  }

  typeInfo(t: TypeRow, dept: Org | undefined): CertificateTypeInfo {
    return {
      id: t.id,
      code: t.code,
      nameZh: t.nameZh,
      nameEn: t.nameEn,
      departmentCode: dept?.code ?? '',
      holderKind: t.holderKind as 'person' | 'organisation',
      fields: t.fields,
      vct: `urn:dq:cert:${t.code}`,
    };
  }

  canIssueType(actor: Actor, dept: Org | undefined): boolean {
    if (!can(actor, CERT.issue) || !dept) return false;
    return canSeeOrgPath(visibility(actor, CERT.issue), dept.path);
  }

  /** The import template's columns: core metadata, then the type's fields. */
  importColumns(t: Pick<TypeRow, 'fields'>): Column[] {
    return [...CORE_COLUMNS, ...t.fields.map((f) => ({ key: f.key, header: f.nameZh }))];
  }

  /** Issuer organisations the actor may see certificates of (undefined: all). */
  visibleIssuers(actor: Actor, permission: string): Promise<string[] | undefined> {
    return this.deps.orgs.visibleIds(actor, permission);
  }

  statusListUri(id: number | string): string {
    return `${this.deps.config.publicUrl}/api/cert/status-lists/${id}`;
  }
}
