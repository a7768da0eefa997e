// Permissions are plain strings declared by the code that checks them; roles bundle them with a scope.
// Modules add their own permissions with definePermission() at import time.

export interface PermissionInfo {
  code: string;
  zh: string;
  en: string;
}

const registry = new Map<string, PermissionInfo>();

export function definePermission(code: string, zh: string, en: string): string {
  if (!/^[a-z][a-z0-9_.-]*$/.test(code)) throw new Error(`bad permission code ${code}`);
  registry.set(code, { code, zh, en });
  return code;
}

export function allPermissions(): PermissionInfo[] {
  return [...registry.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export function isKnownPermission(code: string): boolean {
  return registry.has(code);
}

/** The platform's own permissions; modules define theirs beside their routes. */
export const P = {
  orgRead: definePermission('org.read', '查看组织机构', 'View organisations'),
  orgWrite: definePermission('org.write', '管理组织机构', 'Manage organisations'),
  userRead: definePermission('user.read', '查看用户', 'View users'),
  userWrite: definePermission('user.write', '管理用户', 'Manage users'),
  roleRead: definePermission('role.read', '查看角色', 'View roles'),
  roleWrite: definePermission('role.write', '管理角色', 'Manage roles'),
  apiKeyManage: definePermission('apikey.manage', '管理接口密钥', 'Manage API keys'),
  oidcClientManage: definePermission('oidc.client.manage', '管理单点登录接入应用', 'Manage OpenID Connect clients'),
  auditRead: definePermission('audit.read', '查看审计日志', 'View the audit trail'),
  auditVerify: definePermission('audit.verify', '校验审计链', 'Verify the audit hash chain'),
  jobsRead: definePermission('jobs.read', '查看后台任务', 'View background jobs'),
  jobsManage: definePermission('jobs.manage', '管理后台任务', 'Retry and cancel background jobs'),
  statsRead: definePermission('stats.read', '查看运行统计', 'View platform statistics'),
} as const;

/** Permissions modules define that built-in roles carry (plain strings: the platform does not import modules). */
const SVC_ITEM_MANAGE = ['svc.item.read', 'svc.item.write', 'svc.item.publish'];
/** Handling applications (worklist, decisions, application and satisfaction statistics) for the role's scope. */
const SVC_APPLICATION_HANDLE = ['svc.application.handle'];
/** Credit: publishing for the role's own organisation as the deciding authority, deciding its repairs, reading profiles. */
const CREDIT_DEPT = ['credit.publish', 'credit.repair.decide', 'credit.profile.read'];
/** Data sharing for the role's own organisation: provider (catalogue, loading, answering) and consumer (requests). */
const SHARE_DEPT = ['share.catalogue.read', 'share.catalogue.manage', 'share.data.load', 'share.request.create', 'share.request.answer', 'share.stats.read'];
/** Certificates and seals for the role's own organisation: issue, revoke, verify what holders show, seal documents. */
const CERT_DEPT = ['cert.read', 'cert.issue', 'cert.revoke', 'cert.verify', 'seal.use'];

export type RoleScope = 'city' | 'district' | 'department' | 'self';

export interface RoleDefinition {
  code: string;
  nameZh: string;
  nameEn: string;
  scope: RoleScope;
  permissions: string[];
}

/** Built-in roles, seeded into the roles table; administrators may add their own in the console. */
export function builtinRoles(): RoleDefinition[] {
  const all = allPermissions().map((p) => p.code);
  return [
    { code: 'admin', nameZh: '系统管理员', nameEn: 'Administrator', scope: 'city', permissions: all },
    {
      code: 'auditor',
      nameZh: '安全审计员',
      nameEn: 'Auditor',
      scope: 'city',
      permissions: [P.auditRead, P.auditVerify, P.orgRead, P.userRead, P.roleRead, P.jobsRead, P.statsRead, 'svc.item.read', 'credit.profile.read', 'share.catalogue.read', 'share.stats.read'],
    },
    {
      code: 'dept_admin',
      nameZh: '部门管理员',
      nameEn: 'Department administrator',
      scope: 'department',
      permissions: [P.orgRead, P.orgWrite, P.userRead, P.userWrite, P.roleRead, P.auditRead, P.statsRead, ...SVC_ITEM_MANAGE, ...SVC_APPLICATION_HANDLE, ...CREDIT_DEPT, ...SHARE_DEPT, ...CERT_DEPT],
    },
    {
      code: 'dept_officer',
      nameZh: '部门工作人员',
      nameEn: 'Department officer',
      scope: 'department',
      permissions: [P.orgRead, P.userRead, P.roleRead, P.auditRead, P.statsRead, ...SVC_ITEM_MANAGE, ...SVC_APPLICATION_HANDLE, ...CREDIT_DEPT, ...SHARE_DEPT, ...CERT_DEPT],
    },
    {
      code: 'district_officer',
      nameZh: '区（市）工作人员',
      nameEn: 'District officer',
      scope: 'district',
      permissions: [P.orgRead, P.userRead, P.roleRead, P.auditRead, P.statsRead, ...SVC_ITEM_MANAGE, ...SVC_APPLICATION_HANDLE, ...CREDIT_DEPT, ...SHARE_DEPT, ...CERT_DEPT],
    },
    {
      code: 'share_bureau',
      nameZh: '数据共享管理员（大数据局）',
      nameEn: 'Data-sharing officer (bureau)',
      scope: 'city',
      permissions: [P.orgRead, P.userRead, P.auditRead, P.statsRead, ...SHARE_DEPT, 'share.request.review', 'share.grant.manage'],
    },
    {
      code: 'share_consumer_system',
      nameZh: '共享交换接入系统',
      nameEn: 'Data-sharing consumer system',
      scope: 'department',
      permissions: ['share.gateway.call'],
    },
    {
      code: 'trust_bureau',
      nameZh: '证照与城市码管理员（大数据局）',
      nameEn: 'Codes and certificates officer (bureau)',
      scope: 'city',
      permissions: [P.orgRead, P.userRead, P.auditRead, P.statsRead, 'code.keys.manage', 'code.terminal.manage', 'code.stats.read', 'cert.type.manage', 'cert.read', 'cert.verify', 'seal.manage', 'seal.use'],
    },
    {
      code: 'code_terminal',
      nameZh: '扫码终端',
      nameEn: 'Scanning terminal',
      scope: 'department',
      permissions: ['code.scan', 'cert.verify'],
    },
    { code: 'operator', nameZh: '大屏值班员', nameEn: 'Operations duty officer', scope: 'city', permissions: [P.statsRead] },
    { code: 'citizen', nameZh: '市民', nameEn: 'Citizen', scope: 'self', permissions: [] },
    { code: 'enterprise', nameZh: '企业用户', nameEn: 'Enterprise user', scope: 'self', permissions: [] },
  ];
}
