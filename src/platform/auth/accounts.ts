// Account look-ups other modules need, answered by the platform that owns the users table: modules ask
// for what they need (an id, a name, the staff of an organisation), never for the row. Each takes the
// caller's db or transaction so it joins the caller's unit of work.
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { roles, users } from './auth.schema';

/** The account id for a login name, or null. */
export async function accountIdByUsername(db: DbOrTx, username: string): Promise<string | null> {
  const [r] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  return r?.id ?? null;
}

export interface AccountSummary {
  id: string;
  username: string;
  displayName: string;
  kind: string;
  orgId: string | null;
  /** The ID number as shown to staff (GB 11643 masked), or null. */
  idNumberMasked: string | null;
}

const summary = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  kind: users.kind,
  orgId: users.orgId,
  idNumberMasked: users.idNumberMasked,
};

/** Who an account is, for display: never its secrets. */
export async function accountSummary(db: DbOrTx, userId: string): Promise<AccountSummary | null> {
  const [r] = await db.select(summary).from(users).where(eq(users.id, userId));
  return r ?? null;
}

/** Summaries of many accounts at once (a page of records naming their subjects), keyed by id. */
export async function accountSummaries(db: DbOrTx, userIds: readonly string[]): Promise<Map<string, AccountSummary>> {
  const ids = [...new Set(userIds.filter(Boolean))];
  if (!ids.length) return new Map();
  const rows = await db.select(summary).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

/** Active staff accounts of one organisation (whom to notify), oldest first, at most `limit`. */
export async function staffOf(db: DbOrTx, orgId: string, limit = 50): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.kind, 'staff'), eq(users.status, 'active')))
    .orderBy(asc(users.createdAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** The encrypted ID number of an account, for AuthService.revealIdNumber; null when none is on file. */
export async function idNumberSealed(db: DbOrTx, userId: string): Promise<{ idNumberEnc: string | null } | null> {
  const [r] = await db.select({ idNumberEnc: users.idNumberEnc }).from(users).where(eq(users.id, userId));
  return r ?? null;
}

/** How many accounts and roles this installation has (status and CLI summaries). */
export async function accountCounts(db: DbOrTx): Promise<{ users: number; roles: number }> {
  const [[u], [r]] = await Promise.all([db.select({ n: count() }).from(users), db.select({ n: count() }).from(roles)]);
  return { users: Number(u.n), roles: Number(r.n) };
}
