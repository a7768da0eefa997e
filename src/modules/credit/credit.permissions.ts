// The credit module's permissions: publishing, deciding repairs, reading profiles, configuration.
import { definePermission } from '../../platform/auth/permissions';

export const CREDIT = {
  publish: definePermission('credit.publish', '报送双公示信息', 'Publish licence and penalty records (双公示)'),
  repairDecide: definePermission('credit.repair.decide', '审核信用修复', 'Decide credit repair applications'),
  profileRead: definePermission('credit.profile.read', '查看信用档案', 'View credit profiles'),
  manage: definePermission('credit.manage', '管理信用配置', 'Manage publication regimes and outbox endpoints'),
} as const;
