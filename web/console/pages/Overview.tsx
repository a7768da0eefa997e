import { Alert, Card, Col, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { errorMessage } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import type { StatsOverview } from '../../shared/types';
import { orgLabel, roleLabel, useCan, useCurrentMe, useLocale, useRoles } from '../hooks';

interface Group {
  title: string;
  items: { key: string; label: string; value: number; danger?: boolean }[];
}

export default function Overview() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const can = useCan();
  const locale = useLocale();
  const roles = useRoles(can('role.read'));
  const stats = useQuery({
    queryKey: ['stats', 'overview'],
    queryFn: () => api.get<StatsOverview>('/api/stats/overview'),
    enabled: can('stats.read'),
    refetchInterval: 60_000,
  });

  const roleNames = me.roles.map((code) => roleLabel(roles.data?.find((r) => r.code === code), locale, code)).join(locale === 'en' ? ', ' : '、');
  const s = stats.data;
  const groups: Group[] = s
    ? [
        {
          title: t('console.overview.orgs'),
          items: [
            { key: 'district', label: t('console.overview.district'), value: s.orgs.district },
            { key: 'department', label: t('console.overview.department'), value: s.orgs.department },
            { key: 'subunit', label: t('console.overview.subunit'), value: s.orgs.subunit },
            { key: 'enterprise', label: t('console.overview.enterprise'), value: s.orgs.enterprise },
          ],
        },
        {
          title: t('console.overview.users'),
          items: [
            { key: 'citizen', label: t('console.overview.citizen'), value: s.users.citizen },
            { key: 'enterpriseUsers', label: t('console.overview.enterpriseUsers'), value: s.users.enterprise },
            { key: 'staff', label: t('console.overview.staff'), value: s.users.staff },
          ],
        },
        {
          title: t('console.overview.access'),
          items: [
            { key: 'sessions', label: t('console.overview.sessionsActive'), value: s.sessionsActive },
            { key: 'apiKeys', label: t('console.overview.apiKeysActive'), value: s.apiKeysActive },
            { key: 'oidc', label: t('console.overview.oidcClients'), value: s.oidcClients },
          ],
        },
        {
          title: t('console.overview.jobs'),
          items: [
            { key: 'queued', label: t('console.overview.queued'), value: s.jobs.queued },
            { key: 'running', label: t('console.overview.running'), value: s.jobs.running },
            { key: 'done', label: t('console.overview.done'), value: s.jobs.done },
            { key: 'dead', label: t('console.overview.dead'), value: s.jobs.dead, danger: s.jobs.dead > 0 },
          ],
        },
        {
          title: t('console.overview.audit'),
          items: [
            { key: 'auditTotal', label: t('console.overview.auditTotal'), value: s.audit.total },
            { key: 'audit24h', label: t('console.overview.audit24h'), value: s.audit.last24h },
          ],
        },
      ]
    : [];

  return (
    <div className="page">
      <Card className="welcome-card" variant="borderless">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('console.overview.welcome', { name: me.user.displayName })}
        </Typography.Title>
        <Typography.Text type="secondary">
          {me.org ? orgLabel(me.org, locale) : t('console.header.cityLevel')}
          {roleNames ? ` · ${roleNames}` : ''}
        </Typography.Text>
        {me.org && (
          <Tag className="welcome-tag" color="blue">
            {t(`orgKind.${me.org.kind}`)} · {me.org.code}
          </Tag>
        )}
      </Card>

      {!can('stats.read') && <Alert type="info" showIcon title={t('console.overview.noStats')} style={{ marginTop: 16 }} />}
      {stats.isError && <Alert type="error" showIcon title={errorMessage(stats.error, t)} style={{ marginTop: 16 }} />}
      {stats.isPending && can('stats.read') && <Skeleton active style={{ marginTop: 16 }} />}

      <Row gutter={[16, 16]} className="stat-groups">
        {groups.map((g) => (
          <Col key={g.title} xs={24} xl={12}>
            <Card title={g.title} className="stat-group" variant="borderless" size="small">
              <Row gutter={[16, 16]}>
                {g.items.map((it) => (
                  <Col key={it.key} span={24 / Math.max(g.items.length, 2)}>
                    <Statistic
                      title={it.label}
                      value={it.value}
                      styles={{ content: it.danger ? { color: '#cf1322' } : undefined }}
                      data-testid={`stat-${it.key}`}
                    />
                  </Col>
                ))}
              </Row>
            </Card>
          </Col>
        ))}
      </Row>
      {s && (
        <Typography.Text type="secondary" className="generated-at">
          {t('console.overview.generatedAt', { time: formatDateTime(s.generatedAt, locale) })}
        </Typography.Text>
      )}
    </div>
  );
}
