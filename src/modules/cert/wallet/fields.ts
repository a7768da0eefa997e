// Which claims of a certificate credential are selectively disclosable, with their labels. Pure data and
// functions (no Node built-ins): the server builds credentials from it, the portal labels fields with it.
import type { CertificateFieldDef, CertificateRecord } from '../contracts';

export interface DisclosableField {
  key: string;
  nameZh: string;
  nameEn: string;
  personal?: boolean;
}

/** GB/T 36903 core metadata about the holder and the document, each its own disclosure. */
export const HOLDER_METADATA: DisclosableField[] = [
  { key: 'number', nameZh: '证照编号', nameEn: 'Certificate number' },
  { key: 'holder_name', nameZh: '持证主体', nameEn: 'Holder' },
  { key: 'holder_code', nameZh: '持证主体代码', nameEn: 'Holder code', personal: true },
  { key: 'holder_code_type', nameZh: '持证主体代码类型', nameEn: 'Holder code type' },
  { key: 'issued_on', nameZh: '颁证日期', nameEn: 'Issued on' },
  { key: 'valid_from', nameZh: '有效期起始', nameEn: 'Valid from' },
  { key: 'valid_until', nameZh: '有效期截止', nameEn: 'Valid until' },
  { key: 'jurisdiction', nameZh: '管辖属地', nameEn: 'Jurisdiction' },
];

/** Claims always visible in the issuer JWT: what the certificate is and who issued it. */
export const PLAIN_CLAIMS = ['iss', 'iat', 'nbf', 'exp', 'vct', 'cnf', 'status', 'cert_name', 'cert_name_en', 'cert_type', 'identifier', 'issuer_name'] as const;

const reserved = new Set<string>([...PLAIN_CLAIMS, '_sd', '_sd_alg', '...', 'sub', 'jti', 'aud']);
/** Type fields that repeat the core metadata (the certificates part fills them from it): disclosed once, as holder_*. */
const MIRRORS = new Set(['name', 'idNumber', 'creditCode']);
const metadataKeys = new Set(HOLDER_METADATA.map((f) => f.key));

/** The type's own fields that can be disclosed (a field whose key clashes with a fixed claim is left out). */
export function typeFields(fields: CertificateFieldDef[]): DisclosableField[] {
  return fields.filter((f) => !reserved.has(f.key) && !metadataKeys.has(f.key) && !MIRRORS.has(f.key)).map((f) => ({ key: f.key, nameZh: f.nameZh, nameEn: f.nameEn, personal: f.personal }));
}

/** Every disclosable field of a certificate type: its own fields first, then the holder metadata. */
export function disclosableFields(fields: CertificateFieldDef[]): DisclosableField[] {
  return [...typeFields(fields), ...HOLDER_METADATA];
}

/** The disclosable claims of one certificate, by key. */
export function disclosableClaims(rec: CertificateRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of typeFields(rec.type.fields)) if (rec.fields[f.key] !== undefined) out[f.key] = rec.fields[f.key];
  out.number = rec.number;
  out.holder_name = rec.holderName;
  out.holder_code = rec.holderCode;
  out.holder_code_type = rec.holderCodeType;
  out.issued_on = rec.issuedOn;
  out.valid_from = rec.validFrom;
  out.valid_until = rec.validUntil;
  out.jurisdiction = rec.jurisdiction;
  return out;
}

/** Seconds since the epoch at the start / end of a Shanghai calendar day. */
export const shanghaiDayStartEpoch = (ymd: string) => Math.floor(Date.parse(`${ymd}T00:00:00+08:00`) / 1000);
export const shanghaiDayEndEpoch = (ymd: string) => Math.floor(Date.parse(`${ymd}T23:59:59+08:00`) / 1000);
