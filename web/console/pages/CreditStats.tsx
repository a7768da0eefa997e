// Credit statistics: repairs by state and department, on-time rate, average handling time, and
// records published by kind and department.
import { Card, Col, Progress, Row, Statistic, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatNumber } from '../../shared/format';
import { QueryError } from '../components/QueryError';
import { useLocale } from '../hooks';
import { KindTag, RepairStateTag } from '../credit/common';
import type { CreditKind, CreditStats as Stats } from '../../shared/credit/types';
import '../credit/credit.css';

type DeptRow = Stats['repairs']['byDepartment'][number];
const deptName = (d: { deptName?: string; orgName?: string; name?: string }) => d.deptName ?? d.orgName ?? d.name ?? '—';

export default function CreditStats() {
  const { t } = useTranslation();
  const locale = useLocale();
  const stats = useQuery({ queryKey: ['credit', 'stats'], queryFn: () => api.get<Stats>('/api/credit/stats') });
  const s = stats.data;
  const total = s ? (s.repairs.total ?? s.repairs.byState.reduce((n, x) => n + x.count, 0)) : 0;
  const rate = s?.repairs.onTimeRate;
  return (
    <div className="page">
      <Typography.Title level={4} className="page-title">
        {t('credit.stats.title')}
      </Typography.Title>
      <QueryError error={stats.error} onRetry={() => void stats.refetch()} />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <Card variant="borderless" loading={stats.isPending} className="stat-card">
            <Statistic title={t('credit.stats.repairsTotal')} value={total} formatter={(v) => formatNumber(Number(v), locale)} data-testid="stats-total" />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card variant="borderless" loading={stats.isPending} className="stat-card">
            <Typography.Text type="secondary">{t('credit.stats.onTimeRate')}</Typography.Text>
            <div className="stat-progress">
              {rate === null || rate === undefined ? (
                <Typography.Text type="secondary">{t('credit.stats.noDecisions')}</Typography.Text>
              ) : (
                <Progress type="dashboard" size={88} percent={Math.round(rate * 1000) / 10} format={(p) => `${p}%`} status={rate < 0.9 ? 'exception' : 'success'} data-testid="stats-on-time" />
              )}
            </div>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card variant="borderless" loading={stats.isPending} className="stat-card">
            <Statistic
              title={t('credit.stats.avgDays')}
              value={s?.repairs.avgWorkingDays ?? '—'}
              precision={s?.repairs.avgWorkingDays == null ? undefined : 1}
              suffix={s?.repairs.avgWorkingDays == null ? undefined : t('credit.stats.workingDays')}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card variant="borderless" size="small" title={t('credit.stats.byState')}>
            <Table
              size="small"
              rowKey="state"
              pagination={false}
              dataSource={s?.repairs.byState ?? []}
              columns={[
                { title: t('credit.repair.state'), dataIndex: 'state', render: (v: string) => <RepairStateTag state={v} /> },
                { title: t('credit.stats.count'), dataIndex: 'count', align: 'right' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card variant="borderless" size="small" title={t('credit.stats.byDept')}>
            <Table<DeptRow>
              size="small"
              rowKey={(r) => r.orgId ?? deptName(r)}
              pagination={false}
              dataSource={s?.repairs.byDepartment ?? []}
              columns={[
                { title: t('credit.stats.dept'), key: 'dept', render: (_, r) => deptName(r) },
                { title: t('credit.stats.count'), dataIndex: 'count', align: 'right' },
                { title: t('credit.stats.decided'), dataIndex: 'decided', align: 'right', render: (v?: number) => v ?? '—' },
                { title: t('credit.stats.onTime'), dataIndex: 'onTime', align: 'right', render: (v?: number) => v ?? '—' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card variant="borderless" size="small" title={t('credit.stats.records')}>
            <Table
              size="small"
              rowKey={(r) => `${r.kind}-${deptName(r)}`}
              pagination={false}
              dataSource={s?.records ?? []}
              columns={[
                { title: t('credit.publish.kind'), dataIndex: 'kind', width: 120, render: (k: CreditKind) => <KindTag kind={k} /> },
                { title: t('credit.stats.dept'), key: 'dept', render: (_, r) => deptName(r) },
                { title: t('credit.stats.count'), dataIndex: 'count', align: 'right' },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
