// The seals pages' calls that are not JSON in and out: sealing (a PDF comes back) and verifying (a PDF
// goes up). Same cookies, CSRF header and ApiError as the shared client.
import { ApiError, NetworkError, csrfToken, type Problem } from '../../shared/api';
import { uploadFile } from '../../shared/credit/upload';
import type { VerifyReport } from './types';

export async function sealPdf(file: File, fields: Record<string, string>): Promise<Blob> {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== '') body.append(k, v);
  body.append('file', file, file.name);
  const headers: Record<string, string> = { accept: 'application/pdf, application/problem+json' };
  const token = csrfToken();
  if (token) headers['x-csrf-token'] = token;
  let res: Response;
  try {
    res = await fetch('/api/seal/sign', { method: 'POST', body, headers, credentials: 'same-origin' });
  } catch (e) {
    throw new NetworkError(e);
  }
  if (!res.ok) {
    const problem = ((await res.json().catch(() => null)) as Problem | null) ?? { status: res.status, title: res.statusText };
    throw new ApiError(res.status, problem);
  }
  return res.blob();
}

export function verifyPdf(file: File | Blob, name = 'document.pdf'): Promise<VerifyReport> {
  const f = file instanceof File ? file : new File([file], name, { type: 'application/pdf' });
  return uploadFile<VerifyReport>('/api/seal/verify', f);
}
