import { useMemo, useState } from 'react';
import { Card, Checkbox, Col, Form, Input, Row, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { Permission, Role, RoleScope } from '../../shared/types';
import { DataTable, RowButton, Toolbar, actionsColumn } from '../components/DataTable';
import { FormModal } from '../components/FormModal';
import { permLabel, roleLabel, useCan, useLocale, usePermissions, useRoles, useSave } from '../hooks';

const SCOPES: RoleScope[] = ['city', 'district', 'department', 'self'];
const SCOPE_COLOURS: Record<RoleScope, string> = { city: 'red', district: 'geekblue', department: 'blue', self: 'default' };

interface RoleValues {
  code: string;
  nameZh: string;
  nameEn: string;
  scope: RoleScope;
  permissions: string[];
}

/** Permission checkboxes grouped by their prefix (org., user., …). */
export function PermissionChecklist({ value, onChange, perms }: { value?: string[]; onChange?: (v: string[]) => void; perms: Permission[] }) {
  const locale = useLocale();
  const groups = useMemo(() => {
    const m = new Map<string, Permission[]>();
    for (const p of perms) {
      const g = p.code.split('.')[0];
      m.set(g, [...(m.get(g) ?? []), p]);
    }
    return [...m.entries()];
  }, [perms]);
  return (
    <Checkbox.Group value={value} onChange={(v) => onChange?.(v as string[])} className="perm-checklist">
      <div className="perm-groups">
        {groups.map(([g, list]) => (
          <div key={g} className="perm-group">
            <Typography.Text type="secondary" className="perm-group-title">
              {g}
            </Typography.Text>
            <Row gutter={[8, 6]}>
              {list.map((p) => (
                <Col span={12} key={p.code}>
                  <Checkbox value={p.code}>
                    {permLabel(p, locale)} <code className="perm-code">{p.code}</code>
                  </Checkbox>
                </Col>
              ))}
            </Row>
          </div>
        ))}
      </div>
    </Checkbox.Group>
  );
}

function RoleModal({ open, role, onClose }: { open: boolean; role: Role | null; onClose: () => void }) {
  const { t } = useTranslation();
  const perms = usePermissions();
  const [form] = Form.useForm<RoleValues>();
  const save = useSave(
    (v: RoleValues) =>
      role ? api.patch<Role>(`/api/roles/${encodeURIComponent(role.code)}`, { nameZh: v.nameZh, nameEn: v.nameEn, permissions: v.permissions }) : api.post<Role>('/api/roles', v),
    { refresh: 'roles', ok: () => (role ? t('console.c.saved') : t('console.c.created')), then: onClose },
  );
  return (
    <FormModal<RoleValues>
      open={open}
      title={role ? t('console.roles.edit') : t('console.roles.create')}
      form={form}
      onClose={onClose}
      save={save}
      width={760}
      initialValues={role ?? { scope: 'department', permissions: [] }}
    >
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="code" label={t('console.c.code')} extra={role ? undefined : t('console.roles.codeHelp')} rules={[{ required: true }, { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('console.roles.codeHelp') }]}>
            <Input disabled={!!role} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="nameZh" label={t('console.c.nameZh')} rules={[{ required: true }, { max: 100 }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="nameEn" label={t('console.c.nameEn')} rules={[{ required: true }, { max: 100 }]}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="scope" label={t('console.roles.scope')} extra={t('console.roles.scopeHelp')} rules={[{ required: true }]}>
        <Select disabled={!!role} options={SCOPES.map((s) => ({ value: s, label: t(`console.roles.scopes.${s}`) }))} style={{ width: 240 }} />
      </Form.Item>
      <Form.Item name="permissions" label={t('console.roles.permissions')}>
        <PermissionChecklist perms={perms.data ?? []} />
      </Form.Item>
    </FormModal>
  );
}

export default function Roles() {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const roles = useRoles();
  const perms = usePermissions();
  const [modal, setModal] = useState<{ open: boolean; role: Role | null }>({ open: false, role: null });
  const permName = (code: string) => permLabel(perms.data?.find((p) => p.code === code), locale) || code;

  return (
    <div className="page">
      <Card variant="borderless">
        <Toolbar create={can('role.write') && { label: t('console.roles.create'), onClick: () => setModal({ open: true, role: null }), testId: 'create-role' }}>
          <Typography.Text type="secondary">{t('console.c.total', { count: roles.data?.length ?? 0 })}</Typography.Text>
        </Toolbar>
        <DataTable<Role>
          query={roles}
          rows={roles.data}
          rowKey="code"
          pagination={false}
          data-testid="roles-table"
          expandable={{
            expandedRowRender: (r) => (
              <Space size={[4, 6]} wrap>
                {r.permissions.map((p) => (
                  <Tag key={p} color="blue" variant="outlined">
                    {permName(p)} <code className="perm-code">{p}</code>
                  </Tag>
                ))}
              </Space>
            ),
          }}
          columns={[
            {
              title: t('console.c.name'),
              key: 'name',
              render: (_, r) => (
                <div className="cell-stack">
                  <span>{roleLabel(r, locale)}</span>
                  <code className="muted-code">{r.code}</code>
                </div>
              ),
            },
            { title: t('console.roles.scope'), dataIndex: 'scope', width: 140, render: (s: RoleScope) => <Tag color={SCOPE_COLOURS[s]}>{t(`console.roles.scopes.${s}`)}</Tag> },
            {
              title: t('console.roles.permissions'),
              dataIndex: 'permissions',
              render: (ps: string[]) => (
                <Space size={[4, 4]} wrap>
                  {ps.slice(0, 4).map((p) => (
                    <Tag key={p}>{permName(p)}</Tag>
                  ))}
                  {ps.length > 4 && <Typography.Text type="secondary">+{ps.length - 4}</Typography.Text>}
                  {ps.length === 0 && <Typography.Text type="secondary">{t('console.c.none')}</Typography.Text>}
                </Space>
              ),
            },
            {
              title: '',
              dataIndex: 'builtin',
              width: 100,
              render: (b: boolean) => (b ? <Tag>{t('console.roles.builtin')}</Tag> : <Tag color="purple">{t('console.roles.custom')}</Tag>),
            },
            // Officers may read the roles but not change them (role.write): no edit column for them.
            ...actionsColumn<Role>(t, (r) => (r.builtin ? null : <RowButton onClick={() => setModal({ open: true, role: r })}>{t('action.edit')}</RowButton>), {
              show: can('role.write'),
            }),
          ]}
        />
      </Card>
      <RoleModal open={modal.open} role={modal.role} onClose={() => setModal({ open: false, role: null })} />
    </div>
  );
}
