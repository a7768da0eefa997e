// Data quality scores (GB/T 36344 dimensions) by resource and by department: a table and a bar chart.
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { Card, Progress, Segmented, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ItemOf } from '../../shared/api-types';
import { EChart, type ChartOption } from '../../shared/EChart';
import { DataTable, usePagedList } from '../components/DataTable';

const c = 'console.share.cat';
const DIMENSIONS = ['conformance', 'completeness', 'accuracy', 'consistency', 'timeliness', 'accessibility'] as const;

type QualityItem = ItemOf<'/api/share/quality'>;
type ByResource = Extract<QualityItem, { resourceId: string }>;
type ByDepartment = Extract<QualityItem, { resources: number }>;
/** A row of either view (by resource or by department); the other view's fields are absent. */
type QualityRow = (ByResource & Partial<ByDepartment>) | (ByDepartment & Partial<ByResource>);

const colour = (n: number) => (n >= 90 ? '#389e0d' : n >= 75 ? '#d48806' : '#cf1322');

export default function ShareQuality() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const [by, setBy] = useState<'resource' | 'department'>('department');
  const list = usePagedList<QualityRow>(['share-quality', by], '/api/share/quality', { by });
  const rows = list.rows ?? [];
  const chart = useMemo<ChartOption>(() => {
    const sorted = [...rows].sort((a, b) => a.score - b.score);
    return {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', min: 0, max: 100 },
      yAxis: { type: 'category', data: sorted.map((r) => (by === 'resource' ? (r.name ?? '') : r.provider)) },
      series: [{ type: 'bar', name: t(`${c}.quality.score`), data: sorted.map((r) => ({ value: r.score, itemStyle: { color: colour(r.score) } })), barMaxWidth: 18 }],
    };
  }, [rows, by, t]);
  return (
    <div className="page">
      <Card variant="borderless" className="section-card">
        <div className="toolbar">
          <Space>
            <Segmented value={by} onChange={(v) => setBy(v as 'resource' | 'department')} options={[{ value: 'department', label: t(`${c}.quality.byDepartment`) }, { value: 'resource', label: t(`${c}.quality.byResource`) }]} data-testid="quality-by" />
          </Space>
        </div>
        {rows.length > 0 && <EChart option={chart} replace label={t(by === 'resource' ? `${c}.quality.chartResource` : `${c}.quality.chart`)} style={{ height: Math.max(160, rows.length * 28 + 40) }} />}
        <DataTable<QualityRow>
          {...list}
          rowKey={(r) => r.resourceId ?? r.providerCode}
          data-testid="quality-table"
          scroll={{ x: 1100 }}
          columns={[
            by === 'resource'
              ? {
                  title: t(`${c}.f.name`),
                  key: 'name',
                  width: 260,
                  render: (_, r) => (
                    <div className="cell-stack">
                      <a onClick={() => nav(`/share/resources/${r.resourceId}`)}>{r.name}</a>
                      <span className="muted-code">{r.code}</span>
                    </div>
                  ),
                }
              : { title: t(`${c}.f.provider`), dataIndex: 'provider', width: 220 },
            ...(by === 'resource' ? [{ title: t(`${c}.f.provider`), dataIndex: 'provider', width: 170 }] : [{ title: t(`${c}.quality.resources`), dataIndex: 'resources', width: 90 }]),
            { title: t(`${c}.quality.score`), dataIndex: 'score', width: 160, render: (v: number) => <Progress percent={v} size="small" strokeColor={colour(v)} format={(p) => p?.toFixed(1)} /> },
            ...DIMENSIONS.map((d) => ({ title: t(`${c}.dim.${d}`), key: d, width: 90, render: (_: unknown, r: QualityRow) => <span style={{ color: colour(r.dimensions[d]) }}>{r.dimensions[d].toFixed(1)}</span> })),
          ]}
        />
      </Card>
    </div>
  );
}
