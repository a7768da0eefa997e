import { useState } from 'react';
import { Breadcrumb, Card, Form, Input, Radio, Space, Tag, Typography } from 'antd';
import { ApartmentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import type { Org, OrgKind } from '../../shared/types';
import { DataTable, FilterSelect, RowButton, Toolbar, actionsColumn, usePagedList } from '../components/DataTable';
import { OrgSelect } from '../components/OrgSelect';
import { FormModal } from '../components/FormModal';
import { orgLabel, useCan, useLocale, useSave } from '../hooks';

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

/** Chinese name (required) and English name of an organisation. */
function NameFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="name" label={t('console.c.nameZh')} rules={[{ required: true }, { max: 200 }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="nameEn" label={t('console.c.nameEn')} rules={[{ max: 200 }]}>
        <Input autoComplete="off" />
      </Form.Item>
    </>
  );
}

function CreateOrgModal({ open, parent, onClose }: { open: boolean; parent: Org | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateValues>();
  const kind = Form.useWatch('kind', form);
  const create = useSave(
    (v: CreateValues) =>
      api.post<Org>('/api/orgs', {
        ...v,
        nameEn: v.nameEn || undefined,
        divisionCode: v.divisionCode || undefined,
        creditCode: v.creditCode || undefined,
        parentId: v.parentId ?? null,
      }),
    {
      refresh: 'orgs',
      ok: (o) => `${t('console.c.created')}: ${o.name}`,
      then: () => {
        form.resetFields();
        onClose();
      },
    },
  );
  return (
    <FormModal<CreateValues>
      open={open}
      title={t('console.orgs.create')}
      form={form}
      onClose={onClose}
      save={create}
      width={560}
      initialValues={{ kind: parent?.kind === 'department' ? 'subunit' : 'department', parentId: parent?.id }}
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
      <NameFields />
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
    </FormModal>
  );
}

interface EditValues {
  name: string;
  nameEn?: string;
  status: string;
}

function EditOrgModal({ org, onClose }: { org: Org | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EditValues>();
  const save = useSave((v: EditValues) => api.patch<Org>(`/api/orgs/${org!.id}`, { name: v.name, nameEn: v.nameEn || null, status: v.status }), {
    refresh: 'orgs',
    ok: () => t('console.c.saved'),
    then: onClose,
  });
  return (
    <FormModal<EditValues>
      open={!!org}
      title={t('console.orgs.edit')}
      form={form}
      onClose={onClose}
      save={save}
      initialValues={org ? { name: org.name, nameEn: org.nameEn ?? '', status: org.status } : undefined}
    >
      {org && (
        <>
          <Typography.Paragraph type="secondary">
            {t(`orgKind.${org.kind}`)} · <code>{org.code}</code>
          </Typography.Paragraph>
          <NameFields />
          <Form.Item name="status" label={t('console.c.status')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'active', label: t('console.orgs.statusActive') },
                { value: 'inactive', label: t('console.orgs.statusDisabled') },
              ]}
            />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

export default function Orgs() {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const [kind, setKind] = useState<OrgKind | undefined>();
  const [q, setQ] = useState('');
  const [qInput, setQInput] = useState('');
  const [trail, setTrail] = useState<Org[]>([]);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Org | null>(null);
  const parent = trail[trail.length - 1] ?? null;
  const list = usePagedList<Org>(['orgs', 'list'], '/api/orgs', { kind, q, parentId: parent?.id }, { sizeChanger: true });

  const drill = (o: Org) => {
    setTrail([...trail, o]);
    setQ('');
    setQInput('');
    setKind(undefined);
  };
  const crumb = (label: string, to: Org[] | null) => ({ title: to ? <a onClick={() => setTrail(to)}>{label}</a> : label });

  return (
    <div className="page">
      <Card variant="borderless">
        <Toolbar create={can('org.write') && { label: t('console.orgs.create'), onClick: () => setCreating(true) }}>
          <Input.Search
            allowClear
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            placeholder={t('console.c.searchPlaceholder')}
            onSearch={(v) => setQ(v.trim())}
            style={{ width: 240 }}
            data-testid="org-search"
          />
          <FilterSelect
            placeholder={t('console.orgs.kindPlaceholder')}
            value={kind}
            onChange={setKind}
            width={160}
            options={KINDS.map((k) => ({ value: k, label: t(`orgKind.${k}`) }))}
            testId="org-kind-filter"
          />
        </Toolbar>
        <Breadcrumb
          className="org-trail"
          items={[crumb(t('console.orgs.root'), trail.length ? [] : null), ...trail.map((o, i) => crumb(orgLabel(o, locale), i === trail.length - 1 ? null : trail.slice(0, i + 1)))]}
        />
        <DataTable<Org>
          {...list}
          rowKey="id"
          data-testid="orgs-table"
          scroll={{ x: 1050 }}
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
            ...actionsColumn<Org>(
              t,
              (o) => (
                <Space size={4}>
                  <RowButton icon={<ApartmentOutlined />} onClick={() => drill(o)}>
                    {t('console.orgs.children')}
                  </RowButton>
                  {can('org.write') && <RowButton onClick={() => setEditing(o)}>{t('action.edit')}</RowButton>}
                </Space>
              ),
              { width: 170 },
            ),
          ]}
        />
      </Card>
      <CreateOrgModal open={creating} parent={parent} onClose={() => setCreating(false)} />
      <EditOrgModal org={editing} onClose={() => setEditing(null)} />
    </div>
  );
}
