import { useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Avatar, Dropdown, Layout, Menu, Space, Tooltip, Typography, type MenuProps } from 'antd';
import { LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, SettingOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLogout } from '../shared/session';
import logoUrl from '../shared/favicon.svg';
import { NAV, navAllowed } from './nav';
import { orgLabel, useCan, useCurrentMe, useLocale } from './hooks';
import { LanguageSwitch } from './components/LanguageSwitch';

const { Sider, Header, Content } = Layout;

function currentKey(pathname: string): string {
  const match = [...NAV].sort((a, b) => b.path.length - a.path.length).find((n) => (n.path === '/' ? pathname === '/' : pathname.startsWith(n.path)));
  return match?.key ?? '';
}

export function ConsoleLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const can = useCan();
  const locale = useLocale();
  const nav = useNavigate();
  const loc = useLocation();
  const logout = useLogout();
  const [collapsed, setCollapsed] = useState(false);

  const visible = NAV.filter((n) => navAllowed(n, can));
  const item = (n: (typeof NAV)[number]) => ({ key: n.key, icon: n.icon, label: t(`console.menu.${n.key}`) });
  const groups: { key: 'service' | 'credit' | 'share' | 'cert' | 'identity' | 'integration' | 'ops'; label: string }[] = [
    { key: 'service', label: t('console.menu.groupService') },
    { key: 'credit', label: t('console.menu.groupCredit') },
    { key: 'share', label: t('console.menu.groupShare') },
    { key: 'cert', label: t('console.menu.groupCert') },
    { key: 'identity', label: t('console.menu.groupIdentity') },
    { key: 'integration', label: t('console.menu.groupIntegration') },
    { key: 'ops', label: t('console.menu.groupOps') },
  ];
  const menuItems: MenuProps['items'] = [
    ...visible.filter((n) => n.key === 'overview').map(item),
    ...groups
      .map((g) => ({ g, children: visible.filter((n) => n.group === g.key) }))
      .filter((x) => x.children.length > 0)
      .map(({ g, children }) => ({ type: 'group' as const, key: g.key, label: collapsed ? null : g.label, children: children.map(item) })),
    ...visible.filter((n) => n.key === 'account').map(item),
  ];
  const selected = currentKey(loc.pathname);
  const orgName = me.org ? orgLabel(me.org, locale) : t('console.header.cityLevel');

  const userMenu: MenuProps = {
    items: [
      { key: 'account', icon: <SettingOutlined />, label: t('console.header.mySettings') },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: t('action.logout'), danger: true },
    ],
    onClick: ({ key }) => {
      if (key === 'account') nav('/account');
      if (key === 'logout') void logout();
    },
  };

  return (
    <Layout className="console-layout">
      <Sider collapsible collapsed={collapsed} trigger={null} width={224} className="console-sider">
        <div className="console-brand" onClick={() => nav('/')} role="link">
          <img src={logoUrl} alt="" width={30} height={30} />
          {!collapsed && (
            <div className="console-brand-text">
              <strong>{t('console.brand')}</strong>
              <span>{t('console.brandSub')}</span>
            </div>
          )}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          items={menuItems}
          onClick={({ key }) => {
            const target = NAV.find((n) => n.key === key);
            if (target) nav(target.path);
          }}
          data-testid="main-menu"
        />
      </Sider>
      <Layout>
        <Header className="console-header">
          <Space size={12}>
            <Tooltip title={collapsed ? '⇥' : '⇤'}>
              <span className="header-icon" onClick={() => setCollapsed(!collapsed)} role="button" aria-label="toggle menu">
                {collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              </span>
            </Tooltip>
            <Typography.Text strong className="header-title">
              {selected ? t(`console.menu.${selected}`) : t('console.title')}
            </Typography.Text>
          </Space>
          <Space size={20}>
            <LanguageSwitch size="small" testId="lang-switch" />
            <Dropdown menu={userMenu} placement="bottomRight" trigger={['click']}>
              <span className="header-user" role="button" data-testid="user-menu">
                <Avatar size={30} icon={<UserOutlined />} className="header-avatar" />
                <span className="header-user-text">
                  <span className="header-user-name" data-testid="current-user">
                    {me.user.displayName}
                  </span>
                  <span className="header-user-org" data-testid="current-org">
                    {orgName}
                  </span>
                </span>
              </span>
            </Dropdown>
          </Space>
        </Header>
        <Content className="console-content">{children}</Content>
      </Layout>
    </Layout>
  );
}
