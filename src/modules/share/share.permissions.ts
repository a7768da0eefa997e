// Data sharing (issue 5) permissions. Department roles carry the department-scoped ones (a provider
// manages and loads its own resources, a consumer asks for data); the bureau's role carries the rest.
import { definePermission } from '../../platform/auth/permissions';

export const SHARE = {
  /** Browse and search the resource catalogue (every staff role). */
  catalogueRead: definePermission('share.catalogue.read', '查看数据资源目录', 'View the data resource catalogue'),
  /** Register and edit the resources of one's own organisation (the bureau: every resource). */
  catalogueManage: definePermission('share.catalogue.manage', '编制数据资源目录', 'Manage data resources in the catalogue'),
  /** Load data into one's own datasets (upload, push, pull connectors) and manage their quality rules. */
  dataLoad: definePermission('share.data.load', '归集数据', 'Load data into datasets'),
  /** Ask for a resource or for data not yet catalogued; raise objections on records. */
  requestCreate: definePermission('share.request.create', '提出数据共享申请', 'Request shared data'),
  /** Answer requests addressed to one's own organisation as the provider; answer objections. */
  requestAnswer: definePermission('share.request.answer', '答复数据共享申请', 'Answer data requests as the provider'),
  /** The bureau: compliance checks, core-grade approval, recording upstream (province, ministry) answers. */
  requestReview: definePermission('share.request.review', '审核数据共享申请', 'Review data requests (bureau)'),
  /** The bureau: grants, subsystems and their gateway keys, revocation. */
  grantManage: definePermission('share.grant.manage', '管理共享授权', 'Manage sharing grants and gateway keys'),
  /** Consumer systems calling the gateway (an API key scope). */
  gatewayCall: definePermission('share.gateway.call', '调用共享交换网关', 'Call the data-sharing gateway'),
  /** The exchange dashboard and usage figures (departments see their own, the bureau all). */
  statsRead: definePermission('share.stats.read', '查看共享交换统计', 'View data-sharing statistics'),
} as const;
