// Certificate types and issued certificates: issuing one by form or API, many by a streamed bulk import,
// GB/T 36904 identifiers from per-(type, issuer) serial ranges, revocation and suspension, and the Token
// Status Lists that publish every certificate's status.
//
// This file is the façade the rest of the platform uses; the work is done in its rooms:
// certificates.core.ts (dependencies, cached types, shared look-ups), certificates.types.ts (types and the
// import template), certificates.check.ts (checking a row), certificates.issuing.ts (serials, slots and
// the insert), certificates.reading.ts (records, list, detail), certificates.status.ts (status changes and
// Token Status Lists), certificates.imports.ts (bulk imports).
import type { Readable } from 'node:stream';
import type { Actor } from '../../../platform/auth/actor';
import type { DbOrTx } from '../../../platform/db/client';
import type { Column } from '../../../platform/files';
import type { Page } from '../../../platform/http/paging';
import type { Org } from '../../org';
import type { CertificateFieldDef, CertificateReader, CertificateRecord, CertificateStatus, CertificateTypeInfo } from '../contracts';
import { checkRow } from './certificates.check';
import { CertCore } from './certificates.core';
import { CertImports } from './certificates.imports';
import { CertIssuing } from './certificates.issuing';
import type { CertificateListItem, CertificatesDeps, CertificateTypeView, CleanRow, ImportView, IssueInput, TypeRow } from './certificates.model';
import { CertReading } from './certificates.reading';
import { CertStatus } from './certificates.status';
import { CertTypes } from './certificates.types';

export { CORE_COLUMNS, IMPORT_JOB, isRealDate, STATUS_LIST_SIGNER_ORG, STATUS_LIST_SIZE } from './certificates.model';
export type { CertificateListItem, CertificatesDeps, CertificateTypeView, ImportView, IssueInput, StatusEventView } from './certificates.model';

export class CertificateService implements CertificateReader {
  private readonly core: CertCore;
  private readonly types: CertTypes;
  private readonly reading: CertReading;
  private readonly issuing: CertIssuing;
  private readonly status: CertStatus;
  private readonly imports: CertImports;

  constructor(readonly deps: CertificatesDeps) {
    this.core = new CertCore(deps);
    this.types = new CertTypes(this.core);
    this.reading = new CertReading(this.core);
    this.issuing = new CertIssuing(this.core, this.reading);
    this.status = new CertStatus(this.core, this.reading);
    this.imports = new CertImports(this.core, this.issuing);
  }

  get statusListTtlSeconds(): number {
    return this.core.statusListTtlSeconds;
  }

  holderHash(code: string): string {
    return this.core.holderHash(code);
  }

  // ---- types (certificates.types.ts) ----------------------------------------------------------------------

  /** Every type (30-odd rows), cached for a minute; an edit clears the cache. */
  typeRows(): Promise<TypeRow[]> {
    return this.core.typeRows();
  }

  listTypes(actor: Actor): Promise<{ items: CertificateTypeView[] }> {
    return this.types.listTypes(actor);
  }

  getType(actor: Actor, id: string): Promise<CertificateTypeView> {
    return this.types.getType(actor, id);
  }

  updateType(actor: Actor, id: string, patch: { nameEn?: string; fields?: CertificateFieldDef[] }): Promise<CertificateTypeView> {
    return this.types.updateType(actor, id, patch);
  }

  /** The import template's columns: core metadata, then the type's fields. */
  importColumns(t: Pick<TypeRow, 'fields'>): Column[] {
    return this.core.importColumns(t);
  }

  templateColumns(actor: Actor, typeId: string): Promise<{ type: TypeRow; columns: Column[] }> {
    return this.types.templateColumns(actor, typeId);
  }

  // ---- validation (certificates.check.ts) -------------------------------------------------------------------

  /** Every problem of one row (field, reason), or the clean row. `raw` holds core keys and type field keys. */
  checkRow(t: TypeRow, raw: Record<string, unknown>, row: number, defaults: { today: string; jurisdiction: string }): { ok: CleanRow } | { problems: { field: string; reason: string }[] } {
    return checkRow(t, raw, row, defaults);
  }

  // ---- issuing (certificates.issuing.ts) ----------------------------------------------------------------------

  /**
   * Issue a batch of clean rows: drop those already issued (and repeats inside the batch), take serials and
   * slots for the rest, insert. `write` runs inside the same transaction (import progress, audit).
   */
  issueBatch(
    type: TypeRow,
    issuer: Org & { creditCode: string },
    rows: CleanRow[],
    meta: { actor: Actor; importId: string | null; isDemo?: boolean },
    write?: (tx: DbOrTx, r: { inserted: { id: string; row: number }[]; duplicates: number[] }) => Promise<void>,
  ) {
    return this.issuing.issueBatch(type, issuer, rows, meta, write);
  }

  /** Issue one certificate (form or API). 422 naming every bad field; 409 when the same one exists. */
  issue(actor: Actor, input: IssueInput, opts: { isDemo?: boolean } = {}): Promise<CertificateRecord & { created: boolean }> {
    return this.issuing.issue(actor, input, opts);
  }

  // ---- reading (certificates.reading.ts) ----------------------------------------------------------------------

  statusListUri(id: number | string): string {
    return this.core.statusListUri(id);
  }

  get(id: string): Promise<CertificateRecord | null> {
    return this.reading.get(id);
  }

  byHolderCode(holderCode: string): Promise<CertificateRecord[]> {
    return this.reading.byHolderCode(holderCode);
  }

  typeByName(nameZh: string): Promise<CertificateTypeInfo | null> {
    return this.reading.typeByName(nameZh);
  }

  list(
    actor: Actor,
    f: { typeId?: string; status?: CertificateStatus; holderCode?: string; number?: string; expired?: boolean; importId?: string; limit: number; offset: number },
  ): Promise<Page<CertificateListItem>> {
    return this.reading.list(actor, f);
  }

  /** The console's detail: metadata with the holder code masked, the identifier, status history. */
  detail(actor: Actor, id: string) {
    return this.reading.detail(actor, id);
  }

  // ---- status (certificates.status.ts) ------------------------------------------------------------------------

  /** suspend: valid → suspended; reinstate: suspended → valid; revoke: valid or suspended → revoked (final). */
  changeStatus(actor: Actor, id: string, action: 'suspend' | 'reinstate' | 'revoke', reason: string) {
    return this.status.changeStatus(actor, id, action, reason);
  }

  /** The signed Token Status List of list `id` (cached until a status in it changes or it nears expiry). */
  statusListToken(id: number): Promise<{ token: string; ttl: number }> {
    return this.status.statusListToken(id);
  }

  // ---- imports (certificates.imports.ts) ----------------------------------------------------------------------

  /** Check the type and the caller before the upload is read. */
  importContext(actor: Actor, typeId: string | undefined) {
    return this.imports.importContext(actor, typeId);
  }

  /** Stage the upload to DATA_DIR/cert-imports (streamed) and queue the durable import job. */
  createImport(actor: Actor, typeId: string, file: { fileName: string; format: 'csv' | 'jsonl'; stream: Readable }): Promise<ImportView> {
    return this.imports.createImport(actor, typeId, file);
  }

  /** The import job's body: resumable after the last committed row. */
  runImport(importId: string, opts: { actor?: Actor } = {}): Promise<ImportView> {
    return this.imports.runImport(importId, opts);
  }

  getImport(actor: Actor, id: string): Promise<ImportView> {
    return this.imports.getImport(actor, id);
  }

  listImports(actor: Actor, f: { limit: number; offset: number }): Promise<Page<ImportView>> {
    return this.imports.listImports(actor, f);
  }

  rejects(actor: Actor, id: string, page: { limit: number; offset: number }) {
    return this.imports.rejects(actor, id, page);
  }

  /** Every rejected row's problems, 1,000 at a time (CSV download). Access is checked before the first row. */
  rejectsAll(actor: Actor, id: string): Promise<AsyncIterable<Record<string, unknown>>> {
    return this.imports.rejectsAll(actor, id);
  }
}
