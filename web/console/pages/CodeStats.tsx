// City-code statistics for the bureau: scans by scenario, by decision and reason, and by day.
import { useMemo, useState } from 'react';
import { Card, Col, Empty, Row, Segmented, Statistic, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { EChart, type ChartOption } from '../../shared/EChart';
import { formatDate, formatNumber } from '../../shared/format';
import { QueryError } from '../components/QueryError';
import { useLocale } from '../hooks';

const k = 'console.code';

type Stats = ResponseOf<'/api/code/stats'>;

export default function CodeStats() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [days, setDays] = useState(30);
  const q = useQuery({ queryKey: ['code', 'stats', days], queryFn: () => api.get<Stats>('/api/code/stats', { days }), refetchInterval: 30_000 });
  const s = q.data;
  const total = s ? s.total.pass + s.total.refuse : 0;

  const dayChart = useMemo<ChartOption>(() => {
    // Every day of the window, days without scans at zero.
    const seen = new Map((s?.byDay ?? []).map((d) => [d.day, d]));
    const start = s ? Date.parse(s.from) : Date.now();
    const list = Array.from({ length: days + 1 }, (_, i) => {
      const day = formatDate(start + i * 86_400_000);
      return seen.get(day) ?? { day, pass: 0, refuse: 0 };
    }).filter((d, i, all) => all.findIndex((x) => x.day === d.day) === i);
    return {
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: list.map((d) => d.day.slice(5, 10)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', stack: 'scans', name: t(`${k}.stats.pass`), data: list.map((d) => d.pass), itemStyle: { color: '#0f9d58' }, barMaxWidth: 24 },
        { type: 'bar', stack: 'scans', name: t(`${k}.stats.refuse`), data: list.map((d) => d.refuse), itemStyle: { color: '#d32f2f' }, barMaxWidth: 24 },
      ],
    };
  }, [s, days, t]);

  const scenarioChart = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: (s?.byScenario ?? []).map((r) => t(`${k}.scenario.${r.scenario}`, { defaultValue: r.scenario })) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: t(`${k}.stats.pass`), data: (s?.byScenario ?? []).map((r) => r.pass), itemStyle: { color: '#0f9d58' }, barMaxWidth: 32 },
        { type: 'bar', name: t(`${k}.stats.refuse`), data: (s?.byScenario ?? []).map((r) => r.refuse), itemStyle: { color: '#d32f2f' }, barMaxWidth: 32 },
      ],
    }),
    [s, t],
  );

  const activeTerminals = (s?.terminals ?? []).reduce((a, r) => [a[0] + r.active, a[1] + r.total], [0, 0]);
  return (
    <div className="page">
      <Typography.Title level={4} className="page-title">
        {t(`${k}.stats.title`)}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t(`${k}.stats.intro`)}</Typography.Paragraph>
      <Segmented<number> value={days} onChange={setDays} options={[7, 30, 90].map((n) => ({ value: n, label: t(`${k}.stats.lastDays`, { n }) }))} style={{ marginBottom: 16 }} />
      <QueryError error={q.error} onRetry={() => void q.refetch()} />
      <Row gutter={[16, 16]}>
        {(
          [
            [t(`${k}.stats.total`), formatNumber(total, locale), 'stat-total'],
            [t(`${k}.stats.pass`), formatNumber(s?.total.pass, locale), 'stat-pass'],
            [t(`${k}.stats.refuse`), formatNumber(s?.total.refuse, locale), 'stat-refuse'],
            [t(`${k}.stats.passRate`), total ? `${((100 * (s?.total.pass ?? 0)) / total).toFixed(1)}%` : '—', 'stat-rate'],
            [t(`${k}.stats.terminals`), `${activeTerminals[0]} / ${activeTerminals[1]}`, 'stat-terminals'],
          ] as const
        ).map(([label, value, id]) => (
          <Col key={id} xs={12} md={8} xl={4}>
            <Card size="small" variant="borderless">
              <Statistic title={label} value={value} valueRender={() => <span data-testid={id}>{value}</span>} />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t(`${k}.stats.byDay`)} variant="borderless">
            {total ? <EChart option={dayChart} replace label={t(`${k}.stats.byDay`)} style={{ width: '100%', height: 280 }} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`${k}.stats.empty`)} />}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t(`${k}.stats.byScenario`)} variant="borderless">
            {total ? <EChart option={scenarioChart} replace label={t(`${k}.stats.byScenario`)} style={{ width: '100%', height: 280 }} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={t(`${k}.stats.byReason`)} variant="borderless">
            <Table
              size="small"
              rowKey={(r) => `${r.decision}-${r.reason}`}
              pagination={false}
              dataSource={s?.byReason ?? []}
              loading={q.isFetching && !s}
              columns={[
                { title: t(`${k}.stats.decision`), dataIndex: 'decision', width: 120, render: (v: string) => <Tag color={v === 'pass' ? 'success' : 'error'}>{t(`${k}.stats.${v}`)}</Tag> },
                { title: t(`${k}.stats.reason`), dataIndex: 'reason', render: (v: string) => `${t(`${k}.reason.${v}`, { defaultValue: v })} (${v})` },
                { title: t(`${k}.stats.count`), dataIndex: 'n', width: 120, align: 'right', render: (v: number) => formatNumber(v, locale) },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
