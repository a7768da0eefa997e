import { useState } from 'react';
import { Breadcrumb, Button, Card, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { ApartmentOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient, keepPreviousData } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import type { Org, OrgKind, Page } from '../../shared/types';
import { QueryError } from '../components/QueryError';
import { OrgSelect } from '../components/OrgSelect';
import { orgLabel, useCan, useLocale, useNotify } from '../hooks';

const KINDS: OrgKind[] = ['city', 'district', 'department', 'subunit', 'enterprise'];
const KIND_COLOURS: Record<OrgKind, string> = { city: 'magenta', district: 'geekblue', department: 'blue', subunit: 'cyan', enterprise: 'gold' };

interface CreateValues {
  code: string;
  kind: OrgKind;
  name: string;
  nameEn?: string;
  parentId?: string;
  divisionCode?: string;
  creditCode?: string;
}

function CreateOrgModal({ open, parent, onClose }: { open: boolean; parent: Org | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateValues>();
  const kind = Form.useWatch('kind', form);
  const notify = useNotify();
  const qc = useQueryClient();
  const create = useMutation({
    mutationFn: (v: CreateValues) =>
      api.post<Org>('/api/orgs', {
        ...v,
        nameEn: v.nameEn || undefined,
        divisionCode: v.divisionCode || undefined,
        creditCode: v.creditCode || undefined,
        parentId: v.parentId ?? null,
      }),
    onSuccess: (o) => {
      notify.ok(`${t('console.c.created')}: ${o.name}`);
      void qc.invalidateQueries({ queryKey: ['orgs'] });
      form.resetFields();
      onClose();
    },
    onError: notify.fail,
  });
  return (
    <Modal
      open={open}
      title={t('console.orgs.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={560}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ kind: parent?.kind === 'department' ? 'subunit' : parent?.kind === 'city' ? 'department' : 'department', parentId: parent?.id }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item name="kind" label={t('console.orgs.kind')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" options={KINDS.filter((k) => k !== 'city').map((k) => ({ value: k, label: t(`orgKind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="parentId" label={t('console.orgs.parent')} rules={[{ required: true, message: t('console.orgs.parentPlaceholder') }]}>
          <OrgSelect placeholder={t('console.orgs.parentPlaceholder')} />
        </Form.Item>
        <Form.Item name="code" label={t('console.c.code')} extra={t('console.orgs.codeHelp')} rules={[{ required: true }, { max: 64 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label={t('console.c.nameZh')} rules={[{ required: true }, { max: 200 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('console.c.nameEn')} rules={[{ max: 200 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        {kind === 'district' && (
          <Form.Item name="divisionCode" label={t('console.orgs.divisionCode')} rules={[{ pattern: /^\d{6}$/, message: '######' }]}>
            <Input maxLength={6} />
          </Form.Item>
        )}
        {kind === 'enterprise' && (
          <Form.Item name="creditCode" label={t('console.orgs.creditCode')} rules={[{ required: true }, { pattern: /^[0-9A-HJ-NPQRTUWXY]{18}$/, message: '18' }]}>
            <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function EditOrgModal({ org, onClose }: { org: Org | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; nameEn?: string; status: string }>();
  const notify = useNotify();
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: (v: { name: string; nameEn?: string; status: string }) =>
      api.patch<Org>(`/api/orgs/${org!.id}`, { name: v.name, nameEn: v.nameEn || null, status: v.status }),
    onSuccess: () => {
      notify.ok(t('console.c.saved'));
      void qc.invalidateQueries({ queryKey: ['orgs'] });
      onClose();
    },
    onError: notify.fail,
  });
  return (
    <Modal open={!!org} title={t('console.orgs.edit')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
      {org && (
        <Form form={form} layout="vertical" preserve={false} initialValues={{ name: org.name, nameEn: org.nameEn ?? '', status: org.status }} onFinish={(v) => save.mutate(v)}>
          <Typography.Paragraph type="secondary">
            {t(`orgKind.${org.kind}`)} · <code>{org.code}</code>
          </Typography.Paragraph>
          <Form.Item name="name" label={t('console.c.nameZh')} rules={[{ required: true }, { max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="nameEn" label={t('console.c.nameEn')} rules={[{ max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="status" label={t('console.c.status')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'active', label: t('console.orgs.statusActive') },
                { value: 'disabled', label: t('console.orgs.statusDisabled') },
              ]}
            />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

export default function Orgs() {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const [kind, setKind] = useState<OrgKind | undefined>();
  const [q, setQ] = useState('');
  const [qInput, setQInput] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [trail, setTrail] = useState<Org[]>([]);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Org | null>(null);
  const parent = trail[trail.length - 1] ?? null;

  const list = useQuery({
    queryKey: ['orgs', 'list', { kind, q, parentId: parent?.id, page, pageSize }],
    queryFn: () => api.get<Page<Org>>('/api/orgs', { kind, q, parentId: parent?.id, limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
  });

  const drill = (o: Org) => {
    setTrail([...trail, o]);
    setPage(1);
    setQ('');
    setQInput('');
    setKind(undefined);
  };

  return (
    <div className="page">
      <Card variant="borderless">
        <div className="toolbar">
          <Space wrap>
            <Input.Search
              allowClear
              value={qInput}
              onChange={(e) => setQInput(e.target.value)}
              placeholder={t('console.c.searchPlaceholder')}
              onSearch={(v) => {
                setQ(v.trim());
                setPage(1);
              }}
              style={{ width: 240 }}
              data-testid="org-search"
            />
            <Select
              allowClear
              placeholder={t('console.orgs.kindPlaceholder')}
              value={kind}
              onChange={(v) => {
                setKind(v);
                setPage(1);
              }}
              style={{ width: 160 }}
              options={KINDS.map((k) => ({ value: k, label: t(`orgKind.${k}`) }))}
              data-testid="org-kind-filter"
            />
          </Space>
          {can('org.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('console.orgs.create')}
            </Button>
          )}
        </div>
        <Breadcrumb
          className="org-trail"
          items={[
            {
              title: trail.length ? (
                <a
                  onClick={() => {
                    setTrail([]);
                    setPage(1);
                  }}
                >
                  {t('console.orgs.root')}
                </a>
              ) : (
                t('console.orgs.root')
              ),
            },
            ...trail.map((o, i) => ({
              title:
                i === trail.length - 1 ? (
                  orgLabel(o, locale)
                ) : (
                  <a
                    onClick={() => {
                      setTrail(trail.slice(0, i + 1));
                      setPage(1);
                    }}
                  >
                    {orgLabel(o, locale)}
                  </a>
                ),
            })),
          ]}
        />
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
        <Table<Org>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          data-testid="orgs-table"
          scroll={{ x: 1050 }}
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
              title: t('console.c.name'),
              key: 'name',
              render: (_, o) => (
                <div className="cell-stack">
                  <a onClick={() => drill(o)}>{orgLabel(o, locale)}</a>
                  {locale !== 'en' && o.nameEn && <Typography.Text type="secondary">{o.nameEn}</Typography.Text>}
                  {locale === 'en' && o.nameEn && <Typography.Text type="secondary">{o.name}</Typography.Text>}
                </div>
              ),
            },
            { title: t('console.c.code'), dataIndex: 'code', width: 200, render: (c: string) => <code className="nowrap">{c}</code> },
            {
              title: t('console.orgs.kind'),
              dataIndex: 'kind',
              width: 110,
              render: (k: OrgKind) => <Tag color={KIND_COLOURS[k]}>{t(`orgKind.${k}`)}</Tag>,
            },
            {
              title: t('console.orgs.codesColumn'),
              key: 'codes',
              width: 210,
              render: (_, o) => {
                const v = o.kind === 'enterprise' ? o.creditCode : o.kind === 'district' || o.kind === 'city' ? o.divisionCode : null;
                return v && v !== o.code ? <code className="muted-code nowrap">{v}</code> : <Typography.Text type="secondary">—</Typography.Text>;
              },
            },
            {
              title: t('console.c.status'),
              dataIndex: 'status',
              width: 100,
              render: (s: string) => (s === 'active' ? <Tag color="success">{t('console.orgs.statusActive')}</Tag> : <Tag>{t('console.orgs.statusDisabled')}</Tag>),
            },
            { title: t('console.c.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, locale, false) },
            {
              title: t('console.c.actions'),
              key: 'actions',
              width: 170,
              fixed: 'right',
              render: (_, o) => (
                <Space size={4}>
                  <Button size="small" type="link" icon={<ApartmentOutlined />} onClick={() => drill(o)}>
                    {t('console.orgs.children')}
                  </Button>
                  {can('org.write') && (
                    <Button size="small" type="link" onClick={() => setEditing(o)}>
                      {t('action.edit')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <CreateOrgModal open={creating} parent={parent} onClose={() => setCreating(false)} />
      <EditOrgModal org={editing} onClose={() => setEditing(null)} />
    </div>
  );
}
