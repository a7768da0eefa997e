// What the gateway needs to know about consumer subsystems and resources, as a narrow port onto the
// catalogue part. Reads that a grant makes go through the caller's transaction (the request workflow's):
// PGlite has one connection, and a query outside the open transaction would wait forever.
import { rows, sql, type DbOrTx } from '../../../platform/db/client';
import type { ResourceCatalogue } from '../catalogue';
import type { ResourceDataShape } from '../contracts';

export interface ConsumerSubsystem {
  id: string;
  memberId: string;
  /** The member's organisation on this platform; null for an external (upstream) member. */
  orgId: string | null;
  /** Full X-Road id, e.g. CN-370200/GOV/RSJ/pension-audit. */
  xroadId: string;
  code: string;
  name: string;
}

export interface GatewayDirectory {
  subsystem(id: string, db?: DbOrTx): Promise<ConsumerSubsystem | null>;
  memberOrgId(memberId: string): Promise<string | null>;
  /** What a new grant copies, read through the caller's transaction. */
  grantFacts(tx: DbOrTx, subsystemId: string, resourceId: string): Promise<{ subsystem: ConsumerSubsystem | null; resource: ResourceDataShape | null; serviceId: string | null }>;
  /** The X-Road service id of a resource by its code (for records of calls refused before a grant was found). */
  serviceIdOf(resourceCode: string): Promise<string | null>;
}

type ServiceRow = { service_id: string };

/**
 * The X-Road service id of a resource: the provider's subsystem id when the resource names one (as the
 * catalogue's xroadServiceId), else the provider member's id; then the resource code.
 */
const SERVICE_SELECT = sql`select m.instance || '/' || m.class || '/' || m.code || coalesce('/' || ps.code, '') || '/' || r.code as service_id
  from share_resources r join share_members m on m.id = r.provider_member_id
  left join share_subsystems ps on ps.id = r.provider_subsystem_id`;

export function catalogueDirectory(catalogue: ResourceCatalogue, db: DbOrTx): GatewayDirectory {
  const subsystem = async (id: string, through: DbOrTx = db): Promise<ConsumerSubsystem | null> => {
    const s = await catalogue.subsystem(id, through);
    return s ? { id: s.id, memberId: s.memberId, orgId: s.member.orgId, code: s.code, name: s.name, xroadId: s.xroadId } : null;
  };
  return {
    subsystem,
    async memberOrgId(memberId) {
      return (await catalogue.member(memberId))?.orgId ?? null;
    },
    async grantFacts(tx, subsystemId, resourceId) {
      const sub = await subsystem(subsystemId, tx);
      const resource = await catalogue.shape(resourceId, tx);
      const [r] = await rows<ServiceRow>(tx, sql`${SERVICE_SELECT} where r.id = ${resourceId}::uuid`);
      return { subsystem: sub, resource, serviceId: r?.service_id ?? null };
    },
    async serviceIdOf(resourceCode) {
      const [r] = await rows<ServiceRow>(db, sql`${SERVICE_SELECT} where r.code = ${resourceCode}`);
      return r?.service_id ?? null;
    },
  };
}
