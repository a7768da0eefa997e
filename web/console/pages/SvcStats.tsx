// Service-hall statistics: items online by department and district sub-hall, applications by state,
// overdue, on-time and automatic-approval rates, and satisfaction per department. Charts and tables.
import { useMemo } from 'react';
import { Card, Col, Empty, Progress, Row, Space, Statistic, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { formatNumber } from '../../shared/format';
import { QueryError } from '../components/QueryError';
import { useCan, useLocale } from '../hooks';
import { Chart, type ConsoleChartOption } from '../svc/Chart';
import { STATE_COLOURS, useDepartments, useHalls } from '../svc/common';
import { APP_STATES, percent, type AppState, type AppStats, type Satisfaction } from '../svc/types';

const STATE_HEX: Record<string, string> = { processing: '#1677ff', blue: '#2f54eb', warning: '#faad14', cyan: '#13c2c2', success: '#52c41a', error: '#ff4d4f', green: '#389e0d', default: '#bfbfbf' };

function ItemStats() {
  const { t } = useTranslation();
  const locale = useLocale();
  const counts = useQuery({ queryKey: ['svc-items', 'stats'], queryFn: () => api.get<ResponseOf<'/api/svc/stats'>>('/api/svc/stats') });
  const depts = useDepartments();
  const halls = useHalls();
  const deptRows = useMemo(() => [...(depts.data ?? [])].sort((a, b) => b.items - a.items), [depts.data]);
  const hallRows = useMemo(() => [...(halls.data ?? [])].sort((a, b) => b.ownItems + b.cityItems - (a.ownItems + a.cityItems)), [halls.data]);
  const top = deptRows.slice(0, 15).reverse();
  const deptOption: ConsoleChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: top.map((d) => d.name), axisLabel: { width: 150, overflow: 'truncate' } },
    series: [{ type: 'bar', data: top.map((d) => d.items), itemStyle: { color: '#1677ff' }, barMaxWidth: 16 }],
  };
  const hallOption: ConsoleChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: hallRows.map((h) => h.name.replace(/(政务服务)?分厅$/, '')), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value' },
    series: [
      { name: t('console.svc.stats.ownItems'), type: 'bar', stack: 'items', data: hallRows.map((h) => h.ownItems), itemStyle: { color: '#1677ff' }, barMaxWidth: 28 },
      { name: t('console.svc.stats.cityItems'), type: 'bar', stack: 'items', data: hallRows.map((h) => h.cityItems), itemStyle: { color: '#91caff' }, barMaxWidth: 28 },
    ],
  };
  const by = counts.data?.byStatus ?? {};
  return (
    <>
      <QueryError error={counts.error ?? depts.error ?? halls.error} onRetry={() => void Promise.all([counts.refetch(), depts.refetch(), halls.refetch()])} />
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card variant="borderless" size="small">
            <Statistic title={t('console.svc.stats.online')} value={by.published ?? 0} data-testid="stat-online" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card variant="borderless" size="small">
            <Statistic title={t('console.svc.status.draft')} value={by.draft ?? 0} data-testid="stat-draft" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card variant="borderless" size="small">
            <Statistic title={t('console.svc.status.retired')} value={by.retired ?? 0} data-testid="stat-retired" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card variant="borderless" size="small">
            <Statistic title={t('console.svc.c.owner')} value={counts.data ? `${t('console.svc.stats.departments', { n: counts.data.departments })} · ${t('console.svc.stats.districts', { n: counts.data.districts })}` : '—'} styles={{ content: { fontSize: 16 } }} />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} className="stats-row">
        <Col xs={24} xl={12}>
          <Card variant="borderless" size="small" title={t('console.svc.stats.byDepartment')}>
            {deptRows.length ? <Chart option={deptOption} label={t('console.svc.stats.byDepartment')} height={380} /> : <Empty />}
            <Table
              size="small"
              rowKey="id"
              data-testid="dept-table"
              pagination={{ pageSize: 8, hideOnSinglePage: true, size: 'small' }}
              dataSource={deptRows}
              columns={[
                { title: t('console.svc.c.department'), dataIndex: 'name' },
                { title: t('console.c.code'), dataIndex: 'code', width: 100, render: (v: string) => <code>{v}</code> },
                { title: t('console.svc.stats.online'), dataIndex: 'items', width: 100, align: 'right', render: (v: number) => formatNumber(v, locale) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card variant="borderless" size="small" title={t('console.svc.stats.byDistrict')}>
            {hallRows.length ? <Chart option={hallOption} label={t('console.svc.stats.byDistrict')} height={380} /> : <Empty />}
            <Table
              size="small"
              rowKey="id"
              data-testid="hall-table"
              pagination={{ pageSize: 8, hideOnSinglePage: true, size: 'small' }}
              dataSource={hallRows}
              columns={[
                { title: t('console.svc.catalogue.hall'), dataIndex: 'name' },
                { title: t('console.svc.stats.ownItems'), dataIndex: 'ownItems', width: 100, align: 'right' },
                { title: t('console.svc.stats.cityItems'), dataIndex: 'cityItems', width: 120, align: 'right' },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}

function ApplicationStats() {
  const { t } = useTranslation();
  const locale = useLocale();
  const stats = useQuery({ queryKey: ['svc-app-stats'], queryFn: () => api.get<AppStats>('/api/svc/application-stats') });
  const sat = useQuery({ queryKey: ['svc-satisfaction'], queryFn: () => api.get<Satisfaction>('/api/svc/satisfaction-stats') });
  const s = stats.data;
  const stateRows = APP_STATES.map((st) => ({ state: st, n: s?.byState[st] ?? 0 }));
  const pie: ConsoleChartOption = {
    tooltip: { trigger: 'item' },
    legend: { orient: 'vertical', right: 0, top: 'middle' },
    series: [
      {
        type: 'pie',
        radius: ['40%', '70%'],
        center: ['38%', '50%'],
        label: { show: false },
        data: stateRows.filter((r) => r.n > 0).map((r) => ({ name: t(`console.svc.state.${r.state}`), value: r.n, itemStyle: { color: STATE_HEX[STATE_COLOURS[r.state as AppState]] } })),
      },
    ],
  };
  const depts = sat.data?.departments ?? [];
  const satOption: ConsoleChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: depts.map((d) => d.name ?? d.code ?? d.orgId) },
    yAxis: { type: 'value' },
    series: ['1', '2', '3', '4', '5'].map((score, i) => ({
      name: `${score}★`,
      type: 'bar' as const,
      stack: 'ratings',
      data: depts.map((d) => d.distribution[score] ?? 0),
      itemStyle: { color: ['#ff4d4f', '#ff9c6e', '#ffd666', '#95de64', '#389e0d'][i] },
      barMaxWidth: 36,
    })),
  };
  return (
    <>
      <QueryError error={stats.error ?? sat.error} onRetry={() => void Promise.all([stats.refetch(), sat.refetch()])} />
      <Row gutter={[16, 16]} className="stats-row">
        <Col xs={12} md={6}>
          <Card variant="borderless" size="small">
            <Statistic title={t('console.svc.stats.total')} value={s?.total ?? '—'} data-testid="stat-total" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card variant="borderless" size="small">
            <Statistic title={t('console.svc.stats.overdue')} value={s?.overdue ?? '—'} styles={{ content: s && s.overdue > 0 ? { color: '#cf1322' } : undefined }} data-testid="stat-overdue" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card variant="borderless" size="small">
            <Statistic title={t('console.svc.stats.onTimeRate')} value={percent(s?.onTimeRate)} data-testid="stat-ontime" />
            <Typography.Text type="secondary">
              {t('console.svc.stats.decided')} {s?.decided ?? 0}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card variant="borderless" size="small">
            <Statistic title={t('console.svc.stats.autoRate')} value={percent(s?.autoApprovalRate)} data-testid="stat-auto" />
            <Typography.Text type="secondary">{t('console.svc.stats.autoApproved', { n: s?.autoApproved ?? 0 })}</Typography.Text>
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} className="stats-row">
        <Col xs={24} xl={10}>
          <Card variant="borderless" size="small" title={t('console.svc.stats.byState')}>
            {s && s.total > 0 ? <Chart option={pie} label={t('console.svc.stats.byState')} height={260} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
            <Table
              size="small"
              rowKey="state"
              pagination={false}
              data-testid="state-table"
              dataSource={stateRows}
              columns={[
                { title: t('console.svc.worklist.state'), dataIndex: 'state', render: (v: string) => t(`console.svc.state.${v}`) },
                { title: t('console.svc.stats.count'), dataIndex: 'n', width: 100, align: 'right', render: (v: number) => formatNumber(v, locale) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card variant="borderless" size="small" title={t('console.svc.stats.satisfaction')}>
            {depts.length ? <Chart option={satOption} label={t('console.svc.stats.satisfaction')} height={260} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('console.svc.stats.noRatings')} />}
            <Table
              size="small"
              rowKey="orgId"
              pagination={false}
              data-testid="satisfaction-table"
              dataSource={depts}
              columns={[
                { title: t('console.svc.c.department'), key: 'name', render: (_, d) => d.name ?? d.code ?? d.orgId },
                { title: t('console.svc.stats.average'), dataIndex: 'average', width: 150, render: (v: number) => <Space><strong>{v.toFixed(2)}</strong><Progress percent={(v / 5) * 100} showInfo={false} size="small" style={{ width: 70 }} /></Space> },
                { title: t('console.svc.stats.ratings'), dataIndex: 'count', width: 90, align: 'right' },
                {
                  title: t('console.svc.stats.distribution'),
                  key: 'dist',
                  render: (_, d) => (
                    <span className="dist">
                      {['1', '2', '3', '4', '5'].map((k) => (
                        <span key={k}>
                          {k}★ {d.distribution[k] ?? 0}
                        </span>
                      ))}
                    </span>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}

export default function SvcStats() {
  const { t } = useTranslation();
  const can = useCan();
  return (
    <div className="page">
      <Typography.Paragraph type="secondary">{t('console.svc.stats.scopeNote')}</Typography.Paragraph>
      {can('svc.application.handle') && (
        <>
          <Typography.Title level={5}>{t('console.svc.stats.applications')}</Typography.Title>
          <ApplicationStats />
        </>
      )}
      {can('svc.item.read') && (
        <>
          <Typography.Title level={5} className="stats-title">
            {t('console.svc.stats.items')}
          </Typography.Title>
          <ItemStats />
        </>
      )}
    </div>
  );
}
