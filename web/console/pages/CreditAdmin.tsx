// Credit configuration (credit.manage): publication regimes with effective dates, the external
// endpoints that receive repair results, and the outbox of deliveries to them.
import { useState } from 'react';
import { Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { formatDateTime } from '../../shared/format';
import { DataTable, FilterSelect, Toolbar, usePagedList } from '../components/DataTable';
import { QueryError } from '../components/QueryError';
import { useLocale, useSave } from '../hooks';
import type { CreditLimits, Endpoint, EndpointInput, OutboxDelivery, Regime } from '../../shared/credit/types';
import '../credit/credit.css';

const SEVERITIES = ['minor', 'ordinary', 'serious'];
const OUTBOX_STATUSES = ['pending', 'sending', 'delivered', 'failed'];

/** The list endpoints answer either a bare array or {items}. */
function itemsOf<T>(d: T[] | { items: T[] } | undefined): T[] {
  if (!d) return [];
  return Array.isArray(d) ? d : d.items;
}

function Regimes() {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ items: (Omit<Regime, 'effectiveFrom'> & { effectiveFrom: dayjs.Dayjs | string })[]; limits: CreditLimits }>();
  const q = useQuery({ queryKey: ['credit', 'regimes'], queryFn: () => api.get<ResponseOf<'/api/credit/regimes'>>('/api/credit/regimes') });
  const save = useSave((body: { items: Regime[]; limits: CreditLimits }) => api.put('/api/credit/regimes', body), { refresh: 'credit', ok: () => t('console.c.saved') });
  const rows = q.data?.items ?? [];
  return (
    <Card variant="borderless" size="small">
      <QueryError error={q.error} onRetry={() => void q.refetch()} />
      {q.data && (
        <Form
          form={form}
          initialValues={{ items: rows.map((r) => ({ ...r, effectiveFrom: dayjs(r.effectiveFrom) })), limits: q.data.limits }}
          onFinish={(v) =>
            save.mutate({
              items: (v.items ?? []).map((r) => ({
                severity: r.severity,
                minMonths: Number(r.minMonths),
                maxMonths: Number(r.maxMonths),
                effectiveFrom: dayjs.isDayjs(r.effectiveFrom) ? r.effectiveFrom.format('YYYY-MM-DD') : r.effectiveFrom,
                ...(r.note ? { note: r.note } : {}),
              })),
              limits: { acceptDays: Number(v.limits.acceptDays), decideDays: Number(v.limits.decideDays), seriousAmount: Number(v.limits.seriousAmount) },
            })
          }
        >
          <Typography.Title level={5}>{t('credit.admin.limits')}</Typography.Title>
          <Space wrap size={24} className="credit-limits">
            <Form.Item name={['limits', 'acceptDays']} label={t('credit.admin.acceptDays')} rules={[{ required: true }]}>
              <InputNumber min={1} max={60} />
            </Form.Item>
            <Form.Item name={['limits', 'decideDays']} label={t('credit.admin.decideDays')} rules={[{ required: true }]}>
              <InputNumber min={1} max={60} />
            </Form.Item>
            <Form.Item name={['limits', 'seriousAmount']} label={t('credit.admin.seriousAmount')} rules={[{ required: true }]}>
              <InputNumber min={0} step={1} />
            </Form.Item>
          </Space>
          <Typography.Title level={5}>{t('credit.admin.regimes')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('credit.admin.regimesHelp')}</Typography.Paragraph>
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                <Table
                  size="small"
                  pagination={false}
                  rowKey="key"
                  dataSource={fields}
                  columns={[
                    {
                      title: t('credit.admin.effectiveFrom'),
                      key: 'from',
                      width: 170,
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'effectiveFrom']} rules={[{ required: true, message: t('console.c.required') }]} noStyle>
                          <DatePicker aria-label={t('credit.admin.effectiveFrom')} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('credit.admin.severity'),
                      key: 'sev',
                      width: 150,
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'severity']} rules={[{ required: true }]} noStyle>
                          <Select style={{ width: 130 }} aria-label={t('credit.admin.severity')} options={SEVERITIES.map((s) => ({ value: s, label: t(`credit.severity.${s}`) }))} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('credit.admin.minMonths'),
                      key: 'min',
                      width: 130,
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'minMonths']} rules={[{ required: true }]} noStyle>
                          <InputNumber min={0} max={120} aria-label={t('credit.admin.minMonths')} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('credit.admin.maxMonths'),
                      key: 'max',
                      width: 130,
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'maxMonths']} rules={[{ required: true }]} noStyle>
                          <InputNumber min={0} max={120} aria-label={t('credit.admin.maxMonths')} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('credit.admin.note'),
                      key: 'note',
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'note']} noStyle>
                          <Input aria-label={t('credit.admin.note')} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: '',
                      key: 'rm',
                      width: 50,
                      render: (_, f) => <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('credit.admin.remove')} />,
                    },
                  ]}
                />
                <Space className="credit-admin-actions">
                  <Button icon={<PlusOutlined />} onClick={() => add({ severity: 'ordinary', minMonths: 3, maxMonths: 12, effectiveFrom: dayjs() })}>
                    {t('credit.admin.addRegime')}
                  </Button>
                  <Button type="primary" htmlType="submit" loading={save.isPending}>
                    {t('action.save')}
                  </Button>
                </Space>
              </>
            )}
          </Form.List>
        </Form>
      )}
    </Card>
  );
}

function Endpoints() {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ items: (EndpointInput & Partial<Endpoint>)[] }>();
  const q = useQuery({ queryKey: ['credit', 'endpoints'], queryFn: () => api.get<ResponseOf<'/api/credit/endpoints'>>('/api/credit/endpoints') });
  const save = useSave((items: EndpointInput[]) => api.put('/api/credit/endpoints', { items }), { refresh: 'credit', ok: () => t('console.c.saved') });
  return (
    <Card variant="borderless" size="small">
      <Typography.Paragraph type="secondary">{t('credit.admin.endpointsHelp')}</Typography.Paragraph>
      <QueryError error={q.error} onRetry={() => void q.refetch()} />
      {q.data && (
        <Form
          form={form}
          initialValues={{ items: itemsOf(q.data) }}
          onFinish={(v) => save.mutate(v.items.map((e) => ({ ...(e.id ? { id: e.id } : {}), name: e.name.trim(), url: e.url.trim(), enabled: !!e.enabled, ...(e.secret ? { secret: e.secret } : {}) })))}
        >
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                <Table
                  size="small"
                  pagination={false}
                  rowKey="key"
                  dataSource={fields}
                  columns={[
                    {
                      title: t('console.c.name'),
                      key: 'name',
                      width: 220,
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'name']} rules={[{ required: true, message: t('console.c.required') }]} noStyle>
                          <Input aria-label={t('console.c.name')} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: 'URL',
                      key: 'url',
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'url']} rules={[{ required: true, type: 'url' }]} noStyle>
                          <Input placeholder="https://" aria-label="URL" />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('credit.admin.secret'),
                      key: 'secret',
                      width: 220,
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'secret']} noStyle>
                          <Input.Password
                            autoComplete="new-password"
                            aria-label={t('credit.admin.secret')}
                            placeholder={form.getFieldValue(['items', f.name, 'hasSecret']) ? t('credit.admin.secretKept') : t('credit.admin.secretOptional')}
                          />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('credit.admin.enabled'),
                      key: 'enabled',
                      width: 90,
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'enabled']} valuePropName="checked" noStyle>
                          <Switch aria-label={t('credit.admin.enabled')} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: '',
                      key: 'rm',
                      width: 50,
                      render: (_, f) => <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('credit.admin.remove')} />,
                    },
                  ]}
                />
                <Space className="credit-admin-actions">
                  <Button icon={<PlusOutlined />} onClick={() => add({ name: '', url: '', enabled: true })}>
                    {t('credit.admin.addEndpoint')}
                  </Button>
                  <Button type="primary" htmlType="submit" loading={save.isPending}>
                    {t('action.save')}
                  </Button>
                </Space>
              </>
            )}
          </Form.List>
        </Form>
      )}
    </Card>
  );
}

function Outbox() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [status, setStatus] = useState<string | undefined>();
  const list = usePagedList<OutboxDelivery>(['credit', 'outbox'], '/api/credit/outbox', { status }, { refetchInterval: 15_000 });
  const colour = (s: string) => (s === 'delivered' ? 'success' : s === 'pending' ? 'processing' : 'error');
  return (
    <Card variant="borderless" size="small">
      <Toolbar>
        <FilterSelect placeholder={t('console.c.status')} value={status} onChange={setStatus} width={140} options={OUTBOX_STATUSES.map((s) => ({ value: s, label: t(`credit.outboxStatus.${s}`) }))} />
      </Toolbar>
      <DataTable<OutboxDelivery>
        {...list}
        rowKey="id"
        size="small"
        scroll={{ x: 1000 }}
        columns={[
          { title: t('credit.admin.event'), key: 'event', render: (_, d) => <code>{d.event ?? '—'}</code> },
          { title: t('credit.admin.endpoint'), key: 'ep', render: (_, d) => d.endpointName ?? d.endpointId ?? '—' },
          { title: t('console.c.status'), dataIndex: 'status', width: 100, render: (s: string) => <Tag color={colour(s)}>{t(`credit.outboxStatus.${s}`, { defaultValue: s })}</Tag> },
          { title: t('credit.admin.attempts'), dataIndex: 'attempts', width: 80 },
          {
            title: t('credit.admin.lastError'),
            dataIndex: 'lastError',
            ellipsis: { showTitle: false },
            render: (v: string | null) => (v ? <Tooltip title={v}><Typography.Text type="danger">{v}</Typography.Text></Tooltip> : '—'),
          },
          { title: t('console.c.createdAt'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatDateTime(v, locale, false) },
          { title: t('credit.admin.deliveredAt'), dataIndex: 'deliveredAt', width: 160, render: (v: string | null) => (v ? formatDateTime(v, locale, false) : '—') },
        ]}
      />
    </Card>
  );
}

export default function CreditAdmin() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <Typography.Title level={4} className="page-title">
        {t('credit.admin.title')}
      </Typography.Title>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'regimes', label: t('credit.admin.regimes'), children: <Regimes /> },
          { key: 'endpoints', label: t('credit.admin.endpoints'), children: <Endpoints /> },
          { key: 'outbox', label: t('credit.admin.outbox'), children: <Outbox /> },
        ]}
      />
    </div>
  );
}
