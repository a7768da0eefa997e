// The exchange directory: members (departments, districts, external upstream providers) with their
// X-Road ids and subsystems. The bureau registers external members; the bureau or the member's own
// department registers subsystems; the bureau issues (shown once) and revokes subsystems' gateway keys.
import { useState } from 'react';
import { Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ItemOf, ResponseOf } from '../../shared/api-types';
import { formatDateTime } from '../../shared/format';
import { ConfirmRowButton, DataTable, FilterSelect, usePagedList } from '../components/DataTable';
import { FormModal } from '../components/FormModal';
import { ShowOnceModal } from '../components/ShowOnceModal';
import { useCan, useLocale, useSave } from '../hooks';
import { LEVELS, type Member, type MemberDetail, type Subsystem } from '../share/catalogue-types';

const c = 'console.share.cat';

type GatewayKey = ItemOf<'/api/share/subsystems/{id}/keys'>;

function SubsystemKeys({ sub }: { sub: Subsystem }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [issued, setIssued] = useState<{ key: string; subsystemXroadId: string } | null>(null);
  const keys = useQuery({ queryKey: ['share-keys', sub.id], queryFn: () => api.get<ResponseOf<'/api/share/subsystems/{id}/keys'>>(`/api/share/subsystems/${sub.id}/keys`) });
  const issue = useSave(() => api.post<ResponseOf<'/api/share/subsystems/{id}/keys', 'post'>>(`/api/share/subsystems/${sub.id}/keys`), {
    refresh: 'share-keys',
    ok: (r) => t(`${c}.dir.issued`, { id: r.subsystemXroadId }),
    then: (r) => setIssued(r),
  });
  const revoke = useSave((id: string) => api.post(`/api/share/keys/${id}/revoke`), { refresh: 'share-keys', ok: () => t(`${c}.dir.revoked`) });
  return (
    <div className="subsystem-keys">
      <Space style={{ marginBottom: 6 }}>
        <Typography.Text strong>{t(`${c}.dir.keys`)}</Typography.Text>
        <Button size="small" icon={<KeyOutlined />} onClick={() => issue.mutate(undefined)} loading={issue.isPending} data-testid="issue-key">
          {t(`${c}.dir.issueKey`)}
        </Button>
      </Space>
      <Table<GatewayKey>
        size="small"
        rowKey="id"
        pagination={false}
        loading={keys.isFetching}
        dataSource={keys.data?.items ?? []}
        columns={[
          { title: t(`${c}.dir.prefix`), dataIndex: 'prefix', render: (v: string) => <code>{v}…</code> },
          { title: t('console.c.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v, locale) },
          { title: t('console.c.status'), key: 'state', render: (_, k) => (k.revokedAt ? <Tag>{t(`${c}.dir.revoked`)}</Tag> : <Tag color="green">{t(`${c}.dir.active`)}</Tag>) },
          {
            title: t('console.c.actions'),
            key: 'a',
            width: 90,
            render: (_, k) =>
              !k.revokedAt && (
                <ConfirmRowButton title={t(`${c}.dir.revokeConfirm`)} onConfirm={() => revoke.mutate(k.id)}>
                  {t(`${c}.dir.revokeKey`)}
                </ConfirmRowButton>
              ),
          },
        ]}
      />
      <ShowOnceModal
        open={!!issued}
        title={t(`${c}.dir.keyTitle`)}
        onClose={() => setIssued(null)}
        note={t(`${c}.dir.keyNote`)}
        fields={issued ? [{ label: t(`${c}.dir.subsystemId`), value: issued.subsystemXroadId }, { label: t(`${c}.dir.keyValue`), value: issued.key, secret: true }] : []}
      />
    </div>
  );
}

function MemberSubsystems({ member }: { member: Member }) {
  const { t } = useTranslation();
  const can = useCan();
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<{ code: string; name: string; description?: string }>();
  const detail = useQuery({ queryKey: ['share-members', 'one', member.id], queryFn: () => api.get<MemberDetail>(`/api/share/members/${member.id}`) });
  const add = useSave((v: { code: string; name: string; description?: string }) => api.post<Subsystem>('/api/share/subsystems', { ...v, memberId: member.id }), {
    refresh: 'share-members',
    ok: (s) => t(`${c}.dir.subsystemCreated`, { id: s.xroadId }),
    then: () => setAdding(false),
  });
  const bureau = can('share.grant.manage');
  return (
    <div className="member-subsystems" data-testid="member-subsystems">
      <Table<Subsystem>
        size="small"
        rowKey="id"
        pagination={false}
        loading={detail.isFetching}
        dataSource={detail.data?.subsystems ?? []}
        locale={{ emptyText: t(`${c}.dir.noSubsystems`) }}
        expandable={bureau ? { expandedRowRender: (s) => <SubsystemKeys sub={s} /> } : undefined}
        columns={[
          { title: t(`${c}.dir.subsystemId`), dataIndex: 'xroadId', render: (v: string) => <Typography.Text code copyable>{v}</Typography.Text> },
          { title: t('console.c.name'), dataIndex: 'name' },
          { title: t(`${c}.dir.description`), dataIndex: 'description', render: (v: string | null) => v ?? '—' },
        ]}
      />
      {detail.data?.canManage && (
        <Button size="small" type="dashed" icon={<PlusOutlined />} style={{ marginTop: 8 }} onClick={() => setAdding(true)} data-testid="add-subsystem">
          {t(`${c}.dir.addSubsystem`)}
        </Button>
      )}
      <FormModal open={adding} title={t(`${c}.dir.addSubsystemTitle`, { member: member.name })} form={form} onClose={() => setAdding(false)} save={add}>
        <Form.Item name="code" label={t(`${c}.dir.subsystemCode`)} extra={t(`${c}.dir.subsystemCodeHelp`)} rules={[{ required: true }, { pattern: /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, message: t(`${c}.dir.subsystemCodeHelp`) }, { max: 50 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label={t('console.c.name')} rules={[{ required: true }, { max: 200 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="description" label={t(`${c}.dir.description`)} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </FormModal>
    </div>
  );
}

interface NewMember {
  instance: string;
  class: 'GOV' | 'COM';
  code: string;
  name: string;
  nameEn?: string;
  level: string;
  contact?: string;
}

export default function ShareDirectory() {
  const { t } = useTranslation();
  const can = useCan();
  const [q, setQ] = useState('');
  const [level, setLevel] = useState<string | undefined>();
  const [external, setExternal] = useState<'true' | 'false' | undefined>();
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<NewMember>();
  const list = usePagedList<Member>(['share-members', 'list'], '/api/share/members', { q: q || undefined, level, external }, { sizeChanger: true });
  const add = useSave((v: NewMember) => api.post<Member>('/api/share/members', v), {
    refresh: 'share-members',
    ok: (m) => t(`${c}.dir.memberCreated`, { id: m.xroadId }),
    then: () => setAdding(false),
  });
  return (
    <div className="page">
      <Card variant="borderless" className="section-card">
        <div className="toolbar">
          <Space wrap>
            <Input.Search allowClear placeholder={t(`${c}.dir.search`)} onSearch={(v) => setQ(v.trim())} style={{ width: 260 }} data-testid="member-search" />
            <FilterSelect placeholder={t(`${c}.dir.level`)} value={level} onChange={setLevel} width={130} options={LEVELS.map((l) => ({ value: l, label: t(`${c}.level.${l}`) }))} testId="filter-level" />
            <Select<'true' | 'false'>
              allowClear
              placeholder={t(`${c}.dir.external`)}
              value={external}
              onChange={(v) => setExternal(v ?? undefined)}
              style={{ width: 150 }}
              options={[
                { value: 'false', label: t(`${c}.dir.internal`) },
                { value: 'true', label: t(`${c}.dir.external`) },
              ]}
            />
          </Space>
          {can('share.grant.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="add-member">
              {t(`${c}.dir.addMember`)}
            </Button>
          )}
        </div>
        <DataTable<Member>
          {...list}
          rowKey="id"
          data-testid="members-table"
          expandable={{ expandedRowRender: (m) => <MemberSubsystems member={m} /> }}
          columns={[
            {
              title: t('console.c.name'),
              key: 'name',
              render: (_, m) => (
                <div className="cell-stack">
                  <span>
                    {m.name}
                    {m.external && (
                      <Tag color="purple" className="tiny-tag" style={{ marginLeft: 6 }}>
                        {t(`${c}.dir.external`)}
                      </Tag>
                    )}
                  </span>
                  {m.nameEn && <span className="muted-code">{m.nameEn}</span>}
                </div>
              ),
            },
            { title: t(`${c}.dir.xroadId`), dataIndex: 'xroadId', render: (v: string) => <code>{v}</code> },
            { title: t(`${c}.dir.level`), dataIndex: 'level', width: 110, render: (v: string) => t(`${c}.level.${v}`) },
            { title: t(`${c}.dir.subsystems`), dataIndex: 'subsystems', width: 110, render: (n: number) => t(`${c}.dir.subsystemCount`, { count: n }) },
            { title: t(`${c}.dir.contact`), dataIndex: 'contact', width: 200, render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>
      <FormModal<NewMember> open={adding} title={t(`${c}.dir.addMemberTitle`)} form={form} onClose={() => setAdding(false)} save={add} initialValues={{ instance: 'CN-370000', class: 'GOV', level: 'province' }} okTestId="add-member-ok">
        <Space.Compact block>
          <Form.Item name="instance" label={t(`${c}.dir.instance`)} rules={[{ required: true }, { pattern: /^CN(-\d{6})?$/, message: 'CN / CN-370000' }]} className="grow">
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="class" label={t(`${c}.dir.class`)} rules={[{ required: true }]} className="grow">
            <Select options={[{ value: 'GOV', label: 'GOV' }, { value: 'COM', label: 'COM' }]} />
          </Form.Item>
          <Form.Item name="code" label={t('console.c.code')} rules={[{ required: true }, { pattern: /^[A-Z0-9][A-Z0-9-]{1,19}$/, message: 'A-Z 0-9 -' }]} className="grow">
            <Input autoComplete="off" />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="name" label={t('console.c.nameZh')} rules={[{ required: true }, { max: 200 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('console.c.nameEn')} rules={[{ max: 200 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="level" label={t(`${c}.dir.level`)} rules={[{ required: true }]}>
          <Select options={LEVELS.map((l) => ({ value: l, label: t(`${c}.level.${l}`) }))} />
        </Form.Item>
        <Form.Item name="contact" label={t(`${c}.dir.contact`)} rules={[{ max: 300 }]}>
          <Input autoComplete="off" />
        </Form.Item>
      </FormModal>
    </div>
  );
}
