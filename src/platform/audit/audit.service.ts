// Append-only audit trail chained by SHA-256: each entry's hash covers its content and the previous
// hash, so editing or deleting any entry breaks the chain from there on. Appends serialise on an
// advisory lock inside the caller's transaction: the entry lands with the change it describes, or not at all.
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
  const summary = JSON.parse(
    JSON.stringify({
      ...(input.before !== undefined ? { before: redact(input.before) } : {}),
      ...(input.after !== undefined ? { after: redact(input.after) } : {}),
      ...(input.note ? { note: redact(input.note) } : {}),
    }),
  ) as Record<string, unknown>;
  const base = {
    at: new Date().toISOString(),
    actorId: actor.userId,
    actorName: actor.username,
    onBehalfOf: actor.onBehalfOf ?? null,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    orgId: input.orgId ?? null,
    summary,
    requestId: actor.requestId ?? null,
    ip: actor.ip ?? null,
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
 * Why verification failed. `edited`: the entry's content no longer matches its hash. `deleted`: its
 * previous-hash does not match the entry before it (an entry in between was deleted, or the one before
 * was rewritten together with its hash). `truncated`: the chain ends before the recorded head. `head-missing`:
 * entries exist but the head anchor is gone.
 */
export type AuditBreakReason = 'edited' | 'deleted' | 'truncated' | 'head-missing';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** First entry that does not match (edited, or the one after a deleted entry). */
  brokenAt?: { seq: number; reason: AuditBreakReason; detail: string };
  headSeq?: number;
}

/**
 * Walk the chain in order, in pages, up to the head anchor, and report the first break. The head is read
 * first: entries are appended under a lock in seq order, so everything up to it is committed, and entries
 * appended while the walk runs (a live server) are left for the next verification instead of looking
 * like a mismatch.
 */
export async function verifyAuditChain(db: Db, onProgress?: (checked: number, total: number) => void): Promise<VerifyResult> {
  const [headRow] = await db.select().from(appMeta).where(eq(appMeta.key, 'audit_head'));
  const head = headRow ? (headRow.value as { seq: number; hash: string }) : null;
  const upTo = head ? lte(auditLog.seq, head.seq) : undefined;
  const [{ total }] = await rows<{ total: string }>(
    db,
    head ? sql`select count(*)::text as total from audit_log where seq <= ${head.seq}` : sql`select count(*)::text as total from audit_log`,
  );
  const totalN = Number(total);
  let prev = GENESIS_HASH;
  let lastSeq = 0;
  let checked = 0;
  const broken = (seq: number, reason: AuditBreakReason, detail: string): VerifyResult => ({ ok: false, checked, brokenAt: { seq, reason, detail } });
  for (;;) {
    const page = await db.select().from(auditLog).where(and(gt(auditLog.seq, lastSeq), upTo)).orderBy(asc(auditLog.seq)).limit(2000);
    if (page.length === 0) break;
    for (const r of page) {
      const e = r as unknown as AuditEntry;
      if (e.prevHash !== prev) {
        return broken(e.seq, 'deleted', `its previous-hash does not match entry ${lastSeq || '(genesis)'}: an entry before it was deleted, or the one before it was rewritten`);
      }
      if (entryHash(e) !== e.hash) return broken(e.seq, 'edited', 'its content does not match its hash: the entry was edited');
      prev = e.hash;
      lastSeq = e.seq;
      checked++;
    }
    onProgress?.(checked, totalN);
  }
  if (head) {
    if (head.seq !== lastSeq) {
      return broken(lastSeq + 1, 'truncated', `the chain ends at entry ${lastSeq} but the recorded head is entry ${head.seq}: entries were removed from the end`);
    }
    if (head.hash !== prev) return broken(lastSeq, 'edited', 'the last entry does not match the recorded head: it was rewritten together with its hash');
  } else if (checked > 0) {
    return broken(lastSeq, 'head-missing', 'the recorded head of the chain is missing');
  }
  return { ok: true, checked, headSeq: lastSeq };
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
