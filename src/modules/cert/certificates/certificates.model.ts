// What the certificates part's rooms share: constants, row and view types, and the typing of one field
// value (form, JSON or CSV cell).
import type { Column } from '../../../platform/files';
import type { IssuerKeys } from '../../code';
import type { ModuleDeps } from '../../deps';
import type { CertificateFieldDef, CertificateStatus, CertificateTypeInfo, HolderCodeType } from '../contracts';
import type { certCertificates, certImports, certTypes } from './certificates.schema';

export type CertificatesDeps = ModuleDeps & { trust: IssuerKeys };

export const IMPORT_JOB = 'cert.import';
/** Slots per Token Status List (2 bits each: 25 kB uncompressed, a few hundred bytes compressed while mostly valid). */
export const STATUS_LIST_SIZE = 100_000;
/** The bureau's organisation code: it signs the status lists. */
export const STATUS_LIST_SIGNER_ORG = 'DSJ';
export const HOLDER_CONTEXT = 'cert.holder_code';
export const BATCH = 1000;
/** A status list token is valid for a day; it is rebuilt earlier whenever a status in it changes. */
export const TOKEN_LIFETIME_SECONDS = 86_400;

export type TypeRow = typeof certTypes.$inferSelect;
export type CertRow = typeof certCertificates.$inferSelect;
export type ImportRow = typeof certImports.$inferSelect;
export type FieldValue = string | number | boolean | null;

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
export const CORE_KEYS = new Set(CORE_COLUMNS.map((c) => c.key));

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
export interface CleanRow {
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

export const iso = (d: Date | null) => (d ? d.toISOString() : null);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return (typeof v === 'string' ? v : String(v)).trim();
}

/** Type a field value from a form, JSON or a CSV cell; returns the value or a reason. */
export function typedField(def: CertificateFieldDef, raw: unknown): { value: FieldValue } | { error: string } {
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
