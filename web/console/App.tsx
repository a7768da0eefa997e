import { lazy, Suspense, useEffect } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { App as AntApp, Button, ConfigProvider, Result, Spin, theme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../shared/errors';
import { useSession } from '../shared/session';
import { ConsoleLogin } from './Login';
import { ConsoleLayout } from './Layout';
import { NAV, SUB_PAGES, navAllowed } from './nav';
import { useCan, useLocale } from './hooks';

const Overview = lazy(() => import('./pages/Overview'));
const Orgs = lazy(() => import('./pages/Orgs'));
const Users = lazy(() => import('./pages/Users'));
const Roles = lazy(() => import('./pages/Roles'));
const ApiKeys = lazy(() => import('./pages/ApiKeys'));
const OidcClients = lazy(() => import('./pages/OidcClients'));
const Audit = lazy(() => import('./pages/Audit'));
const Jobs = lazy(() => import('./pages/Jobs'));
const Account = lazy(() => import('./pages/Account'));
const SvcWorklist = lazy(() => import('./pages/SvcWorklist'));
const SvcItems = lazy(() => import('./pages/SvcItems'));
const SvcItemEditor = lazy(() => import('./pages/SvcItemEditor'));
const SvcCatalogue = lazy(() => import('./pages/SvcCatalogue'));
const SvcCalendar = lazy(() => import('./pages/SvcCalendar'));
const SvcStats = lazy(() => import('./pages/SvcStats'));
const CreditPublish = lazy(() => import('./pages/CreditPublish'));
const CreditRepairs = lazy(() => import('./pages/CreditRepairs'));
const CreditStats = lazy(() => import('./pages/CreditStats'));
const CreditAdmin = lazy(() => import('./pages/CreditAdmin'));
const ShareCatalogue = lazy(() => import('./pages/ShareCatalogue'));
const ShareResource = lazy(() => import('./pages/ShareResource'));
const ShareQuality = lazy(() => import('./pages/ShareQuality'));
const ShareObjections = lazy(() => import('./pages/ShareObjections'));
const ShareDirectory = lazy(() => import('./pages/ShareDirectory'));
const ShareRequests = lazy(() => import('./pages/ShareRequests'));
const ShareRequest = lazy(() => import('./pages/ShareRequest'));
const ShareDashboard = lazy(() => import('./pages/ShareDashboard'));
const ShareGrants = lazy(() => import('./pages/ShareGrants'));
const TrustKeys = lazy(() => import('./pages/TrustKeys'));
const TrustPartners = lazy(() => import('./pages/TrustPartners'));
const CodeTerminals = lazy(() => import('./pages/CodeTerminals'));
const CodeStats = lazy(() => import('./pages/CodeStats'));
const CertTypes = lazy(() => import('./pages/CertTypes'));
const CertCertificates = lazy(() => import('./pages/CertCertificates'));
const CertImports = lazy(() => import('./pages/CertImports'));
const SealSeals = lazy(() => import('./pages/SealSeals'));
const SealSign = lazy(() => import('./pages/SealSign'));
const CertCertificate = lazy(() => import('./pages/CertCertificate'));

const PAGES: Record<string, React.ComponentType> = {
  overview: Overview,
  orgs: Orgs,
  users: Users,
  roles: Roles,
  apiKeys: ApiKeys,
  oidc: OidcClients,
  audit: Audit,
  jobs: Jobs,
  account: Account,
  svcWorklist: SvcWorklist,
  svcItems: SvcItems,
  svcCatalogue: SvcCatalogue,
  svcCalendar: SvcCalendar,
  svcStats: SvcStats,
  creditPublish: CreditPublish,
  creditRepairs: CreditRepairs,
  creditStats: CreditStats,
  creditAdmin: CreditAdmin,
  shareCatalogue: ShareCatalogue,
  shareQuality: ShareQuality,
  shareObjections: ShareObjections,
  shareDirectory: ShareDirectory,
  shareRequests: ShareRequests,
  shareDashboard: ShareDashboard,
  shareGrants: ShareGrants,
  trustKeys: TrustKeys,
  trustPartners: TrustPartners,
  codeTerminals: CodeTerminals,
  codeStats: CodeStats,
  certTypes: CertTypes,
  certCertificates: CertCertificates,
  certImports: CertImports,
  sealSeals: SealSeals,
  sealSign: SealSign,
};

const SUB_PAGE_COMPONENTS: Record<string, React.ComponentType> = {
  '/svc/items/:id': SvcItemEditor,
  '/share/resources/:id': ShareResource,
  '/share/requests/:id': ShareRequest,
  '/cert/certificates/:id': CertCertificate,
};

function Forbidden() {
  const { t } = useTranslation();
  return <Result status="403" title={t('console.c.forbiddenTitle')} subTitle={t('errors.noPermissionPage')} />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t('console.c.notFound')}
      extra={
        <Button type="primary" href="/console/">
          {t('console.c.backHome')}
        </Button>
      }
    />
  );
}

function Pages() {
  const can = useCan();
  return (
    <ConsoleLayout>
      <Suspense
        fallback={
          <div className="page-loading">
            <Spin size="large" />
          </div>
        }
      >
        <Routes>
          {NAV.map((n) => {
            const Page = PAGES[n.key];
            return <Route key={n.key} path={n.path} element={navAllowed(n, can) ? <Page /> : <Forbidden />} />;
          })}
          {SUB_PAGES.map((p) => {
            const Page = SUB_PAGE_COMPONENTS[p.path];
            const parent = NAV.find((n) => n.key === p.parent)!;
            return <Route key={p.path} path={p.path} element={navAllowed(parent, can) ? <Page /> : <Forbidden />} />;
          })}
          <Route path="/index.html" element={<Navigate to="/" replace />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </ConsoleLayout>
  );
}

function Gate() {
  const { t } = useTranslation();
  const me = useSession();

  if (me.isPending) return <Spin size="large" className="page-spin" fullscreen />;
  if (me.isError) {
    return (
      <Result
        status="warning"
        title={t('console.c.loadError')}
        subTitle={errorMessage(me.error, t)}
        extra={
          <Button type="primary" onClick={() => void me.refetch()}>
            {t('action.retry')}
          </Button>
        }
      />
    );
  }
  if (!me.data || me.data.mfaPending) return <ConsoleLogin me={me.data} />;
  return <Pages />;
}

export function ConsoleApp() {
  const locale = useLocale();
  const { t } = useTranslation();
  useEffect(() => {
    dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
    document.title = t('console.title');
  }, [locale, t]);
  return (
    <ConfigProvider
      locale={locale === 'en' ? enUS : zhCN}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: '#1677ff',
          borderRadius: 6,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
        },
        components: { Layout: { siderBg: '#001529', headerBg: '#ffffff', headerHeight: 56, headerPadding: '0 20px' } },
      }}
    >
      <AntApp>
        <Gate />
      </AntApp>
    </ConfigProvider>
  );
}
