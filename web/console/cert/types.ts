// Shapes of the certificates API as the console pages use them.
export type CertStatus = 'valid' | 'suspended' | 'revoked';

export interface FieldDef {
  key: string;
  nameZh: string;
  nameEn: string;
  type: 'string' | 'date' | 'number' | 'boolean';
  required: boolean;
  personal?: boolean;
}

export interface CertType {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  departmentCode: string;
  departmentName: string;
  departmentCreditCode: string | null;
  holderKind: 'person' | 'organisation';
  fields: FieldDef[];
  vct: string;
  canIssue: boolean;
}

export interface CertListItem {
  id: string;
  identifier: string;
  typeId: string;
  typeName: string;
  typeNameEn: string;
  number: string;
  holderName: string;
  holderCodeMasked: string;
  holderCodeType: '111' | '001';
  issuerName: string;
  issuedOn: string;
  validFrom: string;
  validUntil: string | null;
  expired: boolean;
  status: CertStatus;
  createdAt: string;
}

export interface CertDetail {
  id: string;
  identifier: string;
  type: { id: string; code: string; nameZh: string; nameEn: string; fields: FieldDef[]; holderKind: 'person' | 'organisation'; vct: string };
  number: string;
  holderName: string;
  holderCodeMasked: string;
  holderCodeType: '111' | '001';
  issuerName: string;
  issuerCreditCode: string;
  issuedOn: string;
  validFrom: string;
  validUntil: string | null;
  jurisdiction: string;
  fields: Record<string, string | number | boolean | null>;
  status: CertStatus;
  expired: boolean;
  statusList: { id: string; index: number; uri: string };
  importId: string | null;
  createdAt: string;
  history: { action: string; fromStatus: string | null; toStatus: string; reason: string | null; actorName: string; at: string }[];
  canChangeStatus: boolean;
}

export interface CertImport {
  id: string;
  typeId: string;
  typeName: string;
  format: string;
  fileName: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
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
