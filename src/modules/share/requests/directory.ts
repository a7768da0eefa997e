// What the request workflow needs to know about members, subsystems and resources, as a narrow port
// onto the catalogue part (which owns those tables). Kept narrow so the workflow is testable on its own
// terms and the catalogue can change its internals freely.
import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../../platform/db/client';

export type ProviderLevel = 'city' | 'district' | 'province' | 'national';
export const PROVIDER_LEVELS: ProviderLevel[] = ['city', 'district', 'province', 'national'];

export interface MemberInfo {
  id: string;
  /** The organisation in this platform; null for an external (upstream) member. */
  orgId: string | null;
  code: string;
  name: string;
  level: ProviderLevel;
  external: boolean;
}

export interface SubsystemInfo {
  id: string;
  memberId: string;
  code: string;
  name: string;
}

export interface ResourceInfo {
  id: string;
  code: string;
  name: string;
  grade: 'core' | 'important' | 'general';
  providerMemberId: string;
  /** draft | published | retired (the catalogue's state). */
  state: string;
  /** True when the resource is published and has a dataset on the platform (rows loaded). */
  servable: boolean;
  /** Names of its data items (the fields a request may ask for). */
  items: string[];
}

export interface RequestDirectory {
  member(id: string): Promise<MemberInfo | null>;
  memberOfOrg(orgId: string): Promise<MemberInfo | null>;
  members(ids: string[]): Promise<Map<string, MemberInfo>>;
  subsystem(id: string): Promise<SubsystemInfo | null>;
  resource(id: string): Promise<ResourceInfo | null>;
  resources(ids: string[]): Promise<Map<string, ResourceInfo>>;
}

// ---- the catalogue's tables, read-only --------------------------------------------------------------------


type MemberRow = { id: string; org_id: string | null; code: string; name: string; level: ProviderLevel; external: boolean };
type ResourceRow = { id: string; code: string; name: string; grade: ResourceInfo['grade']; provider_member_id: string; state: string; items: { name: string }[] | null; row_count: number | null };

const toMember = (r: MemberRow): MemberInfo => ({ id: r.id, orgId: r.org_id, code: r.code, name: r.name, level: r.level, external: !!r.external });
const toResource = (r: ResourceRow): ResourceInfo => ({
  id: r.id,
  code: r.code,
  name: r.name,
  grade: r.grade,
  providerMemberId: r.provider_member_id,
  state: r.state,
  servable: r.state === 'published' && Number(r.row_count ?? 0) > 0,
  items: (r.items ?? []).map((i) => i.name),
});

const uuidList = (ids: string[]) => sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `);
/** With the data part's share_datasets: servable = published with rows loaded; without it (not migrated yet): published. */
const resourceSelect = (withDatasets: boolean) =>
  withDatasets
    ? sql`select r.id, r.code, r.name, r.grade, r.provider_member_id, r.state, r.items,
        (select d.row_count from share_datasets d where d.resource_id = r.id limit 1)::int as row_count from share_resources r`
    : sql`select r.id, r.code, r.name, r.grade, r.provider_member_id, r.state, r.items, 1 as row_count from share_resources r`;

/** The directory over the catalogue's tables (share_members, share_subsystems, share_resources) and the data part's share_datasets. */
export function tableDirectory(db: Db): RequestDirectory {
  let withDatasets: boolean | null = null;
  const RESOURCE = async () => {
    if (withDatasets === null) [{ ok: withDatasets }] = await rows<{ ok: boolean }>(db, sql`select to_regclass('share_datasets') is not null as ok`);
    return resourceSelect(withDatasets);
  };
  return {
    async member(id) {
      const [r] = await rows<MemberRow>(db, sql`select id, org_id, code, name, level, external from share_members where id = ${id}::uuid`);
      return r ? toMember(r) : null;
    },
    async memberOfOrg(orgId) {
      const [r] = await rows<MemberRow>(db, sql`select id, org_id, code, name, level, external from share_members where org_id = ${orgId}::uuid order by id limit 1`);
      return r ? toMember(r) : null;
    },
    async members(ids) {
      if (!ids.length) return new Map();
      const rs = await rows<MemberRow>(db, sql`select id, org_id, code, name, level, external from share_members where id in (${uuidList(ids)})`);
      return new Map(rs.map((r) => [r.id, toMember(r)]));
    },
    async subsystem(id) {
      const [r] = await rows<{ id: string; member_id: string; code: string; name: string }>(db, sql`select id, member_id, code, name from share_subsystems where id = ${id}::uuid`);
      return r ? { id: r.id, memberId: r.member_id, code: r.code, name: r.name } : null;
    },
    async resource(id) {
      const [r] = await rows<ResourceRow>(db, sql`${await RESOURCE()} where r.id = ${id}::uuid`);
      return r ? toResource(r) : null;
    },
    async resources(ids) {
      if (!ids.length) return new Map();
      const rs = await rows<ResourceRow>(db, sql`${await RESOURCE()} where r.id in (${uuidList(ids)})`);
      return new Map(rs.map((r) => [r.id, toResource(r)]));
    },
  };
}
