import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Divider, Drawer, Form, Input, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { LockOutlined, PlusOutlined, SafetyOutlined, UnlockOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import type { Page, PublicUser, Role, UserKind, UserRow } from '../../shared/types';
import { QueryError } from '../components/QueryError';
import { OrgSelect } from '../components/OrgSelect';
import { roleLabel, useCan, useLocale, useNotify, useRoles } from '../hooks';

const KINDS: UserKind[] = ['staff', 'citizen', 'enterprise'];
const KIND_COLOURS: Record<UserKind, string> = { staff: 'blue', citizen: 'green', enterprise: 'gold' };

interface CreateValues {
  username: string;
  displayName: string;
  kind: UserKind;
  orgId?: string;
  roles?: string[];
  idNumber?: string;
  phone?: string;
  password: string;
}

function roleOptions(roles: Role[] | undefined, locale: 'zh-CN' | 'en', kind?: UserKind) {
  return (roles ?? [])
    .filter((r) => !kind || kind === 'staff' || r.scope === 'self')
    .map((r) => ({ value: r.code, label: `${roleLabel(r, locale)} (${r.code})` }));
}

function CreateUserModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const roles = useRoles(can('role.read'));
  const [form] = Form.useForm<CreateValues>();
  const kind = Form.useWatch('kind', form);
  const notify = useNotify();
  const qc = useQueryClient();
  const create = useMutation({
    mutationFn: (v: CreateValues) =>
      api.post<PublicUser>('/api/users', {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        kind: v.kind,
        password: v.password,
        orgId: v.kind === 'citizen' ? undefined : v.orgId,
        idNumber: v.idNumber?.trim() || undefined,
        phone: v.phone?.trim() || undefined,
        roles: v.roles ?? [],
      }),
    onSuccess: (u) => {
      notify.ok(`${t('console.c.created')}: ${u.displayName} (${u.username})`);
      void qc.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
    onError: notify.fail,
  });
  return (
    <Modal
      open={open}
      title={t('console.users.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={600}
      okButtonProps={{ 'data-testid': 'create-user-ok' } as Record<string, string>}
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ kind: 'staff', roles: [] }} onFinish={(v) => create.mutate(v)}>
        <Form.Item name="kind" label={t('console.users.kind')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} onChange={() => form.setFieldValue('roles', [])} />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="username" label={t('console.users.username')} rules={[{ required: true }, { pattern: /^[a-z0-9_.-]{3,64}$/i, message: 'a-z 0-9 _ . - (3–64)' }]} style={{ width: '50%', marginRight: 12 }}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t('console.users.displayName')} rules={[{ required: true }, { max: 100 }]} style={{ width: '50%' }}>
            <Input autoComplete="off" />
          </Form.Item>
        </Space.Compact>
        {kind !== 'citizen' && (
          <Form.Item name="orgId" label={t('console.users.org')} rules={[{ required: true }]}>
            <OrgSelect kinds={kind === 'enterprise' ? ['enterprise'] : ['city', 'district', 'department', 'subunit']} placeholder={t('console.users.orgChoose')} />
          </Form.Item>
        )}
        {can('role.read') && (
          <Form.Item name="roles" label={t('console.users.roles')}>
            <Select mode="multiple" options={roleOptions(roles.data, locale, kind)} loading={roles.isPending} data-testid="create-user-roles" />
          </Form.Item>
        )}
        {kind === 'citizen' && (
          <Form.Item name="idNumber" label={t('console.users.idNumber')} extra={t('console.users.idNumberHelp')} rules={[{ required: true }, { pattern: /^\d{17}[\dXx]$/, message: '18' }]}>
            <Input maxLength={18} autoComplete="off" style={{ fontFamily: 'monospace' }} />
          </Form.Item>
        )}
        <Form.Item name="phone" label={t('console.users.phone')} rules={[{ pattern: /^1\d{10}$/, message: '1xxxxxxxxxx' }]}>
          <Input maxLength={11} autoComplete="off" />
        </Form.Item>
        <Form.Item name="password" label={t('console.users.password')} extra={t('console.users.passwordHelp')} rules={[{ required: true }, { min: 10 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EditUserDrawer({ user, onClose }: { user: UserRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const roles = useRoles(can('role.read'));
  const notify = useNotify();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ displayName: string; orgId?: string }>();
  const [roleCodes, setRoleCodes] = useState<string[] | null>(null);
  const [current, setCurrent] = useState<PublicUser | null>(null);
  const u = current && user && current.id === user.id ? { ...user, ...current } : user;

  const done = (updated: PublicUser, text: string) => {
    setCurrent(updated);
    notify.ok(text);
    void qc.invalidateQueries({ queryKey: ['users'] });
  };
  const patch = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.patch<PublicUser>(`/api/users/${user!.id}`, body),
    onError: notify.fail,
  });
  const putRoles = useMutation({
    mutationFn: (codes: string[]) => api.put<PublicUser>(`/api/users/${user!.id}/roles`, { roles: codes }),
    onSuccess: (p) => done(p, t('console.users.rolesSaved')),
    onError: notify.fail,
  });

  const close = () => {
    setRoleCodes(null);
    setCurrent(null);
    onClose();
  };

  return (
    <Drawer open={!!user} onClose={close} title={u ? `${t('console.users.edit')} · ${u.displayName}` : ''} size={520} destroyOnHidden>
      {u && (
        <>
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'username', label: t('console.users.username'), children: <code>{u.username}</code> },
              { key: 'kind', label: t('console.users.kind'), children: <Tag color={KIND_COLOURS[u.kind]}>{t(`kind.${u.kind}`)}</Tag> },
              ...(u.idNumberMasked ? [{ key: 'id', label: t('console.users.idNumber'), children: <code>{u.idNumberMasked}</code> }] : []),
              ...(u.phoneMasked ? [{ key: 'phone', label: t('console.users.phone'), children: <code>{u.phoneMasked}</code> }] : []),
              { key: 'totp', label: t('console.users.totp'), children: u.totpEnabled ? t('console.c.yes') : t('console.c.no') },
              { key: 'last', label: t('console.users.lastLogin'), children: u.lastLoginAt ? formatDateTime(u.lastLoginAt, locale) : t('console.c.never') },
              { key: 'created', label: t('console.c.createdAt'), children: formatDateTime(u.createdAt, locale) },
            ]}
          />
          <Divider titlePlacement="start">{t('console.users.profile')}</Divider>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ displayName: u.displayName, orgId: u.orgId ?? undefined }}
            onFinish={(v) =>
              patch.mutate(
                { displayName: v.displayName.trim(), ...(u.kind !== 'citizen' && v.orgId && v.orgId !== u.orgId ? { orgId: v.orgId } : {}) },
                { onSuccess: (p) => done(p, t('console.c.saved')) },
              )
            }
          >
            <Form.Item name="displayName" label={t('console.users.displayName')} rules={[{ required: true }, { max: 100 }]}>
              <Input />
            </Form.Item>
            {u.kind !== 'citizen' && (
              <Form.Item name="orgId" label={t('console.users.org')}>
                <OrgSelect allowClear={false} kinds={u.kind === 'enterprise' ? ['enterprise'] : ['city', 'district', 'department', 'subunit']} />
              </Form.Item>
            )}
            <Button htmlType="submit" type="primary" loading={patch.isPending}>
              {t('console.users.saveProfile')}
            </Button>
          </Form>

          <Divider titlePlacement="start">{t('console.users.accountState')}</Divider>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Space>
              <Typography.Text>{t('console.users.enabled')}</Typography.Text>
              <Popconfirm
                title={t('console.users.disableConfirm')}
                disabled={u.status !== 'active'}
                onConfirm={() => patch.mutate({ status: 'disabled' }, { onSuccess: (p) => done(p, t('console.c.saved')) })}
              >
                <Switch
                  checked={u.status === 'active'}
                  loading={patch.isPending}
                  onChange={(on) => {
                    if (on) patch.mutate({ status: 'active' }, { onSuccess: (p) => done(p, t('console.c.saved')) });
                  }}
                  data-testid="user-status-switch"
                />
              </Popconfirm>
            </Space>
            {u.locked ? (
              <Alert
                type="warning"
                showIcon
                icon={<LockOutlined />}
                title={t('console.users.locked')}
                action={
                  <Button size="small" icon={<UnlockOutlined />} onClick={() => patch.mutate({ unlock: true }, { onSuccess: (p) => done(p, t('console.users.unlocked')) })}>
                    {t('console.users.unlock')}
                  </Button>
                }
              />
            ) : null}
          </Space>

          {can('role.read') && (
            <>
              <Divider titlePlacement="start">{t('console.users.roles')}</Divider>
              <Space.Compact block>
                <Select
                  mode="multiple"
                  style={{ width: '100%' }}
                  value={roleCodes ?? u.roles}
                  onChange={setRoleCodes}
                  options={roleOptions(roles.data, locale, u.kind)}
                  loading={roles.isPending}
                />
                <Button type="primary" loading={putRoles.isPending} disabled={roleCodes === null} onClick={() => roleCodes && putRoles.mutate(roleCodes)}>
                  {t('console.users.saveRoles')}
                </Button>
              </Space.Compact>
            </>
          )}
        </>
      )}
    </Drawer>
  );
}

export default function Users() {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const roles = useRoles(can('role.read'));
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<UserKind | undefined>();
  const [orgId, setOrgId] = useState<string | undefined>();
  const [role, setRole] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserRow | null>(null);

  const list = useQuery({
    queryKey: ['users', 'list', { q, kind, orgId, role, page, pageSize }],
    queryFn: () => api.get<Page<UserRow>>('/api/users', { q, kind, orgId, role, limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
  });
  const reset = () => setPage(1);
  const roleName = (code: string) => roleLabel(roles.data?.find((r) => r.code === code), locale, code);

  return (
    <div className="page">
      <Card variant="borderless">
        <div className="toolbar">
          <Space wrap>
            <Input.Search
              allowClear
              placeholder={t('console.users.searchPlaceholder')}
              onSearch={(v) => {
                setQ(v.trim());
                reset();
              }}
              style={{ width: 220 }}
              data-testid="user-search"
            />
            <Select
              allowClear
              placeholder={t('console.users.kindPlaceholder')}
              value={kind}
              onChange={(v) => {
                setKind(v);
                reset();
              }}
              style={{ width: 140 }}
              options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
            />
            <OrgSelect
              placeholder={t('console.users.orgPlaceholder')}
              value={orgId}
              onChange={(v) => {
                setOrgId(v);
                reset();
              }}
              style={{ width: 220 }}
            />
            {can('role.read') && (
              <Select
                allowClear
                placeholder={t('console.users.rolePlaceholder')}
                value={role}
                onChange={(v) => {
                  setRole(v);
                  reset();
                }}
                style={{ width: 180 }}
                options={roleOptions(roles.data, locale)}
                popupMatchSelectWidth={false}
              />
            )}
          </Space>
          {can('user.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-user">
              {t('console.users.create')}
            </Button>
          )}
        </div>
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
        <Table<UserRow>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          data-testid="users-table"
          scroll={{ x: 1000 }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (n) => t('console.c.total', { count: n }),
            onChange: (p, s) => {
              setPage(p);
              setPageSize(s);
            },
          }}
          columns={[
            {
              title: t('console.users.displayName'),
              key: 'name',
              render: (_, u) => (
                <div className="cell-stack">
                  <span>
                    {u.displayName}
                    {u.totpEnabled && (
                      <Tooltip title={t('console.users.totp')}>
                        <SafetyOutlined className="totp-icon" />
                      </Tooltip>
                    )}
                  </span>
                  <Typography.Text type="secondary">@{u.username}</Typography.Text>
                </div>
              ),
            },
            { title: t('console.users.kind'), dataIndex: 'kind', width: 100, render: (k: UserKind) => <Tag color={KIND_COLOURS[k]}>{t(`kind.${k}`)}</Tag> },
            { title: t('console.users.org'), dataIndex: 'orgName', render: (v: string | null) => v ?? '—' },
            {
              title: t('console.users.roles'),
              dataIndex: 'roles',
              render: (rs: string[]) => (
                <Space size={[0, 4]} wrap>
                  {rs.map((r) => (
                    <Tag key={r}>{roleName(r)}</Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: t('console.users.status'),
              key: 'status',
              width: 130,
              render: (_, u) => (
                <Space size={4}>
                  {u.status === 'active' ? <Tag color="success">{t('status.active')}</Tag> : <Tag>{t('status.disabled')}</Tag>}
                  {u.locked && <Tag color="warning">{t('status.locked')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('console.users.lastLogin'),
              dataIndex: 'lastLoginAt',
              width: 160,
              render: (v: string | null) => (v ? formatDateTime(v, locale, false) : <Typography.Text type="secondary">{t('console.c.never')}</Typography.Text>),
            },
            ...(can('user.write')
              ? [
                  {
                    title: t('console.c.actions'),
                    key: 'actions',
                    width: 90,
                    fixed: 'right' as const,
                    render: (_: unknown, u: UserRow) => (
                      <Button size="small" type="link" onClick={() => setEditing(u)}>
                        {t('action.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <CreateUserModal open={creating} onClose={() => setCreating(false)} />
      <EditUserDrawer user={editing} onClose={() => setEditing(null)} />
    </div>
  );
}
