import { useState } from 'react';
import { Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import type { ApiKey, Page } from '../../shared/types';
import { QueryError } from '../components/QueryError';
import { ShowOnceModal } from '../components/ShowOnceModal';
import { UserSelect } from '../components/UserSelect';
import { permLabel, useCan, useCurrentMe, useLocale, useNotify, usePermissions } from '../hooks';
import { PermissionChecklist } from './Roles';

interface CreateValues {
  name: string;
  userId: string;
  scopes: string[];
  expiresInDays?: number | 'never';
}

function keyState(k: ApiKey): 'revoked' | 'expired' | 'active' {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && new Date(k.expiresAt).getTime() < Date.now()) return 'expired';
  return 'active';
}

function CreateKeyModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (key: string, name: string) => void }) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const can = useCan();
  const perms = usePermissions();
  const notify = useNotify();
  const qc = useQueryClient();
  const [form] = Form.useForm<CreateValues>();
  const create = useMutation({
    mutationFn: (v: CreateValues) =>
      api.post<{ id: string; key: string; prefix: string }>('/api/api-keys', {
        name: v.name.trim(),
        userId: v.userId,
        scopes: v.scopes ?? [],
        ...(typeof v.expiresInDays === 'number' ? { expiresInDays: v.expiresInDays } : {}),
      }),
    onSuccess: (r, v) => {
      void qc.invalidateQueries({ queryKey: ['api-keys'] });
      onClose();
      onCreated(r.key, v.name);
    },
    onError: notify.fail,
  });
  return (
    <Modal open={open} title={t('console.apiKeys.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending} destroyOnHidden width={720}>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ userId: me.user.id, scopes: [], expiresInDays: 90 }} onFinish={(v) => create.mutate(v)}>
        <Form.Item name="name" label={t('console.apiKeys.name')} rules={[{ required: true }, { max: 100 }]}>
          <Input placeholder="e.g. 12345 热线工单同步" autoComplete="off" />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="userId" label={t('console.apiKeys.user')} rules={[{ required: true }]}>
            {can('user.read') ? (
              <UserSelect style={{ width: 300 }} initial={{ id: me.user.id, label: `${me.user.displayName} (${me.user.username})` }} allowClear={false} />
            ) : (
              <Select style={{ width: 300 }} options={[{ value: me.user.id, label: `${me.user.displayName} (${me.user.username})` }]} />
            )}
          </Form.Item>
          <Form.Item name="expiresInDays" label={t('console.apiKeys.expires')}>
            <Select
              style={{ width: 180 }}
              options={[
                ...[30, 90, 180, 365].map((d) => ({ value: d, label: t('console.apiKeys.days', { count: d }) })),
                { value: 'never', label: t('console.apiKeys.noExpiry') },
              ]}
            />
          </Form.Item>
        </Space>
        <Form.Item name="scopes" label={t('console.apiKeys.scopes')} extra={t('console.apiKeys.scopesHelp')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <PermissionChecklist perms={perms.data ?? []} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function ApiKeys() {
  const { t } = useTranslation();
  const locale = useLocale();
  const perms = usePermissions();
  const notify = useNotify();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ key: string; name: string } | null>(null);

  const list = useQuery({
    queryKey: ['api-keys', { page, pageSize }],
    queryFn: () => api.get<Page<ApiKey>>('/api/api-keys', { limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.del(`/api/api-keys/${id}`),
    onSuccess: () => {
      notify.ok(t('console.apiKeys.revoked'));
      void qc.invalidateQueries({ queryKey: ['api-keys'] });
    },
    onError: notify.fail,
  });
  const permName = (code: string) => permLabel(perms.data?.find((p) => p.code === code), locale) || code;

  return (
    <div className="page">
      <Card variant="borderless">
        <div className="toolbar">
          <Typography.Text type="secondary">{t('console.apiKeys.usage')}</Typography.Text>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('console.apiKeys.create')}
          </Button>
        </div>
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
        <Table<ApiKey>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1250 }}
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
            { title: t('console.apiKeys.name'), dataIndex: 'name', width: 200 },
            { title: t('console.apiKeys.prefix'), dataIndex: 'prefix', width: 150, render: (p: string) => <code>{p}…</code> },
            { title: t('console.apiKeys.user'), dataIndex: 'username', width: 140, render: (v: string | null, k) => v ?? k.userId },
            {
              title: t('console.apiKeys.scopes'),
              dataIndex: 'scopes',
              render: (ss: string[]) => (
                <Space size={[0, 4]} wrap>
                  {ss.map((s) => (
                    <Tag key={s}>{permName(s)}</Tag>
                  ))}
                </Space>
              ),
            },
            { title: t('console.c.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v, locale, false) },
            {
              title: t('console.apiKeys.expiresAt'),
              dataIndex: 'expiresAt',
              width: 150,
              render: (v: string | null) => (v ? formatDateTime(v, locale, false) : t('console.apiKeys.noExpiry')),
            },
            { title: t('console.apiKeys.lastUsed'), dataIndex: 'lastUsedAt', width: 150, render: (v: string | null) => (v ? formatDateTime(v, locale, false) : t('console.c.never')) },
            {
              title: t('console.c.status'),
              key: 'state',
              width: 90,
              render: (_, k) => {
                const s = keyState(k);
                return <Tag color={s === 'active' ? 'success' : s === 'expired' ? 'warning' : 'default'}>{t(`console.apiKeys.${s}`)}</Tag>;
              },
            },
            {
              title: t('console.c.actions'),
              key: 'actions',
              width: 90,
              fixed: 'right',
              render: (_, k) =>
                keyState(k) === 'revoked' ? null : (
                  <Popconfirm title={t('console.apiKeys.revokeConfirm')} onConfirm={() => revoke.mutate(k.id)} okButtonProps={{ danger: true }}>
                    <Button size="small" type="link" danger>
                      {t('console.apiKeys.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Card>
      <CreateKeyModal open={creating} onClose={() => setCreating(false)} onCreated={(key, name) => setShown({ key, name })} />
      <ShowOnceModal
        open={!!shown}
        title={`${t('console.apiKeys.createdTitle')}${shown ? ` · ${shown.name}` : ''}`}
        fields={shown ? [{ label: t('console.apiKeys.keyLabel'), value: shown.key, secret: true }] : []}
        note={t('console.apiKeys.usage')}
        onClose={() => setShown(null)}
      />
    </div>
  );
}
