// Applications (SVC): drafts, materials, submission with automatic approval, the staff workflow, deadlines
// in working days, notifications, satisfaction, proxy authorisations. Every state change goes through
// transition(): the table in states.ts decides, the history row, the audit entry and the notification are
// written in the same transaction. PGlite has one connection: everything a write needs (item version,
// facts, calendar, grants) is read before its transaction opens; inside, only `tx` is used.
// This class is the one entry point; the work lives in rooms, each in its own file:
//   applications.core.ts       types, views, reading/locking, who may act, transition()
//   applications.drafts.ts     reading, the caller's list, drafts (alone or for a bundle), the form
//   applications.materials.ts  uploads, electronic certificates, removal, download
//   applications.submit.ts     completeness, deadline, submission with 秒批, resubmission, withdrawal, rating
//   applications.staff.ts      worklist, claims, decisions, statistics, automatic-approval rules
//   applications.proxy.ts      proxy authorisations (亲友代办)
import type { Readable } from 'node:stream';
import type { Actor } from '../../../platform/auth/actor';
import type { Tx } from '../../../platform/db/client';
import { NotificationInbox } from '../../../platform/notify';
import { ApplicationCore, type Deps, type PreparedDraft, type PreparedSubmit, type AppRow, type ItemVersion } from './applications.core';
import { ApplicationDrafts } from './applications.drafts';
import { ApplicationMaterials } from './applications.materials';
import { ProxyAuthorisations } from './applications.proxy';
import { ApplicationStaff } from './applications.staff';
import { ApplicationSubmission } from './applications.submit';
import type { AutoRule } from './auto';
import type { CertificateRef } from './ports';
import type { Action, State } from './states';

export { APP, isOverdue, toView, type ApplicationView, type AppRow, type Deps, type ItemVersion, type PreparedDraft, type PreparedSubmit } from './applications.core';

type DraftInput = { itemId: string; onBehalfOf?: string; data?: Record<string, unknown> };

export class ApplicationService extends ApplicationCore {
  private readonly inbox: NotificationInbox;
  private readonly drafts: ApplicationDrafts;
  private readonly materials: ApplicationMaterials;
  private readonly submission: ApplicationSubmission;
  private readonly staff: ApplicationStaff;
  private readonly proxies: ProxyAuthorisations;

  constructor(d: Deps) {
    super(d);
    this.inbox = new NotificationInbox(d.db);
    this.drafts = new ApplicationDrafts(this);
    this.materials = new ApplicationMaterials(this);
    this.submission = new ApplicationSubmission(this);
    this.staff = new ApplicationStaff(this);
    this.proxies = new ProxyAuthorisations(this);
  }

  // ---- reading and drafts (applications.drafts.ts) ------------------------------------------------------

  get(actor: Actor, id: string) {
    return this.drafts.get(actor, id);
  }

  /** The caller's applications: their own and those they made for someone else. */
  listMine(actor: Actor, f: { state?: State; limit: number; offset: number }) {
    return this.drafts.listMine(actor, f);
  }

  create(actor: Actor, input: DraftInput) {
    return this.drafts.create(actor, input);
  }

  /** Everything a new draft needs, read and checked before any transaction (bundles prepare all members first). */
  prepareDraft(actor: Actor, input: DraftInput) {
    return this.drafts.prepareDraft(actor, input);
  }

  /** Insert a prepared draft (and its audit entry) in the caller's transaction. */
  insertDraft(tx: Tx, p: PreparedDraft, bundleApplicationId: string | null, createdAt?: Date) {
    return this.drafts.insertDraft(tx, p, bundleApplicationId, createdAt);
  }

  /** Drafts may be incomplete: every problem except a missing required value is reported. */
  checkDraftData(v: ItemVersion, data: Record<string, unknown>) {
    return this.drafts.checkDraftData(v, data);
  }

  updateData(actor: Actor, id: string, data: Record<string, unknown>) {
    return this.drafts.updateData(actor, id, data);
  }

  // ---- materials (applications.materials.ts) ------------------------------------------------------------

  /** The size limit of an upload for a material (the route's body limit), or a 4xx. */
  uploadLimit(actor: Actor, id: string, key: string) {
    return this.materials.uploadLimit(actor, id, key);
  }

  upload(actor: Actor, id: string, key: string, input: { stream: Readable; contentType: string; fileName: string }) {
    return this.materials.upload(actor, id, key, input);
  }

  attachCertificate(actor: Actor, id: string, key: string, ref: CertificateRef) {
    return this.materials.attachCertificate(actor, id, key, ref);
  }

  removeMaterial(actor: Actor, id: string, key: string) {
    return this.materials.removeMaterial(actor, id, key);
  }

  download(actor: Actor, id: string, key: string) {
    return this.materials.download(actor, id, key);
  }

  // ---- submission (applications.submit.ts) --------------------------------------------------------------

  submit(actor: Actor, id: string) {
    return this.submission.submit(actor, id);
  }

  /** Checks and reads for a submission, before any transaction (`acting`: the already resolved actor). */
  prepareSubmit(acting: Actor, r: AppRow) {
    return this.submission.prepareSubmit(acting, r);
  }

  /** The submission itself (and the automatic decision) in the caller's transaction. */
  applySubmit(tx: Tx, p: PreparedSubmit) {
    return this.submission.applySubmit(tx, p);
  }

  resubmit(actor: Actor, id: string) {
    return this.submission.resubmit(actor, id);
  }

  withdraw(actor: Actor, id: string, reason: string | null) {
    return this.submission.withdraw(actor, id, reason);
  }

  rate(actor: Actor, id: string, input: { score: number; comment?: string }) {
    return this.submission.rate(actor, id, input);
  }

  // ---- staff side (applications.staff.ts) ---------------------------------------------------------------

  worklist(actor: Actor, f: Parameters<ApplicationStaff['worklist']>[1]) {
    return this.staff.worklist(actor, f);
  }

  claim(actor: Actor, id: string, claim: boolean) {
    return this.staff.claim(actor, id, claim);
  }

  act(actor: Actor, id: string, action: Action, reason: string | null) {
    return this.staff.act(actor, id, action, reason);
  }

  /** Bulk accept/approve: each in its own transaction, one result per id. */
  bulk(actor: Actor, action: 'accept' | 'approve', ids: string[]) {
    return this.staff.bulk(actor, action, ids);
  }

  stats(actor: Actor) {
    return this.staff.stats(actor);
  }

  satisfaction(actor: Actor) {
    return this.staff.satisfaction(actor);
  }

  getRule(actor: Actor, itemId: string) {
    return this.staff.getRule(actor, itemId);
  }

  setRule(actor: Actor, itemId: string, rule: AutoRule, enabled = true) {
    return this.staff.setRule(actor, itemId, rule, enabled);
  }

  writeRule(tx: Tx, actor: Actor, itemId: string, orgId: string | null, rule: AutoRule, enabled: boolean) {
    return this.staff.writeRule(tx, actor, itemId, orgId, rule, enabled);
  }

  // ---- notifications -----------------------------------------------------------------------------------

  /** The signed-in person's notices (the platform's inbox; every module notifies through it). */
  notifications(actor: Actor, f: { unread?: boolean; limit: number; offset: number }) {
    return this.inbox.list(actor, f);
  }

  markRead(actor: Actor, id: string | 'all'): Promise<{ updated: number }> {
    return this.inbox.markRead(actor, id);
  }

  // ---- proxy authorisations (applications.proxy.ts) -----------------------------------------------------

  requestProxy(actor: Actor, input: { principal: string; relation: string; itemIds?: string[]; expiresAt: string }) {
    return this.proxies.requestProxy(actor, input);
  }

  proxyGrants(actor: Actor) {
    return this.proxies.proxyGrants(actor);
  }

  decideProxy(actor: Actor, id: string, decision: 'confirm' | 'decline' | 'revoke') {
    return this.proxies.decideProxy(actor, id, decision);
  }
}
