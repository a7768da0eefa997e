// The console's pages, their menu group and the permission each needs.
import {
  ApiOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  ControlOutlined,
  FileProtectOutlined,
  SolutionOutlined,
  DashboardOutlined,
  KeyOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

export interface NavItem {
  key: string;
  path: string;
  perm?: string;
  icon: ReactNode;
  group?: 'identity' | 'integration' | 'ops';
}

export const NAV: NavItem[] = [
  { key: 'overview', path: '/', icon: <DashboardOutlined /> },
  { key: 'orgs', path: '/orgs', perm: 'org.read', icon: <ApartmentOutlined />, group: 'identity' },
  { key: 'users', path: '/users', perm: 'user.read', icon: <TeamOutlined />, group: 'identity' },
  { key: 'roles', path: '/roles', perm: 'role.read', icon: <SafetyCertificateOutlined />, group: 'identity' },
  { key: 'apiKeys', path: '/api-keys', perm: 'apikey.manage', icon: <KeyOutlined />, group: 'integration' },
  { key: 'oidc', path: '/oidc-clients', perm: 'oidc.client.manage', icon: <ApiOutlined />, group: 'integration' },
  { key: 'audit', path: '/audit', perm: 'audit.read', icon: <AuditOutlined />, group: 'ops' },
  { key: 'jobs', path: '/jobs', perm: 'jobs.read', icon: <ScheduleOutlined />, group: 'ops' },
  // Credit (issue 6). The menu has no business group yet, so they sit under operations.
  { key: 'creditPublish', path: '/credit/publish', perm: 'credit.publish', icon: <FileProtectOutlined />, group: 'ops' },
  { key: 'creditRepairs', path: '/credit/repairs', perm: 'credit.repair.decide', icon: <SolutionOutlined />, group: 'ops' },
  { key: 'creditStats', path: '/credit/stats', perm: 'credit.profile.read', icon: <BarChartOutlined />, group: 'ops' },
  { key: 'creditAdmin', path: '/credit/admin', perm: 'credit.manage', icon: <ControlOutlined />, group: 'ops' },
  { key: 'account', path: '/account', icon: <SettingOutlined /> },
];
