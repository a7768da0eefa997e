// The audit trail for the console: filtered, keyset-paged, and scoped to what the viewer may see.
import type { FastifyInstance } from 'fastify';
import { visibility, type Actor } from '../auth/actor';
import { P } from '../auth/permissions';
import type { Db } from '../db/client';
import { MAX_PAGE } from '../http/paging';
import { Defaulted, Enum, Json, Nullable, Str, Timestamp, Type, typed } from '../http/schema';
import { listAudit, verifyAuditChain } from './audit.service';

const tags = ['audit'];

/** The fields of an audit entry but its chain links (prevHash, hash): what a reader of the trail sees. */
export const AuditEntryFields = {
  seq: Type.Integer(),
  at: Timestamp,
  actorId: Nullable(Type.String()),
  actorName: Type.String(),
  onBehalfOf: Nullable(Type.String()),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Nullable(Type.String()),
  orgId: Nullable(Type.String()),
  summary: Json,
  requestId: Nullable(Type.String()),
  ip: Nullable(Type.String()),
};

/** One entry of the trail, with the hashes that chain it to the one before. */
export const AuditEntrySchema = Type.Object({ ...AuditEntryFields, prevHash: Type.String(), hash: Type.String() });

const BREAK_REASONS = ['edited', 'deleted', 'reordered', 'inserted', 'truncated', 'head-missing'] as const;
const AuditBreakSchema = Type.Object({ seq: Type.Integer(), reason: Enum(BREAK_REASONS), detail: Type.String() });

const VerifyResultSchema = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer({ description: 'Entries read (every entry up to the head)' }),
  firstSeq: Nullable(Type.Integer()),
  lastSeq: Nullable(Type.Integer()),
  headSeq: Nullable(Type.Integer({ description: 'The recorded head (null when there is none)' })),
  broken: Type.Integer({ description: 'How many breaks in all' }),
  byReason: Type.Object(
    {
      edited: Type.Optional(Type.Integer()),
      deleted: Type.Optional(Type.Integer()),
      reordered: Type.Optional(Type.Integer()),
      inserted: Type.Optional(Type.Integer()),
      truncated: Type.Optional(Type.Integer()),
      'head-missing': Type.Optional(Type.Integer()),
    },
    { description: 'Breaks by reason (reasons without a break are absent)' },
  ),
  breaks: Type.Array(AuditBreakSchema),
  nextCursor: Nullable(Type.Integer()),
  brokenAt: Type.Optional(AuditBreakSchema),
});

export interface AuditRouteDeps {
  db: Db;
  /** Organisation ids the actor may see for a permission (undefined = all). */
  visibleOrgIds: (actor: Actor, permission: string) => Promise<string[] | undefined>;
}

export async function auditRoutes(app: FastifyInstance, deps: AuditRouteDeps) {
  const api = typed(app);

  api.get(
    '/api/audit',
    {
      config: { auth: P.auditRead },
      schema: {
        tags,
        summary: 'The audit trail, newest first',
        querystring: Defaulted({
          action: Type.Optional(Str(100)),
          entityType: Type.Optional(Str(100)),
          entityId: Type.Optional(Str(100)),
          actorId: Type.Optional(Type.String({ format: 'uuid' })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 50 }),
          cursor: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(AuditEntrySchema), nextCursor: Nullable(Type.Integer({ description: 'Pass as `cursor` for the next (older) page' })) }) },
      },
    },
    async (req) => {
      const actor = req.actor!;
      const v = visibility(actor, P.auditRead);
      const orgIds = v.all ? undefined : await deps.visibleOrgIds(actor, P.auditRead);
      return listAudit(deps.db, { ...req.query, beforeSeq: req.query.cursor, orgIds, orIncludeActorId: orgIds ? (actor.userId ?? undefined) : undefined });
    },
  );

  api.get(
    '/api/audit/verify',
    {
      config: { auth: P.auditVerify },
      schema: {
        tags,
        summary: 'Walk the whole hash chain and report every broken entry',
        description:
          'Every entry up to the recorded head is checked, whatever breaks on the way. `breaks` lists up to `limit` of them in seq order (after `cursor`, a seq: pass `nextCursor` for the next page); `broken` and `byReason` count them all; `brokenAt` is the first break of the chain.',
        querystring: Defaulted({
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          cursor: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: { 200: VerifyResultSchema },
      },
    },
    (req) => verifyAuditChain(deps.db, { limit: req.query.limit, afterSeq: req.query.cursor }),
  );
}
