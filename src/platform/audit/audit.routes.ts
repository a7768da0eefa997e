// The audit trail for the console: filtered, keyset-paged, and scoped to what the viewer may see.
import type { FastifyInstance } from 'fastify';
import { visibility, type Actor } from '../auth/actor';
import { P } from '../auth/permissions';
import type { Db } from '../db/client';
import { cursorQuery } from '../http/paging';
import { listAudit, verifyAuditChain } from './audit.service';

export interface AuditRouteDeps {
  db: Db;
  /** Organisation ids the actor may see for a permission (undefined = all). */
  visibleOrgIds: (actor: Actor, permission: string) => Promise<string[] | undefined>;
}

export async function auditRoutes(app: FastifyInstance, deps: AuditRouteDeps) {
  app.get<{ Querystring: { action?: string; entityType?: string; entityId?: string; actorId?: string; from?: string; to?: string; cursor?: number; limit: number } }>(
    '/api/audit',
    {
      config: { auth: P.auditRead },
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, newest first',
        querystring: {
          type: 'object',
          properties: {
            action: { type: 'string', maxLength: 100 },
            entityType: { type: 'string', maxLength: 100 },
            entityId: { type: 'string', maxLength: 100 },
            actorId: { type: 'string', format: 'uuid' },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            ...cursorQuery,
          },
        },
      },
    },
    async (req) => {
      const actor = req.actor!;
      const v = visibility(actor, P.auditRead);
      const orgIds = v.all ? undefined : await deps.visibleOrgIds(actor, P.auditRead);
      return listAudit(deps.db, { ...req.query, beforeSeq: req.query.cursor, orgIds, orIncludeActorId: orgIds ? (actor.userId ?? undefined) : undefined });
    },
  );

  app.get<{ Querystring: { limit: number; cursor?: number } }>(
    '/api/audit/verify',
    {
      config: { auth: P.auditVerify },
      schema: {
        tags: ['audit'],
        summary: 'Walk the whole hash chain and report every broken entry',
        description:
          'Every entry up to the recorded head is checked, whatever breaks on the way. `breaks` lists up to `limit` of them in seq order (after `cursor`, a seq: pass `nextCursor` for the next page); `broken` and `byReason` count them all; `brokenAt` is the first break of the chain.',
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            cursor: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    (req) => verifyAuditChain(deps.db, { limit: req.query.limit, afterSeq: req.query.cursor }),
  );
}
