// The console's pages, their menu group and the permission each needs.
import {
  ApiOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  ClusterOutlined,
  FileSearchOutlined,
  InboxOutlined,
  ControlOutlined,
  FileProtectOutlined,
  SolutionOutlined,
  DashboardOutlined,
  KeyOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
  DatabaseOutlined,
  SendOutlined,
  FundOutlined,
  SafetyOutlined,
  CheckCircleOutlined,
  QuestionCircleOutlined,
  NodeIndexOutlined,
  CloudUploadOutlined,
  EditOutlined,
  GlobalOutlined,
  IdcardOutlined,
  ProfileOutlined,
  QrcodeOutlined,
  ScanOutlined,
  VerifiedOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

export interface NavItem {
  key: string;
  path: string;
  perm?: string;
  /** Shown when the account holds any of these (instead of one `perm`). */
  anyPerm?: string[];
  icon: ReactNode;
  group?: 'service' | 'credit' | 'share' | 'cert' | 'identity' | 'integration' | 'ops';
}

/** Pages reached from a menu entry but without their own: they share its permission and highlight. */
export interface SubPage {
  path: string;
  parent: string;
}

export const SUB_PAGES: SubPage[] = [
  { path: '/svc/items/:id', parent: 'svcItems' },
  { path: '/share/resources/:id', parent: 'shareCatalogue' },
  { path: '/share/requests/:id', parent: 'shareRequests' },
  { path: '/cert/certificates/:id', parent: 'certCertificates' },
];

export function navAllowed(n: Pick<NavItem, 'perm' | 'anyPerm'>, can: (perm: string) => boolean): boolean {
  if (n.anyPerm) return n.anyPerm.some(can);
  return !n.perm || can(n.perm);
}

export const NAV: NavItem[] = [
  { key: 'overview', path: '/', icon: <DashboardOutlined /> },
  { key: 'svcWorklist', path: '/svc/worklist', perm: 'svc.application.handle', icon: <InboxOutlined />, group: 'service' },
  { key: 'svcItems', path: '/svc/items', perm: 'svc.item.read', icon: <FileSearchOutlined />, group: 'service' },
  { key: 'svcCatalogue', path: '/svc/catalogue', perm: 'svc.catalogue.manage', icon: <ClusterOutlined />, group: 'service' },
  { key: 'svcCalendar', path: '/svc/calendar', anyPerm: ['calendar.manage', 'svc.item.read', 'svc.application.handle'], icon: <CalendarOutlined />, group: 'service' },
  { key: 'svcStats', path: '/svc/stats', anyPerm: ['svc.item.read', 'svc.application.handle'], icon: <BarChartOutlined />, group: 'service' },
  { key: 'orgs', path: '/orgs', perm: 'org.read', icon: <ApartmentOutlined />, group: 'identity' },
  { key: 'users', path: '/users', perm: 'user.read', icon: <TeamOutlined />, group: 'identity' },
  { key: 'roles', path: '/roles', perm: 'role.read', icon: <SafetyCertificateOutlined />, group: 'identity' },
  { key: 'apiKeys', path: '/api-keys', perm: 'apikey.manage', icon: <KeyOutlined />, group: 'integration' },
  { key: 'oidc', path: '/oidc-clients', perm: 'oidc.client.manage', icon: <ApiOutlined />, group: 'integration' },
  { key: 'audit', path: '/audit', perm: 'audit.read', icon: <AuditOutlined />, group: 'ops' },
  { key: 'jobs', path: '/jobs', perm: 'jobs.read', icon: <ScheduleOutlined />, group: 'ops' },
  // Social credit (issue 6).
  { key: 'creditPublish', path: '/credit/publish', perm: 'credit.publish', icon: <FileProtectOutlined />, group: 'credit' },
  { key: 'creditRepairs', path: '/credit/repairs', perm: 'credit.repair.decide', icon: <SolutionOutlined />, group: 'credit' },
  { key: 'creditStats', path: '/credit/stats', perm: 'credit.profile.read', icon: <BarChartOutlined />, group: 'credit' },
  { key: 'creditAdmin', path: '/credit/admin', perm: 'credit.manage', icon: <ControlOutlined />, group: 'credit' },
  // Data sharing and exchange (issue 5).
  { key: 'shareCatalogue', path: '/share/catalogue', perm: 'share.catalogue.read', icon: <DatabaseOutlined />, group: 'share' },
  { key: 'shareRequests', path: '/share/requests', anyPerm: ['share.request.create', 'share.request.answer', 'share.request.review'], icon: <SendOutlined />, group: 'share' },
  { key: 'shareDashboard', path: '/share/dashboard', perm: 'share.stats.read', icon: <FundOutlined />, group: 'share' },
  { key: 'shareGrants', path: '/share/grants', anyPerm: ['share.grant.manage', 'share.stats.read'], icon: <SafetyOutlined />, group: 'share' },
  { key: 'shareQuality', path: '/share/quality', perm: 'share.catalogue.read', icon: <CheckCircleOutlined />, group: 'share' },
  { key: 'shareObjections', path: '/share/objections', anyPerm: ['share.request.create', 'share.request.answer'], icon: <QuestionCircleOutlined />, group: 'share' },
  { key: 'shareDirectory', path: '/share/directory', perm: 'share.catalogue.read', icon: <NodeIndexOutlined />, group: 'share' },
  { key: 'trustKeys', path: '/trust/keys', perm: 'code.keys.manage', icon: <KeyOutlined />, group: 'cert' },
  { key: 'trustPartners', path: '/trust/partners', perm: 'code.keys.manage', icon: <GlobalOutlined />, group: 'cert' },
  { key: 'codeTerminals', path: '/code/terminals', perm: 'code.terminal.manage', icon: <ScanOutlined />, group: 'cert' },
  { key: 'codeStats', path: '/code/stats', perm: 'code.stats.read', icon: <QrcodeOutlined />, group: 'cert' },
  { key: 'certTypes', path: '/cert/types', anyPerm: ['cert.read', 'cert.type.manage'], icon: <ProfileOutlined />, group: 'cert' },
  { key: 'certCertificates', path: '/cert/certificates', anyPerm: ['cert.read', 'cert.issue'], icon: <IdcardOutlined />, group: 'cert' },
  { key: 'certImports', path: '/cert/imports', perm: 'cert.issue', icon: <CloudUploadOutlined />, group: 'cert' },
  { key: 'sealSeals', path: '/seal/seals', anyPerm: ['seal.manage', 'seal.use'], icon: <VerifiedOutlined />, group: 'cert' },
  { key: 'sealSign', path: '/seal/sign', perm: 'seal.use', icon: <EditOutlined />, group: 'cert' },
  { key: 'account', path: '/account', icon: <SettingOutlined /> },
];
