// What the wallet part reads from the certificates part: issued certificates with their GB/T 36903 core
// metadata, their type's fields and where their status is published.

export type CertificateStatus = 'valid' | 'suspended' | 'revoked';

/** GB/T 36903 持证主体代码类型: 111 citizen ID number, 001 unified social credit code. */
export type HolderCodeType = '111' | '001';

export interface CertificateFieldDef {
  /** Stable key used in disclosures and APIs, e.g. `name`, `birthDate`. */
  key: string;
  nameZh: string;
  nameEn: string;
  type: 'string' | 'date' | 'number' | 'boolean';
  required: boolean;
  /** Personal data the holder should think twice about disclosing (ID number, address…). */
  personal?: boolean;
}

export interface CertificateTypeInfo {
  id: string;
  /** GB/T 36904 licence-type code: the defining authority's credit code (18) + 3-digit number. */
  code: string;
  nameZh: string;
  nameEn: string;
  /** Organisation code of the issuing department, e.g. `GAJ`. */
  departmentCode: string;
  holderKind: 'person' | 'organisation';
  fields: CertificateFieldDef[];
  /** SD-JWT VC type: `urn:dq:cert:<code>`. */
  vct: string;
}

export interface CertificateRecord {
  id: string;
  /** GB/T 36904 identifier `1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>`. */
  identifier: string;
  type: CertificateTypeInfo;
  /** 证照编号 as printed on the certificate. */
  number: string;
  holderName: string;
  /** 持证主体代码: citizen ID number or credit code (clear text only inside the server). */
  holderCode: string;
  holderCodeType: HolderCodeType;
  issuerOrgId: string;
  issuerOrgCode: string;
  issuerName: string;
  issuerCreditCode: string;
  /** yyyy-mm-dd (Asia/Shanghai). */
  issuedOn: string;
  validFrom: string;
  validUntil: string | null;
  /** 管辖属地: GB/T 2260 division code. */
  jurisdiction: string;
  /** The type's fields, by key. */
  fields: Record<string, string | number | boolean | null>;
  status: CertificateStatus;
  /** Position in the Token Status List that publishes this certificate's status. */
  statusList: { id: string; index: number; uri: string };
}

export interface CertificateReader {
  get(id: string): Promise<CertificateRecord | null>;
  /** Every certificate (any status) whose holder code is `holderCode`, newest first. */
  byHolderCode(holderCode: string): Promise<CertificateRecord[]>;
  typeByName(nameZh: string): Promise<CertificateTypeInfo | null>;
}
