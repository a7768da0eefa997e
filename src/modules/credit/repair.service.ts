// Credit repair (信用修复): the enterprise applies for one of its published penalties once the minimum
// publication period has passed, confirms a generated commitment letter, uploads proof of performance
// and submits; the deciding department accepts, may ask for more material, and approves or rejects
// within working-day limits. Approval withdraws the record from publication and writes outbox
// deliveries in the same transaction; the outbox worker sends them to configured endpoints, durably,
// with retries, and marks the repair synced when every delivery has landed.
//
// The service is one façade over its rooms: the enterprise side (repair.apply.ts), decisions and reading
// (repair.decide.ts), the outbox (repair.outbox.ts); what they share is in repair.core.ts (the repair's
// visibility, history and views) and repair.rules.ts (states, transitions, materials).
import { RepairApplications } from './repair.apply';
import { RepairCore, type RepairDeps } from './repair.core';
import { RepairDecisions } from './repair.decide';
import { RepairOutbox } from './repair.outbox';

export type { RepairDeps } from './repair.core';
export { EXPIRE_JOB, MATERIAL_MAX_BYTES, OUTBOX_JOB, REPAIR_MATERIALS, REPAIR_STATES, type RepairState } from './repair.rules';

export class RepairService {
  private readonly core: RepairCore;
  private readonly applications: RepairApplications;
  private readonly decisions: RepairDecisions;
  private readonly outbox: RepairOutbox;

  constructor(d: RepairDeps) {
    this.core = new RepairCore(d);
    this.applications = new RepairApplications(this.core);
    this.decisions = new RepairDecisions(this.core);
    this.outbox = new RepairOutbox(this.core);
  }

  // ---- enterprise side --------------------------------------------------------------------------------------
  eligibility(...a: Parameters<RepairApplications['eligibility']>) {
    return this.applications.eligibility(...a);
  }
  myPenalties(...a: Parameters<RepairApplications['myPenalties']>) {
    return this.applications.myPenalties(...a);
  }
  commitmentText(...a: Parameters<RepairApplications['commitmentText']>) {
    return this.applications.commitmentText(...a);
  }
  commitment(...a: Parameters<RepairApplications['commitment']>) {
    return this.applications.commitment(...a);
  }
  create(...a: Parameters<RepairApplications['create']>) {
    return this.applications.create(...a);
  }
  uploadMaterial(...a: Parameters<RepairApplications['uploadMaterial']>) {
    return this.applications.uploadMaterial(...a);
  }
  downloadMaterial(...a: Parameters<RepairApplications['downloadMaterial']>) {
    return this.applications.downloadMaterial(...a);
  }

  // ---- decisions and reading --------------------------------------------------------------------------------
  /** One state change: checks, deadlines, history, audit and the applicant's notification, together. */
  act(...a: Parameters<RepairDecisions['act']>) {
    return this.decisions.act(...a);
  }
  get(...a: Parameters<RepairDecisions['get']>) {
    return this.decisions.get(...a);
  }
  view(...a: Parameters<RepairCore['view']>) {
    return this.core.view(...a);
  }
  list(...a: Parameters<RepairDecisions['list']>) {
    return this.decisions.list(...a);
  }

  // ---- outbox ----------------------------------------------------------------------------------------------
  getEndpoints() {
    return this.outbox.getEndpoints();
  }
  putEndpoints(...a: Parameters<RepairOutbox['putEndpoints']>) {
    return this.outbox.putEndpoints(...a);
  }
  listOutbox(...a: Parameters<RepairOutbox['listOutbox']>) {
    return this.outbox.listOutbox(...a);
  }
  /** Deliver what is due (the outbox job); see RepairOutbox.deliverDue for the leasing and idempotency. */
  deliverDue(...a: Parameters<RepairOutbox['deliverDue']>) {
    return this.outbox.deliverDue(...a);
  }
}
