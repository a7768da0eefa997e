// Multipart uploads for the credit pages (the shared `api` sends JSON only): same cookies, the CSRF
// header, and failures turned into the same ApiError the rest of the apps handle.
import { ApiError, NetworkError, csrfToken, type Problem } from '../api';

export async function uploadFile<T>(path: string, file: File, fields: Record<string, string> = {}): Promise<T> {
  const body = new FormData();
  // Text fields first: a streaming server reads them before the file part.
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  body.append('file', file, file.name);
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = csrfToken();
  if (token) headers['x-csrf-token'] = token;
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', body, headers, credentials: 'same-origin' });
  } catch (e) {
    throw new NetworkError(e);
  }
  const type = res.headers.get('content-type') ?? '';
  const payload: unknown = type.includes('json') ? await res.json().catch(() => null) : await res.text().catch(() => '');
  if (!res.ok) {
    const problem: Problem = payload && typeof payload === 'object' ? (payload as Problem) : { status: res.status, title: res.statusText };
    throw new ApiError(res.status, problem);
  }
  return payload as T;
}
