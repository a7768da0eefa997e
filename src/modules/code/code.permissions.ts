// One code for the city (issue 4): issuing keys and trust lists, partner platforms, scanning terminals.
import { definePermission } from '../../platform/auth/permissions';

export const CODE = {
  /** Issuing keys (rotation), this platform's trust list, partner platforms and their pinned keys (the bureau). */
  keysManage: definePermission('code.keys.manage', '管理签发密钥与信任列表', 'Manage issuing keys and trust lists'),
  /** Register scanning terminals, their scenarios and policies; see scan records (the bureau). */
  terminalManage: definePermission('code.terminal.manage', '管理扫码终端', 'Manage scanning terminals'),
  /** A scanning terminal's credential: call the scan API (an API key scope). */
  scan: definePermission('code.scan', '扫码核验', 'Scan city codes (terminals)'),
  /** Scan statistics by scenario and terminal. */
  statsRead: definePermission('code.stats.read', '查看用码统计', 'View city-code statistics'),
} as const;
