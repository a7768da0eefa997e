// The exchange dashboard: open and overdue requests, median and 90th-percentile answer time in
// working days, open requests by provider, answer time by level (city / province / national: the
// province's delay made visible), overdue by step, scenarios blocked by a missing resource and the
// latest decisions.
import { useMemo } from 'react';
import { Card, Col, Empty, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../shared/api';
import { EChart, type ChartOption } from '../../shared/EChart';
import { formatDateTime } from '../../shared/format';
import { QueryError } from '../components/QueryError';
import { useLocale } from '../hooks';
import { Days, LevelTag, RequestStateTag } from '../share/exchange-common';
import { memberName, type Dashboard, type LevelStat, type ShareRequest } from '../share/exchange-types';
import '../share/exchange-pages.css';

const LEVEL_ORDER = ['city', 'district', 'province', 'national', 'unrouted'];
const round1 = (n: number | null | undefined) => (n === null || n === undefined ? null : Math.round(n * 10) / 10);

function Kpi({ title, value, suffix, note, alert, testId, loading }: { title: string; value: number | null | undefined; suffix?: string; note?: string; alert?: boolean; testId: string; loading: boolean }) {
  return (
    <Card variant="borderless" loading={loading} className={`stat-card exchange-kpi${alert ? ' exchange-kpi-alert' : ''}`}>
      <Statistic title={title} value={value ?? '—'} suffix={value === null || value === undefined ? undefined : suffix} data-testid={testId} />
      {note && <div className="exchange-kpi-note">{note}</div>}
    </Card>
  );
}

export default function ShareDashboard() {
  const { t } = useTranslation();
  const locale = useLocale();
  const q = useQuery({ queryKey: ['share', 'dashboard'], queryFn: () => api.get<Dashboard>('/api/share/dashboard') });
  const d = q.data;
  const x = 'console.share.ex.dash';
  // The recent decisions name their request; its answer time and provider level come from the request
  // itself when the dashboard's answer leaves them out (at most ten, cached with the request pages).
  const recentIds = (d?.recent ?? []).filter((r) => r.answerDays === undefined).map((r) => r.requestId);
  const recentRequests = useQueries({
    queries: [...new Set(recentIds)].map((id) => ({ queryKey: ['share', 'request', id], queryFn: () => api.get<ShareRequest>(`/api/share/requests/${id}`), staleTime: 60_000 })),
  });
  const requestById = new Map(recentRequests.flatMap((q) => (q.data ? [[q.data.id, q.data] as const] : [])));
  const recentRows = (d?.recent ?? []).map((r) => {
    const full = requestById.get(r.requestId);
    return { ...r, answerDays: r.answerDays ?? full?.answerDays ?? null, providerLevel: r.providerLevel ?? full?.providerLevel ?? null };
  });

  const byProvider = useMemo<ChartOption>(() => {
    const rows = [...(d?.open.byProvider ?? [])].slice(0, 12).reverse();
    return {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((r) => (r.provider ? memberName(r.provider) : t('console.share.ex.level.unrouted'))), axisLabel: { width: 150, overflow: 'truncate' } },
      series: [{ type: 'bar', name: t(`${x}.open`), data: rows.map((r) => r.count), itemStyle: { color: '#1677ff' }, barMaxWidth: 22, label: { show: true, position: 'right' } }],
    };
  }, [d, t, x]);

  const levels = useMemo(() => [...(d?.answerTime.byLevel ?? [])].sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level)), [d]);
  const byLevel = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: levels.map((l) => t(`console.share.ex.level.${l.level}`, { defaultValue: l.level })) },
      yAxis: { type: 'value', name: t(`${x}.workingDays`) },
      series: [
        {
          type: 'bar',
          name: t(`${x}.median2`),
          data: levels.map((l) => ({ value: round1(l.medianDays) ?? 0, itemStyle: { color: l.level === 'province' || l.level === 'national' ? '#fa541c' : '#1677ff' } })),
          barMaxWidth: 36,
          label: { show: true, position: 'top' },
        },
        { type: 'bar', name: t(`${x}.p90short`), data: levels.map((l) => round1(l.p90Days) ?? 0), itemStyle: { color: '#bfbfbf' }, barMaxWidth: 36, label: { show: true, position: 'top' } },
      ],
    }),
    [levels, t, x],
  );

  const byStep = useMemo<ChartOption>(() => {
    const rows = d?.overdue.byStep ?? [];
    return {
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['40%', '68%'],
          center: ['50%', '45%'],
          label: { formatter: '{b}: {c}' },
          data: rows.map((r) => ({ name: t(`console.share.ex.step.${r.step}`, { defaultValue: r.step }), value: r.count })),
        },
      ],
    };
  }, [d, t]);

  // The report's problem in one sentence: how much slower the province answers than the city.
  const city = levels.find((l) => l.level === 'city');
  const upper = levels.filter((l) => l.level === 'province' || l.level === 'national');
  const upperMedian = upper.length ? Math.max(...upper.map((l) => l.medianDays ?? 0)) : null;
  const ratio = city?.medianDays && upperMedian ? Math.round((upperMedian / city.medianDays) * 10) / 10 : null;
  const waitingUpper = (d?.open.byLevel ?? []).filter((l) => l.level === 'province' || l.level === 'national').reduce((a, b) => a + (b.count ?? 0), 0);

  return (
    <div className="page" data-testid="share-dashboard">
      <Typography.Title level={4} className="page-title">
        {t(`${x}.title`)}
      </Typography.Title>
      <Typography.Paragraph type="secondary" className="exchange-intro">
        {t(`${x}.intro`)}
      </Typography.Paragraph>
      <QueryError error={q.error} onRetry={() => void q.refetch()} />
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Kpi loading={q.isPending} title={t(`${x}.open`)} value={d?.open.total} testId="kpi-open" note={waitingUpper ? t(`${x}.provinceNote`, { n: waitingUpper }) : undefined} />
        </Col>
        <Col xs={12} lg={6}>
          <Kpi loading={q.isPending} title={t(`${x}.overdue`)} value={d?.overdue.total} alert={!!d?.overdue.total} testId="kpi-overdue" />
        </Col>
        <Col xs={12} lg={6}>
          <Kpi loading={q.isPending} title={t(`${x}.median`)} value={round1(d?.answerTime.medianDays)} suffix={t(`${x}.workingDays`)} note={d ? t(`${x}.basedOn`, { n: d.answerTime.n }) : undefined} testId="kpi-median" />
        </Col>
        <Col xs={12} lg={6}>
          <Kpi loading={q.isPending} title={t(`${x}.p90`)} value={round1(d?.answerTime.p90Days)} suffix={t(`${x}.workingDays`)} note={ratio && ratio > 1 ? t(`${x}.provinceSlow`, { x: ratio }) : undefined} alert={!!ratio && ratio > 1} testId="kpi-p90" />
        </Col>
        <Col xs={24} xl={12}>
          <Card variant="borderless" size="small" title={t(`${x}.answerByLevel`)}>
            {levels.length ? <EChart className="exchange-chart" option={byLevel} replace label={t(`${x}.answerByLevel`)} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`${x}.none`)} />}
            {levels.length > 0 && (
            <Table<LevelStat>
              size="small"
              rowKey="level"
              pagination={false}
              dataSource={levels}
              data-testid="answer-by-level"
              columns={[
                { title: t(`${x}.level`), dataIndex: 'level', render: (l: string) => <LevelTag level={l} /> },
                { title: t(`${x}.count`), dataIndex: 'n', align: 'right' },
                { title: t(`${x}.median2`), dataIndex: 'medianDays', align: 'right', render: (v: number | null) => <Days n={v} /> },
                { title: t(`${x}.p90short`), dataIndex: 'p90Days', align: 'right', render: (v: number | null) => <Days n={v} /> },
              ]}
            />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card variant="borderless" size="small" title={t(`${x}.openByProvider`)}>
            {d?.open.byProvider.length ? (
              <EChart className="exchange-chart" option={byProvider} replace label={t(`${x}.openByProvider`)} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`${x}.none`)} />
            )}
          </Card>
          <Card variant="borderless" size="small" title={t(`${x}.overdueByStep`)} className="exchange-card-gap">
            {d?.overdue.byStep.length ? (
              <EChart className="exchange-chart" option={byStep} replace label={t(`${x}.overdueByStep`)} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`${x}.none`)} />
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <Card variant="borderless" size="small" title={t(`${x}.blocked`)}>
            <Table
              size="small"
              rowKey={(r) => r.resource?.id ?? `demand:${r.demandTitle ?? ''}`}
              pagination={false}
              dataSource={d?.blockedScenarios ?? []}
              data-testid="blocked-scenarios"
              locale={{ emptyText: t(`${x}.none`) }}
              columns={[
                {
                  title: t(`${x}.blockedWhat`),
                  key: 'what',
                  width: 260,
                  render: (_, r) =>
                    r.resource ? (
                      <span>{r.resource.name ?? r.resource.code}</span>
                    ) : (
                      <Space size={4}>
                        <Tag color="gold" bordered={false}>
                          {t('console.share.ex.c.demandTag')}
                        </Tag>
                        {r.demandTitle}
                      </Space>
                    ),
                },
                { title: t('console.share.ex.c.provider'), key: 'provider', width: 180, render: (_, r) => (r.provider ? memberName(r.provider) : t('console.share.ex.level.unrouted')) },
                {
                  title: t('console.share.ex.c.scenario'),
                  key: 'scenarios',
                  render: (_, r) => (
                    <Space size={[4, 4]} wrap>
                      {r.scenarios.map((s) => (
                        <Tag key={s} bordered={false}>
                          {s}
                        </Tag>
                      ))}
                    </Space>
                  ),
                },
                { title: t(`${x}.blockedRequests`), dataIndex: 'requestCount', width: 90, align: 'right' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card variant="borderless" size="small" title={t(`${x}.recent`)}>
            <Table
              size="small"
              rowKey={(r) => `${r.requestId}-${r.at}`}
              pagination={false}
              dataSource={recentRows}
              data-testid="recent-decisions"
              locale={{ emptyText: t(`${x}.none`) }}
              scroll={{ x: 960 }}
              columns={[
                { title: t(`${x}.answeredAt`), dataIndex: 'at', width: 150, render: (v: string) => formatDateTime(v, locale, false) },
                { title: t('console.share.ex.c.scenario'), dataIndex: 'scenario', width: 180, render: (v: string, r) => <Link to={`/share/requests/${r.requestId}`}>{v}</Link> },
                { title: t('console.share.ex.c.resource'), key: 'res', width: 180, render: (_, r) => r.resource?.name ?? r.demandTitle ?? '—' },
                { title: t('console.share.ex.c.consumer'), key: 'consumer', width: 150, render: (_, r) => memberName(r.consumer) },
                {
                  title: t('console.share.ex.c.provider'),
                  key: 'provider',
                  width: 180,
                  render: (_, r) => (
                    <Space size={4}>
                      {memberName(r.provider)}
                      <LevelTag level={r.providerLevel} />
                    </Space>
                  ),
                },
                { title: t('console.share.ex.c.state'), dataIndex: 'decision', width: 100, render: (v: string) => <RequestStateTag state={v} /> },
                { title: t(`${x}.answerDays`), dataIndex: 'answerDays', width: 110, render: (v: number | null | undefined) => <Days n={v} /> },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
