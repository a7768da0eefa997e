// Who may manage what in the catalogue: the bureau manages every resource and the directory; a department
// the resources (and subsystems) of the organisations its catalogue.manage grant reaches.
import { type Actor, can, canSeeOrgPath, visibility } from '../../../platform/auth/actor';
import type { DbOrTx } from '../../../platform/db/client';
import type { ShareDeps } from '../deps';
import { SHARE } from '../share.permissions';

export class CatalogueAccess {
  constructor(private readonly deps: ShareDeps) {}

  private get db() {
    return this.deps.db;
  }

  /** The bureau (city-scoped grant management or catalogue management) manages every resource and the directory. */
  isBureau(actor: Actor): boolean {
    return visibility(actor, SHARE.catalogueManage).all || visibility(actor, SHARE.grantManage).all;
  }

  private async orgPath(orgId: string | null, db: DbOrTx): Promise<string | null> {
    if (!orgId) return null;
    return this.deps.orgs.pathOf(orgId, db);
  }

  /** True when the actor may manage resources (and subsystems) of a provider organisation. */
  async canManageOrg(actor: Actor, orgId: string | null, db: DbOrTx = this.db): Promise<boolean> {
    if (!can(actor, SHARE.catalogueManage) && !can(actor, SHARE.grantManage)) return false;
    if (this.isBureau(actor)) return true;
    if (!orgId) return false;
    return canSeeOrgPath(visibility(actor, SHARE.catalogueManage), await this.orgPath(orgId, db));
  }

  /** Organisation ids whose non-published resources the actor sees; undefined: all. */
  async manageableOrgIds(actor: Actor): Promise<string[] | undefined> {
    if (this.isBureau(actor)) return undefined;
    if (!can(actor, SHARE.catalogueManage)) return [];
    return (await this.deps.orgs.visibleIds(actor, SHARE.catalogueManage)) ?? undefined;
  }
}
