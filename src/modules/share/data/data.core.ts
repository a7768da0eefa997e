// What the data store's rooms share: the job names and limits, the row types, the load view, the
// connector input, and how a column name is quoted and a dataset's table named. The rooms: the dataset
// tables and provider access (data.tables.ts), reading rows (data.reading.ts), quality rules and scores
// (data.quality.ts), loads (data.loads.ts) and their ingest (data.ingest.ts), pull connectors
// (data.connectors.ts) and objections (data.objections.ts); the façade is data.service.ts.
import { errors } from '../../../platform/http/problem';
import type { RowTextProblem } from '../../../platform/text';
import type { shareConnectors, shareDatasets, shareLoads, shareObjections } from './data.schema';
import type { ResourceCatalogue } from '../catalogue';
import type { ShareDeps } from '../deps';
import type { Dimension } from './quality';

export const LOAD_JOB = 'share.data.load';
export const CONNECTORS_JOB = 'share.data.connectors';
export const MAX_BATCH_ROWS = 10_000;
export const CHUNK = 5000;
export const PROGRESS_EVERY = 5000;
const COLUMN = /^[a-z][a-z0-9_]{0,62}$/;

export type LoadRow = typeof shareLoads.$inferSelect;
export type ConnectorRow = typeof shareConnectors.$inferSelect;
export type ObjectionRow = typeof shareObjections.$inferSelect;
export type DatasetRow = typeof shareDatasets.$inferSelect;
export type InRow = { row: number; values: Record<string, unknown>; textProblems?: RowTextProblem[] };

/** A column name quoted after checking it is one (names come from items, and items are checked on publish). */
export function ident(name: string): string {
  if (!COLUMN.test(name)) throw errors.field('/column', `not a column name: ${name}`);
  return `"${name}"`;
}

export function tableNameFor(code: string): string {
  return `share_data.ds_${code.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
}

export interface LoadView {
  id: string;
  resourceId: string;
  source: string;
  mode: string;
  state: string;
  batchId: string | null;
  connectorId: string | null;
  fileName: string | null;
  format: string | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsInserted: number;
  rowsUpdated: number;
  bytesRead: number;
  bytesTotal: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
export function loadView(l: LoadRow): LoadView {
  return {
    id: l.id,
    resourceId: l.resourceId,
    source: l.source,
    mode: l.mode,
    state: l.state,
    batchId: l.batchId,
    connectorId: l.connectorId,
    fileName: l.fileName,
    format: l.format,
    rowsRead: l.rowsRead,
    rowsLoaded: l.rowsLoaded,
    rowsRejected: l.rowsRejected,
    rowsInserted: l.rowsInserted,
    rowsUpdated: l.rowsUpdated,
    bytesRead: l.bytesRead,
    bytesTotal: l.bytesTotal,
    error: l.error,
    createdAt: l.createdAt.toISOString(),
    startedAt: iso(l.startedAt),
    finishedAt: iso(l.finishedAt),
  };
}

export interface QualityScore {
  score: number;
  dimensions: Record<Dimension, number>;
}

export interface ConnectorInput {
  name: string;
  kind: 'http_json' | 'postgres';
  /** http_json: {url, token?, sinceParam?}; postgres: {connectionString, table}. */
  config: Record<string, string>;
  mode?: 'full' | 'incremental';
  changeColumn?: string | null;
  scheduleSeconds?: number | null;
  enabled?: boolean;
}

/** What the data store is built from: the platform services and the catalogue (for published shapes). */
export type DataDeps = ShareDeps & { catalogue: ResourceCatalogue };
