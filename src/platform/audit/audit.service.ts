// Append-only audit trail chained by SHA-256: each entry's hash covers its content and the previous
// hash, so editing, deleting, inserting or moving an entry breaks the chain there; verification reports
// every break and keeps going. Appends serialise on an advisory lock inside the caller's transaction: the
// entry lands with the change it describes, or not at all.
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, is, lt, lte, sql, type SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Actor } from '../auth/actor';
import { inTransaction, rows, type Db, type DbOrTx, type Tx } from '../db/client';
import { appMeta } from '../db/meta.schema';
import { auditLog } from './audit.schema';

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_LOCK_KEY = 7_020_001; // advisory lock id reserved for the audit chain

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  orgId?: string | null;
  before?: unknown;
  after?: unknown;
  /** Extra facts worth keeping (reason, counts). */
  note?: Record<string, unknown>;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string;
  onBehalfOf: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  orgId: string | null;
  summary: Record<string, unknown>;
  requestId: string | null;
  ip: string | null;
  prevHash: string;
  hash: string;
}

/** Keys sorted, undefined dropped: the same value always hashes the same, whatever jsonb did to key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

// ---- what PostgreSQL gives back ------------------------------------------------------------------------
//
// An entry's hash must be computed over exactly what the database returns, or verification reports an
// honest entry as edited. PostgreSQL's text and jsonb hold well-formed UTF-8 without U+0000: a lone UTF-16
// surrogate reaches a text column as U+FFFD (the driver's UTF-8 encoding) and makes a jsonb insert fail,
// and U+0000 makes both fail. jsonb keeps one value per key (the last), sorts keys, and stores numbers as
// numeric, which the drivers hand back through JSON.parse: after one JSON round trip every number is a
// finite double whose shortest form parses back to the same double (-0 becomes 0, NaN and ±Infinity
// null), so JSON numbers survive jsonb unchanged; BigInt, which JSON cannot carry, is kept as its decimal
// string. uuid columns come back in lower case. Entries are normalised by these rules before they are
// hashed and stored; on anything the old code could store and verify the rules change nothing, so
// entries written before them verify with the same hash function (see docs/SECURITY.md).

// eslint-disable-next-line no-control-regex -- U+0000 is exactly what must be found
const UNSTORABLE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\u0000/g;

/** A string as PostgreSQL text and jsonb hold it: lone surrogates and U+0000 become U+FFFD. */
export function storableText(s: string): string {
  return s.replace(UNSTORABLE, '\ufffd');
}

/** Any value as a jsonb column gives it back (see above); keys and strings through storableText. */
export function storableJson(value: unknown): unknown {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return text === undefined ? null : clean(JSON.parse(text));
}

function clean(v: unknown): unknown {
  if (typeof v === 'string') return storableText(v);
  if (Array.isArray(v)) return v.map(clean);
  // fromEntries defines own properties (a "__proto__" key stays a key) and the last of equal keys wins, as in jsonb.
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [storableText(k), clean(x)]));
  return v;
}

const storableOrNull = (s: string | null | undefined) => (s === null || s === undefined ? null : storableText(String(s)));
const uuidOrNull = (s: string | null | undefined) => (s === null || s === undefined ? null : String(s).toLowerCase());

export function entryHash(e: Omit<AuditEntry, 'seq' | 'hash'>): string {
  const body = canonicalJson({
    at: new Date(e.at).toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    onBehalfOf: e.onBehalfOf,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    orgId: e.orgId,
    summary: e.summary,
    requestId: e.requestId,
    ip: e.ip,
  });
  return createHash('sha256').update(e.prevHash).update('\n').update(body).digest('hex');
}

/** Strip values that must never reach the audit trail (secrets, hashes) and cap size. */
export function redact(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.slice(0, 50).map(redact);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (/password|secret|token|hash|totp|enc$/i.test(k)) {
        if (v !== null && v !== undefined) out[k] = '[redacted]';
        continue;
      }
      out[k] = redact(v);
    }
    return out;
  }
  if (typeof value === 'string' && value.length > 2000) return value.slice(0, 2000) + '…';
  return value;
}

export async function recordAudit(db: DbOrTx, actor: Actor, input: AuditInput): Promise<AuditEntry> {
  // The advisory lock is transaction-scoped: outside a transaction every statement would commit (and
  // release it) on its own, and two writers could chain onto the same previous entry. So a caller
  // without a transaction gets one here.
  if (!is(db, PgTransaction)) return inTransaction(db, (tx) => appendEntry(tx, actor, input));
  return appendEntry(db as Tx, actor, input);
}

async function appendEntry(db: Tx, actor: Actor, input: AuditInput): Promise<AuditEntry> {
  await db.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const [last] = await db.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  // Normalised to what the database will give back, so the hash covers exactly what is stored.
  const summary = storableJson({
    ...(input.before !== undefined ? { before: redact(input.before) } : {}),
    ...(input.after !== undefined ? { after: redact(input.after) } : {}),
    ...(input.note ? { note: redact(input.note) } : {}),
  }) as Record<string, unknown>;
  const base = {
    at: new Date().toISOString(),
    actorId: uuidOrNull(actor.userId),
    actorName: storableText(actor.username),
    onBehalfOf: storableOrNull(actor.onBehalfOf),
    action: storableText(input.action),
    entityType: storableText(input.entityType),
    entityId: storableOrNull(input.entityId),
    orgId: uuidOrNull(input.orgId),
    summary,
    requestId: storableOrNull(actor.requestId),
    ip: storableOrNull(actor.ip),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = entryHash(base);
  const [inserted] = await db
    .insert(auditLog)
    .values({ ...base, hash })
    .returning({ seq: auditLog.seq });
  // The head anchor lets verification notice entries cut off the end of the chain.
  await db
    .insert(appMeta)
    .values({ key: 'audit_head', value: { seq: inserted.seq, hash } })
    .onConflictDoUpdate({ target: appMeta.key, set: { value: { seq: inserted.seq, hash }, updatedAt: new Date() } });
  return { ...base, seq: inserted.seq, hash };
}

/**
 * Why an entry is reported. `edited`: its content no longer matches its hash. `deleted`: its previous-hash
 * names no entry (the entry before it was deleted, or rewritten together with its hash); reported at the
 * entry after the gap. `reordered`: it chains to an existing entry, but not to the one before it, and the
 * one after it does not chain to it (entries were moved or swapped; each displaced entry is reported).
 * `inserted`: no entry chains to it, and it either chains to nothing or the entry after it chains past it.
 * `truncated`: the chain ends before the recorded head. `head-missing`: entries exist but the head anchor is gone.
 */
export type AuditBreakReason = 'edited' | 'deleted' | 'reordered' | 'inserted' | 'truncated' | 'head-missing';

export interface AuditBreak {
  seq: number;
  reason: AuditBreakReason;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Entries read (every entry up to the head, whatever broke on the way). */
  checked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** The recorded head (null when there is none). */
  headSeq: number | null;
  /** How many breaks, in all, and by reason (whether or not they are listed). */
  broken: number;
  byReason: Partial<Record<AuditBreakReason, number>>;
  /** The breaks after the cursor, in seq order, at most `limit` (a page never splits one seq's breaks). */
  breaks: AuditBreak[];
  /** Pass as `afterSeq` for the next page of breaks; null when this page lists the last one. */
  nextCursor: number | null;
  /** The first break of the whole chain (what earlier versions reported alone). */
  brokenAt?: AuditBreak;
}

export interface VerifyOptions {
  /** List at most this many breaks (default 100); they are counted all the same. */
  limit?: number;
  /** List only breaks at entries after this seq (paging through breaks). */
  afterSeq?: number;
  /** Called with every break as it is found, in seq order (the CLI streams them). */
  onBreak?: (b: AuditBreak) => void;
  onProgress?: (checked: number, total: number) => void;
  /** Entries read per query. */
  batchSize?: number;
  /** How far (in entries, each way) reorders and insertions are recognised; farther ones still break, under another reason. */
  window?: number;
}

/** What the walk keeps of an entry once its content has been checked. */
interface Link {
  seq: number;
  hash: string;
  prevHash: string;
  contentOk: boolean;
  hint: string;
}

const GENESIS_LINK: Link = { seq: 0, hash: GENESIS_HASH, prevHash: '', contentOk: true, hint: '' };

/**
 * Classifies entries fed in seq order by their links, never stopping at a break. It keeps a window of
 * `window` entries behind and ahead of the one it classifies (seq, hash, previous-hash: a few hundred bytes
 * each), so memory stays bounded however long the chain.
 */
export class ChainWalker {
  private rows: Link[] = [];
  private next = 0;
  private readonly byHash = new Map<string, Link>();
  private readonly pointers = new Map<string, number>();
  private lastReported = -1;

  constructor(
    private readonly head: { seq: number; hash: string } | null,
    private readonly emit: (b: AuditBreak) => void,
    private readonly window = 10_000,
  ) {}

  push(l: Link): void {
    this.rows.push(l);
    if (!this.byHash.has(l.hash)) this.byHash.set(l.hash, l);
    this.pointers.set(l.prevHash, (this.pointers.get(l.prevHash) ?? 0) + 1);
    while (this.rows.length - this.next > this.window) this.classify();
    if (this.next > 2 * this.window) this.forget(this.next - this.window);
  }

  /** Classify what is left, then compare the end of the chain with the recorded head. */
  finish(): void {
    while (this.next < this.rows.length) this.classify();
    const last = this.rows[this.rows.length - 1];
    const head = this.head;
    if (!head) {
      if (last) this.report(last.seq, 'head-missing', 'the recorded head of the chain is missing: entries may have been removed from the end');
    } else if (!last || head.seq > last.seq) {
      const at = last?.seq ?? 0;
      this.report(at + 1, 'truncated', `the chain ends at entry ${at || '(none)'} but the recorded head is entry ${head.seq}: entries were removed from the end`);
    } else if (head.hash !== last.hash && this.lastReported !== last.seq) {
      this.report(last.seq, 'edited', 'the last entry does not match the recorded head: it was rewritten together with its hash');
    }
  }

  private report(seq: number, reason: AuditBreakReason, detail: string) {
    this.lastReported = seq;
    this.emit({ seq, reason, detail });
  }

  private forget(n: number) {
    for (const l of this.rows.splice(0, n)) {
      if (this.byHash.get(l.hash) === l) this.byHash.delete(l.hash);
      const c = (this.pointers.get(l.prevHash) ?? 1) - 1;
      if (c > 0) this.pointers.set(l.prevHash, c);
      else this.pointers.delete(l.prevHash);
    }
    this.next -= n;
  }

  private pred(hash: string): Link | undefined {
    return hash === GENESIS_HASH ? GENESIS_LINK : this.byHash.get(hash);
  }

  private pointedTo(l: Link): boolean {
    return (this.pointers.get(l.hash) ?? 0) > 0 || this.head?.hash === l.hash;
  }

  private classify() {
    const i = this.next++;
    const r = this.rows[i];
    const p: Link | undefined = this.rows[i - 1];
    const n: Link | undefined = this.rows[i + 1];
    if (!r.contentOk) this.report(r.seq, 'edited', `its content does not match its hash: the entry was edited${r.hint}`);
    const after = p ? `entry ${p.seq}` : 'the start of the chain';
    // The entry after this one chains to it (the last one: the head records it).
    const outOk = n ? n.prevHash === r.hash : !this.head || this.head.hash === r.hash;
    if (r.prevHash === (p ? p.hash : GENESIS_HASH)) {
      if (outOk || !n || this.pointedTo(r)) return;
      const skipTo = this.pred(n.prevHash);
      if (skipTo && skipTo.seq < r.seq) {
        this.report(r.seq, 'inserted', `no entry chains to it, and entry ${n.seq} after it chains to ${skipTo.seq ? `entry ${skipTo.seq}` : 'the start of the chain'} before it: it was inserted`);
      }
      return;
    }
    const pred = this.pred(r.prevHash);
    if (!pred) {
      if (!this.pointedTo(r) && n) this.report(r.seq, 'inserted', 'it chains to no entry and no entry chains to it: it was inserted');
      else this.report(r.seq, 'deleted', `its previous-hash matches no entry: the entry before it (after ${after}) was deleted, or rewritten together with its hash`);
      return;
    }
    if (!outOk) {
      this.report(r.seq, 'reordered', `it chains to ${pred.seq ? `entry ${pred.seq}` : 'the start of the chain'} but stands after ${after}: entries were moved or swapped`);
    }
    // Otherwise this entry is in place and a neighbour is not; that neighbour is reported.
  }
}

type ProgressFn = (checked: number, total: number) => void;

const TEXT_COLUMNS = ['actorName', 'onBehalfOf', 'action', 'entityType', 'entityId', 'requestId', 'ip'] as const;

/**
 * Walk the whole chain in seq order, in batches, up to the head anchor, and report every break. The head
 * is read first: entries are appended under a lock in seq order, so everything up to it is committed, and
 * entries appended while the walk runs (a live server) are left for the next verification instead of
 * looking like a mismatch.
 */
export async function verifyAuditChain(db: Db, options: VerifyOptions | ProgressFn = {}): Promise<VerifyResult> {
  const o: VerifyOptions = typeof options === 'function' ? { onProgress: options } : options;
  const limit = o.limit ?? 100;
  const afterSeq = o.afterSeq ?? 0;
  const batchSize = o.batchSize ?? 1000;
  const [headRow] = await db.select().from(appMeta).where(eq(appMeta.key, 'audit_head'));
  const head = headRow ? (headRow.value as { seq: number; hash: string }) : null;
  const upTo = head ? lte(auditLog.seq, head.seq) : undefined;
  const [{ total }] = await rows<{ total: string }>(
    db,
    head ? sql`select count(*)::text as total from audit_log where seq <= ${head.seq}` : sql`select count(*)::text as total from audit_log`,
  );
  const totalN = Number(total);
  const result: VerifyResult = { ok: true, checked: 0, firstSeq: null, lastSeq: null, headSeq: head?.seq ?? null, broken: 0, byReason: {}, breaks: [], nextCursor: null };
  let more = false;
  const walker = new ChainWalker(
    head,
    (b) => {
      result.broken++;
      result.byReason[b.reason] = (result.byReason[b.reason] ?? 0) + 1;
      result.brokenAt ??= b;
      o.onBreak?.(b);
      if (b.seq <= afterSeq || more) return;
      const lastListed = result.breaks[result.breaks.length - 1];
      if (result.breaks.length < limit || lastListed?.seq === b.seq) result.breaks.push(b);
      else more = true;
    },
    o.window,
  );
  let lastSeq = 0;
  for (;;) {
    const page = await db.select().from(auditLog).where(and(gt(auditLog.seq, lastSeq), upTo)).orderBy(asc(auditLog.seq)).limit(batchSize);
    if (page.length === 0) break;
    for (const r of page) {
      const e = r as unknown as AuditEntry;
      const contentOk = entryHash(e) === e.hash;
      // Before normalisation, an unpaired surrogate in a text column was hashed as itself and stored as U+FFFD.
      const hint = !contentOk && TEXT_COLUMNS.some((c) => e[c]?.includes('\ufffd')) ? ' (it holds U+FFFD: an entry written before entries were normalised for storage, from input with an unpaired surrogate, breaks like this without tampering)' : '';
      walker.push({ seq: e.seq, hash: e.hash, prevHash: e.prevHash, contentOk, hint });
      result.firstSeq ??= e.seq;
      lastSeq = e.seq;
      result.checked++;
    }
    o.onProgress?.(result.checked, totalN);
  }
  walker.finish();
  result.lastSeq = result.checked ? lastSeq : null;
  result.ok = result.broken === 0;
  if (more && result.breaks.length) result.nextCursor = result.breaks[result.breaks.length - 1].seq;
  return result;
}

export interface AuditFilter {
  actorId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
  /** Only entries of these organisation ids (department staff); undefined = all. */
  orgIds?: string[];
  /** Also show the entries the actor made themselves. */
  orIncludeActorId?: string;
  beforeSeq?: number;
  limit: number;
}

/** Newest first, keyset-paged on seq (the trail grows without bound; offsets would crawl). */
export async function listAudit(db: Db, f: AuditFilter): Promise<{ items: AuditEntry[]; nextCursor: number | null }> {
  const conds: SQL[] = [];
  if (f.actorId) conds.push(eq(auditLog.actorId, f.actorId));
  if (f.action) conds.push(eq(auditLog.action, f.action));
  if (f.entityType) conds.push(eq(auditLog.entityType, f.entityType));
  if (f.entityId) conds.push(eq(auditLog.entityId, f.entityId));
  if (f.from) conds.push(sql`${auditLog.at} >= ${f.from}`);
  if (f.to) conds.push(sql`${auditLog.at} < ${f.to}`);
  if (f.beforeSeq) conds.push(lt(auditLog.seq, f.beforeSeq));
  if (f.orgIds) {
    const ids = f.orgIds.length ? f.orgIds : ['00000000-0000-0000-0000-000000000000'];
    const orgCond = sql`${auditLog.orgId} in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`;
    conds.push(f.orIncludeActorId ? sql`(${orgCond} or ${auditLog.actorId} = ${f.orIncludeActorId}::uuid)` : orgCond);
  }
  const list = await db
    .select()
    .from(auditLog)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(f.limit + 1);
  const items = list.slice(0, f.limit).map((r) => ({ ...r, at: new Date(r.at).toISOString() })) as unknown as AuditEntry[];
  return { items, nextCursor: list.length > f.limit ? items[items.length - 1].seq : null };
}

export interface AuditActivity {
  total: number;
  last24h: number;
  /** The last 24 hours, one bucket per hour (UTC hour starts), oldest first, empty hours included. */
  byHour: { hour: string; count: number }[];
}

/** How busy the platform has been: entries in all, in the last day, and per hour of that day. */
export async function auditActivity(db: Db): Promise<AuditActivity> {
  const [totals] = await rows<{ total: number; last24h: number }>(
    db,
    sql`select count(*)::int as total, count(*) filter (where at > now() - interval '24 hours')::int as last24h from audit_log`,
  );
  const byHour = await rows<{ hour: string; count: number }>(
    db,
    sql`select to_char(h.hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"') as hour, count(a.seq)::int as count
        from generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()), interval '1 hour') as h(hour)
        left join audit_log a on a.at >= h.hour and a.at < h.hour + interval '1 hour'
        group by h.hour order by h.hour`,
  );
  return { total: totals.total, last24h: totals.last24h, byHour };
}
