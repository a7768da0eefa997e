// Grants and the gateway: the grants (consumer system, resource, fields, row filter, quota, expiry,
// state) with revocation for the bureau; gateway usage (calls, errors, p50/p99 latency, calls by day);
// and the operational records of every call with the hash binding its response to its request.
import { useMemo, useState } from 'react';
import { Card, Col, Empty, Form, Input, Row, Select, Space, Statistic, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../shared/api';
import { EChart, type ChartOption } from '../../shared/EChart';
import { formatDate, formatDateTime, formatNumber, shanghaiToday } from '../../shared/format';
import { DataTable, RowButton, Toolbar, actionsColumn, usePagedList } from '../components/DataTable';
import { FormModal } from '../components/FormModal';
import { QueryError } from '../components/QueryError';
import { useCan, useLocale, useSave } from '../hooks';
import { grantState, shortHash, type CallRecord, type Grant, type ResourceOption, type Usage } from '../share/exchange-types';
import '../share/exchange-pages.css';

const g = 'console.share.ex.grants';

/** Names of the resources on the page (grants carry the code only), fetched once each and cached. */
function useResourceNames(ids: string[]): Map<string, string> {
  const found = useQueries({
    queries: [...new Set(ids)].map((id) => ({ queryKey: ['share', 'resource', id], queryFn: () => api.get<ResourceOption>(`/api/share/resources/${id}`), staleTime: 5 * 60_000 })),
  });
  return new Map(found.flatMap((q) => (q.data ? [[q.data.id, q.data.name] as const] : [])));
}

function GrantStateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  const colour = state === 'live' ? 'success' : state === 'revoked' ? 'error' : 'default';
  const key = state === 'live' ? 'stateActive' : state === 'revoked' ? 'stateRevoked' : state === 'expired' ? 'stateExpired' : null;
  return (
    <Tag color={colour} data-testid="grant-state">
      {key ? t(`${g}.${key}`) : state}
    </Tag>
  );
}

function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function GrantsTab({ highlight, onCalls }: { highlight: string | null; onCalls: (grantId: string) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const [state, setState] = useState<string | undefined>();
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const list = usePagedList<Grant>(['share', 'grants'], '/api/share/grants', { state });
  const names = useResourceNames((list.rows ?? []).map((r) => r.resourceId));
  const revoke = useSave(({ id, reason }: { id: string; reason: string }) => api.post(`/api/share/grants/${id}/revoke`, { reason }), {
    refresh: 'share',
    ok: () => t(`${g}.revoked`),
    then: () => setRevoking(null),
  });
  const canRevoke = can('share.grant.manage');
  return (
    <>
      <Toolbar>
        <Select
          allowClear
          placeholder={t(`${g}.filterState`)}
          aria-label={t(`${g}.filterState`)}
          value={state}
          onChange={(v) => setState(v ?? undefined)}
          style={{ width: 140 }}
          options={[
            { value: 'live', label: t(`${g}.stateActive`) },
            { value: 'revoked', label: t(`${g}.stateRevoked`) },
            { value: 'expired', label: t(`${g}.stateExpired`) },
          ]}
        />
      </Toolbar>
      <DataTable<Grant>
        {...list}
        rowKey="id"
        size="middle"
        scroll={{ x: 1130 }}
        data-testid="grants-table"
        rowClassName={(r) => (r.id === highlight ? 'ant-table-row-selected' : '')}
        columns={[
          {
            title: t(`${g}.consumer`),
            key: 'consumer',
            width: 250,
            render: (_, r) => {
              const id = r.consumerXroadId ?? r.consumerSubsystemId;
              return (
                <div className="cell-stack">
                  <span>{id.split('/').slice(-2).join(' / ')}</span>
                  <code className="muted-code">{id}</code>
                </div>
              );
            },
          },
          {
            title: t(`${g}.resource`),
            key: 'resource',
            width: 190,
            render: (_, r) => (
              <div className="cell-stack">
                <span>{names.get(r.resourceId) ?? r.resourceCode}</span>
                <code className="muted-code">{r.resourceCode}</code>
              </div>
            ),
          },
          {
            title: t(`${g}.fields`),
            dataIndex: 'fields',
            width: 200,
            render: (f: string[]) => (
              <Space size={[4, 4]} wrap>
                {f.map((x) => (
                  <Tag key={x} bordered={false}>
                    {x}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t(`${g}.filter`),
            dataIndex: 'rowFilter',
            width: 110,
            render: (f: Grant['rowFilter']) => (f?.length ? f.map((c) => `${c.column} = ${c.equals}`).join(' ∧ ') : <Typography.Text type="secondary">{t(`${g}.noFilter`)}</Typography.Text>),
          },
          {
            title: `${t(`${g}.quota`)} / ${t(`${g}.expires`)}`,
            key: 'quota',
            width: 150,
            render: (_, r) => (
              <div className="cell-stack">
                <span>{t(`${g}.quotaText`, { day: formatNumber(r.quotaPerDay, locale), min: formatNumber(r.ratePerMinute, locale) })}</span>
                <Typography.Text type="secondary" className="exchange-sub">
                  {formatDate(r.expiresAt, locale)}
                </Typography.Text>
              </div>
            ),
          },
          {
            title: t(`${g}.state`),
            key: 'state',
            width: 90,
            render: (_, r) => {
              const s = grantState(r);
              return r.revokeReason ? (
                <Tooltip title={r.revokeReason}>
                  <span>
                    <GrantStateTag state={s} />
                  </span>
                </Tooltip>
              ) : (
                <GrantStateTag state={s} />
              );
            },
          },
          ...actionsColumn<Grant>(
            t,
            (r) => (
              <Space size={0}>
                <RowButton onClick={() => onCalls(r.id)}>{t(`${g}.tabCalls`)}</RowButton>
                {canRevoke && grantState(r) === 'live' && (
                  <RowButton danger onClick={() => setRevoking(r)}>
                    {t(`${g}.revoke`)}
                  </RowButton>
                )}
              </Space>
            ),
            { width: 150 },
          ),
        ]}
      />
      <FormModal<{ reason: string }>
        open={!!revoking}
        title={t(`${g}.revokeTitle`)}
        form={form}
        onClose={() => setRevoking(null)}
        save={{ mutate: (v) => revoking && revoke.mutate({ id: revoking.id, reason: v.reason.trim() }), isPending: revoke.isPending }}
        okTestId="revoke-ok"
      >
        <Typography.Paragraph type="secondary">{t(`${g}.revokeEffect`)}</Typography.Paragraph>
        <Form.Item name="reason" label={t(`${g}.revokeReason`)} rules={[{ required: true, whitespace: true, message: t(`${g}.revokeReasonRequired`) }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
      </FormModal>
    </>
  );
}

function UsageTab() {
  const { t } = useTranslation();
  const locale = useLocale();
  // The last 30 Shanghai days, today included.
  const from = useMemo(() => formatDate(Date.now() - 29 * 86_400_000), []);
  const q = useQuery({ queryKey: ['share', 'usage', from], queryFn: () => api.get<Usage>('/api/share/usage', { from, to: shanghaiToday() }) });
  const u = q.data;
  const chart = useMemo<ChartOption>(() => {
    // Every day of the window, days without calls at zero.
    const seen = new Map((u?.byDay ?? []).map((d) => [d.day, d]));
    const days = Array.from({ length: 30 }, (_, i) => {
      const day = formatDate(Date.parse(`${from}T12:00:00+08:00`) + i * 86_400_000);
      return seen.get(day) ?? { day, calls: 0, errors: 0 };
    });
    return {
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: days.map((d) => d.day.slice(5, 10)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: t(`${g}.calls`), data: days.map((d) => d.calls), itemStyle: { color: '#1677ff' }, barMaxWidth: 24 },
        { type: 'line', name: t(`${g}.errors`), data: days.map((d) => d.errors ?? 0), itemStyle: { color: '#cf1322' } },
      ],
    };
  }, [u, t, from]);
  const kpis: [string, string][] = [
    [t(`${g}.calls`), formatNumber(u?.calls, locale)],
    [t(`${g}.errors`), formatNumber(u?.errors, locale)],
    [t(`${g}.p50`), u?.p50Ms === null || u?.p50Ms === undefined ? '—' : `${Math.round(u.p50Ms)} ms`],
    [t(`${g}.p99`), u?.p99Ms === null || u?.p99Ms === undefined ? '—' : `${Math.round(u.p99Ms)} ms`],
    [t(`${g}.bytes`), formatBytes(u?.bytes)],
  ];
  return (
    <>
      <QueryError error={q.error} onRetry={() => void q.refetch()} />
      <Typography.Text type="secondary">{t(`${g}.last30`)}</Typography.Text>
      <Row gutter={[16, 16]} className="exchange-actions" data-testid="usage-kpis">
        {kpis.map(([title, value]) => (
          <Col key={title} xs={12} md={8} xl={4}>
            <Card variant="borderless" size="small" loading={q.isPending} className="stat-card">
              <Statistic title={title} value={value} />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card variant="borderless" size="small" title={t(`${g}.byDay`)}>
            {u?.byDay.length ? <EChart className="exchange-chart" option={chart} replace label={t(`${g}.byDay`)} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card variant="borderless" size="small" title={t(`${g}.byConsumer`)}>
            <Table
              size="small"
              rowKey={(r) => r.consumerXroadId ?? ''}
              pagination={false}
              dataSource={u?.byConsumer ?? []}
              columns={[
                { title: t(`${g}.consumer`), key: 'c', render: (_, r) => <code className="muted-code">{r.consumerXroadId ?? '—'}</code> },
                { title: t(`${g}.calls`), dataIndex: 'calls', align: 'right', width: 90 },
                { title: t(`${g}.errors`), dataIndex: 'errors', align: 'right', width: 90 },
              ]}
            />
          </Card>
          <Card variant="borderless" size="small" title={t(`${g}.byResource`)} className="exchange-card-gap">
            <Table
              size="small"
              rowKey={(r) => r.resourceCode}
              pagination={false}
              dataSource={u?.byResource ?? []}
              columns={[
                { title: t(`${g}.resource`), key: 'r', render: (_, r) => <code className="muted-code">{r.resourceCode}</code> },
                { title: t(`${g}.calls`), dataIndex: 'calls', align: 'right', width: 90 },
                { title: t(`${g}.errors`), dataIndex: 'errors', align: 'right', width: 90 },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}

function CallsTab({ grantId, onClearGrant }: { grantId: string | null; onClearGrant: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [status, setStatus] = useState<string | undefined>();
  const list = usePagedList<CallRecord>(['share', 'calls'], '/api/share/calls', { grantId: grantId ?? undefined, status }, { sizeChanger: true });
  return (
    <>
      <Toolbar>
        <Select
          allowClear
          placeholder={t(`${g}.filterStatus`)}
          aria-label={t(`${g}.filterStatus`)}
          value={status}
          onChange={(v) => setStatus(v ?? undefined)}
          style={{ width: 120 }}
          options={[
            { value: 'ok', label: t(`${g}.statusOk`) },
            { value: 'error', label: t(`${g}.statusErr`) },
          ]}
        />
        {grantId && (
          <Tag closable onClose={onClearGrant} color="blue">
            {t(`${g}.tabGrants`)} {grantId.slice(0, 8)}…
          </Tag>
        )}
      </Toolbar>
      <DataTable<CallRecord>
        {...list}
        rowKey="id"
        size="small"
        scroll={{ x: 1070 }}
        data-testid="calls-table"
        columns={[
          { title: t(`${g}.at`), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v, locale) },
          {
            title: `${t(`${g}.consumer`)} / ${t(`${g}.service`)}`,
            key: 'who',
            width: 300,
            render: (_, r) => (
              <div className="cell-stack">
                <code className="muted-code">{r.consumerXroadId ?? '—'}</code>
                <code className="muted-code">→ {r.serviceId}</code>
              </div>
            ),
          },
          { title: t(`${g}.operation`), dataIndex: 'operation', width: 80 },
          {
            title: t(`${g}.status`),
            dataIndex: 'status',
            width: 140,
            render: (v: number, r) => (
              <Space size={4}>
                <Tag color={v < 400 ? 'success' : v === 429 ? 'warning' : 'error'}>{v}</Tag>
                {r.errorCode && <code className="muted-code">{r.errorCode}</code>}
              </Space>
            ),
          },
          { title: t(`${g}.rows`), dataIndex: 'rows', width: 70, align: 'right' },
          { title: t(`${g}.bytes`), key: 'bytes', width: 90, align: 'right', render: (_, r) => formatBytes(r.responseBytes) },
          { title: t(`${g}.ms`), dataIndex: 'durationMs', width: 80, align: 'right' },
          {
            title: t(`${g}.hash`),
            dataIndex: 'bindingHash',
            width: 140,
            render: (v: string | null) => (
              <Tooltip title={v}>
                <code className="muted-code">{shortHash(v)}</code>
              </Tooltip>
            ),
          },
        ]}
      />
    </>
  );
}

export default function ShareGrants() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const highlight = params.get('grant');
  const [tab, setTab] = useState('grants');
  const [callsGrant, setCallsGrant] = useState<string | null>(highlight);
  return (
    <div className="page">
      <Typography.Title level={4} className="page-title">
        {t(`${g}.title`)}
      </Typography.Title>
      <Typography.Paragraph type="secondary" className="exchange-intro">
        {t(`${g}.intro`)}
      </Typography.Paragraph>
      <Card variant="borderless" size="small">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          destroyOnHidden
          items={[
            {
              key: 'grants',
              label: t(`${g}.tabGrants`),
              children: (
                <GrantsTab
                  highlight={highlight}
                  onCalls={(id) => {
                    setCallsGrant(id);
                    setTab('calls');
                  }}
                />
              ),
            },
            { key: 'usage', label: t(`${g}.tabUsage`), children: <UsageTab /> },
            {
              key: 'calls',
              label: t(`${g}.tabCalls`),
              children: (
                <CallsTab
                  grantId={callsGrant}
                  onClearGrant={() => {
                    setCallsGrant(null);
                    if (highlight) setParams({});
                  }}
                />
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
