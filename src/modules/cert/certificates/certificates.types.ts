// Certificate types: the list with each type's fields (and whether the caller may issue it), editing the
// English name and the fields (fields certificates carry cannot be removed), and the import template.
import { eq } from 'drizzle-orm';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { inTransaction } from '../../../platform/db/client';
import type { Column } from '../../../platform/files';
import { errors } from '../../../platform/http/problem';
import { CERT } from '../cert.permissions';
import type { CertificateFieldDef } from '../contracts';
import type { CertCore } from './certificates.core';
import { CORE_KEYS, type CertificateTypeView, type TypeRow } from './certificates.model';
import { certCertificates, certTypes } from './certificates.schema';

export class CertTypes {
  constructor(private readonly core: CertCore) {}

  async listTypes(actor: Actor): Promise<{ items: CertificateTypeView[] }> {
    const rows = await this.core.typeRows();
    const depts = await this.core.orgMap(rows.map((r) => r.departmentOrgId));
    return {
      items: rows.map((t) => {
        const d = depts.get(t.departmentOrgId);
        return { ...this.core.typeInfo(t, d), departmentName: d?.name ?? '', departmentCreditCode: d?.creditCode ?? null, canIssue: this.core.canIssueType(actor, d) };
      }),
    };
  }

  async getType(actor: Actor, id: string): Promise<CertificateTypeView> {
    const t = await this.core.typeRow(id);
    if (!t) throw errors.notFound('certificate type');
    const d = await this.core.deps.orgs.byId(t.departmentOrgId);
    return { ...this.core.typeInfo(t, d ?? undefined), departmentName: d?.name ?? '', departmentCreditCode: d?.creditCode ?? null, canIssue: this.core.canIssueType(actor, d ?? undefined) };
  }

  async updateType(actor: Actor, id: string, patch: { nameEn?: string; fields?: CertificateFieldDef[] }): Promise<CertificateTypeView> {
    requirePermission(actor, CERT.typeManage);
    if (patch.fields) {
      const seen = new Set<string>();
      patch.fields.forEach((f, i) => {
        if (!/^[a-z][A-Za-z0-9]{0,39}$/.test(f.key)) throw errors.field(`/body/fields/${i}/key`, 'a key is a lower-camel-case word (letters and digits, up to 40)');
        if (CORE_KEYS.has(f.key)) throw errors.field(`/body/fields/${i}/key`, `${f.key} is a core metadata element, not a type field`);
        if (seen.has(f.key)) throw errors.field(`/body/fields/${i}/key`, `duplicate key ${f.key}`);
        seen.add(f.key);
      });
    }
    await inTransaction(this.core.db, async (tx) => {
      const [before] = await tx.select().from(certTypes).where(eq(certTypes.id, id)).for('update');
      if (!before) throw errors.notFound('certificate type');
      if (patch.fields) {
        // Removing a field that issued certificates carry would orphan their data; only additions and edits.
        const removed = before.fields.filter((f) => !patch.fields!.some((n) => n.key === f.key));
        if (removed.length) {
          const [used] = await tx.select({ id: certCertificates.id }).from(certCertificates).where(eq(certCertificates.typeId, id)).limit(1);
          if (used) throw errors.field('/body/fields', `certificates of this type exist: fields ${removed.map((f) => f.key).join(', ')} cannot be removed`);
        }
      }
      const set = { ...(patch.nameEn !== undefined ? { nameEn: patch.nameEn } : {}), ...(patch.fields ? { fields: patch.fields } : {}), updatedAt: new Date() };
      await tx.update(certTypes).set(set).where(eq(certTypes.id, id));
      await recordAudit(tx, actor, {
        action: 'cert.type.update',
        entityType: 'cert_type',
        entityId: id,
        orgId: before.departmentOrgId,
        before: { nameEn: before.nameEn, fields: before.fields.map((f) => f.key) },
        after: { nameEn: patch.nameEn ?? before.nameEn, fields: (patch.fields ?? before.fields).map((f) => f.key) },
      });
    });
    this.core.typeCache = null;
    return this.getType(actor, id);
  }


  async templateColumns(actor: Actor, typeId: string): Promise<{ type: TypeRow; columns: Column[] }> {
    requirePermission(actor, CERT.issue);
    const t = await this.core.typeRow(typeId);
    if (!t) throw errors.notFound('certificate type');
    return { type: t, columns: this.core.importColumns(t) };
  }
}
