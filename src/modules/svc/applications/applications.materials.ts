// The materials of an application: uploads (type and size limits from the item version, content sniffed),
// electronic certificates from the wallet, removal and download.
import type { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, can } from '../../../platform/auth/actor';
import { inTransaction, type Tx } from '../../../platform/db/client';
import { deleteBlob, getBlob, putBlob, readLimited, sniffType } from '../../../platform/files/blobs';
import { AppError, errors } from '../../../platform/http/problem';
import { svcApplicationMaterials } from './applications.schema';
import type { CertificateRef } from './ports';
import { APP, type ApplicationCore } from './applications.core';

export class ApplicationMaterials {
  constructor(private readonly core: ApplicationCore) {}

  /** The size limit of an upload for a material (the route's body limit), or a 4xx. */
  async uploadLimit(actor: Actor, id: string, key: string): Promise<number> {
    const r = await this.core.row(id);
    await this.core.applicantActor(actor, r);
    this.core.editableForMaterials(r);
    const m = (await this.core.versionOf(r)).materials.find((x) => x.key === key);
    if (!m) throw errors.notFound(`material ${key}`);
    if (!m.upload) throw errors.unprocessable(`${m.name} is accepted only as an electronic certificate`);
    return Math.floor(m.upload.maxSizeMb * 1024 * 1024);
  }

  async upload(actor: Actor, id: string, key: string, input: { stream: Readable; contentType: string; fileName: string }) {
    const r = await this.core.row(id);
    const acting = await this.core.applicantActor(actor, r);
    this.core.editableForMaterials(r);
    const m = (await this.core.versionOf(r)).materials.find((x) => x.key === key);
    if (!m) throw errors.notFound(`material ${key}`);
    if (!m.upload) throw errors.unprocessable(`${m.name} is accepted only as an electronic certificate`);
    const ext = (input.fileName.match(/\.([A-Za-z0-9]{1,5})$/)?.[1] ?? '').toLowerCase().replace('jpeg', 'jpg');
    const allowed = m.upload.types as string[];
    if (!allowed.includes(ext)) throw new AppError(415, 'unsupported-media-type', 'Unsupported media type', `${m.name} accepts ${allowed.join(', ')}; the file is ${ext || 'of unknown type'}`);
    const bytes = await readLimited(input.stream, Math.floor(m.upload.maxSizeMb * 1024 * 1024));
    if (!bytes.length) throw errors.field('/body', 'the file is empty');
    const sniffed = sniffType(bytes);
    const matches = sniffed === ext || (sniffed === 'docx' && ext === 'ofd');
    if (!matches) throw new AppError(415, 'unsupported-media-type', 'Unsupported media type', `the content is not a ${ext} file`);
    return inTransaction(this.core.db, async (tx) => {
      const cur = await this.core.lock(tx, id);
      this.core.editableForMaterials(cur);
      await this.detachMaterial(tx, id, key);
      const blob = await putBlob(tx, { bytes, contentType: input.contentType, fileName: input.fileName, createdBy: actor.userId });
      await tx.insert(svcApplicationMaterials).values({ applicationId: id, materialKey: key, kind: 'upload', blobId: blob.id, fileName: input.fileName, contentType: input.contentType, size: blob.size, sha256: blob.sha256 });
      await recordAudit(tx, acting, { action: 'svc.application.material', entityType: 'svc_application', entityId: id, orgId: r.ownerOrgId, note: { key, size: blob.size, sha256: blob.sha256 } });
      return { key, kind: 'upload', fileName: input.fileName, size: blob.size, sha256: blob.sha256 };
    });
  }

  /** Remove what is attached to a material (and its stored file), before something replaces it. */
  private async detachMaterial(tx: Tx, id: string, key: string): Promise<void> {
    const [old] = await tx.select().from(svcApplicationMaterials).where(and(eq(svcApplicationMaterials.applicationId, id), eq(svcApplicationMaterials.materialKey, key)));
    if (!old) return;
    await tx.delete(svcApplicationMaterials).where(eq(svcApplicationMaterials.id, old.id));
    if (old.blobId) await deleteBlob(tx, old.blobId);
  }

  async attachCertificate(actor: Actor, id: string, key: string, ref: CertificateRef) {
    const r = await this.core.row(id);
    const acting = await this.core.applicantActor(actor, r);
    this.core.editableForMaterials(r);
    const m = (await this.core.versionOf(r)).materials.find((x) => x.key === key);
    if (!m) throw errors.notFound(`material ${key}`);
    if (!m.certificateType) throw errors.unprocessable(`${m.name} cannot be replaced by an electronic certificate`);
    if (ref.certificateTypeName !== m.certificateType) throw errors.field('/body/certificateTypeName', `${m.name} takes a ${m.certificateType}`);
    const answer = await this.core.d.wallet.resolve(r.applicantId, ref);
    if (!answer.ok) throw new AppError(answer.reason === 'wallet-unavailable' ? 503 : 422, answer.reason, 'Certificate not usable', answer.message);
    return inTransaction(this.core.db, async (tx) => {
      const cur = await this.core.lock(tx, id);
      this.core.editableForMaterials(cur);
      await this.detachMaterial(tx, id, key);
      await tx.insert(svcApplicationMaterials).values({ applicationId: id, materialKey: key, kind: 'certificate', certificateType: ref.certificateTypeName, certificateId: ref.certificateId });
      await recordAudit(tx, acting, { action: 'svc.application.material', entityType: 'svc_application', entityId: id, orgId: r.ownerOrgId, note: { key, certificate: ref.certificateTypeName } });
      return { key, kind: 'certificate', certificateType: ref.certificateTypeName, certificateId: ref.certificateId };
    });
  }

  async removeMaterial(actor: Actor, id: string, key: string): Promise<void> {
    const r = await this.core.row(id);
    const acting = await this.core.applicantActor(actor, r);
    this.core.editableForMaterials(r);
    await inTransaction(this.core.db, async (tx) => {
      const cur = await this.core.lock(tx, id);
      this.core.editableForMaterials(cur);
      const [old] = await tx.select().from(svcApplicationMaterials).where(and(eq(svcApplicationMaterials.applicationId, id), eq(svcApplicationMaterials.materialKey, key)));
      if (!old) throw errors.notFound(`material ${key}`);
      await tx.delete(svcApplicationMaterials).where(eq(svcApplicationMaterials.id, old.id));
      if (old.blobId) await deleteBlob(tx, old.blobId);
      await recordAudit(tx, acting, { action: 'svc.application.material.remove', entityType: 'svc_application', entityId: id, orgId: r.ownerOrgId, note: { key } });
    });
  }

  async download(actor: Actor, id: string, key: string) {
    const r = await this.core.row(id);
    if (actor.kind === 'staff' && can(actor, APP.handle)) await this.core.staffRow(actor, id);
    else await this.core.applicantActor(actor, r);
    const [m] = await this.core.db.select().from(svcApplicationMaterials).where(and(eq(svcApplicationMaterials.applicationId, id), eq(svcApplicationMaterials.materialKey, key)));
    if (!m?.blobId) throw errors.notFound(`uploaded material ${key}`);
    const blob = await getBlob(this.core.db, m.blobId);
    if (!blob) throw errors.notFound(`uploaded material ${key}`);
    return blob;
  }
}
