import { useState } from 'react';
import { Card, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { formatDateTime } from '../../shared/format';
import type { ApiKey } from '../../shared/types';
import { ConfirmRowButton, DataTable, Toolbar, actionsColumn, usePagedList } from '../components/DataTable';
import { ShowOnceModal } from '../components/ShowOnceModal';
import { UserSelect } from '../components/UserSelect';
import { FormModal } from '../components/FormModal';
import { permLabel, useCan, useCurrentMe, useLocale, usePermissions, useSave } from '../hooks';
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
  const [form] = Form.useForm<CreateValues>();
  const create = useSave(
    (v: CreateValues) =>
      api.post<ResponseOf<'/api/api-keys', 'post'>>('/api/api-keys', {
        name: v.name.trim(),
        userId: v.userId,
        scopes: v.scopes ?? [],
        ...(typeof v.expiresInDays === 'number' ? { expiresInDays: v.expiresInDays } : {}),
      }),
    {
      refresh: 'api-keys',
      then: (r, v) => {
        onClose();
        onCreated(r.key, v.name);
      },
    },
  );
  return (
    <FormModal<CreateValues>
      open={open}
      title={t('console.apiKeys.create')}
      form={form}
      onClose={onClose}
      save={create}
      width={720}
      initialValues={{ userId: me.user.id, scopes: [], expiresInDays: 90 }}
    >
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
    </FormModal>
  );
}

export default function ApiKeys() {
  const { t } = useTranslation();
  const locale = useLocale();
  const perms = usePermissions();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ key: string; name: string } | null>(null);
  const list = usePagedList<ApiKey>(['api-keys'], '/api/api-keys', {});
  const revoke = useSave((id: string) => api.del(`/api/api-keys/${id}`), { refresh: 'api-keys', ok: () => t('console.apiKeys.revoked') });
  const permName = (code: string) => permLabel(perms.data?.find((p) => p.code === code), locale) || code;

  return (
    <div className="page">
      <Card variant="borderless">
        <Toolbar create={{ label: t('console.apiKeys.create'), onClick: () => setCreating(true) }}>
          <Typography.Text type="secondary">{t('console.apiKeys.usage')}</Typography.Text>
        </Toolbar>
        <DataTable<ApiKey>
          {...list}
          rowKey="id"
          scroll={{ x: 1250 }}
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
            ...actionsColumn<ApiKey>(t, (k) =>
              keyState(k) === 'revoked' ? null : (
                <ConfirmRowButton title={t('console.apiKeys.revokeConfirm')} onConfirm={() => revoke.mutate(k.id)}>
                  {t('console.apiKeys.revoke')}
                </ConfirmRowButton>
              ),
            ),
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
