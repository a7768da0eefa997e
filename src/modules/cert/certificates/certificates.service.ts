// Certificate types and issued certificates: issuing one by form or API, many by a streamed bulk import,
// GB/T 36904 identifiers from per-(type, issuer) serial ranges, revocation and suspension, and the Token
// Status Lists that publish every certificate's status.
//
// Issuing always goes through issueRows: serial numbers and status-list slots are taken as ranges with one
// short statement each (outside the writing transaction, so concurrent imports never queue behind each
// other; a rolled-back batch only leaves gaps), then the certificates are inserted in one statement with
// ON CONFLICT DO NOTHING on (type, number, holder) — which is what makes a re-run of the same file harmless.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { type Actor, can, canSeeOrgPath, requirePermission, systemActor, visibility } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { blindIndex, decrypt, encrypt } from '../../../platform/crypto/secrets';
import { type DbOrTx, inTransaction, rows as rawRows } from '../../../platform/db/client';
import { readRows, type Column } from '../../../platform/files';
import { stageUpload } from '../../../platform/files/staging';
import { readJsonLines } from '../../../platform/files/jsonl';
import { AppError, errors, type FieldError } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import { buildLicenceId, citizenIdProblem, creditCodeProblem, maskCitizenId, todayInShanghai } from '../../../platform/ids';
import { PermanentJobError } from '../../../platform/jobs/queue';
import { encodeStatusList, STATUS } from '../../../lib/verifier';
import type { IssuerKeys } from '../../code';
import type { ModuleDeps } from '../../deps';
import type { Org } from '../../org';
import { CERT } from '../cert.permissions';
import type { CertificateFieldDef, CertificateReader, CertificateRecord, CertificateStatus, CertificateTypeInfo, HolderCodeType } from '../contracts';
import { certCertificates, certImportRejects, certImports, certStatusEvents, certStatusLists, certTypes } from './certificates.schema';

export type CertificatesDeps = ModuleDeps & { trust: IssuerKeys };

export const IMPORT_JOB = 'cert.import';
/** Slots per Token Status List (2 bits each: 25 kB uncompressed, a few hundred bytes compressed while mostly valid). */
export const STATUS_LIST_SIZE = 100_000;
/** The bureau's organisation code: it signs the status lists. */
export const STATUS_LIST_SIGNER_ORG = 'DSJ';
const HOLDER_CONTEXT = 'cert.holder_code';
const BATCH = 1000;
/** A status list token is valid for a day; it is rebuilt earlier whenever a status in it changes. */
const TOKEN_LIFETIME_SECONDS = 86_400;

type TypeRow = typeof certTypes.$inferSelect;
type CertRow = typeof certCertificates.$inferSelect;
type ImportRow = typeof certImports.$inferSelect;
type FieldValue = string | number | boolean | null;

/** Core metadata names (GB/T 36903) as the import columns and API fields call them. */
export const CORE_COLUMNS: Column[] = [
  { key: 'number', header: '证照编号' },
  { key: 'holderName', header: '持证主体' },
  { key: 'holderCode', header: '持证主体代码' },
  { key: 'issuedOn', header: '颁证日期' },
  { key: 'validFrom', header: '有效期起始' },
  { key: 'validUntil', header: '有效期截止' },
  { key: 'jurisdiction', header: '管辖属地' },
];
const CORE_KEYS = new Set(CORE_COLUMNS.map((c) => c.key));

export interface IssueInput {
  typeId: string;
  number: string;
  holderName: string;
  holderCode: string;
  issuedOn?: string;
  validFrom?: string;
  validUntil?: string | null;
  jurisdiction?: string;
  fields?: Record<string, unknown>;
}

/** A row that passed every check, ready to insert. */
interface CleanRow {
  row: number;
  number: string;
  holderName: string;
  holderCode: string;
  issuedOn: string;
  validFrom: string;
  validUntil: string | null;
  jurisdiction: string;
  fields: Record<string, FieldValue>;
}

export interface CertificateTypeView extends CertificateTypeInfo {
  departmentName: string;
  departmentCreditCode: string | null;
  /** True when the caller may issue certificates of this type. */
  canIssue: boolean;
}

export interface CertificateListItem {
  id: string;
  identifier: string;
  typeId: string;
  typeName: string;
  typeNameEn: string;
  number: string;
  holderName: string;
  holderCodeMasked: string;
  holderCodeType: HolderCodeType;
  issuerOrgId: string;
  issuerName: string;
  issuedOn: string;
  validFrom: string;
  validUntil: string | null;
  expired: boolean;
  status: CertificateStatus;
  createdAt: string;
}

export interface StatusEventView {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  reason: string | null;
  actorName: string;
  at: string;
}

export interface ImportView {
  id: string;
  typeId: string;
  typeName: string;
  issuerOrgId: string;
  format: string;
  fileName: string;
  state: string;
  bytesTotal: number;
  bytesRead: number;
  rowsRead: number;
  rowsIssued: number;
  rowsDuplicate: number;
  rowsRejected: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return (typeof v === 'string' ? v : String(v)).trim();
}

/** Type a field value from a form, JSON or a CSV cell; returns the value or a reason. */
function typedField(def: CertificateFieldDef, raw: unknown): { value: FieldValue } | { error: string } {
  const empty = raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '');
  if (empty) return def.required ? { error: 'required' } : { value: null };
  switch (def.type) {
    case 'string': {
      const s = text(raw);
      if (s.length > 1000) return { error: 'at most 1000 characters' };
      return { value: s };
    }
    case 'date': {
      const s = text(raw);
      return isRealDate(s) ? { value: s } : { error: 'not a real date (YYYY-MM-DD)' };
    }
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(text(raw));
      return Number.isFinite(n) && text(raw) !== '' ? { value: n } : { error: 'not a number' };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      const s = text(raw).toLowerCase();
      if (['true', '1', '是', 'yes'].includes(s)) return { value: true };
      if (['false', '0', '否', 'no'].includes(s)) return { value: false };
      return { error: 'not true or false' };
    }
  }
}

export class CertificateService implements CertificateReader {
  private typeCache: { at: number; rows: TypeRow[] } | null = null;

  constructor(readonly deps: CertificatesDeps) {}

  private get db() {
    return this.deps.db;
  }
  private get masterKey() {
    return this.deps.config.masterKey;
  }
  get statusListTtlSeconds(): number {
    return this.deps.config.certStatusListTtlSeconds;
  }

  holderHash(code: string): string {
    return blindIndex(this.masterKey, code, HOLDER_CONTEXT);
  }

  // ---- types ----------------------------------------------------------------------------------------------

  /** Every type (30-odd rows), cached for a minute; an edit clears the cache. */
  async typeRows(): Promise<TypeRow[]> {
    if (this.typeCache && Date.now() - this.typeCache.at < 60_000) return this.typeCache.rows;
    const rows = await this.db.select().from(certTypes).orderBy(certTypes.code);
    this.typeCache = { at: Date.now(), rows };
    return rows;
  }

  private async typeRow(id: string): Promise<TypeRow | null> {
    return (await this.typeRows()).find((t) => t.id === id) ?? null;
  }

  private async orgMap(ids: string[]): Promise<Map<string, Org>> {
    return this.deps.orgs.namesOf(ids);
  }

  private typeInfo(t: TypeRow, dept: Org | undefined): CertificateTypeInfo {
    return {
      id: t.id,
      code: t.code,
      nameZh: t.nameZh,
      nameEn: t.nameEn,
      departmentCode: dept?.code ?? '',
      holderKind: t.holderKind as 'person' | 'organisation',
      fields: t.fields,
      vct: `urn:dq:cert:${t.code}`,
    };
  }

  private canIssueType(actor: Actor, dept: Org | undefined): boolean {
    if (!can(actor, CERT.issue) || !dept) return false;
    return canSeeOrgPath(visibility(actor, CERT.issue), dept.path);
  }

  async listTypes(actor: Actor): Promise<{ items: CertificateTypeView[] }> {
    const rows = await this.typeRows();
    const depts = await this.orgMap(rows.map((r) => r.departmentOrgId));
    return {
      items: rows.map((t) => {
        const d = depts.get(t.departmentOrgId);
        return { ...this.typeInfo(t, d), departmentName: d?.name ?? '', departmentCreditCode: d?.creditCode ?? null, canIssue: this.canIssueType(actor, d) };
      }),
    };
  }

  async getType(actor: Actor, id: string): Promise<CertificateTypeView> {
    const t = await this.typeRow(id);
    if (!t) throw errors.notFound('certificate type');
    const d = await this.deps.orgs.byId(t.departmentOrgId);
    return { ...this.typeInfo(t, d ?? undefined), departmentName: d?.name ?? '', departmentCreditCode: d?.creditCode ?? null, canIssue: this.canIssueType(actor, d ?? undefined) };
  }

  async updateType(actor: Actor, id: string, patch: { nameEn?: string; fields?: CertificateFieldDef[] }): Promise<CertificateTypeView> {
    requirePermission(actor, CERT.typeManage);
    if (patch.fields) {
      const seen = new Set<string>();
      patch.fields.forEach((f, i) => {
        if (!/^[a-z][A-Za-z0-9]{0,39}$/.test(f.key)) throw errors.field(`/body/fields/${i}/key`, 'a key is a lower-camel-case word (letters and digits, up to 40)');
        if (CORE_KEYS.has(f.key)) throw errors.field(`/body/fields/${i}/key`, `${f.key} is a core metadata element, not a type field`);
        if (seen.has(f.key)) throw errors.field(`/body/fields/${i}/key`, `duplicate key ${f.key}`);
        seen.add(f.key);
      });
    }
    await inTransaction(this.db, async (tx) => {
      const [before] = await tx.select().from(certTypes).where(eq(certTypes.id, id)).for('update');
      if (!before) throw errors.notFound('certificate type');
      if (patch.fields) {
        // Removing a field that issued certificates carry would orphan their data; only additions and edits.
        const removed = before.fields.filter((f) => !patch.fields!.some((n) => n.key === f.key));
        if (removed.length) {
          const [used] = await tx.select({ id: certCertificates.id }).from(certCertificates).where(eq(certCertificates.typeId, id)).limit(1);
          if (used) throw errors.field('/body/fields', `certificates of this type exist: fields ${removed.map((f) => f.key).join(', ')} cannot be removed`);
        }
      }
      const set = { ...(patch.nameEn !== undefined ? { nameEn: patch.nameEn } : {}), ...(patch.fields ? { fields: patch.fields } : {}), updatedAt: new Date() };
      await tx.update(certTypes).set(set).where(eq(certTypes.id, id));
      await recordAudit(tx, actor, {
        action: 'cert.type.update',
        entityType: 'cert_type',
        entityId: id,
        orgId: before.departmentOrgId,
        before: { nameEn: before.nameEn, fields: before.fields.map((f) => f.key) },
        after: { nameEn: patch.nameEn ?? before.nameEn, fields: (patch.fields ?? before.fields).map((f) => f.key) },
      });
    });
    this.typeCache = null;
    return this.getType(actor, id);
  }

  /** The import template's columns: core metadata, then the type's fields. */
  importColumns(t: Pick<TypeRow, 'fields'>): Column[] {
    return [...CORE_COLUMNS, ...t.fields.map((f) => ({ key: f.key, header: f.nameZh }))];
  }

  async templateColumns(actor: Actor, typeId: string): Promise<{ type: TypeRow; columns: Column[] }> {
    requirePermission(actor, CERT.issue);
    const t = await this.typeRow(typeId);
    if (!t) throw errors.notFound('certificate type');
    return { type: t, columns: this.importColumns(t) };
  }

  // ---- validation -------------------------------------------------------------------------------------------

  /** Every problem of one row (field, reason), or the clean row. `raw` holds core keys and type field keys. */
  checkRow(t: TypeRow, raw: Record<string, unknown>, row: number, defaults: { today: string; jurisdiction: string }): { ok: CleanRow } | { problems: { field: string; reason: string }[] } {
    const problems: { field: string; reason: string }[] = [];
    const number = text(raw.number);
    if (!number) problems.push({ field: 'number', reason: 'required' });
    else if (number.length > 64 || [...number].some((c) => c.charCodeAt(0) < 32)) problems.push({ field: 'number', reason: 'at most 64 printable characters' });
    const holderName = text(raw.holderName);
    if (!holderName) problems.push({ field: 'holderName', reason: 'required' });
    else if (holderName.length > 200) problems.push({ field: 'holderName', reason: 'at most 200 characters' });
    const holderCode = text(raw.holderCode).toUpperCase();
    if (!holderCode) problems.push({ field: 'holderCode', reason: 'required' });
    else if (t.holderKind === 'person') {
      const p = citizenIdProblem(holderCode, defaults.today);
      if (p) problems.push({ field: 'holderCode', reason: `not a valid GB 11643 citizen ID number (${p})` });
    } else {
      const p = creditCodeProblem(holderCode);
      if (p) problems.push({ field: 'holderCode', reason: `not a valid GB 32100 unified social credit code (${p})` });
    }
    const issuedOn = text(raw.issuedOn) || defaults.today;
    if (!isRealDate(issuedOn)) problems.push({ field: 'issuedOn', reason: 'not a real date (YYYY-MM-DD)' });
    else if (issuedOn > defaults.today) problems.push({ field: 'issuedOn', reason: 'must not be in the future' });
    const validFrom = text(raw.validFrom) || issuedOn;
    // A validFrom taken from a bad issuedOn is not a second problem.
    if (text(raw.validFrom) && !isRealDate(validFrom)) problems.push({ field: 'validFrom', reason: 'not a real date (YYYY-MM-DD)' });
    const validUntil = text(raw.validUntil) || null;
    if (validUntil !== null) {
      if (!isRealDate(validUntil)) problems.push({ field: 'validUntil', reason: 'not a real date (YYYY-MM-DD), or empty for no end date' });
      else if (isRealDate(validFrom) && validUntil < validFrom) problems.push({ field: 'validUntil', reason: 'must not be before validFrom' });
    }
    const jurisdiction = text(raw.jurisdiction) || defaults.jurisdiction;
    if (!/^\d{6}$/.test(jurisdiction)) problems.push({ field: 'jurisdiction', reason: 'a GB/T 2260 division code has 6 digits' });

    const fields: Record<string, FieldValue> = {};
    const known = new Set(t.fields.map((f) => f.key));
    for (const key of Object.keys(raw)) if (!CORE_KEYS.has(key) && !known.has(key)) problems.push({ field: key, reason: 'not a field of this certificate type' });
    for (const def of t.fields) {
      let v = raw[def.key];
      // Values the core metadata already carry need not be typed twice (and are checked there, not again).
      const given = text(v) !== '';
      if (!given && holderName && ['name', 'enterpriseName', 'institutionName', 'owner'].includes(def.key)) v = holderName;
      if (!given && holderCode && ((def.key === 'idNumber' && t.holderKind === 'person') || (def.key === 'creditCode' && t.holderKind === 'organisation'))) v = holderCode;
      const r = typedField(def, v);
      if ('error' in r) problems.push({ field: def.key, reason: r.error });
      else fields[def.key] = r.value;
      if (given && 'value' in r && typeof r.value === 'string' && r.value) {
        if (def.key.endsWith('IdNumber') || def.key === 'idNumber') {
          const p = citizenIdProblem(r.value.toUpperCase(), defaults.today);
          if (p) problems.push({ field: def.key, reason: `not a valid GB 11643 citizen ID number (${p})` });
        }
        if (def.key === 'creditCode' && creditCodeProblem(r.value) !== null) problems.push({ field: def.key, reason: 'not a valid GB 32100 unified social credit code' });
      }
    }
    if (problems.length) return { problems };
    return { ok: { row, number, holderName, holderCode, issuedOn, validFrom, validUntil, jurisdiction, fields } };
  }

  // ---- issuing ------------------------------------------------------------------------------------------------

  /** The type and its issuing department when the actor may issue it (403 otherwise). */
  private async issuingContext(actor: Actor, typeId: string): Promise<{ type: TypeRow; issuer: Org & { creditCode: string } }> {
    requirePermission(actor, CERT.issue);
    const type = await this.typeRow(typeId);
    if (!type) throw errors.field('/body/typeId', 'no such certificate type');
    const dept = await this.deps.orgs.byId(type.departmentOrgId);
    if (!this.canIssueType(actor, dept ?? undefined)) throw errors.forbidden(`only ${dept?.name ?? 'the defining department'} (or the bureau) issues ${type.nameZh}`);
    if (!dept?.creditCode) throw errors.conflict(`${dept?.name ?? 'the department'} has no unified social credit code; identifiers cannot be made`);
    return { type, issuer: dept as Org & { creditCode: string } };
  }

  /** Take `n` consecutive serials for (type, issuer): one upsert, no row kept locked afterwards. */
  private async takeSerials(typeId: string, issuerOrgId: string, n: number): Promise<number> {
    const [r] = await rawRows<{ next: string | number }>(
      this.db,
      sql`insert into cert_serials (type_id, issuer_org_id, next) values (${typeId}::uuid, ${issuerOrgId}::uuid, ${1 + n})
          on conflict (type_id, issuer_org_id) do update set next = cert_serials.next + ${n}
          returning next`,
    );
    return Number(r.next) - n;
  }

  /** Take `n` status-list slots (possibly spanning lists), opening a new list when the last one is full. */
  private async takeSlots(n: number): Promise<{ listId: number; index: number }[]> {
    const out: { listId: number; index: number }[] = [];
    while (out.length < n) {
      const need = n - out.length;
      const [r] = await rawRows<{ id: number; start: number; end: number }>(
        this.db,
        sql`with cur as (select id, next_index from cert_status_lists where next_index < size order by id limit 1 for update)
            update cert_status_lists l set next_index = least(l.size, cur.next_index + ${need})
            from cur where l.id = cur.id
            returning l.id as id, cur.next_index as start, l.next_index as "end"`,
      );
      if (r) {
        for (let i = Number(r.start); i < Number(r.end); i++) out.push({ listId: Number(r.id), index: i });
        continue;
      }
      await rawRows(this.db, sql`insert into cert_status_lists (id, size) select coalesce(max(id), 0) + 1, ${STATUS_LIST_SIZE} from cert_status_lists on conflict do nothing`);
    }
    return out;
  }

  /**
   * Insert clean rows of one type and issuer. Returns the inserted certificates (id and row) and the row
   * numbers that were already issued (same type, number and holder) — those are left untouched.
   */
  private async issueRows(
    tx: DbOrTx,
    type: TypeRow,
    issuer: Org & { creditCode: string },
    rows: CleanRow[],
    allocated: { serialStart: number; slots: { listId: number; index: number }[] },
    meta: { actor: Actor; importId: string | null; isDemo?: boolean },
  ): Promise<{ inserted: { id: string; row: number }[]; duplicates: number[] }> {
    const values = rows.map((r, i) => {
      const serial = allocated.serialStart + i;
      const slot = allocated.slots[i];
      const id = randomUUID();
      return {
        id,
        typeId: type.id,
        issuerOrgId: issuer.id,
        serial,
        version: 1,
        identifier: buildLicenceId({ typeCode: type.code, issuerCode: issuer.creditCode, serial: String(serial).padStart(8, '0'), version: 1 }),
        number: r.number,
        holderName: r.holderName,
        holderCodeEnc: encrypt(this.masterKey, r.holderCode, HOLDER_CONTEXT),
        holderCodeHash: this.holderHash(r.holderCode),
        holderCodeMasked: type.holderKind === 'person' ? maskCitizenId(r.holderCode) : r.holderCode,
        holderCodeType: type.holderKind === 'person' ? '111' : '001',
        issuedOn: r.issuedOn,
        validFrom: r.validFrom,
        validUntil: r.validUntil,
        jurisdiction: r.jurisdiction,
        fields: r.fields,
        status: 'valid',
        statusListId: slot.listId,
        statusIndex: slot.index,
        importId: meta.importId,
        isDemo: meta.isDemo ? 1 : 0,
        createdBy: meta.actor.userId,
      };
    });
    if (!values.length) return { inserted: [], duplicates: [] };
    // One array per column and unnest(): 20-odd parameters for the whole batch instead of 20-odd per row.
    const col = <K extends keyof (typeof values)[number]>(k: K) => sql.param(values.map((v) => v[k]));
    const ins = await rawRows<{ id: string }>(
      tx,
      sql`insert into cert_certificates (id, type_id, issuer_org_id, serial, version, identifier, number, holder_name, holder_code_enc, holder_code_hash,
            holder_code_masked, holder_code_type, issued_on, valid_from, valid_until, jurisdiction, fields, status, status_list_id, status_index, import_id, is_demo, created_by)
          select * from unnest(${col('id')}::uuid[], ${col('typeId')}::uuid[], ${col('issuerOrgId')}::uuid[], ${col('serial')}::bigint[], ${col('version')}::int[],
            ${col('identifier')}::text[], ${col('number')}::text[], ${col('holderName')}::text[], ${col('holderCodeEnc')}::text[], ${col('holderCodeHash')}::text[],
            ${col('holderCodeMasked')}::text[], ${col('holderCodeType')}::text[], ${col('issuedOn')}::text[], ${col('validFrom')}::text[], ${col('validUntil')}::text[],
            ${col('jurisdiction')}::text[], ${sql.param(values.map((v) => JSON.stringify(v.fields)))}::jsonb[], ${col('status')}::text[], ${col('statusListId')}::int[], ${col('statusIndex')}::int[],
            ${col('importId')}::uuid[], ${col('isDemo')}::int[], ${col('createdBy')}::uuid[])
          on conflict do nothing
          returning id`,
    );
    const got = new Set(ins.map((r) => r.id));
    const inserted: { id: string; row: number }[] = [];
    const duplicates: number[] = [];
    values.forEach((v, i) => (got.has(v.id) ? inserted.push({ id: v.id, row: rows[i].row }) : duplicates.push(rows[i].row)));
    return { inserted, duplicates };
  }

  /** Rows already issued (same type, number and holder), by a look-up on the natural key. */
  private async alreadyIssued(typeId: string, rows: CleanRow[]): Promise<Set<string>> {
    if (!rows.length) return new Set();
    const numbers = [...new Set(rows.map((r) => r.number))];
    const found = await this.db
      .select({ number: certCertificates.number, hash: certCertificates.holderCodeHash })
      .from(certCertificates)
      .where(and(eq(certCertificates.typeId, typeId), inArray(certCertificates.number, numbers)));
    return new Set(found.map((f) => `${f.number}\u0000${f.hash}`));
  }

  /**
   * Issue a batch of clean rows: drop those already issued (and repeats inside the batch), take serials and
   * slots for the rest, insert. `write` runs inside the same transaction (import progress, audit).
   */
  async issueBatch(
    type: TypeRow,
    issuer: Org & { creditCode: string },
    rows: CleanRow[],
    meta: { actor: Actor; importId: string | null; isDemo?: boolean },
    write?: (tx: DbOrTx, r: { inserted: { id: string; row: number }[]; duplicates: number[] }) => Promise<void>,
  ) {
    const known = await this.alreadyIssued(type.id, rows);
    const fresh: CleanRow[] = [];
    const duplicates: number[] = [];
    for (const r of rows) {
      const key = `${r.number}\u0000${this.holderHash(r.holderCode)}`;
      if (known.has(key)) duplicates.push(r.row);
      else {
        known.add(key);
        fresh.push(r);
      }
    }
    const allocated = fresh.length ? { serialStart: await this.takeSerials(type.id, issuer.id, fresh.length), slots: await this.takeSlots(fresh.length) } : { serialStart: 0, slots: [] };
    return inTransaction(this.db, async (tx) => {
      const r = await this.issueRows(tx, type, issuer, fresh, allocated, meta);
      const result = { inserted: r.inserted, duplicates: [...duplicates, ...r.duplicates] };
      if (write) await write(tx, result);
      return result;
    });
  }

  /** Issue one certificate (form or API). 422 naming every bad field; 409 when the same one exists. */
  async issue(actor: Actor, input: IssueInput, opts: { isDemo?: boolean } = {}): Promise<CertificateRecord & { created: boolean }> {
    const { type, issuer } = await this.issuingContext(actor, input.typeId);
    const raw: Record<string, unknown> = {
      number: input.number,
      holderName: input.holderName,
      holderCode: input.holderCode,
      issuedOn: input.issuedOn,
      validFrom: input.validFrom,
      validUntil: input.validUntil ?? '',
      jurisdiction: input.jurisdiction,
      ...(input.fields ?? {}),
    };
    for (const k of Object.keys(input.fields ?? {})) if (CORE_KEYS.has(k)) throw errors.unprocessable('the certificate cannot be issued', [{ path: `/body/fields/${k}`, message: 'a core metadata element, not a type field' }]);
    const checked = this.checkRow(type, raw, 1, { today: todayInShanghai(), jurisdiction: issuer.divisionCode });
    if ('problems' in checked) {
      const errs: FieldError[] = checked.problems.map((p) => ({ path: CORE_KEYS.has(p.field) ? `/body/${p.field}` : `/body/fields/${p.field}`, message: p.reason }));
      throw errors.unprocessable('the certificate cannot be issued: ' + errs.map((e) => `${e.path} ${e.message}`).join('; '), errs);
    }
    const r = await this.issueBatch(type, issuer, [checked.ok], { actor, importId: null, isDemo: opts.isDemo }, async (tx, res) => {
      if (!res.inserted.length) return;
      await recordAudit(tx, actor, {
        action: 'cert.issue',
        entityType: 'cert_certificate',
        entityId: res.inserted[0].id,
        orgId: issuer.id,
        after: { type: type.nameZh, number: checked.ok.number, holderCodeMasked: type.holderKind === 'person' ? maskCitizenId(checked.ok.holderCode) : checked.ok.holderCode },
      });
    });
    if (!r.inserted.length) {
      const [existing] = await this.db
        .select({ id: certCertificates.id })
        .from(certCertificates)
        .where(and(eq(certCertificates.typeId, type.id), eq(certCertificates.number, checked.ok.number), eq(certCertificates.holderCodeHash, this.holderHash(checked.ok.holderCode))));
      throw errors.conflict(`certificate ${checked.ok.number} of this type is already issued to this holder`, { existingId: existing?.id });
    }
    return { ...(await this.get(r.inserted[0].id))!, created: true };
  }

  // ---- reading ------------------------------------------------------------------------------------------------

  private async toRecords(rows: CertRow[]): Promise<CertificateRecord[]> {
    const types = new Map((await this.typeRows()).map((t) => [t.id, t]));
    const orgs = await this.orgMap([...rows.map((r) => r.issuerOrgId), ...[...types.values()].map((t) => t.departmentOrgId)]);
    return rows.map((r) => {
      const t = types.get(r.typeId)!;
      const issuer = orgs.get(r.issuerOrgId);
      return {
        id: r.id,
        identifier: r.identifier,
        type: this.typeInfo(t, orgs.get(t.departmentOrgId)),
        number: r.number,
        holderName: r.holderName,
        holderCode: decrypt(this.masterKey, r.holderCodeEnc, HOLDER_CONTEXT),
        holderCodeType: r.holderCodeType as HolderCodeType,
        issuerOrgId: r.issuerOrgId,
        issuerOrgCode: issuer?.code ?? '',
        issuerName: issuer?.name ?? '',
        issuerCreditCode: issuer?.creditCode ?? '',
        issuedOn: r.issuedOn,
        validFrom: r.validFrom,
        validUntil: r.validUntil,
        jurisdiction: r.jurisdiction,
        fields: r.fields,
        status: r.status as CertificateStatus,
        statusList: { id: String(r.statusListId), index: r.statusIndex, uri: this.statusListUri(r.statusListId) },
      };
    });
  }

  statusListUri(id: number | string): string {
    return `${this.deps.config.publicUrl}/api/cert/status-lists/${id}`;
  }

  async get(id: string): Promise<CertificateRecord | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const [r] = await this.db.select().from(certCertificates).where(eq(certCertificates.id, id));
    return r ? (await this.toRecords([r]))[0] : null;
  }

  async byHolderCode(holderCode: string): Promise<CertificateRecord[]> {
    const rows = await this.db
      .select()
      .from(certCertificates)
      .where(eq(certCertificates.holderCodeHash, this.holderHash(holderCode.trim().toUpperCase())))
      .orderBy(desc(certCertificates.issuedOn), desc(certCertificates.createdAt))
      .limit(500);
    return this.toRecords(rows);
  }

  async typeByName(nameZh: string): Promise<CertificateTypeInfo | null> {
    const t = (await this.typeRows()).find((x) => x.nameZh === nameZh);
    if (!t) return null;
    return this.typeInfo(t, (await this.deps.orgs.byId(t.departmentOrgId)) ?? undefined);
  }

  private async listItems(rows: CertRow[]): Promise<CertificateListItem[]> {
    const types = new Map((await this.typeRows()).map((t) => [t.id, t]));
    const orgs = await this.orgMap(rows.map((r) => r.issuerOrgId));
    const today = todayInShanghai();
    return rows.map((r) => ({
      id: r.id,
      identifier: r.identifier,
      typeId: r.typeId,
      typeName: types.get(r.typeId)?.nameZh ?? '',
      typeNameEn: types.get(r.typeId)?.nameEn ?? '',
      number: r.number,
      holderName: r.holderName,
      holderCodeMasked: r.holderCodeMasked,
      holderCodeType: r.holderCodeType as HolderCodeType,
      issuerOrgId: r.issuerOrgId,
      issuerName: orgs.get(r.issuerOrgId)?.name ?? '',
      issuedOn: r.issuedOn,
      validFrom: r.validFrom,
      validUntil: r.validUntil,
      expired: r.validUntil !== null && r.validUntil < today,
      status: r.status as CertificateStatus,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  /** Issuer organisations the actor may see certificates of (undefined: all). */
  private visibleIssuers(actor: Actor, permission: string): Promise<string[] | undefined> {
    return this.deps.orgs.visibleIds(actor, permission);
  }

  async list(
    actor: Actor,
    f: { typeId?: string; status?: CertificateStatus; holderCode?: string; number?: string; expired?: boolean; importId?: string; limit: number; offset: number },
  ): Promise<Page<CertificateListItem>> {
    requirePermission(actor, CERT.read);
    const conds: SQL[] = [];
    const ids = await this.visibleIssuers(actor, CERT.read);
    if (ids) {
      if (!ids.length) return { items: [], total: 0, limit: f.limit, offset: f.offset };
      conds.push(inArray(certCertificates.issuerOrgId, ids));
    }
    if (f.typeId) conds.push(eq(certCertificates.typeId, f.typeId));
    if (f.status) conds.push(eq(certCertificates.status, f.status));
    if (f.holderCode) conds.push(eq(certCertificates.holderCodeHash, this.holderHash(f.holderCode.trim().toUpperCase())));
    if (f.number) conds.push(eq(certCertificates.number, f.number.trim()));
    if (f.importId) conds.push(eq(certCertificates.importId, f.importId));
    if (f.expired !== undefined) {
      const today = todayInShanghai();
      conds.push(f.expired ? sql`${certCertificates.validUntil} < ${today}` : sql`(${certCertificates.validUntil} is null or ${certCertificates.validUntil} >= ${today})`);
    }
    const where = conds.length ? and(...conds) : undefined;
    const rows = await this.db.select().from(certCertificates).where(where).orderBy(desc(certCertificates.createdAt), desc(certCertificates.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(certCertificates).where(where);
    return { items: await this.listItems(rows), total: n, limit: f.limit, offset: f.offset };
  }

  private async visibleRow(actor: Actor, id: string, permission: string): Promise<CertRow> {
    requirePermission(actor, permission);
    const [r] = await this.db.select().from(certCertificates).where(eq(certCertificates.id, id));
    if (!r) throw errors.notFound('certificate');
    const p = await this.deps.orgs.pathOf(r.issuerOrgId);
    if (!canSeeOrgPath(visibility(actor, permission), p)) throw errors.notFound('certificate');
    return r;
  }

  /** The console's detail: metadata with the holder code masked, the identifier, status history. */
  async detail(actor: Actor, id: string) {
    const r = await this.visibleRow(actor, id, CERT.read);
    const [rec] = await this.toRecords([r]);
    const [item] = await this.listItems([r]);
    const events = await this.db.select().from(certStatusEvents).where(eq(certStatusEvents.certificateId, id)).orderBy(certStatusEvents.at, certStatusEvents.id);
    const issuerName = r.createdBy ? ((await this.deps.auth.displayNames([r.createdBy])).get(r.createdBy) ?? '') : '';
    const history: StatusEventView[] = [
      { action: 'issue', fromStatus: null, toStatus: 'valid', reason: null, actorName: r.importId ? 'import' : issuerName, at: r.createdAt.toISOString() },
      ...events.map((e) => ({ action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, reason: e.reason, actorName: e.actorName, at: e.at.toISOString() })),
    ];
    const { holderCode: _clear, ...rest } = rec;
    // ID numbers among the type's fields are masked like the holder code (the console needs no clear value).
    const fields = Object.fromEntries(Object.entries(rec.fields).map(([k, v]) => [k, typeof v === 'string' && /idnumber$/i.test(k) ? maskCitizenId(v) : v]));
    return {
      ...rest,
      fields,
      holderCodeMasked: r.holderCodeMasked,
      expired: item.expired,
      importId: r.importId,
      createdAt: r.createdAt.toISOString(),
      history,
      canChangeStatus: can(actor, CERT.revoke) && canSeeOrgPath(visibility(actor, CERT.revoke), await this.deps.orgs.pathOf(r.issuerOrgId)),
    };
  }

  // ---- status -----------------------------------------------------------------------------------------------

  /** suspend: valid → suspended; reinstate: suspended → valid; revoke: valid or suspended → revoked (final). */
  async changeStatus(actor: Actor, id: string, action: 'suspend' | 'reinstate' | 'revoke', reason: string) {
    requirePermission(actor, CERT.revoke);
    const why = reason.trim();
    if (!why) throw errors.field('/body/reason', 'give the reason');
    // Access is checked before the transaction: on PGlite a query outside it would wait for its one connection.
    await this.visibleRow(actor, id, CERT.revoke);
    await inTransaction(this.db, async (tx) => {
      const [r] = await tx.select().from(certCertificates).where(eq(certCertificates.id, id)).for('update');
      if (!r) throw errors.notFound('certificate');
      const from = r.status as CertificateStatus;
      const to: CertificateStatus = action === 'suspend' ? 'suspended' : action === 'reinstate' ? 'valid' : 'revoked';
      const allowed = (action === 'suspend' && from === 'valid') || (action === 'reinstate' && from === 'suspended') || (action === 'revoke' && from !== 'revoked');
      if (!allowed) throw errors.conflict(from === 'revoked' ? 'the certificate is revoked; revocation is final' : `cannot ${action} a ${from} certificate`);
      await tx.update(certCertificates).set({ status: to, updatedAt: new Date() }).where(eq(certCertificates.id, id));
      await tx.insert(certStatusEvents).values({ certificateId: id, action, fromStatus: from, toStatus: to, reason: why, actorId: actor.userId, actorName: actor.displayName || actor.username });
      await tx.update(certStatusLists).set({ version: sql`${certStatusLists.version} + 1` }).where(eq(certStatusLists.id, r.statusListId));
      await recordAudit(tx, actor, { action: `cert.${action}`, entityType: 'cert_certificate', entityId: id, orgId: r.issuerOrgId, before: { status: from }, after: { status: to }, note: { reason: why, number: r.number } });
    });
    return this.detail(actor, id);
  }

  /**
   * The signed Token Status List of list `id`: rebuilt when a status in it changed since the cached token
   * was made or the cached token is within half its lifetime of expiring; otherwise the cached token.
   */
  async statusListToken(id: number): Promise<{ token: string; ttl: number }> {
    const ttl = this.statusListTtlSeconds;
    const [l] = await this.db.select().from(certStatusLists).where(eq(certStatusLists.id, id));
    if (!l) throw errors.notFound('status list');
    const fresh = l.token && l.tokenVersion === l.version && l.tokenExpiresAt && l.tokenExpiresAt.getTime() - Date.now() > (TOKEN_LIFETIME_SECONDS * 1000) / 2;
    if (fresh) return { token: l.token!, ttl };
    const version = l.version;
    const marked = await this.db
      .select({ index: certCertificates.statusIndex, status: certCertificates.status })
      .from(certCertificates)
      .where(and(eq(certCertificates.statusListId, id), sql`${certCertificates.status} <> 'valid'`));
    const values = new Uint8Array(l.size);
    for (const m of marked) values[m.index] = m.status === 'revoked' ? STATUS.invalid : STATUS.suspended;
    const lst = await encodeStatusList(values, 2);
    const signer = await this.deps.trust.signer(STATUS_LIST_SIGNER_ORG, 'status-list');
    const iat = Math.floor(Date.now() / 1000);
    const header = { alg: 'ES256', typ: 'statuslist+jwt', kid: signer.kid };
    const payload = { iss: signer.issuer, sub: this.statusListUri(id), iat, exp: iat + TOKEN_LIFETIME_SECONDS, ttl, status_list: { bits: 2, lst } };
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const sig = await signer.sign(new TextEncoder().encode(input));
    const token = `${input}.${Buffer.from(sig).toString('base64url')}`;
    // Only store when nothing changed meanwhile; a newer version is rebuilt by the next request.
    await this.db
      .update(certStatusLists)
      .set({ token, tokenVersion: version, tokenExpiresAt: new Date((iat + TOKEN_LIFETIME_SECONDS) * 1000) })
      .where(and(eq(certStatusLists.id, id), eq(certStatusLists.version, version)));
    return { token, ttl };
  }

  // ---- imports ----------------------------------------------------------------------------------------------

  private importsDir() {
    const d = path.join(this.deps.config.dataDir, 'cert-imports');
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /** Check the type and the caller before the upload is read. */
  async importContext(actor: Actor, typeId: string | undefined) {
    if (!typeId || !/^[0-9a-f-]{36}$/i.test(typeId)) throw errors.field('/body/typeId', 'choose the certificate type (a form field before the file)');
    return this.issuingContext(actor, typeId);
  }

  /** Stage the upload to DATA_DIR/cert-imports (streamed) and queue the durable import job. */
  async createImport(actor: Actor, typeId: string, file: { fileName: string; format: 'csv' | 'jsonl'; stream: Readable }): Promise<ImportView> {
    const { type, issuer } = await this.importContext(actor, typeId);
    const id = randomUUID();
    const rel = `${id}.${file.format}`;
    const full = path.join(this.importsDir(), rel);
    const bytes = await stageUpload(file.stream, full);
    const row = await inTransaction(this.db, async (tx) => {
      const [r] = await tx.insert(certImports).values({ id, typeId: type.id, issuerOrgId: issuer.id, format: file.format, fileName: file.fileName, filePath: rel, bytesTotal: bytes, createdBy: actor.userId }).returning();
      await recordAudit(tx, actor, { action: 'cert.import.upload', entityType: 'cert_import', entityId: id, orgId: issuer.id, after: { type: type.nameZh, fileName: file.fileName, bytes } });
      return r;
    });
    await this.deps.queue.enqueue(IMPORT_JOB, { importId: id }, { idempotencyKey: `cert-import:${id}`, maxAttempts: 3 });
    return this.importView(row, type);
  }

  private importView(r: ImportRow, t?: TypeRow): ImportView {
    return {
      id: r.id,
      typeId: r.typeId,
      typeName: t?.nameZh ?? '',
      issuerOrgId: r.issuerOrgId,
      format: r.format,
      fileName: r.fileName,
      state: r.state,
      bytesTotal: r.bytesTotal,
      bytesRead: r.bytesRead,
      rowsRead: r.rowsRead,
      rowsIssued: r.rowsIssued,
      rowsDuplicate: r.rowsDuplicate,
      rowsRejected: r.rowsRejected,
      error: r.error,
      createdAt: r.createdAt.toISOString(),
      startedAt: iso(r.startedAt),
      finishedAt: iso(r.finishedAt),
    };
  }

  /**
   * The job's body. Rows stream from the staged file; every 1,000 rows the good ones are issued and the bad
   * ones' problems stored, together with the progress, in one transaction — so a restarted job resumes after
   * the last committed row and never issues or reports a row twice.
   */
  async runImport(importId: string, opts: { actor?: Actor } = {}): Promise<ImportView> {
    const [imp] = await this.db.select().from(certImports).where(eq(certImports.id, importId));
    if (!imp) throw new PermanentJobError(`no import ${importId}`);
    const type = await this.typeRow(imp.typeId);
    if (imp.state === 'succeeded' || imp.state === 'failed') return this.importView(imp, type ?? undefined);
    const issuer = await this.deps.orgs.byId(imp.issuerOrgId);
    if (!type || !issuer?.creditCode) return this.failImport(imp, 'the certificate type or its issuer is gone');
    const actor = opts.actor ?? { ...systemActor('cert.import'), userId: imp.createdBy };
    await this.db.update(certImports).set({ state: 'running', startedAt: imp.startedAt ?? new Date() }).where(eq(certImports.id, importId));
    const file = path.join(this.importsDir(), imp.filePath ?? '');
    if (!imp.filePath || !fs.existsSync(file)) return this.failImport(imp, 'the uploaded file is missing');
    let bytesRead = 0;
    const input = fs.createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(
      new Transform({
        transform(chunk: Buffer, _e, cb) {
          bytesRead += chunk.length;
          cb(null, chunk);
        },
      }),
    );
    const columns = this.importColumns(type);
    const source: AsyncIterable<{ row: number; values: Record<string, unknown>; textProblems?: { field: string; message: string }[] }> =
      imp.format === 'jsonl' ? readJsonLines(input) : readRows('csv', input, { columns, required: ['number', 'holderName', 'holderCode'], maxRows: Number.MAX_SAFE_INTEGER });
    const defaults = { today: todayInShanghai(), jurisdiction: issuer.divisionCode };
    const issuerWithCode = issuer as Org & { creditCode: string };
    let batch: { row: number; values: Record<string, unknown>; textProblems?: { field: string; message: string }[] }[] = [];
    // One batch is written while the next is read and checked (the database works while this process
    // parses); batches still commit one after another, in file order, so lastRow stays a safe resume point.
    let writing: Promise<void> = Promise.resolve();
    let writeError: unknown = null;
    const flush = async () => {
      if (!batch.length) return;
      const clean: CleanRow[] = [];
      const rejects: { importId: string; rowNumber: number; field: string; reason: string; raw: Record<string, unknown> }[] = [];
      let badRows = 0;
      for (const b of batch) {
        const values = imp.format === 'jsonl' ? flattenJson(b.values) : b.values;
        // A cell breaking the platform's text rule rejects the row, whatever else it holds.
        const r = b.textProblems ? { problems: b.textProblems.map((p) => ({ field: p.field, reason: p.message })) } : this.checkRow(type, values, b.row, defaults);
        if ('ok' in r) clean.push(r.ok);
        else {
          badRows++;
          for (const p of r.problems) rejects.push({ importId, rowNumber: b.row, field: p.field, reason: p.reason, raw: redactRaw(values) });
        }
      }
      const lastRow = batch[batch.length - 1].row;
      const count = batch.length;
      const bytes = bytesRead;
      batch = [];
      await writing;
      if (writeError) throw writeError;
      writing = this.issueBatch(type, issuerWithCode, clean, { actor, importId }, async (tx, res) => {
        if (rejects.length) await tx.insert(certImportRejects).values(rejects);
        await tx
          .update(certImports)
          .set({
            rowsRead: sql`${certImports.rowsRead} + ${count}`,
            rowsIssued: sql`${certImports.rowsIssued} + ${res.inserted.length}`,
            rowsDuplicate: sql`${certImports.rowsDuplicate} + ${res.duplicates.length}`,
            rowsRejected: sql`${certImports.rowsRejected} + ${badRows}`,
            lastRow,
            bytesRead: bytes,
          })
          .where(eq(certImports.id, importId));
      }).then(
        () => undefined,
        (err: unknown) => {
          writeError = err;
        },
      );
    };
    try {
      try {
        for await (const r of source) {
          if (r.row <= imp.lastRow) continue;
          batch.push(r);
          if (batch.length >= BATCH) await flush();
        }
        await flush();
      } finally {
        await writing;
      }
      if (writeError) throw writeError;
    } catch (err) {
      if (err instanceof AppError) {
        const detail = err.message + (err.errors?.length ? `: ${err.errors.map((e) => `${e.path} ${e.message}`).join('; ')}` : '');
        return this.failImport(imp, detail);
      }
      throw err;
    }
    const done = await inTransaction(this.db, async (tx) => {
      const [d] = await tx.update(certImports).set({ state: 'succeeded', finishedAt: new Date(), bytesRead, filePath: null }).where(eq(certImports.id, importId)).returning();
      await recordAudit(tx, actor, {
        action: 'cert.import.finish',
        entityType: 'cert_import',
        entityId: importId,
        orgId: imp.issuerOrgId,
        after: { rowsRead: d.rowsRead, rowsIssued: d.rowsIssued, rowsDuplicate: d.rowsDuplicate, rowsRejected: d.rowsRejected },
      });
      return d;
    });
    fs.rmSync(file, { force: true });
    return this.importView(done, type);
  }

  private async failImport(imp: ImportRow, error: string): Promise<ImportView> {
    const [d] = await this.db.update(certImports).set({ state: 'failed', error: error.slice(0, 2000), finishedAt: new Date(), filePath: null }).where(eq(certImports.id, imp.id)).returning();
    if (imp.filePath) fs.rmSync(path.join(this.importsDir(), imp.filePath), { force: true });
    return this.importView(d, (await this.typeRow(imp.typeId)) ?? undefined);
  }

  private async visibleImport(actor: Actor, id: string): Promise<ImportRow> {
    requirePermission(actor, CERT.issue);
    const [r] = await this.db.select().from(certImports).where(eq(certImports.id, id));
    if (!r || !canSeeOrgPath(visibility(actor, CERT.issue), await this.deps.orgs.pathOf(r.issuerOrgId))) throw errors.notFound('import');
    return r;
  }

  async getImport(actor: Actor, id: string): Promise<ImportView> {
    const r = await this.visibleImport(actor, id);
    return this.importView(r, (await this.typeRow(r.typeId)) ?? undefined);
  }

  async listImports(actor: Actor, f: { limit: number; offset: number }): Promise<Page<ImportView>> {
    requirePermission(actor, CERT.issue);
    const ids = await this.visibleIssuers(actor, CERT.issue);
    if (ids && !ids.length) return { items: [], total: 0, limit: f.limit, offset: f.offset };
    const where = ids ? inArray(certImports.issuerOrgId, ids) : undefined;
    const rows = await this.db.select().from(certImports).where(where).orderBy(desc(certImports.createdAt), desc(certImports.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(certImports).where(where);
    const types = new Map((await this.typeRows()).map((t) => [t.id, t]));
    return { items: rows.map((r) => this.importView(r, types.get(r.typeId))), total: n, limit: f.limit, offset: f.offset };
  }

  async rejects(actor: Actor, id: string, page: { limit: number; offset: number }) {
    await this.visibleImport(actor, id);
    const items = await this.db
      .select({ rowNumber: certImportRejects.rowNumber, field: certImportRejects.field, reason: certImportRejects.reason, raw: certImportRejects.raw })
      .from(certImportRejects)
      .where(eq(certImportRejects.importId, id))
      .orderBy(certImportRejects.rowNumber, certImportRejects.id)
      .limit(page.limit)
      .offset(page.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(certImportRejects).where(eq(certImportRejects.importId, id));
    return { items, total: n, limit: page.limit, offset: page.offset };
  }

  /** Every rejected row's problems, 1,000 at a time (CSV download). Access is checked before the first row. */
  async rejectsAll(actor: Actor, id: string): Promise<AsyncIterable<Record<string, unknown>>> {
    await this.visibleImport(actor, id);
    const db = this.db;
    return (async function* () {
      let last = 0;
      for (;;) {
        const page = await db.select().from(certImportRejects).where(and(eq(certImportRejects.importId, id), sql`${certImportRejects.id} > ${last}`)).orderBy(certImportRejects.id).limit(1000);
        for (const r of page) {
          last = r.id;
          yield { row: r.rowNumber, field: r.field, reason: r.reason, number: r.raw.number ?? '', holderName: r.raw.holderName ?? '' };
        }
        if (page.length < 1000) return;
      }
    })();
  }
}

/** JSON lines may carry the type fields at the top level or under `fields`. */
function flattenJson(v: Record<string, unknown>): Record<string, unknown> {
  const { fields, ...rest } = v;
  return fields && typeof fields === 'object' && !Array.isArray(fields) ? { ...rest, ...(fields as Record<string, unknown>) } : v;
}

/** A rejected row is kept for the report without the holder's full code (masked like everywhere else). */
function redactRaw(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const s = text(x);
    out[k] = /idnumber|holdercode/i.test(k) && s.length > 8 ? maskCitizenId(s) : typeof x === 'object' ? JSON.stringify(x).slice(0, 200) : s.slice(0, 200);
  }
  return out;
}
