import { useState } from 'react';
import { Badge, Button, Card, Col, Input, Popconfirm, Row, Space, Statistic, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDateTime, formatInterval, formatRelative } from '../../shared/format';
import type { Job, JobStatus, JobSummary, Page } from '../../shared/types';
import { QueryError } from '../components/QueryError';
import { shortId, useCan, useLocale, useNotify } from '../hooks';

const STATUSES: JobStatus[] = ['queued', 'running', 'done', 'dead'];
const STATUS_COLOURS: Record<JobStatus, string> = { queued: 'processing', running: 'cyan', done: 'success', dead: 'error' };
const STATUS_DOTS: Record<JobStatus, string> = { queued: '#1677ff', running: '#13c2c2', done: '#52c41a', dead: '#ff4d4f' };

export default function Jobs() {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const notify = useNotify();
  const qc = useQueryClient();
  const [tab, setTab] = useState<'all' | JobStatus>('all');
  const [name, setName] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);

  const summary = useQuery({ queryKey: ['jobs', 'summary'], queryFn: () => api.get<JobSummary>('/api/jobs/summary'), refetchInterval: 15_000 });
  const list = useQuery({
    queryKey: ['jobs', 'list', { tab, name, page, pageSize }],
    queryFn: () => api.get<Page<Job>>('/api/jobs', { status: tab === 'all' ? undefined : tab, name, limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
  const act = useMutation({
    mutationFn: ({ id, op }: { id: string; op: 'retry' | 'cancel' }) => api.post(`/api/jobs/${id}/${op}`),
    onSuccess: (_, v) => {
      notify.ok(v.op === 'retry' ? t('console.jobs.retried') : t('console.jobs.cancelled'));
      void qc.invalidateQueries({ queryKey: ['jobs'] });
    },
    onError: notify.fail,
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
          onChange={(k) => {
            setTab(k as typeof tab);
            setPage(1);
          }}
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
                onSearch={(v) => {
                  setName(v.trim());
                  setPage(1);
                }}
                style={{ width: 220 }}
              />
              <Button icon={<ReloadOutlined />} onClick={() => void qc.invalidateQueries({ queryKey: ['jobs'] })}>
                {t('console.c.refresh')}
              </Button>
            </Space>
          }
        />
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
        <Table<Job>
          rowKey="id"
          loading={list.isFetching && !list.data}
          dataSource={list.data?.items ?? []}
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
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showTotal: (n) => t('console.c.total', { count: n }),
            onChange: (p, s) => {
              setPage(p);
              setPageSize(s);
            },
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
            ...(can('jobs.manage')
              ? [
                  {
                    title: t('console.c.actions'),
                    key: 'actions',
                    width: 110,
                    fixed: 'right' as const,
                    render: (_: unknown, j: Job) => (
                      <Space size={0}>
                        {j.status === 'dead' && (
                          <Button size="small" type="link" onClick={() => act.mutate({ id: j.id, op: 'retry' })}>
                            {t('console.jobs.retry')}
                          </Button>
                        )}
                        {j.status === 'queued' && (
                          <Popconfirm title={t('console.jobs.cancelConfirm')} onConfirm={() => act.mutate({ id: j.id, op: 'cancel' })}>
                            <Button size="small" type="link" danger>
                              {t('console.jobs.cancel')}
                            </Button>
                          </Popconfirm>
                        )}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </div>
  );
}
