import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Divider, Drawer, Form, Input, Popconfirm, Radio, Select, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import { LockOutlined, SafetyOutlined, UnlockOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { USERNAME_RE } from '../../shared/validation';
import type { PublicUser, Role, UserKind, UserRow } from '../../shared/types';
import { DataTable, FilterSelect, RowButton, Toolbar, actionsColumn, usePagedList } from '../components/DataTable';
import { OrgSelect } from '../components/OrgSelect';
import { FormModal } from '../components/FormModal';
import { orgLabel, roleLabel, useCan, useLocale, useNotify, useRoles, useSave } from '../hooks';

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
  const create = useSave(
    (v: CreateValues) =>
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
    { refresh: 'users', ok: (u) => `${t('console.c.created')}: ${u.displayName} (${u.username})`, then: onClose },
  );
  return (
    <FormModal<CreateValues>
      open={open}
      title={t('console.users.create')}
      form={form}
      onClose={onClose}
      save={create}
      width={600}
      okTestId="create-user-ok"
      initialValues={{ kind: 'staff', roles: [] }}
    >
      <Form.Item name="kind" label={t('console.users.kind')} rules={[{ required: true }]}>
        <Radio.Group optionType="button" options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} onChange={() => form.setFieldValue('roles', [])} />
      </Form.Item>
      <Space.Compact block>
        <Form.Item name="username" label={t('console.users.username')} rules={[{ required: true }, { pattern: USERNAME_RE, message: 'a-z 0-9 _ . @ - (3–64)' }]} style={{ width: '50%', marginRight: 12 }}>
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
    </FormModal>
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
              { key: 'kind', label: t('console.users.kind'), children: <Tag color={KIND_COLOURS[u.kind as UserKind]}>{t(`kind.${u.kind}`)}</Tag> },
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
                  options={roleOptions(roles.data, locale, u.kind as UserKind)}
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
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserRow | null>(null);
  const list = usePagedList<UserRow>(['users', 'list'], '/api/users', { q, kind, orgId, role }, { sizeChanger: true });
  const roleName = (code: string) => roleLabel(roles.data?.find((r) => r.code === code), locale, code);

  return (
    <div className="page">
      <Card variant="borderless">
        <Toolbar create={can('user.write') && { label: t('console.users.create'), onClick: () => setCreating(true), testId: 'create-user' }}>
          <Input.Search allowClear placeholder={t('console.users.searchPlaceholder')} onSearch={(v) => setQ(v.trim())} style={{ width: 220 }} data-testid="user-search" />
          <FilterSelect placeholder={t('console.users.kindPlaceholder')} value={kind} onChange={setKind} width={140} options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
          <OrgSelect placeholder={t('console.users.orgPlaceholder')} value={orgId} onChange={setOrgId} style={{ width: 220 }} />
          {can('role.read') && <FilterSelect placeholder={t('console.users.rolePlaceholder')} value={role} onChange={setRole} width={180} options={roleOptions(roles.data, locale)} />}
        </Toolbar>
        <DataTable<UserRow>
          {...list}
          rowKey="id"
          data-testid="users-table"
          scroll={{ x: 1000 }}
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
            {
              title: t('console.users.org'),
              key: 'org',
              render: (_, u) => (u.orgName ? orgLabel({ name: u.orgName, nameEn: u.orgNameEn }, locale) : '—'),
            },
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
            ...actionsColumn<UserRow>(t, (u) => <RowButton onClick={() => setEditing(u)}>{t('action.edit')}</RowButton>, { show: can('user.write') }),
          ]}
        />
      </Card>
      <CreateUserModal open={creating} onClose={() => setCreating(false)} />
      <EditUserDrawer user={editing} onClose={() => setEditing(null)} />
    </div>
  );
}
