import { useState } from 'react';
import { Badge, Button, Card, Col, Input, Row, Space, Statistic, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDateTime, formatInterval, formatRelative } from '../../shared/format';
import type { Job, JobStatus, JobSummary } from '../../shared/types';
import { QueryError } from '../components/QueryError';
import { ConfirmRowButton, DataTable, RowButton, actionsColumn, usePagedList } from '../components/DataTable';
import { shortId, useCan, useLocale, useSave } from '../hooks';

const STATUSES: JobStatus[] = ['queued', 'running', 'done', 'dead'];
const STATUS_COLOURS: Record<JobStatus, string> = { queued: 'processing', running: 'cyan', done: 'success', dead: 'error' };
const STATUS_DOTS: Record<JobStatus, string> = { queued: '#1677ff', running: '#13c2c2', done: '#52c41a', dead: '#ff4d4f' };

export default function Jobs() {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const qc = useQueryClient();
  const [tab, setTab] = useState<'all' | JobStatus>('all');
  const [name, setName] = useState('');

  const summary = useQuery({ queryKey: ['jobs', 'summary'], queryFn: () => api.get<JobSummary>('/api/jobs/summary'), refetchInterval: 15_000 });
  const list = usePagedList<Job>(['jobs', 'list'], '/api/jobs', { status: tab === 'all' ? undefined : tab, name }, { refetchInterval: 15_000 });
  const act = useSave(({ id, op }: { id: string; op: 'retry' | 'cancel' }) => api.post(`/api/jobs/${id}/${op}`), {
    refresh: 'jobs',
    ok: (_, v) => (v.op === 'retry' ? t('console.jobs.retried') : t('console.jobs.cancelled')),
  });
  const counts = summary.data?.counts ?? {};

  return (
    <div className="page">
      <QueryError error={summary.error} onRetry={() => void summary.refetch()} />
      <Row gutter={[16, 16]}>
        {STATUSES.map((s) => (
          <Col key={s} xs={12} md={6}>
            <Card variant="borderless" size="small" className="job-count" hoverable onClick={() => setTab(s)}>
              <Statistic
                title={
                  <Space>
                    <Badge color={STATUS_DOTS[s]} />
                    {t(`console.jobs.statuses.${s}`)}
                  </Space>
                }
                value={counts[s] ?? 0}
                styles={{ content: s === 'dead' && (counts.dead ?? 0) > 0 ? { color: '#cf1322' } : undefined }}
                data-testid={`job-count-${s}`}
              />
            </Card>
          </Col>
        ))}
      </Row>

      <Card variant="borderless" title={t('console.jobs.schedules')} size="small" className="section-card">
        <Table
          rowKey="name"
          size="small"
          pagination={false}
          loading={summary.isFetching && !summary.data}
          dataSource={summary.data?.schedules ?? []}
          columns={[
            { title: t('console.c.name'), dataIndex: 'name', render: (v: string) => <code>{v}</code> },
            { title: t('console.jobs.name'), dataIndex: 'jobName', render: (v: string) => <code>{v}</code> },
            { title: t('console.jobs.every'), dataIndex: 'everySeconds', render: (v: number) => t('console.jobs.everyText', { text: formatInterval(v, locale) }) },
            {
              title: t('console.jobs.nextRunAt'),
              dataIndex: 'nextRunAt',
              render: (v: string | null) => (v ? <Tooltip title={formatDateTime(v, locale)}>{formatRelative(v, locale)}</Tooltip> : '—'),
            },
            {
              title: t('console.jobs.lastRunAt'),
              dataIndex: 'lastRunAt',
              render: (v: string | null) => (v ? <Tooltip title={formatDateTime(v, locale)}>{formatRelative(v, locale)}</Tooltip> : t('console.c.never')),
            },
          ]}
        />
      </Card>

      <Card variant="borderless" title={t('console.jobs.list')} size="small" className="section-card">
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as typeof tab)}
          items={[
            { key: 'all', label: t('console.c.all') },
            ...STATUSES.map((s) => ({
              key: s,
              label:
                s === 'dead' ? (
                  <span data-testid="dead-tab">
                    {t('console.jobs.deadTab')} <Badge count={counts.dead ?? 0} size="small" />
                  </span>
                ) : (
                  t(`console.jobs.statuses.${s}`)
                ),
            })),
          ]}
          tabBarExtraContent={
            <Space>
              <Input.Search
                allowClear
                placeholder={t('console.jobs.namePlaceholder')}
                onSearch={(v) => setName(v.trim())}
                style={{ width: 220 }}
              />
              <Button icon={<ReloadOutlined />} onClick={() => void qc.invalidateQueries({ queryKey: ['jobs'] })}>
                {t('console.c.refresh')}
              </Button>
            </Space>
          }
        />
        <DataTable<Job>
          {...list}
          rowKey="id"
          loading={list.query.isFetching && !list.query.data}
          scroll={{ x: 1300 }}
          expandable={{
            expandedRowRender: (j) => (
              <div className="job-detail">
                <Typography.Text type="secondary">{t('console.jobs.payload')}</Typography.Text>
                <pre>{JSON.stringify(j.payload, null, 2)}</pre>
                {j.lastError && (
                  <>
                    <Typography.Text type="secondary">{t('console.jobs.lastError')}</Typography.Text>
                    <pre className="job-error">{j.lastError}</pre>
                  </>
                )}
              </div>
            ),
          }}
          columns={[
            { title: 'ID', dataIndex: 'id', width: 110, render: (v: string) => <Tooltip title={v}><code className="muted-code">{shortId(v)}</code></Tooltip> },
            { title: t('console.jobs.name'), dataIndex: 'name', width: 170, render: (v: string) => <code className="nowrap">{v}</code> },
            { title: t('console.jobs.status'), dataIndex: 'status', width: 100, render: (s: JobStatus) => <Tag color={STATUS_COLOURS[s]}>{t(`console.jobs.statuses.${s}`)}</Tag> },
            { title: t('console.jobs.attempts'), key: 'attempts', width: 100, render: (_, j) => `${j.attempts} / ${j.maxAttempts}` },
            { title: t('console.jobs.runAt'), dataIndex: 'runAt', width: 160, render: (v: string) => formatDateTime(v, locale, false) },
            { title: t('console.jobs.finishedAt'), dataIndex: 'finishedAt', width: 160, render: (v: string | null) => (v ? formatDateTime(v, locale, false) : '—') },
            {
              title: t('console.jobs.lastError'),
              dataIndex: 'lastError',
              ellipsis: { showTitle: false },
              render: (v: string | null) =>
                v ? (
                  <Tooltip title={v}>
                    <Typography.Text type="danger">{v}</Typography.Text>
                  </Tooltip>
                ) : (
                  '—'
                ),
            },
            { title: t('console.jobs.schedule'), dataIndex: 'scheduleName', width: 200, render: (v: string | null) => (v ? <code className="nowrap">{v}</code> : '—') },
            ...actionsColumn<Job>(
              t,
              (j) => (
                <Space size={0}>
                  {j.status === 'dead' && <RowButton onClick={() => act.mutate({ id: j.id, op: 'retry' })}>{t('console.jobs.retry')}</RowButton>}
                  {j.status === 'queued' && (
                    <ConfirmRowButton title={t('console.jobs.cancelConfirm')} onConfirm={() => act.mutate({ id: j.id, op: 'cancel' })} dangerOk={false}>
                      {t('console.jobs.cancel')}
                    </ConfirmRowButton>
                  )}
                </Space>
              ),
              { width: 110, show: can('jobs.manage') },
            ),
          ]}
        />
      </Card>
    </div>
  );
}
