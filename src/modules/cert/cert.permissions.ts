// Electronic certificates (issue 4): types, issuance, status, verification.
import { definePermission } from '../../platform/auth/permissions';

export const CERT = {
  /** Certificate types and their fields (the bureau). */
  typeManage: definePermission('cert.type.manage', '管理证照类型', 'Manage certificate types'),
  /** View certificates issued by one's own organisation (the bureau: all). */
  read: definePermission('cert.read', '查看电子证照', 'View electronic certificates'),
  /** Issue certificates of one's own organisation's types (form, bulk import, API). */
  issue: definePermission('cert.issue', '签发电子证照', 'Issue electronic certificates'),
  /** Revoke, suspend and reinstate certificates one's own organisation issued. */
  revoke: definePermission('cert.revoke', '注销与暂停电子证照', 'Revoke or suspend certificates'),
  /** Verify presentations holders show (verifier staff and terminals); every verification is recorded. */
  verify: definePermission('cert.verify', '核验电子证照', 'Verify certificate presentations'),
} as const;
