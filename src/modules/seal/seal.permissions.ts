// Electronic seals (issue 4): the platform's certificate authority and department seals.
import { definePermission } from '../../platform/auth/permissions';

export const SEAL = {
  /** The certificate authority and every department's seal: make, renew, revoke (the bureau). */
  manage: definePermission('seal.manage', '管理电子印章', 'Manage electronic seals'),
  /** Seal PDF documents with one's own organisation's seal. */
  use: definePermission('seal.use', '使用电子印章', 'Seal documents'),
} as const;
