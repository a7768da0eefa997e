// Sealed decision documents (准予许可决定书) of approved service-hall applications: made once, stored as
// a blob, the same bytes on every later download.
import { eq, sql } from 'drizzle-orm';
import { type Actor, systemActor } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit.service';
import { shanghaiDate } from '../../platform/calendar';
import { inTransaction } from '../../platform/db/client';
import { getBlob, putBlob, sha256Of } from '../../platform/files/blobs';
import { AppError, errors } from '../../platform/http/problem';
import { layoutDecision } from './decision-document';
import { loadPdf } from './pdf-sign';
import type { SealCore } from './seal.core';
import type { SealRow } from './seal.model';
import { sealDecisionDocuments, sealSeals } from './seal.schema';
import type { SealSealing } from './seal.sealing';
import type { SealRegistry } from './seal.seals';

export class SealDecisions {
  constructor(
    private readonly core: SealCore,
    private readonly seals: SealRegistry,
    private readonly sealing: SealSealing,
  ) {}

  // ---- decision documents ------------------------------------------------------------------------------------

  /**
   * The sealed decision document of an approved application: made once (under a per-application lock),
   * stored as a blob, and the same bytes returned on every later download.
   */
  async decisionDocument(actor: Actor, applicationId: string): Promise<{ bytes: Buffer; fileName: string }> {
    // Loading through the service hall applies its rules: the applicant (or an authorised agent) and staff
    // who handle the owning department see it; anyone else gets 404.
    const app = await this.core.deps.applications.get(actor, applicationId);
    const decided = app.decision as { decision?: string } | null;
    if (!(['approved', 'completed'].includes(app.state) && decided?.decision === 'approved')) {
      throw errors.conflict('a decision document exists only for an approved application', { currentState: app.state });
    }
    const fileName = `decision-${applicationId}.pdf`;
    const [existing] = await this.core.db.select().from(sealDecisionDocuments).where(eq(sealDecisionDocuments.applicationId, applicationId));
    if (existing) return { bytes: (await getBlob(this.core.db, existing.blobId))!.bytes, fileName };

    const system = systemActor('seal.decision');
    const seal = (await this.core.activeSealOf(app.ownerOrgId)) ?? (await this.findOrMakeSeal(app.ownerOrgId));
    const decisionDate = shanghaiDate(app.decidedAt ? new Date(app.decidedAt) : new Date());
    const facts = {
      applicationId,
      applicantName: app.applicant.name,
      itemName: app.item.name,
      itemCode: app.item.code,
      departmentName: seal.name,
      cityName: await this.core.cityName(),
      decisionDate,
      submittedDate: app.submittedAt ? shanghaiDate(new Date(app.submittedAt)) : null,
      automatic: (app.decision as { kind?: string } | null)?.kind === 'auto_approval',
    };
    const { doc, sealAt } = await layoutDecision(facts);
    const ctx = await this.sealing.sealingContext(seal);
    return inTransaction(this.core.db, async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'seal.decision:' + applicationId}))`);
      const [again] = await tx.select().from(sealDecisionDocuments).where(eq(sealDecisionDocuments.applicationId, applicationId));
      if (again) return { bytes: (await getBlob(tx, again.blobId))!.bytes, fileName };
      const unsigned = Buffer.from(await doc.save({ useObjectStreams: false }));
      const fresh = await loadPdf(unsigned);
      const { bytes, signing } = await this.sealing.sealLoaded(tx, system, seal, fresh, { page: 1, x: sealAt.x, y: sealAt.y }, { inputSha256: sha256Of(unsigned), fileName, purpose: 'decision', applicationId, reason: '准予许可决定' }, ctx);
      const blob = await putBlob(tx, { bytes, contentType: 'application/pdf', fileName, createdBy: actor.userId });
      await tx.insert(sealDecisionDocuments).values({ applicationId, blobId: blob.id, signingId: signing.id });
      await recordAudit(tx, actor, { action: 'seal.decision.create', entityType: 'svc_application', entityId: applicationId, orgId: app.ownerOrgId, after: { blobId: blob.id, sha256: blob.sha256, sealId: seal.id } });
      return { bytes, fileName };
    });
  }

  private async findOrMakeSeal(orgId: string): Promise<SealRow> {
    // A department that decides applications needs a seal for its decisions; make its first one (audited).
    // One whose seal was revoked waits for the administrator instead.
    const [any] = await this.core.db.select({ id: sealSeals.id }).from(sealSeals).where(eq(sealSeals.orgId, orgId)).limit(1);
    if (any) throw errors.conflict("the department's seal was revoked and no new one has been made yet");
    await this.seals.make(systemActor('seal.decision'), orgId, { onlyIfMissing: true });
    const seal = await this.core.activeSealOf(orgId);
    if (!seal) throw new AppError(409, 'conflict', 'Conflict', 'the department has no active seal');
    return seal;
  }
}
