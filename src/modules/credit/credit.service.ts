// Publication (双公示): upload batches validated row by row and staged, publication of the valid rows,
// single records, the public lookup with masking, profiles, statistics and configuration (publication
// regimes, repair time limits). Every write is audited in its transaction. Repairs live in repair.service.ts.
//
// The service is one façade over its rooms: configuration (credit.settings.ts), authorities and records
// (credit.records.ts), upload batches (credit.batches.ts), the public lookup (credit.lookup.ts), and
// profiles and statistics (credit.profile.ts); how rows are shown is in credit.views.ts.
import type { Db, Tx } from '../../platform/db/client';
import { CreditBatches } from './credit.batches';
import { CreditLookup } from './credit.lookup';
import { CreditProfiles } from './credit.profile';
import { CreditRecords } from './credit.records';
import { CreditConfig, type CreditDeps } from './credit.settings';

export { CREDIT } from './credit.permissions';
export { DEFAULT_SETTINGS, type CreditDeps, type CreditSettings } from './credit.settings';
export { batchView, maskedRecord, maskName, nameQuery, recordErrors, recordView, type BatchView, type RecordView } from './credit.views';

export class CreditService {
  readonly db: Db;
  private readonly config: CreditConfig;
  private readonly records: CreditRecords;
  private readonly batches: CreditBatches;
  private readonly lookup: CreditLookup;
  private readonly profiles: CreditProfiles;

  constructor(readonly d: CreditDeps) {
    this.db = d.db;
    this.config = new CreditConfig(d);
    this.records = new CreditRecords(d, this.config);
    this.batches = new CreditBatches(d, this.config, this.records);
    this.lookup = new CreditLookup(d);
    this.profiles = new CreditProfiles(d);
  }

  // ---- configuration -------------------------------------------------------------------------------------
  today(): string {
    return this.config.today();
  }
  settings(...a: Parameters<CreditConfig['settings']>) {
    return this.config.settings(...a);
  }
  regimes(...a: Parameters<CreditConfig['regimes']>) {
    return this.config.regimes(...a);
  }
  getRegimes() {
    return this.config.getRegimes();
  }
  putRegimes(...a: Parameters<CreditConfig['putRegimes']>) {
    return this.config.putRegimes(...a);
  }
  /** Seed the standard's regimes when none are configured (reference data, idempotent). */
  seedRegimes() {
    return this.config.seedRegimes();
  }

  // ---- who publishes for which authority; records ------------------------------------------------------------
  /** Authority credit codes the actor may publish for, with the organisation each belongs to. */
  authoritiesOf(...a: Parameters<CreditRecords['authoritiesOf']>) {
    return this.records.authoritiesOf(...a);
  }
  setAuthority(...a: Parameters<CreditRecords['setAuthority']>) {
    return this.records.setAuthority(...a);
  }
  createRecord(...a: Parameters<CreditRecords['createRecord']>) {
    return this.records.createRecord(...a);
  }
  /** Insert a record for seed data: validated by the same rules, published by the given organisation; idempotent by document number. */
  seedRecord(...a: Parameters<CreditRecords['seedRecord']>) {
    return this.records.seedRecord(...a);
  }
  listRecords(...a: Parameters<CreditRecords['listRecords']>) {
    return this.records.listRecords(...a);
  }
  getRecord(...a: Parameters<CreditRecords['getRecord']>) {
    return this.records.getRecord(...a);
  }
  /** Take penalties whose publication window has ended out of publication (the recurring job). */
  expire(...a: Parameters<CreditRecords['expire']>) {
    return this.records.expire(...a);
  }

  // ---- batches ----------------------------------------------------------------------------------------------
  createBatch(...a: Parameters<CreditBatches['createBatch']>) {
    return this.batches.createBatch(...a);
  }
  listBatches(...a: Parameters<CreditBatches['listBatches']>) {
    return this.batches.listBatches(...a);
  }
  getBatch(...a: Parameters<CreditBatches['getBatch']>) {
    return this.batches.getBatch(...a);
  }
  problems(...a: Parameters<CreditBatches['problems']>) {
    return this.batches.problems(...a);
  }
  /** Every row with its errors: an error column, and in Excel the bad cells filled red with the reason as a note. */
  report(...a: Parameters<CreditBatches['report']>) {
    return this.batches.report(...a);
  }
  publishBatch(...a: Parameters<CreditBatches['publishBatch']>) {
    return this.batches.publishBatch(...a);
  }
  discardBatch(...a: Parameters<CreditBatches['discardBatch']>) {
    return this.batches.discardBatch(...a);
  }

  // ---- public lookup ---------------------------------------------------------------------------------------
  publicSearch(...a: Parameters<CreditLookup['publicSearch']>) {
    return this.lookup.publicSearch(...a);
  }
  /** A subject by credit code (or the public key of a person): only records in publication, masked. */
  publicSubject(...a: Parameters<CreditLookup['publicSubject']>) {
    return this.lookup.publicSubject(...a);
  }

  // ---- profile and statistics ---------------------------------------------------------------------------------
  profile(...a: Parameters<CreditProfiles['profile']>) {
    return this.profiles.profile(...a);
  }
  stats(...a: Parameters<CreditProfiles['stats']>) {
    return this.profiles.stats(...a);
  }
}

export type { Tx };
