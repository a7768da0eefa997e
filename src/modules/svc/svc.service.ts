// The service catalogue: items (draft → published → retired, with immutable versions), zones, district
// sub-halls, bundles, synonyms, and the search behind the portal. Owner-scoped: staff see and change
// the items of the organisations their role covers (OrgService.visibleIds).
// This class is the module's one entry point; the work lives in rooms, each in its own file:
//   svc.core.ts       permissions, types, look-ups and caches, checking/numbering/indexing/showing an item
//   svc.items.ts      staff item writes, reading items and versions, counts, export pages
//   svc.search.ts     staff list, portal search, a published item, browse facets
//   svc.structure.ts  zones, sub-hall items, bundles, synonyms (svc.catalogue.manage)
import type { Actor } from '../../platform/auth/actor';
import type { Db, DbOrTx } from '../../platform/db/client';
import type { OrgService } from '../org';
import type { ItemDefinition } from './model';
import { CatalogueCore, type ItemFilter, type NewItem } from './svc.core';
import { CatalogueItems } from './svc.items';
import { CatalogueSearch } from './svc.search';
import { CatalogueStructure } from './svc.structure';

export { SVC, definitionOf, type Item, type ItemFilter, type ItemRow, type ItemSummary, type NewItem, type SearchHit, type SearchPage } from './svc.core';

export class CatalogueService extends CatalogueCore {
  private readonly items: CatalogueItems;
  private readonly finder: CatalogueSearch;
  private readonly structure: CatalogueStructure;

  constructor(db: Db, orgs: OrgService) {
    super(db, orgs);
    this.items = new CatalogueItems(this);
    this.finder = new CatalogueSearch(this);
    this.structure = new CatalogueStructure(this);
  }

  // ---- staff: items (svc.items.ts) ------------------------------------------------------------------

  create(actor: Actor, input: NewItem) {
    return this.items.create(actor, input);
  }

  /**
   * Edit an item. A draft changes in place; a published or retired item collects the edits as pending
   * changes, which the public does not see until the next publication makes them a new version.
   */
  update(actor: Actor, id: string, patch: Partial<ItemDefinition>) {
    return this.items.update(actor, id, patch);
  }

  /** Publish: a draft becomes version 1; a published or retired item with pending edits becomes the next version. */
  publish(actor: Actor, id: string) {
    return this.items.publish(actor, id);
  }

  retire(actor: Actor, id: string, reason: string) {
    return this.items.retire(actor, id, reason);
  }

  /** Only a never-published draft can be deleted (versions are kept for the applications made under them). */
  remove(actor: Actor, id: string) {
    return this.items.remove(actor, id);
  }

  get(actor: Actor, id: string) {
    return this.items.get(actor, id);
  }

  /** A published version as it was published: what an application made under it must use. No actor: versions are public facts. */
  version(itemId: string, version: number) {
    return this.items.version(itemId, version);
  }

  /** Count a use of an item (applications call this); feeds the search ranking. */
  bumpPopularity(tx: DbOrTx, itemId: string, by = 1) {
    return this.items.bumpPopularity(tx, itemId, by);
  }

  /** Items by owner and status, for the console statistics. */
  counts(actor: Actor) {
    return this.items.counts(actor);
  }

  /** Items in code order after `afterCode`, for streaming exports. */
  exportPage(scope: string[] | undefined, afterCode: string, limit: number, f: Pick<ItemFilter, 'status' | 'department' | 'district'>) {
    return this.items.exportPage(scope, afterCode, limit, f);
  }

  // ---- search and browse (svc.search.ts) ------------------------------------------------------------

  /** Staff list/search: drafts included, limited to the actor's owners. */
  list(actor: Actor, f: ItemFilter) {
    return this.finder.list(actor, f);
  }

  /** Portal search and browse: published items only. */
  publicSearch(f: Omit<ItemFilter, 'status'>) {
    return this.finder.publicSearch(f);
  }

  search(f: ItemFilter, o: { scope?: string[]; publishedOnly: boolean }) {
    return this.finder.search(f, o);
  }

  /** A published item by code for the portal (the latest published version's content). */
  publicItem(code: string) {
    return this.finder.publicItem(code);
  }

  departments() {
    return this.finder.departments();
  }

  halls() {
    return this.finder.halls();
  }

  zones(category?: string) {
    return this.finder.zones(category);
  }

  bundles() {
    return this.finder.bundles();
  }

  bundle(code: string) {
    return this.finder.bundle(code);
  }

  // ---- structure (svc.structure.ts) -----------------------------------------------------------------

  upsertZone(actor: Actor, z: Parameters<CatalogueStructure['upsertZone']>[1]) {
    return this.structure.upsertZone(actor, z);
  }

  /** Add or remove city items a district sub-hall handles. */
  setHallItems(actor: Actor, districtCode: string, change: { add?: string[]; remove?: string[] }) {
    return this.structure.setHallItems(actor, districtCode, change);
  }

  upsertBundle(actor: Actor, b: Parameters<CatalogueStructure['upsertBundle']>[1]) {
    return this.structure.upsertBundle(actor, b);
  }

  listSynonyms() {
    return this.structure.listSynonyms();
  }

  setSynonym(actor: Actor, term: string, expansions: string[]) {
    return this.structure.setSynonym(actor, term, expansions);
  }

  removeSynonym(actor: Actor, term: string) {
    return this.structure.removeSynonym(actor, term);
  }
}
