// The data resource catalogue and the exchange directory (X-Road-style members and subsystems).
//
// A resource row holds its current published version (or its first draft before it is ever published).
// Editing a published resource opens version n+1 as a pending draft in share_resource_versions; the
// published version stays what the data store, the gateway and consumers see until the draft is published.
//
// This file is the façade the rest of the application uses; the work is done by its rooms: access
// (catalogue.access.ts), the directory of members and subsystems (catalogue.directory.ts), reading
// resources (catalogue.reading.ts) and editing them (catalogue.editing.ts). Shared vocabularies, types
// and views are in catalogue.core.ts; the search document and the publish checks in catalogue.rules.ts.
import type { Actor } from '../../../platform/auth/actor';
import type { DbOrTx } from '../../../platform/db/client';
import type { Page } from '../../../platform/http/paging';
import type { ResourceDataShape } from '../contracts';
import type { ShareDeps } from '../deps';
import { CatalogueAccess } from './catalogue.access';
import type { Member, MemberLevel, MemberRow, NewResource, ResourceFields, ResourceFilter, ResourceSummary, ResourceView, Subsystem, VersionSummary } from './catalogue.core';
import { CatalogueDirectory } from './catalogue.directory';
import { CatalogueEditing } from './catalogue.editing';
import { CatalogueReading } from './catalogue.reading';

export {
  BASIC_KINDS,
  CATEGORIES,
  FORMATS,
  GRADES,
  ITEM_NAME,
  ITEM_TYPES,
  MEMBER_LEVELS,
  OPENING_TYPES,
  PERSONAL_KINDS,
  RESOURCE_CODE,
  RESOURCE_STATES,
  SHARING_METHODS,
  SHARING_TYPES,
  UPDATE_CYCLES,
  memberXroadId,
  type Member,
  type MemberLevel,
  type NewResource,
  type ResourceFields,
  type ResourceFilter,
  type ResourceSummary,
  type ResourceView,
  type Subsystem,
  type VersionSummary,
} from './catalogue.core';
export { publishProblems, resourceQuery, resourceVector } from './catalogue.rules';

export class ResourceCatalogue {
  private readonly access: CatalogueAccess;
  private readonly directory: CatalogueDirectory;
  private readonly reading: CatalogueReading;
  private readonly editing: CatalogueEditing;

  constructor(readonly deps: ShareDeps) {
    this.access = new CatalogueAccess(deps);
    this.directory = new CatalogueDirectory(deps, this.access);
    this.reading = new CatalogueReading(deps, this.access, this.directory);
    this.editing = new CatalogueEditing(deps, this.access, this.directory, this.reading);
  }

  // ---- who may manage what ----------------------------------------------------------------------------------

  /** The bureau (city-scoped grant management or catalogue management) manages every resource and the directory. */
  isBureau(actor: Actor): boolean {
    return this.access.isBureau(actor);
  }

  /** True when the actor may manage resources (and subsystems) of a provider organisation. */
  canManageOrg(actor: Actor, orgId: string | null, db?: DbOrTx): Promise<boolean> {
    return this.access.canManageOrg(actor, orgId, db);
  }

  // ---- members ---------------------------------------------------------------------------------------------

  listMembers(actor: Actor, f: { q?: string; level?: string; external?: boolean; orgId?: string; limit: number; offset: number }): Promise<Page<Member & { subsystems: number }>> {
    return this.directory.listMembers(actor, f);
  }

  getMember(actor: Actor, id: string): Promise<Member & { subsystems: Subsystem[]; canManage: boolean }> {
    return this.directory.getMember(actor, id);
  }

  /** Register an external (upstream) provider such as a provincial department or a ministry. The bureau only. */
  createExternalMember(actor: Actor, input: { instance: string; class: string; code: string; name: string; nameEn?: string | null; level: MemberLevel; contact?: string | null }): Promise<Member> {
    return this.directory.createExternalMember(actor, input);
  }

  member(id: string, db?: DbOrTx): Promise<MemberRow | null> {
    return this.directory.member(id, db);
  }

  /** The member row of an organisation on this platform (departments and districts have one each). */
  memberOfOrg(orgId: string, db?: DbOrTx): Promise<Member | null> {
    return this.directory.memberOfOrg(orgId, db);
  }

  isExternal(memberId: string): Promise<boolean> {
    return this.directory.isExternal(memberId);
  }

  // ---- subsystems ------------------------------------------------------------------------------------------

  listSubsystems(actor: Actor, f: { memberId?: string; limit: number; offset: number }): Promise<Page<Subsystem & { memberName: string; memberCode: string }>> {
    return this.directory.listSubsystems(actor, f);
  }

  /** A subsystem is registered by the bureau, or by a department for its own member. */
  createSubsystem(actor: Actor, input: { memberId: string; code: string; name: string; description?: string | null }): Promise<Subsystem> {
    return this.directory.createSubsystem(actor, input);
  }

  /** A subsystem with its member (what the gateway and the requests need to name a consumer). */
  subsystem(id: string, db?: DbOrTx): Promise<(Subsystem & { member: Member }) | null> {
    return this.directory.subsystem(id, db);
  }

  /** CN-370200/GOV/MZJ/funeral-registry */
  xroadId(sub: { code: string; member: Pick<Member, 'instance' | 'class' | 'code'> }): string {
    return this.directory.xroadId(sub);
  }

  /** CN-370200/GOV/MZJ/funeral-registry/370200-MZJ-00012 */
  xroadServiceId(sub: { code: string; member: Pick<Member, 'instance' | 'class' | 'code'> }, resourceCode: string): string {
    return this.directory.xroadServiceId(sub, resourceCode);
  }

  // ---- resources: reading ----------------------------------------------------------------------------------

  list(actor: Actor, f: ResourceFilter): Promise<Page<ResourceSummary>> {
    return this.reading.list(actor, f);
  }

  /** Counts by category, grade, sharing type and provider over what the actor sees (each facet ignores its own filter). */
  facets(actor: Actor, f: Partial<ResourceFilter>): ReturnType<CatalogueReading['facets']> {
    return this.reading.facets(actor, f);
  }

  get(actor: Actor, id: string): Promise<ResourceView> {
    return this.reading.get(actor, id);
  }

  versions(actor: Actor, id: string): Promise<{ items: (VersionSummary & { snapshot: ResourceFields })[] }> {
    return this.reading.versions(actor, id);
  }

  /** The published version's data shape, for the data store and the gateway; null unless published. */
  shape(resourceId: string, db?: DbOrTx): Promise<ResourceDataShape | null> {
    return this.reading.shape(resourceId, db);
  }

  /** The resource (its current row: the published version, or the first draft) by code. */
  byCode(code: string, db?: DbOrTx): Promise<(Omit<ResourceSummary, keyof ResourceFields> & ResourceFields) | null> {
    return this.reading.byCode(code, db);
  }

  // ---- resources: writing ----------------------------------------------------------------------------------

  /** A new resource, as draft version 1. Departments create for their own member; the bureau for any. */
  create(actor: Actor, input: NewResource, opts: { code?: string } = {}): Promise<ResourceView> {
    return this.editing.create(actor, input, opts);
  }

  /**
   * Edit: a never-published draft is edited in place; a published resource gets (or updates) its pending
   * draft version n+1, leaving the published version untouched until publish.
   */
  update(actor: Actor, id: string, patch: Partial<ResourceFields> & { note?: string }): Promise<ResourceView> {
    return this.editing.update(actor, id, patch);
  }

  /** Publish the draft (first or pending): validated; the published snapshot is replaced. */
  publish(actor: Actor, id: string): Promise<ResourceView> {
    return this.editing.publish(actor, id);
  }

  /** Retire: no longer offered (existing grants are the gateway's business). A pending draft is dropped. */
  retire(actor: Actor, id: string, reason?: string): Promise<ResourceView> {
    return this.editing.retire(actor, id, reason);
  }

  // ---- directory seed (reference-like) ---------------------------------------------------------------------

  /** One member per department and district organisation of the platform; idempotent. */
  ensureOrgMembers(instance: string): Promise<number> {
    return this.directory.ensureOrgMembers(instance);
  }
}
