// Editing the catalogue: a new resource as draft version 1, edits (in place for a never-published draft,
// as a pending draft version n+1 of a published resource), publish (validated) and retire. Each write
// is one transaction with its audit entry.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { shanghaiDate } from '../../../platform/calendar';
import { type DbOrTx, inTransaction, rows } from '../../../platform/db/client';
import { AppError, errors } from '../../../platform/http/problem';
import { likeEscape } from '../../../platform/http/paging';
import type { ShareDeps } from '../deps';
import { SHARE } from '../share.permissions';
import type { CatalogueAccess } from './catalogue.access';
import type { CatalogueDirectory } from './catalogue.directory';
import type { CatalogueReading } from './catalogue.reading';
import { divisionOfInstance, FIELD_KEYS, fieldsOf, type MemberRow, type NewResource, normaliseItem, type ResourceFields, type ResourceRow, type ResourceView } from './catalogue.core';
import { publishProblems, resourceVector } from './catalogue.rules';
import { shareResources, shareResourceVersions, shareSubsystems } from './catalogue.schema';

export class CatalogueEditing {
  constructor(
    private readonly deps: ShareDeps,
    private readonly access: CatalogueAccess,
    private readonly directory: CatalogueDirectory,
    private readonly reading: CatalogueReading,
  ) {}

  private get db() {
    return this.deps.db;
  }

  // ---- resources: writing ----------------------------------------------------------------------------------

  private async nextCode(tx: DbOrTx, provider: MemberRow): Promise<string> {
    const prefix = `${divisionOfInstance(provider.instance)}-${provider.code}-`;
    const [r] = await rows<{ n: number | null }>(tx, sql`select max(substring(code from ${prefix.length + 1}::int)::int) as n from share_resources where code like ${likeEscape(prefix) + '%'}`);
    return `${prefix}${String((r?.n ?? 0) + 1).padStart(5, '0')}`;
  }

  private async checkSubsystem(tx: DbOrTx, subsystemId: string | null | undefined, providerMemberId: string, path: string) {
    if (!subsystemId) return;
    const [s] = await tx.select({ memberId: shareSubsystems.memberId }).from(shareSubsystems).where(eq(shareSubsystems.id, subsystemId));
    if (!s || s.memberId !== providerMemberId) throw errors.unprocessable('the serving subsystem must belong to the provider', [{ path, message: "not a subsystem of the provider" }]);
  }

  /** A new resource, as draft version 1. Departments create for their own member; the bureau for any. */
  async create(actor: Actor, input: NewResource, opts: { code?: string } = {}): Promise<ResourceView> {
    requirePermission(actor, SHARE.catalogueManage);
    let providerMemberId = input.providerMemberId;
    if (!providerMemberId) {
      const own = actor.orgId ? await this.directory.memberOfOrg(actor.orgId) : null;
      if (!own) throw errors.field('/body/providerMemberId', 'required (your organisation is not a member of the exchange)');
      providerMemberId = own.id;
    }
    const provider = await this.directory.member(providerMemberId);
    if (!provider) throw errors.unprocessable('unknown provider', [{ path: '/body/providerMemberId', message: 'no such member' }]);
    if (!(await this.access.canManageOrg(actor, provider.orgId))) throw errors.forbidden('you may catalogue resources of your own organisation only');
    const fields = this.complete(input);
    return inTransaction(this.db, async (tx) => {
      await this.checkSubsystem(tx, fields.providerSubsystemId, provider.id, '/body/providerSubsystemId');
      const code = opts.code ?? (await this.nextCode(tx, provider));
      const [r] = await tx
        .insert(shareResources)
        .values({ ...fields, code, version: 1, state: 'draft', providerMemberId: provider.id, providerOrgId: provider.orgId, searchVector: resourceVector(code, fields, provider.name), createdBy: actor.userId })
        .returning();
      await tx.insert(shareResourceVersions).values({ resourceId: r.id, version: 1, snapshot: fields, state: 'draft', changedBy: actor.userId, note: 'created' });
      await recordAudit(tx, actor, { action: 'share.resource.create', entityType: 'share_resource', entityId: r.id, orgId: provider.orgId, after: { code, name: r.name, version: 1 } });
      return this.reading.view(r, true, tx);
    });
  }

  private complete(input: Partial<ResourceFields> & Pick<ResourceFields, 'name' | 'category' | 'format' | 'sharingType' | 'sharingMethod' | 'openingType' | 'updateCycle' | 'grade'>): ResourceFields {
    return {
      name: input.name.trim(),
      summary: input.summary ?? '',
      category: input.category,
      basicKind: input.basicKind ?? null,
      classification: input.classification ?? '',
      format: input.format,
      items: (input.items ?? []).map(normaliseItem),
      sharingType: input.sharingType,
      sharingCondition: input.sharingCondition ?? null,
      sharingMethod: input.sharingMethod,
      openingType: input.openingType,
      updateCycle: input.updateCycle,
      relatedCodes: input.relatedCodes ?? [],
      grade: input.grade,
      legalBasis: input.legalBasis ?? null,
      providerSubsystemId: input.providerSubsystemId ?? null,
    };
  }

  private async managed(actor: Actor, tx: DbOrTx, id: string): Promise<ResourceRow> {
    requirePermission(actor, SHARE.catalogueManage);
    const [r] = await tx.select().from(shareResources).where(eq(shareResources.id, id)).for('update');
    if (!r) throw errors.notFound('resource');
    if (!(await this.access.canManageOrg(actor, r.providerOrgId, tx))) {
      if (r.state === 'published') throw errors.forbidden('you may manage resources of your own organisation only');
      throw errors.notFound('resource');
    }
    return r;
  }

  /**
   * Edit: a never-published draft is edited in place; a published resource gets (or updates) its pending
   * draft version n+1, leaving the published version untouched until publish.
   */
  async update(actor: Actor, id: string, patch: Partial<ResourceFields> & { note?: string }): Promise<ResourceView> {
    return inTransaction(this.db, async (tx) => {
      const r = await this.managed(actor, tx, id);
      if (r.state === 'retired') throw errors.conflict('a retired resource cannot be edited');
      const { note, ...changes } = patch;
      const base: ResourceFields =
        r.draftVersion != null
          ? ((await tx.select().from(shareResourceVersions).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.version, r.draftVersion))))[0].snapshot as ResourceFields)
          : fieldsOf(r);
      const next: ResourceFields = { ...base };
      for (const k of FIELD_KEYS) if (k in changes) (next as unknown as Record<string, unknown>)[k] = (changes as Record<string, unknown>)[k] ?? null;
      next.items = (next.items ?? []).map(normaliseItem);
      next.relatedCodes = next.relatedCodes ?? [];
      next.summary = next.summary ?? '';
      next.classification = next.classification ?? '';
      await this.checkSubsystem(tx, next.providerSubsystemId, r.providerMemberId, '/body/providerSubsystemId');
      let version: number;
      if (r.state === 'draft') {
        version = r.version;
        const provider = (await this.directory.member(r.providerMemberId, tx))!;
        await tx.update(shareResources).set({ ...next, searchVector: resourceVector(r.code, next, provider.name), updatedAt: new Date() }).where(eq(shareResources.id, id));
        await tx.update(shareResourceVersions).set({ snapshot: next, changedBy: actor.userId, note: note ?? null }).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.version, version)));
      } else if (r.draftVersion != null) {
        version = r.draftVersion;
        await tx.update(shareResourceVersions).set({ snapshot: next, changedBy: actor.userId, note: note ?? null }).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.version, version)));
        await tx.update(shareResources).set({ updatedAt: new Date() }).where(eq(shareResources.id, id));
      } else {
        const [{ max }] = await rows<{ max: number }>(tx, sql`select coalesce(max(version), 0)::int as max from share_resource_versions where resource_id = ${id}::uuid`);
        version = max + 1;
        await tx.insert(shareResourceVersions).values({ resourceId: id, version, snapshot: next, state: 'draft', changedBy: actor.userId, note: note ?? null });
        await tx.update(shareResources).set({ draftVersion: version, updatedAt: new Date() }).where(eq(shareResources.id, id));
      }
      await recordAudit(tx, actor, { action: 'share.resource.edit', entityType: 'share_resource', entityId: id, orgId: r.providerOrgId, before: { version: r.version, state: r.state }, after: { draftVersion: version, changed: Object.keys(changes) } });
      return this.reading.view((await this.reading.row(id, tx))!, true, tx);
    });
  }

  /** Publish the draft (first or pending): validated; the published snapshot is replaced. */
  async publish(actor: Actor, id: string): Promise<ResourceView> {
    return inTransaction(this.db, async (tx) => {
      const r = await this.managed(actor, tx, id);
      if (r.state === 'retired') throw errors.conflict('a retired resource cannot be published');
      if (r.state === 'published' && r.draftVersion == null) throw errors.conflict('nothing to publish: the resource has no pending draft');
      const version = r.state === 'draft' ? r.version : r.draftVersion!;
      const [v] = await tx.select().from(shareResourceVersions).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.version, version)));
      const fields = r.state === 'draft' ? fieldsOf(r) : (v.snapshot as ResourceFields);
      const codes = fields.relatedCodes.length ? await tx.select({ code: shareResources.code }).from(shareResources).where(and(inArray(shareResources.code, fields.relatedCodes), sql`${shareResources.id} <> ${id}::uuid`)) : [];
      const problems = publishProblems(fields, { relatedCodes: new Set(codes.map((c) => c.code)) });
      if (problems.length) throw new AppError(422, 'unprocessable', 'Cannot publish', `version ${version} cannot be published: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
      const provider = (await this.directory.member(r.providerMemberId, tx))!;
      const now = new Date();
      await tx
        .update(shareResources)
        .set({ ...fields, version, draftVersion: null, state: 'published', publishDate: r.publishDate ?? shanghaiDate(now), searchVector: resourceVector(r.code, fields, provider.name), updatedAt: now })
        .where(eq(shareResources.id, id));
      await tx.update(shareResourceVersions).set({ state: 'superseded' }).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.state, 'published')));
      await tx.update(shareResourceVersions).set({ state: 'published', publishedAt: now, snapshot: fields }).where(eq(shareResourceVersions.id, v.id));
      await recordAudit(tx, actor, { action: 'share.resource.publish', entityType: 'share_resource', entityId: id, orgId: r.providerOrgId, before: { version: r.version, state: r.state }, after: { version, state: 'published' } });
      return this.reading.view((await this.reading.row(id, tx))!, true, tx);
    });
  }

  /** Retire: no longer offered (existing grants are the gateway's business). A pending draft is dropped. */
  async retire(actor: Actor, id: string, reason?: string): Promise<ResourceView> {
    return inTransaction(this.db, async (tx) => {
      const r = await this.managed(actor, tx, id);
      if (r.state === 'retired') throw errors.conflict('already retired');
      if (r.draftVersion != null) await tx.delete(shareResourceVersions).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.version, r.draftVersion)));
      await tx.update(shareResourceVersions).set({ state: 'retired' }).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.version, r.version)));
      await tx.update(shareResources).set({ state: 'retired', draftVersion: null, updatedAt: new Date() }).where(eq(shareResources.id, id));
      await recordAudit(tx, actor, { action: 'share.resource.retire', entityType: 'share_resource', entityId: id, orgId: r.providerOrgId, before: { state: r.state, version: r.version }, after: { state: 'retired' }, note: reason ? { reason } : undefined });
      return this.reading.view((await this.reading.row(id, tx))!, true, tx);
    });
  }
}
