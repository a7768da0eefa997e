// Datasets behind published resources: one typed table per resource (schema share_data), loading by
// upload, push and pull with quality rules, the reader the gateway uses, quality scores and objections.
//
// Every load goes the same way: rows are typed and checked as they stream in, good rows are written in
// chunks into a private staging table, set-level rules (unique, referential) run in SQL on the staging
// table, and then ONE transaction merges staging into the dataset (full: replace; incremental: upsert by
// key) together with the dataset's counters, the load's outcome and its audit entry. A process killed at
// any point before that commit leaves the dataset exactly as it was; the job then starts the load again
// from the staged file.
//
// This file is the façade the rest of the application uses; the work is done by its rooms: the tables and
// provider access (data.tables.ts), reading (data.reading.ts), quality rules and scores (data.quality.ts),
// loads (data.loads.ts), ingest and merge (data.ingest.ts), pull connectors (data.connectors.ts) and
// objections (data.objections.ts). Shared constants, row types and views are in data.core.ts.
import type { Readable } from 'node:stream';
import type { Actor } from '../../../platform/auth/actor';
import type { TabularFormat } from '../../../platform/files';
import type { Page } from '../../../platform/http/paging';
import type { DataItem, DatasetReader, ResourceDataShape, RowFilter } from '../contracts';
import { DataConnectors } from './data.connectors';
import type { ConnectorInput, ConnectorRow, DataDeps, DatasetRow, InRow, LoadRow, LoadView, QualityScore } from './data.core';
import { DataIngest } from './data.ingest';
import { DataLoads } from './data.loads';
import { DataObjections } from './data.objections';
import { DataQuality } from './data.quality';
import { DataReading } from './data.reading';
import { DataTables } from './data.tables';
import type { Problem, QualityRule } from './quality';

export { CONNECTORS_JOB, LOAD_JOB, MAX_BATCH_ROWS, ident, tableNameFor, type ConnectorInput, type LoadView, type QualityScore } from './data.core';

export class DataStore implements DatasetReader {
  private readonly tables: DataTables;
  private readonly reading: DataReading;
  private readonly quality: DataQuality;
  private readonly ingester: DataIngest;
  private readonly connectors: DataConnectors;
  private readonly loads: DataLoads;
  private readonly objections: DataObjections;

  constructor(readonly deps: DataDeps) {
    this.tables = new DataTables(deps);
    this.quality = new DataQuality(this.tables);
    this.reading = new DataReading(this.tables, this.quality);
    this.ingester = new DataIngest(this.tables, this.quality);
    this.connectors = new DataConnectors(this.tables);
    this.loads = new DataLoads(this.tables, this.ingester, this.connectors);
    this.objections = new DataObjections(this.tables, this.reading);
  }

  // ---- tables -------------------------------------------------------------------------------------------

  shape(resourceId: string): Promise<ResourceDataShape | null> {
    return this.tables.shape(resourceId);
  }

  /**
   * Create the resource's table, or add the columns of new items (never dropping one: an item removed from
   * the catalogue keeps its column and data). Idempotent; cached per process by the items' signature.
   */
  ensureTable(shape: ResourceDataShape): Promise<DatasetRow> {
    return this.tables.ensureTable(shape);
  }

  /** The dataset's qualified table name (created when missing). */
  tableOf(resourceId: string): Promise<string> {
    return this.tables.tableOf(resourceId);
  }

  // ---- reading (the gateway's DatasetReader and the provider's own view) -----------------------------------

  lookup(resourceId: string, key: Record<string, string>, fields: string[], filter: RowFilter): Promise<Record<string, unknown> | null> {
    return this.reading.lookup(resourceId, key, fields, filter);
  }

  query(resourceId: string, q: { fields: string[]; filter: RowFilter; where: Record<string, string>; limit: number; offset: number }): Promise<{ items: Record<string, unknown>[]; total: number }> {
    return this.reading.query(resourceId, q);
  }

  /** Every matching row, 1,000 at a time by keyset on the row id: bounded memory on any table size. */
  stream(resourceId: string, q: { fields: string[]; filter: RowFilter; where: Record<string, string> }): AsyncIterable<Record<string, unknown>> {
    return this.reading.stream(resourceId, q);
  }

  datasetView(actor: Actor, resourceId: string): ReturnType<DataReading['datasetView']> {
    return this.reading.datasetView(actor, resourceId);
  }

  records(actor: Actor, resourceId: string, q: { limit: number; offset: number; where: Record<string, string> }): ReturnType<DataReading['records']> {
    return this.reading.records(actor, resourceId, q);
  }

  // ---- quality rules ----------------------------------------------------------------------------------------

  /** Derived rules (from the items; always on) followed by the provider's own. */
  rules(resourceId: string, shape?: ResourceDataShape): Promise<QualityRule[]> {
    return this.quality.rules(resourceId, shape);
  }

  listRules(actor: Actor, resourceId: string): ReturnType<DataQuality['listRules']> {
    return this.quality.listRules(actor, resourceId);
  }

  /** Replace the provider's own rules (derived rules stay). */
  putRules(actor: Actor, resourceId: string, input: Omit<QualityRule, 'id' | 'derived'>[]): ReturnType<DataQuality['putRules']> {
    return this.quality.putRules(actor, resourceId, input);
  }

  // ---- loads ----------------------------------------------------------------------------------------------

  /** Upload: the file is streamed to DATA_DIR/share-loads, then a durable job loads it. */
  createUpload(actor: Actor, resourceId: string, mode: 'full' | 'incremental', file: { fileName: string; format: TabularFormat | 'jsonl'; stream: Readable }): Promise<LoadView> {
    return this.loads.createUpload(actor, resourceId, mode, file);
  }

  /** Push API: validated and merged at once; the same batchId again returns the first result. */
  pushBatch(actor: Actor, resourceId: string, input: { batchId: string; mode: 'full' | 'incremental'; rows: Record<string, unknown>[] }): ReturnType<DataLoads['pushBatch']> {
    return this.loads.pushBatch(actor, resourceId, input);
  }

  listLoads(actor: Actor, f: { resourceId?: string; state?: string; limit: number; offset: number }): Promise<Page<LoadView & { resourceCode: string | null; resourceName: string | null }>> {
    return this.loads.listLoads(actor, f);
  }

  getLoad(actor: Actor, id: string): ReturnType<DataLoads['getLoad']> {
    return this.loads.getLoad(actor, id);
  }

  rejected(actor: Actor, id: string, page: { limit: number; offset: number }): ReturnType<DataLoads['rejected']> {
    return this.loads.rejected(actor, id, page);
  }

  /** Every rejected row, 1,000 at a time, for the CSV export. */
  rejectedAll(actor: Actor, id: string): AsyncIterable<{ rowNumber: number; problems: Problem[]; raw: Record<string, unknown> }> {
    return this.loads.rejectedAll(actor, id);
  }

  /** The durable job's body: (re)run a queued or interrupted load from its source. */
  runLoad(loadId: string): Promise<void> {
    return this.loads.runLoad(loadId);
  }

  /**
   * Type, check, stage and merge. Rows failing an error-severity rule are never loaded; when any such rule
   * fails on more than its threshold the whole load is rejected and the dataset stays as it was.
   */
  ingest(load: LoadRow, shape: ResourceDataShape, input: AsyncIterable<InRow>, actor: Actor | null, bytesRead?: () => number, connector?: ConnectorRow): Promise<LoadView> {
    return this.ingester.ingest(load, shape, input, actor, bytesRead, connector);
  }

  // ---- connectors -----------------------------------------------------------------------------------------

  listConnectors(actor: Actor, resourceId: string): ReturnType<DataConnectors['listConnectors']> {
    return this.connectors.listConnectors(actor, resourceId);
  }

  createConnector(actor: Actor, resourceId: string, input: ConnectorInput): ReturnType<DataConnectors['createConnector']> {
    return this.connectors.createConnector(actor, resourceId, input);
  }

  updateConnector(actor: Actor, id: string, patch: Partial<ConnectorInput> & { watermark?: string | null }): ReturnType<DataConnectors['updateConnector']> {
    return this.connectors.updateConnector(actor, id, patch);
  }

  /** Queue a pull now (on demand, or from the schedule). */
  runConnector(actor: Actor, id: string): Promise<LoadView> {
    return this.connectors.runConnector(actor, id);
  }

  /** The periodic job: every enabled connector with a schedule that is due gets a pull queued. */
  runDueConnectors(now = new Date()): Promise<number> {
    return this.connectors.runDueConnectors(now);
  }

  // ---- quality scores -------------------------------------------------------------------------------------

  /** The resource's score (see docs: mean of the six GB/T 36344 dimensions, each 0–100). */
  score(resourceId: string): Promise<QualityScore> {
    return this.quality.score(resourceId);
  }

  qualityList(actor: Actor, f: { by: 'resource' | 'department'; limit: number; offset: number }): ReturnType<DataQuality['qualityList']> {
    return this.quality.qualityList(actor, f);
  }

  // ---- objections (疑义) -----------------------------------------------------------------------------------

  raiseObjection(actor: Actor, resourceId: string, input: { recordKey: string; column: string; description: string }): ReturnType<DataObjections['raiseObjection']> {
    return this.objections.raiseObjection(actor, resourceId, input);
  }

  listObjections(actor: Actor, f: { box: 'raised' | 'received' | 'all'; state?: string; resourceId?: string; limit: number; offset: number }): ReturnType<DataObjections['listObjections']> {
    return this.objections.listObjections(actor, f);
  }

  answerObjection(actor: Actor, id: string, input: { accepted: boolean; answer: string }): ReturnType<DataObjections['answerObjection']> {
    return this.objections.answerObjection(actor, id, input);
  }

  /** answered → corrected (fixed by hand), corrected | rejected → closed. */
  resolveObjection(actor: Actor, id: string, input: { note: string }): ReturnType<DataObjections['resolveObjection']> {
    return this.objections.resolveObjection(actor, id, input);
  }
}

export type { DataItem };
