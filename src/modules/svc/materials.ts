// Required materials of an item: each is an upload (allowed file types, size limit) and/or an
// electronic certificate type that can replace it (names from the certificate catalogue,
// src/seed-data/certificate-types.csv, until the certificate wallet owns that list).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldError } from '../../platform/http/problem';

export const UPLOAD_TYPES = ['pdf', 'jpg', 'png', 'ofd', 'doc', 'docx'] as const;
export type UploadType = (typeof UPLOAD_TYPES)[number];
export const MAX_UPLOAD_MB = 50;

export interface Material {
  key: string;
  name: string;
  required: boolean;
  /** Upload allowed: accepted file types and the size limit; null when only a certificate is accepted. */
  upload: { types: UploadType[]; maxSizeMb: number } | null;
  /** Electronic certificate type that replaces the upload (e.g. 居民身份证), or null. */
  certificateType: string | null;
  note?: string;
}

export interface CertificateType {
  name: string;
  department: string;
  holder: string;
}

const CERT_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../seed-data/certificate-types.csv');

let certTypes: CertificateType[] | null = null;
export function certificateTypes(): CertificateType[] {
  if (!certTypes) {
    const lines = fs.readFileSync(CERT_FILE, 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
    certTypes = lines.map((l) => {
      const [name, department, holder] = l.split(',');
      return { name: name.trim(), department: department.trim(), holder: holder.trim() };
    });
  }
  return certTypes;
}

export function validateMaterials(list: Material[], base = '/materials'): FieldError[] {
  const errs: FieldError[] = [];
  const known = new Set(certificateTypes().map((c) => c.name));
  const keys = new Set<string>();
  if (list.length > 50) errs.push({ path: base, message: 'at most 50 materials' });
  list.forEach((m, i) => {
    const p = `${base}/${i}`;
    if (!/^[a-z][a-zA-Z0-9_]{0,39}$/.test(m.key ?? '')) errs.push({ path: `${p}/key`, message: 'use a letter then letters, digits or _' });
    else if (keys.has(m.key)) errs.push({ path: `${p}/key`, message: `duplicate key ${m.key}` });
    keys.add(m.key);
    if (!m.name?.trim()) errs.push({ path: `${p}/name`, message: 'is required' });
    if (!m.upload && !m.certificateType) errs.push({ path: p, message: 'a material is an upload, a certificate, or both' });
    if (m.upload) {
      if (!m.upload.types.length || m.upload.types.some((t) => !UPLOAD_TYPES.includes(t))) errs.push({ path: `${p}/upload/types`, message: `choose from ${UPLOAD_TYPES.join(', ')}` });
      if (!(m.upload.maxSizeMb > 0 && m.upload.maxSizeMb <= MAX_UPLOAD_MB)) errs.push({ path: `${p}/upload/maxSizeMb`, message: `between 0 and ${MAX_UPLOAD_MB}` });
    }
    if (m.certificateType && !known.has(m.certificateType)) errs.push({ path: `${p}/certificateType`, message: 'not a known electronic certificate type' });
  });
  return errs;
}
