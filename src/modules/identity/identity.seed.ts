// Built-in roles (refreshed on every start so new permissions reach them) and the demo accounts.
import { systemActor } from '../../platform/auth/actor';
import { roles } from '../../platform/auth/auth.schema';
import type { AuthService } from '../../platform/auth/auth.service';
import { builtinRoles } from '../../platform/auth/permissions';
import type { Db } from '../../platform/db/client';
import { makeCitizenId } from '../../platform/ids';
import type { OrgService } from '../org';

export async function seedRoles(db: Db): Promise<void> {
  for (const r of builtinRoles()) {
    await db
      .insert(roles)
      .values({ ...r, builtin: true })
      .onConflictDoUpdate({ target: roles.code, set: { nameZh: r.nameZh, nameEn: r.nameEn, scope: r.scope, permissions: r.permissions, builtin: true } });
  }
}

/** Shared by every demo account; printed at start-up, never used in production (no demo accounts there). */
export const DEMO_PASSWORD = 'Qingdao@2026';

export interface DemoAccount {
  username: string;
  displayName: string;
  kind: 'citizen' | 'enterprise' | 'staff';
  orgCode?: string;
  roles: string[];
  idNumber?: string;
  phone?: string;
  description: string;
}

export function demoAccounts(enterpriseCode: string): DemoAccount[] {
  return [
    { username: 'admin', displayName: '平台管理员', kind: 'staff', orgCode: 'DSJ', roles: ['admin'], description: 'administrator (console)' },
    { username: 'gaj_officer', displayName: '公安局示例工作人员', kind: 'staff', orgCode: 'GAJ', roles: ['dept_officer'], description: 'department officer of 市公安局 (console)' },
    { username: 'dsj_officer', displayName: '大数据局共享管理员', kind: 'staff', orgCode: 'DSJ', roles: ['share_bureau', 'trust_bureau'], description: 'data-sharing, codes and certificates officer of the bureau (console)' },
    { username: 'mzj_officer', displayName: '民政局示例工作人员', kind: 'staff', orgCode: 'MZJ', roles: ['dept_officer'], description: 'department officer of 市民政局, provider of funeral records (console)' },
    { username: 'rsj_officer', displayName: '人社局示例工作人员', kind: 'staff', orgCode: 'RSJ', roles: ['dept_officer'], description: 'department officer of 市人社局, a data consumer (console)' },
    { username: 'shinan_officer', displayName: '市南区示例工作人员', kind: 'staff', orgCode: '370202', roles: ['district_officer'], description: 'district officer of 市南区 (console)' },
    { username: 'screen_operator', displayName: '大屏值班员', kind: 'staff', orgCode: 'DSJ', roles: ['operator'], description: 'big-screen operator (/screen/)' },
    { username: 'auditor', displayName: '安全审计员', kind: 'staff', orgCode: 'DSJ', roles: ['auditor'], description: 'auditor (console, read-only)' },
    {
      username: 'citizen_zhang',
      displayName: '张示例',
      kind: 'citizen',
      roles: ['citizen'],
      idNumber: makeCitizenId('370202', '1988-05-17', 231),
      phone: '13800000001',
      description: 'citizen of 市南区 who rents (portal /): the renter provident-fund withdrawal is approved automatically',
    },
    {
      username: 'elder_wang',
      displayName: '王示例',
      kind: 'citizen',
      roles: ['citizen'],
      idNumber: makeCitizenId('370203', '1948-03-12', 315),
      phone: '13800000003',
      description: 'citizen of 市北区 born 1948 (portal /): the home page puts the elders’ zone first',
    },
    {
      username: 'parent_li',
      displayName: '李示例',
      kind: 'citizen',
      roles: ['citizen'],
      idNumber: makeCitizenId('370212', '1993-08-21', 462),
      phone: '13800000004',
      description: 'citizen of 崂山区 with a newborn in the household (October 2026) (portal /): the home page offers the newborn bundle',
    },
    { username: 'ent_demo', displayName: '企业示例经办人', kind: 'enterprise', orgCode: enterpriseCode, roles: ['enterprise'], phone: '13800000002', description: 'enterprise user (portal /)' },
  ];
}

export async function seedDemoAccounts(auth: AuthService, orgs: OrgService, enterpriseCode: string): Promise<DemoAccount[]> {
  const actor = systemActor('seed');
  const list = demoAccounts(enterpriseCode);
  for (const a of list) {
    if (await auth.findByUsername(a.username)) continue;
    const org = a.orgCode ? await orgs.byCode(a.orgCode) : null;
    if (a.orgCode && !org) throw new Error(`demo account ${a.username}: organisation ${a.orgCode} is missing`);
    await auth.createUser(actor, {
      username: a.username,
      displayName: a.displayName,
      kind: a.kind,
      password: DEMO_PASSWORD,
      orgId: org?.id ?? null,
      idNumber: a.idNumber,
      phone: a.phone,
      roles: a.roles,
      isDemo: true,
    });
  }
  return list;
}
