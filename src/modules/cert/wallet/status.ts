// Token Status Lists of other platforms' certificates: fetched by URI, signature checked against the
// trust store (key use `status-list`), cached for the list's `ttl`.
import { decodeJws, verifyEs256 } from '../../../lib/sd-jwt';
import type { TrustStore } from '../../../lib/verifier/trust';
import { b64uDecode } from '../../../lib/verifier/bytes';
import { zlibInflate } from '../../../lib/verifier/zlib';

interface Cached {
  bits: number;
  bytes: Uint8Array;
  until: number;
}

const DEFAULT_TTL_SECONDS = 300;
const MAX_TTL_SECONDS = 24 * 3600;

export class StatusListCache {
  private readonly lists = new Map<string, Cached>();
  constructor(private readonly fetcher: (uri: string) => Promise<Response> = (uri) => fetch(uri, { headers: { accept: 'application/statuslist+jwt' }, signal: AbortSignal.timeout(5000) })) {}

  async status(uri: string, idx: number, trust: TrustStore, at: Date): Promise<{ ok: true; value: number } | { ok: false; message: string }> {
    let c = this.lists.get(uri);
    if (!c || c.until < Date.now()) {
      const loaded = await this.load(uri, trust, at);
      if (!loaded.ok) return loaded;
      c = loaded.list;
      this.lists.set(uri, c);
    }
    const perByte = 8 / c.bits;
    const byte = c.bytes[Math.floor(idx / perByte)];
    if (byte === undefined || idx < 0 || !Number.isInteger(idx)) return { ok: false, message: `index ${idx} is outside the status list` };
    return { ok: true, value: (byte >> ((idx % perByte) * c.bits)) & ((1 << c.bits) - 1) };
  }

  private async load(uri: string, trust: TrustStore, at: Date): Promise<{ ok: true; list: Cached } | { ok: false; message: string }> {
    try {
      if (!/^https?:\/\//.test(uri)) return { ok: false, message: `status list URI ${uri} is not http(s)` };
      const res = await this.fetcher(uri);
      if (!res.ok) return { ok: false, message: `status list ${uri} answered ${res.status}` };
      const body = (await res.text()).trim();
      const jwt = body.startsWith('{') ? String((JSON.parse(body) as { jwt?: string }).jwt ?? '') : body;
      const jws = decodeJws(jwt);
      if (jws.header.typ !== 'statuslist+jwt') return { ok: false, message: 'status list typ must be statuslist+jwt' };
      const iat = typeof jws.payload.iat === 'number' ? new Date(jws.payload.iat * 1000) : at;
      const key = trust.resolve(String(jws.header.kid ?? ''), 'status-list', iat);
      if (!key.ok) return { ok: false, message: `status list signer: ${key.message}` };
      if (!(await verifyEs256(key.key.jwk, jws))) return { ok: false, message: 'status list signature does not verify' };
      if (jws.payload.sub !== uri) return { ok: false, message: 'status list sub is not its URI' };
      if (typeof jws.payload.exp === 'number' && jws.payload.exp * 1000 < at.getTime()) return { ok: false, message: 'status list has expired' };
      const sl = jws.payload.status_list as { bits?: number; lst?: string } | undefined;
      if (!sl || ![1, 2, 4, 8].includes(sl.bits ?? 0) || typeof sl.lst !== 'string') return { ok: false, message: 'status_list needs bits and lst' };
      const ttl = Math.min(typeof jws.payload.ttl === 'number' ? jws.payload.ttl : DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS);
      return { ok: true, list: { bits: sl.bits!, bytes: await zlibInflate(b64uDecode(sl.lst)), until: Date.now() + ttl * 1000 } };
    } catch (e) {
      return { ok: false, message: `status list ${uri} unreadable: ${(e as Error).message}` };
    }
  }
}
